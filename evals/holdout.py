"""Held-out checks on the corpus's own question banks: each typical or out-of-scope question, left out, asked back."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from assistant.chunks import OUT_OF_SCOPE
from assistant.engine import Assistant, Ranking

# A question's near-copies (the same wording, or its translation in another language's bank) are left
# out with it: otherwise they would answer for it and the check would measure nothing.
NEAR_COPY = 0.97


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
    results = []
    for position, text, vector in tqdm(list(zip(bank, texts, vectors, strict=True)), desc="held-out questions"):
        chunk = retriever.chunks[position]
        ranking = held_out_ranking(assistant, text, vector, chunk.language, position)
        results.append(
            HeldOut(
                language=chunk.language,
                text=text,
                expected=None if chunk.section_id == OUT_OF_SCOPE else chunk.section_id,
                cited=tuple(h.section_id for h in ranking.hits[:3]),
                abstained=assistant.not_covered(ranking, chunk.language),
            )
        )
    return results


def held_out_ranking(assistant: Assistant, text: str, vector: np.ndarray, language: str, position: int) -> Ranking:
    """The ranking of a bank question (at `position`) with itself and its near-copies left out."""
    retriever = assistant.retriever
    question_units = np.concatenate(list(retriever.bank_positions.values()))
    dense = retriever.dense_scores(vector)
    left_out = question_units[dense[question_units] >= NEAR_COPY]
    dense[left_out] = -1.0
    lexical = retriever.bank_similarities(text, language, frozenset(left_out.tolist()) | {position})
    return Ranking(retriever.rank(text, dense, language, lexical), vector, dense, retriever, lexical)


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
