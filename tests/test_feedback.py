"""The feedback store: what it keeps (redacted question, cited ids, rating, redacted comment), for how long, and
the rows of the first schema moved over without their answers."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from assistant.feedback import FeedbackStore


def test_only_the_redacted_question_cited_ids_rating_and_comment_are_kept(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    row = store.record("je m'appelle Marc Dupont, marc.dupont@gmail.com, vous gardez ça ?", ["11", "<script>"],
                       "dislike", language="fr")  # fmt: skip
    assert store.add_comment(row, "appelez-moi au 0470 12 34 56")
    stored = store.rows()[0]
    assert set(stored) == {"id", "created_at", "language", "question", "cited", "rating", "comment"}  # no answer
    assert "Dupont" not in stored["question"] and "gmail" not in stored["question"]
    assert "[NAME]" in stored["question"] and "[EMAIL]" in stored["question"]
    assert stored["cited"] == '["11"]' and stored["comment"] == "appelez-moi au [PHONE]"


def test_a_comment_for_a_rating_that_does_not_exist_is_not_stored(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    assert not store.add_comment(99, "hello")
    assert store.rows() == []
    with pytest.raises(ValueError):
        store.record("q", [], "meh")


def test_ratings_older_than_the_retention_period_are_purged(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    old, new = store.record("old question", ["9"], "like"), store.record("new question", ["11"], "like")
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as connection:
        long_ago = (datetime.now(UTC) - timedelta(days=91)).isoformat(timespec="seconds")
        connection.execute("UPDATE ratings SET created_at = ? WHERE id = ?", (long_ago, old))
    assert store.purge(90) == 1
    assert [r["id"] for r in store.rows()] == [new]


def test_rows_of_the_first_schema_move_over_without_their_answers(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY, created_at TEXT, language TEXT, question "
                           "TEXT, answer TEXT, cited TEXT, rating TEXT, comment TEXT)")  # fmt: skip
        connection.execute("INSERT INTO feedback VALUES (1, '2026-11-30T10:00:00+00:00', 'nl', 'ik ben Jan Peeters', "
                           "'the whole answer', '[\"11\"]', 'like', 'mail me: jan@telenet.be')")  # fmt: skip
    rows = FeedbackStore(path).rows()
    assert len(rows) == 1 and "answer" not in rows[0]
    assert "Peeters" not in rows[0]["question"] and rows[0]["comment"] == "mail me: [EMAIL]"
    with sqlite3.connect(path) as connection:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "feedback" not in tables
