"""Helpers shared by every module: accent folding, word patterns, file hashing and small JSON files."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

# Words with their elisions and hyphenated parts ("l'âge", "alexa-opnames"); no digits.
TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Words of two letters or more, no digits: what makes a message more than punctuation.
WORD = re.compile(r"[^\W\d_]{2,}")
# Words with an elision ("j'ai", "m'aider"); and the same with digits ("2dehands", "m'n").
LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
LETTERS_AND_DIGITS = re.compile(r"\w+(?:'\w+)?")
# Markup in a message: HTML tags, script and style blocks, template syntax (bounded, so linear on a message).
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,500}>")
SCRIPT_BLOCK = re.compile(r"<\s*(script|style)\b[^>]{0,500}>.{0,20000}?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
TEMPLATE = re.compile(r"\{\{.{0,2000}?\}\}|\$\{.{0,2000}?\}")


def fold(text: str) -> str:
    """Casefolded and without accents: customers often leave them out ("age" for "âge")."""
    if text.isascii():  # most words: nothing to decompose (a third of the start-up time went here)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def without_opening_phrases(text: str, phrases: Sequence[tuple[str, ...]], repeat: bool = True) -> str:
    """The text without the phrases it opens with (each a tuple of folded words, tried in order; only the first one
    unless `repeat`). A whole phrase only, not the start of a compound ("hi-fi", "btw-nummer"), and never the whole
    text."""
    words = list(LETTERS.finditer(text.replace("’", "'")))  # one character for one: positions stay the same
    folded = [fold(w.group()) for w in words]
    start = 0
    while start < len(words):
        end = next((start + len(phrase) for phrase in phrases
                    if phrase and tuple(folded[start:start + len(phrase)]) == phrase
                    and not text[words[start + len(phrase) - 1].end():].startswith("-")), None)  # fmt: skip
        if end is None:
            break
        start = end
        if not repeat:
            break
    if start == 0 or start >= len(words):
        return text
    return text[words[start].start() :]


def plain_words(text: str) -> str:
    """Folded letters and digits only, one space between words: for comparing texts whatever their punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def folded_words(phrases: Iterable[object]) -> frozenset[str]:
    """Every word of the phrases, folded ("j'ai trouvé" gives "j'ai" and "trouve"): what a message's words are
    checked against."""
    return frozenset(word for phrase in phrases for word in LETTERS.findall(fold(str(phrase))))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_yaml(text: str) -> Any:
    """YAML read safely with libyaml's C loader where installed (ten times faster: the corpus is read at start)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON object read from a file; None when the file is missing, unreadable or not an object."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def write_json(path: Path, value: dict[str, Any]) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
