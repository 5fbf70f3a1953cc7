"""Ratings and comments in PostgreSQL, so that replicas behind a load balancer share one store (psycopg 3)."""

from __future__ import annotations

import logging
import time
from typing import Any

from assistant.feedback import FeedbackError, FeedbackStore

log = logging.getLogger(__name__)
# Applied in order, once each, recorded in `feedback_schema`; a new schema is a new entry, never an edit.
# `created_at` holds the same ISO-8601 UTC text as the SQLite store, so both purge and sort alike.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE ratings (id BIGSERIAL PRIMARY KEY, created_at TEXT NOT NULL, language TEXT, "
        "question TEXT NOT NULL, cited TEXT NOT NULL, rating TEXT NOT NULL CHECK (rating IN ('like', 'dislike')), "
        "comment TEXT)",
        "CREATE INDEX ratings_created ON ratings (created_at)",
    ),
    (  # questions the assistant could not answer; IF NOT EXISTS: a database whose other tables were dropped by hand
        "CREATE TABLE IF NOT EXISTS unanswered (id BIGSERIAL PRIMARY KEY, created_at TEXT NOT NULL, language TEXT, "
        "question TEXT NOT NULL, reason TEXT NOT NULL, nearest_section TEXT)",
        "CREATE INDEX IF NOT EXISTS unanswered_created ON unanswered (created_at)",
    ),
)
MIGRATION_LOCK = 7_351_001  # an advisory lock id: replicas starting together migrate one at a time


class PostgresFeedbackStore(FeedbackStore):
    """The same store on a PostgreSQL server (`ASSISTANT_FEEDBACK_URL=postgresql://…`); each call opens its own
    connection and transaction, and the schema is migrated on first use under an advisory lock."""

    def __init__(self, url: str, attempts: int = 4, wait: float = 0.25) -> None:
        # No SQLite file: the base class's writes and reads all go through `_write` and `_read` below.
        self.url, self.attempts, self.wait, self._ready = url, attempts, wait, False

    def _open(self) -> Any:
        import psycopg  # only replicas configured for PostgreSQL import the driver

        connection = psycopg.connect(self.url, connect_timeout=5)
        if not self._ready:
            migrate(connection)
            self._ready = True
        return connection

    def _write(self, statement: str, values: tuple[object, ...]) -> int:
        import psycopg

        sql = statement.replace("?", "%s") + (" RETURNING id" if statement.startswith("INSERT") else "")
        last: Exception | None = None
        for attempt in range(self.attempts):
            try:
                with self._open() as connection, connection.cursor() as cursor:
                    cursor.execute(sql, values)
                    if statement.startswith("INSERT"):
                        row = cursor.fetchone()
                        return int(row[0]) if row else 0
                    return int(cursor.rowcount)
            except psycopg.OperationalError as exc:  # the server down, restarting or unreachable: try again
                last = exc
                log.warning("feedback write failed", extra={"attempt": attempt + 1, "error": type(exc).__name__})
                time.sleep(self.wait * (attempt + 1))
            except psycopg.Error as exc:  # refused (rights, a schema of another version): no use trying again
                raise FeedbackError(f"feedback could not be saved: {type(exc).__name__}") from None
        raise FeedbackError(f"feedback could not be saved: {type(last).__name__}")

    def _read(self, statement: str, values: tuple[object, ...] = ()) -> list[dict[str, object]]:
        import psycopg
        from psycopg.rows import dict_row

        try:
            with self._open() as connection, connection.cursor(row_factory=dict_row) as cursor:
                cursor.execute(statement.replace("?", "%s"), values)
                return [dict(row) for row in cursor.fetchall()]
        except psycopg.Error as exc:
            raise FeedbackError(f"feedback could not be read: {type(exc).__name__}") from None


def migrate(connection: Any) -> int:
    """Apply the migrations this database has not seen; returns its schema version."""
    with connection.transaction(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        cursor.execute("CREATE TABLE IF NOT EXISTS feedback_schema (version INTEGER PRIMARY KEY, "
                       "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")  # fmt: skip
        cursor.execute("SELECT coalesce(max(version), 0) FROM feedback_schema")
        row = cursor.fetchone()
        version = int(row[0]) if row else 0
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in statements:
                cursor.execute(statement)
            cursor.execute("INSERT INTO feedback_schema (version) VALUES (%s)", (number,))
            log.info("feedback schema migrated", extra={"version": number})
        return len(MIGRATIONS)
