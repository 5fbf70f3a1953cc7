"""Running cases through the assistant, with a progress bar."""

from __future__ import annotations

import sys

from tqdm import tqdm

from evals.cases import Case
from evals.metrics import Outcome


def run_cases(assistant, cases: list[Case], progress: bool = True) -> list[Outcome]:  # type: ignore[no-untyped-def]
    outcomes = []
    for case in tqdm(cases, desc="Evaluating", unit="case", file=sys.stderr, disable=not progress):
        answer = assistant.ask(case.question, history=list(case.history) or None)
        outcomes.append(Outcome(case, answer.to_dict(include_sections=True)))
    return outcomes
