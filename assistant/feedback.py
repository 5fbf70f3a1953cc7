"""Ratings and comments on answers, kept for a limited time (SQLite here, PostgreSQL for replicas sharing one
store: `feedback_postgres.py`): redacted questions and cited sections only."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.privacy import redact

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)
MAX_TEXT = 2000  # characters kept of a question or a comment
SECTION_ID = re.compile(r"\d{1,3}(?:\.\d{1,3})?")
SCHEMA = """
CREATE TABLE IF NOT EXISTS ratings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    language TEXT,
    question TEXT NOT NULL,
    cited TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('like', 'dislike')),
    comment TEXT
);
CREATE INDEX IF NOT EXISTS ratings_created ON ratings (created_at);
"""


class FeedbackError(RuntimeError):
    """Feedback could not be saved (after retries); the user should be told."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedbackStore:
    """A SQLite file of ratings; each call opens its own connection, so threads never share one. What is stored is
    the question with personal details redacted, the ids of the sections cited, the rating and the redacted
    comment: never the answer text a client sends back."""

    def __init__(self, path: Path, attempts: int = 4, wait: float = 0.25) -> None:
        self.path = path
        self.attempts = attempts
        self.wait = wait
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self.wait)
        if not self._ready:
            connection.executescript(SCHEMA)
            self._migrate(connection)
            self._ready = True
        return connection

    @staticmethod
    def _migrate(connection: sqlite3.Connection) -> None:
        """Rows of the first schema (which also kept the answer's text) move to `ratings`, re-redacted, answer-less."""
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "feedback" not in tables:
            return
        old = connection.execute("SELECT created_at, language, question, cited, rating, comment FROM feedback")
        for created, language, question, cited, rating, comment in old.fetchall():
            connection.execute(
                "INSERT INTO ratings (created_at, language, question, cited, rating, comment) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (created, language, redact(question or ""), cited, rating, redact(comment) if comment else None),
            )
        connection.execute("DROP TABLE feedback")
        connection.commit()
        log.warning("feedback rows moved to the answer-less schema")

    def _write(self, statement: str, values: tuple[object, ...]) -> int:
        """Run one write, retrying while the database is locked; FeedbackError when it cannot be done."""
        last: Exception | None = None
        for attempt in range(self.attempts):
            try:
                with self._connect() as connection:
                    cursor = connection.execute(statement, values)
                    return int(cursor.lastrowid or 0) if statement.startswith("INSERT") else cursor.rowcount
            except (sqlite3.OperationalError, OSError) as exc:  # locked, read-only, disk full
                last = exc
                log.warning("feedback write failed", extra={"attempt": attempt + 1, "error": str(exc)})
                time.sleep(self.wait * (attempt + 1))
        raise FeedbackError(f"feedback could not be saved: {last}")

    def record(
        self, question: str, cited: list[str], rating: str, language: str | None = None, comment: str | None = None
    ) -> int:
        """Store one rating; returns its row id. Personal details are redacted before anything is written."""
        if rating not in ("like", "dislike"):
            raise ValueError(f"rating must be 'like' or 'dislike', not {rating!r}")
        sections = [s for s in cited if isinstance(s, str) and SECTION_ID.fullmatch(s)][:5]
        return self._write(
            "INSERT INTO ratings (created_at, language, question, cited, rating, comment) VALUES (?, ?, ?, ?, ?, ?)",
            (_now(), (language or "")[:8] or None, redact(question[:MAX_TEXT]), json.dumps(sections), rating,
             redact(comment[:MAX_TEXT]) if comment else None),
        )  # fmt: skip

    def add_comment(self, row_id: int, comment: str) -> bool:
        """Attach a comment (redacted) to a stored rating; False when that rating no longer exists."""
        return self._write("UPDATE ratings SET comment = ? WHERE id = ?", (redact(comment[:MAX_TEXT]), row_id)) > 0

    def purge(self, older_than_days: int) -> int:
        """Delete the ratings older than the retention period; returns how many went."""
        cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
        removed = self._write("DELETE FROM ratings WHERE created_at < ?", (cutoff,))
        if removed:
            log.info("feedback purged", extra={"removed": removed, "retention_days": older_than_days})
        return removed

    def rows(self) -> list[dict[str, object]]:
        with self._connect() as connection:
            connection.row_factory = sqlite3.Row
            return [dict(row) for row in connection.execute("SELECT * FROM ratings ORDER BY id")]


def open_store(settings: Settings) -> FeedbackStore:
    """The store the settings name: PostgreSQL when `feedback_url` is set (replicas share it), else the SQLite
    file `feedback_db`. A URL of another kind is refused at start, not at the first rating."""
    url = settings.feedback_url.strip()
    if not url:
        return FeedbackStore(settings.feedback_db)
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValueError("ASSISTANT_FEEDBACK_URL must be a postgresql:// URL (or empty for the SQLite file)")
    from assistant.feedback_postgres import PostgresFeedbackStore

    return PostgresFeedbackStore(url)
