"""The Gradio interface: customer chat, agent lookup and notice browser, over one shared service."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.feedback import FeedbackError, FeedbackStore
from assistant.serving import NotReady, Service
from assistant.settings import Settings
from assistant.ui_text import (
    CHOICES,
    EXAMPLES,
    STRINGS,
    as_text,
    disclaimer,
    examples_for,
    notice_markdown,
    section_markdown,
    sources_markdown,
    ui_language,
)

log = logging.getLogger(__name__)


def guarded(fallback: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An event handler that never fails in front of the customer: an error is logged (redacted, with the request
    id) and the handler's `fallback(*args)` is returned instead of a traceback."""

    def wrap(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        def safe(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception:
                log.exception("interface event failed", extra={"event": handler.__name__})
                return fallback(*args)

        return safe

    return wrap


def _choice(value: Any) -> str:
    return value if isinstance(value, str) and value in CHOICES else "Auto"


def build_ui(service: Service, feedback: FeedbackStore, settings: Settings | None = None) -> gr.Blocks:
    """The three tabs; every event has an explicit api_name so gradio_client users get stable names."""
    settings = settings or service.settings
    max_chars, max_turns = settings.max_question_chars, settings.max_history_turns

    def respond(message: Any, chat: Any, asked: Any, choice: Any, locale: Any = "", turns: Any = None
                ) -> Iterator[tuple[Any, ...]]:  # fmt: skip
        message = message if isinstance(message, str) else ""
        chat = [m for m in chat if isinstance(m, dict)] if isinstance(chat, list) else []
        asked = [a for a in asked if isinstance(a, str)][-max_turns:] if isinstance(asked, list) else []
        turns = [t for t in turns if isinstance(t, dict)] if isinstance(turns, list) else []
        choice = _choice(choice)
        lang = None if choice == "Auto" else choice.lower()
        page = (locale if isinstance(locale, str) else "")[:2].lower() or None
        strings = STRINGS[ui_language(choice) if choice != "Auto" else (page if page in STRINGS else "en")]
        # The customer's words are shown as text, never as markup.
        chat = [*chat, {"role": "user", "content": as_text(message[: max_chars * 2]) or "…"}]
        try:
            # In Auto, a question too short to tell ("cookies?") is answered in the browser's language.
            result = service.ask(message, history=asked, lang=lang, default_lang=page)
        except NotReady:
            starting = {"role": "assistant", "content": as_text(strings["starting"])}
            yield [*chat, starting], asked, message, gr.update(), turns
            return
        if result.reason != "too_long":  # a refused message never enters the history it would be paid for again
            asked = [*asked, message][-max_turns:]
        data = result.to_dict()
        reply = {"role": "assistant", "content": ""}
        words = as_text(result.answer).split(" ")
        step = max(1, len(words) // 12)
        for end in range(step, len(words) + step, step):  # streamed a few words at a time
            reply["content"] = " ".join(words[:end])
            yield [*chat, reply], asked, "", gr.update(), turns
        chat = [*chat, reply]
        turn = {"index": len(chat) - 1, "question": message, "language": result.language,
                "cited": [c["section_id"] for c in data["citations"]]}  # fmt: skip
        if result.citations:
            sources = sources_markdown(data["citations"], result.language)
            title = STRINGS[result.language]["sources"]
            chat.append({"role": "assistant", "content": sources, "metadata": {"title": title, "status": "done"}})
        yield chat, asked, "", gr.update(value=None), [*turns, turn][-max_turns:]

    def respond_failed(message: Any, chat: Any, asked: Any, *rest: Any) -> Iterator[tuple[Any, ...]]:
        chat = [m for m in chat if isinstance(m, dict)] if isinstance(chat, list) else []
        note = {"role": "assistant", "content": as_text(STRINGS["en"]["failed"])}
        yield (
            [*chat, note],
            asked if isinstance(asked, list) else [],
            message if isinstance(message, str) else "",
            gr.update(),
            rest[2] if len(rest) > 2 and isinstance(rest[2], list) else [],
        )

    def streamed(handler: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        @functools.wraps(handler)
        def safe(*args: Any) -> Iterator[Any]:
            try:
                yield from handler(*args)
            except Exception:
                log.exception("chat event failed")
                yield from respond_failed(*args)

        return safe

    def rated_turn(turns: Any, index: Any) -> dict[str, Any] | None:
        """The answered turn a rating is about, from the server's own record of the conversation (never from text
        the browser sends back)."""
        position = index[0] if isinstance(index, list | tuple) and index else index
        if not isinstance(position, int) or not isinstance(turns, list):
            return None
        for turn in turns:
            if isinstance(turn, dict) and turn.get("index") in (position, position - 1):
                return turn
        return None

    @guarded(lambda *args: (STRINGS["en"]["feedback_failed"], None))
    def on_like(turns: Any, choice: Any, data: gr.LikeData) -> tuple[str, Any]:
        strings = STRINGS[ui_language(_choice(choice))]
        turn = rated_turn(turns, getattr(data, "index", None))
        if turn is None:  # not an answer of this conversation: nothing is stored, an earlier rating stays current
            return strings["no_feedback"], gr.update()
        try:
            row = feedback.record(str(turn["question"]), list(turn["cited"]), "like" if data.liked else "dislike",
                                  language=str(turn["language"]))  # fmt: skip
        except FeedbackError:
            log.error("feedback not saved")
            return strings["feedback_failed"], None
        return strings["thanks"], row

    @guarded(lambda comment, *args: (STRINGS["en"]["feedback_failed"], comment if isinstance(comment, str) else ""))
    def on_comment(comment: Any, row: Any, choice: Any) -> tuple[str, str]:
        strings = STRINGS[ui_language(_choice(choice))]
        comment = comment if isinstance(comment, str) else ""
        if not isinstance(row, int):
            return strings["no_feedback"], comment
        if not comment.strip():
            return "", comment
        try:
            saved = feedback.add_comment(row, comment[:2000])
        except FeedbackError:
            return strings["feedback_failed"], comment  # the comment stays in the box: nothing is lost
        return (strings["comment_saved"], "") if saved else (strings["no_feedback"], comment)

    def on_language(choice: Any) -> tuple[Any, ...]:
        choice = _choice(choice)
        return interface(ui_language(choice), choice)

    def on_locale(locale: Any) -> tuple[Any, ...]:
        """The first screen in the customer's language: `?lang=` or the browser's, answers still in "Auto"."""
        code = (locale if isinstance(locale, str) else "")[:2].lower()
        return interface(code if code in STRINGS else "en", "Auto")

    def interface(code: str, choice: str) -> tuple[Any, ...]:
        strings = STRINGS[code]
        return (
            gr.update(placeholder=strings["placeholder"]), gr.update(value=strings["send"]),
            gr.update(value=strings["clear"]),
            # In "Auto" with a French or Dutch page, the disclaimer speaks of the text in the page's language.
            gr.update(value=disclaimer(service.notices, code, auto=choice == "Auto" and code == "en")),
            gr.update(label=strings["comment"]), gr.update(value=strings["send_comment"]),
            gr.update(label=strings["language"]), gr.update(placeholder=strings["welcome"], label=strings["assistant"]),
            gr.Dataset(label=strings["examples"], samples=[[q] for q in examples_for(choice)]),
            gr.update(value=strings["kept"].format(days=settings.feedback_retention_days)),
        )  # fmt: skip

    @guarded(lambda *args: ([], gr.update(choices=[], value=None)))
    def lookup(query: Any, choice: Any) -> tuple[list[list[Any]], dict[str, Any]]:
        query = query[:max_chars] if isinstance(query, str) else ""
        choice = _choice(choice)
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
        choice = _choice(choice)
        if not isinstance(section_id, str) or not section_id:
            return "—", "—", "—", ""
        texts = [section_markdown(service.notices, lang, section_id) for lang in ("fr", "nl", "en")]  # the desk
        assistant = service.assistant
        if assistant is None:
            return (*texts, "")
        lang = ui_language(choice) if choice != "Auto" else (assistant.served.guesser.detect(query) or "en")
        language = lang if lang in assistant.notices else settings.default_language
        return (*texts, assistant.ready_answer(section_id, query, language))

    @guarded(lambda *args: "—")
    def show_notice(choice: Any) -> str:
        choice = _choice(choice)
        return notice_markdown(service.notices, ui_language(choice) if choice != "Auto" else "fr")

    strings = STRINGS["en"]
    with gr.Blocks(title="Privacy notice assistant — Amazon.com.be") as blocks:
        gr.Markdown("## Privacy notice assistant · Amazon.com.be")
        with gr.Tab("Chat", id="chat"):
            language = gr.Radio(CHOICES, value="Auto", label=strings["language"], elem_id="language")
            chatbot = gr.Chatbot(height=460, elem_id="chatbot", label=strings["assistant"], buttons=["copy"],
                                 placeholder=strings["welcome"], sanitize_html=True)  # fmt: skip
            asked = gr.State([])
            turns = gr.State([])
            feedback_row = gr.State(None)
            locale = gr.Textbox(visible=False, elem_id="locale")
            with gr.Row():
                question = gr.Textbox(placeholder=strings["placeholder"], show_label=False, scale=5,
                                      elem_id="question", max_length=max_chars * 2)  # fmt: skip
                send = gr.Button(strings["send"], variant="primary", scale=1, elem_id="send")
            examples = gr.Examples(EXAMPLES, inputs=question, label=strings["examples"])
            kept = gr.Markdown(strings["kept"].format(days=settings.feedback_retention_days), elem_id="kept")
            with gr.Row():
                comment = gr.Textbox(label=strings["comment"], scale=5, elem_id="comment", max_length=2000)
                send_comment = gr.Button(strings["send_comment"], scale=1, elem_id="send-comment")
            status = gr.Markdown("", elem_id="status")
            clear = gr.Button(strings["clear"], size="sm", elem_id="clear")
            note = gr.Markdown(disclaimer(service.notices, "en", auto=True), elem_id="disclaimer")

            chat_inputs = [question, chatbot, asked, language, locale, turns]
            chat_outputs = [chatbot, asked, question, status, turns]
            send.click(streamed(respond), chat_inputs, chat_outputs, api_name="chat")
            question.submit(streamed(respond), chat_inputs, chat_outputs, api_visibility="private")
            chatbot.like(on_like, [turns, language], [status, feedback_row], api_name="feedback")
            send_comment.click(on_comment, [comment, feedback_row, language], [status, comment], api_name="comment")
            clear.click(lambda: ([], [], [], "", None), None, [chatbot, asked, turns, status, feedback_row],
                        api_visibility="private")  # fmt: skip
            # The chat's own trash icon starts a new conversation too: what the engine reads goes with the screen.
            chatbot.clear(lambda: ([], [], "", None), None, [asked, turns, status, feedback_row],
                          api_visibility="private")  # fmt: skip
            interface_outputs = [question, send, clear, note, comment, send_comment, language, chatbot,
                                 examples.dataset, kept]  # fmt: skip
            language.change(on_language, language, interface_outputs, api_visibility="private")

        with gr.Tab("Agent lookup", id="agent"):
            with gr.Row():
                query = gr.Textbox(label="Search the notice", scale=4, elem_id="lookup-query", max_length=max_chars)
                lookup_lang = gr.Radio(CHOICES, value="Auto", label="Language", scale=2)
                search = gr.Button("Search", variant="primary", scale=1, elem_id="lookup-search")
            results = gr.Dataframe(headers=["section", "title", "score"], interactive=False, elem_id="lookup-results")
            chosen = gr.Dropdown(label="Section", choices=[], elem_id="lookup-section")
            with gr.Row(elem_id="side-by-side"):
                text_fr = gr.Markdown(label="FR", elem_classes="section-text", elem_id="text-fr")
                text_nl = gr.Markdown(label="NL", elem_classes="section-text", elem_id="text-nl")
                text_en = gr.Markdown(label="EN", elem_classes="section-text", elem_id="text-en")
            pasted = gr.Textbox(label="Ready-to-paste answer", lines=5, buttons=["copy"], elem_id="ready-answer")
            search.click(lookup, [query, lookup_lang], [results, chosen], api_name="lookup")
            query.submit(lookup, [query, lookup_lang], [results, chosen], api_visibility="private")
            chosen.change(show_section, [chosen, query, lookup_lang], [text_fr, text_nl, text_en, pasted],
                          api_name="section")  # fmt: skip

        with gr.Tab("Notice", id="notice"):
            notice_lang = gr.Radio(CHOICES[1:], value=CHOICES[1], label="Language", elem_id="notice-language")
            notice = gr.Markdown(notice_markdown(service.notices, "fr"), header_links=True, elem_id="notice")
            notice_lang.change(show_notice, notice_lang, notice, api_name="notice")
        # The page's language: ?lang= first, then the browser's; the interface's strings follow it at once.
        page_language = "() => new URLSearchParams(location.search).get('lang') || navigator.language || ''"
        blocks.load(None, None, locale, js=page_language, api_visibility="private").then(
            on_locale, locale, interface_outputs, api_visibility="private")  # fmt: skip
    return blocks


def _title(notices: dict[str, Any], language: str, section_id: str) -> str:
    section = notices[language].section(section_id)
    return section.title if section else ""
