"""The capture importer keeps every sentence of the notice, drops the furniture, and is language-agnostic."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from assistant.capture import CaptureError, import_capture, import_capture_file, parse_date
from assistant.corpus import block_text, check_notice, load_notice, read_outline, render_notice
from assistant.text import plain_words

FURNITURE = [
    "Passer au contenu principal",
    "anti-csrftoken",
    "Ces informations ont-elles été utiles",
    "Bonjour, Identifiez-vous",
    "Amazon Science",
    "Thèmes liés",
    "Solutions rapides",
    "Sélectionnez votre langue préférée",
    "Cookies et choix publicitaires",
    "Votre profil et les Lignes directrices communautaires",
    "Toutes les rubriques d'aide",
]


def notice_body_sentences(capture: str) -> list[str]:
    """The notice's sentences in the capture, delimited here by hand (independently of the importer)."""
    lines = capture.replace("\xa0", " ").splitlines()
    start = lines.index("NOTICE : PROTECTION DE VOS INFORMATIONS PERSONNELLES")
    end = lines.index("Ces informations ont-elles été utiles ?")
    toc_start = next(i for i in range(start, end) if lines[i].startswith(" * Les Responsables du traitement"))
    toc_end = lines.index("RESPONSABLES DU TRAITEMENT")
    related = lines.index("Thèmes liés")
    related_end = related + 1 + next(i for i, line in enumerate(lines[related + 1 :]) if line.isupper())
    kept = lines[start:toc_start] + lines[toc_end:related] + lines[related_end:end]
    text = " ".join(line.strip().removeprefix("* ") for line in kept if line.strip())
    return [s for s in re.split(r"(?<=[.?!;:])\s+", text) if plain_words(s)]


@pytest.fixture(scope="module")
def corpus_text(corpus_dir: Path) -> str:
    notice = load_notice(corpus_dir / "fr.md")
    parts = [notice.title, notice.meta["last_updated_label"], *notice.preamble]
    for section in notice.sections:
        parts += [section.title, section.text]
    return plain_words(" ".join(parts))


def test_no_sentence_of_the_notice_is_lost(capture_path: Path, corpus_text: str) -> None:
    sentences = notice_body_sentences(capture_path.read_text(encoding="utf-8"))
    assert len(sentences) > 200
    missing = [s for s in sentences if plain_words(s) not in corpus_text]
    assert missing == []


def test_no_furniture_in_the_corpus(corpus_dir: Path) -> None:
    text = (corpus_dir / "fr.md").read_text(encoding="utf-8")
    assert [line for line in FURNITURE if line.casefold() in text.casefold()] == []


def test_emails_urls_and_names_are_kept_exactly(corpus_dir: Path) -> None:
    text = (corpus_dir / "fr.md").read_text(encoding="utf-8")
    for exact in [
        "eu-privacy@amazon.com.be",
        "https://www.verasafe.com/public-resources/dispute-resolution/submit-dispute/",
        "Amazon Digital UK Limited située 1 Principal Place, Worship Street, London, EC2A 2FA, UK",
        "38 avenue John F. Kennedy, L-1855, Luxembourg",
    ]:
        assert exact in text


def test_import_reproduces_the_committed_french_file(capture_path: Path, corpus_dir: Path) -> None:
    outline = read_outline(corpus_dir / "outline.md")
    notice = import_capture_file(capture_path, "fr", outline, corpus_dir)
    assert check_notice(notice, outline) == []
    assert [s.id for s in notice.sections] == [i for i, _ in outline]
    assert notice.meta["last_updated"] == "2023-08-11"
    assert notice.meta["url"].startswith("https://www.amazon.com.be/")
    assert render_notice(notice) == (corpus_dir / "fr.md").read_text(encoding="utf-8")


def test_lists_stay_lists_and_paragraphs_are_rejoined(corpus_dir: Path) -> None:
    notice = load_notice(corpus_dir / "fr.md")
    choices = notice.section("9")
    assert choices is not None
    assert sum(b.startswith("- ") for b in choices.blocks) == 12
    assert all("\n" not in b for s in notice.sections for b in s.blocks)
    # the footnote of section 12 starts with a literal asterisk, not a list item
    footnote = notice.section("12").blocks[-1]  # type: ignore[union-attr]
    assert footnote.startswith("\\* ") and block_text(footnote).startswith("* Nous ne nous appuierons pas")


def wrap_as_capture(markdown_notice_path: Path, related: str, feedback: str) -> str:
    """A urlscan-style capture of a corpus file: hard-wrapped, caps headings, ` * ` lists, furniture."""
    notice = load_notice(markdown_notice_path)
    out = ["www.amazon.com.be Open in urlscan Pro", f"URL: {notice.url}", "", "Text Content", "", "COOKIES", ""]
    out += ["Skip to main content", "", notice.title.upper(), "", notice.meta["last_updated_label"], ""]
    out += [textwrap.fill(p, 80) for p in notice.preamble] + [""]
    out += [" * " + s.title for s in notice.sections if s.level == 1] + ["", ""]
    for section in notice.sections:
        out += [
            "",
            section.title.upper() if section.level == 1 or section.id.startswith("15.") else " * " + section.title,
        ]
        out.append("")
        for block in section.blocks:
            if block.startswith("- "):
                out.append(textwrap.fill(block[2:], 80, initial_indent=" * ", subsequent_indent="   "))
            else:
                out += [textwrap.fill(block_text(block), 80), ""]
        if section.id == "14":
            out += ["", related, "", " * Help pages", " * Your orders", ""]
    out += ["", feedback, "", "Yes No", "", "© 1996-2024, Amazon.com Inc."]
    return "\n".join(out)


@pytest.mark.parametrize(
    ("lang", "related", "feedback"),
    [
        ("nl", "Gerelateerde onderwerpen", "Was deze informatie nuttig?"),
        ("en", "Related topics", "Was this information helpful?"),
    ],
)
def test_import_works_on_captures_in_other_languages(corpus_dir: Path, lang: str, related: str, feedback: str) -> None:
    outline = read_outline(corpus_dir / "outline.md")
    original = load_notice(corpus_dir / f"{lang}.md")
    capture = wrap_as_capture(corpus_dir / f"{lang}.md", related, feedback)
    notice = import_capture(capture, lang, outline)
    assert check_notice(notice, outline) == []
    for imported, expected in zip(notice.sections, original.sections, strict=True):
        assert imported.id == expected.id
        assert plain_words(imported.text) == plain_words(expected.text)
    assert "help pages" not in plain_words(" ".join(s.text for s in notice.sections))


def test_dates_in_three_languages() -> None:
    assert parse_date("Dernière mise à jour le 11 août 2023.") == "2023-08-11"
    assert parse_date("Laatst bijgewerkt op 11 augustus 2023.") == "2023-08-11"
    assert parse_date("Last updated: 11 August 2023.") == "2023-08-11"
    assert parse_date("Last updated: August 11, 2023") == "2023-08-11"


def test_a_page_without_the_notice_is_refused(corpus_dir: Path) -> None:
    outline = read_outline(corpus_dir / "outline.md")
    with pytest.raises(CaptureError, match="title"):
        import_capture("Text Content\n\nSome other help page\n\nNothing here.\n", "fr", outline)
