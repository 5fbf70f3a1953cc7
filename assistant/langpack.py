"""Language packs: each language's words, phrases, reply templates and interface strings, read from YAML files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.text import LETTERS, fold, load_yaml

PACKS_DIR = Path(__file__).resolve().parent / "langpacks"


class LanguagePackError(ValueError):
    """A language pack file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class RedactionWords:
    """What finds a name, a date of birth or a street address in one language."""

    introductions: tuple[str, ...] = ()  # always followed by a name: "je m'appelle", "mijn naam is"
    maybe_introductions: tuple[str, ...] = ()  # followed by a name only if it looks like one: "je suis", "ik ben"
    weak_introductions: tuple[str, ...] = ()  # followed by a name only if it is a known first name: "met Els"
    closings: tuple[str, ...] = ()  # a name that ends the message after these is a signature: "cordialement"
    titles: tuple[str, ...] = ()  # "madame", "mevrouw", "mr"
    name_particles: tuple[str, ...] = ()  # "van", "de", "le"
    not_names: tuple[str, ...] = ()  # capitalised words that are never a name: "Amazon", "Belgique"
    months: tuple[str, ...] = ()
    birth_words: tuple[str, ...] = ()  # "né le", "geboren", "date of birth"
    street_words: tuple[str, ...] = ()  # before the street's name: "rue", "avenue"
    street_words_weak: tuple[str, ...] = ()  # the same, but everyday words too: only before a capitalised name
    street_suffixes: tuple[str, ...] = ()  # ending the street's name: "straat", "markt"
    street_words_after: tuple[str, ...] = ()  # after the street's name, the number first: "Street", "Road"
    dwelling_words: tuple[str, ...] = ()  # open an address with a number: "Apartment 12B", "appartement 3"
    relations: tuple[str, ...] = ()  # a name may follow: "ma fille", "my wife", "mijn zoon"
    speaker_markers: tuple[str, ...] = ()  # follow the speaker's name: "Bram hier", "Sophie ici"
    greetings: tuple[str, ...] = ()  # may come before a speaker's name: "bonjour, Sophie ici"
    conjunctions: tuple[str, ...] = ()  # join two names: "Claude et Marie ici"
    card_expiry: tuple[str, ...] = ()  # announce a card's expiry date: "exp 09/27"
    email_at: tuple[str, ...] = ()  # spelled-out e-mail addresses: "tom at gmail dot com"
    email_dot: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: packs are loaded once per folder
class LanguagePack:
    """One language: its code, names and every word list, phrase and template the stages need."""

    code: str
    name: str  # in the language itself: "français"
    wordfreq: str  # wordfreq's code for its everyday-word list
    name_locales: tuple[str, ...]  # Faker locales whose first names are common in this language's countries
    function_words: frozenset[str]
    redaction: RedactionWords
    data: dict[str, Any] = field(default_factory=dict)  # the rest of the file, by top-level key

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @cached_property
    def fillers(self) -> frozenset[str]:
        """Fillers ("ok", "please") and small-talk words ("merci", "hallo"), folded."""
        words = set(self.data.get("fillers", []))
        for entries in (self.data.get("small_talk") or {}).values():
            words.update(w for entry in entries for w in str(entry).split())
        return frozenset(fold(w) for w in words)

    @cached_property
    def acknowledgements(self) -> frozenset[str]:
        """The words of acknowledgements ("je vois", "got it"), folded: with the fillers, what may come before a
        change marker that is then left out of the query ("ok je vois. sinon ...")."""
        entries = self.data.get("acknowledgements", [])
        return frozenset(fold(word) for entry in entries for word in LETTERS.findall(str(entry)))

    @cached_property
    def _contractions(self) -> tuple[dict[str, str], re.Pattern[str]]:
        spelled = {str(k).casefold(): str(v) for k, v in (self.data.get("contractions") or {}).items()}
        words = "|".join(re.escape(k) for k in sorted(spelled, key=len, reverse=True)) or "(?!)"
        return spelled, re.compile(rf"(?<![\w'’])(?:{words})(?![\w'’])", re.IGNORECASE)

    def expand(self, text: str) -> str:
        """The text with its contractions typed fast written in full ("jveux" -> "je veux", "kwil" -> "ik wil")."""
        spelled, pattern = self._contractions
        return pattern.sub(lambda m: spelled[m.group().casefold()], text) if spelled else text

    @cached_property
    def common_words(self) -> frozenset[str]:
        """Words that name no topic, folded: function words, fillers and small-talk words."""
        return frozenset(fold(w) for w in self.function_words) | self.fillers

    @property
    def order(self) -> int:
        """Where the language comes among the others (small talk valid in several is answered in the first)."""
        return int(self.data.get("order", 100))

    def reply(self, key: str) -> str:
        """A reply template ("lead_in", "decline.not_covered", ...)."""
        value: Any = self.data.get("replies", {})
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, str):
            raise LanguagePackError(f"the {self.code} language pack has no reply '{key}'")
        return value

    def ui(self, key: str, fallback: LanguagePack | None = None) -> str:
        """An interface string; from the fallback pack (English) when this pack lacks it."""
        value = (self.data.get("ui") or {}).get(key)
        if value is None and fallback is not None and fallback is not self:
            return fallback.ui(key)
        return str(value or "")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(value.split())
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LanguagePackError(f"{where}: expected a list of strings")
    return tuple(value)


