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
    question, kinds = facts_asked(turn, served)
    for kind in kinds:  # the first fact asked that no quote states
        if kind == "date" and turn.notice_date:
            continue
        if not any(served.precise.stated(kind, c.quote, c.language, question) for c in turn.citations):
            turn.partial = kind
            return


def facts_asked(turn: Turn, served: Served) -> tuple[str, list[str]]:
    """The message asking precise facts, and the facts: the turn's own, or for a follow-up that only names another
    thing ("and my search history?" after "how long do you keep my orders?"), its topic's latest."""
    kinds = served.precise.all_asked(*turn.asked_fact)
    if not kinds and turn.follow_up and served.topic_rules.only_names_another_thing(turn.query, turn.language):
        for message in reversed(turn.context):
            found = served.precise.all_asked(message, turn.language)
            if found:
                return message, found
    return turn.query, kinds
