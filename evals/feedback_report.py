"""What customers asked, from the feedback store: a report for content writers (Markdown and a self-contained HTML
page with plots), and evaluation case skeletons drawn from one rating or one unanswered question."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # no display here: render to files
import matplotlib.pyplot as plt  # noqa: E402

from assistant.feedback import SECTION_ID  # noqa: E402
from assistant.privacy import redact  # noqa: E402
from evals.report import embed_png  # noqa: E402

if TYPE_CHECKING:
    from assistant.feedback import FeedbackStore

NOT_IN_NOTICE = "not in the notice"
KINDS = ("like", "dislike", "unanswered")
COLOURS = {"like": "#5a9e6f", "dislike": "#b54a4a", "unanswered": "#888888"}
UNKNOWN = "unknown"  # a row without a language
# What would make Markdown fetch or run something (an image, a link, raw HTML, an autolink) or break a table row.
MARKDOWN = re.compile(r"[\\<>|`]|!(?=\[)|(?<=\])\(")


@dataclass(frozen=True)
class Rating:
    """One like or dislike, as the report shows it: every text redacted again."""

    id: int
    created_at: str
    language: str
    question: str
    cited: tuple[str, ...]
    rating: str
    comment: str = ""


@dataclass(frozen=True)
class Unanswered:
    """One question the assistant declined because the notice did not answer it, redacted again."""

    id: int
    created_at: str
    language: str
    question: str
    reason: str
    nearest_section: str | None = None

    @property
    def topic(self) -> str:
        return self.nearest_section or NOT_IN_NOTICE


@dataclass
class Summary:
    """The counts and groupings of the report."""

    ratings: list[Rating]
    unanswered: list[Unanswered]
    weeks: dict[str, dict[str, int]] = field(default_factory=dict)  # "2026-W48" -> like, dislike, unanswered
    languages: dict[str, dict[str, int]] = field(default_factory=dict)
    sections: dict[str, dict[str, int]] = field(default_factory=dict)  # cited section -> like, dislike
    disliked: list[Rating] = field(default_factory=list)  # newest first
    topics: dict[str, list[Unanswered]] = field(default_factory=dict)  # largest group first


# ----------------------------------------------------------------------------------------------- reading


def clean(text: object) -> str:
    """Stored text redacted once more: rows written before a redaction rule existed must not leak (defence in
    depth)."""
    return redact(str(text)) if text else ""


def _sections(value: object) -> tuple[str, ...]:
    try:
        cited = json.loads(str(value or "[]"))
    except ValueError:
        return ()
    return tuple(s for s in cited if isinstance(s, str) and SECTION_ID.fullmatch(s)) if isinstance(cited, list) else ()


def _language(value: object) -> str:
    text = str(value or "")
    return text if re.fullmatch(r"[a-z]{2,3}", text) else UNKNOWN


def to_rating(row: dict[str, object]) -> Rating:
    return Rating(id=int(str(row["id"])), created_at=str(row["created_at"]), language=_language(row.get("language")),
                  question=clean(row.get("question")), cited=_sections(row.get("cited")), rating=str(row["rating"]),
                  comment=clean(row.get("comment")))  # fmt: skip


def to_unanswered(row: dict[str, object]) -> Unanswered:
    nearest = str(row.get("nearest_section") or "")
    return Unanswered(
        id=int(str(row["id"])),
        created_at=str(row["created_at"]),
        language=_language(row.get("language")),
        question=clean(row.get("question")),
        reason=clean(row.get("reason")),
        nearest_section=nearest if SECTION_ID.fullmatch(nearest) else None,
    )


def since(days: int | None, now: datetime | None = None) -> str | None:
    """The ISO time `days` days ago (None: everything kept)."""
    if days is None:
        return None
    return ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")


def load(store: FeedbackStore, days: int | None = None) -> tuple[list[Rating], list[Unanswered]]:
    """The ratings and unanswered questions of the last `days` days (all kept when None), redacted again."""
    start = since(days)
    return [to_rating(r) for r in store.rows(start)], [to_unanswered(r) for r in store.unanswered_rows(start)]


# ----------------------------------------------------------------------------------------------- counting


def week_of(created_at: str) -> str:
    year, week, _ = datetime.fromisoformat(created_at).isocalendar()
    return f"{year}-W{week:02d}"


def _monday(created_at: str) -> date:
    day = datetime.fromisoformat(created_at).date()
    return day - timedelta(days=day.weekday())


def section_key(section_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in section_id.split("."))


def summarise(ratings: list[Rating], unanswered: list[Unanswered]) -> Summary:
    """Counts per week (every week between the first and the last, empty ones too), per language and per cited
    section (a rating counts for each section it cited), the dislikes newest first, and the unanswered questions
    grouped by their nearest section."""
    summary = Summary(ratings, unanswered)
    dated = [(r.created_at, r.rating, r.language) for r in ratings] + [
        (u.created_at, "unanswered", u.language) for u in unanswered
    ]
    if dated:
        first, last = min(_monday(d) for d, _, _ in dated), max(_monday(d) for d, _, _ in dated)
        while first <= last:
            summary.weeks[week_of(first.isoformat())] = dict.fromkeys(KINDS, 0)
            first += timedelta(days=7)
    for created_at, kind, language in sorted(dated):
        summary.weeks[week_of(created_at)][kind] += 1
        summary.languages.setdefault(language, dict.fromkeys(KINDS, 0))[kind] += 1
    summary.languages = dict(sorted(summary.languages.items()))
    for rating in ratings:
        for section in rating.cited:
            summary.sections.setdefault(section, {"like": 0, "dislike": 0})[rating.rating] += 1
    summary.sections = {s: summary.sections[s] for s in sorted(summary.sections, key=section_key)}
    summary.disliked = sorted((r for r in ratings if r.rating == "dislike"), key=lambda r: r.created_at, reverse=True)
    topics: dict[str, list[Unanswered]] = {}
    for question in unanswered:
        topics.setdefault(question.topic, []).append(question)
    order = sorted(topics, key=lambda t: (-len(topics[t]), t == NOT_IN_NOTICE, section_key(t) if t != NOT_IN_NOTICE
                                          else ()))  # fmt: skip
    summary.topics = {t: topics[t] for t in order}
    return summary


# ----------------------------------------------------------------------------------------------- plots


def plot_weeks(summary: Summary, path: Path) -> None:
    weeks = list(summary.weeks)
    fig, ax = plt.subplots(figsize=(9, 3.5))
    bottom = [0] * len(weeks)
    for kind in KINDS:
        values = [summary.weeks[w][kind] for w in weeks]
        ax.bar(weeks, values, bottom=bottom, label=kind, color=COLOURS[kind])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("items")
    ax.set_title("Feedback per week")
    ax.tick_params(axis="x", labelrotation=30)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_languages(summary: Summary, path: Path) -> None:
    languages = list(summary.languages)
    fig, ax = plt.subplots(figsize=(9, 3.5))
    width = 0.8 / len(KINDS)
    for i, kind in enumerate(KINDS):
        ax.bar([x + i * width for x in range(len(languages))], [summary.languages[lang][kind] for lang in languages],
               width, label=kind, color=COLOURS[kind])  # fmt: skip
    ax.set_xticks([x + width for x in range(len(languages))], languages)
    ax.set_ylabel("items")
    ax.set_title("Feedback per language")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


# ----------------------------------------------------------------------------------------------- writing


def md(text: str) -> str:
    """Text for a Markdown table cell: on one line, with nothing Markdown would turn into a link, an image or HTML."""
    return MARKDOWN.sub(lambda m: "\\" + m.group(), " ".join(text.split())) or "–"


def _title(section: str, titles: dict[str, str]) -> str:
    if section == NOT_IN_NOTICE:
        return NOT_IN_NOTICE
    return f"§ {section} {titles[section]}" if section in titles else f"§ {section}"


def count_rows(table: dict[str, dict[str, int]], kinds: tuple[str, ...] = KINDS) -> list[list[str]]:
    return [[name, *(str(counts[k]) for k in kinds)] for name, counts in table.items()]


def write_feedback_report(folder: Path, summary: Summary, meta: dict[str, Any],
                          titles: dict[str, str] | None = None) -> dict[str, Path]:  # fmt: skip
    """report.md, report.html (self-contained: inline style, plots embedded) and the plots, in `folder`; returns
    the files' paths. `titles`: section id -> title, to name the sections."""
    titles = titles or {}
    folder.mkdir(parents=True, exist_ok=True)
    plots = {"weeks": folder / "weeks.png", "languages": folder / "languages.png"}
    plot_weeks(summary, plots["weeks"])
    plot_languages(summary, plots["languages"])
    tables = {
        "weeks": (["week", *KINDS], count_rows(summary.weeks)),
        "languages": (["language", *KINDS], count_rows(summary.languages)),
        "sections": (["section", "liked", "disliked"],
                     [[_title(s, titles), str(c["like"]), str(c["dislike"])] for s, c in summary.sections.items()]),
        "disliked": (["id", "date", "language", "question", "cited", "comment"],  # the id, for `add-case`
                     [[f"#{r.id}", r.created_at[:10], r.language, r.question, ", ".join(r.cited) or "–",
                       r.comment or "–"] for r in summary.disliked]),
    }  # fmt: skip
    headings = {"weeks": "Per week", "languages": "Per language", "sections": "Liked and disliked, per cited section",
                "disliked": f"Answers disliked ({len(summary.disliked)})"}  # fmt: skip
    likes = sum(r.rating == "like" for r in summary.ratings)
    totals = (f"{len(summary.ratings)} ratings ({likes} liked, {len(summary.ratings) - likes} disliked), "
              f"{len(summary.unanswered)} unanswered questions")  # fmt: skip
    period = f"{meta.get('period', 'everything kept')} · store {meta.get('store', '?')} · written {meta.get('written')}"

    lines = ["# What customers asked", "", md(period), "", md(totals), ""]
    for key, (header, rows) in tables.items():
        lines += [f"## {headings[key]}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows] + [""]
        if key in plots:
            lines += [f"![{key}]({plots[key].name})", ""]
    lines += [f"## Unanswered questions, by nearest section ({len(summary.unanswered)})", ""]
    for topic, questions in summary.topics.items():
        lines += [f"### {md(_title(topic, titles))} ({len(questions)})", ""]
        lines += [f"- ({q.language}, {md(q.reason)}, #{q.id}) {md(q.question)}" for q in questions] + [""]
    (folder / "report.md").write_text("\n".join(lines), encoding="utf-8")

    e = html.escape
    parts = [f"<h1>What customers asked</h1><p>{e(period)}</p><p>{e(totals)}</p>"]
    for key, (header, rows) in tables.items():
        parts.append(f"<h2>{e(headings[key])}</h2>" + (embed_png(plots[key]) if key in plots else ""))
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr>"
                     + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
                     + "</table>")  # fmt: skip
    parts.append(f"<h2>Unanswered questions, by nearest section ({len(summary.unanswered)})</h2>")
    for topic, questions in summary.topics.items():
        items = "".join(f"<li><span class=tag>{e(q.language)} · {e(q.reason)} · #{q.id}</span> {e(q.question)}</li>"
                        for q in questions)  # fmt: skip
        parts.append(f"<h3>{e(_title(topic, titles))} ({len(questions)})</h3><ul>{items}</ul>")
    # The policy forbids anything but the embedded plots and the inline style: nothing is ever fetched.
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>What customers asked</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1200px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:14px}}th{{background:#eee}}
img{{max-width:100%;display:block;margin:1em 0}}.tag{{color:#666;font-size:12px}}</style></head>
<body>{"".join(parts)}</body></html>"""
    (folder / "report.html").write_text(page, encoding="utf-8")
    return {"md": folder / "report.md", "html": folder / "report.html", **plots}


# ----------------------------------------------------------------------------------------------- cases
