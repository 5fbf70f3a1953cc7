"""Micro-batching: concurrent requests share forward passes and still get their own, correct vectors."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from assistant.batching import EncoderBatcher

TEXTS = [
    "Comment retirer mon consentement ?", "Hoe lang bewaren jullie mijn gegevens?", "Do you sell my data?",
    "vous revendez mes infos ?", "wie is de verwerkingsverantwoordelijke", "cookies", "where is my parcel",
    "mag mijn zoon van 15 een account hebben", "PCI DSS", "how do i delete my account and my data",
] * 3  # fmt: skip


def test_concurrent_queries_get_the_vectors_they_would_get_alone(assistant) -> None:  # type: ignore[no-untyped-def]
    alone = np.vstack([assistant.embed.encode_queries([t]) for t in TEXTS])
    with ThreadPoolExecutor(max_workers=16) as pool:
        together = np.vstack(list(pool.map(lambda t: assistant.embed.encode_queries([t]), TEXTS)))
    # The 4-bit query model rounds activations per token, so a shared, padded pass gives the same vectors.
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_items_waiting_together_share_one_pass_and_errors_reach_every_caller() -> None:
    calls: list[int] = []

    def encode(texts: list[str], prompt: str) -> np.ndarray:
        calls.append(len(texts))
        if "boom" in texts:
            raise RuntimeError("encoder failed")
        return np.array([[len(t), prompt == "query"] for t in texts], dtype=float)

    batcher = EncoderBatcher(encode)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda t: batcher.encode([t, t + t], "query"), ["a", "bb", "ccc", "dddd"] * 4))
    for text, vectors in zip(["a", "bb", "ccc", "dddd"] * 4, results, strict=True):
        assert vectors.tolist() == [[len(text), 1.0], [2 * len(text), 1.0]]
    assert sum(calls) == 32 and len(calls) <= 16
    with pytest.raises(RuntimeError, match="encoder failed"):
        batcher.encode(["boom"], "query")
    assert batcher.encode(["after"], "passage").tolist() == [[5.0, 0.0]]  # the worker survives an error
