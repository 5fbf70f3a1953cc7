"""Redacting personal data (e-mails, phones, order numbers, IBANs, cards, street addresses) before storage."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[\w-]+(?:\.[\w-]+)+")
ORDER = re.compile(r"\b\d{3}-\d{7}-\d{7}\b")  # Amazon order numbers, e.g. 402-1234567-7654321
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE)
CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}[ .\-/]?(?:\(0\))?[ .\-/]?\d(?:[ .\-/]?\d){6,11}\b"  # international: +32 470 12 34 56
    r"|(?<![\w+])0\d(?:[ .\-/]?\d){7,9}\b"  # national: 0470 12 34 56, 02/123.45.67, 06-12345678, 01 23 45 67 89
)
STREET_WORDS = (
    r"rue|avenue|av\.|boulevard|bd|chauss[ée]e|place|chemin|all[ée]e|quai|impasse|"
    r"straat|str\.|laan|weg|plein|steenweg|dreef|lei|kaai|"
    r"street|st\.|road|rd\.|lane|drive|square"
)
# "Rue de la Loi 16", "Kerkstraat 12", "12 rue de Rivoli", "221B Baker Street"
ADDRESS = re.compile(
    rf"\b(?:(?:{STREET_WORDS})\s+(?:[\w'’-]+\s+){{0,4}}\d{{1,4}}[a-zA-Z]?"
    rf"|[\w'’-]*(?:straat|laan|weg|plein|steenweg|dreef)\s+\d{{1,4}}[a-zA-Z]?"
    rf"|\d{{1,4}}[a-zA-Z]?,?\s+(?:{STREET_WORDS})\s+(?:[\w'’-]+\s*){{1,4}}"
    rf"|\d{{1,4}}[a-zA-Z]?\s+(?:[A-Z][\w'’-]+\s+){{1,3}}(?:street|road|lane|avenue|drive|square)\b)",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    total, double = 0, False
    for char in reversed(digits):
        value = int(char) * (2 if double else 1)
        total += value - 9 if value > 9 else value
        double = not double
    return total % 10 == 0


def _cards(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[CARD]" if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _ibans(match: re.Match[str]) -> str:
    text = match.group(0)
    compact = text.replace(" ", "")
    # An IBAN mixes a country code and check digits with a long account number; plain words never do.
    return "[IBAN]" if len(compact) >= 15 and sum(c.isdigit() for c in compact) >= 8 else text


def redact(text: str) -> str:
    """The text with personal data replaced by [EMAIL], [ORDER], [IBAN], [CARD], [PHONE] or [ADDRESS]."""
    if not text:
        return text
    text = EMAIL.sub("[EMAIL]", text)
    text = ORDER.sub("[ORDER]", text)
    text = IBAN.sub(_ibans, text)
    text = CARD.sub(_cards, text)
    text = PHONE.sub("[PHONE]", text)
    return ADDRESS.sub("[ADDRESS]", text)
