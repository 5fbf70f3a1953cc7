"""The server's doors: request ids, body limits counted as bytes arrive, rate limits, uploads, security headers."""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from limits import parse_many, storage, strategies

from assistant.logs import REQUEST_ID
from assistant.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)
# The requests that cost an answer (or write feedback): what the rate limit counts.
LIMITED = ("/api/ask", "/gradio_api/queue/join", "/gradio_api/call/", "/gradio_api/run/", "/api/feedback")
UPLOADS = ("/gradio_api/upload", "/upload")


async def send_json(send: Send, status: int, body: dict[str, Any], headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                    *headers],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": data})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


class RequestContext:
    """Gives every request an id (also sent back as X-Request-ID) that every log record of it carries."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:12]
        token = REQUEST_ID.set(request_id)

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        finally:
            REQUEST_ID.reset(token)


class BodyLimit:
    """Refuses (413) a request whose body is over the limit, counting the bytes as they arrive, so that a chunked
    body or a false Content-Length cannot get more through; the JSON API has a smaller limit than the chat."""

    def __init__(self, app: ASGIApp, api_bytes: int, ui_bytes: int) -> None:
        self.app, self.api_bytes, self.ui_bytes = app, api_bytes, ui_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.api_bytes if scope["path"].startswith("/api/") else self.ui_bytes
        declared = _header(scope, b"content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await send_json(send, 413, {"error": f"request body over {limit} bytes"})
            return
        received = 0
        over = False
        started = False

        async def counting() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True  # the app sees a disconnect; the client gets 413 below
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if over:
                return  # whatever the app answers to a body it never fully got is replaced by the 413
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, guarded)
        except Exception:
            if not over:
                raise
        if over and not started:
            await send_json(send, 413, {"error": f"request body over {limit} bytes"}, [(b"connection", b"close")])


class RateLimit:
    """Per-client limits (`limits`' moving window) on the requests that cost an answer: 429 with Retry-After."""

    def __init__(self, app: ASGIApp, rule: str, trusted_proxies: tuple[str, ...] = ()) -> None:
        self.app = app
        self.items = parse_many(rule) if rule.strip() else []
        self.limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self.trusted = set(trusted_proxies)

    def client(self, scope: Scope) -> str:
        host = (scope.get("client") or ("unknown", 0))[0]
        forwarded = _header(scope, b"x-forwarded-for")
        if forwarded and host in self.trusted:
            return forwarded.split(",")[0].strip()
        return str(host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "POST" or not self.items or not path.startswith(LIMITED):
            await self.app(scope, receive, send)
            return
        key = self.client(scope)
        if not all(self.limiter.test(item, key) for item in self.items):
            reset = max(self.limiter.get_window_stats(item, key).reset_time for item in self.items
                        if not self.limiter.test(item, key))  # fmt: skip
            import time

            wait = max(1, math.ceil(reset - time.time()))
            log.warning("rate limited", extra={"path": path, "retry_after": wait})
            await send_json(send, 429, {"error": f"too many requests: try again in {wait} s"},
                            [(b"retry-after", str(wait).encode())])  # fmt: skip
            return
        for item in self.items:
            self.limiter.hit(item, key)
        await self.app(scope, receive, send)


class ClosedDoors:
    """Refuses file uploads (the chat takes no files) and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        policy = (
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; connect-src 'self'; "
            f"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {frame_ancestors}"
        )
        self.headers = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]
        if frame_ancestors.strip() in ("'self'", "'none'"):
            self.headers.append((b"x-frame-options", b"SAMEORIGIN" if "self" in frame_ancestors else b"DENY"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path", "").rstrip("/").endswith(UPLOADS):
            await send_json(send, 403, {"error": "file uploads are not accepted"}, self.headers)
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {key.lower() for key, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in self.headers if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, secured)


class AllowedHosts:
    """Answers only requests addressed to the configured host names (a forged Host header gets 400)."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and "*" not in self.hosts:
            host = (_header(scope, b"host") or "").lower()
            name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if ":" in host else host
            if name not in self.hosts:
                if scope["type"] == "http":
                    await send_json(send, 400, {"error": "unknown host"})
                return
        await self.app(scope, receive, send)


def harden(app: ASGIApp, settings: Settings) -> ASGIApp:
    """The app behind its doors, outermost first: request id, allowed hosts, security headers and uploads, rate
    limit, body limit."""
    inner: ASGIApp = BodyLimit(app, settings.max_body_bytes, settings.max_ui_body_bytes)
    inner = RateLimit(inner, settings.rate_limit, settings.trusted_proxies)
    inner = ClosedDoors(inner, settings.frame_ancestors)
    inner = AllowedHosts(inner, settings.served_hosts())
    return RequestContext(inner)
