"""Which section a question is about, learnt from the typical questions: a logistic regression over their vectors."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.chunks import Chunk

# Inverse regularisation strength, chosen on held-out bank questions (see README, "Retrieval"): hit@1 is flat
# from 64 to 256 and falls off below 16.
STRENGTH = 64.0
TOLERANCE = 1e-6  # see train_classifier
FILE = "classifier.npz"
BANK_KINDS = ("question", "out_of_scope")


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


def train_classifier(vectors: np.ndarray, labels: list[str], strength: float = STRENGTH) -> SectionClassifier | None:
    """Fit the classifier on question vectors and their section ids; None when there are fewer than two labels."""
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
        model.fit(vectors, labels)
    return SectionClassifier(
        tuple(str(label) for label in model.classes_),
        model.coef_.astype(np.float32),
        model.intercept_.astype(np.float32),
    )
