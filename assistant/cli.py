"""The command-line interface: corpus import and checks, index builds, questions and the benchmark."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from assistant.capture import CaptureError, import_capture_file
from assistant.corpus import (
    CorpusError,
    Notice,
    corpus_files,
    load_notice,
    load_questions,
    load_topics,
    read_outline,
    render_notice,
    word_count,
)
from assistant.corpus_diff import diff_notices, load_for_diff, render_html, render_text
from assistant.langpack import load_packs
from assistant.logs import configure_logging
from assistant.settings import Settings
from assistant.translations import mark_translated, stale_sections


def section_stats(notice: Notice) -> dict[str, int]:
    """Sections, subsections and words of a notice, for the check table."""
    return {
        "sections": sum(1 for s in notice.sections if s.level == 1),
        "subsections": sum(1 for s in notice.sections if s.level == 2),
        "words": sum(word_count(s.title) + word_count(s.text) for s in notice.sections),
    }


def cmd_import_capture(args: argparse.Namespace, settings: Settings) -> int:
    outline = read_outline(settings.corpus_dir / "outline.md")
    path = Path(args.path)
    if not path.is_file():
        print(f"error: no capture file at {path}", file=sys.stderr)
        return 2
    try:
        notice = import_capture_file(path, args.lang, outline, settings.corpus_dir)
    except CaptureError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    target = Path(args.output) if args.output else settings.corpus_dir / f"{args.lang}.md"
    if target.is_file():  # what the import is about to change, before it overwrites the current file
        try:
            print(render_text(diff_notices(load_notice(target), notice, str(target), str(path))))
        except CorpusError as exc:
            print(f"warning: no diff, {target} cannot be read: {exc}", file=sys.stderr)
    target.write_text(render_notice(notice), encoding="utf-8")
    stats = section_stats(notice)
    print(f"wrote {target}: {stats['sections']} sections, {stats['subsections']} subsections, {stats['words']} words")
    return 0


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    corpus_dir = Path(args.corpus) if args.corpus else settings.corpus_dir
    outline = read_outline(corpus_dir / "outline.md")
    files = [Path(p) for p in args.files] if args.files else [p for p in corpus_files(corpus_dir) if p.suffix == ".md"]
    if not files:
        print(f"error: no corpus files in {corpus_dir}", file=sys.stderr)
        return 1
    problems: list[str] = []
    print(f"{'file':<24} {'lang':<5} {'status':<12} {'sections':>8} {'subsections':>11} {'words':>7}")
    for path in files:
        try:
            notice = load_notice(path, outline)
        except (CorpusError, OSError) as exc:
            problems += exc.problems if isinstance(exc, CorpusError) else [f"{path}:1: {exc}"]
            print(f"{path.name:<24} {'-':<5} {'BROKEN':<12}")
            continue
        stats = section_stats(notice)
        status = notice.meta["status"] + (
            f"<{notice.meta['translated_from']}" if "translated_from" in notice.meta else ""
        )
        print(
            f"{path.name:<24} {notice.language:<5} {status:<12} {stats['sections']:>8} "
            f"{stats['subsections']:>11} {stats['words']:>7}"
        )
    for path in [] if args.files else [p for p in corpus_files(corpus_dir) if p.suffix == ".yaml"]:
        kind = path.parent.name
        try:
            groups = load_questions(path, outline) if kind == "questions" else load_topics(path)
        except CorpusError as exc:
            problems += exc.problems
            continue
        count = sum(len(q) for q in groups.values())
        print(f"{kind + '/' + path.name:<24} {path.stem:<5} {kind:<12} {len(groups):>8} {'':>11} {count:>7}")
    if not args.files:
        try:
            problems += [stale.message() for stale in stale_sections(corpus_dir)]
        except CorpusError as exc:
            problems += [] if problems else exc.problems  # a file already reported broken above
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"ok: {len(files)} file(s), {len(outline)} section ids each")
    return 1 if problems else 0


def cmd_diff(args: argparse.Namespace, settings: Settings) -> int:
    corpus_dir = Path(args.corpus) if args.corpus else settings.corpus_dir
    paths = [Path(args.old), Path(args.new)]
    for path in paths:
        if not path.is_file():
            print(f"error: no corpus file or capture at {path}", file=sys.stderr)
            return 2
    try:
        old, new = (load_for_diff(path, corpus_dir, args.lang) for path in paths)
    except (CorpusError, CaptureError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    diff = diff_notices(old, new, args.old, args.new)
    print(render_text(diff))
    if args.html:
        Path(args.html).write_text(render_html(diff), encoding="utf-8")
        print(f"wrote {args.html}")
    return 0


def cmd_mark_translated(args: argparse.Namespace, settings: Settings) -> int:
    corpus_dir = Path(args.corpus) if args.corpus else settings.corpus_dir
    try:
        marked = mark_translated(corpus_dir, args.lang, args.sections or None)
    except CorpusError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    print(f"{args.lang}: {len(marked)} section(s) marked as translated from the current official text")
    return 0


def _encoder(settings: Settings) -> tuple[Any, str]:
    """The encoder of the settings' runtime and its weights fingerprint (for the index manifest)."""
    from assistant.embedding import load_embedder
    from assistant.encoder import weights_fingerprint

    return load_embedder(settings), weights_fingerprint(settings)


