"""Stage 9, partial: a question asking a precise fact (a number of days, a fine, a name, a place) that the
quoted sentences do not state is answered as partial: the reply says so first, then quotes the topic. A question
asking the notice's own date gets the date printed at its top."""

from __future__ import annotations

from assistant.served import Served
from assistant.turn import Turn


def run(turn: Turn, served: Served) -> None:
    """Reads `query`, `language`, `citations` and a follow-up's `context`; adds `notice_date` (the notice's date,
    asked) and `partial` (the fact asked and not stated)."""
    if not turn.citations:
        return
    notice = served.notices.get(turn.language) or served.notices.get(turn.citations[0].language)
    if (notice and turn.citations[0].section_id in served.sections("revisions_section")
            and served.precise.asks_notice_date(turn.query, turn.language)):  # fmt: skip
        turn.notice_date = str(notice.meta.get("last_updated_label", ""))
    question, kind = fact_asked(turn, served)
    if kind is None or (kind == "date" and turn.notice_date):
        return
    if any(served.precise.stated(kind, citation.quote, citation.language, question) for citation in turn.citations):
        return
    turn.partial = kind


def fact_asked(turn: Turn, served: Served) -> tuple[str, str | None]:
    """The message asking a precise fact, and the fact: the turn's own, or for a follow-up that only names another
    thing ("and my search history?" after "how long do you keep my orders?"), its topic's latest."""
    kind = served.precise.asked(*turn.asked_fact)
    if kind is None and turn.follow_up and served.topic_rules.only_names_another_thing(turn.query, turn.language):
        for message in reversed(turn.context):
            found = served.precise.asked(message, turn.language)
            if found is not None:
                return message, found
    return turn.query, kind
