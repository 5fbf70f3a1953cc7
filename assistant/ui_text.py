"""The interface's words and what it shows as Markdown: strings and examples per language, the disclaimer, an
answer (its best sentence first, the rest folded), the notice's text, every customer or notice text escaped so that
it shows as typed; and the guard every event handler runs behind."""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Callable
from typing import Any

from assistant.answer import Answer, Citation
from assistant.langpack import load_packs

log = logging.getLogger(__name__)

PACKS = load_packs()
CHOICES = ["Auto", *(code.upper() for code in PACKS)]
# The interface's words (each language pack's `ui`, English where a pack lacks one) and example questions.
STRINGS: dict[str, dict[str, str]] = {
    code: {**(PACKS["en"].get("ui") or {} if "en" in PACKS else {}), **(pack.get("ui") or {})}
    for code, pack in PACKS.items()
}
EXAMPLES_BY_LANGUAGE = {code: list(pack.get("examples") or []) for code, pack in PACKS.items()}
EXAMPLES = [q for questions in EXAMPLES_BY_LANGUAGE.values() for q in questions]  # Auto: all three languages


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


def choice_of(value: Any) -> str:
    """The language selector's value as sent by the browser, "Auto" when it is not one of the choices."""
    return value if isinstance(value, str) and value in CHOICES else "Auto"


def examples_for(choice: str) -> list[str]:
    return EXAMPLES if choice == "Auto" else EXAMPLES_BY_LANGUAGE[choice.lower()]


CSS = """
#disclaimer, #kept {font-size: 0.85em}
.section-text {font-size: 0.92em}
/* Tap targets of at least 44 px on a phone (WCAG 2.5.5): rating, clearing, the suggested questions. */
#chatbot button.icon-button {min-width: 44px; min-height: 44px; justify-content: center; align-items: center}
#chatbot button.option {min-height: 44px}
#chatbot .bot-row {scroll-margin-top: 3rem}
/* The chat's clear icon sits over the top right corner: the customer's message scrolled under it stays readable. */
#chatbot div.user.message {margin-right: 3.25rem}
#chatbot mark {background: #fff3b0; color: inherit; padding: 0 0.1em}
/* Each page is reached by its own address; Gradio's page bar would only show its "Home" link. */
.nav-holder {display: none}
#lookup-section input {color: #1f1f1f}
#send {white-space: nowrap; min-width: max-content !important; padding-left: 0.75rem; padding-right: 0.75rem}
/* No developer timer ("queue: 1/1 | 0.1s") in front of the customer. */
.gradio-container .progress-text, .gradio-container .eta-bar, .gradio-container .meta-text,
.gradio-container .meta-text-center {display: none !important}
/* Inside the help page's widget: the panel has its own title bar. */
.embedded #title, .embedded #language {display: none}
"""


def ui_language(choice: str) -> str:
    return choice.lower() if choice and choice.lower() in STRINGS else "en"


# Every ASCII punctuation character may be escaped in Markdown: escaped, none of them makes a link, an image or
# markup, so a customer's text (and the notice's own) is shown exactly as typed.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:&@/$])")


