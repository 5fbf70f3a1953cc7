"""What the guards read: a message with its disguises undone (look-alike letters, spaced or dotted letters,
digits for letters, invisible characters), and which disguises it wore."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Plain:
    """The message as the guards read it, and the disguises found."""

    text: str
    lookalikes: bool = False
    spaced: bool = False
    leet: bool = False
    invisible: bool = False

    @property
    def disguised(self) -> bool:
        return self.lookalikes or self.spaced or self.leet or self.invisible


def plain(text: str) -> Plain:
    """Compatibility forms folded (full-width letters, ligatures), invisible characters dropped, look-alike
    letters read as Latin, spaced letters joined, digits read as the letters they stand for. Every step is one
    pass over the text (the patterns are linear on the bounded message)."""
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
                 invisible=len(visible) != len(folded))  # fmt: skip
