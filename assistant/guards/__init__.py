"""Guards: small checks that decline a message the notice must not answer, each built from the language packs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.guards.injection import injection_pattern
from assistant.guards.names import NamesGuard
from assistant.guards.other_person import OtherPersonGuard
from assistant.guards.small_talk import SmallTalk
from assistant.langpack import LanguagePack


@dataclass(frozen=True)
class Verdict:
    """Why a message is declined ("injection", "other_person", "unknown_name"), with what the reply names."""

    reason: str
    values: dict[str, str]


@dataclass(frozen=True)
class Guards:
    """Every guard, compiled once per corpus and set of language packs."""

    small_talk: SmallTalk
    injection: re.Pattern[str]
    other_person: OtherPersonGuard
    names: NamesGuard

    @classmethod
    def build(cls, packs: dict[str, LanguagePack], vocabulary: set[str], facts: dict[str, Any]) -> Guards:
        data = {code: {**pack.data, "function_words": sorted(pack.function_words)} for code, pack in packs.items()}
        return cls(
            small_talk=SmallTalk.from_packs(data),
            injection=injection_pattern(data.values()),
            other_person=OtherPersonGuard.from_packs(data.values()),
            names=NamesGuard.build(vocabulary, data.values(), facts),
        )

    def check(self, text: str) -> Verdict | None:
        """The first guard that declines the (redacted, cleaned) message, in order: injection, someone else's
        data, then names the notice never mentions."""
        if self.injection.search(text):
            return Verdict("injection", {})
        if self.other_person.asks_for_someone_elses_data(text):
            return Verdict("other_person", {})
        names = self.names.unknown_names(text) + self.names.other_companies(text)
        if names:  # a law, body, site or company the notice never names: a passage that looks near is not about it
            return Verdict("unknown_name", {"name": ", ".join(names)})
        return None