def as_text(text: str) -> str:
    """Text made safe for the Markdown renderer: shown literally, never as links, images or HTML."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def disclaimer(notices: dict[str, Any], language: str, auto: bool = False) -> str:
    """Where answers come from, and whether the text shown in this language is official or a translation."""
    notice = notices.get(language) or next(iter(notices.values()))
    strings = STRINGS[language]
    if auto:
        official = [lang.upper() for lang, n in notices.items() if n.meta.get("status") == "official"]
        translated = [lang.upper() for lang, n in notices.items() if n.meta.get("status") != "official"]
        version = f"official text: {', '.join(official) or '–'}; translations: {', '.join(translated) or '–'}"
    else:
        version = strings[notice.meta.get("status", "translation")]
    return strings["disclaimer"].format(date=notice.meta.get("last_updated", ""), version=version)


def notice_link(language: str, section_id: str) -> str:
    """This app's notice view at the section's stable anchor."""
    return f"/notice/{language}#s-{section_id}"


def official(url: str) -> str:
    """An Amazon page, the only other site an answer links to; nothing else."""
    return url if url.startswith(AMAZON_PAGES) else ""


def _rest(citation: Citation) -> str:
    """The quote without its highlighted sentence (shown above it), gaps marked: each sentence is shown once."""
    before, found, after = citation.quote.partition(citation.highlight) if citation.highlight else ("", "", "")
    if not found:
        return citation.quote
    parts = [p.strip() for p in (before, after)]
    return " […] ".join(p for p in parts if p.strip(" […]"))


def _links(citation: Citation, language: str) -> str:
    strings = STRINGS[language]
    shown = language if language in STRINGS else citation.language
    links = [f"[{as_text(strings['section_link'].format(id=citation.section_id))}]"
             f"({notice_link(shown, citation.section_id)})"]  # fmt: skip
    if url := official(citation.url):
        links.append(f"[{as_text(strings['open'])} ↗]({url})")
    return " · ".join(links)


def reply_markdown(answer: Answer) -> str:
    """An answer as the chat shows it: the notes said first, the one sentence that answers best in bold with its
    section (a link to it in this app's notice), then the rest of the quotes folded under "More from section N"."""
    if not answer.citations:
        return as_text(answer.answer)
    language, first = answer.language, answer.citations[0]
    strings = STRINGS[language]
    head = [as_text(answer.opening)] if answer.opening else []
    note = f" {as_text(first.note)}" if first.note else ""
    head += [f"<mark>{as_text(first.highlight or first.quote)}</mark>",
             f"§ {as_text(first.section_id)} · {as_text(first.title)}{note} — {_links(first, language)}"]  # fmt: skip
    if answer.closing:
        head.append(as_text(answer.closing))
    more = [as_text(rest) for rest in [_rest(first)] if rest]
    for citation in answer.citations[1:]:
        note = f" {as_text(citation.note)}" if citation.note else ""
        more.append(f"**§ {as_text(citation.section_id)} · {as_text(citation.title)}**{note}\n\n"
                    f"{as_text(citation.quote)}\n\n{_links(citation, language)}")  # fmt: skip
    if more:
        summary = html.escape(strings["more"].format(id=first.section_id))  # HTML: Markdown escapes would show
        head.append(f"<details><summary>{summary}</summary>\n\n" + "\n\n".join(more) + "\n\n</details>")
    if answer.follow_ups:
        head.append(f"*{as_text(strings['follow_ups'])}*")
    return "\n\n".join(head)


def settled(message: dict[str, Any]) -> dict[str, Any]:
    """An earlier reply once a new question is asked: the chat shows suggestion buttons under the last reply only,
    so an earlier one loses its buttons and the "You could also ask" line that introduced them. The chat sends its
    messages back with their content as a list of parts ({"type": "text", "text": …})."""
    if message.get("role") != "assistant":
        return message

    def trimmed(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        for strings in STRINGS.values():
            text = text.removesuffix(f"\n\n*{as_text(strings['follow_ups'])}*")
        return text

    content = message.get("content")
    if isinstance(content, str):
        content = trimmed(content)
    elif isinstance(content, list):
        content = [part | {"text": trimmed(part["text"])} if isinstance(part, dict) and "text" in part else part
                   for part in content]  # fmt: skip
    return {key: value for key, value in message.items() if key != "options"} | {"content": content}


AMAZON_PAGES = ("https://www.amazon.com.be/",)


def section_markdown(notices: dict[str, Any], language: str, section_id: str) -> str:
    notice = notices.get(language)
    section = notice.section(section_id) if notice else None
    if section is None:
        return "—"
    body = "\n\n".join(as_text(b) for b in section.blocks) or "*(see its subsections)*"
    return f"#### {section.id} {as_text(section.title)}\n\n{body}"


def notice_markdown(notices: dict[str, Any], language: str) -> str:
    """The whole notice in one language, a heading per section (linkable through its anchor)."""
    notice = notices[language]
    parts = [f"# {as_text(notice.title)}", f"*{as_text(notice.meta.get('last_updated_label', ''))}*"]
    parts += [as_text(p) for p in notice.preamble]
    for section in notice.sections:
        marks = "##" if section.level == 1 else "###"
        parts.append(f"{marks} {section.id} {as_text(section.title)}")
        parts += [as_text(b) for b in section.blocks]
    parts.append(f"[{as_text(STRINGS[language]['open'])} ↗]({notice.url})")
    return "\n\n".join(parts)
