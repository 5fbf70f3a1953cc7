"""Composing the reply: verbatim sentences of the best section(s) with citations, or a clear abstention."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.retrieval import Retriever, SectionHit

MAX_SENTENCES = 3
QUOTE_GAP = " […] "

LEAD_IN = {
    "fr": "D'après la section {id} « {title} » :",
    "nl": "Volgens sectie {id} ‘{title}’:",
    "en": "According to section {id} “{title}”:",
}
ALSO = {
    "fr": "Voir aussi la section {id} « {title} » :",
    "nl": "Zie ook sectie {id} ‘{title}’:",
    "en": "See also section {id} “{title}”:",
}
FALLBACK_NOTE = {
    "fr": "(Cette section n'existe pas encore en français : voici la version {lang}.)",
    "nl": "(Deze sectie bestaat nog niet in het Nederlands: hier is de {lang} versie.)",
    "en": "(This section is not available in English yet: here is the {lang} version.)",
}
UNSUPPORTED = "I can answer in French, Dutch or English (français, Nederlands, English); here is the answer in English."
DECLINE = {
    "not_covered": {
        "fr": "La notice de protection des informations personnelles ne répond pas à cette question. Pour une "
        "commande, une livraison, un retour, un remboursement ou un prix, contactez le Service Client "
        "d'Amazon.com.be. Pour une question sur vos données personnelles, écrivez au délégué à la protection des "
        "données : eu-privacy@amazon.com.be.",
        "nl": "De privacyverklaring geeft geen antwoord op deze vraag. Voor een bestelling, levering, retour, "
        "terugbetaling of prijs kunt u terecht bij de Klantenservice van Amazon.com.be. Voor een vraag over uw "
        "persoonsgegevens schrijft u naar de functionaris voor gegevensbescherming: eu-privacy@amazon.com.be.",
        "en": "The privacy notice does not answer this question. For an order, delivery, return, refund or price, "
        "please contact Amazon.com.be Customer Service. For a question about your personal information, write to "
        "the data protection officer: eu-privacy@amazon.com.be.",
    },
    "unknown_name": {
        "fr": "La notice de protection des informations personnelles ne mentionne pas « {name} » : elle décrit "
        "seulement comment Amazon Europe traite vos informations personnelles. Pour une question sur vos données, "
        "écrivez au délégué à la protection des données : eu-privacy@amazon.com.be ; pour le reste, contactez le "
        "Service Client d'Amazon.com.be.",
        "nl": "De privacyverklaring vermeldt ‘{name}’ niet: ze beschrijft alleen hoe Amazon Europe uw "
        "persoonsgegevens verwerkt. Voor een vraag over uw gegevens schrijft u naar de functionaris voor "
        "gegevensbescherming: eu-privacy@amazon.com.be; voor al het andere kunt u terecht bij de Klantenservice van "
        "Amazon.com.be.",
        "en": "The privacy notice does not mention “{name}”: it only describes how Amazon Europe handles your "
        "personal information. For a question about your data, write to the data protection officer: "
        "eu-privacy@amazon.com.be; for anything else, contact Amazon.com.be Customer Service.",
    },
    "other_person": {
        "fr": "Je ne peux rien dire sur les données d'une autre personne : la notice décrit seulement comment Amazon "
        "traite vos propres informations. Chacun peut accéder à ses données depuis son compte ; pour toute autre "
        "demande, contactez le Service Client ou eu-privacy@amazon.com.be.",
        "nl": "Ik kan niets zeggen over de gegevens van iemand anders: de privacyverklaring beschrijft alleen hoe "
        "Amazon uw eigen gegevens verwerkt. Iedereen kan zijn eigen gegevens in zijn account bekijken; voor andere "
        "verzoeken kunt u terecht bij de Klantenservice of eu-privacy@amazon.com.be.",
        "en": "I can't share anything about another person's data: the notice only describes how Amazon handles "
        "your own information. Everyone can see their own data in their account; for any other request, contact "
        "Customer Service or eu-privacy@amazon.com.be.",
    },
    "injection": {
        "fr": "Je réponds uniquement aux questions sur la notice de protection des informations personnelles "
        "d'Amazon.com.be, à partir de son texte. Posez-moi une question sur vos données, par exemple : « Comment "
        "retirer mon consentement ? »",
        "nl": "Ik beantwoord alleen vragen over de privacyverklaring van Amazon.com.be, op basis van de tekst ervan. "
        "Stel me een vraag over uw gegevens, bijvoorbeeld: ‘Hoe trek ik mijn toestemming in?’",
        "en": "I only answer questions about the Amazon.com.be privacy notice, from its own text. Ask me about your "
        "information, for example: “How do I withdraw my consent?”",
    },
    "empty": {
        "fr": "Je n'ai pas trouvé de question dans votre message. Posez-moi une question sur la notice de protection "
        "des informations personnelles, par exemple : « Combien de temps gardez-vous mes données ? »",
        "nl": "Ik vond geen vraag in uw bericht. Stel me een vraag over de privacyverklaring, bijvoorbeeld: ‘Hoe lang "
        "bewaren jullie mijn gegevens?’",
        "en": "I couldn't find a question in your message. Ask me about the privacy notice, for example: “How long do "
        "you keep my data?”",
    },
    # Small talk: no citation, since nothing is taken from the notice.
    "greeting": {
        "fr": "Bonjour ! Je réponds aux questions sur la notice de protection des informations personnelles "
        "d'Amazon.com.be, en citant ses sections. Par exemple : « Combien de temps gardez-vous mes données ? »",
        "nl": "Hallo! Ik beantwoord vragen over de privacyverklaring van Amazon.com.be en vermeld uit welke sectie "
        "het antwoord komt. Bijvoorbeeld: ‘Hoe lang bewaren jullie mijn gegevens?’",
        "en": "Hello! I answer questions about the Amazon.com.be privacy notice and cite the section each answer "
        "comes from. For example: “How long do you keep my data?”",
    },
    "thanks": {
        "fr": "Avec plaisir ! Posez-moi une autre question sur la notice si vous le souhaitez.",
        "nl": "Graag gedaan! Stel gerust nog een vraag over de privacyverklaring.",
        "en": "You're welcome! Ask me anything else about the privacy notice.",
    },
    "goodbye": {
        "fr": "Au revoir et bonne journée !",
        "nl": "Tot ziens en nog een fijne dag!",
        "en": "Goodbye, and have a nice day!",
    },
    "too_long": {
        "fr": "Votre question est trop longue (plus de {limit} caractères). Pouvez-vous la raccourcir ?",
        "nl": "Uw vraag is te lang (meer dan {limit} tekens). Kunt u ze korter maken?",
        "en": "Your question is too long (over {limit} characters). Could you shorten it?",
    },
}
LANGUAGE_NAMES = {
    "fr": {"fr": "française", "nl": "néerlandaise", "en": "anglaise"},
    "nl": {"fr": "Franse", "nl": "Nederlandse", "en": "Engelse"},
    "en": {"fr": "French", "nl": "Dutch", "en": "English"},
}


@dataclass
class Citation:
    """Where an answer comes from: a section of the notice in one language, and the exact words used."""

    section_id: str
    title: str
    language: str
    url: str
    quote: str


@dataclass
class Answer:
    """What the assistant replies to one question."""

    question: str
    language: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    latency_ms: float = 0.0
    # Why it abstained: not_covered, unknown_name, other_person, injection, empty, too_long; or small talk:
    # greeting (also a bare request for help), thanks, goodbye.
    reason: str | None = None
    sections: list[dict[str, Any]] = field(default_factory=list)  # ranked sections, for agents and evaluation
    timings: dict[str, float] = field(default_factory=dict)  # milliseconds per stage, for the logs

    def to_dict(self, *, include_sections: bool = False) -> dict[str, Any]:
        data = {
            "question": self.question.encode("utf-8", "replace").decode("utf-8"),  # lone surrogates can't be sent
            "language": self.language,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "latency_ms": round(self.latency_ms, 2),
        }
        if include_sections:
            data["reason"] = self.reason
            data["sections"] = self.sections
        return data


def decline(question: str, language: str, reason: str, **values: object) -> Answer:
    text = DECLINE[reason][language].format(**values)
    return Answer(question=question, language=language, answer=text, abstained=True, reason=reason)


# The section's nearest typical question, written from the notice in plain words, bridges a customer's
# wording to the notice's: a sentence also scores by its cosine with that question (key facts conveyed on
# the evaluation cases: 70.7% without, 73.1% with).
BRIDGE_WEIGHT = 0.5
# The encoder's cosines of one question with a section's sentences lie close together (often within 0.02):
# the share of the question's character n-grams found in a sentence ("e-mails", "supprim-") helps tell them
# apart. Chosen on 432 typical questions labelled with the sentences that answer them (not the evaluation
# cases): the right sentence is quoted for 88.2% of them (81.7% in sections of six sentences or more)
# against 88.0% (75.8%) with the word overlap it replaced; key facts on the evaluation cases: 75.0% either way.
COVERAGE_WEIGHT = 0.1
THIRD_SENTENCE_GAP = 0.015  # a third sentence is quoted only when it scores this close to the best


def pick_sentences(retriever: Retriever, hit: SectionHit, question: str, limit: int) -> list[int]:
    """The unit positions to quote, in reading order: the two best-matching sentences of the section,
    and a third when it matches about as well as the best (measured: two beat one on key facts at the
    same answer length; three lengthen answers by a quarter). A long list item counts as a sentence."""
    if not hit.sentences:
        return []
    bridge = retriever.vectors[hit.best_question] if hit.best_question is not None else None
    candidates = [p for p, _ in hit.sentences] + [q for parts in hit.parts.values() for q, _ in parts]
    shares = retriever.question_coverage(question, hit.language, candidates)
    coverage = dict(zip(candidates, shares.tolist(), strict=True))

    def score(pair: tuple[int, float]) -> float:
        position, cosine = pair
        bridged = BRIDGE_WEIGHT * float(retriever.vectors[position] @ bridge) if bridge is not None else 0.0
        return cosine + COVERAGE_WEIGHT * coverage[position] + bridged

    def best_of(candidates: list[tuple[int, float]], most: int, always: int) -> list[int]:
        """Positions in reading order: the `always` best, then up to `most` that score close to the best."""
        ranked = sorted(candidates, key=score, reverse=True)
        close = score(ranked[0]) - THIRD_SENTENCE_GAP
        return sorted(p for rank, (p, c) in enumerate(ranked[:most]) if rank < always or score((p, c)) >= close)

    chosen = best_of(hit.sentences, limit, always=2)
    # A long list item is quoted by its best sentence, and by a second one when it matches about as well
    # and the answer still holds no more than `limit` sentences.
    spare = limit - len(chosen)
    pieces: list[int] = []
    for position in chosen:
        group = best_of(hit.parts[position], 1 + (spare > 0), always=1) if position in hit.parts else [position]
        spare -= len(group) - 1
        pieces += group
    return pieces


def join_quotes(texts: list[str], positions: list[int]) -> str:
    """Neighbouring units joined by a space, gaps marked with an ellipsis: each piece stays verbatim."""
    quote = texts[0]
    for previous, position, text in zip(positions, positions[1:], texts[1:], strict=False):
        quote += (" " if position == previous + 1 else QUOTE_GAP) + text
    return quote


def compose(
    retriever: Retriever,
    hits: list[SectionHit],
    question: str,
    language: str,
    urls: dict[str, str],
    second_margin: float,
) -> tuple[str, list[Citation]]:
    """The reply text and its citations from the top section, plus a close second from another section."""
    # A section made only of subsections (7, 15) has no sentences of its own: answer from its best subsection.
    hits = [h for h in hits if h.sentences] or hits
    top = hits[0]
    cited = [top]
    if len(hits) > 1:
        runner = hits[1]
        distinct = runner.section_id.split(".")[0] != top.section_id.split(".")[0]
        if distinct and top.score - runner.score <= second_margin:
            cited.append(runner)
    parts: list[str] = []
    citations: list[Citation] = []
    budget = MAX_SENTENCES
    for rank, hit in enumerate(cited):
        positions = pick_sentences(retriever, hit, question, budget if rank == 0 else 1)
        if rank == 0 and len(cited) > 1:
            positions = positions[: MAX_SENTENCES - 1]
        budget -= len(positions)
        if not positions:
            continue
        first = retriever.chunk(positions[0])
        title = first.title.split(" — ")[-1]
        template = LEAD_IN if rank == 0 else ALSO
        quote = join_quotes([retriever.chunk(p).text for p in positions], positions)
        lead = template[language].format(id=hit.section_id, title=title)
        if hit.language != language:
            lead += " " + FALLBACK_NOTE[language].format(lang=LANGUAGE_NAMES[language][hit.language])
        parts.append(f"{lead} {quote}")
        citations.append(Citation(hit.section_id, title, hit.language, urls.get(hit.language, ""), quote))
    return "\n\n".join(parts), citations
