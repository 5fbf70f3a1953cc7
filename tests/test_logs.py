"""Logs are structured JSON and never carry a customer's personal data, at any level."""

from __future__ import annotations

import io
import json
import logging

import pytest

from assistant.logs import configure_logging

PERSONAL = {
    "fr": "Mon e-mail est marie.dubois@gmail.com, tél 0470 12 34 56, commande 402-1234567-7654321, "
    "IBAN BE68 5390 0754 7034, carte 4111 1111 1111 1111, j'habite Rue de la Loi 16 : que gardez-vous ?",
    "nl": "Mijn mail is jan.peeters@telenet.be en gsm +32 470 12 34 56, bestelling 171-7654321-1234567, "
    "rekening NL91 ABNA 0417 1643 00, ik woon in de Kerkstraat 12: hoe lang bewaren jullie dat?",
    "en": "I'm john@example.co.uk, phone +44 20 7946 0958, order 203-1111111-2222222, card 5500-0000-0000-0004, "
    "I live at 221B Baker Street: do you sell my data?",
}
SECRETS = ["marie.dubois", "0470 12 34 56", "402-1234567-7654321", "BE68", "4111 1111", "Loi 16",
           "jan.peeters", "470 12 34", "171-7654321", "NL91", "Kerkstraat 12",
           "john@example", "7946", "203-1111111", "5500-0000", "221B"]  # fmt: skip


@pytest.fixture
def log_output():  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    handler = configure_logging(logging.DEBUG, stream)
    yield stream
    logging.getLogger().removeHandler(handler)


@pytest.mark.parametrize("level", [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL])
def test_every_level_is_redacted(log_output, level: int) -> None:  # type: ignore[no-untyped-def]
    logger = logging.getLogger("assistant.test")
    for text in PERSONAL.values():
        logger.log(level, "customer wrote %s", text, extra={"question": text, "history": [text]})
    try:
        raise ValueError(PERSONAL["en"])
    except ValueError:
        logger.log(level, "failure", exc_info=True)
    output = log_output.getvalue()
    assert [secret for secret in SECRETS if secret in output] == []
    assert "[EMAIL]" in output and "[PHONE]" in output and "[ORDER]" in output and "[IBAN]" in output
    assert "[CARD]" in output and "[ADDRESS]" in output


def test_an_answered_question_logs_structured_fields_without_personal_data(log_output, assistant) -> None:  # type: ignore[no-untyped-def]
    for text in PERSONAL.values():
        assistant.ask(text)
    records = [json.loads(line) for line in log_output.getvalue().splitlines()]
    answered = [r for r in records if r["message"] == "answered"]
    assert len(answered) == 3
    assert all({"request_id", "language", "cited", "latency_ms", "level", "time"} <= set(r) for r in answered)
    assert {r["language"] for r in answered} == {"fr", "nl", "en"}
    stages = {"redact", "clean", "language", "conversation", "guards", "retrieve", "abstain", "compose", "partial",
              "render", "suggest", "note"}
    assert all(set(r["timings_ms"]) == stages for r in answered if not r["abstained"])
    output = log_output.getvalue()
    assert [secret for secret in SECRETS if secret in output] == []
