"""The writers' corpus commands: import a capture, check the corpus (stale translations, banks to review), diff
two notices, mark translations and banks as matching the current official text."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.capture import CaptureError, import_capture_file
from assistant.chunks import unmatched_sentences
from assistant.corpus import (
    CorpusError,
    Notice,
    corpus_files,
    load_notice,
    load_questions,
    load_sentence_questions,
    load_topics,
    read_outline,
    render_notice,
    word_count,
)
from assistant.corpus_diff import diff_notices, load_for_diff, render_html, render_text
from assistant.reviews import KINDS, mark_reviewed, to_review
from assistant.settings import PROJECT_ROOT, Settings
from assistant.translations import mark_translated, stale_sections

CASES_DIR = PROJECT_ROOT / "evals" / "cases"  # the evaluation cases, which record their sections' text too


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
    notices: dict[str, Notice] = {}
    print(f"{'file':<24} {'lang':<5} {'status':<12} {'sections':>8} {'subsections':>11} {'words':>7}")
    for path in files:
        try:
            notice = load_notice(path, outline)
        except (CorpusError, OSError) as exc:
            problems += exc.problems if isinstance(exc, CorpusError) else [f"{path}:1: {exc}"]
            print(f"{path.name:<24} {'-':<5} {'BROKEN':<12}")
            continue
        notices[notice.language] = notice
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
            if kind == "sentence_questions":
                sentences = load_sentence_questions(path, outline)
                groups = {k: [q for _, questions in v for q in questions] for k, v in sentences.items()}
            else:
                groups = load_questions(path, outline) if kind == "questions" else load_topics(path)
        except CorpusError as exc:
            problems += exc.problems
            continue
        if kind == "sentence_questions" and path.stem in notices:
            # Listed, not failed: only that sentence loses its questions until they are moved to its new text.
            for section_id, sentence in unmatched_sentences(notices[path.stem], sentences):
                print(f"review: {path}: section {section_id} no longer has the sentence \"{sentence[:60]}…\" word "
                      "for word; copy its new text there or remove the entry")  # fmt: skip
        count = sum(len(q) for q in groups.values())
        print(f"{kind + '/' + path.name:<24} {path.stem:<5} {kind:<12} {len(groups):>8} {'':>11} {count:>7}")
    if not args.files:
        try:
            problems += [stale.message() for stale in stale_sections(corpus_dir)]
            # Listed, not failed: questions written against an earlier text still help until they are reviewed.
            for review in to_review(corpus_dir, Path(args.cases) if args.cases else CASES_DIR):
                print(f"review: {review.message()}")
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


def marking(action: Callable[[], object], done: Callable[[Any], str]) -> int:
    """Run a mark-* command: its problems one per line on stderr (exit 1), or what it recorded (exit 0)."""
    try:
        marked = action()
    except CorpusError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    print(done(marked))
    return 0


def cmd_mark_translated(args: argparse.Namespace, settings: Settings) -> int:
    corpus_dir = Path(args.corpus) if args.corpus else settings.corpus_dir
    return marking(lambda: mark_translated(corpus_dir, args.lang, args.sections or None),
                   lambda ids: f"{args.lang}: {len(ids)} section(s) marked as translated from the current official "
                               "text")  # fmt: skip


def cmd_mark_reviewed(args: argparse.Namespace, settings: Settings) -> int:
    corpus_dir = Path(args.corpus) if args.corpus else settings.corpus_dir
    cases = Path(args.cases) if args.cases else CASES_DIR
    return marking(
        lambda: mark_reviewed(corpus_dir, cases, args.kind, args.lang, args.sections or None),
        lambda count: f"{count} bank section(s) marked as reviewed against the current official text",
    )


def add_corpus_commands(commands: Any, languages: tuple[str, ...]) -> None:
    """`corpus import-capture | check | diff | mark-translated | mark-reviewed`."""
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
    check.add_argument("--cases", help="the evaluation cases' folder (default: evals/cases/)")
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
    reviewed = corpus.add_parser("mark-reviewed", help="record that question banks and cases match the current text")
    reviewed.add_argument("sections", nargs="*", help="section ids (default: all)")
    reviewed.add_argument("--kind", choices=KINDS, help="one kind of bank (default: all)")
    reviewed.add_argument("--lang", choices=languages, help="one language (default: all)")
    reviewed.add_argument("--corpus", help="the corpus folder (default: the project's corpus/)")
    reviewed.add_argument("--cases", help="the evaluation cases' folder (default: evals/cases/)")
    reviewed.set_defaults(handler=cmd_mark_reviewed)
