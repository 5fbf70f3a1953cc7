"""Last step, note: a reply to a message that carried the customer's own details says, in one line, that there is
no need to share them and that the assistant cannot see their account (it runs after every reply, declines too)."""

from __future__ import annotations

from assistant.served import Served
from assistant.turn import Turn

SMALL_TALK = ("greeting", "thanks", "goodbye", "acknowledged")


def run(turn: Turn, served: Served) -> None:
    """Reads `details` and the reply; adds the note to the reply's text."""
    reply = turn.reply
    if reply is None or not turn.details or reply.reason in SMALL_TALK:
        return
    reply.closing = served.template(reply.language, "details_note")
    reply.answer = f"{reply.answer}\n\n{reply.closing}"
