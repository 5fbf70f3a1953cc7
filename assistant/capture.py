"""Importing a urlscan.io text capture of the help page into a corpus Notice, furniture removed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from assistant.corpus import Notice, Section
from assistant.text import plain_words

# Page furniture that sits between or after the notice's sections, in the page's three languages.
# A "topics" marker drops itself and the list that follows it; a "feedback" marker ends the notice.
RELATED_TOPICS = ("thèmes liés", "gerelateerde onderwerpen", "related topics", "verwante onderwerpen")
FEEDBACK = (
    "ces informations ont-elles été utiles",
    "was deze informatie nuttig",
    "is deze informatie nuttig",
    "was this information helpful",
)
MONTHS = {
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "oktober": 10, "december": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7,
    "august": 8, "october": 10,
}  # fmt: skip
MAX_HEADING_WORDS = 15


class CaptureError(ValueError):
    """The capture does not contain a notice shaped like the outline."""


@dataclass
class Unit:
    """A paragraph or bullet item of the capture, its hard-wrapped lines rejoined."""

    kind: str  # "para" or "bullet"
    lines: list[str]
    start: int  # 1-based line number in the capture

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines)

    @property
    def words(self) -> int:
        return len(self.text.split())


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def split_units(lines: list[str], first_line: int = 1) -> list[Unit]:
    """Rejoin wrapped lines: ` * ` opens a bullet, indented lines continue it, others form paragraphs."""
    units: list[Unit] = []
    previous_blank = True
    for number, raw in enumerate(lines, start=first_line):
        line = raw.rstrip()
        if not line.strip():
            previous_blank = True
            continue
        bullet = re.match(r"^ \* (.*)$", line)
        if bullet:
            units.append(Unit("bullet", [bullet.group(1)], number))
        elif units and not previous_blank and units[-1].kind == "bullet" and line.startswith("   "):
            units[-1].lines.append(line)
        elif units and not previous_blank and units[-1].kind == "para":
            units[-1].lines.append(line)
        else:
            units.append(Unit("para", [line], number))
        previous_blank = False
    return units


def restore_case(caps: str, references: list[str], vocabulary: dict[str, str]) -> str:
    """Turn an all-caps heading into normal case, from the page's own spelling of the same words."""
    if not is_caps(caps):
        return caps
    for reference in references:
        if plain_words(reference) == plain_words(caps) and not is_caps(reference):
            return reference.strip()
    words = []
    for position, token in enumerate(caps.split()):
        word = vocabulary.get(plain_words(token), token.lower())
        words.append(word[:1].upper() + word[1:] if position == 0 else word)
    return " ".join(words)


def build_vocabulary(texts: list[str]) -> dict[str, str]:
    """The most common spelling of each word in running text (sentence-initial words skipped)."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        if is_caps(text):
            continue
        for position, token in enumerate(text.split()):
            if position > 0:
                counts[(plain_words(token), token)] += 1
    best: dict[str, tuple[int, str]] = {}
    for (key, token), count in counts.items():
        if key and count > best.get(key, (0, ""))[0]:
            best[key] = (count, token)
    return {key: token for key, (_, token) in best.items()}


def parse_date(text: str) -> str:
    """The ISO date in a 'last updated' line of any of the three languages."""
    match = re.search(r"(\d{1,2})(?:er)?\s+([^\W\d_]+)\s+(\d{4})", text)
    if match and match.group(2).lower() in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3))
        return f"{year:04d}-{month:02d}-{day:02d}"
    match = re.search(r"([^\W\d_]+)\s+(\d{1,2}),?\s+(\d{4})", text)  # English "August 11, 2023"
    if match and match.group(1).lower() in MONTHS:
        return f"{int(match.group(3)):04d}-{MONTHS[match.group(1).lower()]:02d}-{int(match.group(2)):02d}"
    raise CaptureError(f"no date found in the 'last updated' line: {text!r}")


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, plain_words(a), plain_words(b)).ratio()


def find_title(units: list[Unit]) -> int:
    """The notice title: an all-caps line directly followed by a short line with a year in it."""
    for i, unit in enumerate(units[:-1]):
        following = units[i + 1]
        if is_caps(unit.text) and re.search(r"\b(19|20)\d\d\b", following.text) and following.words <= 15:
            return i
    raise CaptureError("no notice title (an all-caps line followed by a 'last updated' date) found")


def find_toc(units: list[Unit], start: int, size: int) -> int:
    """The table of contents: the first run of `size` bullet items after the title."""
    for i in range(start, len(units) - size + 1):
        if all(u.kind == "bullet" for u in units[i : i + size]):
            return i
    raise CaptureError(f"no table of contents of {size} items found after the title")


def find_headings(units: list[Unit], start: int, toc: list[str]) -> list[int]:
    """Each table-of-contents entry's heading: the next all-caps line that resembles it, in order."""
    positions: list[int] = []
    cursor = start
    for entry in toc:
        candidates = [i for i in range(cursor, len(units)) if units[i].kind == "para" and is_caps(units[i].text)]
        match = next((i for i in candidates if similarity(units[i].text, entry) >= 0.6), None)
        if match is None:
            raise CaptureError(f"the heading of table-of-contents entry {entry!r} was not found")
        positions.append(match)
        cursor = match + 1
    return positions


