"""The message-type classifier's training set: written messages and the whole bank, weighed so that every kind
counts the same and an edit to the bank moves the guards by that one question's weight."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.chunks import Chunk
from assistant.guards.message_type import BANK_WEIGHT, QUESTION, balanced_weights, labelled_messages
from assistant.settings import PROJECT_ROOT


def bank(language: str, count: int) -> list[Chunk]:
    return [Chunk(f"q{language}{i}", "question", "9", "Choices", language, f"question {i}?") for i in range(count)]


def test_every_label_weighs_the_same_and_the_total_is_kept() -> None:
    labels = ["question"] * 6 + ["injection"] * 2 + ["authority"] * 4
    weights = np.array([0.5] * 4 + [1.0] * 8)
    balanced = balanced_weights(labels, weights)
    totals = {label: balanced[[i for i, name in enumerate(labels) if name == label]].sum() for label in set(labels)}
    assert totals == pytest.approx(dict.fromkeys(totals, weights.sum() / 3))
    assert balanced.sum() == pytest.approx(weights.sum())


def test_equal_weights_give_scikit_learns_balanced_classes() -> None:
    labels = ["question"] * 5 + ["injection"] * 3
    balanced = balanced_weights(labels, np.ones(len(labels)))
    assert balanced[:5] == pytest.approx([8 / (2 * 5)] * 5)  # n_samples / (n_classes * count)
    assert balanced[5:] == pytest.approx([8 / (2 * 3)] * 3)


def test_the_whole_bank_is_labelled_as_questions_sharing_one_weight() -> None:
    texts, labels, weights = labelled_messages(PROJECT_ROOT / "corpus", bank("en", 900))
    from_bank = [i for i, text in enumerate(texts) if text.startswith("question ") and text.endswith("?")]
    assert len(from_bank) == 900
    assert {labels[i] for i in from_bank} == {QUESTION}
    assert weights[from_bank].sum() == pytest.approx(BANK_WEIGHT)
    written = [i for i in range(len(texts)) if i not in set(from_bank)]
    assert set(weights[written]) == {1.0}


def test_an_edit_to_the_bank_changes_no_other_training_message() -> None:
    before = labelled_messages(PROJECT_ROOT / "corpus", bank("en", 900))
    after = labelled_messages(PROJECT_ROOT / "corpus", bank("en", 901))
    assert after[0][: len(before[0])] == before[0]  # the same messages in the same order, one more question
    assert after[0][-1] == "question 900?"


def test_out_of_scope_tasks_are_no_examples_of_questions() -> None:
    # "write me a haiku" is labelled an injection in corpus/messages/: the bank's task topic must not contradict it
    task = Chunk("en:-:general_knowledge_and_tasks:0", "out_of_scope", "-", "general_knowledge_and_tasks", "en",
                 "write me a haiku about frites")  # fmt: skip
    parcel = Chunk("en:-:orders_and_delivery:0", "out_of_scope", "-", "orders_and_delivery", "en", "where is my parcel")
    texts, labels, _ = labelled_messages(PROJECT_ROOT / "corpus", [task, parcel])
    assert "where is my parcel" in texts
    assert "write me a haiku about frites" not in texts
