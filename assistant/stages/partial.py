"""Stage 9, partial: a question asking a precise fact (a number of days, a fine, a name, a place) that the
quoted sentences do not state is answered as partial: the reply says so first, then quotes the topic."""

from __future__ import annotations

from assistant.served import Served
from assistant.turn import Turn


def run(turn: Turn, served: Served) -> None:
    """Reads `query`, `language` and `citations`; adds `partial` (the fact asked and not stated)."""
    kind = served.precise.asked(*turn.asked_fact)
    if kind is None or not turn.citations:
        return
    if any(served.precise.stated(kind, citation.quote, citation.language, turn.query) for citation in turn.citations):
        return
    turn.partial = kind
