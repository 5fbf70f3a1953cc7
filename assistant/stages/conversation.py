"""Stage 5, conversation: what retrieval reads, and whether a short message leans on the previous one."""

from __future__ import annotations

from assistant.served import Served
from assistant.turn import Turn


def retrieval_text(text: str, language: str, served: Served) -> str:
    """The message without its opening greeting ("bonjour, ..."), which only blurs it, and with typos mended
    against the words of the notice and its typical questions."""
    question = served.guards.small_talk.without_opening(text)
    speller = served.spellers.get(language)
    return speller.correct(question) if speller else question


def run(turn: Turn, served: Served) -> None:
    """Reads `text`, `language` and the earlier messages; adds `query`, `context` and `follow_up`: a message of
    a few words after others is read with the previous one, for what it leaves out ("and for how long?")."""
    turn.query = retrieval_text(turn.text, turn.language, served)
    turn.context = [retrieval_text(message, turn.language, served) for message in turn.earlier]
    turn.follow_up = bool(turn.context) and len(turn.query.split()) <= served.tuning.follow_up_max_words
