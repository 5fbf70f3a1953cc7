"""Last step, suggest: a few questions the cited section answers, in the reply's language, for the customer to ask
next (well-written typical questions of the section's bank, none a paraphrase of the question or of each other)."""

from __future__ import annotations

import re

import numpy as np

from assistant.served import Served
from assistant.speller import Speller
from assistant.turn import Turn

MIN_WORDS, MAX_WORDS = 5, 14
WORD = re.compile(r"[^\W\d_]{2,}")


def well_written(text: str, speller: Speller | None) -> bool:
    """A bank question fit to show as a button: a capital, one question mark at its end, a readable length, no
    placeholders, and every word one the speller knows (the bank also keeps questions typed the way customers
    type them, which a suggestion must not copy)."""
    words = text.split()
    if not (text[:1].isupper() and text.endswith("?") and text.count("?") == 1
            and MIN_WORDS <= len(words) <= MAX_WORDS and "[" not in text):  # fmt: skip
        return False
    return speller is None or all(speller.knows(word) for word in WORD.findall(text))


def run(turn: Turn, served: Served) -> None:
    """Reads the reply and the query's vector; adds `follow_ups` to an answer with citations: questions of the cited
    section (then of the next sections ranked) that its other sentences answer, not the one just highlighted."""
    reply, ranking = turn.reply, turn.ranking
    if reply is None or reply.abstained or not reply.citations or ranking is None:
        return
    retriever, tuning = served.retriever, served.tuning
    speller = served.spellers.get(reply.language)
    shown = {c.highlight for c in reply.citations}
    asked = {" ".join(message.lower().split()) for message in (turn.text, turn.query)}
    sections = dict.fromkeys([reply.citations[0].section_id, *(h.section_id for h in ranking.hits[1:3])])
    # In the writers' order: a section's first questions are its plainest.
    candidates = ((section_id, position) for section_id in sections
                  for position in retriever.units.get((reply.language, section_id, "question"), []))  # fmt: skip
    picked: list[int] = []
    for section_id, position in candidates:
        text = retriever.chunk(position).text
        if not well_written(text, speller) or " ".join(text.lower().split()) in asked:
            continue
        vector = retriever.vectors[position]
        near = [ranking.vector, *(retriever.vectors[p] for p in picked)]
        if max(float(np.dot(vector, other)) for other in near) >= tuning.suggestion_max_similarity:
            continue
        sentences = retriever.units.get((reply.language, section_id, "sentence"), [])
        if sentences:  # answered by the sentence already shown: nothing new to read
            nearest = sentences[int(np.argmax(retriever.vectors[sentences] @ vector))]
            if retriever.chunk(nearest).text in shown:
                continue
        picked.append(position)
        if len(picked) == tuning.suggestions:
            break
    reply.follow_ups = [retriever.chunk(p).text for p in picked]
