"""Sections to retrieval units: section-bounded chunks and the sentences answers are quoted from."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.corpus import Notice, Section, block_text
from assistant.langpack import load_packs

OUT_OF_SCOPE = "-"  # the section id of questions the notice does not answer
# A list item is one point, quoted whole: its label and details together. One that runs to a paragraph is
# still chosen whole (whole items convey more key facts than their sentences chosen alone: 69% against 64%
# in Dutch) but quoted by its best sentences, its "parts", or one answer from it would fill the screen.
MAX_WHOLE_ITEM_CHARS = 450
QUESTION_KINDS = ("question", "out_of_scope", "asked")  # customers' words: embedded as queries


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit: a chunk or a single sentence of one section in one language."""

    chunk_id: str
    # "chunk", "sentence": notice text, quoted; "part": a sentence of a long list item, quoted in its place;
    # "question": a typical question about the section, never quoted;
    # "asked": a question that one quotable unit answers (its chunk id is the unit's, plus ":a<n>"), never quoted;
    # "out_of_scope": a question the notice does not answer (section_id OUT_OF_SCOPE, title its topic)
    kind: str
    section_id: str
    title: str  # the section's title, prefixed by its parent's for a subsection
    language: str
    text: str  # verbatim corpus text

    @property
    def embed_text(self) -> str:
        if self.kind in QUESTION_KINDS:
            return self.text  # compared question to question, so embedded as a query
        # The title is embedded with the text: it names the topic that the text often leaves implicit.
        return f"{self.title}\n{self.text}"


@lru_cache(maxsize=8)
def _punkt(language: str) -> Any:
    """NLTK punkt's sentence model of the language (its pack's `punkt`, bundled with llama-index), taught the
    abbreviations every pack lists (notices quote each other's: "e.g.", "bv.", "cf.")."""
    import nltk  # here: serving reads built units and never splits sentences

    bundled = Path(str(__import__("llama_index.core", fromlist=["x"]).__file__)).parent / "_static" / "nltk_cache"
    if str(bundled) not in nltk.data.path:
        nltk.data.path.append(str(bundled))
    packs = load_packs()
    pack = packs.get(language)
    tokenizer = nltk.tokenize.PunktTokenizer(str(pack.get("punkt", "english")) if pack else "english")
    tokenizer._params.abbrev_types.update(a for p in packs.values() for a in p.get("abbreviations", []))
    return tokenizer


def split_sentences(text: str, language: str) -> list[str]:
    """Sentences of a block of text, verbatim (each is an exact substring of the text)."""
    spans = _punkt(language).span_tokenize(text)
    return [text[start:end] for start, end in spans if re.search(r"\w", text[start:end])]


def split_keeping_spaces(text: str, language: str) -> list[str]:
    """Sentences with their trailing whitespace, so that joining them gives the text back exactly."""
    starts = [start for start, _ in _punkt(language).span_tokenize(text)]
    if not starts:
        return [text] if text else []
    starts[0] = 0
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def section_sentences(section: Section, language: str) -> list[str]:
    """A section's quotable units: each sentence of its paragraphs, each list item whole."""
    units: list[str] = []
    for block in section.blocks:
        text = block_text(block)
        units += [text] if block.startswith("- ") else split_sentences(text, language)
    return units


def long_item_parts(section: Section, language: str) -> dict[int, list[str]]:
    """The sentences of each long list item, by the item's place among `section_sentences`."""
    parts: dict[int, list[str]] = {}
    place = 0
    for block in section.blocks:
        text = block_text(block)
        if not block.startswith("- "):
            place += len(split_sentences(text, language))
            continue
        if len(text) > MAX_WHOLE_ITEM_CHARS and len(sentences := split_sentences(text, language)) > 1:
            parts[place] = sentences
        place += 1
    return parts


def item_of(chunk_id: str) -> str:
    """The id of the list item a "part" unit belongs to ("fr:9:s3.1" is a sentence of item "fr:9:s3")."""
    return chunk_id.rsplit(".", 1)[0]


def unit_of(chunk_id: str) -> str:
    """The id of the quotable unit an "asked" question was written for ("fr:6:s0:a2" was written for "fr:6:s0")."""
    return chunk_id.rsplit(":", 1)[0]


