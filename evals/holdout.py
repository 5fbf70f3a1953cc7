"""Held-out checks on the corpus's own question banks: each typical or out-of-scope question, left out, asked back."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from re import Match

import numpy as np
from tqdm import tqdm

from assistant.chunks import OUT_OF_SCOPE
from assistant.classifier import SectionClassifier, classifier_rows, train_classifier
from assistant.engine import Assistant
from assistant.retrieval import Retriever
from assistant.served import Served
from assistant.stages import conversation, retrieve
from assistant.stages.abstain import Evidence, decide, message_evidence
from assistant.text import WORD
from assistant.turn import Turn

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
    evidence: Evidence  # what abstention weighed (the calibration grid decides again from it)

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
    """Ask back every `every`-th typical and out-of-scope question of each language, each left out in turn, through
    the product's own stages (conversation, retrieve, abstain) on a view of the index without it; with `typos` (1,
    or 2 letters in long words), as a customer typing fast would (seeded, so every run asks the same misspellings)."""
    served = assistant.served
    retriever = served.retriever
    bank = [
        position
        for lang in languages or retriever.languages
        for kind in (retriever.question_positions, retriever.out_of_scope_positions)
        for position in kind.get(lang, np.array([], dtype=int))[::every]
    ]
    texts = [retriever.chunks[p].text for p in bank]
    written = served.embed.encode_queries(texts)  # near-copies are judged on the questions as written
    rng = random.Random(0)
    turns = [prepared(misspell(t, rng, typos) if typos else t, retriever.chunks[p].language, served)
             for t, p in zip(texts, bank, strict=True)]  # fmt: skip
    vectors = served.embed.encode_queries([turn.query for turn in turns])
    folds = np.arange(len(bank)) % FOLDS
    results = []
    with tqdm(total=len(bank), desc="held-out questions") as bar:
        for fold in range(FOLDS):
            asked = np.flatnonzero(folds == fold)
            classifier = classifier_without(assistant, written[asked])
            for i in asked:
                chunk = retriever.chunks[bank[i]]
                view = replace(served, retriever=retriever.without(near_copies(retriever, written[i]), classifier))
                ranking = retrieve.rank(turns[i], view, vectors[i])
                found = message_evidence(ranking, turns[i].query, served)
                assert found is not None  # a served language always ranks its sections
                results.append(
                    HeldOut(
                        language=chunk.language,
                        text=turns[i].query,
                        expected=None if chunk.section_id == OUT_OF_SCOPE else chunk.section_id,
                        cited=tuple(h.section_id for h in ranking.hits[:3]),
                        abstained=decide(found, served.tuning),
                        evidence=found,
                    )
                )
                bar.update()
    return results


def prepared(text: str, language: str, served: Served) -> Turn:
    """A bank question as the conversation stage hands it to retrieval (greeting out, typos mended)."""
    turn = Turn(message=text, history=[], forced_language=language)
    turn.text, turn.language = text, language
    conversation.run(turn, served)
    return turn


def near_copies(retriever: Retriever, vector: np.ndarray) -> np.ndarray:
    """The bank questions that are the asked one or its near-copies (the same wording, or a translation)."""
    question_units = np.concatenate(list(retriever.bank_positions.values()))
    dense = retriever.dense_scores(vector)
    return question_units[dense[question_units] >= NEAR_COPY]


def classifier_without(assistant: Assistant, asked: np.ndarray) -> SectionClassifier | None:
    """The section classifier trained as the index's (bank questions and questions written per sentence) except on
    the asked questions and their near-copies."""
    retriever = assistant.served.retriever
    positions, weights = classifier_rows(retriever.chunks)
    rows, row_weights = np.array(positions, dtype=int), np.array(weights)
    keep = (asked @ retriever.vectors[rows].T >= NEAR_COPY).sum(axis=0) == 0 if len(asked) else np.ones(len(rows), bool)
    kept = rows[keep]
    return train_classifier(retriever.vectors[kept], [retriever.chunks[p].section_id for p in kept],
                            row_weights=row_weights[keep].tolist())  # fmt: skip


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
