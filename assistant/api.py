"""The HTTP API: POST /api/ask and GET /api/health, as JSON, beside the web interface."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from assistant.engine import Assistant

MAX_BODY_BYTES = 64 * 1024


class AskRequest(BaseModel):
    """A question, the earlier turns of the conversation (strings or chat messages), and an optional language."""

    question: str
    history: list[str | dict[str, Any]] = Field(default_factory=list, max_length=50)
    lang: Literal["fr", "nl", "en"] | None = None
    default_lang: Literal["fr", "nl", "en"] | None = None  # e.g. the page's locale, for one-word questions


def create_api(assistant: Assistant) -> FastAPI:
    api = FastAPI(title="Privacy notice assistant API", version="1.0")

    @api.middleware("http")
    async def limit_body(request: Request, call_next):  # type: ignore[no-untyped-def]
        size = request.headers.get("content-length")
        if size and size.isdigit() and int(size) > MAX_BODY_BYTES:
            return JSONResponse({"error": f"request body over {MAX_BODY_BYTES} bytes"}, status_code=413)
        return await call_next(request)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'body'}: {e.get('msg')}" for e in exc.errors()]
        return JSONResponse(
            {"error": "invalid request: " + "; ".join(problems),
             "expected": {"question": "string", "history": "list (optional)", "lang": "fr | nl | en | null"}},
            status_code=422,
        )  # fmt: skip

    @api.post("/api/ask")
    def ask(body: AskRequest) -> dict[str, Any]:
        # A plain (sync) handler: FastAPI runs it in its thread pool, so requests don't block each other.
        return assistant.ask(
            body.question, history=body.history, lang=body.lang, default_lang=body.default_lang
        ).to_dict()

    @api.get("/api/health")
    def health() -> dict[str, Any]:
        manifest = assistant.manifest
        return {
            "status": "ready",
            "corpus_changed": assistant.corpus_changed(),
            "last_reload_error": assistant.last_reload_error,
            "languages": sorted(assistant.notices),
            "index": {key: manifest.get(key) for key in (
                "build_id", "built_at", "model", "weights", "vectors", "counts", "corpus", "chunking")},
        }  # fmt: skip

    return api
