"""Shared fixtures: the project's paths and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from tests.helpers import free_port

CORPUS = PROJECT_ROOT / "corpus"
CAPTURE = CORPUS / "sources" / "amazon-com-be-privacy-notice.fr.urlscan.txt"
CHROMIUM = "/usr/bin/chromium"  # Debian's, driven by Playwright; never a downloaded browser
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def capture_path() -> Path:
    return CAPTURE


@pytest.fixture
def small(tmp_path: Path, corpus_dir: Path):  # type: ignore[no-untyped-def]
    """Settings over a one-language copy of the corpus (fr.md only), with the index in a temporary folder."""
    import shutil

    from assistant.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("fr.md", "outline.md"):
        shutil.copy(corpus_dir / name, corpus / name)
    return Settings.from_env(corpus_dir=corpus, index_dir=tmp_path / "index")


@pytest.fixture(scope="session")
def assistant():  # type: ignore[no-untyped-def]
    """The real assistant over the project's corpus and index (built on first use)."""
    from assistant.engine import Assistant

    return Assistant.load()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, assistant):  # type: ignore[no-untyped-def]
    """The real app (app.py) on a free loopback port, with its own feedback database; yields its URL and db."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    port = free_port()
    db = tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"
    # Debug logs (to check that even they carry no personal detail), and the client address taken from
    # X-Forwarded-For, so that each test that needs its own rate-limit budget can be its own client.
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(db), "ASSISTANT_LOG_LEVEL": "DEBUG",
           "ASSISTANT_TRUSTED_PROXIES": "127.0.0.1", "ASSISTANT_RATE_LIMIT": "2000/minute;60/second"}  # fmt: skip
    log_path = tmp_path_factory.mktemp("server") / "app.log"
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=PROJECT_ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"app.py exited with {process.returncode}; see {log.name}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        process.kill()
        raise RuntimeError("app.py did not become ready in 240 s")
    yield {"url": url, "db": db, "log": log_path}
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's headless Chromium, one per test session."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: scripts/test.sh installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()
