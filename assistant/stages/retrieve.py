"""Stage 6, retrieve: the notice's sections ranked for the query (and the context a follow-up leans on)."""

from __future__ import annotations

import numpy as np

from assistant.retrieval import Ranking
from assistant.served import Served
from assistant.turn import Turn


def query_vector(turn: Turn, served: Served) -> np.ndarray:
    """The query's vector; a follow-up's leans on the previous message's for what it leaves out."""
    if turn.follow_up:
        vectors = served.embed.encode_queries([turn.query, turn.context[-1]])
        weight = served.tuning.follow_up_weight
        mixed = (1 - weight) * vectors[0] + weight * vectors[1]
        return (mixed / np.linalg.norm(mixed)).astype(np.float32)
    return served.embed.encode_queries([turn.query])[0]


def rank(turn: Turn, served: Served, vector: np.ndarray | None = None) -> Ranking:
    """The ranking of the turn's query (given its vector, or encoding it)."""
    vector = query_vector(turn, served) if vector is None else vector
    text = f"{turn.query} {turn.context[-1]}" if turn.follow_up else turn.query
    return served.retriever.ranking(text, vector, turn.language, served.tuning.signals)


def run(turn: Turn, served: Served) -> None:
    """Reads `query`, `context`, `follow_up` and `language`; adds `ranking`."""
    turn.ranking = rank(turn, served)
