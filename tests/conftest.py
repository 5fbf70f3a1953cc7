"""Shared fixtures: the project's paths and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
CAPTURE = CORPUS / "sources" / "amazon-com-be-privacy-notice.fr.urlscan.txt"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def capture_path() -> Path:
    return CAPTURE


@pytest.fixture(scope="session")
def assistant():  # type: ignore[no-untyped-def]
    """The real assistant over the project's corpus and index (built on first use)."""
    from assistant.engine import Assistant

    return Assistant.load()
