"""The HTTP API: POST /api/ask and the health checks, as JSON, beside the web interface."""

# No `from __future__ import annotations` here: FastAPI reads the body model built from the settings off the
# handler's annotation, which must then be the class itself, not its name.

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.langpack import load_packs
from assistant.serving import NotReady, Service
from assistant.settings import Settings

log = logging.getLogger(__name__)
EXPECTED = {"question": "string", "history": "list of strings or {role, content} (optional)",
            "lang": "a language code (fr, nl, en) or null", "default_lang": "a language code or null"}  # fmt: skip


def request_model(settings: Settings) -> type[BaseModel]:
    """The body of POST /api/ask, with the history's size capped by the settings."""
    turn_chars, turns = settings.max_turn_chars, settings.max_history_turns
    languages = tuple(load_packs())

    class AskRequest(BaseModel):
        """A question, the earlier turns of the conversation (strings or chat messages), and optional languages."""

        question: str  # the body limit bounds it (a length check here would refuse lone surrogates)
        history: list[str | dict[str, Any]] = Field(default_factory=list, max_length=turns)
        lang: str | None = None
        default_lang: str | None = None  # e.g. the page's locale, for one-word questions

        @field_validator("lang", "default_lang")
        @classmethod
        def a_served_language(cls, value: str | None) -> str | None:
            if value is not None and value not in languages:
                raise ValueError(f"must be one of {', '.join(languages)} or null")
            return value

        @field_validator("history")
        @classmethod
        def turns_not_too_long(cls, history: list[str | dict[str, Any]]) -> list[str | dict[str, Any]]:
            for item in history:
                content = item if isinstance(item, str) else item.get("content", "")
                if isinstance(content, str) and len(content) > turn_chars:
                    raise ValueError(f"each history turn must be at most {turn_chars} characters")
                if not isinstance(content, str) and len(str(content)) > turn_chars:
                    raise ValueError(f"each history turn must be at most {turn_chars} characters")
            return history

    return AskRequest


def create_api(service: Service, settings: Settings | None = None) -> FastAPI:
    settings = settings or service.settings
    docs = settings.api_docs
    api = FastAPI(title="Privacy notice assistant API", version="1.1", docs_url="/docs" if docs else None,
                  redoc_url=None, openapi_url="/api/openapi.json")  # fmt: skip
    # Browsers may call the API from these origins only (none by default: same origin). Declaring it here also
    # stops Gradio from adding its own, looser policy for localhost origins.
    api.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                       allow_headers=["content-type"], allow_credentials=False)  # fmt: skip
    AskRequest = request_model(settings)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [f"{'.'.join(str(p) for p in e.get('loc', [])[1:]) or 'body'}: {e.get('msg')}" for e in exc.errors()]
        return JSONResponse({"error": "invalid request: " + "; ".join(problems)[:500], "expected": EXPECTED},
                            status_code=422)  # fmt: skip

    @api.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # FastAPI answers 400 to a body that is not JSON at all (invalid UTF-8, nesting too deep): it is a bad request
        # body like any other, so the same 422 and the same {"error": ...} shape.
        status = 422 if exc.status_code == 400 else exc.status_code
        return JSONResponse({"error": str(exc.detail)[:300], "expected": EXPECTED} if status == 422
                            else {"error": str(exc.detail)[:300]}, status_code=status)  # fmt: skip

    @api.exception_handler(Exception)
    async def failure(request: Request, exc: Exception) -> JSONResponse:
        log.error("request failed", exc_info=exc)  # redacted by the log filter, with the request id
        return JSONResponse({"error": "internal error: the request could not be answered"}, status_code=500)

    @api.post("/api/ask")
    def ask(body: AskRequest) -> Any:  # type: ignore[valid-type]  # a model built from the settings
        # A plain (sync) handler: FastAPI runs it in its thread pool, so requests don't block each other.
        try:
            answer = service.ask(body.question, history=body.history, lang=body.lang,  # type: ignore[attr-defined]
                                 default_lang=body.default_lang)  # type: ignore[attr-defined]  # fmt: skip
        except NotReady:
            return JSONResponse({"error": "the assistant is starting: try again in a few seconds"}, status_code=503,
                                headers={"Retry-After": "5"})  # fmt: skip
        return answer.to_dict()

    @api.get("/api/health/live")
    def live() -> dict[str, str]:
        """The process answers (a liveness probe): nothing else is checked."""
        return {"status": "alive"}

    @api.get("/api/health/ready")
    def ready() -> JSONResponse:
        """Ready to answer (a readiness probe): 503 while loading, rebuilding an edited corpus, or failed."""
        report = service.readiness()
        return JSONResponse(report, status_code=200 if report["status"] == "ready" else 503)

    @api.get("/api/health")
    def health() -> JSONResponse:
        """The readiness report (kept for the clients that know this address)."""
        return ready()

    return api
