"""`python -m evals`: run the evaluation (with its report and gate), compare two reports, check the corpus's
own question banks held out, check which sentences answers quote, or report what customers asked (feedback)
and turn one item into a case."""

from __future__ import annotations

import argparse
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

from assistant.privacy import redact
from evals.cases import CaseError, load_cases
from evals.feedback_commands import add_feedback_commands
from evals.gate import BASELINE, REPORTS, check, load_metrics, load_results, load_thresholds, worse_cases
from evals.metrics import by_group, by_language
from evals.report import text_table, write_report
from evals.results import cmd_results, command_line

CEILING_DEFAULT = 0.03  # evals.calibrate.CEILING, without importing the evaluation stack for --help


def cmd_run(args: argparse.Namespace) -> int:
    from assistant.engine import Assistant
    from assistant.settings import Settings
    from evals.runner import run_cases

    try:
        cases = load_cases([Path(args.cases)] if args.cases else None, language=args.lang, tag=args.tag)
    except (CaseError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print("error: no case matches these options", file=sys.stderr)
        return 2
    overrides = {}
    if args.corpus:
        overrides["corpus_dir"] = Path(args.corpus)
    if args.index:
        overrides["index_dir"] = Path(args.index)
    from assistant.tuning import Tuning

    try:
        tuning = Tuning().with_signals(args.signals)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    assistant = Assistant.load(Settings.from_env(**overrides), tuning=tuning)
    started = datetime.now(UTC)
    outcomes = run_cases(assistant, cases, page_language=not args.no_page_language)
    table = by_language(outcomes)
    filtered = bool(args.lang or args.tag or args.cases)
    # A partial run is not comparable with the full baseline: only the thresholds apply to it.
    gate = check(table, load_thresholds(), None if filtered or args.no_baseline else load_metrics(BASELINE))
    compared = not (filtered or args.no_baseline)
    worse = worse_cases([o.to_dict() for o in outcomes], load_results(BASELINE)) if compared else []
    folder = Path(args.out) if args.out else REPORTS / started.strftime("%Y%m%dT%H%M%SZ")
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "index_build": assistant.manifest.get("build_id"),
        "corpus": assistant.manifest.get("corpus"),
        "cases": len(cases),
        "filters": {"lang": args.lang, "tag": args.tag, "cases": args.cases},
        "page_language": not args.no_page_language,
    }
    from assistant.reviews import to_review
    from evals.cases import CASES_DIR

    review = [r.message() for r in to_review(assistant.settings.corpus_dir, CASES_DIR)]  # after a notice change
    write_report(folder, outcomes, table, meta, gate, worse, review)
    if args.figures:
        from evals.results import save

        groups = {f"by_{a}": g for a in ("kind", "relation") if (g := by_group(outcomes, a))}
        print(f"figures: {save(f'evaluation-{args.figures}', command_line(), {'metrics': table, **groups})}")
    print(text_table(table))
    for attribute in ("kind", "relation"):
        if grouped := by_group(outcomes, attribute):
            print(f"\nby {attribute}:\n" + text_table(grouped))
    failures = [o for o in outcomes if not o.passed]
    if failures:
        print(f"\n{len(failures)} failing case(s):")
        for o in failures:
            print(f"  {o.case.id}: {o.why} — {redact(o.case.question)[:70]}")
    if worse:
        print(f"\n{len(worse)} case(s) worse than the baseline:")
        for row in worse:
            print(f"  {row['id']}: {row['worse']} — {row['question'][:70]}")
    print(f"\nreport: {folder / 'report.html'}")
    if args.save_baseline:
        shutil.rmtree(BASELINE, ignore_errors=True)
        BASELINE.mkdir(parents=True)
        for name in ("metrics.json", "results.jsonl", "report.md"):
            shutil.copy(folder / name, BASELINE / name)
        print(f"saved as the baseline: {BASELINE}")
    if gate:
        print("\nGATE FAILED:\n" + "\n".join(f"  - {line}" for line in gate))
        return 1
    print("\ngate passed")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    before_dir, after_dir = Path(args.a), Path(args.b)
    for folder in (before_dir, after_dir):
        if not (folder / "results.jsonl").is_file():
            print(f"error: {folder} is not a report folder (no results.jsonl)", file=sys.stderr)
            return 2
    before, after = load_results(before_dir), load_results(after_dir)
    changed = []
    for case_id in sorted(set(before) | set(after)):
        a, b = before.get(case_id), after.get(case_id)
        if a is None or b is None:
            changed.append(f"{case_id}: {'added' if a is None else 'removed'}")
        elif a["passed"] != b["passed"] or a["cited"][:1] != b["cited"][:1] or a["abstained"] != b["abstained"]:
            verdict = (
                "FIXED"
                if b["passed"] and not a["passed"]
                else "BROKEN"
                if a["passed"] and not b["passed"]
                else "CHANGED"
            )
            changed.append(
                f"{case_id}: {verdict} cited {a['cited'][:1] or 'abstain'} -> {b['cited'][:1] or 'abstain'}"
                f" — {b['question'][:60]}"
            )
    print(f"{len(changed)} case(s) changed between {before_dir.name} and {after_dir.name}:")
    print("\n".join(f"  {line}" for line in changed) or "  none")
    metrics_a, metrics_b = load_metrics(before_dir), load_metrics(after_dir)
    if metrics_a and metrics_b:
        print("\nmetric deltas (after - before):")
        for lang in metrics_b:
            deltas = [
                f"{name} {metrics_b[lang][name] - metrics_a.get(lang, {}).get(name, float('nan')):+.3f}"
                for name in metrics_b[lang]
                if name != "cases"
            ]
            print(f"  {lang}: " + ", ".join(deltas))
    return 0


