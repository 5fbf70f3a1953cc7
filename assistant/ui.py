"""The Gradio interface: the customer chat at / (nothing else on it) and the agent desk at /agent, one service."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from assistant.feedback import FeedbackError, FeedbackStore
from assistant.serving import NotReady, Service
from assistant.settings import Settings
from assistant.ui_agent import build_agent_desk
from assistant.ui_text import (
    CHOICES,
    EXAMPLES,
    STRINGS,
    as_text,
    choice_of,
    disclaimer,
    examples_for,
    guarded,
    reply_markdown,
    settled,
    ui_language,
)

log = logging.getLogger(__name__)


# Each language's page title, as a JavaScript object for the scripts below.
TITLES = json.dumps({code: strings["title"] for code, strings in STRINGS.items()}, ensure_ascii=False)


def head_script() -> str:
    """Run before Gradio starts: the page's language (`?lang=` first, then the browser's) set on <html lang>, the
    title, and `navigator.language`, which Gradio's own labels (like, copy, clear) follow."""
    return f"""<script>
(() => {{
  const titles = {TITLES};
  const asked = (new URLSearchParams(location.search).get("lang") || "").slice(0, 2).toLowerCase();
  const browser = (navigator.language || "").slice(0, 2).toLowerCase();
  const lang = titles[asked] ? asked : titles[browser] ? browser : "en";
  if (titles[asked]) {{
    Object.defineProperty(Navigator.prototype, "language", {{get: () => asked, configurable: true}});
    Object.defineProperty(Navigator.prototype, "languages", {{get: () => [asked], configurable: true}});
  }}
  document.documentElement.lang = lang;
  if (!location.pathname.startsWith("/agent")) document.title = titles[lang];
  if (new URLSearchParams(location.search).get("embed")) {{  // inside the help page's widget
    document.documentElement.classList.add("embedded");
    // Escape closes the widget's panel from inside the chat too (a key pressed here never reaches the help page).
    addEventListener("keydown", (event) => {{
      if (event.key === "Escape") parent.postMessage({{type: "privacy-assistant:close"}}, "*");
    }});
  }}
}})();
</script>"""


# After an answer: its first line at the top of the view (on a phone a long answer would otherwise show its end).
SHOW_ANSWER_START = """() => { const rows = document.querySelectorAll('#chatbot .bot-row');
  const last = rows[rows.length - 1]; if (last) last.scrollIntoView({block: 'start', behavior: 'instant'}); }"""
# The selector's language on <html lang>, the title and the address (?lang=), so that a reload keeps it and Gradio's
# own labels, which follow the language the page is loaded in, follow it then.
SET_LANGUAGE = """(choice) => { const titles = %s; const code = (choice || '').toLowerCase();
  if (titles[code]) { document.documentElement.lang = code; document.title = titles[code]; }
  const address = new URL(location.href);
  if (titles[code]) address.searchParams.set('lang', code); else address.searchParams.delete('lang');
  history.replaceState(history.state, '', address); return choice; }"""
# Once Gradio has set the page's title from the Blocks: the title in the page's language.
SET_TITLE = """() => { const titles = %s; const code = document.documentElement.lang;
  if (titles[code]) document.title = titles[code]; }"""


