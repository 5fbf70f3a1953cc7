"""What changed in the French notice, word by word, and which translations that leaves stale until re-marked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.corpus import Section, load_notice, parse_notice, read_outline
from assistant.corpus_diff import WordOp, diff_notices, render_text
from assistant.translations import fingerprint, read_translations, stale_sections

REWORDED_11 = ("Nous conservons vos informations personnelles afin de vous permettre",
               "Nous gardons vos informations personnelles pour vous permettre")  # fmt: skip
END_OF_9 = "qui est faite de vos informations."
ADDED_TO_9 = 'Vous pouvez aussi écrire à <script>alert("x")</script> & nous répondrons.'
NEW_SUBSECTION = {
    "fr": ("Intelligence artificielle", "Nous utilisons vos informations pour améliorer nos modèles."),
    "nl": ("Kunstmatige intelligentie", "Wij gebruiken uw informatie om onze modellen te verbeteren."),
    "en": ("Artificial intelligence", "We use your information to improve our models."),
}
STALE = re.compile(r"^\S+/(\w+)\.md:\d+: section (\S+) \(\1\) is stale", re.MULTILINE)


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def add_subsection(text: str, language: str) -> str:
    """A new subsection 3.10 between 3.9 and section 4."""
    title, body = NEW_SUBSECTION[language]
    heading_4 = next(line for line in text.splitlines() if line.startswith("## 4 "))
    return replace_once(text, heading_4, f"### 3.10 {title}\n\n{body}\n\n{heading_4}")


def newer_french(text: str, subsection: bool = True) -> str:
    """The French corpus file with section 11 reworded, a sentence added to 9 and (optionally) a new 3.10."""
    text = replace_once(text, *REWORDED_11)
    text = replace_once(text, END_OF_9 + "\n", f"{END_OF_9} {ADDED_TO_9}\n")
    return add_subsection(text, "fr") if subsection else text


def newer_capture(capture: str) -> str:
    """The same two edits in a urlscan capture (hard-wrapped: each edited phrase sits on one line)."""
    capture = replace_once(capture, *REWORDED_11)
    return replace_once(capture, END_OF_9 + "\n", f"{END_OF_9} {ADDED_TO_9}\n")


def copy_corpus(tmp_path: Path, corpus_dir: Path, sources: bool = False) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("fr.md", "nl.md", "en.md", "outline.md", "translations.yaml"):
        shutil.copy(corpus_dir / name, corpus / name)
    if sources:
        shutil.copytree(corpus_dir / "sources", corpus / "sources")
    return corpus


def edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def test_the_diff_names_exactly_the_changed_sections_and_words(corpus_dir: Path) -> None:
    old = load_notice(corpus_dir / "fr.md")
    new = parse_notice(newer_french((corpus_dir / "fr.md").read_text(encoding="utf-8")))
    diff = diff_notices(old, new, "fr.md", "newer fr.md")

    assert [(c.section_id, c.kind) for c in diff.changes] == [("3.10", "added"), ("9", "changed"), ("11", "changed")]
    added, choices, retention = diff.changes
    assert added.old is None and added.title == "Intelligence artificielle"
    assert [s.new for s in added.sentences] == ["Intelligence artificielle", NEW_SUBSECTION["fr"][1]]
    # section 9: one sentence added, nothing else touched
    assert [(s.old, s.new) for s in choices.sentences] == [("", ADDED_TO_9)]
    assert choices.sentences[0].words == [WordOp("+", ADDED_TO_9)]
    # section 11: one sentence edited, only the reworded words marked
    [sentence] = retention.sentences
    assert sentence.old.startswith(REWORDED_11[0]) and sentence.new.startswith(REWORDED_11[1])
    assert [w for w in sentence.words if w.op != "="] == [
        WordOp("-", "conservons"), WordOp("+", "gardons"), WordOp("-", "afin de"), WordOp("+", "pour"),
    ]  # fmt: skip

    text = render_text(diff)
    assert "sections 2 changed, 1 added, 0 removed" in text
    assert "Nous [-conservons-]{+gardons+} vos informations personnelles [-afin de-]{+pour+} vous" in text
    assert "{+" + ADDED_TO_9 + "+}" in text
    assert [line[:5] for line in text.splitlines() if re.match(r"[~+-] \d", line)] == ["+ 3.1", "~ 9 Q", "~ 11 "]


def test_an_unchanged_notice_has_no_changes(corpus_dir: Path) -> None:
    notice = load_notice(corpus_dir / "fr.md")
    assert diff_notices(notice, load_notice(corpus_dir / "fr.md")).changes == []


def test_diff_of_a_capture_prints_and_writes_an_escaped_self_contained_page(
    tmp_path: Path, corpus_dir: Path, capture_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capture = tmp_path / "newer.fr.urlscan.txt"
    capture.write_text(newer_capture(capture_path.read_text(encoding="utf-8")), encoding="utf-8")
    page_path = tmp_path / "diff.html"

    assert main(["corpus", "diff", str(corpus_dir / "fr.md"), str(capture), "--html", str(page_path)]) == 0
    out = capsys.readouterr().out
    assert [line.split()[1] for line in out.splitlines() if re.match(r"[~+-] \d", line)] == ["9", "11"]
    assert "[-conservons-]{+gardons+}" in out

    page = page_path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<del>conservons</del>" in page and "<ins>gardons</ins>" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; nous" in page
    assert "<script" not in page
    # nothing fetched: no scripts, links, images, imports or URLs; the CSP forbids any
    for external in ("<link", "<img", "src=", "href=", "url(", "@import", "http:", "https:"):
        assert external not in page, external
    assert "default-src 'none'" in page


def test_import_capture_shows_the_diff_before_writing(
    tmp_path: Path, corpus_dir: Path, capture_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    corpus = copy_corpus(tmp_path, corpus_dir)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    capture = tmp_path / "newer.fr.urlscan.txt"
    capture.write_text(newer_capture(capture_path.read_text(encoding="utf-8")), encoding="utf-8")

    assert main(["corpus", "import-capture", str(capture), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert out.index("[-conservons-]{+gardons+}") < out.index(f"wrote {corpus / 'fr.md'}")
    assert "sections 2 changed, 0 added, 0 removed" in out
    assert REWORDED_11[1] in (corpus / "fr.md").read_text(encoding="utf-8")


def test_the_real_translations_record_every_section_as_current(corpus_dir: Path) -> None:
    ids = [section_id for section_id, _ in read_outline(corpus_dir / "outline.md")]
    records = read_translations(corpus_dir)
    assert sorted(records) == ["en", "nl"]
    assert all(list(records[lang]) == ids for lang in records)
    assert stale_sections(corpus_dir) == []


def test_fingerprints_ignore_layout_but_not_words() -> None:
    base = fingerprint(Section("9", "Choix", ["- Vous pouvez  refuser."]))
    assert len(base) == 12
    assert fingerprint(Section("9", "Choix", ["- Vous pouvez refuser."])) == base
    assert fingerprint(Section("9", "Choix", ["- Vous ne pouvez pas refuser."])) != base
    assert fingerprint(Section("9", "Vos choix", ["- Vous pouvez refuser."])) != base


def test_check_names_stale_translations_until_they_are_marked(
    tmp_path: Path, corpus_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = copy_corpus(tmp_path, corpus_dir)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    assert main(["corpus", "check"]) == 0, capsys.readouterr().err

    # a newer French text, its new subsection in the outline, and translators who added it but marked nothing
    edit(corpus / "fr.md", newer_french)
    edit(corpus / "outline.md", lambda t: replace_once(t, "\n| 4 |", "\n| 3.10 | Intelligence artificielle |\n| 4 |"))
    for lang in ("nl", "en"):
        edit(corpus / f"{lang}.md", lambda t, lang=lang: add_subsection(t, lang))  # type: ignore[misc]

    assert main(["corpus", "check"]) == 1
    err = capsys.readouterr().err
    expected = {(lang, i) for lang in ("nl", "en") for i in ("9", "11", "3.10")}
    assert set(STALE.findall(err)) == expected
    assert {(s.language, s.section_id) for s in stale_sections(corpus)} == expected
    assert "section 11 (nl) is stale: the fr text changed since the translation" in err
    assert "section 3.10 (en) is stale: translations.yaml records no fr text" in err
    assert "cannot be shown" in err  # no earlier French text in this folder: no git history, no sources/

    assert main(["corpus", "mark-translated", "nl", "9", "11", "3.10"]) == 0
    assert main(["corpus", "check"]) == 1
    assert {lang for lang, _ in STALE.findall(capsys.readouterr().err)} == {"en"}

    assert main(["corpus", "mark-translated", "en"]) == 0
    assert main(["corpus", "check"]) == 0
    assert "stale" not in capsys.readouterr().err
    assert list(read_translations(corpus)["nl"]) == list(read_translations(corpus)["en"])  # outline order, 39 ids
    assert len(read_translations(corpus)["en"]) == 39


def test_a_stale_section_shows_the_french_change_recovered_from_sources(tmp_path: Path, corpus_dir: Path) -> None:
    corpus = copy_corpus(tmp_path, corpus_dir, sources=True)  # the capture the translations were made from
    edit(corpus / "fr.md", lambda t: newer_french(t, subsection=False))

    stale = {(s.language, s.section_id): s for s in stale_sections(corpus)}
    assert set(stale) == {(lang, i) for lang in ("nl", "en") for i in ("9", "11")}
    retention = stale[("nl", "11")].message()
    assert retention.startswith(f"{corpus / 'nl.md'}:156: section 11 (nl) is stale")
    assert "~ Nous [-conservons-]{+gardons+} vos informations personnelles [-afin de-]{+pour+} vous" in retention
    assert retention.splitlines()[1].endswith("…")  # a long sentence is cut short around the change
    assert "{+" + ADDED_TO_9 + "+}" in stale[("en", "9")].message()
