"""The server's doors over real HTTP: body limits counted as bytes arrive, bounded work under abuse, rate limits,
hosts, CORS, security headers, uploads, readiness and the JSON error shape."""

from __future__ import annotations

import json
import socket
import time
import uuid
from urllib.parse import urlparse

import httpx


def client(name: str) -> dict[str, str]:
    """Headers of a client of its own (the test server trusts X-Forwarded-For from loopback): its own rate budget."""
    return {"X-Forwarded-For": f"10.{hash(name) % 250}.{len(name)}.{uuid.uuid4().int % 250}"}


def raw_chunked(url: str, path: str, total: int, chunk: int = 32 * 1024) -> tuple[int, float]:
    """POST a chunked body of `total` bytes over a plain socket: (status, seconds until the answer)."""
    parsed = urlparse(url)
    started = time.perf_counter()
    with socket.create_connection((parsed.hostname, parsed.port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())  # fmt: skip
        sent = 0
        try:
            while sent < total:
                sock.sendall(f"{chunk:x}\r\n".encode() + b"a" * chunk + b"\r\n")
                sent += chunk
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may close the connection as soon as it has refused the body
        head = sock.recv(4096).decode("latin-1")
    return int(head.split()[1]), time.perf_counter() - started


def test_a_chunked_body_over_the_limit_is_refused_by_bytes_received(server) -> None:  # type: ignore[no-untyped-def]
    status, seconds = raw_chunked(server["url"], "/api/ask", 2 * 1024 * 1024)
    assert status == 413 and seconds < 1.0


def test_history_turns_and_their_number_are_capped(server) -> None:  # type: ignore[no-untyped-def]
    url = f"{server['url']}/api/ask"
    many = httpx.post(url, json={"question": "x", "history": ["hi"] * 1000}, timeout=30)
    long = httpx.post(url, json={"question": "x", "history": ["a" * 60_000]}, timeout=30)
    assert many.status_code == 422 and "history" in many.json()["error"]
    assert long.status_code == 422 and "at most" in long.json()["error"]


def test_bodies_that_are_not_json_get_the_documented_422(server) -> None:  # type: ignore[no-untyped-def]
    url = f"{server['url']}/api/ask"
    headers = {"content-type": "application/json"}
    for body in (b'{"question": "caf\xe9 \xff"}', b'{"question": "x", "history": ' + b"[" * 3000 + b"]" * 3000 + b"}"):
        response = httpx.post(url, content=body, headers=headers, timeout=30)
        assert response.status_code == 422 and set(response.json()) >= {"error", "expected"}


def test_bursts_are_rate_limited_with_retry_after(server) -> None:  # type: ignore[no-untyped-def]
    headers = {**client("burst"), "content-type": "application/json"}
    with httpx.Client(timeout=30) as http:
        statuses = [http.post(f"{server['url']}/api/ask", content=b"{}", headers=headers) for _ in range(90)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    assert int(limited[0].headers["retry-after"]) >= 1 and "error" in limited[0].json()
    # Another client is not held back by this one.
    other = httpx.post(f"{server['url']}/api/ask", json={"question": "cookies"}, headers=client("other"))
    assert other.status_code == 200


def test_security_headers_on_every_response(server) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/api/health/live", "/config"):
        headers = httpx.get(server["url"] + path, timeout=30).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'self'" in policy and "connect-src 'self'" in policy
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "SAMEORIGIN"
        assert headers["x-request-id"]


def test_other_origins_and_hosts_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    preflight = httpx.options(f"{server['url']}/api/ask", headers={
        "Origin": "http://localhost:9999", "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert "access-control-allow-origin" not in preflight.headers
    simple = httpx.get(f"{server['url']}/config", headers={"Origin": "http://localhost:9999"})
    assert not any(name.startswith("access-control-allow") for name in simple.headers)
    forged = httpx.get(f"{server['url']}/api/health/live", headers={"Host": "evil.example"})
    assert forged.status_code == 400 and forged.json() == {"error": "unknown host"}


def test_uploads_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    response = httpx.post(f"{server['url']}/gradio_api/upload", files={"files": ("x.txt", b"x" * 1024)}, timeout=30)
    assert response.status_code == 403


def test_liveness_readiness_and_no_server_paths(server) -> None:  # type: ignore[no-untyped-def]
    live = httpx.get(f"{server['url']}/api/health/live").json()
    ready = httpx.get(f"{server['url']}/api/health/ready")
    assert live == {"status": "alive"} and ready.status_code == 200 and ready.json()["status"] == "ready"
    assert "/work/" not in ready.text and "/home/" not in ready.text and "/tmp/" not in ready.text
    assert httpx.get(f"{server['url']}/docs").status_code == 404  # API docs are off by default (no CDN)
    assert json.loads(httpx.get(f"{server['url']}/api/openapi.json").text)["paths"]["/api/ask"]
