"""The regression gate: thresholds from evals/thresholds.toml and the stored baseline report."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

EVALS_DIR = Path(__file__).resolve().parent
THRESHOLDS = EVALS_DIR / "thresholds.toml"
REPORTS = EVALS_DIR / "reports"
BASELINE = REPORTS / "baseline"
LOWER_IS_BETTER = {"false_abstain", "latency_p50_ms", "latency_p95_ms"}


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def load_metrics(folder: Path) -> dict[str, dict[str, float]] | None:
    path = folder / "metrics.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["metrics"]


def check(
    table: dict[str, dict[str, float]], thresholds: dict[str, Any], baseline: dict[str, dict[str, float]] | None
) -> list[str]:
    """Every broken rule, as a sentence a content writer can act on; empty when the gate passes."""
    problems = []
    for lang, metrics in table.items():
        for name, floor in thresholds.get("min", {}).items():
            value = metrics.get(name)
            if value is not None and value == value and value < floor:
                problems.append(f"{lang}: {name} is {value:.3f}, below the threshold {floor}")
        for name, ceiling in thresholds.get("max", {}).items():
            value = metrics.get(name)
            if value is not None and value == value and value > ceiling:
                problems.append(f"{lang}: {name} is {value:.3f}, above the threshold {ceiling}")
    tolerance = thresholds.get("baseline", {}).get("tolerance", 0.03)
    compared = thresholds.get("baseline", {}).get("metrics", [])
    if baseline:
        for lang, metrics in table.items():
            for name in compared:
                before, now = baseline.get(lang, {}).get(name), metrics.get(name)
                if before is None or now is None or before != before or now != now:
                    continue
                worse = now - before if name in LOWER_IS_BETTER else before - now
                if worse > tolerance:
                    problems.append(f"{lang}: {name} fell from {before:.3f} (baseline) to {now:.3f}")
    return problems


def worse_cases(outcomes: list[dict[str, Any]], baseline: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Cases that got worse than in the baseline run: now failing, or conveying fewer of their key facts."""
    worse = []
    for row in outcomes:
        before = baseline.get(row["id"])
        if before is None:
            continue
        reasons = []
        if before["passed"] and not row["passed"]:
            reasons.append(row["why"])
        if row["key_fact_recall"] < before["key_fact_recall"]:
            reasons.append(f"key facts {before['key_fact_recall']:.0%} -> {row['key_fact_recall']:.0%}")
        if reasons:
            worse.append({**row, "worse": "; ".join(reasons)})
    return worse


def load_results(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / "results.jsonl"
    if not path.is_file():
        return {}
    return {row["id"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
