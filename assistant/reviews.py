"""Question banks and evaluation cases that know the text they were written against (corpus/reviews.yaml): the
typical questions and cases of a section whose official text changed since, and the out-of-scope questions of a
notice that changed, listed for review; marking them reviewed records the current text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.corpus import CorpusError, Notice, corpus_files, load_sentence_questions, load_topics, read_yaml
from assistant.corpus_diff import normalised_text
from assistant.translations import digest, fingerprint, load_notices

REVIEWS = "reviews.yaml"
KINDS = ("questions", "sentence_questions", "out_of_scope", "cases")
NOTICE = "*"  # the out-of-scope questions' key: they were written against the whole notice, not one section
REVIEWS_HEADER = """\
# The official text each bank was last reviewed against: kind -> language -> section id -> fingerprint of the
# official section (title and text), or for out-of-scope questions "*" -> fingerprint of the whole official notice.
# `corpus check` lists what was written against an earlier text; after reviewing, record it with
# `python -m assistant corpus mark-reviewed [--kind KIND] [--lang LANG] [SECTION ...]`.
"""


@dataclass
class Review:
    """Questions or cases written against a section (or notice) text that has changed since."""

    kind: str  # one of KINDS
    language: str
    key: str  # a section id, or NOTICE for out-of-scope questions
    path: Path  # the bank's file
    count: int  # how many questions or cases
    recorded: str | None  # the fingerprint in reviews.yaml; None when never reviewed

    def message(self) -> str:
        what = {"questions": "typical questions", "sentence_questions": "sentence questions",
                "out_of_scope": "out-of-scope questions", "cases": "cases"}[self.kind]  # fmt: skip
        about = "the notice" if self.key == NOTICE else f"section {self.key}"
        since = "were never reviewed against it" if self.recorded is None else "were written against an earlier text"
        return f"{self.path}: {self.count} {what} ({self.language}) about {about}: {since}; review them"


def reviews_path(corpus_dir: Path) -> Path:
    return corpus_dir / REVIEWS


def read_reviews(corpus_dir: Path) -> dict[str, dict[str, dict[str, str]]]:
    path = reviews_path(corpus_dir)
    if not path.is_file():
        return {}
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(
        isinstance(langs, dict) and all(isinstance(keys, dict) for keys in langs.values()) for langs in data.values()
    ):
        raise CorpusError([f"{path}:1: must map kind -> language -> section id -> fingerprint"])
    return {str(k): {str(lang): {str(s): str(f) for s, f in keys.items()} for lang, keys in langs.items()}
            for k, langs in data.items()}  # fmt: skip


def official_notice(notices: dict[str, Notice]) -> Notice:
    return next((n for n in notices.values() if n.meta.get("status") == "official"), next(iter(notices.values())))


def current_texts(notices: dict[str, Notice]) -> dict[str, str]:
    """Section id -> fingerprint of the official section now; NOTICE -> fingerprint of the whole official notice."""
    official = official_notice(notices)
    texts = {s.id: fingerprint(s) for s in official.sections}
    texts[NOTICE] = digest("\n\n".join(normalised_text(s) for s in official.sections))
    return texts


def banks(corpus_dir: Path, cases_dir: Path | None) -> dict[tuple[str, str], tuple[Path, dict[str, int]]]:
    """(kind, language) -> (file, key -> how many questions or cases)."""
    found: dict[tuple[str, str], tuple[Path, dict[str, int]]] = {}
    for path in corpus_files(corpus_dir):
        kind = path.parent.name
        if kind == "questions":
            found[(kind, path.stem)] = (path, {k: len(v) for k, v in load_topics(path).items()})
        elif kind == "sentence_questions":
            entries = load_sentence_questions(path, None)  # `corpus check` reports ids the outline lacks
            found[(kind, path.stem)] = (path, {k: sum(len(q) for _, q in v) for k, v in entries.items()})
        elif kind == "out_of_scope":
            found[(kind, path.stem)] = (path, {NOTICE: sum(len(v) for v in load_topics(path).values())})
    for path in sorted(cases_dir.glob("*.yaml")) if cases_dir and cases_dir.is_dir() else []:
        cases = [case for case in read_yaml(path) or [] if isinstance(case, dict)]
        ids = [str(section_id) for case in cases for section_id in case.get("expected_sections") or []]
        found[("cases", path.stem)] = (path, dict(Counter(ids)))
    return found


def to_review(corpus_dir: Path, cases_dir: Path | None) -> list[Review]:
    """Every bank whose section (or notice) text changed since it was last reviewed, in bank and outline order."""
    notices = load_notices(corpus_dir)
    current, records = current_texts(notices), read_reviews(corpus_dir)
    order = {key: i for i, key in enumerate(current)}
    reviews = []
    for (kind, language), (path, counts) in banks(corpus_dir, cases_dir).items():
        recorded = records.get(kind, {}).get(language, {})
        for key in sorted(counts, key=lambda k: order.get(k, len(order))):
            if key in current and recorded.get(key) != current[key]:
                reviews.append(Review(kind, language, key, path, counts[key], recorded.get(key)))
    return reviews


def mark_reviewed(corpus_dir: Path, cases_dir: Path | None, kind: str | None = None, language: str | None = None,
                  keys: list[str] | None = None) -> int:  # fmt: skip
    """Record the current official text for these banks (default: every kind, language and section); returns how
    many (bank, section) records were written."""
    current, records = current_texts(load_notices(corpus_dir)), read_reviews(corpus_dir)
    unknown = [k for k in keys or [] if k not in current]
    if unknown:
        raise CorpusError([f"{reviews_path(corpus_dir)}:1: no section {k} in the official notice" for k in unknown])
    marked = 0
    for (bank_kind, bank_language), (_, counts) in banks(corpus_dir, cases_dir).items():
        if (kind and bank_kind != kind) or (language and bank_language != language):
            continue
        chosen = [k for k in counts if k in current and (not keys or k in keys)]
        record = records.setdefault(bank_kind, {}).setdefault(bank_language, {})
        record.update({k: current[k] for k in chosen})
        records[bank_kind][bank_language] = {k: record[k] for k in current if k in record}  # in outline order
        marked += len(chosen)
    ordered = {k: dict(sorted(records[k].items())) for k in KINDS if k in records}
    text = yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=1000)
    reviews_path(corpus_dir).write_text(REVIEWS_HEADER + text, encoding="utf-8")
    return marked
