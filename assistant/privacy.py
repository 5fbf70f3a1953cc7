"""Redacting a customer's personal details into typed placeholders ([NAME], [EMAIL], ...) before anything reads them."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from assistant.langpack import LanguagePack, RedactionWords, load_packs
from assistant.lexicon import first_names, load_lexicon
from assistant.privacy_addresses import AddressFinder
from assistant.privacy_names import NameFinder
from assistant.privacy_numbers import (
    CARD,
    EMAIL,
    IBAN,
    LONG_NUMBER,
    NATIONAL,
    ORDER,
    PHONE,
    card_like,
    iban_length,
    iban_like,
)
from assistant.privacy_words import Span
from assistant.text import fold

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
ISO_DATE = re.compile(r"(?:19|20)\d{2}-\d{2}-\d{2}")
KEY_WORD = re.compile(r"[^\W\d_]{3,}|\d+")
DIGIT = re.compile(r"\d")
FOLDED_BIRTH_WORD = 7  # "date de naissance" typed without accents still counts; "ne", "nee" are other words

PLACEHOLDERS = ("NAME", "EMAIL", "PHONE", "ADDRESS", "ORDER", "IBAN", "CARD", "NATIONAL_NUMBER", "BIRTH_DATE",
                "NUMBER")  # fmt: skip
PLACEHOLDER = re.compile(r"\[(?:" + "|".join(PLACEHOLDERS) + r")\]")


@dataclass(frozen=True)
class Redaction:
    """A text with the personal details it held replaced by typed placeholders, and the kinds found."""

    text: str
    kinds: tuple[str, ...]  # e.g. ("EMAIL", "NAME"), in order of first appearance

    @property
    def found(self) -> bool:
        return bool(self.kinds)


class Redactor:
    """Finds and replaces personal details: numbers by their patterns, dates, addresses and names by each
    language's words (see the `redaction` part of the language packs)."""

    def __init__(self, words: dict[str, RedactionWords], first_names: frozenset[str], common: frozenset[str],
                 known: frozenset[str] = frozenset(), public: tuple[str, ...] = ()) -> None:  # fmt: skip
        """`first_names`: folded first names; `common`: folded everyday words, which are never taken for a name;
        `known`: more of the languages' words; `public`: contact details printed in the notice, never redacted."""
        self.names = NameFinder(words, first_names, common, known)
        self.public = [_key_words(p) for p in public]
        self.addresses = AddressFinder(words)
        months = sorted({v for w in words.values() for m in w.months for v in (m, fold(m))}, key=len, reverse=True)
        month = "|".join(re.escape(m) for m in months) or "(?!)"
        day = r"(?:0?[1-9]|[12]\d|3[01])(?:er|st|nd|rd|th)?"
        # Full dates, tried only around a year (see _dates): 12/03/1985, 1985-03-12, 3 mai 1990, March 12, 1985.
        self.date = re.compile(
            rf"(?<![\w./-])(?:{day}[./-](?:0?[1-9]|1[0-2])[./-]|{day}\s{{1,3}}(?:(?:of|de)\s{{1,3}})?(?:{month})\.?,?\s{{1,3}}"
            rf"|(?:{month})\.?\s{{1,3}}{day},?\s{{1,3}})?(?:19|20)\d{{2}}(?:-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01]))?"
            rf"(?![\w])",
            re.IGNORECASE,
        )
        # Whole words only, and a birth word typed without its accents only when long enough not to be another
        # word: "né" folds to French "ne" (je ne sais pas), "née" to Dutch "nee" (no).
        typed = {b for w in words.values() for b in w.birth_words}
        births = sorted(typed | {fold(b) for b in typed if len(b) >= FOLDED_BIRTH_WORD}, key=len, reverse=True)
        self.birth_context = re.compile(
            rf"(?<![\w])(?:{'|'.join(re.escape(b) for b in births) or '(?!)'})(?![\w])", re.IGNORECASE
        )
        # After a birth word, a date with a two-digit year counts too ("DDN 02/06/95", "geb. 04/04/04").
        self.short_date = re.compile(
            rf"\s{{0,3}}[:(°]?\s{{0,3}}(?:(?:the|le|op|on)\s{{1,3}})?(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2}}(?:\d{{2}})?"
            rf"|{day}\s{{1,3}}(?:(?:of|de)\s{{1,3}})?(?:{month})\.?,?\s{{1,3}}(?:(?:19|20)\d{{2}}|['’]?\d{{2}}))"
            rf"(?![\w/.-]\d)",
            re.IGNORECASE,
        )
        expiry = sorted({re.escape(e) for w in words.values() for e in w.card_expiry}, key=len, reverse=True)
        # A card's expiry date after its announcing word ("exp 09/27", "vervalt 11/26").
        self.card_expiry = re.compile(
            rf"(?<![\w])(?:{'|'.join(expiry) or '(?!)'})\.?\s{{0,3}}:?\s{{0,3}}"
            rf"(?:0[1-9]|1[0-2])\s?/\s?(?:\d{{2}}|20\d{{2}})(?![\w/])",
            re.IGNORECASE,
        )
        conjunctions = "|".join(sorted({re.escape(c) for w in words.values() for c in w.conjunctions})) or "(?!)"
        capital = r"[A-ZÀ-Ý][\w'’-]{1,30}"
        joined = rf"\s{{1,2}}(?:{conjunctions}|&)\s{{1,2}}"
        self.beside_name = re.compile(
            rf"(?<![\w])(?:(?P<before>{capital}){joined}\[NAME\]|\[NAME\]{joined}(?P<after>{capital}))(?![\w])"
        )
        self.month = re.compile(rf"(?<![\w])(?:{month})(?![\w])", re.IGNORECASE)
        self.words_date = re.compile(r"\s{0,3}[:(°]?[^\W\d][^.,;!?()\n\d]{3,80}")
        self.apostrophe_date = re.compile(
            rf"(?<![\w./-]){day}\s{{1,3}}(?:{month})\.?,?\s{{1,3}}['’](?P<yy>\d{{2}})(?![\w])", re.IGNORECASE
        )
        at = sorted({re.escape(a) for w in words.values() for a in w.email_at}, key=len, reverse=True)
        dot = sorted({re.escape(d) for w in words.values() for d in w.email_dot}, key=len, reverse=True)
        dots, ats = "|".join(dot) or "(?!)", "|".join(at) or "(?!)"
        sep = rf"\s{{1,2}}(?:{dots})\s{{1,2}}|\s?[(\[](?:{dots})[)\]]\s?"
        # Spelled-out e-mail addresses: "tom dot harris at protonmail dot com", "jan(at)telenet(dot)be".
        self.spelled_email = re.compile(
            rf"(?<![\w.])[\w.-]{{1,30}}(?:(?:{sep})[\w-]{{1,30}}){{0,3}}(?:\s{{1,2}}(?:{ats})\s{{1,2}}|\s?[(\[](?:{ats})[)\]]\s?)"
            rf"[\w-]{{1,30}}(?:(?:{sep})[\w-]{{1,20}}){{0,2}}(?:{sep})[a-z]{{2,6}}(?![\w])",
            re.IGNORECASE,
        )

    def redact(self, text: str) -> Redaction:
        """The text with every personal detail found replaced by its placeholder."""
        if not text:
            return Redaction(text, ())
        kinds: list[str] = []

        def put(kind: str) -> Callable[[re.Match[str]], str]:
            def replace(match: re.Match[str]) -> str:
                if kind not in kinds:
                    kinds.append(kind)
                return f"[{kind}]"

            return replace

        def private(kind: str) -> Callable[[re.Match[str]], str]:
            return lambda m: m.group() if self.is_public(m.group()) else put(kind)(m)

        def iban(match: re.Match[str]) -> str:
            found = match.group()
            end = iban_length(found)  # the words the pattern ran on into stay
            return (put("IBAN")(match) if iban_like(found[:end]) else found[:end]) + found[end:]

        text = EMAIL.sub(private("EMAIL"), text) if "@" in text else text
        text = self.spelled_email.sub(put("EMAIL"), text)
        if DIGIT.search(text):
            text = ORDER.sub(put("ORDER"), text)
            text = IBAN.sub(iban, text)
            text = CARD.sub(lambda m: put("CARD")(m) if card_like(m.group()) else m.group(), text)
            text = self.card_expiry.sub(put("CARD"), text)
            text = NATIONAL.sub(put("NATIONAL_NUMBER"), text)
            text = PHONE.sub(put("PHONE"), text)
            text = _replace(text, self._birth_dates(text), "BIRTH_DATE", kinds)
            addresses = [s for s in self.addresses.spans(text) if not self.is_public(text[s.start : s.end])]
            text = _replace(text, addresses, "ADDRESS", kinds)
            text = LONG_NUMBER.sub(lambda m: m.group() if ISO_DATE.fullmatch(m.group()) else put("NUMBER")(m), text)
        text = _replace(text, self.names.spans(text), "NAME", kinds)
        if "[NAME]" in text:  # "Grace and [NAME]": a capitalised word joined to a name by "and" is a name too
            text = self.beside_name.sub(_name_beside, text)
        return Redaction(text, tuple(kinds))

    def is_public(self, detail: str) -> bool:
        """A detail printed in the notice ("38 avenue JF Kennedy"): its numbers and one of its words are a public
        contact's."""
        numbers, words = _key_words(detail)
        if not numbers:  # an e-mail address: only the very same
            return any(words == w for n, w in self.public if not n)
        return any(numbers <= n and words & w for n, w in self.public)

    def _birth_dates(self, text: str) -> list[Span]:
        """Full dates of birth: a date with a birth word just before it, or one so far back that it cannot be an
        order's or the notice's (a customer born then is at least twelve). Looked for only around a year."""
        spans: list[Span] = []
        for year in YEAR.finditer(text):
            window_start = max(0, year.start() - 20)
            for match in self.date.finditer(text, window_start, year.end() + 6):
                if not match.start() <= year.start() < match.end() or len(match.group()) == 4:
                    continue  # a bare year is not a date
                birth = self.birth_context.search(text, max(0, match.start() - 40), match.start())
                if birth or int(year.group()) <= date.today().year - 12:
                    spans.append(Span(match.start(), match.end()))
                break
        for birth in self.birth_context.finditer(text):
            short = self.short_date.match(text, birth.end())
            if short:
                digits = re.search(r"\d", short.group())
                spans.append(Span(short.start() + (digits.start() if digits else 0), short.end()))
                continue
            # Written in words ("le vingt-deux mai mille neuf cent soixante-dix"): up to the next punctuation, when
            # a month is named there.
            words = self.words_date.match(text, birth.end())
            if words and self.month.search(words.group()):
                spans.append(Span(words.start() + len(words.group()) - len(words.group().lstrip()), words.end()))
        for match in self.apostrophe_date.finditer(text):
            two_digits = int(match.group("yy"))
            if two_digits > date.today().year % 100:  # '94 is 1994: a birth date; '23 may be an order's
                spans.append(Span(match.start(), match.end()))
        return spans