def parse_pack(data: dict[str, Any], path: Path) -> LanguagePack:
    """A pack from its YAML mapping; LanguagePackError names what is missing or malformed."""
    for key in ("code", "name"):
        if not isinstance(data.get(key), str):
            raise LanguagePackError(f"{path}: '{key}' is required")
    flags = _booleans_in_lists(data)
    if flags:  # YAML reads an unquoted on/off/yes/no as true/false: the word would silently be lost
        raise LanguagePackError(f"{path}: quote the words read as true/false in {', '.join(flags)}")
    redaction = data.get("redaction") or {}
    if not isinstance(redaction, dict):
        raise LanguagePackError(f"{path}: 'redaction' must be a mapping")
    known = RedactionWords.__dataclass_fields__
    unknown = set(redaction) - set(known)
    if unknown:
        raise LanguagePackError(f"{path}: unknown redaction keys {sorted(unknown)}")
    words = RedactionWords(**{k: _strings(v, f"{path}: redaction.{k}") for k, v in redaction.items()})
    rest = {k: v for k, v in data.items() if k not in ("code", "name", "wordfreq", "name_locales", "function_words",
                                                        "redaction")}  # fmt: skip
    return LanguagePack(
        code=data["code"],
        name=data["name"],
        wordfreq=str(data.get("wordfreq", data["code"])),
        name_locales=_strings(data.get("name_locales"), f"{path}: name_locales"),
        function_words=frozenset(w.casefold() for w in _strings(data.get("function_words"), f"{path}: function_words")),
        redaction=words,
        data=rest,
    )


def _booleans_in_lists(value: Any, where: str = "") -> list[str]:
    """Where a list holds a true/false (an unquoted "on", "no" …), as dotted keys."""
    if isinstance(value, dict):
        return [f for key, item in value.items() for f in _booleans_in_lists(item, f"{where}.{key}".lstrip("."))]
    if isinstance(value, list):
        return [where] if any(isinstance(item, bool) for item in value) else []
    return []


def packs_dir() -> Path:
    """The folder of language packs: ASSISTANT_LANGPACKS_DIR, else the packs shipped with the package."""
    return Path(os.environ.get("ASSISTANT_LANGPACKS_DIR") or PACKS_DIR)


@lru_cache(maxsize=4)
def _load(directory: Path) -> dict[str, LanguagePack]:
    packs: dict[str, LanguagePack] = {}
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise LanguagePackError(f"{path}: not valid YAML ({exc})") from None
        if not isinstance(data, dict):
            raise LanguagePackError(f"{path}: must be a mapping")
        pack = parse_pack(data, path)
        if pack.code != path.stem:
            raise LanguagePackError(f"{path}: code '{pack.code}' does not match the file name")
        packs[pack.code] = pack
    if not packs:
        raise LanguagePackError(f"{directory}: no language pack (<code>.yaml) found")
    return dict(sorted(packs.items(), key=lambda item: (item[1].order, item[0])))


def load_packs(directory: Path | None = None) -> dict[str, LanguagePack]:
    """Every language pack of the folder, by language code (read once per folder)."""
    return _load((directory or packs_dir()).resolve())
