"""The corpus files: the section-addressed notice per language, read, written and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.langpack import load_packs
from assistant.text import load_yaml

REQUIRED_KEYS = ("language", "title", "url", "last_updated", "last_updated_label", "status")
HEADING = re.compile(r"^(#{2,3}) (\d+(?:\.\d+)?) (\S.*)$")
OUTLINE_ROW = re.compile(r"^\|\s*(\d+(?:\.\d+)?)\s*\|\s*(.+?)\s*\|\s*$")


class CorpusError(ValueError):
    """A corpus file that cannot be used, with `file:line: what is wrong` messages."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Section:
    """One section or subsection: its id, title and blocks (paragraphs or `- ` list items)."""

    id: str
    title: str
    blocks: list[str] = field(default_factory=list)
    line: int = 0  # where its heading stands in the file, for error messages

    @property
    def level(self) -> int:
        return 1 if "." not in self.id else 2

    @property
    def parent_id(self) -> str:
        return parent_id(self.id)

    @property
    def text(self) -> str:
        """The section's own text, one block a line, list markers removed."""
        return "\n".join(block_text(b) for b in self.blocks)


@dataclass
class Notice:
    """One language's notice: front matter, preamble and sections in outline order."""

    meta: dict[str, str]
    preamble: list[str]
    sections: list[Section]
    path: Path | None = None
    questions: dict[str, list[str]] = field(default_factory=dict)  # section id -> typical customer questions
    out_of_scope: dict[str, list[str]] = field(default_factory=dict)  # topic -> questions the notice does not answer
    # section id -> (one of its sentences, verbatim; the questions that sentence answers), for choosing quotes
    sentence_questions: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.meta["language"]

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def url(self) -> str:
        return self.meta["url"]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def top_level_title(self, section_id: str) -> str:
        top = self.section(parent_id(section_id))
        return top.title if top else ""


def parent_id(section_id: str) -> str:
    """The top-level section a (sub)section belongs to: "3" for "3.9" and for "3"."""
    return section_id.split(".")[0]


def block_text(block: str) -> str:
    """A block's plain text: no list marker, no escape of a leading asterisk."""
    text = block[2:] if block.startswith("- ") else block
    return text[1:] if text.startswith("\\*") else text


