"""Ranking the notice's sections for a query: dense cosines with every unit fused with lexical evidence."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from assistant.chunks import Chunk, item_of, reading_position, section_order, unit_groups, unit_of
from assistant.classifier import SectionClassifier
from assistant.index import LoadedIndex
from assistant.lexical import NgramModel, weighted_columns
from assistant.tuning import SIGNAL_WEIGHTS

_OWN = object()  # the retriever's own section classifier (the index's)
QUOTABLE = ("sentence", "part")


@dataclass
class SectionHit:
    """A ranked section in one language, with the evidence behind its score."""

    section_id: str
    language: str
    score: float
    signals: dict[str, float]
    dense: float  # the best raw cosine of its notice text (chunks, sentences)
    question_match: float  # the best raw cosine of its typical questions (query to query), 0 without any
    best_question: int | None = None  # the unit position of its nearest typical question
    _retriever: Any = field(default=None, repr=False, compare=False)
    _cosines: Any = field(default=None, repr=False, compare=False)

    @cached_property
    def sentences(self) -> list[tuple[int, float]]:
        """(unit position, cosine) of its sentences (and whole list items), best first."""
        positions = self._retriever.units.get((self.language, self.section_id, "sentence"), [])
        return sorted(((p, float(self._cosines[p])) for p in positions), key=lambda pair: pair[1], reverse=True)

    @cached_property
    def asked(self) -> dict[int, float]:
        """Each of its quotable units' best cosine with the questions written for that unit, by unit position."""
        asked = self._retriever.asked
        units = [p for p, _ in self.sentences] + [q for parts in self.parts.values() for q, _ in parts]
        return {p: float(self._cosines[asked[p]].max()) for p in units if p in asked}

    @cached_property
    def parts(self) -> dict[int, list[tuple[int, float]]]:
        """A long list item's sentences, by the item's unit position: (unit position, cosine), in reading order."""
        parts = self._retriever.parts
        return {p: [(q, float(self._cosines[q])) for q in parts[p]] for p, _ in self.sentences if p in parts}


@dataclass
class Ranking:
    """One retrieval: ranked sections, the query vector, its cosine with every unit, and the retriever used."""

    hits: list[SectionHit]
    vector: np.ndarray
    dense: np.ndarray
    retriever: Retriever
    lexical: dict[str, float]  # best character n-gram similarity with each section's questions and OUT_OF_SCOPE's
    probabilities: dict[str, float]  # the section classifier's, by section id and OUT_OF_SCOPE ({} without one)


def first_section(ranking: Ranking | None) -> str | None:
    """The id of the ranking's first section; None without one (it is in no list of sections)."""
    return ranking.hits[0].section_id if ranking is not None and ranking.hits else None


@dataclass(frozen=True)
class Groups:
    """Unit positions grouped by section, so that one `np.maximum.reduceat` gives every section's best cosine."""

    order: np.ndarray  # unit positions, section by section (each section's in ascending order)
    starts: np.ndarray  # where each section's group starts in `order`
    sections: np.ndarray  # each group's section (its index in Retriever.section_ids)

    @classmethod
    def of(cls, members: dict[int, list[int]]) -> Groups:
        keys = sorted(k for k, v in members.items() if v)
        order = [p for k in keys for p in sorted(members[k])]
        starts = np.cumsum([0] + [len(members[k]) for k in keys[:-1]]) if keys else np.zeros(0, dtype=int)
        return cls(np.array(order, dtype=int), np.asarray(starts, dtype=int), np.array(keys, dtype=int))

    def maxima(self, values: np.ndarray, size: int) -> np.ndarray:
        """Each section's largest value (-inf for a section without units)."""
        out = np.full(size, -np.inf)
        if len(self.order):
            out[self.sections] = np.maximum.reduceat(values[self.order], self.starts)
        return out

    def argmaxima(self, values: np.ndarray, size: int) -> np.ndarray:
        """Each section's unit with the largest value, the first in position order on a tie (-1 without units)."""
        out = np.full(size, -1, dtype=int)
        if len(self.order):
            group_values = values[self.order]
            best = np.maximum.reduceat(group_values, self.starts)
            counts = np.diff(np.append(self.starts, len(self.order)))
            at_best = np.flatnonzero(group_values == np.repeat(best, counts))
            out[self.sections] = self.order[at_best[np.searchsorted(at_best, self.starts)]]
        return out


