"""The ONNX export of multilingual-e5-small: it matches PyTorch, keeps meaning across languages, and runs torch-free."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import numpy_helper
from safetensors.numpy import load_file

from assistant import onnx_export
from assistant.encoder import load_encoder
from assistant.onnx_encoder import (
    EXACT_MODEL,
    QUANTIZED_MODEL,
    REQUIRED_FILES,
    VERIFIED,
    OnnxEncoder,
    OnnxEncoderError,
)
from assistant.onnx_export import prepare_onnx
from assistant.onnx_verify import MIN_COSINE_EXACT, MIN_COSINE_Q4, MIN_MEAN_COSINE_Q4, VERIFY_PASSAGES, VERIFY_QUERIES
from assistant.settings import PROJECT_ROOT, Settings

# Other texts than prepare_onnx's own verification set, so the check is not the one the export was accepted on.
QUERIES = [
    "Combien de temps gardez-vous mes commandes ?",
    "Est-ce que vous vendez mes données ?",
    "Hoe lang bewaren jullie mijn bestelgeschiedenis?",
    "Verkopen jullie mijn gegevens?",
    "How long do you keep my order history?",
    "Do you sell my data to advertisers?",
    "Qui est le responsable du traitement ?",
    "Kan ik bezwaar maken tegen gepersonaliseerde reclame?",
]
PASSAGES = [
    "Amazon Europe Core SARL est responsable du traitement des données collectées sur ce site.",
    "Nous utilisons des cookies pour reconnaître votre navigateur lorsque vous revenez sur le site.",
    "Wij bewaren uw bestellingen zolang uw account actief is, tenzij de wet een andere termijn oplegt.",
    "U kunt zich op elk moment afmelden voor marketingberichten via de instellingen van uw account.",
    "We do not sell your personal information to third parties.",
    "Children under 18 may use our services only with the involvement of a parent or guardian.",
    "",  # an empty passage still has its prompt and special tokens
]
SAME_QUESTION = ("Puis-je obtenir une copie de mes données ?", "Kan ik een kopie van mijn gegevens krijgen?",
                 "Can I get a copy of my data?")  # fmt: skip
UNRELATED = "The train to Brussels leaves at nine from platform four."


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="module")
def folder(settings: Settings) -> Path:
    # The real settings: the first run exports into the user's cache (about a minute), later runs reuse it.
    return prepare_onnx(settings)


@pytest.fixture(scope="module")
def encoder(folder: Path) -> OnnxEncoder:
    return OnnxEncoder(folder)


@pytest.fixture(scope="module")
def pytorch(settings: Settings):  # type: ignore[no-untyped-def]
    return load_encoder(settings)


def test_folder_holds_the_models_the_tokenizer_and_the_verification_record(folder: Path):
    assert all((folder / name).is_file() for name in REQUIRED_FILES)
    record = json.loads((folder / VERIFIED).read_text(encoding="utf-8"))
    assert record["weights_fingerprint"].startswith("sha256:")
    assert record["onnxruntime"] == onnxruntime.__version__
    cosines = record["cosines"]
    assert cosines["texts"] == len(VERIFY_QUERIES) + len(VERIFY_PASSAGES) == len(cosines["q4"]["per_text"])
    assert cosines["q4"]["mean"] >= MIN_MEAN_COSINE_Q4 and cosines["q4"]["min"] >= MIN_COSINE_Q4
    # Nothing half-written is left beside it.
    assert not list(folder.parent.glob(f".{folder.name}.*"))


@pytest.mark.parametrize("prompt", ["query", "passage"])
def test_4bit_vectors_match_the_pytorch_model(encoder: OnnxEncoder, pytorch, prompt: str):  # type: ignore[no-untyped-def]
    texts = QUERIES if prompt == "query" else PASSAGES
    ours = encoder.encode(texts, prompt)
    theirs = pytorch.encode(texts, prompt_name=prompt, normalize_embeddings=True, convert_to_numpy=True)
    assert ours.shape == (len(texts), 384) and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = (ours.astype(np.float64) * theirs).sum(axis=1)
    assert cosines.mean() >= MIN_MEAN_COSINE_Q4, cosines
    assert cosines.min() >= MIN_COSINE_Q4, cosines


@pytest.fixture(scope="module")
def pytorch_weights(settings: Settings) -> dict[str, np.ndarray]:
    return load_file(str(settings.encoder_dir / "model.safetensors"))


@pytest.mark.parametrize("name", [QUANTIZED_MODEL, EXACT_MODEL])
def test_the_4bit_models_hold_exactly_the_weights_pytorch_uses(
    folder: Path, pytorch_weights: dict[str, np.ndarray], name: str
):
    """Their 4-bit codes and scales, unpacked, equal the PyTorch model's weights bit for bit: re-quantising the
    shipped blocks found the shipped codes again."""
    model = onnx.load(str(folder / name))
    ours = {item.name: numpy_helper.to_array(item) for item in model.graph.initializer}
    checked = 0
    for node in model.graph.node:
        attributes = {item.name: onnx.helper.get_attribute_value(item) for item in node.attribute}
        if node.op_type == "MatMulNBits":  # uint8 pairs of codes offset by 8, one scale per block of an output row
            rows, inputs, block = attributes["N"], attributes["K"], attributes["block_size"]
            packed, scales = ours[node.input[1]], ours[node.input[2]]
            codes = np.stack([packed & 15, packed >> 4], axis=-1).reshape(rows, -1)[:, :inputs].astype(np.float32) - 8
            # "/bert/encoder/layer.0/attention/self/query/MatMul_Q4" -> "encoder.layer.0.attention.self.query.weight"
            weight = node.name.removeprefix("/bert/").removesuffix("/MatMul_Q4").replace("/", ".") + ".weight"
        elif node.op_type == "GatherBlockQuantized":  # signed 4-bit codes, one scale per block of a row
            codes, scales = ours[node.input[0]].astype(np.float32), ours[node.input[2]]
            rows, inputs, block = *codes.shape, attributes["block_size"]
            weight = "embeddings.word_embeddings.weight"
        else:
            continue
        unpacked = (codes.reshape(rows, -1, block) * scales.reshape(rows, -1, 1)).reshape(rows, inputs)
        np.testing.assert_array_equal(unpacked, pytorch_weights[weight], err_msg=node.name)
        checked += 1
    # 12 layers x (query, key, value, attention output, feed-forward in and out), and the word embeddings.
    assert checked == 73


def test_the_exact_model_computes_the_same_function(folder: Path, pytorch):  # type: ignore[no-untyped-def]
    ours = OnnxEncoder(folder, exact=True, threads=1).encode(QUERIES, "query")
    theirs = pytorch.encode(QUERIES, prompt_name="query", normalize_embeddings=True, convert_to_numpy=True)
    assert (ours * theirs).sum(axis=1).min() >= MIN_COSINE_EXACT


def test_the_same_question_in_three_languages_is_nearer_itself_than_an_unrelated_text(encoder: OnnxEncoder):
    vectors = encoder.encode([*SAME_QUESTION, UNRELATED], "query")
    sims = vectors @ vectors.T
    paraphrase = min(sims[0, 1], sims[0, 2], sims[1, 2])
    unrelated = max(sims[0, 3], sims[1, 3], sims[2, 3])
    assert paraphrase > unrelated, sims


def test_padding_is_masked_out_of_batched_vectors(folder: Path, encoder: OnnxEncoder):
    texts = [*QUERIES, *PASSAGES]
    # The exact model: a text alone or in a padded batch, in any order, gives the same vector.
    exact = OnnxEncoder(folder, exact=True, threads=1)
    alone = np.stack([exact.encode([text], "passage")[0] for text in texts])
    np.testing.assert_allclose(exact.encode(texts, "passage", batch_size=4), alone, atol=1e-5)
    # 4-bit: activations are rounded per token, so batch mates and padding leave a vector as it is too.
    alone = np.stack([encoder.encode([text], "passage")[0] for text in texts])
    np.testing.assert_allclose(encoder.encode(texts, "passage", batch_size=4), alone, atol=1e-5)
    np.testing.assert_array_equal(encoder.encode([texts[0]], "passage")[0], alone[0])
    assert encoder.encode([], "query").shape == (0, 384)


def test_prompts_are_the_e5_ones(encoder: OnnxEncoder):
    text = "Quels sont mes droits ?"
    query, passage, bare = (encoder.encode([text], name)[0] for name in ("query", "passage", "other"))
    np.testing.assert_allclose(encoder.encode(["query: " + text], "none")[0], query, atol=1e-6)
    assert not np.allclose(query, passage) and not np.allclose(query, bare)


def test_a_second_prepare_is_a_no_op(settings: Settings, folder: Path, monkeypatch: pytest.MonkeyPatch):
    before = {name: (folder / name).stat() for name in REQUIRED_FILES}

    def must_not_build(*_args: object) -> None:
        raise AssertionError("prepare_onnx exported again")

    monkeypatch.setattr(onnx_export, "_build", must_not_build)
    assert prepare_onnx(settings) == folder
    after = {name: (folder / name).stat() for name in REQUIRED_FILES}
    assert {n: (s.st_ino, s.st_mtime_ns) for n, s in before.items()} == {
        n: (s.st_ino, s.st_mtime_ns) for n, s in after.items()
    }


def test_errors_say_what_to_do(tmp_path: Path, settings: Settings):
    with pytest.raises(OnnxEncoderError, match="prepare_onnx") as caught:
        OnnxEncoder(tmp_path)
    assert isinstance(caught.value, RuntimeError)
    with pytest.raises(OnnxEncoderError, match="ASSISTANT_ENCODER"):
        prepare_onnx(Settings.from_env(encoder=str(tmp_path), cache_dir=tmp_path))


def test_the_query_path_imports_neither_torch_nor_sentence_transformers(folder: Path):
    script = f"""
import json, sys
from pathlib import Path
from assistant.onnx_encoder import OnnxEncoder
vector = OnnxEncoder(Path({str(folder)!r})).encode(["Comment supprimer mes données ?"], "query")
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "sentence_transformers", "transformers"))
print(json.dumps({{"shape": list(vector.shape), "heavy": heavy}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, env=os.environ.copy(), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"shape": [1, 384], "heavy": []}
