"""What a server holds: the assistant once loaded, whether it is ready, and hot reload of an edited corpus."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.corpus import Notice, load_corpus
from assistant.feedback import UNANSWERED_REASONS
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.engine import Assistant

log = logging.getLogger(__name__)


class NotReady(RuntimeError):
    """The assistant is still loading: ask again in a few seconds."""


def _without_paths(message: str, settings: Settings) -> str:
    """An error message with the server's folders left out ("corpus/fr.md:12: ..." instead of an absolute path)."""
    for folder, name in ((settings.corpus_dir, "corpus"), (settings.index_dir, "index"), (settings.cache_dir, "cache")):
        message = message.replace(str(folder), name)
    return message


class Service:
    """Loads the assistant in the background (the server answers "not ready" meanwhile), watches the corpus and
    rebuilds the index when it changes while the previous one keeps serving, then swaps them in one step."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None,
                 on_unanswered: Callable[[Answer], None] | None = None) -> None:  # fmt: skip
        """`on_unanswered`: called with each answer declined because the notice does not answer (the app keeps
        those questions for the content writers' report)."""
        self.settings = settings
        self.assistant = assistant
        self.on_unanswered = on_unanswered
        self.notices: dict[str, Notice] = assistant.notices if assistant else load_corpus(settings.corpus_dir)
        self.load_error: str | None = None
        self.last_reload_error: str | None = None
        self._rebuild: threading.Thread | None = None
        self._failed_fingerprint: dict[str, str] | None = None

    # ----------------------------------------------------------------------------------------------- loading

    def load(self) -> None:
        """Load encoder and index (building the index if needed) and start serving them."""
        from assistant.engine import Assistant

        try:
            self.assistant = Assistant.load(self.settings)
            self.notices = self.assistant.notices
            log.info("assistant ready", extra={"build_id": self.assistant.manifest.get("build_id")})
        except Exception as exc:  # the server stays up and says why it is not ready
            self.load_error = _without_paths(str(exc), self.settings)
            log.exception("the assistant could not be loaded")

    def start(self, watch_every: float | None = 5.0) -> threading.Thread:
        """Load in a background thread, then (with `watch_every`) check the corpus files at that interval."""

        def run() -> None:
            self.load()
            while watch_every is not None and self.assistant is not None:
                time.sleep(watch_every)
                try:
                    self.refresh()
                except Exception:  # keep watching whatever happens
                    log.exception("corpus check failed")

        thread = threading.Thread(target=run, daemon=True, name="assistant-loader")
        thread.start()
        return thread

    def ask(self, question: Any, history: list[Any] | None = None, lang: str | None = None,
            default_lang: str | None = None) -> Answer:  # fmt: skip
        assistant = self.assistant
        if assistant is None:
            raise NotReady("the assistant is starting")
        answer = assistant.ask(question, history=history, lang=lang, default_lang=default_lang)
        if self.on_unanswered is not None and answer.abstained and answer.reason in UNANSWERED_REASONS:
            try:
                self.on_unanswered(answer)
            except Exception as exc:  # keeping the question is a side job: the customer gets the answer anyway
                log.error("unanswered question not kept", extra={"error": type(exc).__name__})
        return answer

    @property
    def state(self) -> str:
        """loading, failed (it could not load), rebuilding (an edited corpus is being indexed) or ready."""
        if self.assistant is None:
            return "failed" if self.load_error else "loading"
        if self._rebuild is not None and self._rebuild.is_alive():
            return "rebuilding"
        return "ready"

    def readiness(self) -> dict[str, Any]:
        """What a load balancer and an operator need: the state, and what is served; no server paths."""
        report: dict[str, Any] = {"status": self.state, "languages": sorted(self.notices)}
        if self.load_error:
            report["error"] = self.load_error
        if self.assistant is not None:
            manifest = self.assistant.manifest
            report["corpus_changed"] = self.corpus_changed()
            report["last_reload_error"] = self.last_reload_error
            report["index"] = {key: manifest.get(key) for key in (
                "build_id", "built_at", "model", "weights", "vectors", "counts", "corpus", "chunking")}  # fmt: skip
        return report

    # ------------------------------------------------------------------------------------------- hot reload

    def corpus_changed(self) -> bool:
        """True when the corpus files no longer match what the served index was built from."""
        from assistant.index import corpus_fingerprint

        assistant = self.assistant
        if assistant is None:
            return False
        return corpus_fingerprint(self.settings.corpus_dir) != assistant.manifest.get("corpus")

    def refresh(self) -> str:
        """Start a background rebuild when the corpus changed; the current index serves until the swap.

        Returns "current", "rebuilding" (a build is running), or "failed" (the edited corpus is broken:
        the current index keeps serving until the files change again).
        """
        from assistant.index import corpus_fingerprint

        if self._rebuild is not None and self._rebuild.is_alive():
            return "rebuilding"
        if not self.corpus_changed():
            self.last_reload_error = None  # an edit that was undone: nothing is wrong any more
            self._failed_fingerprint = None
            return "current"
        fingerprint = corpus_fingerprint(self.settings.corpus_dir)
        if fingerprint == self._failed_fingerprint:
            return "failed"
        self._rebuild = threading.Thread(target=self._rebuild_now, args=(fingerprint,), daemon=True,
                                         name="index-rebuild")  # fmt: skip
        self._rebuild.start()
        return "rebuilding"

    def _rebuild_now(self, fingerprint: dict[str, str]) -> None:
        from assistant.index import build_index, load_build

        assistant = self.assistant
        assert assistant is not None
        log.warning("corpus changed: rebuilding the index in the background")
        try:
            notices = load_corpus(self.settings.corpus_dir)
            path = build_index(self.settings, assistant.embed, assistant.loaded.manifest["weights"])
            assistant.swap(load_build(path), notices)
            self.notices = notices
            self.last_reload_error = None
            self._failed_fingerprint = None
            log.warning("new index in service", extra={"build_id": path.name})
        except Exception as exc:  # a broken edit must not take the service down
            self._failed_fingerprint = fingerprint
            self.last_reload_error = _without_paths(str(exc), self.settings)
            log.error("index rebuild failed; the previous index keeps serving", extra={"error": str(exc)})

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        if self._rebuild is not None:
            self._rebuild.join(timeout)

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir
