"""Scoring answers against cases: per-case outcomes and per-language metrics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.privacy import redact
from assistant.text import plain_words
from evals.cases import Case

METRICS = [
    "hit@1", "hit@3", "mrr", "subsection@1", "abstain_precision", "abstain_recall", "false_abstain",
    "language_match", "language_unaided", "key_fact_recall", "answer_quoted", "answer_highlighted", "partial_handled",
    "partial_as_fact",
    "declined_as_kind", "latency_p50_ms", "latency_p95_ms",
]  # fmt: skip
# The reply each kind of message declined must get (the realistic sets' kinds).
REPLY_OF_KIND = {
    "injection": {"injection"}, "internals": {"injection", "internals"}, "authority": {"authority"},
    "other-person": {"other_person", "authority", "account_action"},
    "other-company": {"unknown_name", "other_organisation", "not_covered"},
}  # fmt: skip


def quoted(sentence: str, quotes: list[str]) -> bool:
    """A labelled sentence counts as quoted when a quote holds it, or holds at least half of it (a long list item
    quoted by its best sentences)."""
    want = " ".join(sentence.split())
    for quote in quotes:
        pieces = [" ".join(p.split()) for p in quote.split(" […] ")]
        if any(want in piece or (piece in want and len(piece) >= len(want) / 2) for piece in pieces):
            return True
    return False


def _stems(text: str) -> set[str]:
    # Five-letter prefixes: a light stemmer that works alike for French, Dutch and English.
    return {word[:5] for word in plain_words(text).split() if len(word) > 2 or re.fullmatch(r"\d+", word)}


def fact_recalled(fact: str, answer: str) -> bool:
    """A key fact counts as conveyed when most of its words (stemmed, accent-free) are in the answer."""
    fact_stems = _stems(fact)
    if not fact_stems:
        return plain_words(fact) in plain_words(answer)
    return len(fact_stems & _stems(answer)) / len(fact_stems) >= 0.6


@dataclass
class Outcome:
    """One case's result: what was answered and how it scores."""

    case: Case
    answer: dict[str, Any]
    unaided_language: str | None = None  # the answer's language had the page's language not been given

    @property
    def language_without_page(self) -> str:
        return self.unaided_language or self.answer["language"]

    @property
    def cited(self) -> list[str]:
        return [c["section_id"] for c in self.answer["citations"]]

    @property
    def ranked(self) -> list[str]:
        return [s["section_id"].split(".")[0] for s in self.answer.get("sections", [])]

    @property
    def hit1(self) -> bool:
        return bool(self.cited) and self.cited[0].split(".")[0] in self.case.expected_top

    @property
    def hit3(self) -> bool:
        if self.answer["abstained"]:
            return False
        return any(s in self.case.expected_top for s in self.ranked[:3])

    @property
    def reciprocal_rank(self) -> float:
        if self.answer["abstained"]:
            return 0.0
        return next((1 / r for r, s in enumerate(self.ranked, start=1) if s in self.case.expected_top), 0.0)

    @property
    def subsection_hit(self) -> bool:
        return bool(self.cited) and self.cited[0] in self.case.expected_sections

    @property
    def key_fact_recall(self) -> float:
        if not self.case.key_facts:
            return 1.0
        return sum(fact_recalled(f, self.answer["answer"]) for f in self.case.key_facts) / len(self.case.key_facts)

    @property
    def answer_quoted(self) -> bool:
        quotes = [c["quote"] for c in self.answer["citations"]]
        return any(quoted(sentence, quotes) for sentence in self.case.answer_sentences)

    @property
    def answer_highlighted(self) -> bool:
        """The sentence the chat highlights (the first citation's best) is a labelled answering sentence: what the
        customer reads first."""
        citations = self.answer["citations"]
        highlight = citations[0].get("highlight", "") if citations else ""
        return bool(highlight) and any(quoted(sentence, [highlight]) for sentence in self.case.answer_sentences)

    @property
    def partial(self) -> bool:
        return bool(self.answer.get("partial"))

    @property
    def declined_as_kind(self) -> bool:
        """Declined with the reply its kind calls for (an authority claim: "I cannot verify who you are")."""
        replies = REPLY_OF_KIND.get(self.case.kind)
        return bool(self.answer["abstained"]) and (replies is None or self.answer.get("reason") in replies)

    @property
    def passed(self) -> bool:
        if self.case.expected == "decline":
            return bool(self.answer["abstained"])
        if self.case.expected == "partial":
            return bool(self.answer["abstained"]) or self.partial
        return self.hit1 and self.answer["language"] == self.case.language

    @property
    def why(self) -> str:
        """A short reason for a failure, for the report."""
        if self.passed:
            return ""
        if self.case.expected == "decline":
            return "answered a question the notice does not cover"
        if self.case.expected == "partial":
            return "answered as if the notice gave the precise fact asked"
        if self.answer["abstained"]:
            return f"abstained ({self.answer.get('reason')}) on an answerable question"
        if not self.hit1:
            cited = self.cited[0] if self.cited else "nothing"
            return f"cited {cited}, expected {' or '.join(self.case.expected_sections)}"
        return f"answered in {self.answer['language']}, expected {self.case.language}"

    def to_dict(self) -> dict[str, Any]:
        """The outcome for reports; questions and answers redacted, as reports are stored and shared."""
        return {
            "id": self.case.id, "language": self.case.language, "question": redact(self.case.question),
            "history": [redact(h) for h in self.case.history], "tags": list(self.case.tags),
            "answerable": self.case.answerable,
            "expected_sections": list(self.case.expected_sections), "cited": self.cited, "ranked": self.ranked,
            "abstained": self.answer["abstained"], "answer": redact(self.answer["answer"]),
            "answer_language": self.answer["language"],
            "unaided_language": self.language_without_page,
            "hit@1": self.hit1, "hit@3": self.hit3, "expect": self.case.expected, "kind": self.case.kind,
            "relation": self.case.relation, "reason": self.answer.get("reason"), "partial": self.partial,
            "answer_quoted": self.answer_quoted if self.case.answer_sentences else None,
            "answer_highlighted": self.answer_highlighted if self.case.answer_sentences else None,
            "key_fact_recall": self.key_fact_recall, "latency_ms": self.answer["latency_ms"],
            "passed": self.passed, "why": self.why,
        }  # fmt: skip


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    """The metrics of a set of outcomes (answerable and unanswerable together)."""
    answerable = [o for o in outcomes if o.case.expected == "answer"]
    unanswerable = [o for o in outcomes if o.case.expected == "decline"]
    partial = [o for o in outcomes if o.case.expected == "partial"]
    labelled = [o for o in answerable if o.case.answer_sentences]
    abstained = [o for o in outcomes if o.answer["abstained"]]
    latencies = [o.answer["latency_ms"] for o in outcomes]
    return {
        "cases": len(outcomes),
        "hit@1": _mean([o.hit1 for o in answerable]),
        "hit@3": _mean([o.hit3 for o in answerable]),
        "mrr": _mean([o.reciprocal_rank for o in answerable]),
        "subsection@1": _mean([o.subsection_hit for o in answerable]),
        "abstain_precision": _mean([o.case.expected != "answer" for o in abstained]) if abstained else 1.0,
        "abstain_recall": _mean([o.answer["abstained"] for o in unanswerable]) if unanswerable else 1.0,
        "false_abstain": _mean([o.answer["abstained"] for o in answerable]),
        "language_match": _mean([o.answer["language"] == o.case.language for o in outcomes]),
        "language_unaided": _mean([o.language_without_page == o.case.language for o in outcomes]),
        "key_fact_recall": _mean([o.key_fact_recall for o in answerable if not o.answer["abstained"]]),
        "answer_quoted": _mean([o.answer_quoted for o in labelled]),
        "answer_highlighted": _mean([o.answer_highlighted for o in labelled]),
        "partial_handled": _mean([o.passed for o in partial]),
        "partial_as_fact": _mean([not o.passed for o in partial]),
        "declined_as_kind": _mean([o.declined_as_kind for o in unanswerable if o.case.kind in REPLY_OF_KIND]),
        "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else float("nan"),
        "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else float("nan"),
    }


def by_group(outcomes: list[Outcome], attribute: str) -> dict[str, dict[str, float]]:
    """The metrics per value of a case attribute ("kind", "relation"), all languages together."""
    values = sorted({getattr(o.case, attribute) for o in outcomes} - {""})
    return {value: summarise([o for o in outcomes if getattr(o.case, attribute) == value]) for value in values}


def by_language(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    languages = sorted({o.case.language for o in outcomes})
    table = {lang: summarise([o for o in outcomes if o.case.language == lang]) for lang in languages}
    table["all"] = summarise(outcomes)
    return table
