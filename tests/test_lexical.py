"""Character n-gram models: served without scikit-learn, with the scores scikit-learn's own model gives."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.lexical import NgramModel, char_wb_ngrams, load_models, save_models, vectorizer
from assistant.text import plain_words

DOCUMENTS = [
    "Combien de temps conservons-nous vos informations personnelles ?",
    "Hoe lang bewaren wij uw persoonsgegevens? Wij bewaren ze zolang nodig.",
    "You can withdraw your consent at any time in Your Account.",
    "Les cookies et technologies similaires — préférences publicitaires.",
    "a",
]
QUERIES = ["combien de temps gardez vous mes donnees", "withdraw consent", "cookies", "zzzz qqq", "", "a b c"]


def test_ngrams_are_the_ones_scikit_learn_makes() -> None:
    analyse = vectorizer().build_analyzer()
    for text in DOCUMENTS + QUERIES:
        assert char_wb_ngrams(plain_words(text)) == analyse(text)


def test_similarities_equal_scikit_learns_cosines() -> None:
    model = vectorizer()
    matrix = model.fit_transform(DOCUMENTS)
    fitted = NgramModel.fit(DOCUMENTS)
    for query in QUERIES:
        expected = (matrix @ model.transform([query]).T).toarray().ravel()
        assert np.allclose(fitted.similarities(query), expected, atol=1e-12)


def test_presence_marks_the_ngrams_each_text_holds() -> None:
    fitted = NgramModel.fit(DOCUMENTS)
    presence = fitted.presence(["cookies", "zzzz"]).toarray()
    indices, _ = fitted.transform("cookies")
    assert presence[0, indices].all() and presence[0].sum() == len(indices)
    assert presence[1].sum() == 0  # no known n-gram


def test_models_survive_a_round_trip_through_their_file(tmp_path: Path) -> None:
    models = {"sections.fr": NgramModel.fit(DOCUMENTS[:2]), "bank.en": NgramModel.fit(DOCUMENTS[2:])}
    save_models(models, tmp_path / "lexical.npz")
    loaded = load_models(tmp_path / "lexical.npz")
    assert set(loaded) == set(models)
    for name, model in models.items():
        for query in QUERIES:
            assert np.array_equal(loaded[name].similarities(query), model.similarities(query))


@pytest.mark.parametrize("query", QUERIES)
def test_unknown_text_scores_zero_everywhere(query: str) -> None:
    fitted = NgramModel.fit(["alpha beta"])
    if not fitted.transform(query)[0].size:
        assert not fitted.similarities(query).any()