def reading_position(chunk_id: str) -> int | None:
    """A quotable unit's place in its section ("fr:9:s3" is its fourth unit), None for other kinds."""
    last = chunk_id.rsplit(":", 1)[-1]
    return int(last[1:]) if last.startswith("s") and last[1:].isdigit() else None


def full_title(notice: Notice, section: Section) -> str:
    if section.level == 1:
        return section.title
    return f"{notice.top_level_title(section.id)} — {section.title}"


def chunk_notice(notice: Notice, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Chunks (never crossing a section) and sentences of every section of one notice."""
    from llama_index.core import Document
    from llama_index.core.node_parser import SentenceSplitter

    language = notice.language
    splitter = SentenceSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        chunking_tokenizer_fn=lambda text: split_keeping_spaces(text, language),
    )
    chunks: list[Chunk] = []
    for section in notice.sections:
        title = full_title(notice, section)
        if section.blocks:
            document = Document(text="\n".join(block_text(b) for b in section.blocks))
            for n, node in enumerate(splitter.get_nodes_from_documents([document])):
                chunks.append(
                    Chunk(f"{language}:{section.id}:c{n}", "chunk", section.id, title, language, node.get_content())
                )
        else:  # a section made only of subsections still gets a unit, so its title can be found
            chunks.append(Chunk(f"{language}:{section.id}:c0", "chunk", section.id, title, language, section.title))
        for n, sentence in enumerate(section_sentences(section, language)):
            chunks.append(Chunk(f"{language}:{section.id}:s{n}", "sentence", section.id, title, language, sentence))
        # After all the sentences, so that neighbouring sentences keep neighbouring positions.
        for n, sentences in long_item_parts(section, language).items():
            for m, part in enumerate(sentences):
                chunks.append(Chunk(f"{language}:{section.id}:s{n}.{m}", "part", section.id, title, language, part))
        for n, question in enumerate(notice.questions.get(section.id, [])):
            chunks.append(Chunk(f"{language}:{section.id}:q{n}", "question", section.id, title, language, question))
        quotable = {c.text: c.chunk_id for c in chunks if c.section_id == section.id and c.kind in ("sentence", "part")}
        for sentence, questions in notice.sentence_questions.get(section.id, []):
            if sentence in quotable:  # a sentence since changed keeps no questions (`corpus check` lists it)
                chunks += [Chunk(f"{quotable[sentence]}:a{n}", "asked", section.id, title, language, question)
                           for n, question in enumerate(questions)]  # fmt: skip
    for topic, questions in notice.out_of_scope.items():
        for n, question in enumerate(questions):
            chunks.append(Chunk(f"{language}:-:{topic}:{n}", "out_of_scope", OUT_OF_SCOPE, topic, language, question))
    return chunks


def unmatched_sentences(notice: Notice, entries: dict[str, list[tuple[str, list[str]]]]) -> list[tuple[str, str]]:
    """(section id, sentence) of the sentence questions `entries` (as in Notice.sentence_questions) whose sentence
    is no longer one of its section's quotable units, word for word: the notice changed since they were written."""
    section_ids = {s.id for s in notice.sections}
    quotable: set[tuple[str, str]] = set()
    for section in notice.sections:
        if entries.get(section.id):
            quotable.update((section.id, s) for s in section_sentences(section, notice.language))
            quotable.update((section.id, p) for parts in long_item_parts(section, notice.language).values()
                            for p in parts)  # fmt: skip
    return [
        (section_id, sentence)
        for section_id, written in entries.items()
        for sentence, _ in written
        if section_id in section_ids and (section_id, sentence) not in quotable
    ]


def section_order(chunks: list[Chunk]) -> list[str]:
    """The notice's section ids, in their order (without OUT_OF_SCOPE)."""
    return list(dict.fromkeys(c.section_id for c in chunks if c.section_id != OUT_OF_SCOPE))


def unit_groups(chunks: list[Chunk]) -> dict[tuple[str, str, str], list[int]]:
    """(language, section id, kind) -> unit positions."""
    units: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for position, chunk in enumerate(chunks):
        units[(chunk.language, chunk.section_id, chunk.kind)].append(position)
    return units
