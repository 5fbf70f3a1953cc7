"""The encoder's tokenizer, loaded as its Latin-script part (110,000 of 250,000 pieces, half the start-up time)
with the whole one read only for a text in another script; both give the same token ids."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

LATIN = "tokenizer-latin.json"  # made from tokenizer.json on first use, beside it
LATIN_MAP = "tokenizer-latin-map.json"  # its pieces' original ids
META = "▁"  # SentencePiece's word-start mark, in pieces of every script


def latin(text: str) -> bool:
    """Only Latin letters (with every accent), digits, ASCII and general punctuation, and the word-start mark."""
    return all(ord(c) < 0x250 or 0x2000 <= ord(c) < 0x2070 or c == META for c in text)


def split_vocabulary(data: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """From a Unigram tokenizer.json: the tokenizer of its Latin pieces (renumbered) and the original id of each.
    Every dropped piece holds a character of another script, so in a text without one no dropped piece can
    match, and the best segmentation is the same as the whole tokenizer's."""
    vocabulary = data["model"]["vocab"]
    kept = [i for i, (piece, _) in enumerate(vocabulary) if latin(piece)]
    new_id = {old: new for new, old in enumerate(kept)}
    part = dict(data)
    part["model"] = dict(data["model"], vocab=[vocabulary[i] for i in kept], unk_id=new_id[data["model"]["unk_id"]])
    part["added_tokens"] = [dict(t, id=new_id[t["id"]]) for t in data["added_tokens"] if t["id"] in new_id]
    processor = json.dumps(data.get("post_processor"))
    for token in data["added_tokens"]:  # the special tokens the post-processor adds must keep their ids
        if token["content"] in processor and new_id.get(token["id"]) != token["id"]:
            raise ValueError(f"{token['content']} would change id in the Latin-script tokenizer")
    return part, kept


class SplitTokenizer:
    """Token ids of texts, as `tokenizers.Tokenizer.from_file(tokenizer.json)` gives them (truncated to
    `max_length`, with <s> and </s>); safe to call from several threads."""

    def __init__(self, path: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        self.path, self.max_length = Path(path), max_length
        latin_path, map_path = self.path.with_name(LATIN), self.path.with_name(LATIN_MAP)
        try:
            stored = json.loads(map_path.read_text(encoding="utf-8"))
            kept = stored["ids"]
            latin = Tokenizer.from_file(str(latin_path))
        except Exception:  # missing or damaged (tokenizers raises a plain Exception): made again from tokenizer.json
            data, kept = split_vocabulary(json.loads(self.path.read_text(encoding="utf-8")))
            latin = Tokenizer.from_str(json.dumps(data))
            _write(latin_path, data)
            _write(map_path, {"ids": kept})  # last: its presence marks a finished pair
        self.latin = self._ready(latin)
        self.original_ids = np.asarray(kept, dtype=np.int64)
        self._whole: Tokenizer | None = None
        self._lock = threading.Lock()

    def _ready(self, tokenizer: Tokenizer) -> Tokenizer:
        tokenizer.no_padding()  # the encoder pads per batch, to the batch's longest text
        tokenizer.enable_truncation(max_length=self.max_length)  # counts <s> and </s>, like sentence-transformers
        return tokenizer

    @property
    def whole(self) -> Tokenizer:
        """The whole tokenizer, read on first need (about a second)."""
        with self._lock:
            if self._whole is None:
                from tokenizers import Tokenizer

                self._whole = self._ready(Tokenizer.from_file(str(self.path)))
            return self._whole

    def token_to_id(self, token: str) -> int | None:
        found = self.latin.token_to_id(token)
        return None if found is None else int(self.original_ids[found])

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        normalizer = self.latin.normalizer
        ids: list[list[int]] = []
        for text in texts:
            normalized = normalizer.normalize_str(text) if normalizer else text
            if latin(normalized):
                ids.append(self.original_ids[self.latin.encode(text).ids].tolist())
            else:
                ids.append(self.whole.encode(text).ids)
        return ids


def _write(path: Path, value: dict[str, Any]) -> None:
    """Written aside then renamed: a reader never sees half a file; a read-only folder is no error."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
