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
    from assistant.answer import Answer
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
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    language TEXT,
    question TEXT NOT NULL,
    reason TEXT NOT NULL,
    nearest_section TEXT
);
CREATE INDEX IF NOT EXISTS unanswered_created ON unanswered (created_at);
"""
# Declines worth a content writer's look: the notice did not answer. Small talk, attacks and empty input are not.
UNANSWERED_REASONS = ("not_covered", "unknown_name", "other_organisation")
TABLES = ("ratings", "unanswered")


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

    def record_unanswered(self, question: str, language: str | None, reason: str,
                          nearest_section: str | None = None) -> int:  # fmt: skip
        """Keep a question the assistant could not answer (redacted), why, and the section nearest to it."""
        nearest = nearest_section if nearest_section and SECTION_ID.fullmatch(nearest_section) else None
        return self._write(
            "INSERT INTO unanswered (created_at, language, question, reason, nearest_section) VALUES (?, ?, ?, ?, ?)",
            (_now(), (language or "")[:8] or None, redact(question[:MAX_TEXT]), reason[:32], nearest),
        )

    def keep_unanswered(self, answer: Answer) -> None:
        """`Service`'s callback: keep a declined answer's question when the notice did not answer it."""
        if answer.abstained and answer.reason in UNANSWERED_REASONS:
            nearest = answer.sections[0].get("section_id") if answer.sections else None
            self.record_unanswered(answer.question, answer.language, str(answer.reason),
                                   str(nearest) if nearest else None)  # fmt: skip

    def purge(self, older_than_days: int) -> int:
        """Delete the ratings and unanswered questions older than the retention period; returns how many went."""
        cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
        removed = sum(self._write(f"DELETE FROM {table} WHERE created_at < ?", (cutoff,)) for table in TABLES)
        if removed:
            log.info("feedback purged", extra={"removed": removed, "retention_days": older_than_days})
        return removed

    def _read(self, statement: str, values: tuple[object, ...] = ()) -> list[dict[str, object]]:
        """Rows of one query, as dicts; FeedbackError when the store cannot be read."""
        try:
            with self._connect() as connection:
                connection.row_factory = sqlite3.Row
                return [dict(row) for row in connection.execute(statement, values)]
        except (sqlite3.Error, OSError) as exc:
            raise FeedbackError(f"feedback could not be read: {exc}") from None

    def rows(self, since: str | None = None) -> list[dict[str, object]]:
        """The ratings kept (those created at or after `since`, an ISO time, when given), oldest first."""
        return self._read("SELECT * FROM ratings WHERE created_at >= ? ORDER BY id", (since or "",))

    def unanswered_rows(self, since: str | None = None) -> list[dict[str, object]]:
        """The unanswered questions kept (those created at or after `since`, when given), oldest first."""
        return self._read("SELECT * FROM unanswered WHERE created_at >= ? ORDER BY id", (since or "",))

    def item(self, row_id: int, *, unanswered: bool = False) -> dict[str, object] | None:
        """One rating (or one unanswered question) by its id; None when it is not (or no longer) kept."""
        table = "unanswered" if unanswered else "ratings"
        found = self._read(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        return found[0] if found else None


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
