"""The patterns of personal numbers (e-mails, orders, IBANs, cards, national numbers, phones) and their checks."""

from __future__ import annotations

import re

# Every pattern here repeats only a bounded number of times and can start only where a word starts (a look-behind),
# so its work grows linearly with the text: one long unbroken word is never rescanned from each of its characters
# (tests/test_privacy.py times every pattern on adversarial strings).
LOCAL_PART = r"[\w.!#$%&'*+/=?^`{|}~-]"
EMAIL = re.compile(rf"(?<!{LOCAL_PART}){LOCAL_PART}{{1,64}}@[\w-]{{1,63}}(?:\.[\w-]{{1,63}}){{1,6}}(?![\w-])")
ORDER = re.compile(r"(?<![\w-])(?:\d{3}|[A-Z]\d{2})[- ]?\d{7}[- ]?\d{7}(?![\w-])", re.IGNORECASE)
IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
# Belgian national register numbers (YY.MM.DD-NNN.CC, or 11 digits), French NIR (13 digits and a 2-digit key).
NATIONAL = re.compile(
    r"(?<![\w.-])(?:\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}"
    r"|[12][ ]?\d{2}[ ]?\d{2}[ ]?(?:\d{2}|2[AB])[ ]?\d{3}[ ]?\d{3}(?:[ ]?\d{2})?)(?![\w-])"
    # UK National Insurance number (JK 47 52 19 B) and Irish PPS number (7185343NA).
    r"|(?<![\w-])(?:[A-CEGHJ-PR-TW-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]|\d{7}[A-W][A-IW]?)(?![\w-])"
)
PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}[ .\-/]?(?:\(0\))?[ .\-/]?\d(?:[ .\-/]?\d){6,11}(?!\w)"  # +32 470 12 34 56
    r"|(?<![\w+])0\d(?:[ .\-/]?\d){7,9}(?!\w)"  # national: 0470 12 34 56, 02/123.45.67, 06-12345678
    r"|(?<![\w(])\(0\d{1,4}\)\s?\d{2,4}(?:[ .-]?\d{2,4}){1,3}(?!\w)"  # (0161) 496 0732
)
# Any other long run of digits (8 or more, maybe grouped): a customer, parcel, tax or account number.
LONG_NUMBER = re.compile(r"(?<![\w.])\d(?:[ .\-/]?\d){7,30}(?!\w)")


def luhn_valid(digits: str) -> bool:
    total, double = 0, False
    for char in reversed(digits):
        value = int(char) * (2 if double else 1)
        total += value - 9 if value > 9 else value
        double = not double
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616: country code and check digits moved to the end, letters as numbers (A=10), mod 97 gives 1."""
    text = compact[4:] + compact[:4]
    try:
        return int("".join(str(int(c, 36)) for c in text)) % 97 == 1
    except ValueError:
        return False


def iban_like(text: str) -> bool:
    compact = text.replace(" ", "")
    # An IBAN mixes a country code and check digits with a long account number; plain words never do.
    return iban_valid(compact) or (len(compact) >= 15 and sum(c.isdigit() for c in compact) >= 8)


def iban_length(text: str) -> int:
    """How much of an IBAN match is the IBAN: the pattern runs on into the words after a grouped one ("BE68 5390
    0754 7034 et je"), so keep the longest prefix, ending at a space, that passes the checksum; failing that, drop
    the trailing words without a digit. At most 30 characters are looked at, each prefix once."""
    ends = [m.start() for m in re.finditer(" ", text)] + [len(text)]
    for end in reversed(ends):
        if iban_valid(text[:end].replace(" ", "")):
            return end
    words = text.split(" ")
    while len(words) > 1 and not any(c.isdigit() for c in words[-1]):
        words.pop()
    return len(" ".join(words))


def card_like(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)
