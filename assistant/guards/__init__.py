"""Guards: small checks on a message before retrieval, each built from the language packs: small talk, the
signals of attacks (read by the message-type classifier), and names the notice never mentions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.guards.names import NamesGuard, guessed
from assistant.guards.organisations import OrganisationsGuard
from assistant.guards.signals import Signals
from assistant.guards.small_talk import SmallTalk
from assistant.langpack import LanguagePack


@dataclass(frozen=True)
class Verdict:
    """Why a message is declined ("injection", "internals", "other_person", "authority", "account_action",
    "unknown_name", "other_organisation"), with what the reply names."""

    reason: str
    values: dict[str, str]


@dataclass(frozen=True)
class Guards:
    """Every guard, compiled once per corpus and set of language packs."""

    small_talk: SmallTalk
    signals: Signals
    names: NamesGuard
    organisations: OrganisationsGuard

    @classmethod
    def build(cls, packs: dict[str, LanguagePack], vocabulary: set[str], facts: dict[str, Any]) -> Guards:
        data = {code: {**pack.data, "code": code, "function_words": sorted(pack.function_words)}
                for code, pack in packs.items()}  # fmt: skip
        names = NamesGuard.build(vocabulary, data.values(), facts)
        return cls(
            small_talk=SmallTalk.from_packs(data),
            signals=Signals.from_packs(data.values()),
            names=names,
            organisations=OrganisationsGuard.build(data.values(), names.addresses_owner),
        )

    def check(self, text: str, language: str | None = None, guessing: bool = False, topic: str = "") -> Verdict | None:
        """A law, body, site or company the notice never names: a passage that looks near is not about it. Companies
        a message in a conversation offers as guesses (`guessing`: it asks the names) at the list the topic is about
        ("welke advertentiebedrijven zijn dat? google? meta?" after a question on ads) are not its subject. The
        customer's own bank or employer is asked about on its own account unless the message or the `topic` it
        continues speaks to Amazon."""
        companies = self.names.other_companies(text, language)
        if guessing:
            companies = [c for c in companies if not guessed(text, c)]
        names = self.names.unknown_names(text, language) + companies
        if names:
            return Verdict("unknown_name", {"name": ", ".join(names)})
        organisations = self.organisations.asked(text, language, topic)  # "what does my bank do with my data?"
        return Verdict("other_organisation", {"name": organisations[0]}) if organisations else None
