"""Word lists of the language packs turned into patterns: "word", "prefix*", "several words", "laat * zien",
"zet ik ... uit"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any


def entry_pattern(entry: str, spacing: str = r"\s+") -> str:
    """One list entry as a pattern: its words joined by `spacing`; a word ending in "*" takes any ending
    (bounded), a lone "*" stands for any one word, a lone "..." for one to eight words (a Dutch verb's particle comes
    last: "zet ik de reclame op maat uit"), a word starting with "*" for any word before its rest."""
    parts = []
    for word in entry.split():
        if word == "*":
            parts.append(r"\w{1,40}")
        elif word == "...":
            parts.append(r"[\w'’-]{1,40}(?:\s+[\w'’-]{1,40}){0,7}")  # words, with their apostrophes and hyphens
        elif word.startswith("*"):
            parts.append(r"\w{1,40}" + re.escape(word[1:]))
        elif word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"\w{0,40}")
        else:
            parts.append(re.escape(word))
    return spacing.join(parts)


def alternatives(entries: Iterable[str], spacing: str = r"\s+") -> str:
    """The entries as one alternation (longest first), for use inside a larger pattern."""
    unique = sorted(set(entries), key=lambda e: (-len(e), e))
    return "|".join(entry_pattern(e, spacing) for e in unique) or "(?!)"


def whole_words(alternation: str, flags: int = 0) -> re.Pattern[str]:
    """An alternation (see `alternatives`) that matches whole words only: "police" in "the police", not in
    "policeman"."""
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", flags)


def gather(packs: Iterable[dict[str, Any]], *keys: str) -> list[str]:
    """One list of every pack's entries under the nested keys ("guards", "injection", "ignore_verbs"): attackers
    and customers mix languages, so each guard reads all of them."""
    entries: list[str] = []
    for data in packs:
        value: object = data
        for key in keys:
            value = value.get(key, {}) if isinstance(value, dict) else {}
        if isinstance(value, list):
            entries += [str(v) for v in value]
    return entries
