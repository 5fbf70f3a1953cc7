"""The clean stage: plain text without markup, control characters or placeholders (property-based where it fits)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.stages.clean import clean_text, without_placeholders


@given(st.text())
def test_cleaning_never_fails_and_leaves_no_control_characters(raw: str) -> None:
    clean = clean_text(raw)
    assert all(unicodedata.category(c)[0] != "C" for c in clean.text)
    assert clean.text == clean.text.strip()
    assert "  " not in clean.text


@given(st.text())
def test_cleaning_is_idempotent(raw: str) -> None:
    once = clean_text(raw).text
    assert clean_text(once).text == once


@given(st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1))
def test_plain_text_keeps_its_words(raw: str) -> None:
    assert clean_text(raw).text.split() == unicodedata.normalize("NFC", raw).split()


@pytest.mark.parametrize(
    ("raw", "expected", "markup"),
    [
        ("<script>alert(1)</script> c'est quoi vos cookies", "c'est quoi vos cookies", True),
        ("<img src=x onerror=alert(1)>", "", True),
        ("<b>hoe</b> lang?", "hoe lang?", True),
        ("{{7*7}} ${jndi:ldap://x} data", "data", True),
        ("price < 5 and > 2", "price < 5 and > 2", False),
        ("invalid \ud800 surrogate\x00 and\x07 bell", "invalid ? surrogate and bell", False),
    ],
)
def test_markup_and_control_characters_are_removed(raw: str, expected: str, markup: bool) -> None:
    clean = clean_text(raw)
    assert clean.text == expected
    assert clean.had_markup is markup


def test_placeholders_of_personal_details_are_left_out() -> None:
    assert without_placeholders("mijn [IBAN] en [EMAIL], bewaren jullie die?") == "mijn en , bewaren jullie die?"
    assert without_placeholders("no placeholder [here]") == "no placeholder [here]"
