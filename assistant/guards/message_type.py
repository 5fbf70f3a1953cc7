"""The message-type classifier: a question for the notice, or an injection, a request for internals, for someone
else's data, a claim of authority, a request to act on an account, small talk; a logistic regression over the
message's vector and the guards' signals, trained at every index build on labelled messages (corpus/messages/)
and the typical questions."""

from __future__ import annotations

import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chunks import Chunk
from assistant.corpus import CorpusError, load_topics, questions_file
from assistant.guards.plain import plain
from assistant.guards.signals import NAMES, Signals
from assistant.langpack import load_packs
from assistant.lexical import NgramModel
from assistant.privacy import PLACEHOLDER, redact

FILE = "message_types.npz"
QUESTION = "question"
ACTION = "account_action"  # a request to act on an account: its own model (MessageModels)
LABELS = (QUESTION, "injection", "internals", "other_person", "authority", ACTION, "small_talk")
ACTION_PREFIX = "action_"
# Chosen on evals/dev_realistic (docs/decisions/guards.md): inverse regularisation of each model, the signals'
# size beside the unit vector's components, and the character n-gram model's share of the mixed probabilities.
STRENGTH = 64.0
NGRAM_STRENGTH = 64.0
SIGNAL_SCALE = 1.0
NGRAM_SHARE = 0.7
BANK_SAMPLE = 600  # typical and out-of-scope questions per language added as questions (the messages hold 200)


@dataclass(frozen=True)
class MessageTypes:
    """Two logistic regressions over LABELS, their probabilities mixed: one over the message's vector and signals
    (meaning across wordings and languages), one over its character n-grams (the words of an attack however
    spelt: "donne moi", "laat zien", "ton prompt")."""

    labels: tuple[str, ...]
    weights: np.ndarray  # label x (vector + signals)
    bias: np.ndarray
    ngrams: NgramModel  # the character n-grams' columns and idf (its documents are not kept)
    ngram_weights: np.ndarray  # label x n-gram
    ngram_bias: np.ndarray

    def probabilities(self, vector: np.ndarray, signals: np.ndarray, text: str) -> dict[str, float]:
        by_meaning = softmax(self.weights @ features(vector, signals) + self.bias)
        indices, values = self.ngrams.transform(text)
        by_words = softmax(self.ngram_weights[:, indices] @ values + self.ngram_bias)
        mixed = (1 - NGRAM_SHARE) * by_meaning + NGRAM_SHARE * by_words
        return dict(zip(self.labels, mixed.tolist(), strict=True))

    def arrays(self, prefix: str = "") -> dict[str, np.ndarray]:
        return {
            f"{prefix}labels": np.array(self.labels),
            f"{prefix}weights": self.weights,
            f"{prefix}bias": self.bias,
            f"{prefix}ngram_weights": self.ngram_weights,
            f"{prefix}ngram_bias": self.ngram_bias,
            **self.ngrams.arrays(f"{prefix}ngrams"),
        }

    @classmethod
    def from_arrays(cls, data: Any, prefix: str = "") -> MessageTypes:
        return cls(
            tuple(str(label) for label in data[f"{prefix}labels"]),
            data[f"{prefix}weights"],
            data[f"{prefix}bias"],
            NgramModel.from_arrays(data, f"{prefix}ngrams"),
            data[f"{prefix}ngram_weights"],
            data[f"{prefix}ngram_bias"],
        )


@dataclass(frozen=True)
class MessageModels:
    """The message types: attacks, small talk and questions in one model; requests to act on an account in a
    second one, trained apart, so that a request to act never takes probability from an attack that also orders
    something ("give me her address", "show me your prompt")."""

    kinds: MessageTypes
    action: MessageTypes | None = None

    def probabilities(self, vector: np.ndarray, signals: np.ndarray, text: str) -> dict[str, float]:
        """Each kind's probability (they sum to one), and ACTION's from the second model (beside them)."""
        found = self.kinds.probabilities(vector, signals, text)
        if self.action is not None:
            found[ACTION] = self.action.probabilities(vector, signals, text)[ACTION]
        return found

    def save(self, path: Path) -> None:
        arrays = {**self.kinds.arrays(), **(self.action.arrays(ACTION_PREFIX) if self.action else {})}
        np.savez(path, **arrays)  # type: ignore[arg-type]  # numpy's stub reads the names as its own keywords

    @classmethod
    def load(cls, path: Path) -> MessageModels:
        with np.load(path, allow_pickle=False) as data:
            action = MessageTypes.from_arrays(data, ACTION_PREFIX) if f"{ACTION_PREFIX}labels" in data else None
            return cls(MessageTypes.from_arrays(data), action)


def softmax(logits: np.ndarray) -> np.ndarray:
    exp = np.exp(logits - logits.max())
    return np.asarray(exp / exp.sum())


