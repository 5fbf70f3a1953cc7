"""The vector index: units embedded into a llama-index FAISS store, persisted atomically with a manifest."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from assistant.chunks import QUESTION_KINDS, Chunk, chunk_notice
from assistant.classifier import FILE as CLASSIFIER_FILE
from assistant.classifier import (
    SENTENCES_FILE,
    SectionClassifier,
    classifier_rows,
    load_sentence_classifiers,
    save_sentence_classifiers,
    train_classifier,
    train_sentence_classifiers,
)
from assistant.corpus import corpus_files, load_corpus
from assistant.embedding import Embedder
from assistant.guards.message_type import FILE as MESSAGE_TYPES_FILE
from assistant.guards.message_type import MessageModels, train_from_corpus
from assistant.guards.signals import Signals
from assistant.langpack import load_packs, packs_dir
from assistant.lexical import FILE as LEXICAL_FILE
from assistant.lexical import NgramModel, fit_lexical, load_models, save_models
from assistant.llama_local import use_local_models
from assistant.settings import Settings
from assistant.text import sha256_file

log = logging.getLogger(__name__)
FORMAT_VERSION = 9  # raise when chunking or the stored units change: older builds are then rebuilt
CURRENT = "CURRENT"  # names the build being served; replaced atomically when a build completes
BUILD_LOCK = ".build.lock"  # held while a build runs (see `build_lock`)
UNITS = "units.json"  # the units in FAISS order, as served
VECTORS = "default__vector_store.json"  # the FAISS index as llama-index's FaissVectorStore persists it


class IndexError_(RuntimeError):
    """The index cannot be built or loaded; the message says why and what to do."""


@dataclass
class LoadedIndex:
    """A served index: the FAISS index and its units (chunks[i] is the vector at FAISS position i)."""

    faiss_index: Any
    chunks: list[Chunk]
    manifest: dict[str, Any]
    path: Path
    classifier: SectionClassifier | None = None  # None for a corpus without typical questions
    lexical: dict[str, NgramModel] = field(default_factory=dict)  # character n-gram models, by name (lexical.py)
    message_types: MessageModels | None = None  # the guards' classifiers (None without labelled messages)
    # Per section id, which of its quotable units a question is about ({} without questions per sentence).
    sentence_classifiers: dict[str, SectionClassifier] = field(default_factory=dict)


def corpus_fingerprint(corpus_dir: Path) -> dict[str, str]:
    files = [*corpus_files(corpus_dir), corpus_dir / "outline.md"]
    return {str(path.relative_to(corpus_dir)): sha256_file(path) for path in files}


def expected_manifest(settings: Settings, weights: str) -> dict[str, Any]:
    """What a build from the current corpus and settings must record to be served."""
    return {
        "format_version": FORMAT_VERSION,
        "corpus": corpus_fingerprint(settings.corpus_dir),
        "language_packs": {path.name: sha256_file(path) for path in sorted(packs_dir().glob("*.yaml"))},
        "model": settings.encoder,
        "encoder_runtime": settings.encoder_runtime,
        "weights": weights,
        "chunking": {"chunk_size": settings.chunk_size, "chunk_overlap": settings.chunk_overlap},
    }


def embed_units(chunks: list[Chunk], embedder: Embedder, batch: int = 32) -> np.ndarray:
    """One normalised vector per unit: notice text as passages, typical questions as queries."""
    from tqdm import tqdm

    rows: dict[int, np.ndarray] = {}
    groups = [
        ([i for i, c in enumerate(chunks) if c.kind in ("chunk", "sentence", "part")], "passage"),
        ([i for i, c in enumerate(chunks) if c.kind in QUESTION_KINDS], "query"),
    ]
    with tqdm(total=len(chunks), desc="Embedding the notice", unit="unit", file=sys.stderr) as bar:
        for positions, prompt in groups:
            positions.sort(key=lambda i: len(chunks[i].embed_text))  # batches of like lengths: little padding
            for start in range(0, len(positions), batch):
                part = positions[start : start + batch]
                vectors = embedder.encode_for_index([chunks[i].embed_text for i in part], prompt)
                rows.update(zip(part, vectors, strict=True))
                bar.update(len(part))
    return np.vstack([rows[i] for i in range(len(chunks))]).astype(np.float32)


def embed_texts(texts: list[str], embedder: Embedder, batch: int = 32) -> np.ndarray:
    """Query vectors of texts that are no units (the guards' training messages), with the build's model."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batches of like lengths: little padding
    vectors = np.zeros((len(texts), 0), dtype=np.float32)
    rows: dict[int, np.ndarray] = {}
    for start in range(0, len(order), batch):
        part = order[start : start + batch]
        rows.update(zip(part, embedder.encode_for_index([texts[i] for i in part], "query"), strict=True))
    return np.vstack([rows[i] for i in range(len(texts))]) if texts else vectors


@contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """One build at a time per index folder, across processes (an app rebuilding and `evals run` at once): the
    second waits for the first, so that neither prunes the other's folder half-written."""
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with (settings.index_dir / BUILD_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(settings: Settings, embedder: Embedder, weights: str) -> Path:
    """Build a new index from the corpus (one build at a time per index folder; see `_build`)."""
    with build_lock(settings):
        return _build(settings, embedder, weights)


def _build(settings: Settings, embedder: Embedder, weights: str) -> Path:
    """Build a new index from the corpus into a fresh folder, then make it current in one atomic step: nodes with
    their vectors in a llama-index VectorStoreIndex over a flat FAISS store, persisted by llama-index, plus the
    units in FAISS order (units.json), which serving reads without llama-index (a faster start)."""
    from llama_index.core import StorageContext, VectorStoreIndex
    from llama_index.core.schema import TextNode
    from llama_index.vector_stores.faiss import FaissVectorStore

    started = time.perf_counter()
    notices = load_corpus(settings.corpus_dir)
    chunks = [
        c for notice in notices.values() for c in chunk_notice(notice, settings.chunk_size, settings.chunk_overlap)
    ]
    matrix = embed_units(chunks, embedder)
    nodes = [
        TextNode(id_=c.chunk_id, text=c.text, embedding=row.tolist(), metadata=asdict(c))
        for c, row in zip(chunks, matrix, strict=True)
    ]
    use_local_models(embedder)
    store = FaissVectorStore(faiss_index=faiss.IndexFlatIP(matrix.shape[1]))
    index = VectorStoreIndex(nodes, storage_context=StorageContext.from_defaults(vector_store=store))

    root = settings.index_dir / "builds"
    root.mkdir(parents=True, exist_ok=True)
    build_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    staging = root / f".{build_id}.partial"
    index.storage_context.persist(persist_dir=str(staging))
    (staging / UNITS).write_text(json.dumps([asdict(c) for c in chunks], ensure_ascii=False), encoding="utf-8")
    rows, row_weights = classifier_rows(chunks)
    classifier = train_classifier(matrix[rows], [chunks[i].section_id for i in rows], row_weights=row_weights)
    if classifier is not None:
        classifier.save(staging / CLASSIFIER_FILE)
    save_sentence_classifiers(train_sentence_classifiers(matrix, chunks), staging / SENTENCES_FILE)
    save_models(fit_lexical(chunks), staging / LEXICAL_FILE)
    signals = Signals.from_packs(pack.data for pack in load_packs().values())
    types = train_from_corpus(settings.corpus_dir, chunks, signals, lambda texts: embed_texts(texts, embedder))
    if types is not None:
        types.save(staging / MESSAGE_TYPES_FILE)
    manifest = expected_manifest(settings, weights) | {
        "build_id": build_id,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "build_seconds": round(time.perf_counter() - started, 2),
        "dimension": int(matrix.shape[1]),
        "counts": {
            lang: {
                "sections": len(n.sections),
                "chunks": sum(c.kind == "chunk" and c.language == lang for c in chunks),
                "sentences": sum(c.kind == "sentence" and c.language == lang for c in chunks),
                "parts": sum(c.kind == "part" and c.language == lang for c in chunks),
                "questions": sum(c.kind == "question" and c.language == lang for c in chunks),
                "out_of_scope": sum(c.kind == "out_of_scope" and c.language == lang for c in chunks),
                "sentence_questions": sum(c.kind == "asked" and c.language == lang for c in chunks),
            }
            for lang, n in notices.items()
        },
        "vectors": len(chunks),
        "classifier": {"labels": len(classifier.labels), "questions": len(rows)} if classifier else None,
        "files": {p.name: sha256_file(p) for p in sorted(staging.iterdir()) if p.is_file()},
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    final = root / build_id
    os.replace(staging, final)
    _write_atomically(settings.index_dir / CURRENT, build_id)
    _prune(root, keep={build_id})
    log.info("index built", extra={"build_id": build_id, "vectors": len(chunks)})
    return final


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _prune(root: Path, keep: set[str]) -> None:
    """Remove older builds and abandoned partial ones, keeping the newest besides `keep`."""
    builds = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name)
    complete = [p for p in builds if not p.name.startswith(".")]
    survivors = keep | {p.name for p in complete[-2:]}
    for path in builds:
        if path.name not in survivors:
            shutil.rmtree(path, ignore_errors=True)


def current_build(settings: Settings) -> Path | None:
    pointer = settings.index_dir / CURRENT
    if not pointer.is_file():
        return None
    return settings.index_dir / "builds" / pointer.read_text(encoding="utf-8").strip()


def check_build(path: Path | None, settings: Settings, weights: str) -> str | None:
    """Why this build must not be served (None when it is good to serve)."""
    if path is None:
        return "no index has been built yet"
    manifest_path = path / "manifest.json"
    if not manifest_path.is_file():
        return f"the index at {path} has no manifest (incomplete or damaged)"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return f"the manifest at {manifest_path} is corrupt"
    for name, digest in manifest.get("files", {}).items():
        file = path / name
        if not file.is_file() or sha256_file(file) != digest:
            return f"the index file {file} is missing or corrupt"
    expected = expected_manifest(settings, weights)
    for key, value in expected.items():
        if manifest.get(key) != value:
            return (
                f"the index is stale: its {key} differs from the current {'corpus' if key == 'corpus' else 'settings'}"
            )
    return None


def load_build(path: Path) -> LoadedIndex:
    """A build as served: its FAISS index (written by llama-index's FaissVectorStore) and its units."""
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    faiss_index = faiss.read_index(str(path / VECTORS))
    chunks = [Chunk(**row) for row in json.loads((path / UNITS).read_text(encoding="utf-8"))]
    if len(chunks) != manifest["vectors"] or faiss_index.ntotal != manifest["vectors"]:
        raise IndexError_(f"the index at {path} holds {faiss_index.ntotal} vectors and {len(chunks)} units, its "
                          f"manifest says {manifest['vectors']}")  # fmt: skip
    classifier_path = path / CLASSIFIER_FILE
    classifier = SectionClassifier.load(classifier_path) if classifier_path.is_file() else None
    lexical = load_models(path / LEXICAL_FILE)
    types_path = path / MESSAGE_TYPES_FILE
    types = MessageModels.load(types_path) if types_path.is_file() else None
    sentences = load_sentence_classifiers(path / SENTENCES_FILE)
    return LoadedIndex(faiss_index, chunks, manifest, path, classifier, lexical, types, sentences)


def load_or_build(settings: Settings, embedder: Embedder, weights: str) -> LoadedIndex:
    """Serve the current build if it matches corpus, model and files; otherwise say why and rebuild."""
    path = current_build(settings)
    problem = check_build(path, settings, weights)
    if problem is None and path is not None:
        try:
            return load_build(path)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            problem = f"the index at {path} could not be read ({exc})"
    with build_lock(settings):
        path = current_build(settings)  # another process may have built it while this one waited
        if path is not None and check_build(path, settings, weights) is None:
            return load_build(path)
        print(f"Building the index: {problem}.", file=sys.stderr)
        log.warning("rebuilding index", extra={"reason": problem})
        return load_build(_build(settings, embedder, weights))
