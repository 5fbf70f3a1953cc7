"""Preparing the ONNX encoder once: multilingual-e5-small exported, quantised to int8, verified against PyTorch."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.encoder import FORMAT_VERSION as ENCODER_FORMAT_VERSION
from assistant.encoder import EncoderError, weights_fingerprint
from assistant.onnx_encoder import (
    FLOAT_MODEL,
    INT8_MODEL,
    REQUIRED_FILES,
    TOKENIZER,
    VERIFIED,
    OnnxEncoderError,
    onnx_folder,
)
from assistant.onnx_verify import reference_vectors, verify
from assistant.settings import DEFAULT_ENCODER, Settings
from assistant.text import read_json, sha256_file, write_json

if TYPE_CHECKING:
    pass

# Bump when the export or the quantisation changes, so folders built by older code are rebuilt.
FORMAT_VERSION = 2  # 2: one MatMul kept in float32 (FLOAT_NODES)
OPSET = 17  # the first opset with LayerNormalization as one op; the TorchScript exporter and onnxruntime both have it
PREPARING_MESSAGE = "Exporting the multilingual-e5-small encoder to ONNX and checking it (one time, about a minute)…"
# Left in float32 by the quantiser: layer 5's feed-forward output projection. On 1,500 evaluation messages it halves
# the int8 vectors' mean cosine error to float32 (0.0032 -> 0.0017) for about 0.1 ms more per query; keeping any other
# layer's projection instead moved it by 0.0003 at most (docs/decisions/performance.md).
FLOAT_NODES = ("/bert/encoder/layer.4/output/dense/MatMul",)
STALE_SECONDS = 3600  # a temporary folder older than this was left by a crash, not by a running export


def _expected_source(settings: Settings) -> dict[str, Any]:
    """What a folder must have been built from to be reused: the same weights, conversions and onnxruntime."""
    try:
        ort_version = metadata.version("onnxruntime")  # read from the metadata: importing it is not needed here
    except metadata.PackageNotFoundError:
        raise OnnxEncoderError(
            "onnxruntime is not installed; install the project's requirements (pip install -r requirements.txt)."
        ) from None
    return {
        "format_version": FORMAT_VERSION,
        "encoder_format_version": ENCODER_FORMAT_VERSION,
        "weights_fingerprint": weights_fingerprint(settings),
        "onnxruntime": ort_version,
    }


def _is_current(folder: Path, expected: dict[str, Any]) -> bool:
    """Whether `folder` is a finished export of the expected source whose files are still the ones recorded."""
    record = read_json(folder / VERIFIED)
    if record is None or any(record.get(key) != value for key, value in expected.items()):
        return False
    sizes = record.get("file_bytes")
    if not isinstance(sizes, dict) or set(sizes) != set(REQUIRED_FILES) - {VERIFIED}:
        return False
    # Sizes, not hashes: hashing both models on every start would cost more than the check is worth.
    return all((folder / name).is_file() and (folder / name).stat().st_size == size for name, size in sizes.items())


def prepare_onnx(settings: Settings) -> Path:
    """Export the provisioned multilingual-e5-small to ONNX (float32 and int8), verify it against PyTorch, and
    return the folder; a no-op when a verified export of the same weights and onnxruntime version is there.

    Everything is written into a temporary folder beside the target and renamed into place at the end, so a crash
    never leaves half a folder. torch, transformers and sentence-transformers are imported only when exporting.
    """
    if settings.encoder != DEFAULT_ENCODER:
        raise OnnxEncoderError(
            f"The ONNX encoder is built from the default {DEFAULT_ENCODER!r} only, but ASSISTANT_ENCODER is "
            f"{settings.encoder!r}: its vectors would not match the index. Unset ASSISTANT_ENCODER or use the "
            "PyTorch encoder (assistant.encoder.load_encoder)."
        )
    target = onnx_folder(settings)
    expected = _expected_source(settings)
    if _is_current(target, expected):
        return target

    print(PREPARING_MESSAGE, file=sys.stderr, flush=True)
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        out = staging / "onnx"
        out.mkdir()
        try:
            record = _build(settings, out)
        except EncoderError:  # ours, or the PyTorch model's provisioning: each already says what to do
            raise
        except Exception as exc:  # torch, exporter and quantiser failures surface as one clear error
            raise OnnxEncoderError(
                f"Could not export the encoder to ONNX: {type(exc).__name__}: {exc}. Check that onnxruntime and "
                "onnx are installed at the versions in requirements.txt, then run prepare_onnx again; until then "
                "use the PyTorch encoder (assistant.encoder.load_encoder)."
            ) from exc
        record.update(expected)
        record["file_bytes"] = {name: (out / name).stat().st_size for name in REQUIRED_FILES if name != VERIFIED}
        record["build_seconds"] = round(time.perf_counter() - started, 1)
        write_json(out / VERIFIED, record)  # last file: its presence marks the folder complete
        _install(out, target, expected)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"ONNX encoder ready ({time.perf_counter() - started:.0f} s): {target}", file=sys.stderr, flush=True)
    return target


def _remove_stale_staging(target: Path) -> None:
    """Delete the staging and moved-aside folders that a killed export left (a running one's are much younger)."""
    leftovers = [*target.parent.glob(f".{target.name}.*.partial"), *target.parent.glob(f".{target.name}.old-*")]
    for path in leftovers:
        try:
            if time.time() - path.stat().st_mtime > STALE_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


def _install(built: Path, target: Path, expected: dict[str, Any]) -> None:
    """Move a finished folder into place; an old or partial one is moved aside first, then deleted."""
    aside = None
    if target.exists():
        aside = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
        target.rename(aside)
    try:
        built.rename(target)
    except OSError:
        # Another process installed the same export meanwhile: theirs is as good as ours.
        if not _is_current(target, expected):
            raise
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


def _build(settings: Settings, out: Path) -> dict[str, Any]:
    """Export, quantise and verify into `out`; returns what verified.json records (bar the source keys)."""
    from assistant.encoder import load_encoder

    # The PyTorch model (provisioned and self-checked on first use) gives the vectors the export must match; it is
    # let go before the export so that two copies of the weights are never in memory at once.
    reference = load_encoder(settings)
    expected = reference_vectors(reference)
    del reference
    model_dir = settings.encoder_dir
    _export(model_dir, out / FLOAT_MODEL)
    _quantize(out / FLOAT_MODEL, out / INT8_MODEL)
    shutil.copyfile(model_dir / "tokenizer.json", out / TOKENIZER)
    cosines = verify(expected, out)
    return {
        "model": DEFAULT_ENCODER,
        "model_sha256": sha256_file(model_dir / "model.safetensors"),  # the exact float32 weights exported
        "tokenizer_sha256": sha256_file(out / TOKENIZER),
        "exporter": "torch.onnx.export (TorchScript, dynamo=False)",
        "opset": OPSET,
        "quantization": "onnxruntime.quantization.quantize_dynamic: int8 weights, per channel; uint8 activations; "
                        f"float32: {', '.join(FLOAT_NODES)}",
        "versions": {
            name: metadata.version(name) for name in ("torch", "transformers", "sentence-transformers", "onnx")
        },
        "cosines": cosines,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _export(model_dir: Path, path: Path) -> None:
    """The BertModel as ONNX: (input_ids, attention_mask) -> last_hidden_state, batch and sequence dynamic."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # a local load takes a second: its bar is only noise
    try:
        # Eager attention traces to plain MatMul/Softmax, which ONNX Runtime fuses; its own instance, not the
        # reference's, so the export cannot disturb the model it is checked against.
        model = AutoModel.from_pretrained(str(model_dir), local_files_only=True, attn_implementation="eager")
    finally:
        if bars:
            hf_logging.enable_progress_bar()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    # eval() on the wrapper too: the exporter restores the wrapper's mode afterwards, and a fresh Module is in
    # training mode, which would switch dropout back on in the model it wraps.
    wrapper = LastHiddenState(model).eval()
    pad = int(model.config.pad_token_id)
    # A padded second row, so the trace goes through the attention mask's padding path.
    input_ids = torch.tensor([[0, 6, 7, 8, 2], [0, 6, 2, pad, pad]], dtype=torch.long)
    attention_mask = (input_ids != pad).long()
    axes = {0: "batch", 1: "sequence"}
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter warns that it is deprecated and that shape checks are traced as constants; the
        # export is verified numerically afterwards, on other lengths and batch sizes, which is what matters.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            wrapper,
            (input_ids, attention_mask),
            str(path),
            dynamo=False,  # the torch.export-based default needs onnxscript; TorchScript tracing works offline
            opset_version=OPSET,
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "last_hidden_state": axes},
            do_constant_folding=True,
        )
    del model, wrapper


def _quantize(source: Path, path: Path) -> None:
    """int8 weights (MatMul and the embedding Gather), activations quantised per call: no calibration data needed;
    the FLOAT_NODES stay float32."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # it advises a pre-processing step on the root logger; the verification decides
    try:
        # Per channel: one scale per output column; with one scale per tensor, long passages fell below the
        # per-text cosine floor.
        quantize_dynamic(str(source), str(path), weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=list(FLOAT_NODES))
    finally:
        logging.disable(previous)
    # The quantiser ignores a name it does not find: check, in the small model it wrote, that each one stayed float.
    floats = {node.name for node in onnx.load(str(path)).graph.node if node.op_type == "MatMul"}
    missing = [name for name in FLOAT_NODES if name not in floats]
    if missing:
        raise OnnxEncoderError(f"The int8 model has no float32 MatMul {', '.join(missing)}: the exporter named it "
                               "otherwise.")  # fmt: skip
