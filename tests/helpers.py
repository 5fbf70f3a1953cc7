"""Helpers the tests share: a free port, waiting for a server to be ready, and one event of the running app's
Gradio interface."""

from __future__ import annotations

import functools


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(url: str, path: str = "/api/health/ready", seconds: float = 240) -> bool:
    """Poll `url + path` until it answers 200; False when it has not within `seconds`."""
    import time

    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}{path}", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    return False


@functools.lru_cache(maxsize=8)
def event_ids(url: str) -> dict[str, int]:
    """The running app's named events and their ids, read once from its config."""
    import httpx

    config = httpx.get(f"{url}/config", timeout=60).json()
    return {d["api_name"]: d["id"] for d in config["dependencies"] if isinstance(d.get("api_name"), str)}


def gradio_event(url: str, api_name: str, data: list[object], session: str, event_data: object = None,
                 headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, object]:  # fmt: skip
    """One event of the running app's Gradio interface over its own HTTP protocol (join the queue, read the
    stream): (HTTP status, the event's output, or the error body). State inputs are sent as null, as the browser
    does; `session` keeps the server-side state between events."""
    import json

    import httpx

    fn = event_ids(url)[api_name]
    body = {"data": data, "event_data": event_data, "fn_index": fn, "trigger_id": None, "session_hash": session}
    response = httpx.post(f"{url}/gradio_api/queue/join", json=body, timeout=timeout, headers=headers or {})
    if response.status_code != 200:
        return response.status_code, response.text
    with httpx.stream("GET", f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=timeout,
                      headers=headers or {}) as stream:  # fmt: skip
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return 200, message.get("output")
    raise RuntimeError("the event stream ended without a result")
