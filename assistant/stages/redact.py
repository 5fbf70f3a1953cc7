"""Stage 1, redact: the customer's personal details become typed placeholders before anything else reads them."""

from __future__ import annotations

from assistant.privacy import redact_details
from assistant.served import Served
from assistant.turn import Turn


def run(turn: Turn, served: Served) -> None:
    """Reads the message and the earlier ones as received; adds `redacted`, `details` and the redacted history."""
    redaction = redact_details(turn.message)
    turn.redacted, turn.details = redaction.text, redaction.kinds
    turn.earlier = [redact_details(message).text for message in turn.history]
