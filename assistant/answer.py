"""What the assistant replies: the Answer and its Citations, as plain data (and as the JSON of the CLI and API)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    """Where an answer comes from: a section of the notice in one language, and the exact words used."""

    section_id: str
    title: str
    language: str
    url: str
    quote: str
    highlight: str = ""  # the one quoted sentence that answers best (verbatim, part of `quote`)
    note: str = ""  # said beside the quote when it is not in the reply's language (a fallback, a stale translation)


@dataclass
class Answer:
    """What the assistant replies to one message."""

    question: str  # the message as the assistant read it: personal details replaced by placeholders
    language: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    # True when the question asks a precise fact (a duration, an amount, a name, a place, ...) that the notice
    # does not state: the answer says so first, then quotes what the notice says on the topic.
    partial: bool = False
    latency_ms: float = 0.0
    # Why it abstained: not_covered, unknown_name, other_organisation, injection, internals, other_person, authority,
    # account_action, empty, too_long; or small talk: greeting (also a bare request for help), thanks, goodbye,
    # acknowledged ("ah ok").
    reason: str | None = None
    sections: list[dict[str, Any]] = field(default_factory=list)  # ranked sections, for agents and evaluation
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage, for the logs
    # What the chat shows around the highlighted sentence: the notes said before the quotes (partial, unsupported
    # language) and after them (no need to share personal details); both are also part of `answer`.
    opening: str = ""
    closing: str = ""
    follow_ups: list[str] = field(default_factory=list)  # questions the cited section answers, to ask next

    def to_dict(self, *, include_sections: bool = False) -> dict[str, Any]:
        data = {
            "question": self.question.encode("utf-8", "replace").decode("utf-8"),  # lone surrogates can't be sent
            "language": self.language,
            "answer": self.answer,
            "abstained": self.abstained,
            "partial": self.partial,
            "citations": [asdict(c) for c in self.citations],
            "follow_ups": self.follow_ups,
            "latency_ms": round(self.latency_ms, 2),
        }
        if include_sections:
            data["reason"] = self.reason
            data["sections"] = self.sections
        return data
