"""llama-index pointed at the local encoder and no LLM (its defaults would reach for OpenAI), for index builds."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from assistant.embedding import Embedder


def llama_embedding(embedder: Embedder) -> Any:
    """The encoder behind llama-index's embedding interface (llama-index's default would reach for OpenAI)."""
    from llama_index.core.base.embeddings.base import BaseEmbedding
    from pydantic import PrivateAttr

    class LocalEmbedding(BaseEmbedding):
        _embedder: Any = PrivateAttr()

        def __init__(self, embedder: Embedder) -> None:
            super().__init__(model_name=embedder.model_name, embed_batch_size=32)
            self._embedder = embedder

        def _get_query_embedding(self, query: str) -> list[float]:
            return self._embedder.encode_queries([query])[0].tolist()

        def _get_text_embedding(self, text: str) -> list[float]:
            return self._embedder.encode_passages([text])[0].tolist()

        async def _aget_query_embedding(self, query: str) -> list[float]:
            return self._get_query_embedding(query)

    return LocalEmbedding(embedder)


def use_local_models(embedder: Embedder) -> None:
    """llama-index's defaults reach for OpenAI: point them at the local encoder and no LLM."""
    from llama_index.core import Settings as LlamaSettings

    with contextlib.redirect_stdout(io.StringIO()):  # llama-index announces the disabled LLM on stdout
        LlamaSettings.llm = None
    LlamaSettings.embed_model = llama_embedding(embedder)
