"""Likes, dislikes and comments on answers, kept in SQLite with personal data redacted first."""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from assistant.privacy import redact

log = logging.getLogger(__name__)
SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    language TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    cited TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('like', 'dislike')),
    comment TEXT
)
"""


class FeedbackError(RuntimeError):
    """Feedback could not be saved (after retries); the user should be told."""


class FeedbackStore:
    """A SQLite file of feedback rows; each call opens its own connection, so threads never share one."""

    def __init__(self, path: Path, attempts: int = 4, wait: float = 0.25) -> None:
        self.path = path
        self.attempts = attempts
        self.wait = wait

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.wait)
        connection.execute(SCHEMA)
        return connection

    def _write(self, statement: str, values: tuple[object, ...]) -> int:
        """Run one write, retrying while the database is locked; FeedbackError when it cannot be done."""
        last: Exception | None = None
        for attempt in range(self.attempts):
            try:
                with self._connect() as connection:
                    cursor = connection.execute(statement, values)
                    return int(cursor.lastrowid or 0)
            except (sqlite3.OperationalError, OSError) as exc:  # locked, read-only, disk full
                last = exc
                log.warning("feedback write failed", extra={"attempt": attempt + 1, "error": str(exc)})
                time.sleep(self.wait * (attempt + 1))
        raise FeedbackError(f"feedback could not be saved: {last}")

    def record(
        self, question: str, answer: str, cited: list[str], rating: str, language: str | None = None,
        comment: str | None = None,
    ) -> int:  # fmt: skip
        """Store one rating; returns its row id. Personal data is redacted before anything is written."""
        if rating not in ("like", "dislike"):
            raise ValueError(f"rating must be 'like' or 'dislike', not {rating!r}")
        return self._write(
            "INSERT INTO feedback (created_at, language, question, answer, cited, rating, comment) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="seconds"), language, redact(question), redact(answer),
                json.dumps(cited), rating, redact(comment) if comment else None,
            ),
        )  # fmt: skip

    def add_comment(self, row_id: int, comment: str) -> None:
        self._write("UPDATE feedback SET comment = ? WHERE id = ?", (redact(comment), row_id))

    def rows(self) -> list[dict[str, object]]:
        with self._connect() as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute("SELECT * FROM feedback ORDER BY id")]
