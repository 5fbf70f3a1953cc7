"""Evaluation reports: Markdown, self-contained HTML with plots, results.jsonl, and PNG plots."""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display here: render to files
import matplotlib.pyplot as plt  # noqa: E402

from evals.metrics import METRICS, Outcome, by_group  # noqa: E402

# Shares, printed as percentages; anything else (latencies, lengths) as a plain number.
PERCENT = {m for m in METRICS if not m.startswith("latency")} | {
    "hit@1", "hit@3", "false_abstain", "abstain_recall", "best_quoted", "helpful_quoted"
}


def fmt(metric: str, value: float) -> str:
    if value != value:  # NaN: no case measured it
        return "–"
    return f"{value * 100:.1f}%" if metric in PERCENT else f"{value:.1f}"


def table_rows(
    table: dict[str, dict[str, float]], metrics: list[str] = METRICS, counts: tuple[str, ...] = ("cases",)
) -> tuple[list[str], list[list[str]]]:
    """A header and one row per count, then per metric, with a column per language."""
    header = ["metric", *table]
    rows = [[c, *(str(int(table[lang][c])) for lang in table)] for c in counts]
    rows += [[m, *(fmt(m, table[lang][m]) for lang in table)] for m in metrics]
    return header, rows


def text_table(
    table: dict[str, dict[str, float]], metrics: list[str] = METRICS, counts: tuple[str, ...] = ("cases",)
) -> str:
    header, rows = table_rows(table, metrics, counts)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in [header, *rows]
    ]
    return "\n".join(lines)


def markdown_table(table: dict[str, dict[str, float]]) -> str:
    header, rows = table_rows(table)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def plot_metrics(table: dict[str, dict[str, float]], path: Path) -> None:
    names = ["hit@1", "hit@3", "mrr", "subsection@1", "abstain_recall", "language_match", "key_fact_recall"]
    languages = [lang for lang in table if lang != "all"]
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / max(len(languages), 1)
    for i, lang in enumerate(languages):
        ax.bar([x + i * width for x in range(len(names))], [table[lang][n] * 100 for n in names], width, label=lang)
    ax.set_xticks([x + width * (len(languages) - 1) / 2 for x in range(len(names))], names, rotation=20)
    ax.set_ylabel("%")
    ax.set_ylim(0, 105)
    ax.set_title("Metrics per language")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_sections(outcomes: list[Outcome], path: Path) -> None:
    per: dict[str, list[bool]] = {}
    for o in outcomes:
        if o.case.answerable:
            for top in sorted(o.case.expected_top, key=int)[:1]:
                per.setdefault(top, []).append(o.hit1)
    sections = sorted(per, key=int)
    fig, ax = plt.subplots(figsize=(9, 3.5))
    ax.bar(sections, [100 * sum(per[s]) / len(per[s]) for s in sections], color="#4a7ab5")
    for x, s in enumerate(sections):
        ax.text(x, 2, str(len(per[s])), ha="center", color="white", fontsize=8)
    ax.set_xlabel("expected section (number of cases inside the bar)")
    ax.set_ylabel("hit@1 %")
    ax.set_ylim(0, 105)
    ax.set_title("First citation right, per section")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_latency(outcomes: list[Outcome], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(9, 3.5))
    ax.hist([o.answer["latency_ms"] for o in outcomes], bins=30, color="#5a9e6f")
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Latency")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def html_table(table: dict[str, dict[str, float]]) -> str:
    header, rows = table_rows(table)
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return "<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>" + cells + "</table>"


