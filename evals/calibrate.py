"""Calibrating abstention: the threshold grid over held-out bank questions, as written and with typos."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from assistant.stages.abstain import decide
from assistant.tuning import Tuning
from evals.holdout import HeldOut

# The grid of the three abstention numbers (docs/decisions/abstention.md tells how it came to be).
QUESTION_MATCH = (0.85, 0.86, 0.87)
MARGIN = (0.0, 0.01, 0.02)
PROBABILITY = (0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0)  # 1.0: no classifier rule
CEILING = 0.03  # at most this share of answerable held-out questions may abstain, in every language


@dataclass(frozen=True)
class Choice:
    """One point of the grid and what it does on the held-out questions (per language, as written and typed)."""

    tuning: Tuning
    recall: dict[str, float]  # out-of-scope questions abstaining, per language (as written)
    false_abstain: dict[str, float]  # answerable questions abstaining, per language, the worse of written/typed

    @property
    def mean_recall(self) -> float:
        return float(np.mean(list(self.recall.values())))


def score(results: list[HeldOut], tuning: Tuning) -> tuple[dict[str, float], dict[str, float]]:
    """Per language: abstention recall on out-of-scope questions and false abstention on answerable ones."""
    recall: dict[str, float] = {}
    false: dict[str, float] = {}
    for lang in sorted({r.language for r in results}):
        mine = [r for r in results if r.language == lang]
        out = [decide(r.evidence, tuning) for r in mine if r.expected is None]
        inside = [decide(r.evidence, tuning) for r in mine if r.expected is not None]
        recall[lang] = float(np.mean(out)) if out else float("nan")
        false[lang] = float(np.mean(inside)) if inside else float("nan")
    return recall, false


def grid(written: list[HeldOut], typed: list[HeldOut], base: Tuning) -> list[Choice]:
    """Every point of the grid, with its figures."""
    choices = []
    for match, margin, probability in itertools.product(QUESTION_MATCH, MARGIN, PROBABILITY):
        tuning = replace(base, min_question_match=match, out_of_scope_margin=margin,
                         max_out_of_scope_probability=probability)  # fmt: skip
        recall, false = score(written, tuning)
        _, false_typed = score(typed, tuning) if typed else (None, false)
        worst = {lang: max(false[lang], false_typed.get(lang, 0.0)) for lang in false}
        choices.append(Choice(tuning, recall, worst))
    return choices


def best(choices: list[Choice], ceiling: float = CEILING) -> Choice | None:
    """The point with the highest mean recall whose false abstention stays under the ceiling in every language;
    ties go to the lowest thresholds (the fewest answerable questions at risk)."""
    allowed = [c for c in choices if all(v <= ceiling for v in c.false_abstain.values())]
    if not allowed:
        return None
    return max(allowed, key=lambda c: (round(c.mean_recall, 6), -c.tuning.min_question_match,
                                       -c.tuning.out_of_scope_margin, c.tuning.max_out_of_scope_probability))
