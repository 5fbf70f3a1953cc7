"""Which section a question is about, and which sentence of a section: logistic regressions over question vectors."""

from __future__ import annotations

import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.chunks import Chunk, unit_of

# Inverse regularisation strength, chosen on held-out bank questions (see README, "Retrieval"): hit@1 is flat
# from 64 to 256 and falls off below 16.
STRENGTH = 64.0
TOLERANCE = 1e-6  # see train_classifier
FILE = "classifier.npz"
BANK_KINDS = ("question", "out_of_scope")
# Per section, which quotable unit a question is about (learnt from corpus/sentence_questions): 16 and 64 chose
# within a few sentences of each other on the development sets (docs/decisions/answers-and-quotes.md, 2026-12-03).
SENTENCE_STRENGTH = 16.0
SENTENCES_FILE = "sentence_classifiers.npz"


@dataclass(frozen=True)
class SectionClassifier:
    """A softmax over section ids (and OUT_OF_SCOPE) for a normalised query vector."""

    labels: tuple[str, ...]
    weights: np.ndarray  # one row per label
    bias: np.ndarray

    def probabilities(self, vector: np.ndarray) -> dict[str, float]:
        logits = self.weights @ vector + self.bias
        exp = np.exp(logits - logits.max())
        return dict(zip(self.labels, (exp / exp.sum()).tolist(), strict=True))

    def save(self, path: Path) -> None:
        np.savez(path, labels=np.array(self.labels), weights=self.weights, bias=self.bias)

    @classmethod
    def load(cls, path: Path) -> SectionClassifier:
        with np.load(path, allow_pickle=False) as data:
            return cls(tuple(str(label) for label in data["labels"]), data["weights"], data["bias"])


def bank_rows(chunks: list[Chunk]) -> list[int]:
    """The positions of the typical and out-of-scope questions, in every language: what the classifier learns."""
    return [position for position, chunk in enumerate(chunks) if chunk.kind in BANK_KINDS]


def asked_rows(chunks: list[Chunk]) -> list[int]:
    """The positions of the questions written per sentence (corpus/sentence_questions), in every language."""
    return [position for position, chunk in enumerate(chunks) if chunk.kind == "asked"]


def classifier_rows(chunks: list[Chunk]) -> tuple[list[int], list[float]]:
    """What the section classifier learns from, and each row's weight: the typical and out-of-scope questions (1
    each), and the questions written per sentence (corpus/sentence_questions: customers' words, situations told),
    each section's together weighing as much as an average section's, so that a section of many sentences (9,
    the choices) does not gain by their number."""
    rows = bank_rows(chunks)
    asked = asked_rows(chunks)
    per_section = Counter(chunks[p].section_id for p in asked)
    average = len(asked) / len(per_section) if per_section else 0.0
    return rows + asked, [1.0] * len(rows) + [average / per_section[chunks[p].section_id] for p in asked]


def train_classifier(vectors: np.ndarray, labels: list[str], strength: float = STRENGTH,
                     row_weights: list[float] | None = None) -> SectionClassifier | None:  # fmt: skip
    """Fit the classifier on question vectors and their section ids (each row weighing `row_weights`, else 1);
    None when there are fewer than two labels."""
    if len(set(labels)) < 2:
        return None
    from sklearn.exceptions import ConvergenceWarning  # at build time only: serving reads the saved weights
    from sklearn.linear_model import LogisticRegression

    # A tight tolerance: at sklearn's default (1e-4) the weights stopped where the BLAS thread count left them, and a
    # borderline question ("où en est la livraison de mon colis ?") changed section between machines.
    model = LogisticRegression(C=strength, max_iter=1000, tol=TOLERANCE)
    with warnings.catch_warnings():
        # Should it stop early, the weights are within noise of the optimum: not worth a warning on every build.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(vectors, labels, sample_weight=None if row_weights is None else np.asarray(row_weights))
    weights, bias = model.coef_, model.intercept_
    if weights.shape[0] == 1:  # two labels: sklearn keeps one row (the second label's log-odds); the softmax wants two
        weights, bias = np.vstack([-weights / 2, weights / 2]), np.array([-bias[0] / 2, bias[0] / 2])
    return SectionClassifier(
        tuple(str(label) for label in model.classes_), weights.astype(np.float32), bias.astype(np.float32)
    )


def unit_label(chunk_id: str) -> str:
    """A quotable unit's id without its language ("fr:6:s0" -> "6:s0"): the same sentence in every translation."""
    return chunk_id.split(":", 1)[1]


def train_sentence_classifiers(vectors: np.ndarray, chunks: list[Chunk]) -> dict[str, SectionClassifier]:
    """Per section, a classifier over its quotable units, learnt from the questions written for each of them in
    every language (corpus/sentence_questions): a sentence is recognised by all its questions at once, not only
    by the nearest one, and by its questions in the other languages too."""
    rows: dict[str, list[int]] = defaultdict(list)
    for position in asked_rows(chunks):
        rows[chunks[position].section_id].append(position)
    found: dict[str, SectionClassifier] = {}
    for section, positions in rows.items():
        labels = [unit_label(unit_of(chunks[p].chunk_id)) for p in positions]  # "fr:6:s0:a2" -> "6:s0"
        model = train_classifier(vectors[positions], labels, SENTENCE_STRENGTH)
        if model is not None:
            found[section] = model
    return found


def save_sentence_classifiers(models: dict[str, SectionClassifier], path: Path) -> None:
    arrays: dict[str, np.ndarray] = {}
    for section, model in models.items():
        arrays |= {f"{section}|labels": np.array(model.labels), f"{section}|weights": model.weights,
                   f"{section}|bias": model.bias}  # fmt: skip
    np.savez(path, **arrays)  # type: ignore[arg-type]  # numpy's stub reads the names as its own keywords


def load_sentence_classifiers(path: Path) -> dict[str, SectionClassifier]:
    """The saved classifiers; none when the file is missing (quotes are then chosen without them)."""
    if not path.is_file():
        return {}
    with np.load(path, allow_pickle=False) as data:
        sections = {key.split("|")[0] for key in data.files}
        return {
            s: SectionClassifier(tuple(str(x) for x in data[f"{s}|labels"]), data[f"{s}|weights"], data[f"{s}|bias"])
            for s in sections
        }
