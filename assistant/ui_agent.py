"""The agent desk at /agent: search the notice, read a section in FR, NL and EN side by side, copy a ready answer."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.serving import Service
from assistant.settings import Settings
from assistant.ui_text import CHOICES, choice_of, guarded, notice_markdown, section_markdown, ui_language

LANGUAGE_NAMES = {"fr": "FR — français", "nl": "NL — Nederlands", "en": "EN — English"}


def _title(notices: dict[str, Any], language: str, section_id: str) -> str:
    section = notices[language].section(section_id)
    return section.title if section else ""


def build_agent_desk(service: Service, settings: Settings) -> None:
    """The desk's components and events, rendered into the page being built (the app's /agent route)."""
    max_chars = settings.max_question_chars

    @guarded(lambda *args: ([], gr.update(choices=[], value=None)))
    def lookup(query: Any, choice: Any) -> tuple[list[list[Any]], dict[str, Any]]:
        query = query[:max_chars] if isinstance(query, str) else ""
        choice = choice_of(choice)
        assistant = service.assistant
        if assistant is None or not query.strip():
            return [], gr.update(choices=[], value=None)
        hits = assistant.search(query, lang=None if choice == "Auto" else choice.lower(), k=5)
        rows = [[h.section_id, _title(service.notices, h.language, h.section_id), round(h.score, 2)] for h in hits]
        ids = [h.section_id for h in hits]
        return rows, gr.update(choices=ids, value=ids[0] if ids else None)

    @guarded(lambda *args: ("—", "—", "—", ""))
    def show_section(section_id: Any, query: Any, choice: Any) -> tuple[str, ...]:
        query = query[:max_chars] if isinstance(query, str) else ""
        choice = choice_of(choice)
        if not isinstance(section_id, str) or not section_id:
            return "—", "—", "—", ""
        texts = [section_markdown(service.notices, lang, section_id) for lang in ("fr", "nl", "en")]
        assistant = service.assistant
        if assistant is None:
            return (*texts, "")
        lang = ui_language(choice) if choice != "Auto" else (assistant.served.guesser.detect(query) or "en")
        language = lang if lang in assistant.notices else settings.default_language
        return (*texts, assistant.ready_answer(section_id, query, language))

    @guarded(lambda *args: gr.update())
    def pick_row(results: Any, event: gr.SelectData) -> Any:
        """A click anywhere on a result row chooses that row's section."""
        row = event.index[0] if isinstance(event.index, list | tuple) else event.index
        try:
            return gr.update(value=str(results.iloc[row, 0]))
        except (AttributeError, IndexError, TypeError, ValueError):
            return gr.update()

    @guarded(lambda *args: "—")
    def show_notice(choice: Any) -> str:
        choice = choice_of(choice)
        return notice_markdown(service.notices, ui_language(choice) if choice != "Auto" else "fr")

    gr.Markdown("# Agent desk · privacy notice", elem_id="agent-title")
    with gr.Tab("Lookup", id="lookup"):
        with gr.Row():
            query = gr.Textbox(label="Search the notice", scale=4, elem_id="lookup-query", max_length=max_chars)
            lookup_lang = gr.Radio(CHOICES, value="Auto", label="Answer language", scale=2, elem_id="lookup-language")
            search = gr.Button("Search", variant="primary", scale=1, elem_id="lookup-search")
        results = gr.Dataframe(headers=["section", "title", "score"], interactive=False, elem_id="lookup-results",
                               label="Sections found (click a row)")  # fmt: skip
        # Any id may be sent (the /section endpoint is called directly by API clients); an unknown one shows "—".
        chosen = gr.Dropdown(label="Section", choices=[], elem_id="lookup-section", allow_custom_value=True)
        with gr.Row(elem_id="side-by-side"):
            texts = []
            for code in ("fr", "nl", "en"):
                with gr.Column(elem_id=f"column-{code}"):
                    gr.Markdown(f"### {LANGUAGE_NAMES[code]}", elem_id=f"label-{code}")
                    texts.append(gr.Markdown(elem_classes="section-text", elem_id=f"text-{code}"))
        pasted = gr.Textbox(label="Ready-to-paste answer (plain text)", lines=5, buttons=["copy"],
                            elem_id="ready-answer")  # fmt: skip
        search.click(lookup, [query, lookup_lang], [results, chosen], api_name="lookup")
        query.submit(lookup, [query, lookup_lang], [results, chosen], api_visibility="private")
        # Another answer language: the same search again, and the ready answer in that language.
        lookup_lang.change(lookup, [query, lookup_lang], [results, chosen], api_visibility="private").then(
            show_section, [chosen, query, lookup_lang], [*texts, pasted], api_visibility="private")  # fmt: skip
        results.select(pick_row, results, chosen, api_visibility="private")
        chosen.change(show_section, [chosen, query, lookup_lang], [*texts, pasted], api_name="section")

    with gr.Tab("Notice", id="notice"):
        notice_lang = gr.Radio(CHOICES[1:], value=CHOICES[1], label="Language", elem_id="notice-language")
        notice = gr.Markdown(notice_markdown(service.notices, "fr"), elem_id="notice")
        notice_lang.change(show_notice, notice_lang, notice, api_name="notice")
