"""Scoring answers against cases: per-case outcomes and per-language metrics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.capture import fold
from assistant.privacy import redact
from evals.cases import Case

METRICS = [
    "hit@1", "hit@3", "mrr", "subsection@1", "abstain_precision", "abstain_recall", "false_abstain",
    "language_match", "language_unaided", "key_fact_recall", "latency_p50_ms", "latency_p95_ms",
]  # fmt: skip


def _stems(text: str) -> set[str]:
    # Five-letter prefixes: a light stemmer that works alike for French, Dutch and English.
    return {word[:5] for word in fold(text).split() if len(word) > 2 or re.fullmatch(r"\d+", word)}


def fact_recalled(fact: str, answer: str) -> bool:
    """A key fact counts as conveyed when most of its words (stemmed, accent-free) are in the answer."""
    fact_stems = _stems(fact)
    if not fact_stems:
        return fold(fact) in fold(answer)
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
    def passed(self) -> bool:
        if not self.case.answerable:
            return bool(self.answer["abstained"])
        return self.hit1 and self.answer["language"] == self.case.language

    @property
    def why(self) -> str:
        """A short reason for a failure, for the report."""
        if self.passed:
            return ""
        if not self.case.answerable:
            return "answered a question the notice does not cover"
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
            "hit@1": self.hit1, "hit@3": self.hit3,
            "key_fact_recall": self.key_fact_recall, "latency_ms": self.answer["latency_ms"],
            "passed": self.passed, "why": self.why,
        }  # fmt: skip


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    """The metrics of a set of outcomes (answerable and unanswerable together)."""
    answerable = [o for o in outcomes if o.case.answerable]
    unanswerable = [o for o in outcomes if not o.case.answerable]
    abstained = [o for o in outcomes if o.answer["abstained"]]
    latencies = [o.answer["latency_ms"] for o in outcomes]
    return {
        "cases": len(outcomes),
        "hit@1": _mean([o.hit1 for o in answerable]),
        "hit@3": _mean([o.hit3 for o in answerable]),
        "mrr": _mean([o.reciprocal_rank for o in answerable]),
        "subsection@1": _mean([o.subsection_hit for o in answerable]),
        "abstain_precision": _mean([not o.case.answerable for o in abstained]) if abstained else 1.0,
        "abstain_recall": _mean([o.answer["abstained"] for o in unanswerable]) if unanswerable else 1.0,
        "false_abstain": _mean([o.answer["abstained"] for o in answerable]),
        "language_match": _mean([o.answer["language"] == o.case.language for o in outcomes]),
        "language_unaided": _mean([o.language_without_page == o.case.language for o in outcomes]),
        "key_fact_recall": _mean([o.key_fact_recall for o in answerable if not o.answer["abstained"]]),
        "latency_p50_ms": float(np.percentile(latencies, 50)) if latencies else float("nan"),
        "latency_p95_ms": float(np.percentile(latencies, 95)) if latencies else float("nan"),
    }


def by_language(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    languages = sorted({o.case.language for o in outcomes})
    table = {lang: summarise([o for o in outcomes if o.case.language == lang]) for lang in languages}
    table["all"] = summarise(outcomes)
    return table
