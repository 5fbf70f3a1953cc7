"""Structured (JSON) logs with personal details redacted from every record, at every level, with request ids."""

from __future__ import annotations

import contextvars
import io
import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from assistant.privacy import redact

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


MAX_MESSAGE = 4000  # characters of a message or field kept: logs carry no whole documents
# The id of the request being served: set by the web layer for each HTTP request, by the engine for a direct call.
REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class RedactingFilter(logging.Filter):
    """Rewrites the message and every string field of a record with personal data redacted, and adds the id of
    the request being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None and REQUEST_ID.get() is not None:
            record.request_id = REQUEST_ID.get()
        record.msg = redact(record.getMessage()[:MAX_MESSAGE])
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _STANDARD:
                setattr(record, key, _redact_value(value))
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info)[-MAX_MESSAGE:])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text[-MAX_MESSAGE:])
        return True


class StreamToLog(io.TextIOBase):
    """A text stream whose lines become log records: libraries that print to stderr (a traceback from inside
    Gradio, say) go through the same redaction and JSON format as everything else."""

    def __init__(self, logger: logging.Logger, level: int = logging.ERROR) -> None:
        super().__init__()
        self.logger, self.level, self.pending = logger, level, ""

    def write(self, text: str) -> int:
        self.pending += text
        while "\n" in self.pending:
            line, self.pending = self.pending.split("\n", 1)
            if line.strip():
                self.logger.log(self.level, line)
        if len(self.pending) > MAX_MESSAGE:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.pending.strip():
            self.logger.log(self.level, self.pending)
        self.pending = ""

    def isatty(self) -> bool:
        return False


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value[:MAX_MESSAGE])
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _redact_value(v) for k, v in value.items()}
    return value


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_text:
            data["exception"] = record.exc_text
        return json.dumps(data, ensure_ascii=False, default=str)


def configure_logging(level: int | str = logging.INFO, stream: Any = None, capture_stderr: bool = False
                      ) -> logging.Handler:  # fmt: skip
    """Send every log record (ours and the libraries') through redaction, as JSON lines; with `capture_stderr`,
    whatever else is printed to stderr too (the server does this)."""
    handler = logging.StreamHandler(stream or sys.__stderr__)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_assistant", False)]:
        root.removeHandler(old)
    setattr(handler, "_assistant", True)  # noqa: B010  (marks ours, so a second call replaces it)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):  # through our handler, not uvicorn's own
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    if capture_stderr:
        sys.stderr = StreamToLog(logging.getLogger("stderr"))  # a text stream, duck-typed
    return handler
