"""Precise facts: which one a question asks (a past incident, artificial intelligence, biometrics, a legal article or
registration number, a duration, a number, an amount, a person's name, an e-mail address, a postal address, a place,
a date, a format or technology, names, a phone number, the notice's own date), and whether the quotes state it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.guards.words import alternatives, whole_words
from assistant.langpack import LanguagePack
from assistant.lexicon import first_names
from assistant.privacy_numbers import EMAIL
from assistant.text import fold

WORD = re.compile(r"\w+")
COUNTED_MIN = 4  # shorter words after "how many" are articles and pronouns ("of my", "de", "les")
PHONE = re.compile(r"\+?\d[\d ./-]{6,18}\d")
DATE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:19|20)\d{2}\b")
NEVER = re.compile("(?!)")  # a pattern that matches nothing: a fact word list a pack does not have
# A law's article ("Article 6") or a registration number ("R.C.S. Luxembourg B-101818" ends with "B-101818")
REFERENCE = re.compile(r"\b(?:[Aa]rticle|[Aa]rtikel|[Aa]rt\.)\s?\d|\b(?:R\.?C\.?S\.?|B|BE|LU)[\s-]?\d{5,}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}-\d{4}\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b")  # L-1855, EC2A 2FA


def _words(entries: Any) -> str:
    return alternatives(fold(str(e)) for e in entries or [])


@dataclass(frozen=True)
class LanguageFacts:
    """One language's patterns: what asks each fact, in the pack's order, and what shows a quote states it."""

    asked: tuple[tuple[str, re.Pattern[str]], ...]
    names: dict[str, str]  # how a reply names each fact ("the exact duration")
    stated: dict[str, Callable[[str], bool]]
    own_name: re.Pattern[str]  # the company's own names, never what a question counts
    list_asked: re.Pattern[str] = NEVER  # names asked as a list ("which subsidiaries"): two must be named
    named: Callable[[str], int] = lambda quote: 0  # how many different names a quote holds
    storage: re.Pattern[str] = NEVER  # where data is kept ("servers", "stored"): a place's subject
    own: dict[str, re.Pattern[str]] = field(default_factory=dict)  # per kind, the customer's own ("my phone number")
    which: re.Pattern[str] = NEVER  # a bare "which ones?": asks names only where parties are named
    parties: re.Pattern[str] = NEVER  # who can be named ("companies", "sellers", "who")
    notice_date: re.Pattern[str] = NEVER  # when the notice was last changed ("when was it last updated?")
    upcoming: re.Pattern[str] = NEVER  # the next change asked ("the next update"): the last one's date does not say
    city_asked: re.Pattern[str] = NEVER  # a town asked ("in which city?"): a country does not state it
    cities: re.Pattern[str] = NEVER  # the towns a quote may name
    offered: re.Pattern[str] = NEVER  # durations offered as a choice ("7 ans ou 10 ans ?")

    def counted(self, question: str) -> list[str]:
        """What a question asking a number counts: the first word after its cue ("how many amazon [staff]")."""
        cue = dict(self.asked).get("number")
        found = cue.search(fold(question)) if cue else None
        if found is None:
            return []
        after = WORD.findall(fold(question)[found.end():found.end() + 60])[:3]
        return [w for w in after if len(w) >= COUNTED_MIN and not self.own_name.fullmatch(w)][:1]


@dataclass(frozen=True)
class PreciseFacts:
    """Every served language's patterns, compiled once per set of language packs and corpus facts."""

    languages: dict[str, LanguageFacts]

    @classmethod
    def build(cls, packs: dict[str, LanguagePack], facts: dict[str, Any]) -> PreciseFacts:
        return cls({code: _language(pack, facts) for code, pack in packs.items() if pack.get("precise_facts")})

    def asked(self, text: str, language: str, earlier: str = "") -> str | None:
        """The precise fact the question asks (the first of the pack's kinds whose phrases it holds), if any;
        `earlier` is the conversation's earlier messages, which a bare "which ones?" points back to."""
        kinds = self._kinds_asked(text, language, earlier)  # lazily: the kinds after the first are not tried
        return next(kinds, None)

    def all_asked(self, text: str, language: str, earlier: str = "") -> list[str]:
        """Every precise fact the question asks, in the pack's order ("which companies are the controllers and
        what's the phone number of their office?" asks names, then a phone number)."""
        return list(self._kinds_asked(text, language, earlier))

    def _kinds_asked(self, text: str, language: str, earlier: str) -> Iterator[str]:
        """The kinds whose phrases the question holds, in the pack's order; with none, two durations offered as a
        choice ("7 ans ou 10 ans ?") ask the exact duration."""
        patterns = self.languages.get(language)
        if not patterns:
            return
        folded = fold(text)
        # "which ones?" after "do you share it with other companies?" asks names; after "what do you get from
        # other sources?" it asks examples, which the notice gives.
        which = patterns.which.search(folded) is not None and patterns.parties.search(f"{fold(earlier)} {folded}")
        # "do you sell my phone number?" names the customer's own number as data: it asks no phone number
        found = False
        for kind, pattern in patterns.asked:
            if pattern.search(patterns.own[kind].sub(" ", folded) if kind in patterns.own else folded) or (
                    kind == "names" and which):  # fmt: skip
                found = True
                yield kind
        if not found and patterns.offered.search(folded):
            yield "duration"

    def without_asking(self, text: str, language: str) -> str:
        """The folded text without the phrases that ask a precise fact ("which firms", "name of"): what else it
        names."""
        folded, asked = fold(text), set(self.all_asked(text, language))  # "m'appeler" asks no phone number
        for kind, pattern in self.languages[language].asked if asked else ():
            folded = pattern.sub(" ", folded) if kind in asked else folded
        return folded

    def stated(self, kind: str, quote: str, language: str, question: str = "") -> bool:
        """Whether the quote states the fact; a number states "how many X" only in a quote that names an X."""
        patterns = self.languages.get(language)
        if not (patterns and kind in patterns.stated and patterns.stated[kind](quote)):
            return False
        asking = fold(question)
        if kind == "names" and (patterns.list_asked.search(asking) or patterns.which.search(asking)):
            return patterns.named(quote) >= 2  # "Amazon.com, Inc. and its subsidiaries" names the parent only
        if kind == "place" and patterns.storage.search(asking) and not patterns.storage.search(fold(quote)):
            return False  # where the data is kept, asked: an office's address does not say it
        if kind == "place" and patterns.city_asked.search(asking) and not patterns.cities.search(fold(quote)):
            return False  # a town asked: "the United States" does not say which
        counted = patterns.counted(question) if kind == "number" else []
        return not counted or _names_any(quote, counted)

    def names_parties(self, text: str, language: str) -> bool:
        """Whether the text names parties that can be named ("entreprises", "sellers", "bedrijven"; not "cookies")."""
        patterns = self.languages.get(language)
        return bool(patterns and patterns.parties.search(fold(text)))

    def asks_notice_date(self, text: str, language: str) -> bool:
        """Whether the message asks when the notice was last changed (or whether it is up to date): the date printed
        at the notice's top answers it where the notice's revisions section answers the rest."""
        patterns = self.languages.get(language)
        folded = fold(text)
        return bool(patterns and patterns.notice_date.search(folded) and not patterns.upcoming.search(folded))

    def name(self, kind: str, language: str) -> str:
        patterns = self.languages.get(language)
        return patterns.names.get(kind, kind) if patterns else kind