def build_ui(service: Service, feedback: FeedbackStore, settings: Settings | None = None) -> gr.Blocks:
    """The chat page and the agent desk's page; every event has an explicit api_name so gradio_client users get
    stable names."""
    settings = settings or service.settings
    max_chars, max_turns = settings.max_question_chars, settings.max_history_turns

    def respond(message: Any, chat: Any, asked: Any, choice: Any, locale: Any = "", turns: Any = None
                ) -> Iterator[tuple[Any, ...]]:  # fmt: skip
        message = message if isinstance(message, str) else ""
        chat = [settled(m) for m in chat if isinstance(m, dict)] if isinstance(chat, list) else []
        asked = [a for a in asked if isinstance(a, str)][-max_turns:] if isinstance(asked, list) else []
        turns = [t for t in turns if isinstance(t, dict)] if isinstance(turns, list) else []
        choice = choice_of(choice)
        lang = None if choice == "Auto" else choice.lower()
        page = (locale if isinstance(locale, str) else "")[:2].lower() or None
        strings = page_strings(choice, locale)
        # The customer's words are shown as text, never as markup; shown at once, before the answer.
        chat = [*chat, {"role": "user", "content": as_text(message[: max_chars * 2]) or "…"}]
        yield chat, asked, "", gr.update(), turns, gr.update(visible=False)
        try:
            # In Auto, a question too short to tell ("cookies?") is answered in the browser's language.
            result = service.ask(message, history=asked, lang=lang, default_lang=page)
        except NotReady:
            starting = {"role": "assistant", "content": as_text(strings["starting"])}
            yield [*chat, starting], asked, message, gr.update(), turns, gr.update(visible=False)
            return
        if result.reason != "too_long":  # a refused message never enters the history it would be paid for again
            asked = [*asked, message][-max_turns:]
        reply: dict[str, Any] = {"role": "assistant", "content": ""}
        first = result.citations[0] if result.citations else None
        words = as_text(first.highlight or first.quote if first else result.answer).split(" ")
        step = max(1, len(words) // 8)
        for end in range(step, len(words), step):  # streamed a few words at a time
            reply["content"] = " ".join(words[:end])
            yield [*chat, reply], asked, "", gr.update(), turns, gr.update(visible=False)
        reply["content"] = reply_markdown(result)
        if result.follow_ups:  # one click asks them (chatbot.option_select)
            reply["options"] = [{"label": q, "value": q} for q in result.follow_ups]
        chat = [*chat, reply]
        turn = {"index": len(chat) - 1, "question": message, "language": result.language,
                "cited": [c.section_id for c in result.citations]}  # fmt: skip
        yield chat, asked, "", gr.update(value=""), [*turns, turn][-max_turns:], gr.update(visible=False)

    def respond_failed(message: Any, chat: Any, asked: Any, *rest: Any) -> Iterator[tuple[Any, ...]]:
        chat = [m for m in chat if isinstance(m, dict)] if isinstance(chat, list) else []
        note = {"role": "assistant", "content": as_text(STRINGS["en"]["failed"])}
        yield (
            [*chat, note],
            asked if isinstance(asked, list) else [],
            message if isinstance(message, str) else "",
            gr.update(),
            rest[2] if len(rest) > 2 and isinstance(rest[2], list) else [],
            gr.update(visible=False),
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

    def page_strings(choice: Any, locale: Any) -> dict[str, str]:
        """The interface's words: the selector's language, or in "Auto" the page's."""
        choice, page = choice_of(choice), (locale if isinstance(locale, str) else "")[:2].lower()
        return STRINGS[ui_language(choice) if choice != "Auto" else page if page in STRINGS else "en"]

    @guarded(lambda *args: (STRINGS["en"]["feedback_failed"], None, gr.update()))
    def on_like(turns: Any, choice: Any, locale: Any, data: gr.LikeData) -> tuple[str, Any, Any]:
        strings = page_strings(choice, locale)
        turn = rated_turn(turns, getattr(data, "index", None))
        if turn is None:  # not an answer of this conversation: nothing is stored, an earlier rating stays current
            return strings["no_feedback"], gr.update(), gr.update()
        try:
            row = feedback.record(str(turn["question"]), list(turn["cited"]), "like" if data.liked else "dislike",
                                  language=str(turn["language"]))  # fmt: skip
        except FeedbackError:
            log.error("feedback not saved")
            return strings["feedback_failed"], None, gr.update()
        # A 👎 opens the comment box right under the chat; a 👍 closes it.
        return strings["thanks"], row, gr.update(visible=not data.liked)

    @guarded(lambda comment, *args: (STRINGS["en"]["feedback_failed"], comment if isinstance(comment, str) else ""))
    def on_comment(comment: Any, row: Any, choice: Any, locale: Any = "") -> tuple[str, str]:
        strings = page_strings(choice, locale)
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

    @guarded(lambda *args: "")
    def on_option(data: gr.SelectData) -> str:
        value = getattr(data, "value", "")
        value = value.get("value", "") if isinstance(value, dict) else value
        return value[:max_chars] if isinstance(value, str) else ""

    def on_language(choice: Any) -> tuple[Any, ...]:
        choice = choice_of(choice)
        return interface(ui_language(choice), choice)

    def on_locale(locale: Any) -> tuple[Any, ...]:
        """The first screen in the customer's language: `?lang=` or the browser's, answers still in "Auto"."""
        code = (locale if isinstance(locale, str) else "")[:2].lower()
        return interface(code if code in STRINGS else "en", "Auto")

    def help_links(code: str) -> str:
        strings = STRINGS[code]
        return (f"{as_text(strings['privacy_hint'])}\n\n[{as_text(strings['contact'])} ↗]({strings['contact_url']})"
                f" · [{as_text(strings['open'])}](/notice/{code})")  # fmt: skip

    def interface(code: str, choice: str) -> tuple[Any, ...]:
        strings = STRINGS[code]
        return (
            gr.update(value=f"# {as_text(strings['title'])}"),
            gr.update(placeholder=strings["placeholder"]), gr.update(value=strings["send"]),
            gr.update(value=strings["clear"]),
            # In "Auto" with a French or Dutch page, the disclaimer speaks of the text in the page's language.
            gr.update(value=disclaimer(service.notices, code, auto=choice == "Auto" and code == "en")),
            gr.update(label=strings["comment"]), gr.update(value=strings["send_comment"]),
            gr.update(label=strings["language"]), gr.update(placeholder=strings["welcome"], label=strings["assistant"]),
            # Examples in the page's language, all three only on an English page in "Auto" (it welcomes all three).
            gr.Dataset(label=strings["examples"], samples=[[q] for q in examples_for(
                choice if choice != "Auto" or code == "en" else code.upper())]),
            gr.update(value=strings["kept"].format(days=settings.feedback_retention_days)),
            gr.update(value=help_links(code)),
        )  # fmt: skip

    strings = STRINGS["en"]
    with gr.Blocks(title=strings["title"]) as blocks:
        gr.Navbar(visible=False)
        title = gr.Markdown(f"# {as_text(strings['title'])}", elem_id="title")
        language = gr.Radio(CHOICES, value="Auto", label=strings["language"], elem_id="language")
        chatbot = gr.Chatbot(height="62vh", elem_id="chatbot", label=strings["assistant"], buttons=[],
                             placeholder=strings["welcome"], sanitize_html=True, autoscroll=False)  # fmt: skip
        asked = gr.State([])
        turns = gr.State([])
        feedback_row = gr.State(None)
        locale = gr.Textbox(visible=False, elem_id="locale")
        status = gr.Markdown("", elem_id="status")
        with gr.Row(visible=False, elem_id="comment-row") as comment_row:  # opened by a 👎
            comment = gr.Textbox(label=strings["comment"], scale=5, elem_id="comment", max_length=2000)
            send_comment = gr.Button(strings["send_comment"], scale=1, elem_id="send-comment")
        with gr.Row(equal_height=True):
            question = gr.Textbox(placeholder=strings["placeholder"], show_label=False, scale=5,
                                  elem_id="question", max_length=max_chars * 2, submit_btn=False)  # fmt: skip
            send = gr.Button(strings["send"], variant="primary", scale=1, min_width=90, elem_id="send")
        examples = gr.Examples(EXAMPLES, inputs=question, label=strings["examples"])
        links = gr.Markdown(help_links("en"), elem_id="help-links")
        clear = gr.Button(strings["clear"], size="md", elem_id="clear")
        kept = gr.Markdown(strings["kept"].format(days=settings.feedback_retention_days), elem_id="kept")
        note = gr.Markdown(disclaimer(service.notices, "en", auto=True), elem_id="disclaimer")

        chat_inputs = [question, chatbot, asked, language, locale, turns]
        chat_outputs = [chatbot, asked, question, status, turns, comment_row]
        # show_progress="hidden": no developer timer in front of the customer (the CSS hides the queue's too).
        send.click(streamed(respond), chat_inputs, chat_outputs, api_name="chat", show_progress="hidden").then(
            None, js=SHOW_ANSWER_START)  # fmt: skip
        question.submit(streamed(respond), chat_inputs, chat_outputs, api_visibility="private",
                        show_progress="hidden").then(None, js=SHOW_ANSWER_START)  # fmt: skip
        chatbot.option_select(on_option, None, question, api_visibility="private", show_progress="hidden").then(
            streamed(respond), chat_inputs, chat_outputs, api_visibility="private", show_progress="hidden").then(
            None, js=SHOW_ANSWER_START)  # fmt: skip
        chatbot.like(on_like, [turns, language, locale], [status, feedback_row, comment_row], api_name="feedback",
                     show_progress="hidden")  # fmt: skip
        send_comment.click(on_comment, [comment, feedback_row, language, locale], [status, comment], api_name="comment",
                           show_progress="hidden")  # fmt: skip
        reset = [chatbot, asked, turns, status, feedback_row, comment_row]
        clear.click(lambda: ([], [], [], "", None, gr.update(visible=False)), None, reset, api_visibility="private")
        # The chat's own trash icon starts a new conversation too: what the engine reads goes with the screen.
        chatbot.clear(lambda: ([], [], "", None, gr.update(visible=False)), None, reset[1:], api_visibility="private")
        interface_outputs = [title, question, send, clear, note, comment, send_comment, language, chatbot,
                             examples.dataset, kept, links]  # fmt: skip
        language.change(None, language, None, js=SET_LANGUAGE % TITLES, api_visibility="private")
        language.change(on_language, language, interface_outputs, api_visibility="private")
        # The page's language: ?lang= first, then the browser's; the interface's strings follow it at once.
        page_language = "() => new URLSearchParams(location.search).get('lang') || navigator.language || ''"
        blocks.load(None, None, locale, js=page_language, api_visibility="private").then(
            on_locale, locale, interface_outputs, api_visibility="private").then(
            None, js=SET_TITLE % TITLES)  # fmt: skip
    with blocks.route("Agent desk", "/agent", show_in_navbar=False):
        gr.Navbar(visible=False)
        build_agent_desk(service, settings)
    return blocks
