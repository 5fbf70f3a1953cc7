"""Translations that know their source: the fingerprint of the official section each translated section was
translated from (corpus/translations.yaml), and the translated sections made stale by a change of the source."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.capture import CaptureError, import_capture_file
from assistant.corpus import (
    CorpusError,
    Notice,
    Section,
    corpus_files,
    load_notice,
    parse_notice,
    read_outline,
    read_yaml,
)
from assistant.corpus_diff import SectionChange, diff_sections, normalised_text, short_words

TRANSLATIONS = "translations.yaml"
FINGERPRINT_CHARS = 12
HISTORY_DEPTH = 20  # earlier versions of the source file looked at in git to recover what was translated
TRANSLATIONS_HEADER = """\
# The official text each translated section was translated from: language -> section id -> fingerprint
# (sha256 of the normalised source section, title and text, first 12 hex digits). `corpus check` names the
# sections whose source changed since; after updating a translation, record it with
# `python -m assistant corpus mark-translated LANG [SECTION ...]`.
"""


@dataclass
class Stale:
    """A translated section whose source section changed since it was translated (or was never recorded)."""

    language: str
    section_id: str
    path: Path  # the translation's file
    line: int  # its heading in that file
    source: str  # the language it is translated from
    recorded: str | None  # the fingerprint in translations.yaml; None when there is none
    current: str  # the source section's fingerprint now
    change: SectionChange | None = None  # the source's change since, when its earlier text was found

    def message(self, max_sentences: int = 3) -> str:
        """`file:line: ...`, then the source's word diff, indented, as far as it could be recovered."""
        head = f"{self.path}:{self.line}: section {self.section_id} ({self.language}) is stale"
        if self.recorded is None:
            return f"{head}: {TRANSLATIONS} records no {self.source} text it was translated from"
        head += f": the {self.source} text changed since the translation"
        if self.change is None:
            return f"{head} (its earlier text is not in git or sources/, so the change cannot be shown)"
        shown = self.change.sentences[:max_sentences]
        lines = [head] + [f"    ~ {'title: ' if s.part == 'title' else ''}{short_words(s.words)}" for s in shown]
        if len(self.change.sentences) > max_sentences:
            lines.append(f"    (and {len(self.change.sentences) - max_sentences} more changed sentences)")
        return "\n".join(lines)


def digest(text: str) -> str:
    """The short sha256 the corpus records use for a text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_CHARS]


def fingerprint(section: Section) -> str:
    return digest(normalised_text(section))


def translations_path(corpus_dir: Path) -> Path:
    return corpus_dir / TRANSLATIONS


def read_translations(corpus_dir: Path) -> dict[str, dict[str, str]]:
    """language -> section id -> fingerprint of the source it was translated from; {} when there is no file."""
    path = translations_path(corpus_dir)
    if not path.is_file():
        return {}
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(isinstance(sections, dict) for sections in data.values()):
        raise CorpusError([f"{path}:1: must map each language to a mapping of section id -> fingerprint"])
    return {str(lang): {str(k): str(v) for k, v in sections.items()} for lang, sections in data.items()}


def write_translations(corpus_dir: Path, records: dict[str, dict[str, str]]) -> Path:
    path = translations_path(corpus_dir)
    text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(TRANSLATIONS_HEADER + text, encoding="utf-8")
    return path


def load_notices(corpus_dir: Path) -> dict[str, Notice]:
    """Every language's notice, parsed only (`corpus check` reports their problems)."""
    return {path.stem: load_notice(path) for path in corpus_files(corpus_dir) if path.suffix == ".md"}


def translation_pair(notices: dict[str, Notice], language: str) -> tuple[Notice, Notice]:
    """A translation and the notice it is translated from; CorpusError when language is not a translation."""
    notice = notices.get(language)
    if notice is None:
        raise CorpusError([f"no corpus file for '{language}'"])
    source = notices.get(notice.meta.get("translated_from", ""))
    if notice.meta.get("status") != "translation" or source is None:
        raise CorpusError([f"{notice.path}:2: '{language}' is not a translation of another corpus file"])
    return notice, source