def read_outline(path: Path) -> list[tuple[str, str]]:
    """The (id, title) rows of outline.md, in order."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = OUTLINE_ROW.match(line)
        if match:
            rows.append((match.group(1), match.group(2)))
    return rows


def parse_notice(text: str, path: Path | None = None) -> Notice:
    """Parse one corpus file; raise CorpusError naming the file and line of each problem."""
    name = str(path) if path else "<corpus>"
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise CorpusError([f"{name}:1: the file must start with a '---' front matter block"])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise CorpusError([f"{name}:1: the front matter block is not closed by '---'"]) from None
    try:
        meta = load_yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise CorpusError([f"{name}:2: the front matter is not valid YAML ({exc})"]) from None
    if not isinstance(meta, dict):
        raise CorpusError([f"{name}:2: the front matter must be 'key: value' lines"])
    meta = {str(k): str(v) for k, v in meta.items()}

    preamble: list[str] = []
    sections: list[Section] = []
    for number, line in enumerate(lines[end + 1 :], start=end + 2):
        stripped = line.strip()
        if not stripped:
            continue
        heading = HEADING.match(stripped)
        if heading:
            sections.append(Section(heading.group(2), heading.group(3).strip(), line=number))
        elif stripped.startswith("#"):
            raise CorpusError([f"{name}:{number}: a heading must read '## N Title' or '### N.M Title'"])
        elif sections:
            sections[-1].blocks.append(stripped)
        else:
            preamble.append(stripped)
    return Notice(meta=meta, preamble=preamble, sections=sections, path=path)


def render_notice(notice: Notice) -> str:
    """The corpus file text of a notice (the inverse of parse_notice)."""
    meta = yaml.safe_dump(notice.meta, allow_unicode=True, sort_keys=False, width=1000)
    parts = ["---", meta.rstrip("\n"), "---", ""]
    parts += _render_blocks(notice.preamble)
    for section in notice.sections:
        marks = "##" if section.level == 1 else "###"
        parts += [f"{marks} {section.id} {section.title}", ""]
        parts += _render_blocks(section.blocks)
    return "\n".join(parts)


def _render_blocks(blocks: list[str]) -> list[str]:
    """Blocks separated by blank lines, except between the items of one list (diff-friendly)."""
    lines: list[str] = []
    for i, block in enumerate(blocks):
        lines.append(block)
        next_is_item = i + 1 < len(blocks) and blocks[i + 1].startswith("- ")
        if not (block.startswith("- ") and next_is_item):
            lines.append("")
    return lines


def check_notice(notice: Notice, outline: list[tuple[str, str]]) -> list[str]:
    """Every problem of one parsed notice, as `file:line: what is wrong`."""
    name = str(notice.path) if notice.path else "<corpus>"
    problems = [f"{name}:1: front matter lacks '{key}'" for key in REQUIRED_KEYS if not notice.meta.get(key)]
    language = notice.meta.get("language")
    languages = tuple(load_packs())
    if language and language not in languages:
        problems.append(f"{name}:2: language '{language}' has no language pack (one of {', '.join(languages)})")
    status = notice.meta.get("status")
    if status and status not in ("official", "translation"):
        problems.append(f"{name}:2: status must be 'official' or 'translation', not '{status}'")
    if status == "translation" and not notice.meta.get("translated_from"):
        problems.append(f"{name}:2: a translation must say 'translated_from: <language>'")
    if notice.meta.get("last_updated") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", notice.meta["last_updated"]):
        problems.append(f"{name}:2: last_updated must be an ISO date such as 2023-08-11")

    expected = [row_id for row_id, _ in outline]
    found = [s.id for s in notice.sections]
    last_line = notice.sections[-1].line if notice.sections else 1
    for missing in [i for i in expected if i not in found]:
        after = expected.index(missing)
        neighbour = next((s for s in notice.sections if s.id in expected[:after]), None)
        where = neighbour.line if neighbour and after else (notice.sections[0].line if notice.sections else 1)
        problems.append(f"{name}:{where}: section {missing} is missing")
    seen: set[str] = set()
    for section in notice.sections:
        if section.id not in expected:
            problems.append(f"{name}:{section.line}: section id {section.id} is not in outline.md")
        if section.id in seen:
            problems.append(f"{name}:{section.line}: section {section.id} appears twice")
        seen.add(section.id)
        if not section.title.strip():
            problems.append(f"{name}:{section.line}: section {section.id} has no title")
        has_children = any(s.parent_id == section.id and s.level == 2 for s in notice.sections)
        if not section.blocks and not (section.level == 1 and has_children):
            problems.append(f"{name}:{section.line}: section {section.id} is empty")
    in_outline = [i for i in found if i in expected]
    if not problems and in_outline != [i for i in expected if i in in_outline]:
        problems.append(f"{name}:{last_line}: sections are not in the order of outline.md")
    return problems


def load_notice(path: Path, outline: list[tuple[str, str]] | None = None) -> Notice:
    """Read one corpus file; with an outline, also check it and raise CorpusError on problems."""
    notice = parse_notice(path.read_text(encoding="utf-8"), path)
    if outline is not None:
        problems = check_notice(notice, outline)
        if problems:
            raise CorpusError(problems)
    return notice


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The corpus files present: notices, typical questions, out-of-scope questions and labelled messages, in the
    language packs' order."""
    languages = tuple(load_packs())
    notices = [corpus_dir / f"{lang}.md" for lang in languages if (corpus_dir / f"{lang}.md").exists()]
    kinds = ("questions", "sentence_questions", "out_of_scope", "messages")
    extras = [questions_file(corpus_dir, lang, kind) for kind in kinds for lang in languages]
    return notices + [path for path in extras if path.exists()]


def questions_file(corpus_dir: Path, language: str, kind: str = "questions") -> Path:
    """Typical questions per section (kind "questions"), per sentence ("sentence_questions"), per topic the notice
    does not cover ("out_of_scope"), or messages per message type ("messages", which train the guards'
    classifier)."""
    return corpus_dir / kind / f"{language}.yaml"


