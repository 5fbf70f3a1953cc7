"""Evaluation cases: the YAML files content writers edit, loaded and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"


class CaseError(ValueError):
    """A case file that cannot be used; the message names the file and the case."""


@dataclass(frozen=True)
class Case:
    """One question with what a correct answer looks like."""

    id: str
    language: str
    question: str
    answerable: bool
    expected_sections: tuple[str, ...] = ()
    key_facts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    history: tuple[str, ...] = field(default=())

    @property
    def expected_top(self) -> set[str]:
        return {s.split(".")[0] for s in self.expected_sections}


def load_case_file(path: Path) -> list[Case]:
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CaseError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(items, list):
        raise CaseError(f"{path}: the file must be a list of cases")
    cases = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "id" not in item or "question" not in item or "answerable" not in item:
            raise CaseError(f"{path}: case #{number} needs at least 'id', 'question' and 'answerable'")
        answerable = bool(item["answerable"])
        expected = tuple(str(s) for s in item.get("expected_sections") or [])
        if answerable and not expected:
            raise CaseError(f"{path}: case {item['id']} is answerable but lists no expected_sections")
        cases.append(
            Case(
                id=str(item["id"]),
                language=path.stem,
                question=str(item["question"]),
                answerable=answerable,
                expected_sections=expected,
                key_facts=tuple(str(f) for f in item.get("key_facts") or []),
                tags=tuple(str(t) for t in item.get("tags") or []),
                history=tuple(str(h) for h in item.get("history") or []),
            )
        )
    return cases


def load_cases(paths: list[Path] | None = None, language: str | None = None, tag: str | None = None) -> list[Case]:
    """Cases from the given files (default: every file in evals/cases), filtered by language and tag."""
    files = paths or sorted(CASES_DIR.glob("*.yaml"))
    cases = [case for path in files for case in load_case_file(path)]
    seen: set[str] = set()
    for case in cases:
        if case.id in seen:
            raise CaseError(f"case id {case.id} is used twice")
        seen.add(case.id)
    if language:
        cases = [c for c in cases if c.language == language]
    if tag:
        cases = [c for c in cases if tag in c.tags]
    return cases
