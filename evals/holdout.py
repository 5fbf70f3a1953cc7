"""Held-out checks on the corpus's own question banks: each typical or out-of-scope question, left out, asked back."""

from __future__ import annotations

import random
from dataclasses import dataclass
from re import Match

import numpy as np
from tqdm import tqdm

from assistant.chunks import OUT_OF_SCOPE
from assistant.classifier import SectionClassifier, bank_rows, train_classifier
from assistant.engine import Assistant, Ranking
from assistant.questions import WORD

# A question's near-copies (the same wording, or its translation in another language's bank) are left
# out with it: otherwise they would answer for it and the check would measure nothing.
NEAR_COPY = 0.97
# The section classifier is retrained without each fifth of the asked questions (and their near-copies):
# retraining it per question would take hours.
FOLDS = 5
# Synthetic typos: about a third of the words of five letters or more lose, change or swap one inner letter
# (with `letters=2`, words of eight letters or more suffer it twice).
TYPO_SHARE = 1 / 3
TYPO_MIN_LENGTH = 5
TYPO_TWICE_LENGTH = 8
TYPO_LETTERS = "aeiourstnl"


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


def misspell(text: str, rng: random.Random, letters: int = 1) -> str:
    """The text with one-letter typos in about a third of its longer words (first and last letters spared);
    with `letters` = 2, the words of eight letters or more among them get two."""

    def once(word: str) -> str:
        i = rng.randrange(1, len(word) - 2)
        kind = rng.choice(("drop", "change", "swap"))
        if kind == "drop":
            return word[:i] + word[i + 1 :]
        if kind == "change":
            return word[:i] + rng.choice(TYPO_LETTERS.replace(word[i].lower(), "")) + word[i + 1 :]
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]

    def typo(match: Match[str]) -> str:
        word = match.group()
        if len(word) < TYPO_MIN_LENGTH or rng.random() >= TYPO_SHARE:
            return word
        for _ in range(letters if len(word) >= TYPO_TWICE_LENGTH else 1):
            word = once(word)
        return word

    return WORD.sub(typo, text)


def hold_out(
    assistant: Assistant, languages: list[str] | None = None, every: int = 1, typos: int = 0
) -> list[HeldOut]:
    """Ask back every `every`-th typical and out-of-scope question of each language, each left out in turn;
    with `typos` (1, or 2 letters in long words), as a customer typing fast would (seeded, so every run asks
    the same misspellings)."""
    retriever = assistant.retriever
    bank = [
        position
        for lang in languages or retriever.languages
        for kind in (retriever.question_positions, retriever.out_of_scope_positions)
        for position in kind.get(lang, np.array([], dtype=int))[::every]
    ]
    texts = [retriever.chunks[p].text for p in bank]
    vectors = assistant.embed.encode_queries(texts)
    asked_texts, asked_vectors = texts, vectors
    if typos:
        rng = random.Random(0)
        languages_asked = [retriever.chunks[p].language for p in bank]
        asked_texts = [
            assistant.retrieval_text(misspell(t, rng, typos), lang)
            for t, lang in zip(texts, languages_asked, strict=True)
        ]
        asked_vectors = assistant.embed.encode_queries(asked_texts)
    folds = np.arange(len(bank)) % FOLDS
    results = []
    with tqdm(total=len(bank), desc="held-out questions") as bar:
        for fold in range(FOLDS):
            asked = np.flatnonzero(folds == fold)
            classifier = classifier_without(assistant, vectors[asked])
            for i in asked:
                chunk = retriever.chunks[bank[i]]
                original = vectors[i] if typos else None  # near-copies are judged on the question as written
                ranking = held_out_ranking(
                    assistant, asked_texts[i], asked_vectors[i], chunk.language, bank[i], classifier, original
                )
                results.append(
                    HeldOut(
                        language=chunk.language,
                        text=asked_texts[i],
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
    original: np.ndarray | None = None,
) -> Ranking:
    """The ranking of a bank question (at `position`) with itself and its near-copies left out; `classifier`
    must have been trained without them too (without one, the ranking goes without its signal). When the
    question is asked misspelt, `original` is its vector as written: near-copies are those of the original."""
    retriever = assistant.retriever
    question_units = np.concatenate(list(retriever.bank_positions.values()))
    dense = retriever.dense_scores(vector)
    near = dense if original is None else retriever.dense_scores(original)
    left_out = question_units[near[question_units] >= NEAR_COPY]
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
