"""Language detection: fr/nl/en, other languages, and the fallbacks for short input."""

from __future__ import annotations

import pytest

from assistant.langpack import load_packs
from assistant.language import LanguageGuesser, choose_language

FUNCTION_WORDS = {code: pack.function_words for code, pack in load_packs().items()}
LANGUAGES = tuple(FUNCTION_WORDS)


@pytest.fixture(scope="module")
def guesser() -> LanguageGuesser:
    return LanguageGuesser(FUNCTION_WORDS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Comment est-ce que je peux retirer mon consentement ?", "fr"),
        ("pk vous gardez mes donnees si longtemps", "fr"),
        ("Hoe lang bewaren jullie mijn gegevens?", "nl"),
        ("mag ik weten wat jullie over mij opslaan", "nl"),
        ("How do I withdraw my consent?", "en"),
        ("do u sell my data to advertisers", "en"),
        ("Wie lange speichern Sie meine Daten und warum?", "other"),
        ("¿Cuánto tiempo guardan mis datos personales?", "other"),
    ],
)
def test_detects_the_language_of_a_question(guesser: LanguageGuesser, text: str, expected: str) -> None:
    assert guesser.detect(text) == expected


def test_too_short_to_tell_gives_none(guesser: LanguageGuesser) -> None:
    assert guesser.detect("cookies?") is None
    assert guesser.detect("12345") is None


def test_explicit_choice_wins_then_detection_then_conversation_then_default() -> None:
    assert choose_language("fr", "nl", "en", "en", LANGUAGES, "en") == ("nl", False)
    assert choose_language("fr", None, "nl", "en", LANGUAGES, "en") == ("fr", False)
    assert choose_language(None, None, "nl", "en", LANGUAGES, "en") == ("nl", False)
    assert choose_language(None, None, None, "fr", LANGUAGES, "en") == ("fr", False)
    assert choose_language("other", None, "nl", "fr", LANGUAGES, "en") == ("en", True)


def test_words_unique_to_one_notice_settle_short_questions() -> None:
    samples = {"fr": ["données"] * 3, "nl": ["gegevens"] * 3, "en": ["information"] * 3}
    guesser = LanguageGuesser(FUNCTION_WORDS, samples)
    assert guesser.detect("gegevens") == "nl"
    assert guesser.detect("données") == "fr"


def test_a_unique_word_typed_without_its_accents_still_counts() -> None:
    samples = {"fr": ["personnalisées"] * 2, "nl": ["gepersonaliseerde"] * 2, "en": ["personalised"] * 2}
    guesser = LanguageGuesser(FUNCTION_WORDS, samples)
    assert guesser.detect("recommandations personnalisees") == "fr"
    assert guesser.detect("recommandations personnalisées") == "fr"


def test_word_order_settles_questions_whose_words_are_all_shared() -> None:
    samples = {
        "fr": "quel est l'âge minimum pour un compte".split(),
        "nl": "wat is de minimumleeftijd voor een account".split(),
        "en": "what is the minimum age for an account".split(),
    }
    guesser = LanguageGuesser(FUNCTION_WORDS, samples)
    assert guesser.detect("age minimum ?") == "fr"  # accents left out still match "âge minimum"
    assert guesser.detect("minimum age?") == "en"
    assert guesser.detect("account") is None  # one shared word: nothing to tell


def test_parts_of_a_hyphenated_compound_count_as_words() -> None:
    samples = {"fr": ["enregistrements"] * 2, "nl": ["alexa-opnames", "opnames"], "en": ["recordings"] * 2}
    guesser = LanguageGuesser(FUNCTION_WORDS, samples)
    assert guesser.detect("alexa opnames") == "nl"
    assert guesser.detect("Alexa-opnames?") == "nl"


def test_another_form_of_a_word_of_one_language_counts() -> None:
    """A typed word that begins only Dutch words of the samples ("verwijder": "verwijderen", "verwijderd") votes
    Dutch; "account" begins words of two languages and tells nothing."""
    samples = {
        "fr": "supprimer mon compte supprimez".split(),
        "nl": "mijn account verwijderen verwijderd".split(),
        "en": "delete my account accounts".split(),
    }
    guesser = LanguageGuesser(FUNCTION_WORDS, samples)
    assert guesser.detect("verwijder account") == "nl"
    assert guesser.detect("account") is None
    assert guesser.detect("supprime compte") == "fr"  # "supprime" begins "supprimer" and "supprimez"
    assert guesser.detect("suppr compte") is None  # too short to be read as a form of a longer word
