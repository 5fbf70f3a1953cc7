"""What changed between two notices, section by section and word by word, in the terminal and as HTML."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from assistant.capture import import_capture_file
from assistant.corpus import (
    Notice,
    Section,
    block_text,
    load_notice,
    read_outline,
)

SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
PAIRING_SIMILARITY = 0.5  # below this, two sentences at the same place are a removal and an addition, not an edit


@dataclass(frozen=True)
class WordOp:
    """A run of words kept ("="), removed ("-") or added ("+")."""

    op: str
    text: str


@dataclass
class SentenceChange:
    """A sentence (or the title) that differs: old and new text ("" when added or removed), word by word."""

    old: str
    new: str
    words: list[WordOp]
    part: str = "text"  # "title" or "text"


@dataclass
class SectionChange:
    """One section added, removed or changed, with the sentences that differ (title first)."""

    section_id: str
    kind: str  # "added", "removed" or "changed"
    old: Section | None
    new: Section | None
    sentences: list[SentenceChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        section = self.new or self.old
        return section.title if section else ""


@dataclass
class NoticeDiff:
    """The section changes from one notice to another, in section id order."""

    old_name: str
    new_name: str
    changes: list[SectionChange]

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)




# --- comparing ---------------------------------------------------------------------------------------------------


def normalised_text(section: Section) -> str:
    """Title and text, one block a line, spaces collapsed: layout-only edits do not change it."""
    lines = [section.title, *(block_text(b) for b in section.blocks)]
    return "\n".join(" ".join(unicodedata.normalize("NFC", line).split()) for line in lines)


def sentences(section: Section) -> list[str]:
    return [s for block in section.blocks for s in SENTENCE_END.split(block_text(block).strip()) if s]


def word_diff(old: str, new: str) -> list[WordOp]:
    """The words of old and new, as runs kept, removed and added (a replacement: removal, then addition)."""
    old_words, new_words = old.split(), new.split()
    ops: list[WordOp] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(WordOp("=", " ".join(old_words[i1:i2])))
            continue
        if i2 > i1:
            ops.append(WordOp("-", " ".join(old_words[i1:i2])))
        if j2 > j1:
            ops.append(WordOp("+", " ".join(new_words[j1:j2])))
    return ops


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def sentence_changes(old: list[str], new: list[str]) -> list[SentenceChange]:
    """The sentences that differ; in a replaced run, similar sentences pair up as edits, in order."""
    changes: list[SentenceChange] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        next_new = j1
        for sentence in old[i1:i2]:
            match = next((j for j in range(next_new, j2) if similarity(sentence, new[j]) >= PAIRING_SIMILARITY), None)
            if match is None:
                changes.append(SentenceChange(sentence, "", word_diff(sentence, "")))
                continue
            changes += [SentenceChange("", added, word_diff("", added)) for added in new[next_new:match]]
            changes.append(SentenceChange(sentence, new[match], word_diff(sentence, new[match])))
            next_new = match + 1
        changes += [SentenceChange("", added, word_diff("", added)) for added in new[next_new:j2]]
    return changes


def diff_sections(old: Section | None, new: Section | None) -> SectionChange | None:
    """The change from old to new (None: no change); either may be None, for a section added or removed."""
    if old is None and new is None:
        return None
    if old is not None and new is not None and normalised_text(old) == normalised_text(new):
        return None
    section_id = (new or old).id  # type: ignore[union-attr]  # one of them is set
    kind = "added" if old is None else "removed" if new is None else "changed"
    titles: list[SentenceChange] = []
    old_title, new_title = (old.title if old else ""), (new.title if new else "")
    if old_title != new_title:
        titles.append(SentenceChange(old_title, new_title, word_diff(old_title, new_title), part="title"))
    body = sentence_changes(sentences(old) if old else [], sentences(new) if new else [])
    return SectionChange(section_id, kind, old, new, titles + body)


def section_order(section_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in section_id.split("."))


def diff_notices(old: Notice, new: Notice, old_name: str = "old", new_name: str = "new") -> NoticeDiff:
    """Sections added, removed and changed from old to new, matched by section id."""
    ids = sorted({s.id for s in old.sections} | {s.id for s in new.sections}, key=section_order)
    changes = [diff_sections(old.section(i), new.section(i)) for i in ids]
    return NoticeDiff(old_name, new_name, [c for c in changes if c is not None])


def load_for_diff(path: Path, corpus_dir: Path, language: str = "fr") -> Notice:
    """A corpus .md file, or a capture (.txt) imported in memory with the corpus's outline."""
    if path.suffix == ".txt":
        return import_capture_file(path, language, read_outline(corpus_dir / "outline.md"), corpus_dir)
    return load_notice(path)


