"""Stage 2, clean: plain text without markup, control characters or placeholders; too long or empty is declined."""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from assistant.guards.plain import plain
from assistant.privacy import PLACEHOLDER
from assistant.served import Served
from assistant.stages.language import fallback_language
from assistant.text import SCRIPT_BLOCK, TAG, TEMPLATE, WORD
from assistant.turn import Turn


@dataclass(frozen=True)
class CleanText:
    """A message made safe to process: plain text, no markup or control characters."""

    text: str
    had_markup: bool


def clean_text(raw: str) -> CleanText:
    """Plain, normalised text: markup, template syntax and control characters removed, spaces collapsed."""
    text = raw.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    text = unicodedata.normalize("NFC", text)
    text = html.unescape(text)
    stripped = SCRIPT_BLOCK.sub(" ", text)
    stripped = TAG.sub(" ", stripped)
    stripped = TEMPLATE.sub(" ", stripped)
    had_markup = stripped != text
    stripped = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in stripped)
    return CleanText(" ".join(stripped.split()), had_markup)


def without_placeholders(text: str) -> str:
    """The text with the placeholders of personal details left out: they say nothing about the question."""
    return " ".join(PLACEHOLDER.sub(" ", text).split()) if "[" in text else text


def run(turn: Turn, served: Served) -> None:
    """Reads `redacted` and the earlier messages; adds `text` and `had_markup`, or settles a too long or empty
    message (in the conversation's or the page's language)."""
    limit = served.settings.max_question_chars
    if len(turn.message) > limit:
        turn.redacted = turn.redacted[:200]
        turn.settle(fallback_language(turn, served), served.template(
            fallback_language(turn, served), "decline.too_long", limit=limit), "too_long")  # fmt: skip
        return
    clean = clean_text(turn.redacted)
    turn.text, turn.had_markup = without_placeholders(clean.text), clean.had_markup
    turn.earlier = [without_placeholders(clean_text(message[:limit]).text) for message in turn.earlier]
    if not WORD.search(turn.text):  # single letters only: maybe spaced or dotted out ("c o o k i e s"), read joined
        turn.text = without_placeholders(clean_text(plain(turn.redacted).text).text)
    if not WORD.search(turn.text):  # nothing but punctuation, markup or personal details
        language = fallback_language(turn, served)
        turn.settle(language, served.template(language, "decline.empty"), "empty")
