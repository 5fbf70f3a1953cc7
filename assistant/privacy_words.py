"""Walking a message word by word: the tokens, the gaps between them and the spans the redaction replaces."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words and numbers with their elisions and hyphens, at most 40 characters: the units both finders walk.
TOKEN = re.compile(r"[^\W_][\w'’-]{0,39}")
# The inside of a placeholder ("[NAME]"): never part of a name.
PLACEHOLDER = re.compile(r"NAME|EMAIL|PHONE|ADDRESS|ORDER|IBAN|CARD|NATIONAL_NUMBER|BIRTH_DATE|NUMBER")


@dataclass
class Span:
    start: int
    end: int


def gap(text: str, tokens: list[re.Match[str]], k: int) -> str:
    """What separates token k from token k+1."""
    return text[tokens[k].end() : tokens[k + 1].start()]


def joined(text: str, tokens: list[re.Match[str]], first: int, stop: int) -> bool:
    """True when tokens first..stop-1 are separated by nothing but a few spaces (no punctuation, no line break)."""
    for k in range(first, min(stop, len(tokens)) - 1):
        between = gap(text, tokens, k)
        if len(between) > 3 or between.strip(" "):
            return False
    return True