def mark_translated(corpus_dir: Path, language: str, section_ids: list[str] | None = None) -> list[str]:
    """Record that these sections (default: all, replacing the language's record) translate the current source."""
    notice, source = translation_pair(load_notices(corpus_dir), language)
    ids = section_ids or [s.id for s in notice.sections]
    unknown = [i for i in ids if notice.section(i) is None or source.section(i) is None]
    if unknown:
        raise CorpusError([f"{notice.path}:1: no section {i} in both {language} and its source" for i in unknown])
    records = read_translations(corpus_dir)
    marked = dict(records.get(language, {})) if section_ids else {}
    marked.update({i: fingerprint(source.section(i)) for i in ids})  # type: ignore[arg-type]  # checked above
    records[language] = {s.id: marked[s.id] for s in notice.sections if s.id in marked}  # in the file's order
    write_translations(corpus_dir, records)
    return ids


def earlier_versions(source: Notice, corpus_dir: Path) -> Iterator[Notice]:
    """Earlier texts of a source notice: its file in recent git history, then the captures kept in sources/."""
    if source.path is not None:
        git = ["git", "-C", str(source.path.parent)]
        log = run_quietly([*git, "log", f"-n{HISTORY_DEPTH}", "--format=%H", "--", source.path.name])
        for commit in log.split():
            text = run_quietly([*git, "show", f"{commit}:./{source.path.name}"])
            try:
                yield parse_notice(text)
            except CorpusError:
                continue
    outline = read_outline(corpus_dir / "outline.md")
    for capture in sorted((corpus_dir / "sources").glob(f"*.{source.language}.*.txt")):
        try:
            yield import_capture_file(capture, source.language, outline, corpus_dir)
        except CaptureError:
            continue


def run_quietly(command: list[str]) -> str:
    """A read-only command's output; "" when it fails (no git, not a repository)."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def stale_sections(corpus_dir: Path) -> list[Stale]:
    """Every translated section whose source section's fingerprint is not the one recorded in translations.yaml."""
    notices = load_notices(corpus_dir)
    stale = list(_stale(notices, read_translations(corpus_dir), corpus_dir))
    recover_changes(stale, notices, corpus_dir)
    return stale


def _stale(notices: dict[str, Notice], records: dict[str, dict[str, str]],
           corpus_dir: Path = Path()) -> Iterator[Stale]:  # fmt: skip
    """The stale translated sections, without their source's change (see `recover_changes`); `corpus_dir` places
    a notice read from no file."""
    for language, notice in notices.items():
        source = notices.get(notice.meta.get("translated_from", ""))
        if notice.meta.get("status") != "translation" or source is None:
            continue
        for section in notice.sections:
            original = source.section(section.id)
            if original is None:  # an id the outline check already reports
                continue
            current = fingerprint(original)
            recorded = records.get(language, {}).get(section.id)
            if recorded != current:
                path = notice.path or corpus_dir / f"{language}.md"
                yield Stale(language, section.id, path, section.line, source.language, recorded, current)


def recover_changes(stale: list[Stale], notices: dict[str, Notice], corpus_dir: Path) -> None:
    """Fill in each stale section's source change, from the earlier source text whose fingerprint was recorded."""
    earlier: dict[str, dict[str, Section]] = {}  # source language -> fingerprint -> earlier section
    for item in (s for s in stale if s.recorded is not None):
        if item.source not in earlier:
            versions = earlier_versions(notices[item.source], corpus_dir)
            earlier[item.source] = {fingerprint(s): s for version in versions for s in version.sections}
        old = earlier[item.source].get(item.recorded or "")
        if old is not None:
            item.change = diff_sections(old, notices[item.source].section(item.section_id))


def stale_ids(notices: dict[str, Notice], records: dict[str, dict[str, str]]) -> frozenset[tuple[str, str]]:
    """(language, section id) of every translated section whose source changed since it was translated: what
    answering reads (no git, no diff)."""
    return frozenset((item.language, item.section_id) for item in _stale(notices, records))
