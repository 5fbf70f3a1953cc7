"""The pipeline: the stages a message goes through, in order; each reads and adds to the Turn."""

from __future__ import annotations

from collections.abc import Callable

from assistant.served import Served
from assistant.stages import abstain, clean, compose, conversation, guards, language, redact, render, retrieve
from assistant.turn import Turn

Stage = Callable[[Turn, Served], None]

PIPELINE: tuple[tuple[str, Stage], ...] = (
    ("redact", redact.run),  # personal details -> placeholders
    ("clean", clean.run),  # markup out; too long or empty declined
    ("language", language.run),  # the reply's language
    ("guards", guards.run),  # small talk, injections, someone else's data, unknown names
    ("conversation", conversation.run),  # what retrieval reads; follow-ups lean on the previous message
    ("retrieve", retrieve.run),  # sections ranked
    ("abstain", abstain.run),  # the notice does not answer: declined
    ("compose", compose.run),  # sentences quoted, citations
    ("render", render.run),  # the reply's text
)


def run(turn: Turn, served: Served, stages: tuple[tuple[str, Stage], ...] = PIPELINE) -> Turn:
    """Pass the turn through the stages until one settles its reply."""
    for name, stage in stages:
        with turn.timed(name):
            stage(turn, served)
        if turn.finished:
            break
    return turn