def read_yaml(path: Path) -> Any:
    """A corpus YAML file's data ({} when empty); CorpusError naming the file when it is not valid YAML."""
    try:
        return load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CorpusError([f"{path}:1: not valid YAML ({exc})"]) from None


def load_topics(path: Path) -> dict[str, list[str]]:
    """A YAML file mapping keys (section ids or topics) to lists of questions; CorpusError if malformed."""
    if not path.exists():
        return {}
    data = read_yaml(path)
    if not isinstance(data, dict) or not all(
        isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items) for items in data.values()
    ):
        raise CorpusError([f"{path}:1: must map each key to a list of non-empty questions"])
    return {str(key): [i.strip() for i in items] for key, items in data.items()}


def load_questions(path: Path, outline: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Typical customer questions per section id; CorpusError when the file or an id is wrong."""
    questions = load_topics(path)
    known = {section_id for section_id, _ in outline}
    problems = [f"{path}:1: section id {key} is not in outline.md" for key in questions if key not in known]
    if problems:
        raise CorpusError(problems)
    return questions


def load_sentence_questions(path: Path, outline: list[tuple[str, str]] | None
                            ) -> dict[str, list[tuple[str, list[str]]]]:  # fmt: skip
    """Per section id: its sentences, each with the questions it answers; CorpusError if malformed or, with an
    outline, naming a section it lacks. Whether each sentence is still in its section is
    `chunks.unmatched_sentences`'s to say: a changed sentence only loses its questions."""
    if not path.exists():
        return {}
    data = read_yaml(path)

    def valid(entry: Any) -> bool:
        questions = entry.get("questions") if isinstance(entry, dict) else None
        return (isinstance(entry, dict) and isinstance(entry.get("sentence"), str) and isinstance(questions, list)
                and all(isinstance(q, str) and q.strip() for q in questions))  # fmt: skip

    if not isinstance(data, dict) or not all(isinstance(v, list) and all(map(valid, v)) for v in data.values()):
        raise CorpusError([f"{path}:1: must map each section id to a list of {{sentence, questions}} entries"])
    known = {section_id for section_id, _ in outline} if outline is not None else {str(key) for key in data}
    problems = [f"{path}:1: section id {key} is not in outline.md" for key in data if str(key) not in known]
    if problems:
        raise CorpusError(problems)
    return {str(key): [(e["sentence"].strip(), [q.strip() for q in e["questions"]]) for e in entries]
            for key, entries in data.items()}  # fmt: skip


def load_corpus(corpus_dir: Path) -> dict[str, Notice]:
    """All languages' notices, checked against outline.md; CorpusError lists every problem."""
    outline = read_outline(corpus_dir / "outline.md")
    notices: dict[str, Notice] = {}
    problems: list[str] = []
    for path in [p for p in corpus_files(corpus_dir) if p.suffix == ".md"]:
        try:
            notice = load_notice(path, outline)
            notice.questions = load_questions(questions_file(corpus_dir, path.stem), outline)
            notice.out_of_scope = load_topics(questions_file(corpus_dir, path.stem, "out_of_scope"))
            notice.sentence_questions = load_sentence_questions(
                questions_file(corpus_dir, path.stem, "sentence_questions"), outline
            )
        except CorpusError as exc:
            problems += exc.problems
            continue
        if notice.language != path.stem:
            problems.append(f"{path}:2: language '{notice.language}' does not match the file name")
        notices[notice.language] = notice
    if not notices and not problems:
        problems.append(f"{corpus_dir}: no corpus file (<language>.md, e.g. fr.md) found")
    if problems:
        raise CorpusError(problems)
    return notices


def load_facts(corpus_dir: Path) -> dict[str, Any]:
    """The notice's own facts (corpus/facts.yaml): its site, contact e-mail and public contact details."""
    path = corpus_dir / "facts.yaml"
    if not path.is_file():
        return {}
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise CorpusError([f"{path}:1: must be a mapping of facts"])
    return data


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:[-'’]\w+)*", text))
