"""A server process of its own: not ready while loading, and a prompt stop on SIGTERM even with a stuck request."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from assistant.settings import PROJECT_ROOT
from tests.helpers import free_port, wait_until_ready


def test_not_ready_while_loading_then_ready_and_stops_within_ten_seconds_on_sigterm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3")}
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=PROJECT_ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    states: list[int] = []
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                live = httpx.get(f"{url}/api/health/live", timeout=2)
                ready = httpx.get(f"{url}/api/health/ready", timeout=2)
            except httpx.HTTPError:
                time.sleep(0.2)
                continue
            assert live.status_code == 200
            states.append(ready.status_code)
            if ready.status_code == 200:
                break
            asked = httpx.post(f"{url}/api/ask", json={"question": "cookies?"}, timeout=5)
            assert asked.status_code in (200, 503)
            if asked.status_code == 503:
                assert asked.headers["retry-after"] and "starting" in asked.json()["error"]
            time.sleep(0.2)
        assert states and states[-1] == 200
        assert 503 in states  # it answered "not ready" while loading instead of refusing connections

        # A request that never finishes: its body is still arriving when the stop comes.
        stuck = socket.create_connection(("127.0.0.1", port))
        stuck.sendall(b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 1000\r\n\r\n{\"question\": ")  # fmt: skip
        time.sleep(0.5)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        assert time.monotonic() - started < 10
        stuck.close()
    finally:
        if process.poll() is None:
            process.kill()
        log.close()


def test_the_api_only_worker_answers_without_loading_the_interface(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`uvicorn --factory app:create_api_app`, as several workers run it: the JSON API over real HTTP, and Gradio
    (the chat's interface, most of the app's start-up time) never imported by it."""
    probe = "import sys, app; app.create_api_app; print('gradio' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
    assert imported.stdout.strip() == "False", imported.stderr
    port = free_port()
    env = {**os.environ, "ASSISTANT_FEEDBACK_DB": str(tmp_path / "feedback.sqlite3")}
    command = [sys.executable, "-m", "uvicorn", "--factory", "app:create_api_app", "--port", str(port)]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_until_ready(url), "the API worker did not become ready in 240 s"
        question = {"question": "Hoe lang bewaren jullie mijn gegevens?"}
        data = httpx.post(f"{url}/api/ask", json=question, timeout=30).json()
        assert data["language"] == "nl" and data["citations"][0]["section_id"] == "11"
        assert httpx.get(f"{url}/", timeout=10).status_code == 404  # no chat on an API worker
    finally:
        process.terminate()
        process.wait(timeout=30)
