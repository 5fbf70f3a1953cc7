"""Translations that know their source: which translated sections a change of the official text makes stale, and
how a stale section is answered (from the official text, with a note in the customer's language)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.corpus import load_notice
from assistant.translations import read_translations, stale_ids
from tests.test_corpus_diff import REWORDED_11, copy_corpus, edit, replace_once


def test_a_reworded_official_section_makes_exactly_its_translations_stale(tmp_path: Path, corpus_dir: Path) -> None:
    corpus = copy_corpus(tmp_path, corpus_dir)
    notices = {lang: load_notice(corpus / f"{lang}.md") for lang in ("fr", "nl", "en")}
    assert stale_ids(notices, read_translations(corpus)) == frozenset()
    edit(corpus / "fr.md", lambda text: replace_once(text, *REWORDED_11))
    notices["fr"] = load_notice(corpus / "fr.md")
    assert stale_ids(notices, read_translations(corpus)) == {("nl", "11"), ("en", "11")}


def test_a_stale_section_is_answered_from_the_official_text_with_a_note(assistant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    question = "Hoe lang bewaren jullie mijn gegevens?"
    current = assistant.ask(question)
    assert current.citations[0].section_id == "11" and current.citations[0].language == "nl"
    monkeypatch.setattr(assistant, "served", dataclasses.replace(assistant.served, stale=frozenset({("nl", "11")})))
    stale = assistant.ask(question)
    citation = stale.citations[0]
    assert stale.language == "nl" and citation.section_id == "11" and citation.language == "fr"
    french = assistant.served.notices["fr"].section("11")
    assert all(piece in french.text for piece in citation.quote.split(" […] "))  # quoted verbatim from the French
    assert "De Nederlandse vertaling van deze sectie wordt bijgewerkt" in stale.answer
    assert assistant.ask("How long do you keep my data?").citations[0].language == "en"  # other languages unchanged
