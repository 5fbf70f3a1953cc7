"""Stage 4, guards: small talk gets a reply in kind; injections, someone else's data and unknown names a decline."""

from __future__ import annotations

from assistant.served import Served
from assistant.stages.language import explicit, page
from assistant.turn import Turn


def run(turn: Turn, served: Served) -> None:
    """Reads `text` and `language`; settles the turn when a guard declines it, or when it is only small talk."""
    chat = served.guards.small_talk.kind(turn.text)
    if chat:  # "merci", "hallo", "hi, can you help me": a reply in kind, in its language when it tells
        kind, languages = chat
        candidates = (turn.conversation_language, page(turn, served))
        language = explicit(turn, served) or next((c for c in candidates if c in languages), languages[0])
        reason = "greeting" if kind == "help" else kind
        turn.settle(language, served.template(language, f"decline.{reason}"), reason)
        return
    verdict = served.guards.check(turn.text)
    if verdict is not None:
        turn.settle(turn.language, served.template(turn.language, f"decline.{verdict.reason}", **verdict.values),
                    verdict.reason)  # fmt: skip
