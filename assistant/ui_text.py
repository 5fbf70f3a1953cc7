"""The interface's words and what it shows as Markdown: strings and examples per language, the disclaimer, the
sources block and the notice's text, every customer or notice text escaped so that it shows as typed."""

from __future__ import annotations

import re
from typing import Any

from assistant.langpack import load_packs

PACKS = load_packs()
CHOICES = ["Auto", *(code.upper() for code in PACKS)]
# The interface's words (each language pack's `ui`, English where a pack lacks one) and example questions.
STRINGS: dict[str, dict[str, str]] = {
    code: {**(PACKS["en"].get("ui") or {} if "en" in PACKS else {}), **(pack.get("ui") or {})}
    for code, pack in PACKS.items()
}
EXAMPLES_BY_LANGUAGE = {code: list(pack.get("examples") or []) for code, pack in PACKS.items()}
EXAMPLES = [q for questions in EXAMPLES_BY_LANGUAGE.values() for q in questions]  # Auto: all three languages


def examples_for(choice: str) -> list[str]:
    return EXAMPLES if choice == "Auto" else EXAMPLES_BY_LANGUAGE[choice.lower()]


CSS = """
#disclaimer {font-size: 0.85em; opacity: 0.8}
.section-text {font-size: 0.92em}
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


def sources_markdown(citations: list[dict[str, Any]], language: str) -> str:
    """The sources block: section id and title, the quoted words, and a link to the official page (an Amazon page:
    the only links an answer carries)."""
    parts = []
    for citation in citations:
        url = citation["url"] if str(citation["url"]).startswith(AMAZON_PAGES) else ""
        link = f"\n\n[{as_text(STRINGS[language]['open'])} ↗]({url})" if url else ""
        parts.append(
            f"**§ {citation['section_id']} — {as_text(citation['title'])}** ({citation['language'].upper()})\n\n"
            f"> {as_text(citation['quote'])}{link}"
        )
    return "\n\n---\n\n".join(parts)


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
