"""The container image: `docker build` of the repository and a container that answers over real HTTP. Runs where a
Docker daemon answers; elsewhere it is skipped with the reason (these development machines have none)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import PROJECT_ROOT
from tests.helpers import free_port, wait_until_ready


def daemon_missing() -> str | None:
    """Why the image cannot be built here, or None when a Docker daemon answers."""
    if shutil.which("docker") is None:
        return "no docker command on this machine: the image (Dockerfile) is not built here"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60, check=False)
    if info.returncode != 0:
        return f"no Docker daemon answers here ({info.stderr.strip()[:120]}): the image is not built here"
    return None


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    reason = daemon_missing()
    if reason:
        pytest.skip(reason)
    tag = f"privacy-assistant-test:{uuid.uuid4().hex[:8]}"
    # torch's pinned CPU wheel comes from where pip finds it (see the Dockerfile): passed through when set.
    args = [f"--build-arg={name}={os.environ[name]}" for name in ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL")
            if os.environ.get(name)]  # fmt: skip
    build = subprocess.run(["docker", "build", "-t", tag, *args, "."], cwd=PROJECT_ROOT, capture_output=True,
                           text=True, timeout=3600, check=False)  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    yield tag
    subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=300, check=False)


def test_the_image_answers_with_its_built_in_index(image: str) -> None:
    port = free_port()
    started = subprocess.run(["docker", "run", "-d", "-p", f"127.0.0.1:{port}:7860",
                              "-e", "ASSISTANT_ALLOWED_HOSTS=127.0.0.1,localhost", image],
                             capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    container = started.stdout.strip()
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_ready(url), "the container did not become ready in 240 s"
        data = httpx.post(f"{url}/api/ask", json={"question": "Hoe lang bewaren jullie mijn gegevens?"},
                          timeout=30).json()  # fmt: skip
        assert data["language"] == "nl" and data["citations"][0]["section_id"] == "11"
        notice = httpx.get(f"{url}/notice/en", timeout=30)
        assert notice.status_code == 200 and '<section id="s-11"' in notice.text
        assert httpx.get(f"{url}/", timeout=30).status_code == 200  # the chat
    finally:
        subprocess.run(["docker", "rm", "-f", container], capture_output=True, timeout=120, check=False)
