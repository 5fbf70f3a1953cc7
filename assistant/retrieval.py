"""Ranking the notice's sections for a question: dense FAISS search fused with lexical evidence."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from assistant.chunks import OUT_OF_SCOPE, Chunk, item_of, reading_position
from assistant.classifier import SectionClassifier
from assistant.index import LoadedIndex
from assistant.text import plain_words
from assistant.tuning import SIGNAL_WEIGHTS

_OWN = object()  # the retriever's own section classifier (the index's)


@dataclass
class SectionHit:
    """A ranked section in one language, with the evidence behind its score."""

    section_id: str
    language: str
    score: float
    signals: dict[str, float]
    dense: float  # the best raw cosine of its notice text (chunks, sentences)
    question_match: float  # the best raw cosine of its typical questions (query to query), 0 without any
    sentences: list[tuple[int, float]] = field(default_factory=list)  # (unit position, cosine), best first
    best_question: int | None = None  # the unit position of its nearest typical question
    # A long list item's sentences, by the item's unit position: (unit position, cosine), in reading order.
    parts: dict[int, list[tuple[int, float]]] = field(default_factory=dict)


@dataclass
class Ranking:
    """One retrieval: ranked sections, the query vector, its cosine with every unit, and the retriever used."""

    hits: list[SectionHit]
    vector: np.ndarray
    dense: np.ndarray
    retriever: Retriever
    lexical: dict[str, float]  # best character n-gram similarity with each section's questions and OUT_OF_SCOPE's
    probabilities: dict[str, float]  # the section classifier's, by section id and OUT_OF_SCOPE ({} without one)


class Retriever:
    """Everything a query needs, precomputed once per index: unit groups and lexical models per language."""

    hidden: np.ndarray | None = None  # units held out (see `without`)
    hidden_set: frozenset[int] = frozenset()
    classifier: Any = None  # SectionClassifier, None (no classifier signal) or _OWN (the index's own)

    def __init__(self, loaded: LoadedIndex) -> None:
        self.loaded = loaded
        self.classifier = _OWN
        self.chunks = loaded.chunks
        # Every unit's stored vector (a flat index keeps them): answers compare sentences with typical questions.
        self.vectors = loaded.faiss_index.reconstruct_n(0, loaded.faiss_index.ntotal)
        self.languages = sorted({c.language for c in self.chunks})
        self.section_ids: list[str] = list(
            dict.fromkeys(c.section_id for c in self.chunks if c.section_id != OUT_OF_SCOPE)
        )
        self.units: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # (lang, section, kind) -> positions
        for position, chunk in enumerate(self.chunks):
            self.units[(chunk.language, chunk.section_id, chunk.kind)].append(position)
        # A long list item's sentence units ("part"), by the item's unit position, in reading order.
        by_id = {chunk.chunk_id: position for position, chunk in enumerate(self.chunks)}
        self.parts: dict[int, list[int]] = defaultdict(list)
        for position, chunk in enumerate(self.chunks):
            if chunk.kind == "part":
                self.parts[by_id[item_of(chunk.chunk_id)]].append(position)
        self.question_positions = self._positions("question")
        self.out_of_scope_positions = self._positions("out_of_scope")
        self.lexical: dict[str, tuple[TfidfVectorizer, np.ndarray, list[str]]] = {}
        for lang in self.languages:
            ids = [s for s in self.section_ids if self.units.get((lang, s, "chunk"))]
            texts = [self.section_text(lang, s) for s in ids]
            vectorizer = char_ngrams()
            matrix = vectorizer.fit_transform(texts)
            self.lexical[lang] = (vectorizer, matrix, ids)
        # Which character n-grams each quotable unit (sentence, list item, part) holds, for choosing quotes.
        self.quotable_rows: dict[int, int] = {}
        self.quotable_ngrams: dict[str, Any] = {}  # per language: a sparse matrix, one row per quotable unit
        for lang in self.languages:
            positions = [p for p, c in enumerate(self.chunks) if c.language == lang and c.kind in ("sentence", "part")]
            self.quotable_rows.update({p: row for row, p in enumerate(positions)})
            if positions:
                units = self.lexical[lang][0].transform([self.chunks[p].text for p in positions])
                self.quotable_ngrams[lang] = (units > 0).astype(np.float32)
        # The same over the question banks, one row per typical or out-of-scope question: customers' intent
        # words ("rechtsgrond", "réécouter", "turn off") that the encoder weighs less than the topic.
        self.bank_positions = {
            lang: np.concatenate([self.question_positions[lang], self.out_of_scope_positions[lang]])
            for lang in self.languages
        }
        self.bank_lexical: dict[str, tuple[TfidfVectorizer, Any]] = {}
        self.bank_groups: dict[str, dict[str, np.ndarray]] = {}  # per language: section id (or "-") -> rows
        for lang, bank in self.bank_positions.items():
            if not len(bank):
                continue
            vectorizer = char_ngrams()
            self.bank_lexical[lang] = (vectorizer, vectorizer.fit_transform([self.chunks[p].text for p in bank]))
            groups: dict[str, list[int]] = defaultdict(list)
            for row, position in enumerate(bank):
                groups[self.chunks[position].section_id].append(row)
            self.bank_groups[lang] = {s: np.array(r) for s, r in groups.items()}

    def _positions(self, kind: str) -> dict[str, np.ndarray]:
        """Per language, the FAISS positions of one kind of unit."""
        return {
            lang: np.array([p for p, c in enumerate(self.chunks) if c.kind == kind and c.language == lang], dtype=int)
            for lang in self.languages
        }

    def section_text(self, lang: str, section_id: str) -> str:
        positions = self.units.get((lang, section_id, "sentence"), []) or self.units.get(
            (lang, section_id, "chunk"), []
        )
        first = self.chunks[positions[0]] if positions else None
        return " ".join([first.title if first else "", *(self.chunks[p].text for p in positions)])

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with every unit, by FAISS position (a flat index: exact search)."""
        total = self.loaded.faiss_index.ntotal
        distances, positions = self.loaded.faiss_index.search(query_vector.reshape(1, -1), total)
        scores = np.full(total, -1.0, dtype=np.float32)
        valid = positions[0] >= 0
        scores[positions[0][valid]] = distances[0][valid]
        return scores

    def lexical_scores(self, text: str, lang: str) -> dict[str, float]:
        vectorizer, matrix, ids = self.lexical[lang]
        similarities = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
        return dict(zip(ids, similarities.tolist(), strict=True))

    def question_coverage(self, text: str, lang: str, positions: list[int]) -> np.ndarray:
        """For each of these quotable units of one language, the share of the text's character n-gram weight
        found in it: unlike a cosine, it does not favour short sentences ("see our Cookie Notice")."""
        query = self.lexical[lang][0].transform([text])
        present = self.quotable_ngrams[lang][[self.quotable_rows[p] for p in positions]]
        return (present @ query.multiply(query).T).toarray().ravel()  # squared weights of a unit vector sum to 1

    def bank_similarities(self, text: str, lang: str, exclude: frozenset[int] = frozenset()) -> dict[str, float]:
        """Per section id (OUT_OF_SCOPE for the out-of-scope bank), the best character n-gram similarity of the
        text with one of its questions; the questions at the `exclude` positions are left out."""
        if lang not in self.bank_lexical:
            return {}
        vectorizer, matrix = self.bank_lexical[lang]
        similarities = (matrix @ vectorizer.transform([text]).T).toarray().ravel()
        if exclude:
            similarities[np.isin(self.bank_positions[lang], list(exclude))] = 0.0
        return {key: float(similarities[rows].max()) for key, rows in self.bank_groups[lang].items()}

    def served_language(self, language: str) -> str:
        """The language ranked for a question in `language`: itself, or the first indexed one."""
        return language if language in self.languages else self.languages[0]

    def section_probabilities(self, vector: np.ndarray) -> dict[str, float]:
        """The classifier's probability of each section id (and OUT_OF_SCOPE) for a query vector; {} without one."""
        classifier = self.loaded.classifier if self.classifier is _OWN else self.classifier
        return classifier.probabilities(vector) if classifier else {}

    def without(self, positions: np.ndarray, classifier: SectionClassifier | None) -> Retriever:
        """A view of this retriever in which the units at `positions` (bank questions held out) do not exist and
        the section classifier is another one (trained without them): the evaluation's held-out checks run the
        product's own ranking and abstention on it."""
        view = copy.copy(self)
        view.hidden = np.asarray(positions, dtype=int)
        view.hidden_set = frozenset(view.hidden.tolist())
        view.classifier = classifier
        return view

    def ranking(self, text: str, vector: np.ndarray, language: str, weights: dict[str, float] | None = None) -> Ranking:
        """Every signal for a query (its text and vector) and the sections ranked by them."""
        dense = self.dense_scores(vector)
        if self.hidden is not None:  # a held-out view: these units are not there
            dense[self.hidden] = -1.0
        lexical = self.bank_similarities(text, self.served_language(language), self.hidden_set)
        probabilities = self.section_probabilities(vector)
        hits = self.rank(text, dense, language, lexical, probabilities, weights)
        return Ranking(hits, vector, dense, self, lexical, probabilities)

    def rank(
        self,
        query_text: str,
        dense: np.ndarray,
        language: str,
        bank: dict[str, float] | None = None,
        probabilities: dict[str, float] | None = None,
        weights: dict[str, float] | None = None,
    ) -> list[SectionHit]:
        """Sections in the given language (or the closest available one), best first; `dense` from dense_scores,
        `bank` from bank_similarities, `probabilities` from section_probabilities (or {} to leave it out), the
        signals fused with `weights` (default: tuning.SIGNAL_WEIGHTS)."""
        weights = weights or SIGNAL_WEIGHTS
        lang = self.served_language(language)
        lexical = self.lexical_scores(query_text, lang)
        question_lexical = self.bank_similarities(query_text, lang) if bank is None else bank
        raw: dict[str, dict[str, float]] = {}
        best_dense: dict[str, float] = {}
        best_question: dict[str, int] = {}  # section id -> unit position of its nearest typical question
        for section_id in self.section_ids:
            chunk_positions = self.units.get((lang, section_id, "chunk"), [])
            if not chunk_positions:
                continue
            sentence_positions = self.units.get((lang, section_id, "sentence"), [])
            chunk_best = float(dense[chunk_positions].max())
            sentence_best = float(dense[sentence_positions].max()) if sentence_positions else chunk_best
            others = [
                float(dense[p].max())
                for other in self.languages
                if other != lang and (p := self.units.get((other, section_id, "chunk")))
            ]
            question_positions = self.units.get((lang, section_id, "question"), [])
            if question_positions:
                best_question[section_id] = question_positions[int(np.argmax(dense[question_positions]))]
            other_questions = [
                float(dense[p].max())
                for other in self.languages
                if other != lang and (p := self.units.get((other, section_id, "question")))
            ]
            raw[section_id] = {
                "dense_chunk": chunk_best,
                "dense_sentence": sentence_best,
                "dense_other_languages": max(others) if others else chunk_best,
                "dense_question": float(dense[best_question[section_id]]) if question_positions else chunk_best,
                "dense_question_other_languages": max(other_questions) if other_questions else chunk_best,
                "lexical": lexical.get(section_id, 0.0),
                "lexical_question": question_lexical.get(section_id, 0.0),
                "classifier": (probabilities or {}).get(section_id, 0.0),
            }
            best_dense[section_id] = max(chunk_best, sentence_best)
        standardised = _standardise(raw)
        hits = []
        for section_id, signals in raw.items():
            score = sum(weight * standardised[section_id][name] for name, weight in weights.items() if weight)
            sentences = sorted(
                ((p, float(dense[p])) for p in self.units.get((lang, section_id, "sentence"), [])),
                key=lambda pair: pair[1],
                reverse=True,
            )
            nearest = best_question.get(section_id)
            question_match = float(dense[nearest]) if nearest is not None else 0.0
            parts = {p: [(q, float(dense[q])) for q in self.parts[p]] for p, _ in sentences if p in self.parts}
            hits.append(
                SectionHit(
                    section_id, lang, score, signals, best_dense[section_id], question_match, sentences, nearest, parts
                )
            )
        return sorted(hits, key=lambda hit: hit.score, reverse=True)

    def chunk(self, position: int) -> Chunk:
        return self.chunks[position]

    def adjacent(self, first: int, second: int) -> bool:
        """True when two quotable units follow each other in their section (quoted as one passage, no gap)."""
        a, b = self.chunks[first], self.chunks[second]
        if a.kind != b.kind or a.section_id != b.section_id or a.language != b.language:
            return False
        if a.kind == "part":
            return item_of(a.chunk_id) == item_of(b.chunk_id) and second == first + 1
        one, two = reading_position(a.chunk_id), reading_position(b.chunk_id)
        return one is not None and two is not None and two == one + 1


def char_ngrams() -> TfidfVectorizer:
    """Character n-grams over accent-free text: robust to typos, missing accents and inflection."""
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=plain_words)


def _standardise(raw: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each signal as a z-score over the sections, so that signals on different scales can be added."""
    names = next(iter(raw.values())).keys() if raw else []
    result: dict[str, dict[str, float]] = {section: {} for section in raw}
    for name in names:
        values = np.array([signals[name] for signals in raw.values()])
        mean, spread = float(values.mean()), float(values.std()) or 1.0
        for section, signals in raw.items():
            result[section][name] = (signals[name] - mean) / spread
    return result
