"""Stage 6, retrieve: the notice's sections ranked for the query (and the context a follow-up leans on)."""

from __future__ import annotations

import numpy as np

from assistant.corpus import parent_id
from assistant.retrieval import Ranking
from assistant.served import Served
from assistant.stages.abstain import decide, evidence, weighing
from assistant.turn import Turn


def query_vector(turn: Turn, served: Served) -> np.ndarray:
    """The query's vector; a follow-up's leans on its topic's messages, the latest weighing most."""
    vector = served.embed.encode_query(turn.query)
    if not turn.follow_up:
        return vector
    tuning = served.tuning
    topic = sum(served.embed.encode_query(message) * tuning.follow_up_decay ** age
                for age, message in enumerate(reversed(turn.context)))  # fmt: skip
    mixed = (1 - tuning.follow_up_weight) * vector + tuning.follow_up_weight * topic / np.linalg.norm(topic)
    return (mixed / np.linalg.norm(mixed)).astype(np.float32)


def rank(turn: Turn, served: Served, vector: np.ndarray | None = None) -> Ranking:
    """The ranking of the turn's query (given its vector, or encoding it)."""
    vector = query_vector(turn, served) if vector is None else vector
    return served.retriever.ranking(ngram_text(turn), vector, turn.language, served.tuning.signals)


def ngram_text(turn: Turn) -> str:
    """What a turn's character n-grams are read from: the message, and a follow-up's last topic message too."""
    return f"{turn.query} {turn.context[-1]}" if turn.follow_up and turn.context else turn.query


def run(turn: Turn, served: Served) -> None:
    """Reads `query`, `context`, `follow_up` and `language`; adds `ranking`. A short follow-up with no word
    pointing back that the notice does not answer alone, nearer its out-of-scope questions than its typical ones,
    opens its own topic ("waar is mijn pakje?" after a question on retention): the topic does not rescue it."""
    if turn.asks_action and turn.follow_up:  # "then do it for me": a request of its own, not the topic's question
        turn.relation, turn.follow_up, turn.context = "change", False, []
    alone = None
    if turn.follow_up and not turn.points_back:
        alone = read_alone(turn, served)
        found = None
        if alone.hits:
            language = alone.hits[0].language
            found = evidence(alone, language, served.tuning, weighing(turn.query, language, served))
        if found is None or (decide(found, served.tuning) and found.nearest_out is not None
                             and found.nearest_out - found.nearest_in > served.tuning.follow_up_alone_out_margin):
            turn.relation, turn.follow_up, turn.context, turn.ranking = "change", False, [], alone
            return
    turn.ranking = rank(turn, served)
    if served.topic_rules.asks_switch_off(turn.query, turn.language):
        choices_first(turn.ranking, str(served.facts.get("choices_section", "")), served.tuning.choices_margin)
    elif served.topic_rules.asks_to_see_own(turn.query, turn.language):
        access_first(turn.ranking, [str(s) for s in served.facts.get("access_sections") or []],
                     served.tuning.access_margin)  # fmt: skip
    if turn.follow_up and served.topic_rules.asks_examples(turn.query, turn.language):
        examples_of(turn.ranking, served.facts.get("examples_sections") or {})
    elif turn.follow_up:
        own_subsection(turn.ranking, alone or read_alone(turn, served))


def read_alone(turn: Turn, served: Served) -> Ranking:
    """The ranking of a follow-up read without its topic."""
    return served.retriever.ranking(turn.query, served.embed.encode_query(turn.query), turn.language,
                                    served.tuning.signals)  # fmt: skip


def own_subsection(ranking: Ranking, alone: Ranking) -> None:
    """A follow-up's topic chooses the top-level section; the message read alone, its part of it: "and the
    couriers?" after a question on sellers stays in section 5 but is answered from 5.2, not 5.1."""
    if not ranking.hits or not alone.hits:
        return
    top, own = ranking.hits[0], alone.hits[0].section_id
    if own != top.section_id and parent_id(own) == parent_id(top.section_id):
        to_front(ranking, own)


def examples_of(ranking: Ranking, examples: dict[str, str]) -> None:
    """The examples section of the topic's section first ("such as?" after a question on what is collected from
    other sources: 15.3, the notice's examples of 2.3), its best-ranked part when it has parts."""
    quotable = [h for h in ranking.hits if h.sentences]  # section 15 itself only holds its parts
    target = str(examples.get(quotable[0].section_id, "")) if quotable else ""
    if not target:
        return
    found = next((h for h in quotable if h.section_id == target or parent_id(h.section_id) == target), None)
    if found is not None:
        to_front(ranking, found.section_id)


def choices_first(ranking: Ranking, choices: str, margin: float) -> None:
    """A message asking to switch something off ("kan ik die reclame uitzetten?") is answered from the notice's
    choices section (9) when it ranks close to the section that explains the purpose (3.5, on advertising)."""
    found = next((h for h in ranking.hits if h.section_id == choices), None)
    if found is not None and ranking.hits and ranking.hits[0].score - found.score <= margin:
        to_front(ranking, choices)


def access_first(ranking: Ranking, sections: list[str], margin: float) -> None:
    """A message asking where to see its own records ("can i find my order history myself?") is answered from the
    notice's sections on what a customer can access (8, and its examples 15.4) when the better ranked of them is
    close to the top: a story around the question ("the police asked me for proof of purchase") draws elsewhere."""
    found = next((h for h in ranking.hits if h.section_id in sections), None)
    if found is not None and ranking.hits[0].score - found.score <= margin:
        to_front(ranking, found.section_id)


def to_front(ranking: Ranking, section_id: str) -> None:
    """The section first, the rest in their order (nothing changes when it is not ranked)."""
    ranking.hits.sort(key=lambda hit: hit.section_id != section_id)  # a stable sort
