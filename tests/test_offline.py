"""The offline guarantee: the CLI and the app work in a network namespace with no network at all."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from assistant.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None or shutil.which("ip") is None,
                                reason="needs unshare and ip (util-linux, iproute2)")  # fmt: skip


def in_empty_network(command: str) -> subprocess.CompletedProcess[str]:
    """Run a shell command in a new network namespace where only loopback exists."""
    return subprocess.run(["unshare", "--net", "--", "sh", "-c", f"ip link set lo up && {command}"],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)  # fmt: skip


def test_cli_answers_with_no_network(assistant) -> None:  # type: ignore[no-untyped-def]
    result = in_empty_network(f"{sys.executable} -m assistant ask --json 'Combien de temps gardez-vous mes données ?'")
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout)
    assert data["language"] == "fr" and data["citations"][0]["section_id"] == "11"


def test_app_serves_the_page_and_the_api_with_no_network(assistant) -> None:  # type: ignore[no-untyped-def]
    result = in_empty_network(f"{sys.executable} tests/offline_smoke.py")
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["interfaces"] == ["lo"]  # the namespace really has no network but loopback
    assert data["health"] == "ready" and data["page"] == 200
    assert data["language"] == "nl" and data["cited"][0].split(".")[0] in {"3", "9", "13"}
