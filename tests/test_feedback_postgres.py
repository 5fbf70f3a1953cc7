"""The PostgreSQL feedback store, on a real server the test starts itself (initdb and pg_ctl in a temporary
folder): the same redaction as SQLite, migrations applied once, and two processes writing at once."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.feedback import open_store
from assistant.feedback_postgres import MIGRATIONS, PostgresFeedbackStore, migrate
from assistant.settings import PROJECT_ROOT, Settings
from tests.helpers import free_port, wait_until_ready


def postgres_bin(name: str) -> str:
    """Debian keeps the server's programs out of the PATH, under /usr/lib/postgresql/<version>/bin."""
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        pytest.fail(f"{name} not found: install PostgreSQL (scripts/test.sh installs Debian's postgresql)")
    return found


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    # A folder of its own under the system's temporary folder: pytest's are closed to other accounts.
    root = Path(tempfile.mkdtemp(prefix="assistant-postgres-"))
    data, port = root / "data", free_port()
    # The server refuses to run as root: as root, it runs as the "postgres" account Debian's package creates.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(root, "postgres")
        root.chmod(0o755)
    subprocess.run([*as_user, postgres_bin("initdb"), "-D", str(data), "-U", "assistant", "--auth=trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)  # fmt: skip
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*as_user, postgres_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w",
                    "start"], check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql://assistant@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, postgres_bin("pg_ctl"), "-D", str(data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresFeedbackStore]:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS ratings, unanswered, feedback_schema")
    yield PostgresFeedbackStore(postgres_url)


def test_the_setting_chooses_the_store(postgres_url: str, tmp_path: Path) -> None:
    assert isinstance(open_store(Settings(feedback_url=postgres_url)), PostgresFeedbackStore)
    assert not isinstance(open_store(Settings(feedback_db=tmp_path / "f.sqlite3")), PostgresFeedbackStore)
    with pytest.raises(ValueError, match="postgresql://"):
        open_store(Settings(feedback_url="mysql://somewhere/db"))


def test_only_the_redacted_question_cited_ids_rating_and_comment_are_kept(store: PostgresFeedbackStore) -> None:
    row = store.record("Ik ben Jan Peeters, mijn e-mail is jan@example.be. Verkopen jullie mijn data?", ["5", "x"],
                       "dislike", language="nl")  # fmt: skip
    assert store.add_comment(row, "bel me op 0475 12 34 56")
    assert not store.add_comment(row + 1000, "no such rating")
    [saved] = store.rows()
    assert "Peeters" not in str(saved) and "jan@example.be" not in str(saved) and "0475" not in str(saved)
    assert saved["cited"] == '["5"]' and saved["rating"] == "dislike" and saved["language"] == "nl"


def test_ratings_older_than_the_retention_period_are_purged(store: PostgresFeedbackStore) -> None:
    import psycopg

    store.record("old question", ["11"], "like")
    store.record("new question", ["11"], "like")
    with psycopg.connect(store.url, autocommit=True) as connection:
        connection.execute("UPDATE ratings SET created_at = %s WHERE question = %s",
                           ("2020-01-01T00:00:00+00:00", "old question"))
    assert store.purge(90) == 1
    assert [r["question"] for r in store.rows()] == ["new question"]


def test_migrations_run_once(store: PostgresFeedbackStore) -> None:
    import psycopg

    store.record("first", ["1"], "like")
    with psycopg.connect(store.url) as connection:
        assert migrate(connection) == len(MIGRATIONS)  # already applied: nothing re-run, the row stays
        versions = connection.execute("SELECT version FROM feedback_schema").fetchall()
    assert versions == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
    assert len(store.rows()) == 1


def test_a_database_of_the_first_schema_gains_the_unanswered_table(store: PostgresFeedbackStore) -> None:
    """Migration 2 on a database of version 1: its ratings stay; unanswered questions are kept redacted, read back
    by id and purged with the ratings."""
    from datetime import UTC, datetime

    import psycopg

    with psycopg.connect(store.url, autocommit=True) as connection:
        connection.execute("CREATE TABLE feedback_schema (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL "
                           "DEFAULT now())")  # fmt: skip
        for statement in MIGRATIONS[0]:
            connection.execute(statement)
        connection.execute("INSERT INTO feedback_schema (version) VALUES (1)")
        connection.execute("INSERT INTO ratings (created_at, question, cited, rating) VALUES (%s, 'kept', '[]', "
                           "'like')", (datetime.now(UTC).isoformat(timespec="seconds"),))  # fmt: skip
    row = store.record_unanswered("Ik ben Jan Peeters, waar is mijn pakket?", "nl", "not_covered", "15.4")
    store.record_unanswered("old question", "en", "unknown_name", None)
    with psycopg.connect(store.url, autocommit=True) as connection:
        versions = connection.execute("SELECT version FROM feedback_schema ORDER BY version").fetchall()
        connection.execute("UPDATE unanswered SET created_at = %s WHERE question = %s",
                           ("2020-01-01T00:00:00+00:00", "old question"))  # fmt: skip
    assert versions == [(1,), (2,)]
    assert store.purge(90) == 1  # the old question: the rating is recent
    assert [r["question"] for r in store.rows()] == ["kept"]
    [kept] = store.unanswered_rows()
    assert kept == store.item(row, unanswered=True)
    assert kept["question"] == "Ik ben [NAME], waar is mijn pakket?" and kept["nearest_section"] == "15.4"


WRITER = """
import sys
from assistant.feedback_postgres import PostgresFeedbackStore
store = PostgresFeedbackStore(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.record(f"question {i} from {sys.argv[2]}, my email is me{i}@example.com", ["9"], "like", language="en")
"""


def test_two_processes_write_at_once_and_nothing_is_lost(store: PostgresFeedbackStore) -> None:
    # Two replicas start together on an empty database: both migrate (one waits for the other's lock), then write.
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, store.url, name, "60"], cwd=PROJECT_ROOT)
               for name in ("replica-a", "replica-b")]  # fmt: skip
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    rows = store.rows()
    assert len(rows) == 120 and len({r["id"] for r in rows}) == 120
    assert {str(r["question"]).split(" from ")[1].split(",")[0] for r in rows} == {"replica-a", "replica-b"}
    assert not any("@example.com" in str(r["question"]) for r in rows)


def test_the_app_uses_the_database_it_is_given(postgres_url: str, tmp_path: Path) -> None:
    """app.py started with ASSISTANT_FEEDBACK_URL migrates that database (its retention job runs at start)."""
    import time

    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS ratings, feedback_schema")
    port = free_port()
    env = {**os.environ, "ASSISTANT_FEEDBACK_URL": postgres_url}
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        assert wait_until_ready(f"http://127.0.0.1:{port}", path="/api/health"), "app.py did not start in 240 s"
        for _ in range(40):  # the retention job runs in its own thread just after start
            with psycopg.connect(postgres_url) as connection:
                if connection.execute("SELECT to_regclass('ratings')").fetchone() != (None,):
                    break
            time.sleep(0.25)
        else:
            pytest.fail("the app never reached its feedback database")
    finally:
        process.terminate()
        process.wait(timeout=30)
