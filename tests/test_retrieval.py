"""Section ranking signals, on the real index."""

from __future__ import annotations

from assistant.stages import compose, retrieve
from assistant.tuning import SIGNAL_WEIGHTS, Tuning


def test_typical_question_wording_is_a_signal_of_its_own(assistant) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    for lang in retriever.languages:
        question = next(c for c in retriever.chunks if c.kind == "question" and c.language == lang)
        scores = retriever.bank_similarities(question.text, lang)
        assert max(scores, key=scores.__getitem__) == question.section_id
        assert abs(scores[question.section_id] - 1.0) < 1e-6
        # A misspelt intent word still shares most of its character n-grams.
        typo = question.text.replace(question.text[2:4], question.text[3:1:-1], 1)
        assert retriever.bank_similarities(typo, lang)[question.section_id] > 0.5


def test_every_signal_is_weighted_and_reported(assistant) -> None:  # type: ignore[no-untyped-def]
    turn, served = assistant.prepared("on what legal basis do you use my voice recordings?", "en")
    hits = retrieve.rank(turn, served).hits
    assert set(hits[0].signals) == set(SIGNAL_WEIGHTS)
    assert hits == sorted(hits, key=lambda hit: hit.score, reverse=True)


def test_a_signal_can_be_switched_off_for_a_comparison() -> None:
    tuning = Tuning().with_signals("-classifier,lexical=2")
    assert tuning.signals["classifier"] == 0.0 and tuning.signals["lexical"] == 2.0
    assert tuning.signals["dense_question"] == SIGNAL_WEIGHTS["dense_question"]


def test_question_coverage_is_the_share_of_the_question_found_in_a_sentence(assistant) -> None:  # type: ignore[no-untyped-def]
    retriever = assistant.served.retriever
    positions = retriever.units[("en", "9", "sentence")]
    texts = [retriever.chunk(p).text for p in positions]
    sentence = next(t for t in texts if "Communication Preferences" in t)
    coverage = retriever.question_coverage(sentence, "en", positions)
    assert abs(coverage[texts.index(sentence)] - 1.0) < 1e-5  # all of a text is found in itself
    assert all(0.0 <= share <= 1.0 + 1e-6 for share in coverage)
    # Robust to how customers type ("emails", a typo): most of the question is still found in the sentence.
    coverage = retriever.question_coverage("dont want emails, Comunication Preferences?", "en", positions)
    cookies = next(t for t in texts if "third-party advertising cookies" in t)
    assert coverage[texts.index(sentence)] > 0.6 > coverage[texts.index(cookies)]


def test_section_signals_are_the_best_cosines_of_their_units(assistant) -> None:  # type: ignore[no-untyped-def]
    """The ranking reads every section's best unit at once (grouped maxima): each must be that section's own."""
    retriever = assistant.served.retriever
    for text, lang in [("hoe lang bewaren jullie mijn gegevens?", "nl"), ("puis-je retirer mon consentement ?", "fr")]:
        turn, served = assistant.prepared(text, lang)
        ranking = retrieve.rank(turn, served)
        dense = ranking.dense
        for hit in ranking.hits:
            units = retriever.units
            chunks = units[(lang, hit.section_id, "chunk")]
            assert abs(hit.signals["dense_chunk"] - float(dense[chunks].max())) < 1e-6
            questions = units.get((lang, hit.section_id, "question"), [])
            if questions:
                assert hit.best_question == questions[int(dense[questions].argmax())]
                assert abs(hit.question_match - float(dense[questions].max())) < 1e-6
            others = [float(dense[units[(o, hit.section_id, "chunk")]].max()) for o in retriever.languages if o != lang]
            assert abs(hit.signals["dense_other_languages"] - max(others)) < 1e-6
            cosines = [cosine for _, cosine in hit.sentences]
            assert cosines == sorted(cosines, reverse=True)
            assert {p for p, _ in hit.sentences} == set(units.get((lang, hit.section_id, "sentence"), []))


def test_a_sentence_is_matched_by_the_questions_written_for_it(assistant) -> None:  # type: ignore[no-untyped-def]
    """Each quotable unit scores the best cosine of its own written questions, and those move the quote."""
    retriever = assistant.served.retriever
    messages = [("comment ne plus recevoir vos e-mails promotionnels ?", "fr"),
                ("hoe stop ik jullie reclamemails?", "nl"), ("how do i stop your promo emails?", "en")]  # fmt: skip
    for text, lang in messages:
        turn, served = assistant.prepared(text, lang)
        ranking = retrieve.rank(turn, served)
        hit = next(h for h in ranking.hits if h.section_id == "9")
        for position, best in hit.asked.items():
            written = list(retriever.asked[position])
            assert retriever.chunk(written[0]).kind == "asked"
            assert abs(best - float(ranking.dense[written].max())) < 1e-6
        assert len(hit.asked) == len(hit.sentences) + sum(len(parts) for parts in hit.parts.values())
        # The sentence that sends customers to their communication preferences is the one quoted.
        answer = assistant.ask(text, lang=lang)
        assert answer.citations and answer.citations[0].section_id == "9"
        preferences = ("Communication Preferences", "Préférences de Communication", "Communicatievoorkeuren")
        email = next(retriever.chunk(p).text for p, _ in hit.sentences
                     if any(name in retriever.chunk(p).text for name in preferences))  # fmt: skip
        assert email in answer.citations[0].quote


def test_a_follow_up_keeps_its_topics_section_and_chooses_its_own_part_of_it(assistant) -> None:  # type: ignore[no-untyped-def]
    served = assistant.served

    def ranked(text: str):  # type: ignore[no-untyped-def]
        return served.retriever.ranking(text, served.embed.encode_query(text), "en", served.tuning.signals)

    topic = ranked("do third-party sellers receive my address?")
    assert topic.hits[0].section_id == "5.1"
    couriers = ranked("and the couriers who deliver?")
    assert couriers.hits[0].section_id == "5.2"
    retrieve.own_subsection(topic, couriers)  # the same top-level section: its part of it
    assert [h.section_id for h in topic.hits[:2]] == ["5.2", "5.1"]
    elsewhere = ranked("do third-party sellers receive my address?")
    retrieve.own_subsection(elsewhere, ranked("what is your legal basis?"))  # another section: the topic stays
    assert elsewhere.hits[0].section_id == "5.1"


def test_a_section_made_only_of_subsections_is_quoted_from_its_best_subsection(assistant) -> None:  # type: ignore[no-untyped-def]
    served = assistant.served
    text = "how long do you keep my data?"
    ranking = served.retriever.ranking(text, served.embed.encode_query(text), "en", served.tuning.signals)
    assert ranking.hits[0].section_id == "11"
    retrieve.to_front(ranking, "7")  # section 7 holds no sentences of its own, only 7.1 and 7.2
    hits = ranking.hits
    best_part = next(h for h in hits if h.section_id in ("7.1", "7.2"))
    cited = compose.cited_hits(hits, served.tuning.second_section_margin)
    # Its best-ranked part stands in its place, with its score, not the section ranked next (11).
    assert cited[0].section_id == best_part.section_id and cited[0].score == hits[0].score
