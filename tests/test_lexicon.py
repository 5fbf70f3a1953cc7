"""Everyday words and first names, cached from wordfreq and Faker: the same answers as the packages give."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from wordfreq import top_n_list, zipf_frequency

from assistant.lexicon import COMMON, first_names, load_lexicon

WORDS = {
    "fr": "données conserver consentement supprimer compte publicité adresse xqzvk entité personnalisées",
    "nl": "gegevens bewaren toestemming verwijderen account reclame adres xqzvk bewaartermijn persoonsgegevens",
    "en": "data keep consent delete account advertising address xqzvk retention personalised",
}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_common_words_and_ranks_are_wordfreqs(language: str, tmp_path: Path) -> None:
    lexicon = load_lexicon(language, tmp_path)
    for word in WORDS[language].split():
        assert lexicon.is_common(word) == (zipf_frequency(word, language) >= COMMON), word
    assert list(lexicon.top(3000)) == top_n_list(language, 3000)


def test_a_word_of_parts_counts_when_each_part_does(tmp_path: Path) -> None:
    lexicon = load_lexicon("fr", tmp_path)
    assert lexicon.is_common("l'adresse") and lexicon.is_common("peut-être")
    assert not lexicon.is_common("l'xqzvk") and not lexicon.is_common("'-")


def test_the_cache_file_is_read_back_and_a_read_only_folder_still_works(tmp_path: Path) -> None:
    first = load_lexicon("nl", tmp_path)
    files = list((tmp_path / "lexicon").glob("nl-*.json"))
    assert len(files) == 1
    load_lexicon.cache_clear()
    assert load_lexicon("nl", tmp_path) == first  # from the file this time
    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.access(locked, os.W_OK):  # running as root: permissions are not enforced
            pytest.skip("cannot make a read-only folder for this user")
        assert load_lexicon("nl", locked) == first
    finally:
        os.chmod(locked, 0o700)


def test_first_names_come_from_fakers_locales(tmp_path: Path) -> None:
    french = first_names("fr_FR", tmp_path)
    assert "Marie" in french and "Jean" in french
    assert first_names("xx_XX", tmp_path) == ()  # a locale Faker lacks: no names, no error