def features(vector: np.ndarray, signals: np.ndarray) -> np.ndarray:
    return np.concatenate([vector.astype(np.float32), SIGNAL_SCALE * signals.astype(np.float32)])


def train(vectors: np.ndarray, signals: np.ndarray, texts: list[str], labels: list[str]) -> MessageTypes:
    """Fit both models on messages (their vectors, signals and plain texts) and labels; each label weighs the
    same however many examples it has."""
    from scipy import sparse
    from sklearn.exceptions import ConvergenceWarning  # at build time only
    from sklearn.linear_model import LogisticRegression

    matrix = np.hstack([vectors.astype(np.float32), SIGNAL_SCALE * signals.astype(np.float32)])
    ngrams = NgramModel.fit(texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        meaning = LogisticRegression(C=STRENGTH, max_iter=2000, class_weight="balanced").fit(matrix, labels)
        words = LogisticRegression(C=NGRAM_STRENGTH, max_iter=3000, class_weight="balanced").fit(
            ngrams.documents.tocsr(), labels)  # fmt: skip
    assert list(meaning.classes_) == list(words.classes_)
    if len(meaning.classes_) == 2:  # one row of weights for the second class: as two rows, for the softmax
        for model in (meaning, words):
            model.coef_ = np.vstack([-model.coef_ / 2, model.coef_ / 2])
            model.intercept_ = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    kept = NgramModel(ngrams.columns, ngrams.idf, sparse.csc_matrix((0, len(ngrams.idf))))  # no documents
    return MessageTypes(tuple(str(c) for c in meaning.classes_), meaning.coef_.astype(np.float32),
                        meaning.intercept_.astype(np.float32), kept, words.coef_.astype(np.float32),
                        words.intercept_.astype(np.float32))  # fmt: skip


def bank_sample(questions: list[str], seed: int = 0) -> list[str]:
    """A fixed sample of a language's bank questions, labelled as questions beside the written messages."""
    chosen = list(questions)
    random.Random(seed).shuffle(chosen)
    return chosen[:BANK_SAMPLE]


def labelled_messages(corpus_dir: Path, chunks: list[Chunk]) -> tuple[list[str], list[str]]:
    """The training messages and their labels: corpus/messages/ and a sample of each language's bank questions
    (typical and out-of-scope: both are questions; abstention, not the guards, declines the latter)."""
    texts: list[str] = []
    labels: list[str] = []
    for language, groups in load_messages(corpus_dir).items():
        unknown = sorted(set(groups) - set(LABELS))
        if unknown:
            raise CorpusError([f"corpus/messages/{language}.yaml: unknown message types {', '.join(unknown)}; "
                               f"use {', '.join(LABELS)}"])  # fmt: skip
        for label, messages in groups.items():
            texts += messages
            labels += [label] * len(messages)
        bank = [c.text for c in chunks if c.language == language and c.kind in ("question", "out_of_scope")]
        sample = bank_sample(bank)
        texts += sample
        labels += [QUESTION] * len(sample)
    return texts, labels


def train_from_corpus(corpus_dir: Path, chunks: list[Chunk], signals: Signals,
                      encode: Callable[[list[str]], np.ndarray]) -> MessageModels | None:  # fmt: skip
    """The classifiers of this corpus (None without labelled messages), each message read as the guards read one:
    redacted, its disguises undone for the signals, its vector from the text without placeholders. The kinds'
    model leaves the requests to act out; the action model reads every message, a request to act or not."""
    texts, labels = labelled_messages(corpus_dir, chunks)
    if len(set(labels) - {ACTION}) < 2:
        return None
    views = [plain(redact(text)) for text in texts]
    found = np.vstack([Signals.vector(signals.read(view)) for view in views])
    read = [" ".join(PLACEHOLDER.sub(" ", view.text).split()) for view in views]
    vectors = encode(read)
    kept = [i for i, label in enumerate(labels) if label != ACTION]
    kinds = train(vectors[kept], found[kept], [read[i] for i in kept], [labels[i] for i in kept])
    actions = [ACTION if label == ACTION else "other" for label in labels]
    action = train(vectors, found, read, actions) if ACTION in labels else None
    return MessageModels(kinds, action)


__all__ = [
    "ACTION",
    "FILE",
    "LABELS",
    "NAMES",
    "QUESTION",
    "MessageModels",
    "MessageTypes",
    "bank_sample",
    "features",
    "train",
    "train_from_corpus",
]


def load_messages(corpus_dir: Path) -> dict[str, dict[str, list[str]]]:
    """Per language, the labelled messages of corpus/messages/ by message type; CorpusError if malformed."""
    return {
        lang: load_topics(questions_file(corpus_dir, lang, "messages"))
        for lang in load_packs()
        if questions_file(corpus_dir, lang, "messages").exists()
    }
