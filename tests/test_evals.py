"""The evaluation suite: metrics, the regression gate on a damaged corpus, and the HTML report in a browser."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from evals.cases import Case, CaseError, load_cases
from evals.gate import check
from evals.metrics import Outcome, fact_recalled, summarise

PLACEHOLDER = {
    "fr": "Cette section est en cours de révision.",
    "nl": "Deze sectie wordt herzien.",
    "en": "This section is being revised.",
}


def test_cases_cover_every_section_in_every_language() -> None:
    cases = load_cases()
    for lang in ("fr", "nl", "en"):
        mine = [c for c in cases if c.language == lang]
        assert sum(c.answerable for c in mine) >= 40 and sum(not c.answerable for c in mine) >= 10
        covered = {s for c in mine for s in c.expected_top}
        assert covered >= {str(n) for n in range(1, 16)}


def outcome(case: Case, cited: list[str], abstained: bool = False, language: str = "fr") -> Outcome:
    answer = {
        "answer": "x", "abstained": abstained, "language": language, "latency_ms": 10.0,
        "citations": [{"section_id": s} for s in cited], "sections": [{"section_id": s} for s in cited],
    }  # fmt: skip
    return Outcome(case, answer)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_every_labelled_answer_sentence_is_verbatim_text_of_the_notice(language: str) -> None:
    notice = (PROJECT_ROOT / "corpus" / f"{language}.md").read_text(encoding="utf-8")
    paths = [p for p in sorted((PROJECT_ROOT / "evals").glob(f"*/{language}.yaml"))
             if p.parent.name not in ("answers", "sentences")]  # fmt: skip  (other formats, checked elsewhere)
    cases = [case for path in paths for case in load_cases([path])]
    labelled = [sentence for case in cases for sentence in case.answer_sentences]
    assert len(paths) >= 8 and len(labelled) > 1000
    assert [s for s in labelled if s not in notice] == []


def test_metrics_count_hits_and_abstentions() -> None:
    answerable = Case("a", "fr", "q", True, ("3.9", "9"))
    other = Case("b", "fr", "q", True, ("11",))
    unanswerable = Case("c", "fr", "q", False)
    table = summarise([outcome(answerable, ["3.5"]), outcome(other, ["9", "11"]), outcome(unanswerable, [], True)])
    assert table["hit@1"] == 0.5  # 3.5 counts for section 3 (expected 3.9 or 9); 9 is not 11
    assert table["hit@3"] == 1.0 and table["mrr"] == 0.75
    assert table["subsection@1"] == 0.0
    assert table["abstain_recall"] == 1.0 and table["abstain_precision"] == 1.0 and table["false_abstain"] == 0.0


def test_the_highlighted_sentence_is_scored_apart_from_the_quote() -> None:
    answering, other = "Vous pouvez retirer votre consentement.", "Nous utilisons des cookies."
    case = Case("a", "fr", "q", True, ("9",), answer_sentences=(answering,))
    quote = f"{other} […] {answering}"
    answers = [{"answer": "x", "abstained": False, "language": "fr", "latency_ms": 1.0, "sections": [],
                "citations": [{"section_id": "9", "quote": quote, "highlight": highlight}]}
               for highlight in (answering, other)]  # fmt: skip
    right, wrong = (Outcome(case, answer) for answer in answers)
    assert right.answer_quoted and wrong.answer_quoted  # both quote it ...
    assert right.answer_highlighted and not wrong.answer_highlighted  # ... one shows it first
    assert summarise([right, wrong])["answer_highlighted"] == 0.5


def test_a_plain_case_can_expect_a_partial_answer(tmp_path: Path) -> None:
    path = tmp_path / "en.yaml"
    path.write_text(
        "- {id: a, question: 'How many days exactly?', answerable: false, expect: partial,\n"
        "   expected_sections: ['11']}\n- {id: b, question: 'Who?', answerable: false}\n",
        encoding="utf-8",
    )
    partial, declined = load_cases([path])
    assert (partial.expected, partial.expected_sections, declined.expected) == ("partial", ("11",), "decline")
    path.write_text("- {id: c, question: 'Who?', answerable: false, expect: answer}\n", encoding="utf-8")
    with pytest.raises(CaseError, match="'answer' exactly when answerable"):
        load_cases([path])


def test_cases_are_asked_from_their_languages_page(assistant) -> None:  # type: ignore[no-untyped-def]
    from evals.runner import run_cases

    one_word = [Case("x", lang, "cookies?", True, ("4",)) for lang in ("fr", "nl")]
    on_page = run_cases(assistant, one_word, progress=False)
    # The words cannot tell: the page's language decides, and the unaided guess is kept for its own metric.
    assert [o.answer["language"] for o in on_page] == ["fr", "nl"]
    assert [o.unaided_language for o in on_page] == ["en", "en"]
    assert summarise(on_page)["language_match"] == 1.0 and summarise(on_page)["language_unaided"] == 0.0
    # A question that tells its language is answered in it whatever the page.
    told = run_cases(assistant, [Case("y", "nl", "how long do you keep my data?", True, ("11",))], progress=False)
    assert told[0].answer["language"] == "en"
    off_page = run_cases(assistant, one_word, progress=False, page_language=False)
    assert [o.answer["language"] for o in off_page] == ["en", "en"]


def test_key_facts_match_despite_accents_and_inflection() -> None:
    assert fact_recalled("retirer le consentement", "vous pouvez retirer votre consentement à tout moment")
    assert fact_recalled("moins de 18 ans", "Si vous êtes âgé de moins de 18 ans, vous ne pouvez")
    assert not fact_recalled("eu-privacy@amazon.com.be", "contactez le Service Client")


def test_gate_reports_thresholds_and_regressions() -> None:
    table = {"fr": {"hit@1": 0.7, "false_abstain": 0.1}}
    rules = {
        "min": {"hit@1": 0.8},
        "max": {"false_abstain": 0.05},
        "baseline": {"tolerance": 0.03, "metrics": ["hit@1"]},
    }
    problems = check(table, rules, {"fr": {"hit@1": 0.9}})
    assert any("below the threshold" in p for p in problems)
    assert any("above the threshold" in p for p in problems)
    assert any("fell from 0.900" in p for p in problems)


def test_emptying_a_section_fails_the_gate_and_names_the_affected_cases(tmp_path: Path, corpus_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus, ignore=shutil.ignore_patterns("sources"))
    for lang, text in PLACEHOLDER.items():
        path = corpus / f"{lang}.md"
        content = path.read_text(encoding="utf-8")
        # Section 11 (retention) loses its text, as if a writer had deleted the passage.
        content = re.sub(r"(## 11 [^\n]*\n\n)(.*?)(\n## 12 )", rf"\g<1>{text}\n\g<3>", content, flags=re.S)
        path.write_text(content, encoding="utf-8")
    report = tmp_path / "report"
    result = subprocess.run(
        [sys.executable, "-m", "evals", "run", "--corpus", str(corpus), "--index", str(tmp_path / "index"),
         "--out", str(report)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=900,
    )  # fmt: skip
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert "GATE FAILED" in result.stdout and "fell from" in result.stdout
    retention = [c.id for c in load_cases() if c.answerable and c.expected_sections == ("11",)]
    assert len(retention) >= 3
    named_in_report = (report / "report.md").read_text(encoding="utf-8")
    named = [case_id for case_id in retention if f"| {case_id} |" in named_in_report]
    assert len(named) >= len(retention) - 1, (retention, named)
    assert all(case_id in result.stdout for case_id in named)
    assert "FAILED" in (report / "report.html").read_text(encoding="utf-8")


def test_report_html_opens_in_chromium_with_its_plots(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report"
    result = subprocess.run([sys.executable, "-m", "evals", "run", "--lang", "en", "--out", str(report)],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)  # fmt: skip
    assert (report / "report.html").is_file(), result.stderr[-2000:]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto((report / "report.html").as_uri())
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 3 and all(w > 300 for w in widths)
    assert "hit@1" in page.inner_text("body")
    (PROJECT_ROOT / "tests" / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PROJECT_ROOT / "tests" / "screenshots" / "eval-report.png"), full_page=True)
    page.close()


def test_reports_never_store_personal_data(tmp_path: Path) -> None:
    cases = tmp_path / "en.yaml"
    cases.write_text(
        '- id: pii-1\n  question: "I am jan.peeters@example.be, order 402-1234567-7654321, call +32 470 12 34 56: '
        'do you sell my data?"\n  answerable: true\n  expected_sections: ["5"]\n  key_facts: []\n  tags: []\n'
        '- id: pii-2\n  question: "my card 4111 1111 1111 1111 was charged twice, refund?"\n  answerable: false\n',
        encoding="utf-8",
    )
    report = tmp_path / "report"
    result = subprocess.run([sys.executable, "-m", "evals", "run", "--cases", str(cases), "--out", str(report)],
                            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)  # fmt: skip
    assert (report / "results.jsonl").is_file(), result.stderr[-2000:]
    written = "".join(p.read_text(encoding="utf-8") for p in report.iterdir() if p.suffix in (".md", ".html", ".jsonl"))
    for secret in ("jan.peeters", "402-1234567", "470 12 34 56", "4111 1111"):
        assert secret not in written and secret not in result.stdout
    assert "[EMAIL]" in written


def test_the_results_page_is_the_one_the_recorded_figures_make() -> None:
    """docs/results.md is generated: after a measurement is recorded, `python -m evals results` must be run, or the
    page shows older figures than docs/results/*.json."""
    from evals.results import PAGE, render

    assert PAGE.read_text(encoding="utf-8") == render(), "docs/results.md is stale: run `python -m evals results`"
