"""The section classifier learnt from the typical questions, and the sentence classifiers learnt from the questions
written per sentence, on the real index's vectors."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.chunks import OUT_OF_SCOPE, unit_of
from assistant.classifier import (
    STRENGTH,
    TOLERANCE,
    SectionClassifier,
    asked_rows,
    bank_rows,
    classifier_rows,
    load_sentence_classifiers,
    save_sentence_classifiers,
    train_classifier,
    unit_label,
)
from assistant.stages import retrieve


def test_the_index_carries_a_classifier_over_every_section_and_out_of_scope(assistant) -> None:  # type: ignore[no-untyped-def]
    classifier = assistant.loaded.classifier
    assert classifier is not None
    assert set(classifier.labels) == {*assistant.served.retriever.section_ids, OUT_OF_SCOPE}
    assert (assistant.loaded.path / "classifier.npz").is_file()
    assert assistant.manifest["classifier"]["labels"] == len(classifier.labels)


def test_probabilities_are_the_fitted_models_own(assistant) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    rows = bank_rows(retriever.chunks)[::7]  # a sample keeps the fit quick; the softmax is what is checked
    vectors, labels = retriever.vectors[rows], [retriever.chunks[p].section_id for p in rows]
    classifier = train_classifier(vectors, labels)
    model = LogisticRegression(C=STRENGTH, max_iter=1000, tol=TOLERANCE).fit(vectors, labels)
    query = assistant.embed.encode_queries(["how long do you keep my order history?"])[0]
    mine = classifier.probabilities(query)
    theirs = dict(zip(model.classes_, model.predict_proba(query.reshape(1, -1))[0], strict=True))
    assert abs(sum(mine.values()) - 1.0) < 1e-5
    assert max(abs(mine[label] - theirs[label]) for label in theirs) < 1e-3


def test_it_tells_sections_and_out_of_scope_apart_in_every_language(assistant) -> None:  # type: ignore[no-untyped-def]
    classifier = assistant.loaded.classifier
    questions = {
        "combien de temps conservez-vous mes données ?": "11",
        "hoe lang bewaren jullie mijn gegevens?": "11",
        "how long do you keep my data?": "11",
        "où en est la livraison de mon colis ?": OUT_OF_SCOPE,
        "wanneer wordt mijn pakje geleverd?": OUT_OF_SCOPE,
        "when will my parcel be delivered?": OUT_OF_SCOPE,
    }
    vectors = assistant.embed.encode_queries(list(questions))
    for (question, expected), vector in zip(questions.items(), vectors, strict=True):
        probabilities = classifier.probabilities(vector)
        assert max(probabilities, key=probabilities.__getitem__) == expected, question


def test_it_survives_saving_and_needs_two_labels(assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    classifier = assistant.loaded.classifier
    classifier.save(tmp_path / "classifier.npz")
    again = SectionClassifier.load(tmp_path / "classifier.npz")
    vector = assistant.embed.encode_queries(["can I delete my Alexa recordings?"])[0]
    assert again.labels == classifier.labels
    assert again.probabilities(vector) == classifier.probabilities(vector)
    assert train_classifier(np.eye(3, dtype=np.float32), ["9", "9", "9"]) is None


def test_a_sure_out_of_scope_verdict_is_enough_to_abstain(assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.stages.abstain import decide, evidence

    turn, served = assistant.prepared("can I return shoes that are too small?", "en")
    ranking = retrieve.rank(turn, served)
    tuning = served.tuning
    assert ranking.probabilities[OUT_OF_SCOPE] > tuning.max_out_of_scope_probability
    # With the other two rules switched off, the classifier's verdict alone declines.
    alone = replace(tuning, min_question_match=0.0, out_of_scope_margin=-1.0)
    assert decide(evidence(ranking, "en", alone), alone)
    sure_only = replace(alone, max_out_of_scope_probability=1.0)
    assert not decide(evidence(ranking, "en", sure_only), sure_only)


def test_with_two_labels_the_probabilities_are_still_the_fitted_models_own(assistant) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    rows = [p for p in bank_rows(retriever.chunks) if retriever.chunks[p].section_id in ("9", "11")]
    vectors, labels = retriever.vectors[rows], [retriever.chunks[p].section_id for p in rows]
    classifier = train_classifier(vectors, labels)
    model = LogisticRegression(C=STRENGTH, max_iter=1000, tol=TOLERANCE).fit(vectors, labels)
    query = assistant.embed.encode_queries(["how long do you keep my order history?"])[0]
    theirs = dict(zip(model.classes_, model.predict_proba(query.reshape(1, -1))[0], strict=True))
    mine = classifier.probabilities(query)
    assert max(abs(mine[label] - theirs[label]) for label in theirs) < 1e-3
    assert mine["11"] > 0.5


def test_every_section_with_questions_per_sentence_has_a_sentence_classifier(assistant, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    models = assistant.loaded.sentence_classifiers
    units: dict[str, set[str]] = {}  # per section, its sentences that have written questions
    for position in asked_rows(retriever.chunks):
        chunk = retriever.chunks[position]
        units.setdefault(chunk.section_id, set()).add(unit_label(unit_of(chunk.chunk_id)))
    assert set(models) == {section for section, labels in units.items() if len(labels) > 1}
    assert all(set(models[section].labels) == units[section] for section in models)
    for section, model in models.items():
        for label in model.labels:  # one label names the same sentence in every language
            assert all(f"{lang}:{label}" in retriever.by_id for lang in ("fr", "nl", "en")), (section, label)
    save_sentence_classifiers(models, tmp_path / "sentences.npz")
    again = load_sentence_classifiers(tmp_path / "sentences.npz")
    vector = assistant.embed.encode_queries(["can I delete my Alexa recordings?"])[0]
    assert again["3.4"].probabilities(vector) == models["3.4"].probabilities(vector)
    assert unit_label("nl:9:s6.2") == "9:s6.2"
    assert load_sentence_classifiers(tmp_path / "missing.npz") == {}


def test_the_sentence_classifier_finds_the_answering_sentence_in_every_language(assistant) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    questions = {  # section 3.9: asking for consent (s0), withdrawing it (s1); 11: why data is kept (s1: examples)
        ("comment je retire mon consentement ?", "fr"): "3.9:s1",
        ("hoe trek ik mijn toestemming in?", "nl"): "3.9:s1",
        ("how do I withdraw my consent?", "en"): "3.9:s1",
        ("pourquoi vous gardez mon historique de commandes ?", "fr"): "11:s1",
        ("waarom bewaren jullie mijn bestelgeschiedenis?", "nl"): "11:s1",
        ("why do you keep my order history?", "en"): "11:s1",
    }
    vectors = assistant.embed.encode_queries([q for q, _ in questions])
    for ((question, lang), expected), vector in zip(questions.items(), vectors, strict=True):
        section = expected.split(":")[0]
        probabilities = retriever.unit_probabilities(section, lang, vector)
        assert abs(sum(probabilities.values()) - 1.0) < 1e-5
        best = max(probabilities, key=probabilities.__getitem__)
        assert retriever.chunk(best).chunk_id == f"{lang}:{expected}", question
    assert retriever.unit_probabilities("3.9", "en", None) == {}


def test_the_written_questions_train_the_section_classifier_each_section_weighing_alike(assistant) -> None:  # type: ignore[no-untyped-def]
    chunks = assistant.served.retriever.chunks
    rows, weights = classifier_rows(chunks)
    bank = set(bank_rows(chunks))
    assert bank < set(rows) and all(w == 1.0 for p, w in zip(rows, weights, strict=True) if p in bank)
    totals: dict[str, float] = {}
    for position, weight in zip(rows, weights, strict=True):
        if chunks[position].kind == "asked":
            totals[chunks[position].section_id] = totals.get(chunks[position].section_id, 0.0) + weight
    assert len(totals) > 30  # every section with sentences has written questions
    assert max(totals.values()) - min(totals.values()) < 1e-6  # section 9's many sentences do not count more
    assert assistant.manifest["classifier"]["questions"] == len(rows)