# --- rendering -----------------------------------------------------------------------------------------------------


def render_words(words: list[WordOp]) -> str:
    """Terminal style: `kept [-removed-]{+added+}`."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    text = ""
    for position, word in enumerate(words):
        replacing = position > 0 and words[position - 1].op == "-" and word.op == "+"  # `[-old-]{+new+}`, no space
        text += ("" if position == 0 or replacing else " ") + marks[word.op].format(word.text)
    return text


def short_words(words: list[WordOp], context: int = 4) -> str:
    """render_words with long kept runs cut to `context` words either side of a change."""
    parts: list[WordOp] = []
    for position, word in enumerate(words):
        kept = word.text.split()
        if word.op != "=" or len(kept) <= 2 * context:
            parts.append(word)
        elif position == 0:
            parts.append(WordOp("=", "… " + " ".join(kept[-context:])))
        elif position == len(words) - 1:
            parts.append(WordOp("=", " ".join(kept[:context]) + " …"))
        else:
            parts.append(WordOp("=", " ".join(kept[:context] + ["…"] + kept[-context:])))
    return render_words(parts)


def summary(diff: NoticeDiff) -> str:
    counts = ", ".join(f"{diff.count(kind)} {kind}" for kind in ("changed", "added", "removed"))
    return f"{diff.old_name} -> {diff.new_name}: sections {counts}"


def render_text(diff: NoticeDiff) -> str:
    """The diff for a terminal: one line per section, then its differing sentences with the words marked."""
    lines = [summary(diff)]
    for change in diff.changes:
        mark = {"changed": "~", "added": "+", "removed": "-"}[change.kind]
        lines.append(f"{mark} {change.section_id} {change.title}")
        for sentence in change.sentences:
            prefix = "title: " if sentence.part == "title" else ""
            lines.append(f"    {prefix}{render_words(sentence.words)}")
    return "\n".join(lines)


def html_words(words: list[WordOp], side: str) -> str:
    """One side of a sentence pair, escaped: "old" shows removals as <del>, "new" additions as <ins>."""
    shown = {"old": ("=", "-"), "new": ("=", "+")}[side]
    tags = {"-": "del", "+": "ins"}
    parts = []
    for word in (w for w in words if w.op in shown):
        text = html.escape(word.text)
        parts.append(text if word.op == "=" else f"<{tags[word.op]}>{text}</{tags[word.op]}>")
    return " ".join(parts)


STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
h2 { font-size: 1.1rem; margin-top: 2rem; } h2 .kind { font-weight: normal; color: #666; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 1px solid #ddd; padding: .4rem .6rem; vertical-align: top; text-align: left; }
th { background: #f4f4f4; } td.part { width: 4rem; color: #666; }
del { background: #fdd; color: #900; } ins { background: #dfd; color: #060; text-decoration: none; }
"""


def render_html(diff: NoticeDiff) -> str:
    """A self-contained page: inline CSS, every text escaped, nothing fetched (its CSP forbids it)."""
    escape = html.escape
    body = [f"<h1>What changed</h1><p>{escape(summary(diff))}</p>"]
    for change in diff.changes:
        body.append(
            f'<section class="{change.kind}"><h2>{escape(change.section_id)} {escape(change.title)} '
            f'<span class="kind">({change.kind})</span></h2>'
        )
        body.append("<table><thead><tr><th class='part'></th><th>Before</th><th>After</th></tr></thead><tbody>")
        for sentence in change.sentences:
            body.append(
                f"<tr><td class='part'>{escape(sentence.part)}</td><td>{html_words(sentence.words, 'old')}</td>"
                f"<td>{html_words(sentence.words, 'new')}</td></tr>"
            )
        body.append("</tbody></table></section>")
    if not diff.changes:
        body.append("<p>No section changed.</p>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html><head><meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            f"<title>{escape(summary(diff))}</title><style>{STYLE}</style></head><body>",
            *body,
            "</body></html>",
            "",
        ]
    )
