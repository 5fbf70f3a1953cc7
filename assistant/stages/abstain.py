"""Stage 7, abstain: decline when the notice does not answer, judged against its typical and out-of-scope questions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from assistant.chunks import OUT_OF_SCOPE
from assistant.guards.names import sentences_of
from assistant.retrieval import Ranking, first_section
from assistant.served import Served, rank_alone
from assistant.tuning import Tuning
from assistant.turn import Turn


@dataclass(frozen=True)
class Evidence:
    """What abstention weighs for one query (`python -m evals calibrate` reuses it for its grid)."""

    question_match: float | None  # the best cosine with a typical question (None: the corpus has none)
    passage_match: float  # the best cosine with the notice's text
    nearest_in: float  # typical questions: the mean cosine of the nearest few, plus a share of n-gram similarity
    nearest_out: float | None  # the same for out-of-scope questions (None: there are none)
    out_of_scope_probability: float  # the section classifier's


def evidence(ranking: Ranking, language: str, tuning: Tuning, out_of_scope_positions: np.ndarray | None = None,
             ) -> Evidence:  # fmt: skip
    """The evidence of one ranking; against it, the given out-of-scope questions (default: all the language's)."""
    retriever = ranking.retriever
    in_scope = ranking.dense[retriever.question_positions.get(language, [])]
    if out_of_scope_positions is None:
        out_of_scope_positions = retriever.out_of_scope_positions.get(language, np.array([], dtype=int))
    out_of_scope = ranking.dense[out_of_scope_positions]
    k, weight = tuning.neighbours, tuning.lexical_weight
    lexical_in = max((v for key, v in ranking.lexical.items() if key != OUT_OF_SCOPE), default=0.0)
    nearest_in = float(np.sort(in_scope)[-k:].mean() + weight * lexical_in) if len(in_scope) else 0.0
    nearest_out = float(np.sort(out_of_scope)[-k:].mean() + weight * ranking.lexical.get(OUT_OF_SCOPE, 0.0)) if len(
        out_of_scope) else None  # fmt: skip
    return Evidence(
        question_match=float(in_scope.max()) if len(in_scope) else None,
        passage_match=max((h.dense for h in ranking.hits), default=0.0),
        nearest_in=nearest_in,
        nearest_out=nearest_out,
        out_of_scope_probability=ranking.probabilities.get(OUT_OF_SCOPE, 0.0),
    )


def weighing(text: str, language: str, served: Served) -> np.ndarray | None:
    """The out-of-scope questions that weigh against a message: all of them when it names another company, law or
    site, else only those naming none (an out-of-scope question may be one for its name alone)."""
    return None if served.guards.names.names_any(text, language) else served.unnamed_out_of_scope.get(language)


def message_evidence(ranking: Ranking, text: str, served: Served) -> Evidence | None:
    """The evidence of a message's ranking (None without hits), against the out-of-scope questions that weigh
    against that message."""
    if not ranking.hits:
        return None
    language = ranking.hits[0].language
    return evidence(ranking, language, served.tuning, weighing(text, language, served))


def decide(found: Evidence, tuning: Tuning, names_its_subject: bool = False) -> bool:
    """True (abstain) when no typical question of the notice is near, when the section classifier is sure it is
    none of them (unless the message names a subject the notice answers, in words of its own), or when questions the
    notice does not answer are nearer than those it does."""
    if found.question_match is None:  # a corpus without typical questions: judge by the passages alone
        return found.passage_match < tuning.min_passage_match
    if found.question_match < tuning.min_question_match:
        return True
    if found.out_of_scope_probability > tuning.max_out_of_scope_probability and not names_its_subject:
        return True
    if found.nearest_out is None:
        return False
    return found.nearest_out > found.nearest_in - tuning.out_of_scope_margin


def explains_how(found: Evidence, tuning: Tuning) -> bool:
    """For a request to act ("cancel my Prime"): the notice's typical questions are nearer than its out-of-scope
    ones by a clear margin, so that it says how the customer can do it themselves ("stop the promo e-mails")."""
    return found.nearest_out is None or found.nearest_in - found.nearest_out >= tuning.action_in_margin


def told_with_its_section(turn: Turn, served: Served, section: str, names: Callable[[str, str], bool]) -> bool:
    """The message's words name a situation (`names`) and the fact `section` that answers it ranks first: a customer
    telling what happened, which the section classifier, trained on questions, reads as out of scope."""
    return first_section(turn.ranking) in served.sections(section) and names(turn.query, turn.language)


def names_situation(turn: Turn, served: Served) -> bool:
    """A situation told that the notice answers, with its section first."""
    rules = served.topic_rules
    return any(told_with_its_section(turn, served, section, names) for section, names in (
        # "ik deel de laptop met mijn broer, moet ik iets speciaals doen?": sign out after each use (6)
        ("security_section", rules.names_shared_device),
        # "we bought a pram and now the whole front page is nappies" (no advertising named): why products are
        # recommended (3.3)
        ("recommendations_section", rules.names_storefront_products),
        # "I blocked all cookies and now my basket stays empty, is the site broken?": what refusing cookies means (9)
        ("choices_section", rules.names_blocked_cookies),
    ))  # fmt: skip


def asks_a_fact_of_its_topic(turn: Turn, served: Served) -> bool:
    """A follow-up pointing back to its topic asks a precise fact of it ("and how much does it cost?" after "can i
    withdraw my consent?"): the section classifier, trained on whole questions, reads a price or a number of days
    alone as out of scope, but the topic names the subject; the partial stage then says the notice does not state
    it."""
    # Pointing back ("it", "ça", "dat", or opening with "and"): "combien coûte la livraison ?" asks a price of its own
    return (turn.follow_up and turn.points_back and bool(turn.context)
            and served.precise.asked(*turn.asked_fact) is not None)  # fmt: skip


def story_asks_the_notice(turn: Turn, served: Served) -> bool:
    """A story told before the question it ends with ("tried to pay in monthly bits and got refused in 2 seconds, no
    explanation. do you rate people before you let them pay later?"): the section classifier, trained on questions,
    reads the story as out of scope. The sentences that ask, read alone, are in scope by a clear margin (a close call
    alone stays declined: "... Could you advise me whether I have a strong case to sue Amazon?") and rank the same
    section first."""
    assert turn.ranking is not None
    sentences = sentences_of(turn.query)
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    if len(sentences) < 2 or not asking or len(asking) == len(sentences):
        return False
    text = " ".join(asking)
    alone = rank_alone(text, turn.language, served)
    found = message_evidence(alone, text, served)
    tuning = served.tuning
    return (found is not None and first_section(alone) == first_section(turn.ranking) and not decide(found, tuning)
            and (found.nearest_out is None or found.nearest_in - found.nearest_out >= tuning.story_question_margin))


def run(turn: Turn, served: Served) -> None:
    """Reads `ranking`, `query`, `asks_action` and `asks_assistant`; settles the turn when the notice does not
    answer: with the "not covered" reply, or for a request to act on an account ("cancel my Prime") with the reply
    that the assistant cannot (a request that only wants it done is answered with how, when the notice says how)."""
    ranking, tuning = turn.ranking, served.tuning
    found = message_evidence(ranking, turn.query, served) if ranking is not None else None
    # "can you do it for me?" is declined even where the notice says how: the customer asked for the act itself
    # Amazon's own promotional messages named, and no other sender ("encore un mail promo ce matin", not "ma banque
    # m'envoie des mails promo"), the choices section first: out-of-scope questions on other senders' mail ("how do
    # I stop spam?") may be as near, but the notice says how to stop these
    marketing = told_with_its_section(turn, served, "choices_section", served.topic_rules.names_amazons_marketing)
    # Afraid of being taken for a fraudster ("je renvoie beaucoup de colis, vous me considérez comme fraudeur ?"),
    # fraud prevention first: questions on returns the notice does not answer may be as near, but it says why
    # Amazon looks for fraud (3.6); not when it asks for an act ("flagged for fraud, can you unblock it?")
    suspected = not turn.asks_action and told_with_its_section(
        turn, served, "fraud_section", served.topic_rules.fears_fraud_suspicion)
    names_its_subject = (marketing or suspected or names_situation(turn, served)
                         or asks_a_fact_of_its_topic(turn, served))  # fmt: skip
    if found is not None and (marketing or suspected):
        found = replace(found, nearest_out=None)
    if found is None or (decide(found, tuning, names_its_subject) and not story_asks_the_notice(turn, served)) or (
            turn.asks_action and (turn.asks_assistant or not explains_how(found, tuning))):
        reason = "account_action" if turn.asks_action else "not_covered"
        turn.settle(turn.language, served.template(turn.language, f"decline.{reason}"), reason,
                    sections=ranked_sections(turn, served))  # fmt: skip


def ranked_sections(turn: Turn, served: Served) -> list[dict[str, object]]:
    """The first sections ranked, with their evidence: for agents' tools and the evaluation."""
    hits = turn.ranking.hits if turn.ranking else []
    return [
        {"section_id": h.section_id, "language": h.language, "score": round(h.score, 3), "dense": round(h.dense, 4),
         "question_match": round(h.question_match, 4)}
        for h in hits[: served.settings.top_k_sections]
    ]  # fmt: skip
