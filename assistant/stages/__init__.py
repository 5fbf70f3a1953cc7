"""The pipeline: the stages a message goes through, in order; each reads and adds to the Turn."""

from __future__ import annotations

from collections.abc import Callable

from assistant.served import Served
from assistant.stages import (
    abstain,
    clean,
    compose,
    conversation,
    guards,
    language,
    note,
    partial,
    redact,
    render,
    retrieve,
    suggest,
)
from assistant.turn import Turn

Stage = Callable[[Turn, Served], None]

PIPELINE: tuple[tuple[str, Stage], ...] = (
    ("redact", redact.run),  # personal details -> placeholders
    ("clean", clean.run),  # markup out; too long or empty declined
    ("language", language.run),  # the reply's language
    ("conversation", conversation.run),  # what retrieval reads; a follow-up is read with its topic
    ("guards", guards.run),  # small talk; attacks, internals, someone else's data, authority; unknown names
    ("retrieve", retrieve.run),  # sections ranked
    ("abstain", abstain.run),  # the notice does not answer: declined
    ("compose", compose.run),  # sentences quoted, citations
    ("partial", partial.run),  # a precise fact asked that the quotes do not state
    ("render", render.run),  # the reply's text
)


FINALLY: tuple[tuple[str, Stage], ...] = (
    ("suggest", suggest.run),  # a few questions the cited section answers, to ask next
    ("note", note.run),  # a reply to a message with the customer's own details: no need to share them here
)


def run(turn: Turn, served: Served, stages: tuple[tuple[str, Stage], ...] = PIPELINE) -> Turn:
    """Pass the turn through the stages until one settles its reply, then through the final steps."""
    for name, stage in stages:
        with turn.timed(name):
            stage(turn, served)
        if turn.finished:
            break
    if turn.finished:
        for name, stage in FINALLY:
            with turn.timed(name):
                stage(turn, served)
    return turn
