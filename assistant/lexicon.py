"""Each language's everyday words (wordfreq) and first names (Faker), read from those packages once, then kept in
small cache files: loading the packages themselves cost a second at every start."""

from __future__ import annotations

import json
import logging
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
PARTS = re.compile(r"[^\w]+")  # what splits a word into parts: apostrophes, hyphens
COMMON = 2.5  # Zipf frequency (log10 of uses per billion words) from which a word is an everyday word
KEPT = 30_000  # at least this many of the most frequent words are kept, however rare


@dataclass(frozen=True)
class Lexicon:
    """One language's most frequent words, most frequent first; `common` of them have a Zipf frequency >= COMMON."""

    language: str
    words: tuple[str, ...]
    frequencies: tuple[float, ...]  # each word's frequency (uses per word), as wordfreq gives it
    common: int
    common_words: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "common_words", frozenset(self.words[: self.common]))

    def top(self, count: int) -> tuple[str, ...]:
        """The `count` most frequent words (wordfreq's top_n_list, up to the words kept)."""
        return self.words[:count]

    def zipf_of(self, word: str) -> float:
        """A kept word's Zipf frequency (0 for a word not kept)."""
        rank = self.ranks.get(word)
        return zipf(self.frequencies[rank]) if rank is not None else 0.0

    @cached_property
    def ranks(self) -> dict[str, int]:
        """Each kept word's rank, built at the first lookup (only the speller's check of misspellings needs it)."""
        return {word: rank for rank, word in enumerate(self.words)}

    def is_common(self, word: str) -> bool:
        """True for an everyday word of the language: wordfreq's Zipf frequency >= COMMON, looked up in the kept
        words (every common word is kept). A word of several parts ("l'adresse", "cookie-instellingen") counts
        when each part does; wordfreq would combine their frequencies, but importing it costs half a second."""
        parts = [part for part in PARTS.split(word.lower()) if part]
        return bool(parts) and all(part in self.common_words for part in parts)


def zipf(frequency: float) -> float:
    """wordfreq's Zipf value of a frequency: rounded to three significant digits, then to two decimals."""
    if frequency <= 0:
        return 0.0
    rounded = round(frequency, math.floor(-math.log10(frequency)) + 2)
    return round(math.log10(rounded) + 9, 2)


def compute(language: str) -> Lexicon:
    """The lexicon from wordfreq's lists: its words in rank order (as its top_n_list gives them)."""
    from wordfreq import get_frequency_dict, top_n_list

    frequencies = get_frequency_dict(language)
    words: list[str] = []
    common = 0
    for word in top_n_list(language, len(frequencies)):  # without digit sequences, as everywhere
        if zipf(frequencies[word]) >= COMMON:
            common = len(words) + 1  # the list is in rank order: the common words are a prefix of it
        elif len(words) >= KEPT:
            break
        words.append(word)
    return Lexicon(language, tuple(words), tuple(frequencies[w] for w in words), common)


@lru_cache(maxsize=8)
def load_lexicon(language: str, cache_dir: Path | None = None) -> Lexicon:
    """The language's lexicon, from the cache file when it was made by the installed wordfreq, else computed
    and cached. `cache_dir` defaults to the settings' cache folder."""
    name = f"{language}-wordfreq-{version('wordfreq')}-{COMMON}-{KEPT}.json"
    data = cached(name, cache_dir, lambda: _as_data(compute(language)))
    return Lexicon(language, tuple(data["words"]), tuple(data["frequencies"]), int(data["common"]))


@lru_cache(maxsize=8)
def first_names(locale: str, cache_dir: Path | None = None) -> tuple[str, ...]:
    """First names of a Faker locale ("fr_FR", "nl_BE": MIT-licensed lists shipped in the package), cached: Faker
    itself takes a fifth of a second to import."""

    def read() -> dict[str, Any]:
        import importlib

        names: list[str] = []
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:
            return {"names": []}
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attribute, ())
            names.extend(value.keys() if isinstance(value, dict) else value)
        return {"names": names}

    return tuple(cached(f"first-names-{locale}-faker-{version('faker')}.json", cache_dir, read)["names"])


def _as_data(lexicon: Lexicon) -> dict[str, Any]:
    return {"words": lexicon.words, "frequencies": lexicon.frequencies, "common": lexicon.common}


def cached(name: str, cache_dir: Path | None, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A JSON object kept in the cache folder's lexicon/ under `name` (which names its sources' versions): read
    when there, else made and written (aside, then renamed; a read-only folder only costs the time next start)."""
    if cache_dir is None:
        from assistant.settings import Settings

        cache_dir = Settings.from_env().cache_dir
    path = cache_dir / "lexicon" / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    except (OSError, ValueError):
        pass
    data = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        log.warning("not cached", extra={"path": str(path), "error": str(exc)})
    return data
