"""Which sentences answers quote: typical questions labelled with the sentences that answer them, asked back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import yaml

from assistant.engine import Assistant
from assistant.stages import retrieve
from assistant.stages.compose import pick_sentences
from evals.holdout import near_copies, prepared

LABELS = Path(__file__).resolve().parent / "sentences"


@dataclass(frozen=True)
class Label:
    """A typical question and the sentences of its section that answer it."""

    language: str
    section_id: str
    question: str
    best: tuple[str, ...]  # what a good answer must quote (one of them)
    also: tuple[str, ...]  # other sentences that help


@dataclass(frozen=True)
class QuoteCheck:
    """What the assistant quotes from the labelled section for one question, asked with itself left out."""

    label: Label
    quoted: str

    @property
    def best_quoted(self) -> bool:
        return any(sentence in self.quoted for sentence in self.label.best)

    @property
    def helpful_quoted(self) -> bool:
        return any(sentence in self.quoted for sentence in self.label.best + self.label.also)


def load_labels(language: str | None = None) -> list[Label]:
    labels = []
    for path in sorted(LABELS.glob("*.yaml")):
        if language and path.stem != language:
            continue
        for row in yaml.safe_load(path.read_text(encoding="utf-8")):
            labels.append(
                Label(path.stem, str(row["section"]), row["question"], tuple(row["best"]), tuple(row.get("also", [])))
            )
    return labels


def check_quotes(assistant: Assistant, labels: list[Label]) -> list[QuoteCheck]:
    """Quote each question's labelled section as an answer would (the compose stage's choice of sentences), the
    question and its near-copies held out of the typical questions (they would otherwise be its own bridge to the
    notice's wording)."""
    served = assistant.served
    retriever = served.retriever
    turns = [prepared(label.question, label.language, served) for label in labels]
    written = served.embed.encode_queries([label.question for label in labels])
    vectors = served.embed.encode_queries([turn.query for turn in turns])
    checks = []
    for label, turn, original, vector in zip(labels, turns, written, vectors, strict=True):
        view = replace(served, retriever=retriever.without(near_copies(retriever, original), None))
        ranking = retrieve.rank(turn, view, vector)
        hit = next(h for h in ranking.hits if h.section_id == label.section_id)
        chosen, _ = pick_sentences(view.retriever, hit, turn.query, served.tuning.max_sentences, served.tuning,
                                   served.pointers, ranking.vector)  # fmt: skip
        quoted = " ".join(retriever.chunk(p).text for p in chosen)
        checks.append(QuoteCheck(label, quoted))
    return checks


def summarise(checks: list[QuoteCheck]) -> dict[str, dict[str, float]]:
    """Per language: how often a best sentence is quoted, and how long the quotes are."""
    table: dict[str, dict[str, float]] = {}
    for lang in sorted({c.label.language for c in checks}):
        mine = [c for c in checks if c.label.language == lang]
        table[lang] = {
            "questions": len(mine),
            "best_quoted": float(np.mean([c.best_quoted for c in mine])),
            "helpful_quoted": float(np.mean([c.helpful_quoted for c in mine])),
            "quote_chars": float(np.mean([len(c.quoted) for c in mine])),
        }
    return table