class Retriever:
    """Everything a query needs, prepared once per index: unit groups, vectors and character n-gram models."""

    hidden: np.ndarray | None = None  # units held out (see `without`)
    hidden_set: frozenset[int] = frozenset()
    classifier: Any = None  # SectionClassifier, None (no classifier signal) or _OWN (the index's own)

    def __init__(self, loaded: LoadedIndex) -> None:
        self.loaded = loaded
        self.classifier = _OWN
        self.chunks = loaded.chunks
        # Every unit's stored vector (a flat index keeps them): the query's cosines are one matrix product.
        self.vectors = loaded.faiss_index.reconstruct_n(0, loaded.faiss_index.ntotal)
        self.languages = sorted({c.language for c in self.chunks})
        self.section_ids = section_order(self.chunks)
        self.section_index = {s: i for i, s in enumerate(self.section_ids)}
        self.units = unit_groups(self.chunks)
        by_id = {chunk.chunk_id: position for position, chunk in enumerate(self.chunks)}
        self.by_id = by_id
        self.parts: dict[int, list[int]] = defaultdict(list)  # a long list item's sentences, in reading order
        asked: dict[int, list[int]] = defaultdict(list)
        for position, chunk in enumerate(self.chunks):
            if chunk.kind == "part":
                self.parts[by_id[item_of(chunk.chunk_id)]].append(position)
            elif chunk.kind == "asked":
                asked[by_id[unit_of(chunk.chunk_id)]].append(position)
        # A quotable unit's written questions (corpus/sentence_questions), by the unit's position.
        self.asked = {unit: np.array(positions) for unit, positions in asked.items()}
        self.question_positions = self._positions("question")
        self.out_of_scope_positions = self._positions("out_of_scope")
        self.bank_positions = {
            lang: np.concatenate([self.question_positions[lang], self.out_of_scope_positions[lang]])
            for lang in self.languages
        }
        self.groups = {
            (lang, kind): Groups.of({self.section_index[s]: self.units.get((lang, s, kind), [])
                                     for s in self.section_ids})
            for lang in self.languages for kind in ("chunk", "sentence", "question")
        }  # fmt: skip
        self.models: dict[str, NgramModel] = loaded.lexical
        # Per language: the sections with notice text (the sections ranked), and the bank's rows by section.
        self.present = {lang: [s for s in self.section_ids if self.units.get((lang, s, "chunk"))]
                        for lang in self.languages}  # fmt: skip
        self.bank_groups: dict[str, tuple[list[str], Groups]] = {}  # per language: section ids, their bank rows
        for lang, bank in self.bank_positions.items():
            rows: dict[str, list[int]] = defaultdict(list)
            for row, position in enumerate(bank):
                rows[self.chunks[position].section_id].append(row)
            keys = list(rows)
            self.bank_groups[lang] = (keys, Groups.of({k: rows[key] for k, key in enumerate(keys)}))
        # Which character n-grams each quotable unit (sentence, list item, part) holds, for choosing quotes.
        self.quotable_rows: dict[int, int] = {}
        self.quotable_ngrams: dict[str, Any] = {}
        for lang in self.languages:
            positions = [p for p, c in enumerate(self.chunks) if c.language == lang and c.kind in QUOTABLE]
            self.quotable_rows.update({p: row for row, p in enumerate(positions)})
            if positions and f"sections.{lang}" in self.models:
                texts = [self.chunks[p].text for p in positions]
                self.quotable_ngrams[lang] = self.models[f"sections.{lang}"].presence(texts)

    def _positions(self, kind: str) -> dict[str, np.ndarray]:
        """Per language, the positions of one kind of unit."""
        return {
            lang: np.array([p for p, c in enumerate(self.chunks) if c.kind == kind and c.language == lang], dtype=int)
            for lang in self.languages
        }

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Cosine of the query with every unit, by position (exact: the vectors of the flat index)."""
        return self.vectors @ query_vector.astype(np.float32)

    def lexical_scores(self, text: str, lang: str) -> dict[str, float]:
        model = self.models.get(f"sections.{lang}")
        if model is None:
            return {}
        return dict(zip(self.present[lang], model.similarities(text).tolist(), strict=True))

    def question_coverage(self, text: str, lang: str, positions: list[int]) -> np.ndarray:
        """For each of these quotable units of one language, the share of the text's character n-gram weight
        found in it: unlike a cosine, it does not favour short sentences ("see our Cookie Notice")."""
        indices, weights = self.models[f"sections.{lang}"].transform(text)
        shares = weighted_columns(self.quotable_ngrams[lang], indices, weights * weights)  # squares sum to 1
        return shares[[self.quotable_rows[p] for p in positions]]

    def bank_similarities(self, text: str, lang: str, exclude: frozenset[int] = frozenset()) -> dict[str, float]:
        """Per section id (OUT_OF_SCOPE for the out-of-scope bank), the best character n-gram similarity of the
        text with one of its questions; the questions at the `exclude` positions are left out."""
        model = self.models.get(f"bank.{lang}")
        if model is None:
            return {}
        similarities = model.similarities(text)
        if exclude:
            similarities[np.isin(self.bank_positions[lang], list(exclude))] = 0.0
        keys, groups = self.bank_groups[lang]
        return dict(zip(keys, groups.maxima(similarities, len(keys)).tolist(), strict=True))

    def served_language(self, language: str) -> str:
        """The language ranked for a question in `language`: itself, or the first indexed one."""
        return language if language in self.languages else self.languages[0]

    def section_probabilities(self, vector: np.ndarray) -> dict[str, float]:
        """The classifier's probability of each section id (and OUT_OF_SCOPE) for a query vector; {} without one."""
        classifier = self.loaded.classifier if self.classifier is _OWN else self.classifier
        return classifier.probabilities(vector) if classifier else {}

    def unit_probabilities(self, section_id: str, language: str, vector: np.ndarray | None) -> dict[int, float]:
        """The sentence classifier's probability of each quotable unit of a section, by its position in `language`
        ({} without a classifier for the section or without a vector)."""
        model = self.loaded.sentence_classifiers.get(section_id)
        if model is None or vector is None:
            return {}
        found = ((self.by_id.get(f"{language}:{label}"), p) for label, p in model.probabilities(vector).items())
        return {position: p for position, p in found if position is not None}

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

    def rank(self, query_text: str, dense: np.ndarray, language: str, bank: dict[str, float] | None = None,
             probabilities: dict[str, float] | None = None, weights: dict[str, float] | None = None,
             ) -> list[SectionHit]:  # fmt: skip
        """Sections in the given language (or the closest available one), best first; each signal standardised
        over the sections, then added with its weight (default: tuning.SIGNAL_WEIGHTS)."""
        weights = weights or SIGNAL_WEIGHTS
        lang = self.served_language(language)
        size = len(self.section_ids)
        rows = np.array([self.section_index[s] for s in self.present[lang]], dtype=int)
        if not len(rows):
            return []
        others = [other for other in self.languages if other != lang]
        needed = [(lang, "chunk"), (lang, "sentence")] + [(o, k) for o in others for k in ("chunk", "question")]
        maxima = {key: self.groups[key].maxima(dense, size) for key in needed}

        def best_elsewhere(kind: str, fallback: np.ndarray) -> np.ndarray:
            found = np.max([maxima[(o, kind)] for o in others], axis=0) if others else np.full(size, -np.inf)
            return np.where(np.isfinite(found), found, fallback)

        chunk = maxima[(lang, "chunk")]
        sentence = np.where(np.isfinite(maxima[(lang, "sentence")]), maxima[(lang, "sentence")], chunk)
        nearest = self.groups[(lang, "question")].argmaxima(dense, size)
        question = np.where(nearest >= 0, dense[np.maximum(nearest, 0)], chunk)
        lexical = self.lexical_scores(query_text, lang)
        question_lexical = self.bank_similarities(query_text, lang) if bank is None else bank
        probabilities = probabilities or {}
        raw = {
            "dense_chunk": chunk,
            "dense_sentence": sentence,
            "dense_other_languages": best_elsewhere("chunk", chunk),
            "dense_question": question,
            "dense_question_other_languages": best_elsewhere("question", chunk),
            "lexical": np.array([lexical.get(s, 0.0) for s in self.section_ids]),
            "lexical_question": np.array([question_lexical.get(s, 0.0) for s in self.section_ids]),
            "classifier": np.array([probabilities.get(s, 0.0) for s in self.section_ids]),
        }
        names = list(raw)
        table = np.vstack([raw[name][rows] for name in names]).astype(np.float64)  # signal x section
        spread = table.std(axis=1, keepdims=True)
        standardised = (table - table.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)
        factors = np.array([weights.get(name, 0.0) for name in names])
        score = factors @ standardised
        best = np.maximum(chunk, sentence)
        columns = table.T.tolist()
        hits = [
            SectionHit(
                section_id=self.section_ids[i], language=lang, score=float(score[n]),
                signals=dict(zip(names, columns[n], strict=True)), dense=float(best[i]),
                question_match=float(question[i]) if nearest[i] >= 0 else 0.0,
                best_question=int(nearest[i]) if nearest[i] >= 0 else None, _retriever=self, _cosines=dense,
            )
            for n, i in enumerate(rows)
        ]  # fmt: skip
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
