"""The Assistant: loads encoder, index and corpus once, and answers questions with citations."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.answer import UNSUPPORTED, Answer, compose, decline
from assistant.chunks import OUT_OF_SCOPE
from assistant.corpus import Notice, load_corpus
from assistant.encoder import load_encoder, weights_fingerprint
from assistant.index import LoadedIndex, SentenceEncoderEmbedding, load_or_build
from assistant.language import TOKEN, LanguageGuesser, choose_language
from assistant.questions import (
    DOTTED,
    Speller,
    clean_question,
    other_companies,
    refusal_reason,
    small_talk,
    unknown_names,
    without_small_talk,
)
from assistant.retrieval import Retriever, SectionHit
from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Thresholds:
    """Abstention and citation thresholds, calibrated on held-out bank questions (see README, "Abstention")."""

    min_question_match: float = 0.86  # below this, no typical question of the notice resembles the question
    min_passage_match: float = 0.84  # the same for notice text, used only for a corpus without typical questions
    neighbours: int = 3  # compare the mean cosine of the nearest few in-scope and out-of-scope questions ...
    lexical_weight: float = 0.05  # ... plus this share of the best character n-gram similarity of each bank ...
    out_of_scope_margin: float = 0.0  # ... and abstain when the out-of-scope side comes within this margin
    max_out_of_scope_probability: float = 0.85  # abstain too when the section classifier is this sure it is neither
    second_section_margin: float = 0.35  # cite a second section when its fused score is this close
    follow_up_max_words: int = 8  # shorter questions with history are read with the previous question
    follow_up_weight: float = 0.5  # the previous question's share of the follow-up's query vector


@dataclass
class Ranking:
    """One retrieval: ranked sections, the query vector, its cosine with every unit, and the retriever used."""

    hits: list[SectionHit]
    vector: np.ndarray
    dense: np.ndarray
    retriever: Retriever
    lexical: dict[str, float]  # best character n-gram similarity with each section's questions and OUT_OF_SCOPE's
    probabilities: dict[str, float]  # the section classifier's, by section id and OUT_OF_SCOPE ({} without one)


class Assistant:
    """Answers questions about the privacy notice; safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        embed: SentenceEncoderEmbedding,
        loaded: LoadedIndex,
        notices: dict[str, Notice],
        thresholds: Thresholds | None = None,
    ) -> None:
        self.settings = settings
        self.embed = embed
        self.thresholds = thresholds or Thresholds()
        self._lock = threading.Lock()  # guards swapping the index, not reading it
        self.swap(loaded, notices)
        self.embed.encode_queries(["warm-up"])  # the first forward pass is slow: pay for it at start-up

    def swap(self, loaded: LoadedIndex, notices: dict[str, Notice]) -> None:
        """Serve this index and corpus: one swap under the lock, so a request sees either old or new."""
        retriever = Retriever(loaded)
        # The notice's words and its customers' words (typical questions): "bewaartermijn" is only ever Dutch.
        samples = {lang: language_sample(notice) for lang, notice in notices.items()}
        words = {lang: TOKEN.findall(sample) for lang, sample in samples.items()}
        guesser = LanguageGuesser(words)
        vocabulary = known_words([*samples.values(), *(s.title for n in notices.values() for s in n.sections)])
        spellers = {
            lang: Speller(words[lang], lang, TOKEN.findall(" ".join(s.text for s in notice.sections)))
            for lang, notice in notices.items()
        }
        with self._lock:
            self.loaded, self.retriever, self.notices, self.guesser = loaded, retriever, notices, guesser
            self.urls = {lang: notice.url for lang, notice in notices.items()}
            self.vocabulary, self.spellers = vocabulary, spellers

    @classmethod
    def load(cls, settings: Settings | None = None) -> Assistant:
        """Load (provisioning and building when needed) everything a question needs."""
        settings = settings or Settings.from_env()
        model = load_encoder(settings)
        embed = SentenceEncoderEmbedding(model, settings.encoder)
        loaded = load_or_build(settings, embed, weights_fingerprint(settings))
        return cls(settings, embed, loaded, load_corpus(settings.corpus_dir))

    @property
    def manifest(self) -> dict[str, Any]:
        return self.loaded.manifest

    def conversation_language(self, history: list[str]) -> str | None:
        for turn in reversed(history):
            detected = self.guesser.detect(turn)
            if detected in self.notices:
                return detected
        return None

    def encode(self, text: str, history: list[str]) -> np.ndarray:
        """The query vector; a short follow-up leans on the previous question for what it leaves out."""
        if history and len(text.split()) <= self.thresholds.follow_up_max_words:
            vectors = self.embed.encode_queries([text, history[-1]])
            weight = self.thresholds.follow_up_weight
            mixed = (1 - weight) * vectors[0] + weight * vectors[1]
            return (mixed / np.linalg.norm(mixed)).astype(np.float32)
        return self.embed.encode_queries([text])[0]

    def rank(self, text: str, language: str, history: list[str] | None = None) -> Ranking:
        """Ranked sections, with the query vector and its cosine with every unit of the index."""
        history = history or []
        vector = self.encode(text, history)
        follow_up = history and len(text.split()) <= self.thresholds.follow_up_max_words
        lexical_text = f"{text} {history[-1]}" if follow_up else text
        retriever = self.retriever  # one reference: a concurrent index swap cannot mix two indexes
        dense = retriever.dense_scores(vector)
        lexical = retriever.bank_similarities(lexical_text, retriever.served_language(language))
        probabilities = retriever.section_probabilities(vector)
        hits = retriever.rank(lexical_text, dense, language, lexical, probabilities)
        return Ranking(hits, vector, dense, retriever, lexical, probabilities)

    def ask(
        self, question: Any, history: list[Any] | None = None, lang: str | None = None, default_lang: str | None = None
    ) -> Answer:
        """Answer one question, with the earlier turns of the conversation; `lang` forces the answer's language,
        `default_lang` (e.g. the page's locale) is used only when the question and conversation don't tell."""
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:12]
        log.debug("question", extra={"request_id": request_id, "question": str(question)[:2000], "lang": lang})
        answer = self._ask(question, history, lang, default_lang)
        answer.latency_ms = (time.perf_counter() - started) * 1000
        log.info(
            "answered",
            extra={
                "request_id": request_id, "language": answer.language, "abstained": answer.abstained,
                "reason": answer.reason, "cited": [c.section_id for c in answer.citations],
                "latency_ms": round(answer.latency_ms, 1), "timings_ms": answer.timings,
            },
        )  # fmt: skip
        return answer

    def _ask(self, question: Any, history: list[Any] | None, lang: str | None, default_lang: str | None) -> Answer:
        explicit = lang if lang in self.notices else None
        fallback = default_lang if default_lang in self.notices else self.settings.default_language
        turns = user_turns(history)
        conversation = self.conversation_language(turns)
        default = explicit or conversation or fallback
        raw = question if isinstance(question, str) else ""
        if len(raw) > self.settings.max_question_chars:
            return decline(raw[:200], default, "too_long", limit=self.settings.max_question_chars)
        clean = clean_question(raw)
        if not clean.has_words:
            return decline(raw, default, "empty")
        chat = small_talk(clean.text)
        if chat:  # "merci", "hallo", "hi, can you help me": reply in kind, in its language when it tells
            kind, languages = chat
            language = explicit or next((c for c in (conversation, fallback) if c in languages), languages[0])
            return decline(raw, language, "greeting" if kind == "help" else kind)
        started = time.perf_counter()
        language, unsupported = choose_language(self.guesser.detect(clean.text), explicit, conversation, fallback)
        detected = time.perf_counter()
        reason = refusal_reason(clean.text)
        if reason:
            return decline(raw, language, reason)
        names = unknown_names(clean.text, self.vocabulary) + other_companies(clean.text)
        if names:  # a law, body, site or company the notice never names: a passage that looks near is not about it
            return decline(raw, language, "unknown_name", name=", ".join(names))
        asked = self.retrieval_text(clean.text, language)
        ranking = self.rank(asked, language, [self.retrieval_text(clean_question(t).text, language) for t in turns])
        ranked = time.perf_counter()
        hits = ranking.hits
        sections = [
            {
                "section_id": h.section_id,
                "language": h.language,
                "score": round(h.score, 3),
                "dense": round(h.dense, 4),
                "question_match": round(h.question_match, 4),
            }
            for h in hits[: self.settings.top_k_sections]
        ]
        if not hits or self.not_covered(ranking, hits[0].language):
            answer = decline(raw, language, "not_covered")
            answer.sections = sections
            return answer
        text, citations = compose(
            ranking.retriever, hits, asked, language, self.urls, self.thresholds.second_section_margin
        )
        if unsupported:
            text = f"{UNSUPPORTED}\n\n{text}"
        timings = {
            "language": round((detected - started) * 1000, 2),
            "retrieval": round((ranked - detected) * 1000, 2),
            "compose": round((time.perf_counter() - ranked) * 1000, 2),
        }
        return Answer(
            question=raw, language=language, answer=text, abstained=False, citations=citations, sections=sections,
            timings=timings,
        )  # fmt: skip

    def retrieval_text(self, text: str, language: str) -> str:
        """What retrieval reads: the question without its opening greeting ("bonjour, ..."), which only
        blurs it, and with one-letter typos mended against the words of the notice and typical questions."""
        speller = self.spellers.get(language)
        question = without_small_talk(text)
        return speller.correct(question) if speller else question

    def not_covered(self, ranking: Ranking, language: str) -> bool:
        """True when no typical question of the notice is near, or questions it does not answer are nearer."""
        retriever = ranking.retriever
        in_scope = ranking.dense[retriever.question_positions.get(language, [])]
        out_of_scope = ranking.dense[retriever.out_of_scope_positions.get(language, [])]
        if not len(in_scope):  # a corpus without typical questions: judge by the passages alone
            return max(h.dense for h in ranking.hits) < self.thresholds.min_passage_match
        if float(in_scope.max()) < self.thresholds.min_question_match:
            return True
        if ranking.probabilities.get(OUT_OF_SCOPE, 0.0) > self.thresholds.max_out_of_scope_probability:
            return True
        if not len(out_of_scope):
            return False
        k, weight = self.thresholds.neighbours, self.thresholds.lexical_weight
        lexical_in = max((v for key, v in ranking.lexical.items() if key != OUT_OF_SCOPE), default=0.0)
        nearest_in = np.sort(in_scope)[-k:].mean() + weight * lexical_in
        nearest_out = np.sort(out_of_scope)[-k:].mean() + weight * ranking.lexical.get(OUT_OF_SCOPE, 0.0)
        return bool(nearest_out > nearest_in - self.thresholds.out_of_scope_margin)

    def search(self, query: str, lang: str | None = None, k: int = 5) -> list[SectionHit]:
        """Sections for an agent's search box, best first (no abstention)."""
        clean = clean_question(query)
        language = lang if lang in self.notices else (self.guesser.detect(clean.text) or "en")
        language = language if language in self.notices else "en"
        return self.rank(self.retrieval_text(clean.text, language), language).hits[:k]


def language_sample(notice: Notice) -> str:
    """The notice's text and its typical questions, for telling its language's words."""
    questions = [q for qs in notice.questions.values() for q in qs]
    return " ".join([*(s.text for s in notice.sections), *questions])


def known_words(texts: list[str]) -> set[str]:
    """Every word (casefolded) of the texts: the notice in all its languages, its titles and typical questions;
    dotted abbreviations ("E.E.E.") also count without their dots."""
    words = {w.casefold() for text in texts for w in TOKEN.findall(text)}
    words |= {a.replace(".", "").casefold() for text in texts for a in DOTTED.findall(text)}
    return words


def user_turns(history: list[Any] | None) -> list[str]:
    """The user's earlier questions, from plain strings or chat messages ({'role', 'content'})."""
    turns: list[str] = []
    for item in history or []:
        if isinstance(item, str):
            turns.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and isinstance(item.get("content"), str):
            turns.append(item["content"])
    return [t for t in turns if t.strip()]
