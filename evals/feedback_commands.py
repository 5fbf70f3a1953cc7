"""`python -m evals feedback` and `add-case`: the writers' report of what customers rated or asked, and evaluation
cases drawn from it."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.feedback_report import Rating, Unanswered, clean
from evals.gate import REPORTS


def feedback_store(args: argparse.Namespace) -> Any:
    """The store of --db or --url, else the one the settings name; ValueError when it cannot be one."""
    from assistant.feedback import FeedbackStore, open_store
    from assistant.settings import Settings

    if args.db:
        store = FeedbackStore(Path(args.db))
    else:
        store = open_store(Settings.from_env(feedback_url=args.url) if args.url else Settings.from_env())
    path = getattr(store, "path", None)  # a SQLite file: reading a missing one would create it
    if path is not None and not path.is_file():
        raise ValueError(f"no feedback store at {path}")
    return store


def cmd_feedback(args: argparse.Namespace) -> int:
    from assistant.corpus import read_outline
    from assistant.feedback import FeedbackError
    from assistant.settings import Settings
    from evals.feedback_report import load, since, summarise, write_feedback_report

    if args.days is not None and args.days < 1:
        print("error: --days must be 1 or more", file=sys.stderr)
        return 2
    try:
        store = feedback_store(args)
        ratings, unanswered = load(store, args.days)
    except (ValueError, FeedbackError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    written = datetime.now(UTC)
    folder = Path(args.out) if args.out else REPORTS / f"feedback-{written.strftime('%Y%m%dT%H%M%SZ')}"
    outline = Settings.from_env().corpus_dir / "outline.md"
    titles = dict(read_outline(outline)) if outline.is_file() else {}
    meta = {
        "written": written.isoformat(timespec="seconds"),
        "period": f"the last {args.days} days (since {since(args.days, written)})" if args.days else "everything kept",
        "store": f"SQLite {store.path.name}" if getattr(store, "path", None) else "PostgreSQL",  # never the URL
    }
    summary = summarise(ratings, unanswered)
    write_feedback_report(folder, summary, meta, titles)
    likes = sum(r.rating == "like" for r in ratings)
    print(f"{len(ratings)} ratings ({likes} liked, {len(ratings) - likes} disliked), {len(unanswered)} unanswered")
    for language, counts in summary.languages.items():
        print(f"  {language}: " + ", ".join(f"{kind} {count}" for kind, count in counts.items()))
    print(f"report: {folder / 'report.html'}")
    return 0


def cmd_add_case(args: argparse.Namespace) -> int:
    from assistant.feedback import FeedbackError
    from evals.cases import CaseError, load_case_file
    from evals.feedback_report import to_rating, to_unanswered

    out = Path(args.out)
    language = out.stem
    try:
        row = feedback_store(args).item(args.from_feedback, unanswered=args.unanswered)
    except (ValueError, FeedbackError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    kind = "unanswered question" if args.unanswered else "rating"
    if row is None:
        print(f"error: no {kind} #{args.from_feedback} in the store (purged, or another id)", file=sys.stderr)
        return 2
    item = to_unanswered(row) if args.unanswered else to_rating(row)
    if item.language not in (language, "unknown"):
        print(f"error: {kind} #{item.id} is in {item.language!r}, {out} holds {language!r} cases", file=sys.stderr)
        return 2
    case_id = next_case_id(out, language)
    append_case(out, case_skeleton(item, case_id))
    try:
        load_case_file(out)
    except CaseError as exc:  # the file was broken before, or the case is: say so now, not at the next run
        print(f"warning: {exc}", file=sys.stderr)
        return 1
    print(f"appended {case_id} to {out}: complete its TODO lines")
    return 0


def add_store_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", help="a SQLite feedback file (default: the store the settings name)")
    where.add_argument("--url", help="a postgresql:// feedback store")


def add_feedback_commands(commands: Any) -> None:
    """The two subcommands, on `python -m evals`'s subparsers."""
    feedback = commands.add_parser(
        "feedback", help="what customers asked: ratings, comments and unanswered questions, as a report"
    )
    add_store_options(feedback)
    feedback.add_argument("--out", help="report folder (default: evals/reports/feedback-<timestamp>)")
    feedback.add_argument("--days", type=int, help="only the last N days (default: everything kept)")
    feedback.set_defaults(handler=cmd_feedback)
    add_case = commands.add_parser("add-case", help="append a case skeleton drawn from a rating or an unanswered "
                                   "question to a case file, for the writer to complete")  # fmt: skip
    add_case.add_argument("--from-feedback", type=int, required=True, metavar="ID",
                          help="the rating's id (an unanswered question's with --unanswered)")  # fmt: skip
    add_case.add_argument("--unanswered", action="store_true", help="ID is an unanswered question's")
    add_case.add_argument("--out", required=True, help="the case file, named for its language: evals/cases/en.yaml")
    add_store_options(add_case)
    add_case.set_defaults(handler=cmd_add_case)


def next_case_id(path: Path, language: str) -> str:
    """The next free `<lang>-NNN` id of a case file (its highest number plus one)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    numbers = [int(n) for n in re.findall(rf"^-?\s*id:\s*['\"]?{re.escape(language)}-(\d+)", text, re.MULTILINE)]
    return f"{language}-{max(numbers, default=0) + 1:03d}"


def case_skeleton(item: Rating | Unanswered, case_id: str) -> str:
    """A case for the writer to complete, in the format of evals/cases/README.md. It loads as it is (what the
    assistant did), and its TODO comments say what to check."""
    question = json.dumps(clean(item.question), ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    if isinstance(item, Rating):
        source = f"rating #{item.id} ({item.rating}d, {item.created_at[:10]})"
        comment = [f"# The customer's comment: {' '.join(item.comment.split())[:150]}"] if item.comment else []
        if item.cited:
            what = "liked: check" if item.rating == "like" else "disliked: put the right"
            body = [f"  answerable: true  # TODO: {what} sections (or false if the notice does not answer it)",
                    f"  expected_sections: {json.dumps(list(item.cited))}"]  # fmt: skip
        else:
            body = ["  answerable: false  # TODO: declined; if the notice answers it, true and expected_sections",
                    "  expected_sections: []"]  # fmt: skip
    else:
        source = f"unanswered question #{item.id} ({item.reason}, {item.created_at[:10]})"
        comment = []
        nearest = f" (nearest section: {item.nearest_section})" if item.nearest_section else ""
        body = [f"  answerable: false  # TODO: if the notice answers it, true and expected_sections{nearest}",
                "  expected_sections: []"]  # fmt: skip
    lines = [f"# From {source}.", *comment, f"- id: {case_id}", f"  question: {question}", *body,
             "  key_facts: []  # TODO: 1-3 short facts a correct answer must convey (none for a decline)",
             "  tags: [from-feedback]"]  # fmt: skip
    return "\n".join(lines) + "\n"


def append_case(path: Path, text: str) -> None:
    """Add a case at the end of a case file, leaving what is there (comments included) as it is."""
    before = path.read_text(encoding="utf-8") if path.is_file() else ""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(("\n" if before and not before.endswith("\n") else "") + ("\n" if before else "") + text)