def _name_beside(match: re.Match[str]) -> str:
    word = match.group("before") or match.group("after")
    return match.group().replace(word, "[NAME]", 1)


def _key_words(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The numbers and the words of three letters or more of a detail, folded."""
    parts = KEY_WORD.findall(fold(text))
    return frozenset(p for p in parts if p.isdigit()), frozenset(p for p in parts if not p.isdigit())


def _replace(text: str, spans: list[Span], kind: str, kinds: list[str]) -> str:
    """The text with each span (non-overlapping ones, leftmost first) replaced by the placeholder."""
    if not spans:
        return text
    if kind not in kinds:
        kinds.append(kind)
    out: list[str] = []
    last = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < last:
            continue
        out += [text[last : span.start], f"[{kind}]"]
        last = span.end
    out.append(text[last:])
    return "".join(out)


@lru_cache(maxsize=4)
def redactor_for(packs: tuple[LanguagePack, ...], public: tuple[str, ...] = ()) -> Redactor:
    """The redactor of these language packs, with their languages' first names and words, and the notice's own
    public contact details."""
    common, known = _words(packs, 3000), _words(packs, 30000)
    return Redactor({p.code: p.redaction for p in packs}, _first_names(packs), common, known, public)


def default_redactor() -> Redactor:
    """The redactor of the language packs in use and of the served corpus's public details (corpus/facts.yaml)."""
    return _redactor_of(os.environ.get("ASSISTANT_CORPUS_DIR"), os.environ.get("ASSISTANT_LANGPACKS_DIR"))


@lru_cache(maxsize=4)
def _redactor_of(corpus_dir_variable: str | None, packs_dir_variable: str | None) -> Redactor:
    """Cached by the variables that name the corpus and the packs: reading every setting on each request cost
    0.4 ms."""
    from assistant.settings import Settings

    return redactor_for(tuple(load_packs().values()), _public_details(Settings.from_env().corpus_dir))


@lru_cache(maxsize=4)
def _public_details(corpus_dir: Path) -> tuple[str, ...]:
    from assistant.corpus import load_facts

    return tuple(str(d) for d in load_facts(corpus_dir).get("public_details", ()))


def _first_names(packs: tuple[LanguagePack, ...]) -> frozenset[str]:
    """First names from Faker's person data for the packs' locales (MIT-licensed lists shipped in the package)."""
    names = {fold(name) for pack in packs for locale in pack.name_locales for name in first_names(locale)}
    return frozenset(n for n in names if len(n) >= 2)


def _words(packs: tuple[LanguagePack, ...], count: int) -> frozenset[str]:
    """The `count` most frequent words of each pack's language (wordfreq's lists shipped in the package) and its
    function words, folded."""
    words: set[str] = set()
    for pack in packs:
        try:
            words.update(fold(w) for w in load_lexicon(pack.wordfreq).top(count))
        except LookupError:
            pass
        words.update(fold(w) for w in pack.function_words)
    return frozenset(words)


def redact_details(text: str) -> Redaction:
    """The text with personal details replaced, and the kinds found (see `Redactor.redact`)."""
    return default_redactor().redact(text)


def redact(text: str) -> str:
    """The text with personal details replaced by [NAME], [EMAIL], [PHONE], [ADDRESS], [ORDER], [IBAN], [CARD],
    [NATIONAL_NUMBER], [BIRTH_DATE] or [NUMBER]."""
    return default_redactor().redact(text).text if text else text