def cmd_index_build(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.encoder import EncoderError
    from assistant.index import build_index

    try:
        path = build_index(settings, *_encoder(settings))
    except (EncoderError, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    print(f"built {path} in {manifest['build_seconds']} s: {manifest['vectors']} vectors")
    for lang, counts in manifest["counts"].items():
        print(f"  {lang}: {counts['sections']} sections, {counts['chunks']} chunks, {counts['sentences']} sentences")
    return 0


def cmd_index_ensure(args: argparse.Namespace, settings: Settings) -> int:
    """Provision the encoder and build the index only when the current one is missing or stale."""
    from assistant.encoder import EncoderError
    from assistant.index import load_or_build

    try:
        loaded = load_or_build(settings, *_encoder(settings))
    except (EncoderError, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"index ready: {loaded.path} ({loaded.manifest['vectors']} vectors)")
    return 0


def print_answer(data: dict[str, Any], out: TextIO = sys.stdout) -> None:
    print(data["answer"], file=out)
    for citation in data["citations"]:
        print(f"  [{citation['section_id']}] {citation['title']} ({citation['language']}) {citation['url']}", file=out)
    print(file=out)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.engine import Assistant

    if args.jsonl:
        # Bytes decoded leniently: one line of invalid UTF-8 must not stop the others.
        questions = [line.rstrip("\r\n") for line in sys.stdin.buffer.read().decode("utf-8", "replace").split("\n")]
        questions = questions[:-1] if questions and questions[-1] == "" else questions
    elif args.question:
        questions = [" ".join(args.question)]
    else:
        print("error: give a question, or --jsonl with one question per line on standard input", file=sys.stderr)
        return 2
    try:
        assistant = Assistant.load(settings)
    except Exception as exc:  # one clear line instead of a traceback
        print(f"error: the assistant could not start: {exc}", file=sys.stderr)
        return 1
    for question in questions:
        data = assistant.ask(question, lang=args.lang, default_lang=args.default_lang).to_dict()
        if args.json or args.jsonl:
            print(json.dumps(data, ensure_ascii=False), flush=True)
        else:
            print_answer(data)
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from assistant import bench

    return bench.main(args.rounds, not args.no_build, args.output)


def build_parser() -> argparse.ArgumentParser:
    languages = tuple(load_packs())  # the languages with a language pack
    parser = argparse.ArgumentParser(prog="python -m assistant", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    corpus = commands.add_parser("corpus", help="import and check the notice corpus").add_subparsers(
        dest="corpus_command", required=True
    )
    imp = corpus.add_parser("import-capture", help="import a urlscan.io text capture of the help page")
    imp.add_argument("path", help="the capture file")
    imp.add_argument("--lang", required=True, choices=languages, help="the page's language")
    imp.add_argument("--output", help="where to write (default: corpus/<lang>.md)")
    imp.set_defaults(handler=cmd_import_capture)
    check = corpus.add_parser("check", help="validate the corpus files")
    check.add_argument("files", nargs="*", help="files to check (default: every corpus file)")
    check.add_argument("--corpus", help="the corpus folder (default: the project's corpus/)")
    check.set_defaults(handler=cmd_check)
    diff = corpus.add_parser("diff", help="what changed between two notices, section by section")
    diff.add_argument("old", help="a corpus .md file, or a capture (.txt)")
    diff.add_argument("new", help="a corpus .md file, or a capture (.txt)")
    diff.add_argument("--lang", default="fr", choices=languages, help="the language of a capture (default fr)")
    diff.add_argument("--html", help="also write the diff as a self-contained HTML page to this file")
    diff.add_argument("--corpus", help="the corpus folder, for its outline (default: the project's corpus/)")
    diff.set_defaults(handler=cmd_diff)
    mark = corpus.add_parser("mark-translated", help="record that translated sections match the current French")
    mark.add_argument("lang", choices=languages, help="the translation's language")
    mark.add_argument("sections", nargs="*", help="section ids (default: all, replacing the language's record)")
    mark.add_argument("--corpus", help="the corpus folder (default: the project's corpus/)")
    mark.set_defaults(handler=cmd_mark_translated)

    index = commands.add_parser("index", help="build the vector index").add_subparsers(
        dest="index_command", required=True
    )
    index.add_parser("build", help="embed the corpus and store it in index/").set_defaults(handler=cmd_index_build)
    index.add_parser("ensure", help="build the index only if it is missing or stale").set_defaults(
        handler=cmd_index_ensure
    )

    ask = commands.add_parser("ask", help="answer a question (or many, with --jsonl)")
    ask.add_argument("question", nargs="*", help="the question")
    ask.add_argument("--lang", choices=languages, help="answer in this language (default: detected)")
    ask.add_argument("--default-lang", choices=languages, help="language for questions too short to tell")
    output = ask.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--jsonl", action="store_true", help="read questions from standard input, one per line")
    ask.set_defaults(handler=cmd_ask)

    bench = commands.add_parser("bench", help="time each stage of a question, cold start and index build")
    bench.add_argument("--rounds", type=int, default=3, help="passes over the questions (default 3)")
    bench.add_argument("--no-build", action="store_true", help="skip timing a full index build")
    bench.add_argument("--output", help="also write the JSON figures to this file")
    bench.set_defaults(handler=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(os.environ.get("ASSISTANT_LOG_LEVEL", "WARNING"))
    return args.handler(args, Settings.from_env())
