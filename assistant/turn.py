"""The Turn: one message on its way through the pipeline, with what each stage has read and added to it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.answer import Answer, Citation

if TYPE_CHECKING:
    from assistant.retrieval import Ranking


@dataclass
class Turn:
    """Plain data passed from stage to stage; a stage that settles the reply (a decline, small talk, the answer
    itself) sets `reply`, which ends the pipeline."""

    # Given by the caller.
    message: str  # as received: read by the redact stage only, never logged
    history: list[str]  # the customer's earlier messages, as received
    forced_language: str | None = None  # the caller's choice, e.g. the chat's language selector
    page_language: str | None = None  # the help page's locale, for messages too short to tell
    # redact: personal details become placeholders before anything else reads the message.
    redacted: str = ""
    details: tuple[str, ...] = ()  # kinds of details found ("EMAIL", "NAME", ...)
    earlier: list[str] = field(default_factory=list)  # earlier messages, redacted and cleaned
    # clean: plain text, no markup or control characters, placeholders left out.
    text: str = ""
    had_markup: bool = False
    # language: the language of the reply.
    language: str = ""
    conversation_language: str | None = None
    unsupported: bool = False  # written in a language the assistant does not serve
    # conversation: what retrieval reads.
    query: str = ""  # the message without its opening greeting, typos mended
    relation: str = "start"  # "start", "continue" (elliptical: read with its topic) or "change" (its own topic)
    context: list[str] = field(default_factory=list)  # for "continue": the topic's earlier messages, oldest first
    follow_up: bool = False
    points_back: bool = False  # a word points back to the topic ("and those?"): kept a follow-up whatever it asks
    returns: bool = False  # it says it goes back to an earlier topic ("ok, back to the US thing"): read with it
    # guards: the attack signals found, and the message-type classifier's probabilities.
    signals: list[str] = field(default_factory=list)
    message_types: dict[str, float] = field(default_factory=dict)
    asks_action: bool = False  # asks the assistant to act on an account ("cancel my Prime"): read alone, declined
    # unless the notice says how the customer can do it
    # retrieve, abstain, compose.
    ranking: Ranking | None = None
    citations: list[Citation] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # the reply's paragraphs, lead-in and quote each
    partial: str | None = None  # the precise fact asked that the quotes do not state ("duration", "person", ...)
    notice_date: str = ""  # the date printed at the notice's top, where the message asks when it was last changed
    # The outcome.
    reply: Answer | None = None
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage

    @property
    def asks_assistant(self) -> bool:
        """A request to act that asks the assistant to do it ("can you do it for me?", not "can you tell me how
        …"): declined even where the notice says how."""
        return self.asks_action and "you_act" in self.signals and "how_asked" not in self.signals

    @property
    def asked_fact(self) -> tuple[str, str, str]:
        """What `PreciseFacts.asked` reads: the message, its language, and the conversation's earlier messages."""
        return self.query, self.language, " ".join(self.earlier)

    @property
    def finished(self) -> bool:
        return self.reply is not None

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = round((time.perf_counter() - started) * 1000, 2)

    def settle(self, language: str, text: str, reason: str | None = None, **extra: Any) -> None:
        """End the turn with a reply that quotes nothing (a decline or small talk)."""
        self.language = language
        self.reply = Answer(question=self.redacted, language=language, answer=text, abstained=True, reason=reason,
                            **extra)  # fmt: skip


def user_turns(history: list[Any] | None) -> list[str]:
    """The user's earlier messages, from plain strings or chat messages ({'role', 'content'})."""
    turns: list[str] = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and isinstance(item.get("content"), str):
            turns.append(item["content"])
    return [t for t in turns if t.strip()]
