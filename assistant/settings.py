"""The one settings object: project defaults, each overridable by an ASSISTANT_* environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES: tuple[str, ...] = ("fr", "nl", "en")
DEFAULT_ENCODER = "intfloat/multilingual-e5-small"


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "privacy-notice-assistant"


@dataclass(frozen=True)
class Settings:
    """Where things live and how the engine behaves; see `from_env` for the overrides."""

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    cache_dir: Path = field(default_factory=_default_cache)
    # "intfloat/multilingual-e5-small" means: provision it from the packaged 4-bit weights.
    # Anything else is handed to sentence-transformers as is (a local folder or a hub name).
    encoder: str = DEFAULT_ENCODER
    default_language: str = "en"
    chunk_size: int = 160  # tokens (words, roughly) per chunk
    chunk_overlap: int = 30
    top_k_sections: int = 5
    max_question_chars: int = 1000
    feedback_db: Path = PROJECT_ROOT / "data" / "feedback.sqlite3"
    host: str = "127.0.0.1"
    port: int = 7860

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ASSISTANT_<FIELD> environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"ASSISTANT_{f.name.upper()}")
            if raw is None:
                continue
            default = getattr(cls(), f.name)
            if isinstance(default, Path):
                values[f.name] = Path(raw)
            elif isinstance(default, int):
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]

    @property
    def encoder_dir(self) -> Path:
        """The provisioned sentence-transformers folder of the default encoder."""
        return self.cache_dir / "encoders" / "multilingual-e5-small"
