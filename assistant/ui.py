"""The Gradio interface: customer chat, agent lookup and notice browser, over one shared Assistant."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.engine import Assistant
from assistant.feedback import FeedbackError, FeedbackStore

log = logging.getLogger(__name__)
CHOICES = ["Auto", "FR", "NL", "EN"]
STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "placeholder": "Ask about your personal information, e.g. “How do I withdraw my consent?”",
        "assistant": "Assistant",
        "welcome": "**Questions about your personal data on Amazon.com.be?** I answer from the privacy notice, "
        "quoting the section — in English, français or Nederlands.",
        "send": "Send", "clear": "New conversation", "sources": "Sources", "open": "Open the notice",
        "language": "Language", "examples": "Try a question",
        "comment": "Tell us more (optional)", "send_comment": "Send comment",
        "thanks": "Thank you, your feedback was saved.", "feedback_failed":
        "Sorry, your feedback could not be saved right now. Please try again in a moment.",
        "comment_saved": "Thank you, your comment was saved.", "no_feedback": "Rate an answer first (👍 or 👎).",
        "disclaimer": "Answers are quoted from the Amazon.com.be privacy notice (last updated {date}); {version}. "
        "They are not legal advice: for a request about your data, contact Customer Service.",
        "official": "the English text shown is the official one",
        "translation": "the English text is our translation of the official French notice",
    },
    "fr": {
        "placeholder": "Posez votre question sur vos données, p. ex. « Comment retirer mon consentement ? »",
        "assistant": "Assistant",
        "welcome": "**Une question sur vos données personnelles sur Amazon.com.be ?** Je réponds à partir de la "
        "notice de protection des informations personnelles, en citant la section.",
        "send": "Envoyer", "clear": "Nouvelle conversation", "sources": "Sources", "open": "Ouvrir la notice",
        "language": "Langue", "examples": "Essayez une question",
        "comment": "Dites-nous en plus (facultatif)", "send_comment": "Envoyer le commentaire",
        "thanks": "Merci, votre avis a été enregistré.", "feedback_failed":
        "Désolé, votre avis n'a pas pu être enregistré pour le moment. Réessayez dans un instant.",
        "comment_saved": "Merci, votre commentaire a été enregistré.",
        "no_feedback": "Évaluez d'abord une réponse (👍 ou 👎).",
        "disclaimer": "Les réponses citent la notice Protection de vos informations personnelles d'Amazon.com.be "
        "(mise à jour du {date}) ; {version}. Ce n'est pas un avis juridique : pour une demande sur vos données, "
        "contactez le Service Client.",
        "official": "le texte français affiché est le texte officiel",
        "translation": "le texte français affiché est une traduction",
    },
    "nl": {
        "placeholder": "Stel uw vraag over uw gegevens, bv. ‘Hoe trek ik mijn toestemming in?’",
        "assistant": "Assistent",
        "welcome": "**Een vraag over uw persoonsgegevens op Amazon.com.be?** Ik antwoord op basis van de "
        "privacyverklaring en vermeld de sectie.",
        "send": "Verzenden", "clear": "Nieuw gesprek", "sources": "Bronnen", "open": "Open de privacyverklaring",
        "language": "Taal", "examples": "Probeer een vraag",
        "comment": "Vertel ons meer (optioneel)", "send_comment": "Opmerking verzenden",
        "thanks": "Bedankt, uw feedback is opgeslagen.", "feedback_failed":
        "Sorry, uw feedback kon nu niet worden opgeslagen. Probeer het zo meteen opnieuw.",
        "comment_saved": "Bedankt, uw opmerking is opgeslagen.",
        "no_feedback": "Beoordeel eerst een antwoord (👍 of 👎).",
        "disclaimer": "De antwoorden citeren de privacyverklaring van Amazon.com.be (bijgewerkt op {date}); "
        "{version}. Dit is geen juridisch advies: voor een verzoek over uw gegevens kunt u terecht bij de "
        "Klantenservice.",
        "official": "de Nederlandse tekst is de officiële",
        "translation": "de Nederlandse tekst is onze vertaling van de officiële Franse verklaring",
    },
}  # fmt: skip
EXAMPLES_BY_LANGUAGE = {
    "fr": ["Comment retirer mon consentement ?", "Vous revendez mes données ?"],
    "nl": ["Hoe lang bewaren jullie mijn gegevens?", "Mag mijn dochter van 15 een account hebben?"],
    "en": ["How do I stop interest-based ads?", "Who is responsible for my data?"],
}
EXAMPLES = [q for questions in EXAMPLES_BY_LANGUAGE.values() for q in questions]  # Auto: all three languages


def examples_for(choice: str) -> list[str]:
    return EXAMPLES if choice == "Auto" else EXAMPLES_BY_LANGUAGE[choice.lower()]


CSS = """
#disclaimer {font-size: 0.85em; opacity: 0.8}
.section-text {font-size: 0.92em}
"""


def ui_language(choice: str) -> str:
    return choice.lower() if choice and choice.lower() in STRINGS else "en"


def disclaimer(assistant: Assistant, language: str, auto: bool = False) -> str:
    """Where answers come from, and whether the text shown in this language is official or a translation."""
    notice = assistant.notices.get(language) or next(iter(assistant.notices.values()))
    strings = STRINGS[language]
    if auto:
        official = [lang.upper() for lang, n in assistant.notices.items() if n.meta.get("status") == "official"]
        translated = [lang.upper() for lang, n in assistant.notices.items() if n.meta.get("status") != "official"]
        version = f"official text: {', '.join(official) or '–'}; translations: {', '.join(translated) or '–'}"
    else:
        version = strings[notice.meta.get("status", "translation")]
    return strings["disclaimer"].format(date=notice.meta.get("last_updated", ""), version=version)


def sources_markdown(citations: list[dict[str, Any]], language: str) -> str:
    """The sources block: section id and title, the quoted words, and a link to the official page."""
    parts = []
    for citation in citations:
        quote = html.escape(citation["quote"])
        title = html.escape(citation["title"])
        open_label = STRINGS[language]["open"]
        parts.append(
            f"**§ {citation['section_id']} — {title}** ({citation['language'].upper()})\n\n> {quote}\n\n"
            f"[{open_label} ↗]({citation['url']})"
        )
    return "\n\n---\n\n".join(parts)


def section_markdown(assistant: Assistant, language: str, section_id: str) -> str:
    notice = assistant.notices.get(language)
    section = notice.section(section_id) if notice else None
    if section is None:
        return "—"
    body = "\n\n".join(html.escape(b) for b in section.blocks) or "*(see its subsections)*"
    return f"#### {section.id} {html.escape(section.title)}\n\n{body}"


def notice_markdown(assistant: Assistant, language: str) -> str:
    """The whole notice in one language, a heading per section (linkable through its anchor)."""
    notice = assistant.notices[language]
    parts = [f"# {html.escape(notice.title)}", f"*{html.escape(notice.meta.get('last_updated_label', ''))}*"]
    parts += [html.escape(p) for p in notice.preamble]
    for section in notice.sections:
        marks = "##" if section.level == 1 else "###"
        parts.append(f"{marks} {section.id} {html.escape(section.title)}")
        parts += [html.escape(b) for b in section.blocks]
    parts.append(f"[{STRINGS[language]['open']} ↗]({notice.url})")
    return "\n\n".join(parts)


def build_ui(assistant: Assistant, feedback: FeedbackStore) -> gr.Blocks:
    """The three tabs; every event has an explicit api_name so gradio_client users get stable names."""

    def respond(message: str, chat: list[dict[str, Any]], asked: list[str], choice: str, locale: str = ""
                ) -> Iterator[tuple[list[dict[str, Any]], list[str], str, dict[str, Any]]]:  # fmt: skip
        message = message if isinstance(message, str) else ""
        lang = None if choice == "Auto" else choice.lower()
        # In Auto, a question too short to tell ("cookies?") is answered in the browser's language.
        result = assistant.ask(message, history=asked, lang=lang, default_lang=(locale or "")[:2].lower() or None)
        data = result.to_dict()
        # The customer's words are shown as text, never as markup: escape before the Markdown renderer sees them.
        chat = [*chat, {"role": "user", "content": html.escape(message) or "…"}]
        asked = [*asked, message]
        reply = {"role": "assistant", "content": ""}
        words = html.escape(result.answer).split(" ")
        step = max(1, len(words) // 12)
        for end in range(step, len(words) + step, step):  # streamed a few words at a time
            reply["content"] = " ".join(words[:end])
            yield [*chat, reply], asked, "", gr.update()
        chat = [*chat, reply]
        if result.citations:
            sources = sources_markdown(data["citations"], result.language)
            title = STRINGS[result.language]["sources"]
            chat.append({"role": "assistant", "content": sources, "metadata": {"title": title, "status": "done"}})
        yield chat, asked, "", gr.update(value=None)

    def on_like(chat: list[dict[str, Any]], asked: list[str], choice: str, data: gr.LikeData
                ) -> tuple[str, int | None]:  # fmt: skip
        strings = STRINGS[ui_language(choice)]
        index = data.index if isinstance(data.index, int) else data.index[0]
        answer = chat[index]["content"] if 0 <= index < len(chat) else ""
        users = [m for m in chat[:index] if m.get("role") == "user"]
        question = asked[len(users) - 1] if users and len(users) <= len(asked) else ""
        cited = _cited_ids(chat, index)
        try:
            row = feedback.record(question, str(answer), cited, "like" if data.liked else "dislike",
                                  language=ui_language(choice))  # fmt: skip
        except FeedbackError:
            log.error("feedback not saved")
            return strings["feedback_failed"], None
        return strings["thanks"], row

    def on_comment(comment: str, row: int | None, choice: str) -> tuple[str, str]:
        strings = STRINGS[ui_language(choice)]
        if row is None:
            return strings["no_feedback"], comment
        if not comment.strip():
            return "", comment
        try:
            feedback.add_comment(row, comment[:2000])
        except FeedbackError:
            return strings["feedback_failed"], comment  # the comment stays in the box: nothing is lost
        return strings["comment_saved"], ""

    def on_language(choice: str) -> tuple[dict[str, Any], ...]:
        strings = STRINGS[ui_language(choice)]
        return (
            gr.update(placeholder=strings["placeholder"]), gr.update(value=strings["send"]),
            gr.update(value=strings["clear"]),
            gr.update(value=disclaimer(assistant, ui_language(choice), auto=choice == "Auto")),
            gr.update(label=strings["comment"]), gr.update(value=strings["send_comment"]),
            gr.update(label=strings["language"]), gr.update(placeholder=strings["welcome"], label=strings["assistant"]),
            gr.Dataset(label=strings["examples"], samples=[[q] for q in examples_for(choice)]),
        )  # fmt: skip

    def lookup(query: str, choice: str) -> tuple[list[list[Any]], dict[str, Any]]:
        lang = None if choice == "Auto" else choice.lower()
        hits = assistant.search(query, lang=lang, k=5) if query.strip() else []
        rows = [[h.section_id, _title(assistant, h.language, h.section_id), round(h.score, 2)] for h in hits]
        ids = [h.section_id for h in hits]
        return rows, gr.update(choices=ids, value=ids[0] if ids else None)

    def show_section(section_id: str | None, query: str, choice: str) -> tuple[str, str, str, str]:
        if not section_id:
            return "—", "—", "—", ""
        texts = [section_markdown(assistant, lang, section_id) for lang in ("fr", "nl", "en")]
        lang = ui_language(choice) if choice != "Auto" else (assistant.guesser.detect(query) or "en")
        return (*texts, ready_answer(assistant, lang if lang in assistant.notices else "en", section_id, query))

    def show_notice(choice: str) -> str:
        return notice_markdown(assistant, ui_language(choice) if choice != "Auto" else "fr")

    strings = STRINGS["en"]
    with gr.Blocks(title="Privacy notice assistant — Amazon.com.be") as blocks:
        gr.Markdown("## Privacy notice assistant · Amazon.com.be")
        with gr.Tab("Chat", id="chat"):
            language = gr.Radio(CHOICES, value="Auto", label=strings["language"], elem_id="language")
            chatbot = gr.Chatbot(height=460, elem_id="chatbot", label=strings["assistant"], buttons=["copy"],
                                 placeholder=strings["welcome"])  # fmt: skip
            asked = gr.State([])
            feedback_row = gr.State(None)
            locale = gr.Textbox(visible=False, elem_id="locale")
            with gr.Row():
                question = gr.Textbox(placeholder=strings["placeholder"], show_label=False, scale=5,
                                      elem_id="question", max_length=4000)  # fmt: skip
                send = gr.Button(strings["send"], variant="primary", scale=1, elem_id="send")
            examples = gr.Examples(EXAMPLES, inputs=question, label=strings["examples"])
            with gr.Row():
                comment = gr.Textbox(label=strings["comment"], scale=5, elem_id="comment")
                send_comment = gr.Button(strings["send_comment"], scale=1, elem_id="send-comment")
            status = gr.Markdown("", elem_id="status")
            clear = gr.Button(strings["clear"], size="sm", elem_id="clear")
            note = gr.Markdown(disclaimer(assistant, "en", auto=True), elem_id="disclaimer")

            chat_inputs = [question, chatbot, asked, language, locale]
            chat_outputs = [chatbot, asked, question, status]
            send.click(respond, chat_inputs, chat_outputs, api_name="chat")
            question.submit(respond, chat_inputs, chat_outputs, api_name=False)
            chatbot.like(on_like, [chatbot, asked, language], [status, feedback_row], api_name="feedback")
            send_comment.click(on_comment, [comment, feedback_row, language], [status, comment], api_name="comment")
            clear.click(lambda: ([], [], "", None), None, [chatbot, asked, status, feedback_row], api_name=False)
            language.change(on_language, language,
                            [question, send, clear, note, comment, send_comment, language, chatbot,
                             examples.dataset],
                            api_name=False)  # fmt: skip

        with gr.Tab("Agent lookup", id="agent"):
            with gr.Row():
                query = gr.Textbox(label="Search the notice", scale=4, elem_id="lookup-query")
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
            query.submit(lookup, [query, lookup_lang], [results, chosen], api_name=False)
            chosen.change(show_section, [chosen, query, lookup_lang], [text_fr, text_nl, text_en, pasted],
                          api_name="section")  # fmt: skip

        with gr.Tab("Notice", id="notice"):
            notice_lang = gr.Radio(["FR", "NL", "EN"], value="FR", label="Language", elem_id="notice-language")
            notice = gr.Markdown(notice_markdown(assistant, "fr"), header_links=True, elem_id="notice")
            notice_lang.change(show_notice, notice_lang, notice, api_name="notice")
        blocks.load(None, None, locale, js="() => navigator.language || ''", api_name=False)
    return blocks


def ready_answer(assistant: Assistant, language: str, section_id: str, query: str) -> str:
    """What an agent pastes to a customer: the best sentences of the section and its citation."""
    from assistant.answer import LEAD_IN, join_quotes, pick_sentences

    asked = assistant.retrieval_text(query, language) if query.strip() else ""  # typos mended, as in the chat
    ranking = assistant.rank(asked or section_id, language)
    hit = next((h for h in ranking.hits if h.section_id == section_id), None)
    notice = assistant.notices[language]
    section = notice.section(section_id)
    if hit is None or section is None:
        return ""
    best_two = sorted(p for p, _ in hit.sentences[:2])
    positions = pick_sentences(ranking.retriever, hit, asked, 3) if asked else best_two
    texts = [ranking.retriever.chunk(p).text for p in positions]
    quote = join_quotes(texts, positions) if positions else section.title  # gaps marked, as in the chat
    lead = LEAD_IN[language].format(id=section_id, title=section.title)
    return f"{lead} {quote}\n\n{notice.url}"


def _title(assistant: Assistant, language: str, section_id: str) -> str:
    section = assistant.notices[language].section(section_id)
    return section.title if section else ""


def _cited_ids(chat: list[dict[str, Any]], index: int) -> list[str]:
    """The section ids in the sources block that follows the rated answer."""
    following = chat[index + 1] if index + 1 < len(chat) else None
    if following and following.get("metadata"):
        return re.findall(r"§ ([\d.]+)", str(following.get("content", "")))
    return []
