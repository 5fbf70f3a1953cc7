"""Running cases through the assistant, with a progress bar."""

from __future__ import annotations

import sys

from tqdm import tqdm

from evals.cases import Case
from evals.metrics import Outcome


def run_cases(assistant, cases: list[Case], progress: bool = True, page_language: bool = True) -> list[Outcome]:  # type: ignore[no-untyped-def]
    """Ask every case. With `page_language`, a case is asked as from the help page in its file's language
    (the chat sends the page's locale, used only when the words themselves cannot tell, e.g. "cookies?");
    the language each answer would have had without it is kept too, for the `language_unaided` metric."""
    outcomes = []
    for case in tqdm(cases, desc="Evaluating", unit="case", file=sys.stderr, disable=not progress):
        history = list(case.history) or None
        page = case.language if page_language else None
        answer = assistant.ask(case.question, history=history, default_lang=page)
        # Asked again without the page only when that can change anything: the page's language is not the
        # assistant's own default.
        unaided = answer.language
        if page not in (None, assistant.settings.default_language):
            unaided = assistant.ask(case.question, history=history).language
        outcomes.append(Outcome(case, answer.to_dict(include_sections=True), unaided_language=unaided))
    return outcomes
