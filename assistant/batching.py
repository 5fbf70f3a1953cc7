"""Micro-batching for the encoder: concurrent requests share forward passes instead of queueing for them."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

Encode = Callable[[list[str], str], np.ndarray]


class EncoderBatcher:
    """One worker thread owns the model. Callers submit texts and wait; whatever is queued when the
    worker becomes free goes into one forward pass (per prompt), so a lone request waits for nothing
    and a crowd costs a few batched passes instead of one pass each."""

    def __init__(self, encode: Encode, max_texts: int = 64) -> None:
        self._encode = encode
        self._max_texts = max_texts
        self._queue: queue.Queue[tuple[list[str], str, Future[np.ndarray]]] = queue.Queue()
        self._worker = threading.Thread(target=self._run, daemon=True, name="encoder-batcher")
        self._worker.start()

    def encode(self, texts: list[str], prompt: str) -> np.ndarray:
        future: Future[np.ndarray] = Future()
        self._queue.put((texts, prompt, future))
        return future.result()

    def _run(self) -> None:
        while True:
            pending = [self._queue.get()]
            total = len(pending[0][0])
            while total < self._max_texts:  # take what is already waiting, without waiting for more
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                pending.append(item)
                total += len(item[0])
            for prompt in dict.fromkeys(p for _, p, _ in pending):
                self._run_batch([item for item in pending if item[1] == prompt], prompt)

    def _run_batch(self, items: list[tuple[list[str], str, Future[np.ndarray]]], prompt: str) -> None:
        texts = [text for batch, _, _ in items for text in batch]
        try:
            vectors = self._encode(texts, prompt)
        except Exception as exc:  # every waiting caller gets the error, none hangs
            for _, _, future in items:
                future.set_exception(exc)
            return
        start = 0
        for batch, _, future in items:
            future.set_result(vectors[start : start + len(batch)])
            start += len(batch)
