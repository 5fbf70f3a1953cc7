"""The FAISS index: section-bounded chunks, manifest, atomic builds, stale and corrupt indexes rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.chunks import (
    MAX_WHOLE_ITEM_CHARS,
    chunk_notice,
    long_item_parts,
    section_sentences,
    unmatched_sentences,
)
from assistant.corpus import block_text, load_corpus
from assistant.index import CURRENT, build_index, current_build, load_or_build
from assistant.settings import Settings


@pytest.fixture
def embed(assistant):  # type: ignore[no-untyped-def]
    return assistant.embed


def weights(assistant) -> str:  # type: ignore[no-untyped-def]
    return assistant.manifest["weights"]


def test_chunks_never_cross_a_section_and_carry_its_title(corpus_dir: Path) -> None:
    notice = load_corpus(corpus_dir)["en"]
    units = chunk_notice(notice, chunk_size=60, chunk_overlap=10)
    assert {u.kind for u in units} == {"chunk", "sentence", "part", "question", "out_of_scope", "asked"}
    for chunk in [u for u in units if u.kind != "out_of_scope"]:
        section = notice.section(chunk.section_id)
        assert section is not None and chunk.language == "en"
        if chunk.kind in ("chunk", "sentence", "part"):
            assert " ".join(chunk.text.split()) in " ".join((section.text or section.title).split())
            assert chunk.embed_text.startswith(chunk.title) and section.title in chunk.title


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_sentence_question_becomes_a_unit_of_its_own_sentence(corpus_dir: Path, language: str) -> None:
    notice = load_corpus(corpus_dir)[language]
    assert notice.sentence_questions and unmatched_sentences(notice, notice.sentence_questions) == []
    units = chunk_notice(notice, chunk_size=60, chunk_overlap=10)
    by_id = {u.chunk_id: u for u in units}
    asked = [u for u in units if u.kind == "asked"]
    assert len(asked) == sum(len(q) for entries in notice.sentence_questions.values() for _, q in entries)
    written = {(s, sentence): questions for s, entries in notice.sentence_questions.items()
               for sentence, questions in entries}  # fmt: skip
    for unit in asked:
        target = by_id[unit.chunk_id.rsplit(":", 1)[0]]  # the quotable unit it was written for
        assert target.kind in ("sentence", "part") and target.section_id == unit.section_id
        assert unit.text in written[(unit.section_id, target.text)]
        assert unit.embed_text == unit.text  # customers' words: embedded as a query, without the title
    # Every quotable unit of the notice has its questions.
    quotable = {u.chunk_id for u in units if u.kind in ("sentence", "part")}
    assert quotable == {u.chunk_id.rsplit(":", 1)[0] for u in asked}


def test_a_changed_sentence_only_loses_its_own_questions(corpus_dir: Path) -> None:
    notice = load_corpus(corpus_dir)["en"]
    section_id, entries = next((s, e) for s, e in notice.sentence_questions.items() if len(e) > 1)
    changed, kept = entries[0][0], entries[1][0]
    notice.sentence_questions[section_id] = [(changed + " (edited)", entries[0][1]), *entries[1:]]
    assert unmatched_sentences(notice, notice.sentence_questions) == [(section_id, changed + " (edited)")]
    asked = [u for u in chunk_notice(notice, 60, 10) if u.kind == "asked" and u.section_id == section_id]
    assert sum(len(q) for _, q in entries[1:]) == len(asked)
    assert any(u.text in entries[1][1] for u in asked) and kept


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_only_long_list_items_are_split_into_parts_each_verbatim(corpus_dir: Path, language: str) -> None:
    notice = load_corpus(corpus_dir)[language]
    split = 0
    for section in notice.sections:
        units = section_sentences(section, language)
        items = {block_text(b) for b in section.blocks if b.startswith("- ")}
        for place, parts in long_item_parts(section, language).items():
            item = units[place]  # the whole item is still a unit: it is what retrieval and selection see
            assert item in items and len(item) > MAX_WHOLE_ITEM_CHARS and len(parts) > 1
            assert all(part in item for part in parts)
            split += 1
        short = [u for u in units if u in items and len(u) <= MAX_WHOLE_ITEM_CHARS]
        assert not any(units.index(u) in long_item_parts(section, language) for u in short)
    assert split >= 2  # section 9 has two: browser cookies, and device permissions


def test_build_writes_a_manifest_and_serves_it(small: Settings, embed, assistant) -> None:  # type: ignore[no-untyped-def]
    path = build_index(small, embed, weights(assistant))
    manifest = json.loads((path / "manifest.json").read_text())
    assert set(manifest["corpus"]) == {"fr.md", "outline.md"}
    assert manifest["model"] == small.encoder and manifest["weights"] == weights(assistant)
    assert manifest["chunking"] == {"chunk_size": small.chunk_size, "chunk_overlap": small.chunk_overlap}
    assert manifest["counts"]["fr"]["sections"] == 38 and manifest["vectors"] > 200
    assert {"built_at", "build_seconds", "files"} <= set(manifest)
    loaded = load_or_build(small, embed, weights(assistant))
    assert loaded.manifest["build_id"] == manifest["build_id"]  # served, not rebuilt
    assert loaded.faiss_index.ntotal == manifest["vectors"] == len(loaded.chunks)


def test_a_stale_index_is_rebuilt_with_a_message(small: Settings, embed, assistant, capsys) -> None:  # type: ignore[no-untyped-def]
    first = build_index(small, embed, weights(assistant)).name
    notice = small.corpus_dir / "fr.md"
    notice.write_text(notice.read_text().replace("Amazon Europe ne vend pas", "Amazon Europe ne vend jamais"))
    loaded = load_or_build(small, embed, weights(assistant))
    assert "stale" in capsys.readouterr().err
    assert loaded.manifest["build_id"] != first
    assert any("ne vend jamais" in c.text for c in loaded.chunks)


def test_a_corrupt_index_is_rebuilt_with_a_message(small: Settings, embed, assistant, capsys) -> None:  # type: ignore[no-untyped-def]
    path = build_index(small, embed, weights(assistant))
    faiss_file = next(p for p in path.iterdir() if p.suffix == ".json" and "vector_store" in p.name)
    faiss_file.write_bytes(b"\x00garbage")
    loaded = load_or_build(small, embed, weights(assistant))
    assert "corrupt" in capsys.readouterr().err
    assert loaded.manifest["build_id"] != path.name and len(loaded.chunks) > 200


def test_a_crash_mid_build_leaves_the_previous_index_in_service(small: Settings, embed, assistant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    good = build_index(small, embed, weights(assistant)).name
    calls = {"n": 0}
    original = type(embed).encode_for_index

    def failing(self, texts, prompt):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 2:
            raise RuntimeError("power cut")
        return original(self, texts, prompt)

    notice = small.corpus_dir / "fr.md"
    notice.write_text(notice.read_text() + "\n")  # makes the served index stale, so a rebuild is due
    monkeypatch.setattr(type(embed), "encode_for_index", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        build_index(small, embed, weights(assistant))
    assert (small.index_dir / CURRENT).read_text() == good
    assert current_build(small) == small.index_dir / "builds" / good
    monkeypatch.undo()
    loaded = load_or_build(small, embed, weights(assistant))  # stale now, so rebuilt; the old one served till then
    assert loaded.manifest["build_id"] != good


def test_two_processes_building_at_once_both_end_with_a_served_index(small: Settings) -> None:
    """An app rebuilding after an edit while `evals run` (or a second replica) builds the same folder: one waits
    for the other's build instead of pruning its half-written folder."""
    import os
    import subprocess
    import sys

    from assistant.settings import PROJECT_ROOT

    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(small.corpus_dir), "ASSISTANT_INDEX_DIR": str(small.index_dir)}
    command = [sys.executable, "-m", "assistant", "index", "ensure"]
    builders = [subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True) for _ in range(2)]  # fmt: skip
    outputs = [b.communicate(timeout=600)[0] for b in builders]
    assert [b.returncode for b in builders] == [0, 0], outputs
    served = current_build(small)
    assert served is not None and (served / "manifest.json").is_file()
    assert not list((small.index_dir / "builds").glob(".*.partial"))
    assert sum("Building the index" in out for out in outputs) == 1  # the second found the first's build
