"""The Assistant: loads encoder, index, corpus and language packs once, and runs each message through the pipeline."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Any

from assistant.answer import Answer
from assistant.corpus import Notice, load_corpus, load_facts
from assistant.embedding import Embedder, load_embedder
from assistant.encoder import weights_fingerprint
from assistant.index import LoadedIndex, load_or_build
from assistant.langpack import LanguagePack, load_packs
from assistant.logs import REQUEST_ID
from assistant.retrieval import SectionHit
from assistant.served import Served, serve
from assistant.settings import Settings
from assistant.stages import PIPELINE, clean, conversation, redact, retrieve, run
from assistant.stages.compose import join_quotes, pick_sentences
from assistant.tuning import Tuning
from assistant.turn import Turn, user_turns

log = logging.getLogger(__name__)
HISTORY_READ = 8  # earlier messages read: enough for the conversation's language and a follow-up's topic


class Assistant:
    """Answers questions about the privacy notice; safe to share between threads."""

    def __init__(self, settings: Settings, embed: Embedder, loaded: LoadedIndex,
                 notices: dict[str, Notice], packs: dict[str, LanguagePack] | None = None,
                 tuning: Tuning | None = None) -> None:  # fmt: skip
        self.settings, self.embed = settings, embed
        self.packs = packs or load_packs()
        self.tuning = tuning or Tuning()
        self._lock = threading.Lock()  # guards swapping what is served, not reading it
        self.swap(loaded, notices)
        self.embed.encode_queries(["warm-up"])  # the first forward pass is slow: pay for it at start-up

    @classmethod
    def load(cls, settings: Settings | None = None, tuning: Tuning | None = None) -> Assistant:
        """Load (provisioning and building when needed) everything a question needs."""
        settings = settings or Settings.from_env()
        embed = load_embedder(settings)
        loaded = load_or_build(settings, embed, weights_fingerprint(settings))
        return cls(settings, embed, loaded, load_corpus(settings.corpus_dir), tuning=tuning)

    def swap(self, loaded: LoadedIndex, notices: dict[str, Notice]) -> None:
        """Serve this index and corpus: built aside, then one swap, so a request sees either old or new."""
        served = serve(self.settings, self.embed, loaded, notices, self.packs, load_facts(self.settings.corpus_dir),
                       self.tuning)  # fmt: skip
        with self._lock:
            self.served = served

    @property
    def manifest(self) -> dict[str, Any]:
        return self.served.loaded.manifest

    @property
    def loaded(self) -> LoadedIndex:
        return self.served.loaded

    @property
    def notices(self) -> dict[str, Notice]:
        return self.served.notices

    def ask(self, question: Any, history: list[Any] | None = None, lang: str | None = None,
            default_lang: str | None = None) -> Answer:  # fmt: skip
        """Answer one message, with the earlier messages of the conversation; `lang` forces the answer's language,
        `default_lang` (e.g. the page's locale) counts only when the message and conversation don't tell."""
        started = time.perf_counter()
        token = REQUEST_ID.set(uuid.uuid4().hex[:12]) if REQUEST_ID.get() is None else None  # a direct call
        try:
            return self._ask(question, history, lang, default_lang, started)
        finally:
            if token is not None:
                REQUEST_ID.reset(token)

    def _ask(self, question: Any, history: list[Any] | None, lang: str | None, default_lang: str | None,
             started: float) -> Answer:  # fmt: skip
        turn = Turn(
            message=question if isinstance(question, str) else "",
            history=user_turns(history)[-HISTORY_READ:],
            forced_language=lang,
            page_language=default_lang,
        )
        run(turn, self.served)  # one reference to what is served: a reload cannot mix two indexes
        answer = turn.reply
        assert answer is not None
        answer.latency_ms = (time.perf_counter() - started) * 1000
        answer.timings = turn.timings
        log.debug("question", extra={"question": turn.redacted[:2000], "lang": lang, "details": list(turn.details)})
        log.info("answered", extra={
            "language": answer.language, "abstained": answer.abstained, "reason": answer.reason,
            "cited": [c.section_id for c in answer.citations], "latency_ms": round(answer.latency_ms, 1),
            "timings_ms": answer.timings,
        })  # fmt: skip
        return answer

    def prepared(self, query: str, lang: str | None = None) -> tuple[Turn, Served]:
        """A query taken through the stages that read it (redacted, cleaned, its language, typos mended), for
        the agents' tools, which rank and quote without abstaining."""
        served = self.served
        turn = Turn(message=query[: self.settings.max_question_chars], history=[])
        redact.run(turn, served)
        turn.text = clean.without_placeholders(clean.clean_text(turn.redacted).text)
        detected = served.guesser.detect(turn.text)
        language = lang if lang in served.notices else detected if detected in served.notices else None
        turn.language = language or served.settings.default_language
        conversation.run(turn, served)
        return turn, served

    def search(self, query: str, lang: str | None = None, k: int = 5) -> list[SectionHit]:
        """Sections for an agent's search box, best first (no abstention)."""
        turn, served = self.prepared(query, lang)
        return retrieve.rank(turn, served).hits[:k] if turn.query.strip() else []

    def ready_answer(self, section_id: str, query: str, language: str) -> str:
        """What an agent pastes to a customer: the section's sentences that best answer the query, introduced by
        its lead-in, and the notice's address."""
        turn, served = self.prepared(query or section_id, language)
        ranking = retrieve.rank(turn, served)
        hit = next((h for h in ranking.hits if h.section_id == section_id), None)
        notice = served.notices.get(turn.language)
        section = notice.section(section_id) if notice else None
        if hit is None or section is None or notice is None:
            return ""
        retriever = served.retriever
        positions = pick_sentences(retriever, hit, turn.query, served.tuning.max_sentences, served.tuning,
                                   served.set_aside(query), ranking.vector)[0] if (
            query.strip()) else sorted(p for p, _ in hit.sentences[:2])  # fmt: skip
        quote = join_quotes(retriever, positions) if positions else section.title
        lead = served.template(turn.language, "lead_in", id=section_id, title=section.title)
        return f"{lead} {quote}\n\n{notice.url}"


__all__ = ["PIPELINE", "Assistant"]
