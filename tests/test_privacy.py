"""Redaction of personal details in FR, NL and EN text: examples, a corpus of details, properties and timing."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from assistant import privacy_numbers as numbers
from assistant.privacy import default_redactor, redact, redact_details
from assistant.privacy_numbers import iban_valid, luhn_valid

DETAILS = Path(__file__).parent / "data" / "personal_details.yaml"


def leaked(detail: str, text: str) -> bool:
    """A raw detail still in the text: as a whole word, so that "An" is not found inside "Antwerpen"."""
    return re.search(r"(?<!\w)" + re.escape(detail) + r"(?!\w)", text) is not None


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("écrivez-moi à marie.dubois@gmail.com", "[EMAIL]"),
        ("mijn mail: jan punt peeters apenstaartje telenet punt be", "[EMAIL]"),
        ("bel +32 470 12 34 56", "[PHONE]"),
        ("appelez le 02/123.45.67", "[PHONE]"),
        ("nummer 06-12345678", "[PHONE]"),
        ("order 402-1234567-7654321", "[ORDER]"),
        ("kindle D01-1234567-1234567", "[ORDER]"),
        ("IBAN BE68 5390 0754 7034", "[IBAN]"),
        ("nl91abna0417164300", "[IBAN]"),
        ("card 4111 1111 1111 1111", "[CARD]"),
        ("rijksregisternummer 85.07.30-033.61", "[NATIONAL_NUMBER]"),
        ("mon numéro national 85073003361", "[NATIONAL_NUMBER]"),
        ("je suis née le 12/03/1985", "[BIRTH_DATE]"),
        ("geboren op 3 mei 1990", "[BIRTH_DATE]"),
        ("j'habite Rue de la Loi 16, 1000 Bruxelles", "[ADDRESS]"),
        ("ik woon Keizersgracht 123, 1015 CJ Amsterdam", "[ADDRESS]"),
        ("Grote Markt 1 bus 2, 8000 Brugge", "[ADDRESS]"),
        ("I live at 221B Baker Street, London NW1 6XE", "[ADDRESS]"),
        ("Bonjour, je m'appelle Marc Dupont", "[NAME]"),
        ("ik ben jan peeters", "[NAME]"),
        ("Merci d'avance. Cordialement, Sophie Lambert", "[NAME]"),
        ("Mevrouw Vermeulen hier", "[NAME]"),
    ],
)
def test_personal_details_become_typed_placeholders(text: str, token: str) -> None:
    assert token in redact(text), redact(text)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("mon IBAN c'est BE68 5390 0754 7034 et je l'ai encodé", "mon IBAN c'est [IBAN] et je l'ai encodé"),
        ("IBAN NL91 ABNA 0417 1643 00 and then a refund", "IBAN [IBAN] and then a refund"),
        ("rekening BE12 3456 7890 1234 en nu", "rekening [IBAN] en nu"),  # no checksum: the words after stay
    ],
)
def test_an_iban_leaves_the_words_after_it(text: str, redacted: str) -> None:
    assert redact(text) == redacted


@pytest.mark.parametrize(
    "text",
    [
        "I need to know if you may share my data with 3 companies",  # "ne" inside "need", "may" a month
        "je ne sais pas si en mai vous gardez mes données 2 ans",  # French "ne", not "né" without its accent
        "nee, ik wil in mei 2 dingen weten",  # Dutch "nee", not "née"
    ],
)
def test_a_birth_word_counts_only_as_a_whole_word_of_its_own(text: str) -> None:
    assert redact(text) == text


def test_every_mention_of_an_introduced_name_goes() -> None:
    text = "Hallo, ik ben Els De Smet. Kan Els haar gegevens downloaden? Groetjes, Els"
    assert "Els" not in redact(text) and "Smet" not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Combien de temps gardez-vous mes données ?",
        "Volgens sectie 3.9 en artikel 13 van 11 augustus 2023",
        "PCI DSS and GDPR, section 15.2",
        "I ordered 3 books in 2023",
        "my name is spelled wrong in my account, how can i fix it",
        "je suis inquiet : vous vendez mes données à la place de Google ?",
        "I'm worried about my data, can you delete it?",
        "Ik heb een cadeau voor mijn man besteld en nu zie ik overal reclame, hoe komt dat?",
        "écrivez à eu-privacy@amazon.com.be",  # the notice's own contact
        "is Amazon at 38 avenue John F. Kennedy in Luxembourg my controller?",  # the notice's own address
        "Règlement (UE) 2016/679 article 6",
    ],
)
def test_ordinary_text_and_the_notices_own_details_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_a_long_number_is_redacted_even_when_it_is_no_valid_card() -> None:
    assert redact("number 1234 5678 9012 3456 is mine") == "number [NUMBER] is mine"


def test_the_kinds_found_are_reported_in_order() -> None:
    found = redact_details("I'm Tom, tom@example.org, +32 470 12 34 56")
    assert found.kinds == ("EMAIL", "PHONE", "NAME") and found.found
    assert not redact_details("how long do you keep my data?").found


def test_check_digits() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("BE68539007547034") and not iban_valid("BE68539007547035")


def test_the_details_corpus_is_redacted_completely() -> None:
    """tests/data/personal_details.yaml: 400+ details (names, national numbers, dates of birth, addresses, order
    numbers, phones, IBANs, cards, e-mails) in messages of the three languages, written outside the project."""
    items = yaml.safe_load(DETAILS.read_text(encoding="utf-8"))
    assert len(items) >= 300 and {i["lang"] for i in items} == {"fr", "nl", "en"}
    missed = [(i["id"], d) for i in items for d in i["details"] if leaked(d, redact(i["message"]))]
    assert missed == []


@given(st.text())
def test_redaction_never_fails_and_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.emails())
def test_any_email_is_redacted(email: str) -> None:
    assert "@" not in redact(f"contact {email} please")


ADVERSARIAL = {
    "one long word": "a",
    "digits": "1",
    "spaced digits": "1 ",
    "dotted": "a.",
    "at signs": "a@",
    "street words": "rue ",
    "street and numbers": "Rue A 1 ",
    "suffixed streets": "kerkstraat 1 ",
    "capitals": "Abc ",
    "introductions": "je m'appelle Marc ",
    "first names": "Jan Peeters ",
    "dates": "12/03/1985 ",
    "years": "1985 ",
    "dashes": "1-",
    "iban starts": "BE12 ",
}


def _seconds(function, text: str) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", list(ADVERSARIAL.values()), ids=list(ADVERSARIAL))
def test_every_pattern_runs_in_linear_time_on_adversarial_text(unit: str) -> None:
    """Each pattern, and redaction as a whole, on 16 KB and 64 KB of a repeated adversarial unit: four times the
    text may take about four times as long (a quadratic pattern would take sixteen), and 64 KB stays well under a
    second (the quadratic e-mail pattern of before took 5.8 s on 60 KB)."""
    redactor = default_redactor()
    patterns = {
        "email": numbers.EMAIL.sub, "order": numbers.ORDER.sub, "iban": numbers.IBAN.sub, "card": numbers.CARD.sub,
        "national": numbers.NATIONAL.sub, "phone": numbers.PHONE.sub, "number": numbers.LONG_NUMBER.sub,
        "spelled e-mail": redactor.spelled_email.sub, "expiry": redactor.card_expiry.sub,
    }  # fmt: skip
    functions = {name: (lambda text, sub=sub: sub("", text)) for name, sub in patterns.items()}
    functions["redact"] = redact
    small, large = unit * (16_000 // len(unit)), unit * (64_000 // len(unit))
    for name, function in functions.items():
        function(small)  # warm caches
        short = min(_seconds(function, small) for _ in range(2))
        long = min(_seconds(function, large) for _ in range(2))
        assert long < 1.0, (name, long)
        assert long < 8 * short + 0.02, (name, short, long)
