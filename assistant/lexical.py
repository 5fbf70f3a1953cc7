"""Character n-gram TF-IDF models: fitted with scikit-learn when an index is built, read back without it to serve."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from assistant.chunks import Chunk, section_order, unit_groups
from assistant.text import plain_words

NGRAMS = (3, 5)  # character n-grams within words, padded with a space at each end ("char_wb")
FILE = "lexical.npz"


def char_wb_ngrams(text: str, low: int = NGRAMS[0], high: int = NGRAMS[1]) -> list[str]:
    """The n-grams of each word of the text with a space on either side, as scikit-learn's "char_wb" makes them."""
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            offset = 0
            grams.append(padded[:n])
            while offset + n < length:
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


@lru_cache(maxsize=64)
def ngrams_of(text: str) -> tuple[str, ...]:
    """A text's n-grams, as every model reads them (cached: one request reads them for three models)."""
    return tuple(char_wb_ngrams(plain_words(text)))


def vectorizer() -> Any:
    """The scikit-learn model an index build fits: character n-grams over accent-free words, sublinear TF-IDF, L2
    norm (robust to typos, missing accents and inflection)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAMS, sublinear_tf=True, preprocessor=plain_words)


def weighted_columns(matrix: Any, indices: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """matrix[:, indices] @ weights for a CSC matrix, gathered straight from its arrays: a tenth of the time of
    scipy's column slicing, and it runs on every request."""
    starts = matrix.indptr[indices]
    lengths = matrix.indptr[indices + 1] - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(matrix.shape[0])
    # The positions of every stored value of the chosen columns, column after column.
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
    values = matrix.data[offsets] * np.repeat(weights, lengths)
    return np.bincount(matrix.indices[offsets], weights=values, minlength=matrix.shape[0])


@dataclass
class NgramModel:
    """A fitted model: each n-gram's column and idf, and its documents as rows (L2-normalised TF-IDF)."""

    columns: dict[str, int]
    idf: np.ndarray
    documents: Any  # a CSC sparse matrix, documents x n-grams: a query reads only its own n-grams' columns

    @classmethod
    def fit(cls, texts: list[str]) -> NgramModel:
        model = vectorizer()
        matrix = model.fit_transform(texts)
        return cls(dict(model.vocabulary_), np.asarray(model.idf_, dtype=np.float64), matrix.tocsc())

    def transform(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The text's n-grams known to the model (column indices) and their weights, as the fitted model would
        weigh them: 1 + log(count), times idf, normalised to unit length."""
        get = self.columns.get
        known = np.array([get(gram, -1) for gram in ngrams_of(text)], dtype=np.int64)
        indices, counts = np.unique(known[known >= 0], return_counts=True)
        if not len(indices):
            return indices, np.zeros(0)
        weights = (1.0 + np.log(counts)) * self.idf[indices]
        return indices, weights / np.linalg.norm(weights)

    def similarities(self, text: str) -> np.ndarray:
        """The cosine of the text with every document."""
        indices, weights = self.transform(text)
        return weighted_columns(self.documents, indices, weights)

    def presence(self, texts: list[str]) -> Any:
        """A CSC matrix with a 1 where a text holds a known n-gram (for the share of a query found in a text)."""
        rows, cols = [], []
        for row, text in enumerate(texts):
            indices, _ = self.transform(text)
            rows += [row] * len(indices)
            cols += indices.tolist()
        data = np.ones(len(rows), dtype=np.float64)
        return sparse.csc_matrix((data, (rows, cols)), shape=(len(texts), len(self.idf)))

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The model as plain arrays (for np.savez): n-grams in column order, idf, the documents' CSC parts."""
        grams = np.array(sorted(self.columns, key=self.columns.__getitem__))
        matrix = self.documents
        return {f"{prefix}.grams": grams, f"{prefix}.idf": self.idf, f"{prefix}.data": matrix.data,
                f"{prefix}.indices": matrix.indices, f"{prefix}.indptr": matrix.indptr,
                f"{prefix}.shape": np.array(matrix.shape)}  # fmt: skip

    @classmethod
    def from_arrays(cls, data: Any, prefix: str) -> NgramModel:
        grams = data[f"{prefix}.grams"]
        shape = tuple(int(n) for n in data[f"{prefix}.shape"])
        documents = sparse.csc_matrix(
            (data[f"{prefix}.data"], data[f"{prefix}.indices"], data[f"{prefix}.indptr"]), shape=shape
        )
        return cls({str(g): i for i, g in enumerate(grams)}, data[f"{prefix}.idf"], documents)


def save_models(models: dict[str, NgramModel], path: Path) -> None:
    arrays: dict[str, np.ndarray] = {}
    for name, model in models.items():
        arrays.update(model.arrays(name))
    np.savez(path, **arrays)  # type: ignore[arg-type]  # numpy's stub reads the names as its own keywords


def load_models(path: Path) -> dict[str, NgramModel]:
    with np.load(path, allow_pickle=False) as data:
        names = sorted({key.rsplit(".", 1)[0] for key in data.files})
        return {name: NgramModel.from_arrays(data, name) for name in names}


def section_text(chunks: list[Chunk], units: dict[tuple[str, str, str], list[int]], lang: str, section: str) -> str:
    """A section's title and sentences (its chunks for a section without sentences): its character n-gram model's
    document."""
    positions = units.get((lang, section, "sentence"), []) or units.get((lang, section, "chunk"), [])
    first = chunks[positions[0]] if positions else None
    return " ".join([first.title if first else "", *(chunks[p].text for p in positions)])


def fit_lexical(chunks: list[Chunk]) -> dict[str, NgramModel]:
    """The character n-gram models an index build fits (with scikit-learn), per language: one over the sections'
    text, one over the question banks (typical and out-of-scope questions, one row each, in unit order)."""
    units = unit_groups(chunks)
    models: dict[str, NgramModel] = {}
    for lang in sorted({c.language for c in chunks}):
        present = [s for s in section_order(chunks) if units.get((lang, s, "chunk"))]
        if present:
            models[f"sections.{lang}"] = NgramModel.fit([section_text(chunks, units, lang, s) for s in present])
        bank = [c.text for kind in ("question", "out_of_scope") for c in chunks
                if c.kind == kind and c.language == lang]  # fmt: skip
        if bank:
            models[f"bank.{lang}"] = NgramModel.fit(bank)
    return models
