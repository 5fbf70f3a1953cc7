"""Redaction of personal data in FR, NL and EN text (examples and properties)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.privacy import luhn_valid, redact


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("écrivez-moi à marie.dubois@gmail.com", "[EMAIL]"),
        ("mijn mail: jan.peeters@telenet.be", "[EMAIL]"),
        ("bel 0470 12 34 56", "[PHONE]"),
        ("bel +32 470 12 34 56", "[PHONE]"),
        ("appelez le 02/123.45.67", "[PHONE]"),
        ("mon portable 06 12 34 56 78", "[PHONE]"),
        ("+33 6 12 34 56 78", "[PHONE]"),
        ("nummer 06-12345678", "[PHONE]"),
        ("call +44 20 7946 0958", "[PHONE]"),
        ("order 402-1234567-7654321", "[ORDER]"),
        ("IBAN BE68 5390 0754 7034", "[IBAN]"),
        ("NL91ABNA0417164300", "[IBAN]"),
        ("FR14 2004 1010 0505 0001 3M02 606", "[IBAN]"),
        ("card 4111 1111 1111 1111", "[CARD]"),
        ("kaart 5500-0000-0000-0004", "[CARD]"),
        ("j'habite Rue de la Loi 16", "[ADDRESS]"),
        ("ik woon in de Kerkstraat 12", "[ADDRESS]"),
        ("12 rue de Rivoli", "[ADDRESS]"),
        ("I live at 221B Baker Street", "[ADDRESS]"),
    ],
)
def test_personal_data_is_replaced(text: str, token: str) -> None:
    assert token in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Combien de temps gardez-vous mes données ?",
        "Volgens sectie 3.9 en artikel 13 van 11 augustus 2023",
        "PCI DSS and GDPR, section 15.2",
        "I ordered 3 books in 2023",
        "number 1234 5678 9012 3456 is not a valid card",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_luhn() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


@given(st.text())
def test_redaction_never_fails_and_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


@given(st.emails())
def test_any_email_is_redacted(email: str) -> None:
    assert "@" not in redact(f"contact {email} please")
