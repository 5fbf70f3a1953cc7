"""The organisations guard: the customer's own bank, employer, insurer or gym asked about on its own account."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.guards.names import asked_part
from assistant.guards.words import alternatives, gather, whole_words

KEYS = ("guards", "other_companies")
CLAUSE_END = re.compile(r"[,;:]\s+")  # "ma banque m'a appelé, comment protéger mes données ?": the last one asks


@dataclass(frozen=True)
class OrganisationWords:
    """One language's words: "my bank" found, unless the question speaks to Amazon, reaches the organisation ("do
    you share it with my bank"), names a thing of the customer's ("my bank card"), or asks what the customer can
    do ("how can I ...": a question about their own data at Amazon)."""

    found: re.Pattern[str]  # the word before, possessive, organisation, the word after
    reaching: frozenset[str]  # "with", "to", "aan": the organisation is where data goes, i.e. what Amazon shares
    own_things: frozenset[str]  # "account", "card": "my bank account" is the customer's own
    own_ability: re.Pattern[str]
    joining: frozenset[str]  # "and": opening a follow-up ("and my employer?"), it reaches nothing
    pointing_back: re.Pattern[str]  # "they", "ze": a question about the organisation its story named
    yours: dict[str, str] = field(default_factory=dict)  # "my" -> "your", for the reply

    @classmethod
    def from_pack(cls, data: dict[str, Any]) -> OrganisationWords:
        possessives = gather([data], "guards", "other_person", "possessives")
        organisations = gather([data], *KEYS, "organisations")
        section = data.get("guards", {}).get("other_companies", {})
        return cls(
            found=re.compile(
                rf"(?:(?<=\s)|^)(?:([\w'’]{{1,40}})\s+)?({alternatives(possessives)})\s+({alternatives(organisations)})"
                rf"(?!\w)(?:'s|’s|\s+([\w'’-]{{1,40}}))?",
                re.IGNORECASE,
            ),
            reaching=frozenset(w.casefold() for w in gather([data], *KEYS, "before_context")) - {
                p.casefold() for p in possessives},
            own_things=frozenset(w.casefold() for w in gather([data], *KEYS, "own_things")),
            joining=frozenset(w.casefold() for w in gather([data], *KEYS, "joining")),
            own_ability=whole_words(alternatives(gather([data], "guards", "requests", "own_ability")), re.IGNORECASE),
            pointing_back=whole_words(alternatives(gather([data], *KEYS, "pointing_back")), re.IGNORECASE),
            yours={str(k).casefold(): str(v) for k, v in (section.get("yours") or {}).items()},
        )

    def asked(self, text: str) -> list[str]:
        """The organisations the text asks about on their own account, as the reply names them ("your bank")."""
        names = []
        for match in self.found.finditer(text):
            before, possessive, organisation, after = match.groups()
            opening = before is not None and not text[:match.start(1)].strip(" .,!?¿¡-").strip()
            if before and before.casefold() in self.reaching and not (opening and before.casefold() in self.joining):
                continue  # "do you send my address to my bank": what reaches it
            if match.group(0).endswith(("'s", "’s")) or (after and after.casefold() in self.own_things):
                continue  # "my bank card", "my landlord's email": the customer's own thing, or a person's
            your = self.yours.get(possessive.casefold(), possessive)
            names.append(f"{your} {organisation}")
        return names


@dataclass(frozen=True)
class OrganisationsGuard:
    """Another organisation of the customer's (their bank, employer, insurer, operator, gym, school) asked about on
    its own account ("what does my bank do with my transactions?"): the notice only speaks for Amazon. A message
    that speaks to Amazon ("you", "jullie", "Amazon") is about Amazon, whatever else it names."""

    addresses_owner: re.Pattern[str]
    by_language: dict[str, OrganisationWords]

    @classmethod
    def build(cls, packs: Iterable[dict[str, Any]], addresses_owner: re.Pattern[str]) -> OrganisationsGuard:
        """`addresses_owner` is the names guard's: the same words tell that a message speaks to Amazon."""
        return cls(
            addresses_owner=addresses_owner,
            by_language={str(d["code"]): OrganisationWords.from_pack(d) for d in packs if d.get("code")},
        )

    def asked(self, text: str, language: str | None = None, topic: str = "") -> list[str]:
        """The organisations asked about: in the clause that asks, or in the story when that clause points back to
        it ("my gym scans faces at the door. how long do they keep them?"); none when the message, or the topic it
        continues ("do you share my data? / and my bank, do they get it?"), speaks to Amazon, or when the message
        asks what the customer can do."""
        if self.addresses_owner.search(text) or self.addresses_owner.search(topic):
            return []
        languages = [self.by_language[language]] if language in self.by_language else list(self.by_language.values())
        asking = CLAUSE_END.split(asked_part(text))[-1]
        for words in languages:
            if words.own_ability.search(asking):
                continue
            names = words.asked(asking)
            if not names and asking != text and words.pointing_back.search(asking):
                names = words.asked(text)
            if names:
                return list(dict.fromkeys(names))
        return []
