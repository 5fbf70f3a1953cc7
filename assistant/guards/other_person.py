"""The other-person guard: requests for someone else's data, unless that data is the customer's own."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.guards.words import alternatives, gather


@dataclass(frozen=True)
class OtherPersonGuard:
    """Someone other than the customer near a kind of personal data, either order ("my neighbour's address",
    "orders of another customer"), unless the data is the customer's own ("can my wife see my orders?"). Other
    customers named as those Amazon protects are no one whose data is asked for, unless the message asks to be
    given or shown it; "its customers" are someone else's only in such a request."""

    near: tuple[re.Pattern[str], ...]
    their_customers: tuple[re.Pattern[str], ...]
    disclose: re.Pattern[str]
    own: re.Pattern[str]
    protecting: re.Pattern[str]

    @classmethod
    def from_packs(cls, packs: Iterable[dict[str, Any]]) -> OtherPersonGuard:
        data = list(packs)

        def words(key: str) -> str:
            return alternatives(gather(data, "guards", "other_person", key))

        someone_else = (
            rf"(?:(?:{words('possessives')})\s+(?:{words('relatives')})|{words('someone_else')}"
            rf"|(?:{words('others')})\s+(?:{words('other_people')}))"
        )
        data_words = words("data")
        theirs = rf"(?:{words('their_customers')})"
        return cls(
            near=(re.compile(rf"\b{someone_else}\b.{{0,60}}\b(?P<data>{data_words})", re.IGNORECASE),
                  re.compile(rf"\b(?P<data>{data_words})\b.{{0,40}}\b{someone_else}\b", re.IGNORECASE)),
            their_customers=(re.compile(rf"\b{theirs}\b.{{0,60}}\b(?P<data>{data_words})", re.IGNORECASE),
                             re.compile(rf"\b(?P<data>{data_words})\b.{{0,40}}\b{theirs}\b", re.IGNORECASE)),
            disclose=re.compile(rf"\b(?:{words('disclose')})\b", re.IGNORECASE),
            own=re.compile(rf"\b(?:{words('own')})\s+$", re.IGNORECASE),
            protecting=re.compile(rf"\b(?:{words('protecting')})\b", re.IGNORECASE),
        )  # fmt: skip

    def asks_for_someone_elses_data(self, text: str) -> bool:
        disclose = self.disclose.search(text)
        if self.protecting.search(text) and not disclose:
            return False
        for pattern in self.near + (self.their_customers if disclose else ()):
            for match in pattern.finditer(text):
                if not self.own.search(text[max(0, match.start("data") - 40) : match.start("data")]):
                    return True
        return False
