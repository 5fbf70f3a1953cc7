"""Stage 9, partial: a question asking a precise fact (a number of days, a fine, a name, a place) that the
quoted sentences do not state is answered as partial: the reply says so first, then quotes the topic. A question
asking the notice's own date gets the date printed at its top."""

from __future__ import annotations

from assistant.served import Served
from assistant.turn import Turn


def run(turn: Turn, served: Served) -> None:
    """Reads `query`, `language` and `citations`; adds `notice_date` (the notice's date, asked) and `partial` (the
    fact asked and not stated)."""
    if not turn.citations:
        return
    notice = served.notices.get(turn.language) or served.notices.get(turn.citations[0].language)
    if (notice and turn.citations[0].section_id in served.sections("revisions_section")
            and served.precise.asks_notice_date(turn.query, turn.language)):  # fmt: skip
        turn.notice_date = str(notice.meta.get("last_updated_label", ""))
    kind = served.precise.asked(*turn.asked_fact)
    if kind is None or (kind == "date" and turn.notice_date):
        return
    if any(served.precise.stated(kind, citation.quote, citation.language, turn.query) for citation in turn.citations):
        return
    turn.partial = kind
