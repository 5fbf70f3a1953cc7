"""The one settings object: project defaults, each overridable by an ASSISTANT_* environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENCODER = "intfloat/multilingual-e5-small"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "privacy-notice-assistant"


@dataclass(frozen=True)
class Settings:
    """Where things live and how the engine and the server behave; see `from_env` for the overrides."""

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    cache_dir: Path = field(default_factory=_default_cache)
    # "intfloat/multilingual-e5-small" means: provision it from the packaged 4-bit weights.
    # Anything else is handed to sentence-transformers as is (a local folder or a hub name).
    encoder: str = DEFAULT_ENCODER
    # "onnx": the 4-bit ONNX Runtime export on the query path (torch never imported); "torch": the PyTorch model,
    # the reference for comparisons. Each index build records the runtime it was built with.
    encoder_runtime: str = "onnx"
    default_language: str = "en"
    chunk_size: int = 160  # tokens (words, roughly) per chunk
    chunk_overlap: int = 30
    top_k_sections: int = 5
    max_question_chars: int = 1000
    # A conversation's history: only its last turns are read, each at most this long; longer requests are refused.
    max_history_turns: int = 50
    max_turn_chars: int = 4000
    feedback_db: Path = PROJECT_ROOT / "data" / "feedback.sqlite3"
    # postgresql://user:password@host/database: one store shared by every replica (the SQLite file is not used).
    feedback_url: str = ""
    feedback_retention_days: int = 90  # ratings and comments are deleted after this many days
    host: str = "127.0.0.1"
    port: int = 7860
    # The web server's doors. Bodies are counted as they arrive (chunked ones too).
    max_body_bytes: int = 64 * 1024  # the JSON API
    max_ui_body_bytes: int = 256 * 1024  # the chat's own calls, which carry the conversation shown
    rate_limit: str = "60/minute;10/second"  # per client address, for questions and feedback ("" turns it off)
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For names the client
    allowed_hosts: tuple[str, ...] = ()  # Host headers served; empty: the configured host, localhost, 127.0.0.1
    cors_origins: tuple[str, ...] = ()  # other origins allowed to call the API from a browser; empty: none
    frame_ancestors: str = "'self'"  # who may show the chat in a frame (the help page's origin, e.g.)
    api_docs: bool = False  # serve /docs (self-hosted Swagger UI, no CDN)
    shutdown_seconds: float = 8.0  # on SIGTERM, requests still running after this are cut

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ASSISTANT_<FIELD> environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        defaults = cls()
        for f in fields(cls):
            raw = os.environ.get(f"ASSISTANT_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _parse(raw, getattr(defaults, f.name), f.name)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]  # every key is a field name

    @property
    def encoder_dir(self) -> Path:
        """The provisioned sentence-transformers folder of the default encoder."""
        return self.cache_dir / "encoders" / "multilingual-e5-small"

    def served_hosts(self) -> tuple[str, ...]:
        """The Host names the server answers to."""
        return self.allowed_hosts or tuple(dict.fromkeys((self.host, "localhost", "127.0.0.1")))


def _parse(raw: str, default: Any, name: str) -> object:
    """An environment variable's text as the type of the field's default."""
    try:
        if isinstance(default, bool):
            if raw.strip().lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                raise ValueError(raw)
            return raw.strip().lower() in ("1", "true", "yes", "on")
        if isinstance(default, Path):
            return Path(raw)
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            return tuple(part.strip() for part in raw.split(",") if part.strip())
    except ValueError:
        raise ValueError(f"ASSISTANT_{name.upper()}={raw!r} is not a valid {type(default).__name__}") from None
    return raw