def _names_any(text: str, words: list[str]) -> bool:
    """Whether the text holds one of the words, plural or singular (a shared stem of at least 4 letters)."""
    held = WORD.findall(fold(text))
    return any(h[:stem] == w[:stem] for w in words for h in held if (stem := min(5, len(w), len(h))) >= COUNTED_MIN)


def _language(pack: LanguagePack, facts: dict[str, Any]) -> LanguageFacts:
    kinds: dict[str, Any] = pack.get("precise_facts") or {}
    words: dict[str, Any] = pack.get("fact_words") or {}
    # A kind's list phrases ("which companies", its `asked_list`) ask it too, beside its `asked` ("which company").
    asked = tuple((kind, whole_words(_words([*(spec.get("asked") or []), *(spec.get("asked_list") or [])])))
                  for kind, spec in kinds.items())  # fmt: skip
    number = rf"(?:\d+(?:[.,]\d+)?|(?<!\w)(?:{_words(words.get('numbers'))})(?!\w))"
    unit = rf"(?:{_words(words.get('units'))})(?!\w)"
    currency = _words(words.get("currency"))
    months = _words(words.get("months"))
    streets = _words(words.get("streets"))
    duration = re.compile(rf"{number}\s*(?:\w+\s+){{0,2}}?{unit}")
    offered = re.compile(rf"(?<![\w.,])\d+\s*{unit}\s+(?:{_words(words.get('choice'))})\s+\d+\s*{unit}")
    numeral = re.compile(number)
    amount = re.compile(rf"\d[\d.,  ]{{0,12}}\s?(?:{currency})|(?:{currency})\s?\d")
    free = whole_words(_words(words.get("free")))  # no amount to pay: "free of charge", "gratuitement"
    places = whole_words(_words(words.get("places")))
    dated = re.compile(rf"(?<!\w)(?:{months})\s+\d{{4}}|\b\d{{1,2}}\s+(?:{months})(?!\w)")
    street = re.compile(rf"\d+\s*,?\s*(?:{streets})(?!\w)|(?<!\w)(?:{streets})\s+\D{{1,40}}?\d")
    technical = whole_words(_words(words.get("technical")))
    ai_words = whole_words(_words(words.get("ai")))
    biometric_words = whole_words(_words(words.get("biometrics")))
    # Names are stated by another company's name or by a company's legal name ("Amazon EU SARL", "Amazon.com,
    # Inc."): "Amazon" alone, in "relevant Amazon ads", names nobody the customer asked about.
    other_names = whole_words(_words(facts.get("other_companies", [])))
    legal_name = re.compile(rf"(?<!\w)(?:{_words(facts.get('own_names', []))})(?:\W{{1,3}}\w{{1,40}}){{0,4}}?"
                            rf"\W{{1,3}}(?:{_words(facts.get('legal_forms', []))})(?!\w)")  # fmt: skip
    known_first = {fold(n) for locale in pack.name_locales for n in first_names(locale)}

    # A name after a street word names a street ("38 avenue John F. Kennedy"), not a person one can write to
    street_words = {fold(str(w)) for w in words.get("streets") or []}

    def person(quote: str) -> bool:  # a first name followed by a capitalised word: "Jane Doe"
        tokens = quote.split()
        return any(fold(a) in known_first and b[:1].isupper() and fold(before).rstrip(".") not in street_words
                   for before, a, b in zip(["", *tokens], tokens, tokens[1:], strict=False))  # fmt: skip

    stated: dict[str, Callable[[str], bool]] = {
        "incident": lambda q: DATE.search(q) is not None,  # an incident reported would be dated
        "reference": lambda q: REFERENCE.search(q) is not None,
        "ai": lambda q: ai_words.search(fold(q)) is not None,
        "biometrics": lambda q: biometric_words.search(fold(q)) is not None,
        "duration": lambda q: duration.search(fold(q)) is not None,
        "number": lambda q: numeral.search(fold(q)) is not None,
        "amount": lambda q: amount.search(fold(q)) is not None or free.search(fold(q)) is not None,
        # "c'est qui exactement le responsable ?": a company's legal name answers who, as a person's name does
        "person": lambda q: person(q) or legal_name.search(fold(q)) is not None,
        "place": lambda q: places.search(fold(q)) is not None,
        "date": lambda q: DATE.search(q) is not None or dated.search(fold(q)) is not None,
        "technical": lambda q: technical.search(fold(q)) is not None,
        "names": lambda q: other_names.search(fold(q)) is not None or legal_name.search(fold(q)) is not None,
        "phone": lambda q: PHONE.search(q) is not None,
        "email": lambda q: EMAIL.search(q) is not None,
        "address": lambda q: POSTCODE.search(q) is not None or street.search(fold(q)) is not None,
    }
    own_name = re.compile(rf"(?:{_words(facts.get('own_names', []))})")
    listed = (kinds.get("names") or {}).get("asked_list")
    list_asked = whole_words(_words(listed))  # never matches when the pack lists none

    def named(quote: str) -> int:
        folded = fold(quote)
        return len({m.group() for m in other_names.finditer(folded)} | {m.group() for m in legal_name.finditer(folded)})

    storage = whole_words(_words(words.get("storage")))
    own = {kind: whole_words(_words(spec["own"])) for kind, spec in kinds.items() if spec.get("own")}
    which = whole_words(_words((kinds.get("names") or {}).get("asked_which")))
    parties = whole_words(_words(words.get("parties")))
    date_spec = pack.get("notice_date") or {}
    notice_date, upcoming = whole_words(_words(date_spec.get("asked"))), whole_words(_words(date_spec.get("upcoming")))
    city_asked = whole_words(_words((kinds.get("place") or {}).get("asked_city")))
    cities = whole_words(_words(words.get("cities")))
    return LanguageFacts(asked, {kind: str(spec.get("name", kind)) for kind, spec in kinds.items()}, stated, own_name,
                         list_asked, named, storage, own, which, parties, notice_date, upcoming, city_asked,
                         cities, offered)  # fmt: skip
