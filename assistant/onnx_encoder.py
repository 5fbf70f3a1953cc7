"""The torch-free query encoder: multilingual-e5-small as 4-bit ONNX (see onnx_export), run on ONNX Runtime."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

# assistant.encoder imports only numpy and the settings at module level, so this stays torch-free.
from assistant.encoder import MAX_SEQ_LENGTH, PROMPTS, EncoderError
from assistant.settings import Settings
from assistant.tokenizer import SplitTokenizer

if TYPE_CHECKING:
    import onnxruntime

FOLDER_NAME = "multilingual-e5-small-onnx"
QUANTIZED_MODEL = "model-q4.onnx"  # queries: the shipped 4-bit weights, int8 activations
EXACT_MODEL = "model-q4-exact.onnx"  # index builds: the same weights, float32 arithmetic (PyTorch's vectors)
TOKENIZER = "tokenizer.json"
VERIFIED = "verified.json"  # written last: its presence marks a finished, verified folder
REQUIRED_FILES = (EXACT_MODEL, QUANTIZED_MODEL, TOKENIZER, VERIFIED)


class OnnxEncoderError(EncoderError):
    """The ONNX encoder cannot be prepared, loaded or trusted; the message says what to do."""


def onnx_folder(settings: Settings) -> Path:
    """Where prepare_onnx keeps the exported models: beside the provisioned sentence-transformers folder."""
    return settings.encoder_dir.parent / FOLDER_NAME


# ------------------------------------------------------------------------------------------------------ encoding


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the machine's
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class OnnxEncoder:
    """multilingual-e5-small on ONNX Runtime: the same vectors as the sentence-transformers model, without torch.

    Thread safety: encode keeps no state between calls and ONNX Runtime's `run` may be called concurrently, but
    concurrent calls compete for the same intra-op threads; the project calls it from one thread only, which is
    the only use tested. `exact` loads the index builds' model (float32 arithmetic) instead of the query model.
    """

    def __init__(self, folder: Path, exact: bool = False, threads: int | None = None) -> None:
        # Imported here, not at module level, so that importing this module for prepare_onnx costs nothing extra.
        import onnxruntime

        folder = Path(folder)
        model_path = folder / (EXACT_MODEL if exact else QUANTIZED_MODEL)
        # verified.json is not required: prepare_onnx verifies in a staging folder and only renames a verified one
        # into place, so a folder it made is always verified.
        missing = [name for name in (model_path.name, TOKENIZER) if not (folder / name).is_file()]
        if missing:
            raise OnnxEncoderError(
                f"{folder} is not a prepared ONNX encoder (missing {', '.join(missing)}); "
                "run assistant.onnx_encoder.prepare_onnx(settings) first."
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or _cores()
        options.inter_op_num_threads = 1  # one sequential graph: a second pool would only add idle threads
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # No busy-waiting after a run: on a two-core machine the spinning threads slowed the retrieval work that
        # follows each encode by more than they saved on the encode itself.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # ONNX Runtime reads the model without holding the GIL: it loads while the tokenizer is read here.
        sessions: list[Any] = []
        loading = threading.Thread(target=_open_session, args=(onnxruntime, model_path, options, sessions))
        loading.start()
        try:
            self._tokenizer = SplitTokenizer(folder / TOKENIZER, MAX_SEQ_LENGTH)
        except Exception as exc:
            raise OnnxEncoderError(
                f"Could not load the tokenizer at {folder}: {exc}. Delete that folder and run prepare_onnx again."
            ) from exc
        finally:
            loading.join()
        if not isinstance(sessions[0], onnxruntime.InferenceSession):
            raise OnnxEncoderError(
                f"Could not load the ONNX encoder at {folder}: {sessions[0]}. Delete that folder and run prepare_onnx "
                "again."
            )
        self._session: onnxruntime.InferenceSession = sessions[0]
        pad = self._tokenizer.token_to_id("<pad>")
        if pad is None:
            raise OnnxEncoderError(f"{folder / TOKENIZER} has no <pad> token; delete {folder} and run prepare_onnx.")
        self._pad_id = pad
        self._output = self._session.get_outputs()[0].name
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        self.folder = folder
        self.exact = exact

    def encode(self, texts: list[str], prompt_name: str, batch_size: int = 32) -> np.ndarray:
        """Unit vectors (float32, shape (len(texts), 384)) of `texts` with the e5 prompt ("query" or "passage").

        Both models give each text the same vector whatever its batch mates: the 4-bit model rounds activations per
        token (blocks of 32 values), never with one scale for the whole batch.
        """
        if isinstance(texts, str):
            raise TypeError("encode takes a list of texts, not one string")
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return vectors
        prefix = PROMPTS.get(prompt_name, "")  # any other name: no prefix, as sentence-transformers' "document"
        encodings = self._tokenizer.encode_batch([prefix + text for text in texts])
        # Longest first, so each batch holds texts of similar length and pads little (as sentence-transformers does).
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i]))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            length = max(len(encodings[i]) for i in rows)
            input_ids = np.full((len(rows), length), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), length), dtype=np.int64)
            for row, i in enumerate(rows):
                ids = encodings[i]
                input_ids[row, : len(ids)] = ids
                mask[row, : len(ids)] = 1
            hidden = self._session.run([self._output], {"input_ids": input_ids, "attention_mask": mask})[0]
            vectors[rows] = _mean_pool(hidden, mask)
        return vectors


def _open_session(onnxruntime: Any, path: Path, options: Any, out: list[Any]) -> None:
    """Open the inference session into `out` (or the exception that stopped it), for a loading thread."""
    try:
        out.append(onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"]))
    except Exception as exc:  # handed to the caller, which raises it as an OnnxEncoderError
        out.append(exc)


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean of the token vectors the mask keeps, L2-normalised (sentence-transformers' Pooling then Normalize)."""
    weights = mask[..., None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
