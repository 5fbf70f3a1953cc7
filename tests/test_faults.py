"""Faults: a corpus edited while serving, a broken edit, and a locked or unwritable feedback database."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from assistant.engine import Assistant
from assistant.feedback import FeedbackError, FeedbackStore
from assistant.serving import Service
from assistant.settings import Settings

NEW_SENTENCE = "Les données des comptes inactifs sont supprimées après dix ans."


@pytest.fixture
def small_assistant(small: Settings) -> Assistant:
    return Assistant.load(small)


@pytest.fixture
def small_service(small_assistant: Assistant) -> Service:
    return Service(small_assistant.settings, small_assistant)


def test_an_edited_corpus_is_rebuilt_in_the_background_and_swapped_in(small_service: Service) -> None:
    small_assistant = small_service.assistant
    assert small_assistant is not None
    question = "Combien de temps conservez-vous mes informations personnelles ?"
    before = small_assistant.ask(question)
    old_build = small_assistant.manifest["build_id"]
    notice = small_assistant.settings.corpus_dir / "fr.md"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("## 12 ", f"{NEW_SENTENCE}\n\n## 12 ", 1), encoding="utf-8")

    assert small_service.corpus_changed()
    assert small_service.refresh() == "rebuilding"
    assert small_service.readiness()["status"] == "rebuilding"  # not ready for a load balancer meanwhile
    during = small_assistant.ask(question)  # the previous index keeps answering while the new one builds
    assert not during.abstained and during.citations[0].section_id == before.citations[0].section_id
    small_service.wait_for_rebuild(timeout=300)

    assert small_assistant.manifest["build_id"] != old_build
    assert small_service.refresh() == "current"
    assert small_service.readiness()["status"] == "ready"
    section = small_assistant.notices["fr"].section("11")
    assert section is not None and NEW_SENTENCE in section.text
    assert any(NEW_SENTENCE == c.text for c in small_assistant.served.retriever.chunks)


def test_a_broken_edit_keeps_the_previous_index_in_service(small_service: Service) -> None:
    small_assistant = small_service.assistant
    assert small_assistant is not None
    notice = small_assistant.settings.corpus_dir / "fr.md"
    good = notice.read_text(encoding="utf-8")
    old_build = small_assistant.manifest["build_id"]
    notice.write_text(good.replace("## 10 ", "## 99 ", 1), encoding="utf-8")
    assert small_service.refresh() == "rebuilding"
    small_service.wait_for_rebuild(timeout=300)
    assert small_assistant.manifest["build_id"] == old_build
    error = small_service.last_reload_error or ""
    assert "section 10 is missing" in error and str(small_assistant.settings.corpus_dir) not in error  # no paths
    assert small_service.refresh() == "failed"  # not retried until the files change again
    assert not small_assistant.ask("Les enfants peuvent-ils utiliser Amazon ?").abstained
    notice.write_text(good, encoding="utf-8")  # the edit is undone: the error goes with it
    assert small_service.refresh() == "current" and small_service.last_reload_error is None


def test_a_locked_database_is_retried_then_reported(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3", attempts=3, wait=0.05)
    store.record("q", ["9"], "like")
    holder = sqlite3.connect(tmp_path / "feedback.sqlite3", check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # another writer holds the database
    with pytest.raises(FeedbackError):
        store.record("question", ["11"], "dislike")
    released = threading.Timer(0.08, holder.rollback)  # ... and lets go while we are still retrying
    released.start()
    store.wait = 0.1
    assert store.record("question", ["11"], "dislike") > 0
    holder.close()
    assert [r["rating"] for r in store.rows()] == ["like", "dislike"]


def test_an_unwritable_database_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    store = FeedbackStore(blocker / "feedback.sqlite3", attempts=2, wait=0.01)
    with pytest.raises(FeedbackError, match="could not be saved"):
        store.record("q", [], "like")


def test_a_language_missing_from_the_corpus_falls_back_to_another_version(small_assistant: Assistant) -> None:
    answer = small_assistant.ask("How long do you keep my personal information?")
    assert answer.language == "en" and not answer.abstained
    assert answer.citations[0].language == "fr" and answer.citations[0].section_id == "11"
    assert "not available in English" in answer.answer