def embed_png(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def case_rows_markdown(rows: list[dict[str, Any]], reason: str) -> list[str]:
    """Markdown table rows for cases (results.jsonl rows): id, question, cited, expected, and why."""
    return [
        f"| {r['id']} | {r['question'].replace('|', '/')} | {', '.join(r['cited']) or '–'} | "
        f"{', '.join(r['expected_sections']) or '(abstain)'} | {r[reason]} |"
        for r in rows
    ]


def case_rows_html(rows: list[dict[str, Any]], reason: str) -> str:
    """HTML table rows for cases, with the answer given, everything escaped."""
    e = html.escape
    return "".join(
        f"<tr><td>{e(r['id'])}</td><td>{e(r['question'])}</td><td>{e(r['answer'])}</td>"
        f"<td>{e(', '.join(r['cited']) or '–')}</td><td>{e(', '.join(r['expected_sections']) or '(abstain)')}</td>"
        f"<td>{e(r[reason])}</td></tr>"
        for r in rows
    )


def write_report(
    folder: Path,
    outcomes: list[Outcome],
    table: dict[str, dict[str, float]],
    meta: dict[str, Any],
    gate: list[str],
    worse: list[dict[str, Any]] | None = None,
    review: list[str] | None = None,
) -> None:
    """Everything a content writer needs after a run, in one folder (with the question banks and cases written
    against an earlier text of their section, to review)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "results.jsonl").open("w", encoding="utf-8") as handle:
        for outcome in outcomes:
            handle.write(json.dumps(outcome.to_dict(), ensure_ascii=False) + "\n")
    groups = {name: by_group(outcomes, name) for name in ("kind", "relation")}
    groups = {name: tables for name, tables in groups.items() if tables}  # the realistic sets have them
    record = {"meta": meta, "metrics": table, **{f"by_{name}": tables for name, tables in groups.items()}}
    (folder / "metrics.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
    plots = {"metrics": folder / "metrics.png", "sections": folder / "sections.png", "latency": folder / "latency.png"}
    plot_metrics(table, plots["metrics"])
    plot_sections(outcomes, plots["sections"])
    plot_latency(outcomes, plots["latency"])
    failures = [o.to_dict() for o in outcomes if not o.passed]  # redacted: reports are stored and shared
    verdict = "PASSED" if not gate else "FAILED"

    md = [f"# Evaluation report — {meta['started']}", "", f"Gate: **{verdict}**", ""]
    md += [f"- {line}" for line in gate] + ([""] if gate else [])
    md += [f"Index build {meta.get('index_build')}, corpus {meta.get('corpus')}", "", markdown_table(table), ""]
    for name, tables in groups.items():
        md += [f"## By {name}", "", markdown_table(tables), ""]
    md += ["![metrics](metrics.png)", "", "![sections](sections.png)", "", "![latency](latency.png)", ""]
    worse = worse or []
    md += [f"## Worse than the baseline ({len(worse)})", ""]
    md += ["| case | question | cited | expected | what changed |", "|---|---|---|---|---|"]
    md += case_rows_markdown(worse, "worse")
    md += ["", f"## Failing cases ({len(failures)})", ""]
    md += ["| case | question | cited | expected | why |", "|---|---|---|---|---|"]
    md += case_rows_markdown(failures, "why")
    review = review or []
    md += ["", f"## Questions and cases to review ({len(review)})", "", *(f"- {line}" for line in review)]
    (folder / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")

    e = html.escape
    header, rows = table_rows(table)
    metric_table = (
        "<table><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in header)
        + "</tr>"
        + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in rows)
        + "</table>"
    )
    failing = case_rows_html(failures, "why")
    group_tables = "".join(f"<h2>By {e(name)}</h2>{html_table(tables)}" for name, tables in groups.items())
    gate_html = "".join(f"<li>{e(line)}</li>" for line in gate)
    worse_rows = case_rows_html(worse, "worse")
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Evaluation report</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:14px}}th{{background:#eee}}
.passed{{color:#1a7f37}}.failed{{color:#b42318}}img{{max-width:100%;display:block;margin:1em 0}}</style></head>
<body><h1>Evaluation report</h1><p>{e(meta["started"])} · index build {e(str(meta.get("index_build")))}</p>
<h2 class="{verdict.lower()}">Gate: {verdict}</h2><ul>{gate_html}</ul>
<h2>Metrics</h2>{metric_table}{group_tables}
<h2>Plots</h2>{embed_png(plots["metrics"])}{embed_png(plots["sections"])}{embed_png(plots["latency"])}
<h2>Worse than the baseline ({len(worse)})</h2>
<table><tr><th>case</th><th>question</th><th>answer</th><th>cited</th><th>expected</th><th>what changed</th></tr>
{worse_rows}</table>
<h2>Failing cases ({len(failures)})</h2>
<table><tr><th>case</th><th>question</th><th>answer</th><th>cited</th><th>expected</th><th>why</th></tr>{failing}</table>
<h2>Questions and cases to review ({len(review)})</h2><ul>{"".join(f"<li>{e(line)}</li>" for line in review)}</ul>
</body></html>"""
    (folder / "report.html").write_text(page, encoding="utf-8")
