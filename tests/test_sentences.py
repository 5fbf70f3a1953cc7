"""The check of which sentences answers quote, on the real index."""

from __future__ import annotations

import subprocess
import sys

from assistant.settings import PROJECT_ROOT
from evals.sentences import check_quotes, load_labels, summarise


def test_labelled_sentences_are_verbatim_text_of_their_section(assistant) -> None:  # type: ignore[no-untyped-def]
    labels = load_labels()
    assert {label.language for label in labels} == {"fr", "nl", "en"} and len(labels) >= 300
    for label in labels:
        section = assistant.notices[label.language].section(label.section_id)
        assert section is not None and label.best, label
        for sentence in label.best + label.also:
            assert sentence in section.text, (label.question, sentence)


def test_answers_mostly_quote_a_sentence_that_answers_the_question(assistant) -> None:  # type: ignore[no-untyped-def]
    checks = check_quotes(assistant, load_labels("nl")[::2])
    table = summarise(checks)["nl"]
    # Most sections hold few sentences, so three quoted often include the right one by luck: the bar is high.
    assert table["best_quoted"] > 0.8 and table["quote_chars"] < 600
    missed = [c for c in checks if not c.best_quoted]
    assert all(c.quoted for c in missed)  # a miss still quotes something from the section


def test_sentences_command_prints_a_table_and_rejects_an_unknown_language() -> None:
    run = [sys.executable, "-m", "evals", "sentences"]
    table = subprocess.run([*run, "--lang", "en"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert table.returncode == 0, table.stderr
    assert "best_quoted" in table.stdout and "en" in table.stdout
    bad = subprocess.run([*run, "--lang", "de"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr
