"""Question banks and evaluation cases that know their section's text: a change of the official notice lists the
typical questions and cases of the changed sections (and the out-of-scope questions) for review, until marked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.reviews import NOTICE, read_reviews, to_review
from evals.cases import CASES_DIR
from tests.test_corpus_diff import copy_corpus, newer_capture

REVIEW = re.compile(r"^review: \S+/(questions|sentence_questions|out_of_scope|cases)/?(\w+)?\.yaml: \d+ .+? "
                    r"\((\w+)\) about (?:section (\S+)|the notice):", re.MULTILINE)  # fmt: skip


@pytest.fixture
def writers_corpus(tmp_path: Path, corpus_dir: Path) -> tuple[Path, Path]:
    """A copy of the corpus with its banks and review record, and of the evaluation cases."""
    corpus = copy_corpus(tmp_path, corpus_dir)
    for folder in ("questions", "sentence_questions", "out_of_scope"):
        shutil.copytree(corpus_dir / folder, corpus / folder)
    shutil.copy(corpus_dir / "reviews.yaml", corpus / "reviews.yaml")
    cases = tmp_path / "cases"
    shutil.copytree(CASES_DIR, cases)
    return corpus, cases


def test_a_changed_section_lists_its_questions_and_cases_until_marked_reviewed(
    writers_corpus: tuple[Path, Path], capture_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A newer capture of the French page (11 reworded, a sentence added to 9) imported as a writer would."""
    corpus, cases = writers_corpus
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    assert to_review(corpus, cases) == []  # the repository's record matches its notice
    assert main(["corpus", "check", "--cases", str(cases)]) == 0
    assert "review:" not in capsys.readouterr().out

    capture = tmp_path / "newer.fr.urlscan.txt"
    capture.write_text(newer_capture(capture_path.read_text(encoding="utf-8")), encoding="utf-8")
    assert main(["corpus", "import-capture", str(capture), "--lang", "fr"]) == 0
    assert main(["corpus", "check", "--cases", str(cases)]) == 1  # the translations of 9 and 11 are stale
    listed = {(kind, lang, section or NOTICE) for kind, _, lang, section in REVIEW.findall(capsys.readouterr().out)}
    kinds = ("questions", "sentence_questions", "cases")
    expected = {(kind, lang, s) for kind in kinds for lang in ("fr", "nl", "en") for s in ("9", "11")}
    expected |= {("out_of_scope", lang, NOTICE) for lang in ("fr", "nl", "en")}  # the notice as a whole changed
    assert listed == expected
    assert {(r.kind, r.language, r.key) for r in to_review(corpus, cases)} == expected
    assert all(r.count > 0 for r in to_review(corpus, cases))

    assert main(["corpus", "mark-reviewed", "11", "--cases", str(cases)]) == 0
    assert {r.key for r in to_review(corpus, cases)} == {"9", NOTICE}
    assert main(["corpus", "mark-reviewed", "--kind", "questions", "--lang", "nl", "--cases", str(cases)]) == 0
    left = {(r.kind, r.language, r.key) for r in to_review(corpus, cases)}
    assert ("questions", "nl", "9") not in left and ("questions", "fr", "9") in left
    assert main(["corpus", "mark-reviewed", "--cases", str(cases)]) == 0
    assert to_review(corpus, cases) == []
    assert list(read_reviews(corpus)) == ["questions", "sentence_questions", "out_of_scope", "cases"]


def test_an_unknown_section_cannot_be_marked(writers_corpus: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    corpus, cases = writers_corpus
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    assert main(["corpus", "mark-reviewed", "99", "--cases", str(cases)]) == 1
    assert "no section 99" in capsys.readouterr().err
