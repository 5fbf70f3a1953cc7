"""Stage 8, compose: the sentences quoted from the best section (and a close second one), with their citations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from assistant.answer import Citation
from assistant.corpus import parent_id
from assistant.retrieval import Retriever, SectionHit
from assistant.served import Served
from assistant.stages.retrieve import asks_prior_version, topic_section
from assistant.tuning import Tuning
from assistant.turn import Turn

QUOTE_GAP = " […] "


def pick_sentences(retriever: Retriever, hit: SectionHit, question: str, limit: int, tuning: Tuning,
                   pointers: frozenset[int] = frozenset(), vector: np.ndarray | None = None,
                   stated: frozenset[int] = frozenset(),
                   named_body: frozenset[int] = frozenset()) -> tuple[list[int], int | None]:  # fmt: skip
    """The unit positions to quote, in reading order: the two best-matching sentences of the section, and a third
    when it matches about as well as the best (two beat one on key facts at the same answer length; three lengthen
    answers by a quarter). A long list item counts as a sentence, quoted by its best sentence (or two). Also the
    position of the one piece that answers best (the chat's highlighted sentence). With the message's `vector`, the
    section's sentence classifier adds its probability to each sentence's score; a unit of `stated` (it states the
    precise fact the message asks) gains `stated_fact_bonus`; one of `named_body` (it names the outside body the
    message names) gains `outside_body_bonus` instead."""
    if not hit.sentences:
        return [], None
    bridge = retriever.vectors[hit.best_question] if hit.best_question is not None else None
    cosines = unit_cosines(hit)
    candidates = list(cosines)
    shares = retriever.question_coverage(question, hit.language, candidates)
    coverage = dict(zip(candidates, shares.tolist(), strict=True))

    asked = hit.asked
    learnt = retriever.unit_probabilities(hit.section_id, hit.language, vector)

    def matched(pair: tuple[int, float]) -> float:
        position, cosine = pair
        bridged = tuning.bridge_weight * float(retriever.vectors[position] @ bridge) if bridge is not None else 0.0
        # A unit without written questions stands in with its own cosine, on the same scale.
        return (
            cosine
            + tuning.coverage_weight * coverage[position]
            + bridged
            + tuning.asked_weight * asked.get(position, cosine)
            - (tuning.pointer_penalty if position in pointers else 0.0)
            + (tuning.outside_body_bonus if position in named_body
               else tuning.stated_fact_bonus if position in stated else 0.0)
        )

    def score(pair: tuple[int, float]) -> float:
        return matched(pair) + tuning.sentence_classifier_weight * learnt.get(pair[0], 0.0)

    def best_of(candidates: list[tuple[int, float]], most: int, always: int) -> list[int]:
        """Positions in reading order: the `always` best, then up to `most` that match about as well as the best.
        How close is judged without the classifier: its probabilities peak on one sentence, and would otherwise
        leave out third sentences that answer too."""
        ranked = sorted(candidates, key=score, reverse=True)
        close = max(map(matched, ranked)) - tuning.third_sentence_gap
        return sorted(p for rank, (p, c) in enumerate(ranked[:most]) if rank < always or matched((p, c)) >= close)

    # A section quoted by one sentence (a second citation) is not quoted by one that only points elsewhere.
    own = [pair for pair in hit.sentences if pair[0] not in pointers] if limit == 1 else []
    chosen = best_of(own or hit.sentences, limit, always=2)
    spare = limit - len(chosen)
    pieces: list[int] = []
    for position in chosen:
        group = best_of(hit.parts[position], 1 + (spare > 0), always=1) if position in hit.parts else [position]
        spare -= len(group) - 1
        pieces += group
    # The highlighted piece says something itself: neither one pointing elsewhere ("For more information, see ...")
    # nor one introducing a list ("These purposes include:"), unless the quote has nothing else.
    # The best of the pieces quoted, a long item's sentence scored as itself (not by its whole item: "configure
    # device permissions (e.g. … location services)" is the answer, inside an item on settings in general).
    stating = [p for p in pieces if p not in pointers and not retriever.chunk(p).text.rstrip().endswith(":")]
    best = max(stating or pieces, key=lambda p: score((p, cosines[p])))
    return pieces, best


def unit_cosines(hit: SectionHit) -> dict[int, float]:
    """Every unit of the section that can be quoted, with its cosine: the sentences and list items, then the long
    items' sentences."""
    return dict(hit.sentences) | {q: c for parts in hit.parts.values() for q, c in parts}


def join_quotes(retriever: Retriever, positions: list[int]) -> str:
    """Units that follow each other in the section joined by a space, gaps marked: each piece stays verbatim."""
    quote = retriever.chunk(positions[0]).text
    for previous, position in zip(positions, positions[1:], strict=False):
        quote += (" " if retriever.adjacent(previous, position) else QUOTE_GAP) + retriever.chunk(position).text
    return quote


def quotable(hits: list[SectionHit]) -> list[SectionHit]:
    """The ranked sections that can be quoted: a section made only of subsections (7, 15) stands, at its rank and
    with its score, for its best-ranked subsection (not for whichever section ranks next)."""
    found: list[SectionHit] = []
    for hit in hits:
        if not hit.sentences:
            child = next((c for c in hits if c.sentences and parent_id(c.section_id) == hit.section_id), None)
            hit = replace(child, score=hit.score) if child is not None else hit
        if hit.sentences and all(h.section_id != hit.section_id for h in found):
            found.append(hit)
    return found


def cited_hits(hits: list[SectionHit], margin: float, intros: frozenset[str] = frozenset()) -> list[SectionHit]:
    """The top section, and the runner-up when it is another top-level section and scores close; for a section
    whose own text only introduces its parts (`intros`: "Below you will find the types of information we
    collect."), its best-ranked part, which says what it introduces."""
    hits = quotable(hits) or hits
    cited = [hits[0]]
    part = next((h for h in hits[1:] if parent_id(h.section_id) == hits[0].section_id), None)
    if hits[0].section_id in intros and part is not None:
        return [hits[0], part]
    if len(hits) > 1:
        top, runner = hits[0], hits[1]
        if parent_id(runner.section_id) != parent_id(top.section_id) and top.score - runner.score <= margin:
            cited.append(runner)
    return cited


def official(hit: SectionHit, turn: Turn, served: Served) -> SectionHit:
    """A section whose translation is stale (its official source changed since) is quoted from the source."""
    notice = served.notices.get(hit.language)
    source = notice.meta.get("translated_from", "") if notice else ""
    if (hit.language, hit.section_id) not in served.stale or source not in served.notices:
        return hit
    assert turn.ranking is not None
    ranking = served.retriever.ranking(turn.query, turn.ranking.vector, source, served.tuning.signals)
    return next((h for h in ranking.hits if h.section_id == hit.section_id), hit)


def reads_topic(turn: Turn, served: Served) -> bool:
    """Whether the topic chooses the sentences too: for a follow-up that points back ("je peux désactiver ça ?"
    after a question on ads: the sentence on ads, not the one on cookies), and for one answered from an aspect
    section ("legal basis?" after a question on Alexa: the legal basis of improving the services). A message with
    words of its own, read with the topic only for want of words ("quels cookies utilisez-vous ?"), reads its own;
    so does one answered from the very section its topic was ("and who checks that?" after "what is the Data
    Privacy Framework?"): the topic's words chose the section, and what the message adds chooses within it."""
    hits = turn.ranking.hits if turn.ranking else []
    if not hits:
        return False
    aspect = turn.follow_up and parent_id(hits[0].section_id) in served.sections("aspect_sections")
    # "pourquoi ?", "and why?": a follow-up naming nothing of its own adds nothing to choose with, whatever section
    named = served.topic_rules.named(turn.query, served.pack(turn.language))
    bare = turn.follow_up and bool(turn.context) and not named
    return bare or ((turn.points_back or aspect) and topic_section(turn, served) != hits[0].section_id)


def quoting_text(turn: Turn, topic_chooses: bool) -> str:
    """What chooses the sentences: the message, with its topic's messages when the topic chooses too (all of them:
    "ok en hoe zet ik da af" after "krijgen die ook mijn naam?" after a question on ads is about the ads)."""
    return " ".join([turn.query, *reversed(turn.context)]) if topic_chooses else turn.query


def quoting_vector(turn: Turn, served: Served, topic_chooses: bool) -> np.ndarray:
    """What the sentence classifier reads, as `quoting_text`: the ranking's vector (the topic's with the message's)
    when the topic chooses, the message's own otherwise (remembered by the encoder: no second pass)."""
    assert turn.ranking is not None
    return turn.ranking.vector if topic_chooses else served.embed.encode_query(turn.query)


def stating_fact(hit: SectionHit, kind: str | None, turn: Turn, served: Served) -> frozenset[int]:
    """The section's quotable units that state the precise fact the message asks (`kind`; "c'est payant ?": the
    sentence with "gratuitement"), if it asks one: they answer it, where their neighbours only talk about the topic."""
    if kind is None:
        return frozenset()
    assert turn.ranking is not None
    retriever = turn.ranking.retriever  # the one that ranked (the evaluation's held-out checks rank with another)
    return frozenset(p for p in unit_cosines(hit)
                     if served.precise.stated(kind, retriever.chunk(p).text, hit.language, turn.query))  # fmt: skip


def units_saying(hit: SectionHit, retriever: Retriever, says: Callable[[str, str], bool]) -> frozenset[int]:
    """The section's quotable units whose text (in the section's language) says what `says` looks for."""
    return frozenset(p for p in unit_cosines(hit) if says(retriever.chunk(p).text, hit.language))


def run(turn: Turn, served: Served) -> None:
    """Reads `ranking` and `query`; adds `citations` and `parts` (each cited section's quote)."""
    assert turn.ranking is not None
    retriever, tuning = turn.ranking.retriever, served.tuning
    budget = tuning.max_sentences
    intros = frozenset(served.sections("intro_sections"))
    cited = cited_hits(turn.ranking.hits, tuning.second_section_margin, intros)
    topic_chooses = reads_topic(turn, served)
    text, vector = quoting_text(turn, topic_chooses), quoting_vector(turn, served, topic_chooses)  # for every section
    fact = served.precise.asked(*turn.asked_fact)
    shared_device = served.topic_rules.names_shared_device(turn.query, turn.language)
    identity_check = served.topic_rules.names_identity_check(turn.query, turn.language)
    complaint = served.topic_rules.asks_where_to_complain(turn.query, turn.language)
    prior_version = asks_prior_version(turn, served)
    outside_body = complaint and served.topic_rules.names_outside_body(turn.query, turn.language)
    set_aside = served.set_aside(text)  # pointers, and sentences for sellers or authors when the text names neither
    for rank, hit in enumerate(cited):
        hit = official(hit, turn, served)
        stated = stating_fact(hit, fact, turn, served)
        if shared_device:
            # "If you share a computer, you should sign out after each use" answers a message naming a shared
            # device, where its neighbours give general advice on passwords
            stated |= units_saying(hit, retriever, served.topic_rules.names_shared_device)
        if identity_check and hit.section_id in served.sections("security_section"):
            # "... may mean that we ask you to verify your identity before we can disclose your personal information
            # to you" answers why a check of identity came, where its neighbours speak of encryption
            stated |= units_saying(hit, retriever, served.topic_rules.names_identity_check)
        if prior_version and hit.section_id in served.sections("choices_section"):
            # "When you update information, we usually keep a copy of your original information" answers what became
            # of the old address, where its neighbours say how to update it
            stated |= units_saying(hit, retriever, served.topic_rules.names_prior_version)
        outside: frozenset[int] = frozenset()
        if complaint and hit.section_id in served.sections("complaints_section"):
            # "You may lodge a complaint with our lead supervisory authority, ..." answers where to complain, where
            # its neighbours say how to contact Amazon; the more so when the message names such a body itself
            stated |= units_saying(hit, retriever, served.topic_rules.asks_where_to_complain)
            if outside_body:
                outside = units_saying(hit, retriever, served.topic_rules.names_outside_body)
        positions, best = pick_sentences(retriever, hit, text, budget if rank == 0 else 1, tuning, set_aside,
                                         vector, stated, outside)  # fmt: skip
        if rank == 0 and len(cited) > 1:
            positions = positions[: tuning.max_sentences - 1]
        budget -= len(positions)
        if not positions:
            continue
        section = served.notices[hit.language].section(hit.section_id)
        title = section.title if section else ""
        quote = join_quotes(retriever, positions)
        highlight = retriever.chunk(best if best is not None else positions[0]).text
        turn.citations.append(Citation(hit.section_id, title, hit.language, served.urls.get(hit.language, ""), quote,
                                       highlight=highlight))  # fmt: skip
