"""The encoder as the pipeline uses it: e5 query and passage vectors from ONNX Runtime (default) or PyTorch."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.batching import EncoderBatcher
from assistant.settings import Settings

RUNTIMES = ("onnx", "torch")

Encode = Callable[[list[str], str], np.ndarray]


class TorchEncoder:
    """The sentence-transformers model behind the same `encode(texts, prompt)` as OnnxEncoder (the reference)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str], prompt_name: str) -> np.ndarray:
        prompt = prompt_name if prompt_name in (self.model.prompts or {}) else None
        return np.asarray(self.model.encode(texts, prompt_name=prompt, normalize_embeddings=True,
                                            convert_to_numpy=True, show_progress_bar=False))  # fmt: skip


class Embedder:
    """Query and passage vectors, L2-normalised float32. One thread owns the model (its tokenizer is not
    re-entrant, and two passes on 2 cores only slow each other): concurrent requests and a background rebuild
    hand it their texts (`batching.EncoderBatcher`).

    With ONNX Runtime, queries go through the 4-bit model and an index build through the exact one (float32
    arithmetic on the same weights); neither makes a text's vector depend on its batch mates, so concurrent
    queries share forward passes."""

    def __init__(self, query: Any, runtime: str, model_name: str, build: Callable[[], Any] | None = None) -> None:
        self.runtime, self.model_name = runtime, model_name
        self._query = query
        self._build_factory = build
        self._build: Any = None
        self._batcher = EncoderBatcher(self._forward)
        self._remembered = lru_cache(maxsize=4096)(self._read_only_query)

    def _forward(self, texts: list[str], prompt: str) -> np.ndarray:
        if prompt.startswith("build:"):
            if self._build is None:
                self._build = self._build_factory() if self._build_factory else self._query
            return np.asarray(self._build.encode(texts, prompt.removeprefix("build:")), dtype=np.float32)
        return np.asarray(self._query.encode(texts, prompt), dtype=np.float32)

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """The vectors of customers' messages (and typical questions, compared query to query)."""
        return self._batcher.encode(texts, "query")

    def encode_query(self, text: str) -> np.ndarray:
        """One message's vector, remembered for a while: a conversation's earlier messages come back with
        every later one."""
        return self._remembered(text)

    def forget(self) -> None:
        """Drop the remembered vectors (the benchmark times each answer as a new message)."""
        self._remembered.cache_clear()

    def _read_only_query(self, text: str) -> np.ndarray:
        vector = self.encode_queries([text])[0]
        vector.setflags(write=False)  # shared by every later request that reads it
        return vector

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._batcher.encode(texts, "passage")

    def encode_for_index(self, texts: list[str], prompt: str) -> np.ndarray:
        """Vectors stored in the index (the build's model, in batches)."""
        return self._batcher.encode(texts, f"build:{prompt}")


def load_embedder(settings: Settings) -> Embedder:
    """The encoder of the settings' runtime: ONNX Runtime (exported once from the provisioned model; torch is then
    never imported) or PyTorch (the reference, for comparison)."""
    if settings.encoder_runtime not in RUNTIMES:
        raise ValueError(f"ASSISTANT_ENCODER_RUNTIME must be one of {', '.join(RUNTIMES)}, not "
                         f"{settings.encoder_runtime!r}")  # fmt: skip
    if settings.encoder_runtime == "onnx":
        from assistant.onnx_encoder import OnnxEncoder
        from assistant.onnx_export import prepare_onnx

        folder = prepare_onnx(settings)  # a few size checks when the export is already there
        return Embedder(OnnxEncoder(folder), "onnx", settings.encoder,
                        build=lambda: OnnxEncoder(folder, exact=True))  # fmt: skip
    from assistant.encoder import load_encoder

    return Embedder(TorchEncoder(load_encoder(settings)), "torch", settings.encoder)
