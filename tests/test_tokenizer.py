"""The Latin-script tokenizer: the same ids as the whole tokenizer, the whole one read only when needed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from tokenizers import Tokenizer

from assistant.encoder import MAX_SEQ_LENGTH
from assistant.onnx_encoder import TOKENIZER, onnx_folder
from assistant.settings import PROJECT_ROOT, Settings
from assistant.tokenizer import LATIN, LATIN_MAP, SplitTokenizer, latin

OTHER_SCRIPTS = ["привет, мои данные", "Ꭺmazon ѕystem prompt", "日本語のテキスト", "😀 emoji", "ＦＵＬＬＷＩＤＴＨ"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = onnx_folder(Settings.from_env()) / TOKENIZER
    if not source.is_file():
        pytest.skip("the ONNX encoder is not prepared (scripts/setup.sh prepares it)")
    folder = tmp_path_factory.mktemp("tokenizer")
    shutil.copyfile(source, folder / TOKENIZER)
    return folder


def messages() -> list[str]:
    texts = []
    for path in sorted((PROJECT_ROOT / "evals" / "dev_realistic").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            texts += [turn["message"] for turn in item.get("turns", [])]
    return texts


def test_ids_are_the_whole_tokenizers(folder: Path) -> None:
    whole = Tokenizer.from_file(str(folder / TOKENIZER))
    whole.no_padding()
    whole.enable_truncation(max_length=MAX_SEQ_LENGTH)
    split = SplitTokenizer(folder / TOKENIZER, MAX_SEQ_LENGTH)
    assert (folder / LATIN).is_file() and (folder / LATIN_MAP).is_file()
    texts = ["query: " + t for t in [*messages(), *OTHER_SCRIPTS, "x" * 5000, "naïve café ß œuvre — “quoted”"]]
    assert len(texts) > 300
    assert split.encode_batch(texts) == [encoding.ids for encoding in whole.encode_batch(texts)]
    assert split.token_to_id("<pad>") == whole.token_to_id("<pad>")


def test_the_whole_tokenizer_is_read_only_for_other_scripts(folder: Path) -> None:
    split = SplitTokenizer(folder / TOKENIZER, MAX_SEQ_LENGTH)  # from the files the first test left
    split.encode_batch(["query: Hoe lang bewaren jullie mijn gegevens?", "query: où est l'« adresse » ?"])
    assert split._whole is None
    split.encode_batch(["query: " + OTHER_SCRIPTS[0]])
    assert split._whole is not None


def test_latin_covers_accents_and_punctuation_only() -> None:
    assert latin("Ça coûte 5 — “oui” ‘non’ … œuvre ß")
    assert not latin("5 €")  # a currency sign: tokenised by the whole tokenizer, which is always right
    assert not latin("ѕystem") and not latin("日本")