def cmd_holdout(args: argparse.Namespace) -> int:
    from assistant.engine import Assistant
    from evals.holdout import hold_out, summarise

    if args.every < 1:
        print("error: --every must be 1 or more", file=sys.stderr)
        return 2
    assistant = Assistant.load()
    languages = [args.lang] if args.lang else None
    if languages and languages[0] not in assistant.served.retriever.languages:
        print(f"error: no such language in the index: {args.lang}", file=sys.stderr)
        return 2
    results = hold_out(assistant, languages, args.every, typos=args.typos)
    metrics = ["hit@1", "hit@3", "false_abstain", "abstain_recall"]
    print(text_table(summarise(results), metrics, counts=("questions", "out_of_scope")))
    if args.figures:
        from evals.results import save

        name = "holdout" + (f"-typos{args.typos}" if args.typos else "")
        print(f"figures: {save(name, command_line(), {'metrics': summarise(results)})}")
    if args.show:
        print("\nmissed:")
        for r in results:
            if (r.expected is not None and not r.hit) or (r.expected is None and not r.abstained):
                got = "abstained" if r.abstained else "cited " + ", ".join(r.cited)
                print(f"  [{r.language}] {r.expected or 'out of scope'}: {got} — {r.text[:70]}")
    return 0


def cmd_calibrate(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from assistant.engine import Assistant
    from evals.calibrate import best, grid
    from evals.holdout import hold_out

    if args.every < 1:
        print("error: --every must be 1 or more", file=sys.stderr)
        return 2
    assistant = Assistant.load()
    current = assistant.tuning
    written = hold_out(assistant, every=args.every)
    typed = hold_out(assistant, every=args.every, typos=1)
    choices = grid(written, typed, current)
    chosen = best(choices, args.ceiling)
    ranked = sorted(choices, key=lambda c: c.mean_recall, reverse=True)
    print(f"{'question match':>14} {'margin':>7} {'probability':>11} {'recall (mean)':>13}  false abstention (worst of "
          "written, typed)")  # fmt: skip
    for choice in ranked[: args.show]:
        t = choice.tuning
        worst = ", ".join(f"{lang} {value:.1%}" for lang, value in choice.false_abstain.items())
        mark = "  <- chosen" if choice is chosen else ""
        print(f"{t.min_question_match:>14.2f} {t.out_of_scope_margin:>7.2f} {t.max_out_of_scope_probability:>11.2f} "
              f"{choice.mean_recall:>13.1%}  {worst}{mark}")  # fmt: skip
    if chosen is None:
        print(f"\nno point keeps false abstention under {args.ceiling:.0%} in every language")
        return 1
    keys = ("min_question_match", "out_of_scope_margin", "max_out_of_scope_probability")
    values = {k: v for k, v in asdict(chosen.tuning).items() if k in keys}
    now = {k: getattr(current, k) for k in keys}
    print(f"\nchosen (ceiling {args.ceiling:.0%}): " + ", ".join(f"{k} = {v}" for k, v in values.items()))
    print("current (assistant/tuning.py): " + ", ".join(f"{k} = {v}" for k, v in now.items()))
    print("recall per language: " + ", ".join(f"{lang} {v:.1%}" for lang, v in chosen.recall.items()))
    return 0


def cmd_sentences(args: argparse.Namespace) -> int:
    from assistant.engine import Assistant
    from evals.sentences import check_quotes, load_labels, summarise

    labels = load_labels(args.lang)
    if not labels:
        print(f"error: no labelled questions for language {args.lang!r}", file=sys.stderr)
        return 2
    checks = check_quotes(Assistant.load(), labels)
    print(text_table(summarise(checks), ["best_quoted", "helpful_quoted", "quote_chars"], counts=("questions",)))
    if args.figures:
        from evals.results import save

        print(f"figures: {save('sentences', command_line(), {'metrics': summarise(checks)})}")
    if args.show:
        print("\nthe answering sentence not quoted:")
        for check in checks:
            if not check.best_quoted:
                label = check.label
                print(f"  [{label.language}] {label.section_id}: {label.question[:60]}")
                print(f"      quoted: {check.quoted[:110]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the cases, write a report, apply the gate")
    run.add_argument("--lang", help="only this language's cases (fr, nl, en)")
    run.add_argument("--tag", help="only cases with this tag")
    run.add_argument("--cases", help="only this case file")
    run.add_argument("--out", help="report folder (default: evals/reports/<timestamp>)")
    run.add_argument("--corpus", help="evaluate another corpus folder")
    run.add_argument("--index", help="index folder to use or build")
    run.add_argument("--no-baseline", action="store_true", help="apply the thresholds only")
    run.add_argument(
        "--no-page-language",
        action="store_true",
        help="ask without the help page's language (by default a case is asked from its file's language's page)",
    )
    run.add_argument("--save-baseline", action="store_true", help="store this run as the new baseline")
    run.add_argument("--figures", metavar="NAME", help="also record the metrics as docs/results/evaluation-NAME.json")
    run.add_argument("--signals", default="", help="switch ranking signals off for a comparison: -classifier,-lexical")
    run.set_defaults(handler=cmd_run)
    compare = commands.add_parser("compare", help="cases and metrics that changed between two reports")
    compare.add_argument("a", help="the earlier report folder")
    compare.add_argument("b", help="the later report folder")
    compare.set_defaults(handler=cmd_compare)
    holdout = commands.add_parser(
        "holdout", help="ask back each typical and out-of-scope question of corpus/ with itself left out"
    )
    holdout.add_argument("--lang", help="only this language (fr, nl, en)")
    holdout.add_argument("--every", type=int, default=1, help="only every n-th question (a quicker sample)")
    holdout.add_argument("--show", action="store_true", help="list the questions that miss")
    holdout.add_argument("--figures", action="store_true", help="also record the metrics in docs/results/")
    holdout.add_argument(
        "--typos",
        type=int,
        nargs="?",
        const=1,
        default=0,
        choices=(0, 1, 2),
        help="ask them with seeded typos, as typed fast: one letter per word (--typos), two in long words (--typos 2)",
    )
    holdout.set_defaults(handler=cmd_holdout)
    results = commands.add_parser("results", help="write docs/results.md from the figures in docs/results/")
    results.set_defaults(handler=cmd_results)
    calibrate = commands.add_parser(
        "calibrate", help="the abstention threshold grid over held-out bank questions (as written and with typos)"
    )
    calibrate.add_argument("--every", type=int, default=1, help="only every n-th bank question (a quicker sample)")
    calibrate.add_argument("--ceiling", type=float, default=CEILING_DEFAULT, help="the most answerable questions "
                           "that may abstain, in every language (default 0.03)")  # fmt: skip
    calibrate.add_argument("--show", type=int, default=10, help="grid points listed, best recall first")
    calibrate.set_defaults(handler=cmd_calibrate)
    sentences = commands.add_parser(
        "sentences", help="ask back typical questions labelled with the sentences that answer them: are those quoted?"
    )
    sentences.add_argument("--lang", help="only this language (fr, nl, en)")
    sentences.add_argument("--show", action="store_true", help="list the questions whose answering sentence is missed")
    sentences.add_argument("--figures", action="store_true", help="also record the metrics in docs/results/")
    sentences.set_defaults(handler=cmd_sentences)
    add_feedback_commands(commands)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
