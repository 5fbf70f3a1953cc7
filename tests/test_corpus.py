"""Corpus files: all three languages are complete and aligned; broken files give file:line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.corpus import (
    CorpusError,
    load_corpus,
    load_notice,
    load_sentence_questions,
    read_outline,
    word_count,
)
from assistant.langpack import load_packs
from assistant.settings import PROJECT_ROOT

LANGUAGES = tuple(load_packs())


def test_every_language_has_all_outline_ids_in_order(corpus_dir: Path) -> None:
    outline = read_outline(corpus_dir / "outline.md")
    assert len(outline) == 38
    notices = load_corpus(corpus_dir)
    assert sorted(notices) == sorted(LANGUAGES)
    for notice in notices.values():
        assert [s.id for s in notice.sections] == [i for i, _ in outline]


def test_translations_are_marked_and_point_to_their_language_page(corpus_dir: Path) -> None:
    notices = load_corpus(corpus_dir)
    assert notices["fr"].meta["status"] == "official"
    for lang in ("nl", "en"):
        assert notices[lang].meta["status"] == "translation"
        assert notices[lang].meta["translated_from"] == "fr"
        assert f"/-/{lang}/" in notices[lang].url


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_translation_word_counts_stay_within_25_percent_per_section(corpus_dir: Path, lang: str) -> None:
    french = load_notice(corpus_dir / "fr.md")
    other = load_notice(corpus_dir / f"{lang}.md")
    off = {}
    for fr_section, section in zip(french.sections, other.sections, strict=True):
        fr_words = word_count(fr_section.text)
        if fr_words == 0:
            continue
        ratio = word_count(section.text) / fr_words
        if not 0.75 <= ratio <= 1.25:
            off[section.id] = round(ratio, 2)
    assert off == {}


def test_names_emails_and_urls_survive_translation(corpus_dir: Path) -> None:
    for notice in load_corpus(corpus_dir).values():
        text = " ".join(s.text for s in notice.sections)
        for exact in [
            "eu-privacy@amazon.com.be",
            "https://www.verasafe.com/public-resources/dispute-resolution/submit-dispute/",
            "Amazon Europe Core SARL",
            "L-1855",
            "EC2A 2FA",
        ]:
            assert exact in text, (notice.language, exact)


def broken_copy(tmp_path: Path, corpus_dir: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    (tmp_path / "outline.md").write_text((corpus_dir / "outline.md").read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "fr.md"
    target.write_text(edit((corpus_dir / "fr.md").read_text(encoding="utf-8")), encoding="utf-8")
    return target


def remove_section(text: str, heading: str) -> str:
    lines = text.splitlines()
    start = lines.index(heading)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return "\n".join(lines[:start] + lines[end:])


def empty_section(text: str, heading: str) -> str:
    lines = text.splitlines()
    start = lines.index(heading)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    return "\n".join(lines[: start + 1] + [""] + lines[end:])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda t: remove_section(t, "## 10 Les enfants sont-ils autorisés à utiliser les Services Amazon ?"),
            "section 10 is missing",
        ),
        (lambda t: empty_section(t, "### 3.5 Publicité"), "section 3.5 is empty"),
        (lambda t: t.replace("language: fr\n", "", 1), "front matter lacks 'language'"),
        (lambda t: t.replace("title: ", "title: [unclosed\n", 1), "front matter is not valid YAML"),
        (lambda t: t.replace("---\n", "", 1), "must start with a '---' front matter"),
        (lambda t: t.replace("## 11 Pendant", "## 99 Pendant", 1), "section id 99 is not in outline.md"),
        (lambda t: t.replace("### 5.3 Transfert d'activités", "### 5.3", 1), "heading must read"),
        (lambda t: t.replace("status: official", "status: draft", 1), "status must be"),
    ],
)
def test_broken_files_are_reported_with_file_and_line(tmp_path: Path, corpus_dir: Path, edit, expected: str) -> None:  # type: ignore[no-untyped-def]
    path = broken_copy(tmp_path, corpus_dir, edit)
    with pytest.raises(CorpusError) as error:
        load_notice(path, read_outline(tmp_path / "outline.md"))
    assert expected in str(error.value)
    assert all(problem.startswith(f"{path}:") for problem in error.value.problems)
    line = int(error.value.problems[0].split(":")[1])
    assert 1 <= line <= len(path.read_text(encoding="utf-8").splitlines())


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=PROJECT_ROOT)


def test_cli_check_prints_a_table_per_language() -> None:
    result = run_cli("corpus", "check")
    assert result.returncode == 0, result.stderr
    for lang in LANGUAGES:
        row = next(line for line in result.stdout.splitlines() if line.startswith(f"{lang}.md"))
        assert row.split()[3:5] == ["15", "23"]


def test_cli_check_fails_on_a_broken_file(tmp_path: Path, corpus_dir: Path) -> None:
    path = broken_copy(tmp_path, corpus_dir, lambda t: empty_section(t, "## 1 Responsables du traitement"))
    result = run_cli("corpus", "check", "--corpus", str(tmp_path), str(path))
    assert result.returncode == 1
    assert f"{path}:" in result.stderr and "section 1 is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_sentence_questions_must_name_known_sections_and_list_questions(tmp_path: Path, corpus_dir: Path) -> None:
    outline = read_outline(corpus_dir / "outline.md")
    path = tmp_path / "en.yaml"
    path.write_text('"99":\n  - sentence: "We do."\n    questions: ["do you?"]\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="section id 99 is not in outline.md"):
        load_sentence_questions(path, outline)
    path.write_text('"9":\n  - sentence: "We do."\n    questions: "do you?"\n', encoding="utf-8")
    with pytest.raises(CorpusError, match="list of {sentence, questions} entries") as error:
        load_sentence_questions(path, outline)
    assert error.value.problems[0].startswith(f"{path}:1:")


def test_cli_check_lists_sentence_questions_whose_sentence_changed(tmp_path: Path, corpus_dir: Path) -> None:
    copied = tmp_path / "corpus"
    shutil.copytree(corpus_dir, copied)
    notice = load_corpus(corpus_dir)["en"]
    sentence = notice.sentence_questions["11"][0][0]
    text = (copied / "en.md").read_text(encoding="utf-8")
    assert sentence in text
    (copied / "en.md").write_text(text.replace(sentence, sentence.replace("We", "Amazon", 1), 1), encoding="utf-8")
    result = run_cli("corpus", "check", "--corpus", str(copied))
    assert result.returncode == 0, result.stderr  # listed for the writer, not failed
    assert f"sentence_questions/en.yaml: section 11 no longer has the sentence \"{sentence[:60]}" in result.stdout
