"""The small-talk guard: messages that are only a greeting, thanks, goodbye, a bare request for help or an
acknowledgement ("ah ok", "d'accord")."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from assistant.text import LETTERS, fold, folded_words, without_opening_phrases

KINDS = ("help", "greeting", "thanks", "goodbye")  # the one that asks the most of the assistant first


@dataclass(frozen=True)
class SmallTalk:
    """Each language's small-talk phrases (a phrase may belong to several: "merci" is French and Flemish), and
    the filler words that may come with them without making a question."""

    phrases: tuple[tuple[str, str, frozenset[str]], ...]  # (folded phrase, kind, languages), longest first
    fillers: frozenset[str]
    order: tuple[str, ...]  # languages in the packs' order
    # Per language: the words of its acknowledgements ("je vois", "ok"), and what may come with them (fillers,
    # thanks): a message made only of those, with one of the first, acknowledges an answer.
    acknowledging: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()

    @classmethod
    def from_packs(cls, packs: dict[str, dict[str, Any]]) -> SmallTalk:
        table: dict[str, tuple[str, set[str]]] = {}
        fillers: set[str] = set()
        acknowledging = []
        for code, data in packs.items():
            chat = data.get("small_talk") or {}
            for kind, phrases in chat.items():
                for phrase in phrases:
                    table.setdefault(str(phrase), (str(kind), set()))[1].add(code)
            own_fillers = {fold(str(w)) for w in data.get("fillers") or []}
            fillers.update(own_fillers)
            acknowledgements = folded_words(data.get("acknowledgements") or [])
            thanks = folded_words(chat.get("thanks") or [])
            if acknowledgements:
                allowed = frozenset(acknowledgements | own_fillers | thanks)  # thanks alone is small talk's
                acknowledging.append((code, frozenset(acknowledgements - thanks), allowed))
        phrases = sorted(((p, k, frozenset(langs)) for p, (k, langs) in table.items()), key=lambda item: -len(item[0]))
        return cls(tuple(phrases), frozenset(fillers), tuple(packs), tuple(acknowledging))

    def kind(self, text: str) -> tuple[str, tuple[str, ...]] | None:
        """(kind, languages it may be in) when the message is only small talk, else None."""
        rest = " " + " ".join(LETTERS.findall(fold(text.replace("’", "'")))) + " "
        found: list[tuple[str, frozenset[str]]] = []
        for phrase, kind, langs in self.phrases:
            while f" {phrase} " in rest:
                rest = rest.replace(f" {phrase} ", " ", 1)
                found.append((kind, langs))
        if not found or any(word not in self.fillers for word in rest.split()):
            return None
        kind = min((k for k, _ in found), key=KINDS.index)
        languages = frozenset.intersection(*(langs for k, langs in found if k == kind))
        return kind, tuple(lang for lang in self.order if lang in languages)

    def acknowledges(self, text: str) -> tuple[str, ...]:
        """The languages in which the message only acknowledges ("ah ok", "d'accord", "oké duidelijk"): it asks
        nothing, so it gets a reply in kind, not an answer read from its words ("accord" is not consent)."""
        words = LETTERS.findall(fold(text.replace("’", "'")))
        return tuple(code for code, own, allowed in self.acknowledging
                     if words and any(w in own for w in words) and all(w in allowed for w in words))  # fmt: skip

    def without_opening(self, text: str) -> str:
        """The question without the greeting, thanks or "I have a question" it opens with, which only blur what
        it asks (a held-out typical question behind "bonjour, " found its section 5.6 points less often)."""
        return without_opening_phrases(text, self.opening_words)

    @cached_property
    def opening_words(self) -> tuple[tuple[str, ...], ...]:
        """The phrases as words, in their order (longest first)."""
        return tuple(tuple(phrase.split()) for phrase, _, _ in self.phrases)
