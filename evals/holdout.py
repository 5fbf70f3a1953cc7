"""Held-out checks on the corpus's own question banks: each typical or out-of-scope question, left out, asked back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from assistant.chunks import OUT_OF_SCOPE
from assistant.classifier import SectionClassifier, bank_rows, train_classifier
from assistant.engine import Assistant, Ranking

# A question's near-copies (the same wording, or its translation in another language's bank) are left
# out with it: otherwise they would answer for it and the check would measure nothing.
NEAR_COPY = 0.97
# The section classifier is retrained without each fifth of the asked questions (and their near-copies):
# retraining it per question would take hours.
FOLDS = 5


@dataclass(frozen=True)
class HeldOut:
    """One bank question asked with itself (and its near-copies) left out of the index's question units."""

    language: str
    text: str
    expected: str | None  # its section id, or None for an out-of-scope question
    cited: tuple[str, ...]  # the first three sections ranked
    abstained: bool

    @property
    def hit(self) -> bool:
        return self.expected is not None and not self.abstained and top(self.cited[0]) == top(self.expected)

    @property
    def hit3(self) -> bool:
        return self.expected is not None and top(self.expected) in {top(s) for s in self.cited[:3]}


def top(section_id: str) -> str:
    return section_id.split(".")[0]


def hold_out(assistant: Assistant, languages: list[str] | None = None, every: int = 1) -> list[HeldOut]:
    """Ask back every `every`-th typical and out-of-scope question of each language, each left out in turn."""
    retriever = assistant.retriever
    bank = [
        position
        for lang in languages or retriever.languages
        for kind in (retriever.question_positions, retriever.out_of_scope_positions)
        for position in kind.get(lang, np.array([], dtype=int))[::every]
    ]
    texts = [retriever.chunks[p].text for p in bank]
    vectors = assistant.embed.encode_queries(texts)
    folds = np.arange(len(bank)) % FOLDS
    results = []
    with tqdm(total=len(bank), desc="held-out questions") as bar:
        for fold in range(FOLDS):
            asked = np.flatnonzero(folds == fold)
            classifier = classifier_without(assistant, vectors[asked])
            for i in asked:
                chunk = retriever.chunks[bank[i]]
                ranking = held_out_ranking(assistant, texts[i], vectors[i], chunk.language, bank[i], classifier)
                results.append(
                    HeldOut(
                        language=chunk.language,
                        text=texts[i],
                        expected=None if chunk.section_id == OUT_OF_SCOPE else chunk.section_id,
                        cited=tuple(h.section_id for h in ranking.hits[:3]),
                        abstained=assistant.not_covered(ranking, chunk.language),
                    )
                )
                bar.update()
    return results


def classifier_without(assistant: Assistant, asked: np.ndarray) -> SectionClassifier | None:
    """The section classifier trained on the index's bank questions except the asked ones and their near-copies."""
    retriever = assistant.retriever
    rows = np.array(bank_rows(retriever.chunks), dtype=int)
    vectors = retriever.vectors[rows]
    kept = rows[(asked @ vectors.T >= NEAR_COPY).sum(axis=0) == 0] if len(asked) else rows
    return train_classifier(retriever.vectors[kept], [retriever.chunks[p].section_id for p in kept])


def held_out_ranking(
    assistant: Assistant,
    text: str,
    vector: np.ndarray,
    language: str,
    position: int,
    classifier: SectionClassifier | None = None,
) -> Ranking:
    """The ranking of a bank question (at `position`) with itself and its near-copies left out; `classifier`
    must have been trained without them too (without one, the ranking goes without its signal)."""
    retriever = assistant.retriever
    question_units = np.concatenate(list(retriever.bank_positions.values()))
    dense = retriever.dense_scores(vector)
    left_out = question_units[dense[question_units] >= NEAR_COPY]
    dense[left_out] = -1.0
    lexical = retriever.bank_similarities(text, language, frozenset(left_out.tolist()) | {position})
    probabilities = classifier.probabilities(vector) if classifier else {}
    hits = retriever.rank(text, dense, language, lexical, probabilities)
    return Ranking(hits, vector, dense, retriever, lexical, probabilities)


def summarise(results: list[HeldOut]) -> dict[str, dict[str, float]]:
    """Per language: hit@1 and hit@3 of in-scope questions, how often they abstain, how often out-of-scope ones do."""
    table: dict[str, dict[str, float]] = {}
    for lang in sorted({r.language for r in results}):
        answerable = [r for r in results if r.language == lang and r.expected is not None]
        unanswerable = [r for r in results if r.language == lang and r.expected is None]
        table[lang] = {
            "questions": len(answerable),
            "hit@1": float(np.mean([r.hit for r in answerable])) if answerable else float("nan"),
            "hit@3": float(np.mean([r.hit3 for r in answerable])) if answerable else float("nan"),
            "false_abstain": float(np.mean([r.abstained for r in answerable])) if answerable else float("nan"),
            "out_of_scope": len(unanswerable),
            "abstain_recall": float(np.mean([r.abstained for r in unanswerable])) if unanswerable else float("nan"),
        }
    return table
