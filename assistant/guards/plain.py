"""What the guards read: a message with its disguises undone (look-alike letters, spaced or dotted letters,
digits for letters, invisible characters, base64), and which disguises it wore."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass

# Cyrillic and Greek letters drawn like Latin ones ("ѕуѕtеm"): read as the Latin letter.
LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁԛԝАВЕКМНОРСТХІЈЅԌαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdqwABEKMHOPCTXIJSGabeiknoptuxABEZHIKMNOPTYX",
)
# Digits and signs written for letters ("1gn0r3", "$y$tem"), read only inside words that also hold letters.
LEET = str.maketrans("0134578@$", "oieastbas")
WORD = re.compile(r"[\w@$]+")
LEET_SIGNS = frozenset("0134578@$")
# Single letters joined by one same separator (space, dot, dash, star, underscore): "i g n o r e", "s.y.s.t.e.m"
# ("s.y.s.t.e.m p.r.o.m.p.t" is two words).
SPACED = re.compile(r"(?<!\w)\w([ .\-*_·])(?:\w\1)+\w(?!\w)")
SEPARATOR = re.compile(r"[ .\-*_·]")
# A run of base64 ("SWdub3JlIHlvdXIgcnVsZXM="): an order hidden from the eye, read as the text it encodes.
BASE64 = re.compile(r"(?<![\w+/=])[A-Za-z0-9+/]{16,4000}={0,2}(?![\w+/=])")
MIN_READABLE = 0.9  # the share of letters, spaces and punctuation a decoded run needs to count as text
LOWER, UPPER_OR_DIGIT = re.compile(r"[a-z]"), re.compile(r"[A-Z0-9]")  # base64 mixes them; a word does not


@dataclass(frozen=True)
class Plain:
    """The message as the guards read it, and the disguises found."""

    text: str
    lookalikes: bool = False
    spaced: bool = False
    leet: bool = False
    invisible: bool = False
    encoded: bool = False

    @property
    def disguised(self) -> bool:
        return self.lookalikes or self.spaced or self.leet or self.invisible or self.encoded


def decoded(run: str) -> str | None:
    """The text a base64 run encodes, when it is readable text (not a word, an identifier or random bytes)."""
    if len(run) % 4 or not (LOWER.search(run) and UPPER_OR_DIGIT.search(run)):
        return None
    try:
        text = base64.b64decode(run, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    readable = sum(c.isalpha() or c.isspace() or c in ".,;:!?'\"-" for c in text)
    return text if text.strip() and readable >= MIN_READABLE * len(text) else None


def plain(text: str, read_base64: bool = False) -> Plain:
    """Compatibility forms folded (full-width letters, ligatures), invisible characters dropped, look-alike letters
    read as Latin, spaced letters joined, digits read as the letters they stand for; with `read_base64`, base64 runs
    first read as the text they encode (the guards' reading of a message; the message-type classifier is trained on
    its labelled messages as written, base64 included). Every step is one pass over the text (the patterns are linear
    on the bounded message)."""
    runs_decoded = 0

    def decode(match: re.Match[str]) -> str:
        nonlocal runs_decoded
        found = decoded(match.group())
        runs_decoded += found is not None
        return f" {found} " if found is not None else match.group()

    if read_base64:
        text = BASE64.sub(decode, text)
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(c for c in folded if unicodedata.category(c) != "Cf")
    latin = visible.translate(LOOKALIKES)
    # Words are separated by two spaces or more when each letter is spaced ("i g n o r e   y o u r").
    runs: list[str] = []  # letters joined; four or more is a disguise ("U.S.A." is an abbreviation)

    def join(match: re.Match[str]) -> str:
        runs.append(SEPARATOR.sub("", match.group()))
        return runs[-1]

    joined = SPACED.sub(join, re.sub(r"\s{2,}", "  ", latin))
    spaced = any(len(run) >= 4 for run in runs)
    read = 0  # words plainly in leet: a sign between letters ("1gn0r3") or two signs; "1st" or "mp3" are not

    def read_leet(match: re.Match[str]) -> str:
        nonlocal read
        word = match.group()
        if not any(c.isalpha() for c in word) or not any(c in LEET_SIGNS for c in word):
            return word
        inner = any(c in LEET_SIGNS and word[i - 1].isalpha() and word[i + 1].isalpha()
                    for i, c in enumerate(word[1:-1], start=1))  # fmt: skip
        read += inner or sum(c in LEET_SIGNS for c in word) >= 2
        return word.translate(LEET)

    unleeted = WORD.sub(read_leet, joined)
    return Plain(" ".join(unleeted.split()), lookalikes=latin != visible, spaced=spaced, leet=read >= 2,
                 invisible=len(visible) != len(folded), encoded=runs_decoded > 0)  # fmt: skip
