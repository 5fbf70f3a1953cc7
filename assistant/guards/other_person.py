"""The other-person guard: requests for someone else's data, unless that data is the customer's own."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.guards.words import alternatives, gather

ADULT_AGE = re.compile(r"(?<![\d.,])(?:1[89]|[2-9]\d)(?![\d.,])")  # a number from 18 to 99: "mon fils a 19 ans"
PERSON_FIRST_REACH, DATA_FIRST_REACH = 60, 40  # characters between a person and a kind of data, in either order
REREADS = 4  # per pattern, the text after a person named with the customer read again (see below)


def either_order(who: str, data: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A person (`who`) near a kind of personal data (group "data"), either one first: "my neighbour's address",
    "the orders of another customer"."""
    return (re.compile(rf"\b{who}\b.{{0,{PERSON_FIRST_REACH}}}\b(?P<data>{data})", re.IGNORECASE),
            re.compile(rf"\b(?P<data>{data})\b.{{0,{DATA_FIRST_REACH}}}\b{who}\b", re.IGNORECASE))  # fmt: skip


@dataclass(frozen=True)
class OtherPersonGuard:
    """Someone other than the customer near a kind of personal data, either order ("my neighbour's address",
    "orders of another customer"), unless the data is the customer's own ("can my wife see my orders?"). Other
    customers named as those Amazon protects are no one whose data is asked for, unless the message asks to be
    given or shown it; "its customers" are someone else's only in such a request."""

    near: tuple[re.Pattern[str], ...]  # the person in group "who", the data in group "data"
    their_customers: tuple[re.Pattern[str], ...]
    disclose: re.Pattern[str]
    own: re.Pattern[str]
    protecting: re.Pattern[str]
    with_me: re.Pattern[str]  # "and I" after the person, "I and" before: the customer is one of them
    me_with: re.Pattern[str]
    children: re.Pattern[str] = re.compile("(?!)")  # "my son", "ma fille", "zoontje": a child named
    carriers: re.Pattern[str] = re.compile("(?!)")  # "courier", "livreur", "koerier": who delivers for Amazon
    # "my address", "mon numéro de téléphone", "mijn gegevens"; "the cards you have saved for me"
    own_data: re.Pattern[str] = re.compile("(?!)")
    child_data: tuple[re.Pattern[str], ...] = ()  # a child near a kind of personal data: "what did my son order"
    person: re.Pattern[str] = re.compile("(?!)")  # "my wife", "someone else", "other customers", a child
    ordered_for: re.Pattern[str] = re.compile("(?!)")  # "a gift for", "livré chez", "besteld voor": an order for them
    given_data: re.Pattern[str] = re.compile("(?!)")  # what such an order gives Amazon: an address, a phone, a name
    third_persons: re.Pattern[str] = re.compile("(?!)")  # "she", "hij", "leur": someone a question points to

    @classmethod
    def from_packs(cls, packs: Iterable[dict[str, Any]]) -> OtherPersonGuard:
        data = list(packs)

        def words(key: str) -> str:
            return alternatives(gather(data, "guards", "other_person", key))

        someone_else = (
            rf"(?P<who>(?:{words('possessives')})\s+(?:{words('relatives')})|{words('someone_else')}"
            rf"|(?:{words('others')})\s+(?:{words('other_people')}))"
        )
        data_words = words("data")
        theirs = rf"(?:{words('their_customers')})"
        return cls(
            near=either_order(someone_else, data_words),
            their_customers=either_order(theirs, data_words),
            disclose=re.compile(rf"\b(?:{words('disclose')})\b", re.IGNORECASE),
            own=re.compile(rf"\b(?:{words('own')})\s+$", re.IGNORECASE),
            protecting=re.compile(rf"\b(?:{words('protecting')})\b", re.IGNORECASE),
            with_me=re.compile(rf"\s+(?:{words('with_me')})\b", re.IGNORECASE),
            me_with=re.compile(rf"\b(?:{words('me_with')})\s+$", re.IGNORECASE),
            children=re.compile(rf"\b(?:{words('children')})\b", re.IGNORECASE),
            child_data=either_order(rf"(?:{words('children')})", rf"(?:{data_words})\b"),  # whole data words
            carriers=re.compile(rf"\b(?:{words('carriers')})\b", re.IGNORECASE),
            third_persons=re.compile(rf"\b(?:{words('third_persons')})\b", re.IGNORECASE),
            own_data=re.compile(rf"\b(?:{words('own')})\s+(?:[^\W\d]+\s+){{0,2}}(?:{data_words})\b"
                                rf"|\b(?:{data_words})\s+(?:[^\s.?!]+\s+){{0,8}}(?:{words('kept_for_me')})\b",
                                re.IGNORECASE),
            person=re.compile(rf"\b(?:{someone_else}|{words('children')})\b", re.IGNORECASE),
            ordered_for=re.compile(rf"\b(?:{words('ordered_for')})\b", re.IGNORECASE),
            given_data=re.compile(rf"\b(?:{words('given_data')})\b", re.IGNORECASE),
        )  # fmt: skip

    def asks_for_someone_elses_data(self, text: str) -> bool:
        disclose = self.disclose.search(text)
        if self.protecting.search(text) and not disclose:
            return False
        for pattern in self.near:
            position, rereads = 0, 0
            while (match := pattern.search(text, position)) is not None:
                together = self.together(text, match)
                if not together and not self.owned(text, match):
                    return True
                # A person named with the customer: the next person is looked for right after them, not after the
                # data ("my wife and I ... my neighbour's address"); at most REREADS times, so the work stays linear.
                rereads += together
                position = match.end("who") if together and rereads <= REREADS else match.end()
        return bool(disclose) and any(
            not self.owned(text, match) for pattern in self.their_customers for match in pattern.finditer(text)
        )

    def asks_how_a_carrier_got_own_data(self, text: str) -> bool:
        """A courier named with the customer's own data ("the delivery guy had my phone number, who gave it?"): a
        question on what Amazon shares with those who deliver."""
        return self.carriers.search(text) is not None and self.own_data.search(text) is not None

    def tells_only_own_data(self, text: str) -> bool:
        """The customer's own data is named ("mijn account", "my address") and nobody else."""
        return self.own_data.search(text) is not None and not self.names_a_person(text)

    def tells_an_order_for_them(self, text: str) -> bool:
        """The customer tells of an order made for the person ("j'ai commandé un cadeau pour ma mère, livré chez
        elle"), names what such an order gives Amazon (their address, phone or name; not their account or purchases)
        and asks to be given or shown nothing of theirs."""
        return (self.ordered_for.search(text) is not None and self.given_data.search(text) is not None
                and self.disclose.search(text) is None)  # fmt: skip

    def names_a_person(self, text: str) -> bool:
        """Someone other than the customer is named ("my wife", "another customer", "my son"), data or not."""
        return self.person.search(text) is not None

    def points_to_someone(self, text: str) -> bool:
        """A pronoun of the third person, which may be someone the story named ("what did she order?")."""
        return self.third_persons.search(text) is not None

    def names_a_child(self, text: str) -> bool:
        """A child is named, with no kind of personal data near ("what did my son order?" asks for the child's data)
        and no age of 18 or more ("mijn zoon is 19" is an adult)."""
        return (self.children.search(text) is not None and ADULT_AGE.search(text) is None
                and not any(pattern.search(text) for pattern in self.child_data))  # fmt: skip

    def owned(self, text: str, match: re.Match[str]) -> bool:
        """The data is the customer's own: "my" or "our" just before it."""
        return bool(self.own.search(text[max(0, match.start("data") - 40) : match.start("data")]))

    def together(self, text: str, match: re.Match[str]) -> bool:
        """The person and the customer named together ("my husband and I share an account", "ik en mijn vrouw"):
        what they ask about is theirs, not someone else's."""
        return bool(self.with_me.match(text, match.end("who"))
                    or self.me_with.search(text[max(0, match.start("who") - 12) : match.start("who")]))  # fmt: skip
