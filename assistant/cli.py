"""The command-line interface: index builds, questions and the benchmark (the corpus commands: cli_corpus.py)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from assistant.cli_corpus import add_corpus_commands
from assistant.corpus import CorpusError
from assistant.langpack import load_packs
from assistant.logs import configure_logging
from assistant.settings import Settings


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

    add_corpus_commands(commands, languages)

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
    try:
        return args.handler(args, Settings.from_env())
    except BrokenPipeError:
        # The reader went away ("… | head -1"): stop quietly, as other command-line tools do. Standard output is
        # pointed at /dev/null so that Python's own flush at exit does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by a closed pipe