def is_subheading(units: list[Unit], i: int) -> bool:
    """A short titled sub-block opener: a lone short bullet, an all-caps line, or a short bare line."""
    unit = units[i]
    following = units[i + 1] if i + 1 < len(units) else None
    if following is None or following.kind != "para" or unit.words > MAX_HEADING_WORDS:
        return False
    if unit.kind == "bullet":  # a lone item, not the last item of a list
        return i == 0 or units[i - 1].kind != "bullet"
    if is_caps(unit.text):
        return True
    return len(unit.lines) == 1 and not re.search(r"[.:;?!]$", unit.text)


def strip_furniture(units: list[Unit]) -> list[Unit]:
    """Drop the related-topics lists inside the notice and everything from the feedback widget on."""
    kept: list[Unit] = []
    skipping_list = False
    for unit in units:
        key = unit.text.casefold().rstrip(" ?")
        if any(key.startswith(marker) for marker in FEEDBACK):
            break
        if any(key == marker for marker in RELATED_TOPICS):
            skipping_list = True
            continue
        if skipping_list and unit.kind == "bullet":
            continue
        skipping_list = False
        kept.append(unit)
    return kept


def to_block(unit: Unit) -> str:
    if unit.kind == "bullet":
        return f"- {unit.text}"
    # A leading "* " is a footnote mark in the notice, not a list: keep it, escaped.
    return "\\" + unit.text if unit.text.startswith("* ") else unit.text


def import_capture(text: str, language: str, outline: list[tuple[str, str]], source: str = "") -> Notice:
    """Turn a urlscan text capture into a Notice with the outline's section ids."""
    lines = text.splitlines()
    url_line = next((line for line in lines if line.startswith("URL: ")), "")
    body_start = next((i + 1 for i, line in enumerate(lines) if line.strip() == "Text Content"), 0)
    units = split_units(lines[body_start:], first_line=body_start + 1)

    top_ids = [section_id for section_id, _ in outline if "." not in section_id]
    title_at = find_title(units)
    toc_at = find_toc(units, title_at + 2, len(top_ids))
    toc = [u.text for u in units[toc_at : toc_at + len(top_ids)]]
    heading_at = find_headings(units, toc_at + len(top_ids), toc)
    references = [u.text for u in units] + toc
    vocabulary = build_vocabulary(toc + [u.text for u in units[title_at:]])

    sections: list[Section] = []
    bounds = heading_at + [len(units)]
    for number, top_id in enumerate(top_ids):
        heading = units[bounds[number]]
        body = strip_furniture(units[bounds[number] + 1 : bounds[number + 1]])
        sub_ids = [section_id for section_id, _ in outline if section_id.startswith(top_id + ".")]
        sub_at = [i for i in range(len(body)) if is_subheading(body, i)] if sub_ids else []
        if len(sub_at) != len(sub_ids):
            raise CaptureError(
                f"section {top_id} ({heading.text!r}, line {heading.start}): expected {len(sub_ids)} "
                f"subsections, found {len(sub_at)} sub-headings"
            )
        title = restore_case(heading.text, references, vocabulary)
        sections.append(Section(top_id, title, [to_block(u) for u in body[: sub_at[0] if sub_at else len(body)]]))
        for k, sub_id in enumerate(sub_ids):
            end = sub_at[k + 1] if k + 1 < len(sub_at) else len(body)
            sub_title = restore_case(body[sub_at[k]].text, references, vocabulary).rstrip(" .")
            sections.append(Section(sub_id, sub_title, [to_block(u) for u in body[sub_at[k] + 1 : end]]))

    date_line = units[title_at + 1].text
    meta = {
        "language": language,
        "title": restore_case(units[title_at].text, references, vocabulary),
        "url": url_line.removeprefix("URL: ").strip(),
        "last_updated": parse_date(date_line),
        "last_updated_label": date_line,
        "status": "official",
    }
    if source:
        meta["source"] = source
    preamble = [to_block(u) for u in units[title_at + 2 : toc_at]]
    return Notice(meta=meta, preamble=preamble, sections=sections)


def import_capture_file(path: Path, language: str, outline: list[tuple[str, str]], corpus_dir: Path) -> Notice:
    """Import a capture file; the source is recorded relative to the corpus folder when inside it."""
    try:
        source = str(path.resolve().relative_to(corpus_dir.resolve()))
    except ValueError:
        source = str(path)
    return import_capture(path.read_text(encoding="utf-8"), language, outline, source)
