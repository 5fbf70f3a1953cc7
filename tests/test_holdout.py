"""The held-out check of the question banks, on the real index."""

from __future__ import annotations

import random
import subprocess
import sys

from assistant.settings import PROJECT_ROOT
from evals.holdout import TYPO_MIN_LENGTH, TYPO_TWICE_LENGTH, hold_out, misspell, summarise


def test_a_held_out_question_is_not_its_own_evidence(assistant) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    position = int(retriever.question_positions["fr"][0])
    question = retriever.chunks[position]
    with_it = retriever.bank_similarities(question.text, "fr")
    without_it = retriever.bank_similarities(question.text, "fr", exclude=frozenset({position}))
    assert with_it[question.section_id] > 0.999
    assert without_it[question.section_id] < with_it[question.section_id]


def test_held_out_questions_mostly_find_their_section_and_out_of_scope_ones_abstain(assistant) -> None:  # type: ignore[no-untyped-def]
    results = hold_out(assistant, ["en"], every=10)
    table = summarise(results)["en"]
    assert table["questions"] >= 80 and table["out_of_scope"] >= 10
    # Far above chance (1 in 15 top-level sections); the figures themselves are in the README.
    assert table["hit@1"] > 0.6 and table["hit@3"] > 0.85
    assert table["false_abstain"] < 0.1 and table["abstain_recall"] > 0.3


def test_holdout_command_prints_a_table_and_rejects_bad_options() -> None:
    run = [sys.executable, "-m", "evals", "holdout"]
    table = subprocess.run(
        [*run, "--lang", "nl", "--every", "25", "--typos"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert table.returncode == 0, table.stderr
    assert "hit@1" in table.stdout and "abstain_recall" in table.stdout and "nl" in table.stdout
    bad = subprocess.run([*run, "--every", "0"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "error:" in bad.stderr and "Traceback" not in bad.stderr


def test_synthetic_typos_touch_one_inner_letter_of_some_longer_words() -> None:
    text = "Combien de temps conservez-vous mes données personnelles après la fermeture de mon compte client ?"
    typed = [misspell(text, random.Random(seed)) for seed in range(40)]
    assert typed[0] == misspell(text, random.Random(0))  # seeded: every run asks the same misspellings
    changed = 0
    for version in typed:
        for word, typo in zip(text.split(), version.split(), strict=True):
            if word == typo:
                continue
            changed += 1
            assert len(word) >= TYPO_MIN_LENGTH and abs(len(word) - len(typo)) <= 1
            assert typo[0] == word[0] and typo[-1] == word[-1]
    long_words = sum(len(w.strip("?-")) >= TYPO_MIN_LENGTH for w in text.split())
    assert 0.15 < changed / (40 * long_words) < 0.5  # about a third of them


def test_two_letter_typos_touch_only_long_words_twice() -> None:
    text = "Combien de temps conservez-vous mes données personnelles après la fermeture de mon compte client ?"
    twice = 0
    for seed in range(40):
        for word, typo in zip(text.split(), misspell(text, random.Random(seed), letters=2).split(), strict=True):
            if len(word) < TYPO_TWICE_LENGTH:
                assert abs(len(word) - len(typo)) <= 1
            twice += abs(len(word) - len(typo)) == 2
            assert typo[0] == word[0]
    assert twice > 0  # some long words lost two letters
