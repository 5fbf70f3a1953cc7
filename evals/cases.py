"""Evaluation cases: the YAML files content writers edit, loaded and validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.corpus import parent_id

CASES_DIR = Path(__file__).resolve().parent / "cases"


class CaseError(ValueError):
    """A case file that cannot be used; the message names the file and the case."""


EXPECTATIONS = ("answer", "decline", "partial")
ANSWERS_DIR = Path(__file__).resolve().parent / "answers"


@dataclass(frozen=True)
class Case:
    """One message with what a correct reply looks like: an answer from these sections (quoting one of these
    sentences), a decline, or a partial answer (the notice covers the topic but not the precise fact asked)."""

    id: str
    language: str
    question: str
    answerable: bool
    expected_sections: tuple[str, ...] = ()
    key_facts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    history: tuple[str, ...] = field(default=())
    expect: str = ""  # answer, decline or partial ("" : answer when answerable, else decline)
    kind: str = ""  # for the realistic sets: conversation, own-details, situation, injection, lookalike, ...
    relation: str = ""  # for conversation turns: start, continue (elliptical follow-up) or change (a new topic)
    answer_sentences: tuple[str, ...] = ()  # verbatim sentences of the notice that answer it

    @property
    def expected(self) -> str:
        return self.expect or ("answer" if self.answerable else "decline")

    @property
    def expected_top(self) -> set[str]:
        return {parent_id(s) for s in self.expected_sections}


def load_case_file(path: Path) -> list[Case]:
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise CaseError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(items, list):
        raise CaseError(f"{path}: the file must be a list of cases")
    if items and isinstance(items[0], dict) and "turns" in items[0]:
        return conversation_cases(path, items)
    answers = answer_sentences(path.stem)
    cases = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "id" not in item or "question" not in item or "answerable" not in item:
            raise CaseError(f"{path}: case #{number} needs at least 'id', 'question' and 'answerable'")
        answerable = bool(item["answerable"])
        expected = tuple(str(s) for s in item.get("expected_sections") or [])
        expect = str(item.get("expect", ""))
        if expect and (expect not in EXPECTATIONS or (expect == "answer") != answerable):
            raise CaseError(
                f"{path}: case {item['id']}: expect must be one of {EXPECTATIONS}, 'answer' exactly when answerable"
            )
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
                expect=expect,
                answer_sentences=tuple(answers.get(str(item["id"]), ())),
            )
        )
    return cases


def answer_sentences(language: str) -> dict[str, list[str]]:
    """The labelled answering sentences of the cases of one language (evals/answers/<lang>.yaml), by case id."""
    path = ANSWERS_DIR / f"{language}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): [str(s) for s in v] for k, v in data.items()} if isinstance(data, dict) else {}


def conversation_cases(path: Path, items: list[object]) -> list[Case]:
    """The realistic sets' items (evals/realistic/FORMAT.md): each customer turn a case, with the earlier turns
    of its conversation as history."""
    cases = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("turns"), list) or "id" not in item:
            raise CaseError(f"{path}: item #{number} needs an 'id' and a list of 'turns'")
        earlier: list[str] = []
        for position, turn in enumerate(item["turns"], start=1):
            if not isinstance(turn, dict) or not isinstance(turn.get("message"), str):
                raise CaseError(f"{path}: {item['id']} turn {position} needs a 'message'")
            expect = str(turn.get("expect", ""))
            if expect not in EXPECTATIONS:
                raise CaseError(f"{path}: {item['id']} turn {position}: expect must be one of {EXPECTATIONS}")
            cases.append(Case(
                id=f"{item['id']}" + (f".{position}" if len(item["turns"]) > 1 else ""),
                language=path.stem,
                question=turn["message"],
                answerable=expect == "answer",
                expected_sections=tuple(str(s) for s in turn.get("sections") or []),
                history=tuple(earlier),
                expect=expect,
                kind=str(item.get("kind", "")),
                relation=str(turn.get("relation", "")) if len(item["turns"]) > 1 else "",
                answer_sentences=tuple(str(s) for s in turn.get("answer_sentences") or []),
            ))  # fmt: skip
            earlier.append(turn["message"])
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
