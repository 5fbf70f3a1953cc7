"""Stage 6, retrieve: the notice's sections ranked for the query (and the context a follow-up leans on)."""

from __future__ import annotations

import math

import numpy as np

from assistant.corpus import parent_id
from assistant.retrieval import Ranking, first_section
from assistant.served import Served, rank_alone
from assistant.stages.abstain import asks_a_fact_of_its_topic, decide, message_evidence
from assistant.text import TOKEN, fold
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
    opens its own topic ("waar is mijn pakje?" after a question on retention): the topic does not rescue it. Nor
    does it rescue a follow-up that points back but asks a question of its own, in four topic words or more ("ok et
    je sais annuler ma commande de ce matin ?"), when the notice does not answer that alone."""
    if turn.asks_action and turn.follow_up:  # "then do it for me": a request of its own, not the topic's question
        turn.relation, turn.follow_up, turn.context = "change", False, []
    alone = None
    own_question = (turn.follow_up and turn.points_back and asks_own_question(turn, served)
                    and not speaks_of_topics_person(turn, served))  # fmt: skip
    carrying_on = not own_question and carries_on_only(turn, served)  # "et mon colis il arrive quand ?"
    after_complaint = follows_a_complaint(turn, served) and not carrying_on  # "what can i do next?"
    # A message saying it goes back to an earlier topic ("ok en terug naar [NAME], mag hij het dan gebruiken als ik
    # erbij zit?") is read with that topic, however much it asks of its own, unless read alone it is clearly
    # nothing the notice answers (as a follow-up with no word pointing back)
    returning = turn.follow_up and turn.returns
    # Asked of the topic whatever it names: names insisted on ("et c'est quelles boîtes exactement ? donnez les noms"),
    # the old version of what the conversation says was changed ("i changed my address || is the old one gone?")
    of_the_topic = turn.follow_up and (insists_on_a_fact_of_topic(turn, served) or asks_prior_version(turn, served))
    if (turn.follow_up and (not turn.points_back or own_question or carrying_on or returning) and not after_complaint
            and not of_the_topic):
        alone = read_alone(turn, served)
        if unanswered_alone(turn, alone, served, pointing=turn.points_back and not carrying_on):
            as_new_topic(turn, alone)
            return
    turn.ranking = rank(turn, served)
    if turn.follow_up and not returning and not of_the_topic:  # "and alexa?" after selling: alone, names another
        alone = alone or read_alone(turn, served)
        asks_anew = not served.topic_rules.only_names_another_thing(turn.query, turn.language)
        lead = served.tuning.follow_up_alone_lead
        named = served.topic_rules.named(turn.query, served.pack(turn.language))
        if asks_anew and named >= served.tuning.follow_up_asking_own_words and not has_pointer_word(turn, served):
            lead = served.tuning.follow_up_alone_lead_asking
        # "and which firms exactly?" after a question on delivery, "and what's the name of the person in charge of
        # that?": a precise fact asked of the topic, which read alone the controllers' names (1) draw far ahead
        # A word pointing back and at most one of its own ("who do i ask for that?" after "i want a copy of all my
        # data"): too little to name a topic of its own, however far ahead one word draws a section alone ("ask":
        # consent, 3.9)
        pointing_only = has_pointer_word(turn, served) and named <= served.tuning.follow_up_pointing_own_words
        if (not after_complaint and not pointing_only
                and opens_own_topic(alone, turn.ranking, lead, served.sections("aspect_sections"),
                                                    asks_anew) and not asks_what_topic_states(turn, alone, served)
                and not asks_of_topics_example(turn, alone, served) and not asks_only_a_fact_of_topic(turn, served)):
            as_new_topic(turn, alone)
        elif (not after_complaint and asks_anew and named >= served.tuning.follow_up_asking_own_words
              and not has_pointer_word(turn, served) and strays_from_topic(turn, alone, served)):  # fmt: skip
            as_new_topic(turn, alone)
    as_the_words_ask(turn, served, alone)


def as_the_words_ask(turn: Turn, served: Served, alone: Ranking | None) -> None:
    """The section the message's words say it asks goes first when it ranks close: a choice (switching something
    off, changing one's information, one's rights), whom to complain to, one's own records, selling or sharing,
    and for a follow-up its topic's examples or purposes, or its own part of the topic's section."""
    assert turn.ranking is not None
    choices = served.sections("choices_section")
    # An elliptical follow-up asks what its topic asked ("en die mails met promoties?" after "kan ik die reclame
    # uitzetten?": switching the promotional e-mails off); one with a question of its own asks only that.
    elliptical = turn.follow_up and bool(turn.context) and not asks_own_question(turn, served)
    # Not when it ranks an aspect of every processing first ("and is my data safe with you?" after "how do i stop the
    # promo emails?"): it asks that aspect, not the topic's switch again.
    # Nor when it asks a question of its own, however short ("et vous les envoyez aux usa ?" after "je peux refuser
    # ?"): only a follow-up that names another thing ("en die mails met promoties?") asks the same switch of it.
    carries = (elliptical and first_section(turn.ranking) not in served.sections("aspect_sections")
               and served.topic_rules.only_names_another_thing(turn.query, turn.language))
    carried = f"{turn.query} {turn.context[-1]}" if carries else turn.query
    if (elliptical and topic_asked_where_to_complain(turn, served)
            and not served.topic_rules.asks_where_to_complain(turn.query, turn.language)
            and not served.topic_rules.asks_switch_off(turn.query, turn.language)):
        # "en als jullie het niet oplossen, waar kan ik dan terecht?", "what can i do next?" after a complaint: where
        # to take it further, the supervisory authority (14), or the topic's own dispute resolution (12); alone, the
        # words read as the choices (9) or as nothing the notice answers
        first_if_close(turn.ranking, [complaint_of_topic(turn, served)], served.tuning.complaint_follow_up_margin)
    elif elliptical and served.topic_rules.asks_who_oversees(turn.query, turn.language) and (
            overseer := overseer_of_topic(turn, served)):
        # "en wie controleert da daar?" after a question on transfers to the US: the section naming who oversees them
        # (the Data Privacy Framework, 12: the FTC), which the topic's words rank behind the transfers (5.5)
        first_if_close(turn.ranking, [overseer], served.tuning.complaint_follow_up_margin)
    elif served.topic_rules.names_identity_check(turn.query, turn.language) or (
            elliptical and served.topic_rules.asks_purpose(turn.query, turn.language)
            and served.topic_rules.names_identity_check(turn.context[-1], turn.language)):
        # "i asked for a copy of my data, why do i have to prove its me first?": the security section says a check of
        # identity may come before information is disclosed (6); the request told draws the choices (9) first; and
        # "why do they even do that??" after "the guy grilled me with questions about my own account": why it is made
        first_if_close(turn.ranking, served.sections("security_section"), served.tuning.identity_check_margin)
    elif served.topic_rules.asks_controller(turn.query, turn.language):
        # "c qui qui gere mes donées", "welk bedrijf heeft mn data": the controllers (1), which the encoder reads as
        # sharing (5) or the service providers (5.2)
        first_if_close(turn.ranking, served.sections("controllers_section"), served.tuning.controller_margin)
    elif served.topic_rules.asks_if_contacted(turn.query, turn.language):
        # "gaan jullie mij daar nu mee opbellen?" after telling the number added: how Amazon communicates (3.8); the
        # number named draws what is collected (15.2), access (8) or the choices (9)
        first_if_close(turn.ranking, served.sections("communications_section"), served.tuning.contacted_margin)
    elif served.topic_rules.tells_a_support_call(turn.query, turn.language):
        # "ik heb de klantendienst gebeld met de gsm van mijn vrouw, houden jullie dat nummer bij?": the examples of
        # what is collected automatically name the numbers used to call customer service (15.2); the call told draws
        # the service providers (5.2), the sellers (5.1) or the choices (9)
        first_if_close(turn.ranking, served.sections("support_calls_section"), served.tuning.support_call_margin)
    elif served.topic_rules.asks_kept_after_closing(turn.query, turn.language):
        # "et si je ferme mon compte, y a des trucs que vous devez quand même garder ?": retention (11: kept for legal
        # obligations such as tax or accounting); the closing told draws the choices (9) or what is given (2.1)
        first_if_close(turn.ranking, served.sections("retention_section"), served.tuning.kept_after_closing_margin)
    elif asks_prior_version(turn, served):
        # "i changed my phone number || and the old number, is that gone now?": the choices section says a copy of
        # the prior version is usually kept (9); the change told draws contacts (14), access (8) or retention (11)
        first_if_close(turn.ranking, choices, served.tuning.prior_version_margin)
    elif (served.topic_rules.asks_switch_off(carried, turn.language)
            or served.topic_rules.asks_choices(turn.query, turn.language)):
        # "kan ik die reclame uitzetten?": the choices section (9), not the one explaining the purpose (3.5); and
        # "quels choix j'ai sur mes données ?", the choices section's own question, which the encoder reads as what
        # is collected (2, 3) or as products recommended (3.3)
        first_if_close(turn.ranking, choices, served.tuning.choices_margin)
    elif served.topic_rules.names_shared_device(turn.query, turn.language) and first_section(turn.ranking) in (
            served.sections("access_sections") + served.sections("collection_sections")
            + served.sections("sharing_sections")):
        # "je partage l'ordi avec ma coloc, c risque pour mon compte?": the security section's advice to sign out
        # after each use (6), which the others on the device read as what one can see of one's account (8), what
        # is collected (2) or shared (5); a question on another subject (ads, choices) keeps its section
        first_if_close(turn.ranking, served.sections("security_section"), served.tuning.shared_device_margin)
    elif served.topic_rules.asks_to_change_own(turn.query, turn.language):
        # "and can i edit it?" after a question on what one can see: the choices section (9: "you can add or
        # update certain information"), not the list of what one can see (8); closer, as "change" asks more things
        first_if_close(turn.ranking, choices, served.tuning.change_margin)
    elif served.topic_rules.asks_legal_basis(turn.query, turn.language):
        # "on what legal basis do you show me those personalised adverts?": the legal bases (13), which the adverts
        # named draw to their purpose (3.5) or the choices (9); a topic stating its own basis (transfers) comes after
        first_if_close(turn.ranking, served.sections("legal_bases_section"), served.tuning.legal_basis_margin)
    elif (served.topic_rules.asks_own_rights(turn.query, turn.language)
          and first_section(turn.ranking) in served.sections("legal_bases_section")):
        # "what are my rights under the gdpr": the law's name draws the message to the legal bases (13), but the
        # customer's rights are among the choices (9); other topics asked with rights (complaints, transfers) stay
        first_if_close(turn.ranking, choices)
    elif served.topic_rules.asks_where_to_complain(turn.query, turn.language):
        # "waar kan ik een klacht indienen?": the supervisory authority (14), which the Data Privacy Framework's
        # dispute resolution (12) and the choices (9) resemble
        complaints, margin = served.sections("complaints_section"), served.tuning.complaint_margin
        first = first_section(turn.ranking)
        if ((first in choices or (first in served.sections("us_oversight_section")
                                  and served.topic_rules.names_outside_body(turn.query, turn.language)))
                and not names_the_us(turn, served)):  # fmt: skip
            # "geen deftig antwoord ... bij welke instantie kan ik jullie aangeven?": the customer's data named draws
            # the choices (9: "contact our Customer Service") first, and a complaint left unanswered the Data Privacy
            # Framework's disputes (12), but a complaint taken further, to an official body, naming neither the US
            # nor its framework, goes to the supervisory authority (14): further behind is still close
            margin = served.tuning.complaint_follow_up_margin
        if turn.follow_up and turn.context and (us_topic := overseer_of_topic(turn, served)) is not None:
            # "stel dat ik daar ruzie over heb en jullie lossen het niet op, waar kan ik dan terecht?" after questions
            # on transfers to the US: the Data Privacy Framework says where its own complaints go (12)
            complaints, margin = [us_topic], served.tuning.complaint_follow_up_margin
        if (turn.follow_up and close_hit(turn.ranking, complaints, margin) is None
                and topic_stating(turn, served, served.sections("complaints_section")) is None):  # fmt: skip
            # "ok, waar kan ik klagen?" after a question on children's accounts: where to complain is the same
            # whatever the topic, which read with the message pulls the complaint section out of the ranking (but
            # the Data Privacy Framework says where to take a complaint about it)
            alone = alone or read_alone(turn, served)
            if close_hit(alone, complaints, margin) is not None:
                as_new_topic(turn, alone)
                elliptical = False  # no topic left to read the rules below with
        first_if_close(turn.ranking, complaints, margin)
    elif served.topic_rules.names_privacy_person(turn.query, turn.language):
        # "is there a person whose job is privacy that i can mail?": the contacts section names the data protection
        # officer (14), which the encoder reads as those who work for Amazon (5.2)
        first_if_close(turn.ranking, served.sections("complaints_section"), served.tuning.complaint_margin)
    elif served.topic_rules.names_documents(turn.query, turn.language):
        # "kan ik die contracten ergens inkijken?": the section offering a copy of them (the standard contractual
        # clauses, 5.5), not what a customer can see of their own records (8) or the choices (9)
        first_if_close(turn.ranking, served.sections("documents_section"), served.tuning.access_margin)
    elif served.topic_rules.asks_for_copy(turn.query, turn.language):
        # "can i get all the data u have on me": a request for access, which the choices section (9) says how to make;
        # the encoder reads "the data you have" as what is collected (2.1)
        first_if_close(turn.ranking, choices, served.tuning.access_margin)
    elif served.topic_rules.asks_to_see_own(turn.query, turn.language):
        # "can i find my order history myself?": what a customer can access (8, 15.4), whatever story surrounds it;
        # but not past a section that says for itself what can be seen ("kan ik ergens zien wanneer zo'n ander
        # bedrijf mee in het spel is?": the sellers' section, "you can tell when a third party is involved")
        access = served.sections("access_sections")
        if not states_aspect(first_section(turn.ranking) or "", access, served):
            first_if_close(turn.ranking, access_of_topic(turn, served, access) if elliptical else access,
                           served.tuning.access_margin)
    elif (served.topic_rules.asks_if_collected(turn.query, turn.language)
          and first_section(turn.ranking) in served.sections("access_sections")):
        # "does amazon know where i am? like my location": whether it is collected (2, 15.x), not where to see it (8)
        first_if_close(turn.ranking, served.sections("collection_sections"))
    elif (served.topic_rules.names_recommendations(turn.query, turn.language)
          and first_section(turn.ranking) in served.sections("access_sections")):
        # "pk je vois des recommandations de trucs que j'ai regardés hier": the list of what one can see (15.4) names
        # recommendations; asking nothing to be seen, the message asks about them (3.3)
        first_if_close(turn.ranking, served.sections("recommendations_section"))
    elif (served.topic_rules.names_recommendations(turn.query, turn.language)
          and first_section(turn.ranking) in served.sections("children_section")):
        # "it keeps recommending kids stuff, i dont even have kids": the children named draw the message to the
        # children section (10), but it asks about the recommendations (3.3)
        first_if_close(turn.ranking, served.sections("recommendations_section"),
                       served.tuning.recommendations_children_margin)
    elif served.topic_rules.names_storefront_products(turn.query, turn.language):
        # "since one gift for my sister the homepage is full of baby stuff": the recommendations (3.3), which the
        # products named draw to advertising (3.5), the legal bases (13) or the choices (9)
        first_if_close(turn.ranking, served.sections("recommendations_section"), served.tuning.storefront_margin)
    first = first_section(turn.ranking)
    if elliptical and first is not None and (stating := topic_stating(turn, served, [first])) is not None:
        # "et je le vois comment quand c'est pas vous?" after a purchase from a seller: read with its topic, the
        # message still ranks what a customer can see (8) first, which the sellers' section (5.1) states for itself
        first_if_close(turn.ranking, [stating], served.tuning.stated_aspect_margin)
    written = f"{turn.text} {turn.query}"  # as written and as mended: a rarer verb form may have been "mended"
    sharing = served.sections("sharing_sections")
    if served.topic_rules.asks_about_selling(written, turn.language):
        # "do you sell my purchase history?": its object draws it to retention (11); selling is answered where the
        # notice says what it shares ("we are not in the business of selling ..."); the object's section stays as
        # see also
        first_if_close(turn.ranking, sharing)
    elif reads_as_coming_in_or_used(turn, served) and says_it_goes_out(turn, served, written, elliptical):
        # "vous donnez mes infos à d'autres sociétés ?" reads to the encoder as "vous recevez des infos d'autres
        # sociétés ?" (2.3), and "en aan wie geven jullie dat door?" after a question on fraud checks as that purpose
        # (3.6): the words say the information goes out, so the sharing sections (5) go first
        first_if_close(turn.ranking, sharing)
    elif (first_section(turn.ranking) in served.sections("access_sections")
          and served.topic_rules.says_others_get(written, turn.language)):
        # "zien de verkopers mijn e-mailadres?": what others get, not what the customer can see (15.4)
        first_if_close(turn.ranking, sharing)
    elif (first_section(turn.ranking) in sharing + served.sections("access_sections")
          and served.topic_rules.asks_what_comes_in(written, turn.language)
          and not served.topic_rules.asks_to_see_own(turn.query, turn.language)):
        # "krijgen jullie mijn gegevens van andere bedrijven?", "vous recevez mes données de facebook ?": the other
        # way round, which the encoder reads as sharing (5); where Amazon's information comes from (2.3) goes first;
        # and "ce que vous savez de ma situation financière, vous le tenez de qui ?", which "what you know of me" draws
        # to what a customer can see (8)
        first_if_close(turn.ranking, served.sections("sources_sections"))
    if first_section(turn.ranking) in sharing and served.topic_rules.names_carriers(turn.query, turn.language):
        # "en die koeriers en zo dan?", "who gets my data, couriers?": those who deliver are the service providers (5.2)
        first_if_close(turn.ranking, served.sections("service_providers_section"))
    elif (first_section(turn.ranking) in served.sections("controllers_section")
          and served.topic_rules.names_carriers(turn.query, turn.language)
          and not served.topic_rules.asks_controller(turn.query, turn.language)):
        # "who brings my stuff in belgium, is it bpost?": those who deliver are service providers (5.2), which "who"
        # and a company's name draw to the Amazon companies named as controllers (1)
        first_if_close(turn.ranking, served.sections("service_providers_section"), served.tuning.carriers_margin)
    elif (first_section(turn.ranking) in served.sections("sources_sections")
          and served.topic_rules.names_carriers(turn.query, turn.language)
          and served.guards.signals.other_person.asks_how_a_carrier_got_own_data(" ".join([*turn.context[-1:],
                                                                                              turn.query]))
          and not served.topic_rules.asks_what_comes_in(written, turn.language)):  # fmt: skip
        # "le livreur avait mon nom et mon numéro, j'ai jamais rien donné à cette société": what Amazon gives those
        # who deliver (5.2), which the encoder reads as the carriers' updated addresses Amazon receives (2.3)
        first_if_close(turn.ranking, served.sections("service_providers_section"), served.tuning.carriers_margin)
    elif (served.topic_rules.asks_other_use(turn.query, turn.language)
          and served.topic_rules.names_carriers(" ".join([*turn.context, turn.query]), turn.language)):
        # "so the courier can use my number for whatever he wants?": those who deliver may not use it for other
        # purposes (5.2), which the encoder reads as what the customer gives (2.1) or consent (3.9)
        first_if_close(turn.ranking, served.sections("service_providers_section"), served.tuning.carriers_margin)
    if turn.follow_up and served.topic_rules.asks_examples(turn.query, turn.language):
        examples_of(turn.ranking, examples_sections(served))
    elif (elliptical and carries and not served.guards.signals.other_person.names_a_person(turn.query)
          and (item := examples_of_topic(turn, served)) is not None):  # fmt: skip
        # "ook mijn locatie??" after "wat verzamelen jullie automatisch?": one more item of the topic's list, which the
        # topic's examples section (15.2) names where its own section (2.2) only describes the kind; not someone else's
        # ("and my wife's orders?" is no item of the customer's list)
        first_if_close(turn.ranking, [item], served.tuning.examples_item_margin)
    elif (turn.follow_up and served.topic_rules.asks_purpose(turn.query, turn.language)
          and (topic := purpose_stated_of_topic(turn, served)) is not None):
        # "what do you do with it?" after "do the couriers send you address updates?": the section says itself what
        # that information is used for (2.3); the words of purpose alone draw the purposes (3) or the carriers (5.2)
        first_if_close(turn.ranking, [topic], served.tuning.purpose_margin)
    elif (turn.follow_up and served.topic_rules.asks_purpose(turn.query, turn.language)
          and first_section(turn.ranking) in served.sections("collection_sections")):
        # "waarom?" after "houden jullie bij wat ik bekijk?": why it is collected, which section 3 says
        first_if_close(turn.ranking, served.sections("purpose_sections"), served.tuning.purpose_margin)
    elif (elliptical and served.topic_rules.asks_purpose(turn.query, turn.language)
          and not served.topic_rules.named(turn.query, served.pack(turn.language))
          and (topic := topic_section(turn, served)) in sharing):
        # "pourquoi ?" after "vous partagez mon adresse avec les vendeurs ?": the sharing section says why it shares
        # (the transaction, the law), which "why" read with the topic's words does not reach past the purposes (3);
        # not "waarom mijn bankrekening?", which names what it asks about
        first_if_close(turn.ranking, [topic])
    elif elliptical and served.topic_rules.asks_which_info(turn.query, turn.language) and about_a_purpose(turn, served):
        # "welke info gebruiken jullie daarvoor?", "et vous prenez les infos où ?" after a question on a purpose (fraud
        # checks, recommendations): the purposes do not list the information; what is collected, and from where, does
        first_if_close(turn.ranking, served.sections("collection_sections"))
    elif turn.follow_up and not has_pointer_word(turn, served):
        # Not one with a word pointing back ("so do they get my address too?" after a purchase from a seller): read
        # alone, "they" is anyone, and the address reads as the carriers' (5.2) where the topic says the seller's (5.1)
        own_subsection(turn.ranking, alone or read_alone(turn, served))
    if turn.follow_up and turn.context:
        stated_by_topic(turn, served)
        time_of_the_act(turn, served)
        fact_of_the_topic(turn, served)


def asks_fact_of_topic(turn: Turn, served: Served) -> bool:
    """A follow-up pointing back that asks a precise fact in few words of its own ("what's their phone number?" after
    "who is responsible for my data?"): it asks the fact of its topic, whatever subject its words suggest alone."""
    # Pointing back ("their", "leur", "hun"): "quels cookies utilisez-vous ?" after a question on retention names a
    # subject of its own in as few words
    named = served.topic_rules.named(turn.query, served.pack(turn.language))
    if named >= served.tuning.follow_up_own_question_words:
        return False
    # Parties' names asked in a follow-up ("quelles entreprises ?" after a question on exchanging information against
    # fraud) are the topic's parties whether or not a word points back; "quels cookies utilisez-vous ?" after a
    # question on retention names a subject of its own
    names = (turn.follow_up and bool(turn.context) and served.precise.asked(*turn.asked_fact) == "names"
             and served.precise.names_parties(turn.query, turn.language))
    return names or asks_a_fact_of_its_topic(turn, served)


def asks_only_a_fact_of_topic(turn: Turn, served: Served) -> bool:
    """A follow-up asking a precise fact and naming few words besides the words that ask it ("and which firms
    exactly, bpost? dhl?" after a question on delivery: the fact of the topic, and guesses at it)."""
    if not (turn.follow_up and turn.context and served.precise.asked(*turn.asked_fact)):
        return False
    rest = served.precise.without_asking(turn.query, turn.language)
    return served.topic_rules.named_besides_fact(rest, served.pack(turn.language)) < (
        served.tuning.follow_up_own_question_words)


def insists_on_a_fact_of_topic(turn: Turn, served: Served) -> bool:
    """A follow-up insisting on the names of parties its topic named ("et c'est quelles boîtes exactement ? donnez
    les noms" after a question on companies delivering): read alone, the controllers' names (1) would seem to give
    what it asks. (Another fact insisted on may be asked of another thing: "the exact number of your helpdesk?")"""
    words = [fold(t) for t in TOKEN.findall(turn.query)]
    precise = served.precise
    return (served.topic_rules.insists_on_exactness(words, turn.language) and asks_only_a_fact_of_topic(turn, served)
            and precise.asked(*turn.asked_fact) == "names"
            and precise.names_parties(" ".join(turn.context), turn.language))  # fmt: skip


def fact_of_the_topic(turn: Turn, served: Served) -> None:
    """The topic's section first for a follow-up asking a precise fact of it (the partial answer quotes what the
    notice says on the topic), unless the follow-up ranks an aspect first ("how long do you keep it?" after a
    question on ads: the retention section)."""
    assert turn.ranking is not None
    person = asks_a_person_beside_the_controllers(turn, served)
    if first_section(turn.ranking) in served.sections("aspect_sections") or not (
            asks_fact_of_topic(turn, served) or person):
        return
    # The topic's messages read together, as its last answer read them ("c payant ?" after "c quoi ce data privacy
    # framework ?" and "et si j'ai un souci avec ça ?": the framework, not the choices the last one alone suggests)
    own = topic_read_together(turn, served)
    if person:  # the controllers' names are no person's: last, not quoted as if they stated the name asked
        controllers = served.sections("controllers_section")
        turn.ranking.hits.sort(key=lambda hit: hit.section_id in controllers)  # a stable sort
        if own in controllers:  # the topic read raw ranks them too: the best other section of the ranking
            own = first_section(turn.ranking)
    if own is not None:
        first_if_close(turn.ranking, [own])


def asks_a_person_beside_the_controllers(turn: Turn, served: Served) -> bool:
    """A follow-up asking a name, however many words it takes ("Could you kindly tell me that person's name?" after a
    question on the privacy officer, "so whats the name of the company that delivers in antwerp then?"), ranks the
    controllers (1) first: name words draw the Amazon companies' legal names, which answer no "what's the name" asked
    of the topic's person or party, unless it asks who controls the data."""
    assert turn.ranking is not None
    return (served.precise.asked(*turn.asked_fact) == "person"
            and first_section(turn.ranking) in served.sections("controllers_section")
            and not served.topic_rules.asks_controller(turn.query, turn.language))


def time_of_the_act(turn: Turn, served: Served) -> None:
    """A follow-up asking how long its topic's act takes ("hoe lang duurt dat?" after "kan ik een kopie van mijn
    gegevens krijgen?"), or a duration of a topic that speaks of no information kept ("binnen hoeveel dagen is dat
    gebeurd?" after "ik wil al mijn gegevens laten wissen"), which its duration words draw to the retention section:
    the topic's section first, where the answer (partial: the notice gives no time) is quoted from."""
    assert turn.ranking is not None
    rules = served.topic_rules
    if (first_section(turn.ranking) not in served.sections("retention_section")
            or served.precise.asked(*turn.asked_fact) != "duration"
            or not (rules.asks_time_taken(turn.query, turn.language)
                    or not rules.speaks_of_keeping(" ".join([*turn.context, turn.query]), turn.language))):  # fmt: skip
        return
    own = topic_section(turn, served)
    if own is not None and own not in served.sections("retention_section"):
        first_if_close(turn.ranking, [own])


def stated_by_topic(turn: Turn, served: Served) -> None:
    """A follow-up asking an aspect (security, legal basis) of a topic whose own section states it for itself
    ("is that legal?", "hoe beschermen jullie da dan?" after a question on transfers to the US): the topic's
    section first when close, not the notice's general section on that aspect (6, 13)."""
    assert turn.ranking is not None
    stated: dict[str, list[str]] = served.facts.get("aspects_stated") or {}
    first = first_section(turn.ranking)
    if first is None or not any(first in aspects for aspects in stated.values()):
        return  # the topic is read alone only when the follow-up ranks such an aspect first
    own = topic_stating(turn, served, [first])
    if own is not None:
        first_if_close(turn.ranking, [own], served.tuning.aspect_stated_margin)


def topic_stating(turn: Turn, served: Served, aspects: list[str]) -> str | None:
    """The topic's section, when it states one of these aspects for itself (corpus/facts.yaml `aspects_stated`): that
    of its latest message read alone, else of an earlier one ("do you send my data outside europe / is that even
    legal? / how do i know its protected?": the second reads as the legal bases, the first as the transfers), for
    a follow-up in few words of its own ("et vous protégez comment mes infos qd elles passent sur internet" asks the
    general protection in transit)."""
    if set(aspects) & set(served.sections("choices_section")) and asks_a_choice(turn, served):
        return None  # "is my data safe? || how do i delete my account?": a choice asked, not the topic's own advice
    own_words = served.topic_rules.named(turn.query, served.pack(turn.language))
    read = turn.context if own_words <= served.tuning.follow_up_carrying_on_own_words else turn.context[-1:]
    for message in reversed(read):
        own = answering_alone(message, turn.language, served)
        if own is not None and states_aspect(own, aspects, served):
            return own
    return None


def access_of_topic(turn: Turn, served: Served, access: list[str]) -> list[str]:
    """The examples of what can be seen, when the topic's last message, read alone, ranks them above access in general:
    "et moi je peux la retrouver où ?" after a question on a wish list asks for the list that names it (15.4), not
    access in general (8); otherwise the access sections as ranked."""
    topic = rank_alone(turn.context[-1], turn.language, served)
    found = next((hit.section_id for hit in topic.hits if hit.section_id in access), "")
    return [found] if found in examples_sections(served).values() else access


def asks_a_choice(turn: Turn, served: Served) -> bool:
    """The words ask one of the customer's choices: switching off, the choices, changing or deleting one's own
    information, a copy of it."""
    rules, query, language = served.topic_rules, turn.query, turn.language
    return (rules.asks_switch_off(query, language) or rules.asks_choices(query, language)
            or rules.asks_to_change_own(query, language) or rules.asks_for_copy(query, language))


def answering_alone(message: str, language: str, served: Served) -> str | None:
    """The section answering the message read alone, as its answer read it: first of its ranking, but the sharing
    sections for a question on selling ("do you sell my data to advertisers?" is answered from 5, not 7.2)."""
    ranking = rank_alone(message, language, served)
    if served.topic_rules.asks_about_selling(message, language):
        first_if_close(ranking, served.sections("sharing_sections"))
    return first_section(ranking)


def states_aspect(section: str, aspects: list[str], served: Served) -> bool:
    """The section states one of these aspects for itself (corpus/facts.yaml `aspects_stated`)."""
    stated: dict[str, list[str]] = served.facts.get("aspects_stated") or {}
    return bool(set(aspects) & set(stated.get(section, ())))


def complaint_of_topic(turn: Turn, served: Served) -> str:
    """Where the topic's complaint goes: its messages read together, as the complaint rule reads a message, answer
    from the complaints section (14) or from a section that says where its own complaints go (the Data Privacy
    Framework, 12); the complaints section when they rank neither first."""
    complaints = served.sections("complaints_section")
    topic = rank_alone(" ".join(turn.context), turn.language, served)
    first_if_close(topic, complaints, served.tuning.complaint_margin)
    own = first_section(topic)
    if own is not None and (own in complaints or states_aspect(own, complaints, served)):
        return own
    return complaints[0]


def asks_prior_version(turn: Turn, served: Served) -> bool:
    """The message names the old version of information that it or the conversation's last two messages say was
    changed ("j'ai remplacé mon adresse dans mon compte || vous gardez l'ancienne quelque part ?"), whether or not
    it was read as the same topic."""
    told = " ".join([*turn.earlier[-2:], turn.query])
    return served.topic_rules.asks_prior_version(turn.query, told, turn.language)


def names_the_us(turn: Turn, served: Served) -> bool:
    """The conversation (the message and its topic's messages) names the United States."""
    return served.topic_rules.names_the_us(" ".join([*turn.context, turn.query]), turn.language)


def overseer_of_topic(turn: Turn, served: Served) -> str | None:
    """The section naming who oversees transfers to the US (`us_oversight_section` in corpus/facts.yaml), for a topic
    on transfers (its messages read together rank a `transfer_sections` first) where the conversation names the US;
    None otherwise (outside Europe in general, the transfer section itself says how they are safeguarded)."""
    overseer = served.sections("us_oversight_section")
    conversation = " ".join([*turn.context, turn.query])
    if not overseer or not served.topic_rules.names_the_us(conversation, turn.language):
        return None
    if served.guards.signals.other_person.names_a_person(conversation):
        return None  # who checks what is done with someone else's data is no question on transfers
    return overseer[0] if topic_read_together(turn, served) in served.sections("transfer_sections") else None


def about_a_purpose(turn: Turn, served: Served) -> bool:
    """The follow-up, or its topic's last message read alone, ranks a purpose section (3, 3.x) first."""
    purposes = {*served.sections("purpose_sections"), *{parent_id(s) for s in served.sections("purpose_sections")}}
    first = first_section(turn.ranking)
    return first is not None and (first in purposes or topic_section(turn, served) in purposes)


def says_it_goes_out(turn: Turn, served: Served, written: str, elliptical: bool) -> bool:
    """The message's words say the information goes out from Amazon, or, for an elliptical follow-up ranking a
    sources section first, its topic's last message does ("et les transporteurs aussi ?" after "vous partagez mon
    adresse avec les vendeurs ?", which alone reads as the carriers' updated addresses of 2.3)."""
    if served.topic_rules.asks_what_goes_out(written, turn.language):
        return True
    return (elliptical and first_section(turn.ranking) in served.sections("sources_sections")
            and served.topic_rules.asks_what_goes_out(f"{written} {turn.context[-1]}", turn.language))  # fmt: skip


def reads_as_coming_in_or_used(turn: Turn, served: Served) -> bool:
    """The first section says where the information comes from (2.3, 15.3), or, for a follow-up, what it is used
    for (3.x) or an aspect of its topic (retention, security: "ok and do you share my address with sellers?" after
    "how long do you keep my orders?"): a message asking where it goes is drawn there by its words or by its topic."""
    first = first_section(turn.ranking)
    return first in served.sections("sources_sections") or (
        turn.follow_up and first in served.sections("purpose_sections") + served.sections("aspect_sections")) or (
        # "the people who bring my packages, they get my address?": the delivery purpose (3.1) draws those named
        first in served.sections("purpose_sections") and served.topic_rules.says_others_get(turn.query, turn.language))


def opens_own_topic(alone: Ranking, topic: Ranking, lead: float, aspects: list[str], asks_anew: bool) -> bool:
    """Read alone, the follow-up names a subject of its own ("and alexa?" after a question on selling data): its
    first section leads the next by `lead` or more and is not the topic's. An aspect (security, retention, legal
    basis, contacts) is asked of the topic ("how is that legal?"), and a conversation about an aspect keeps it for a new
    subject it only names ("and for delivering my orders?" after the legal bases), not for one it asks a question of
    its own about (`asks_anew`: "ok et comment je supprime mes données" after a question on retention)."""
    if len(alone.hits) < 2 or not topic.hits:
        return False
    first, second = alone.hits[0], alone.hits[1]
    own, topics = parent_id(first.section_id), parent_id(topic.hits[0].section_id)
    return (first.score - second.score >= lead and own != topics and own not in aspects
            and (topics not in aspects or asks_anew))


def asks_what_topic_states(turn: Turn, alone: Ranking, served: Served) -> bool:
    """Read alone, the follow-up ranks first an aspect its topic's section states for itself (corpus/facts.yaml
    `aspects_stated`): "how would i know when thats the case?" after a purchase from a seller reads as what a customer
    can see of their account (8), but the sellers' section says the customer can tell when a third party is
    involved."""
    first = first_section(alone)
    return first is not None and topic_stating(turn, served, [first]) is not None


def asks_of_topics_example(turn: Turn, alone: Ranking, served: Served) -> bool:
    """Read alone, the follow-up asks a section in general, and read with its topic, it ranks that section's examples
    first (corpus/facts.yaml `examples_sections`): "et je peux y avoir accès ?" after a question on Alexa's voice
    recordings asks what a customer can access (8) of an item its examples list (15.4: "voice recordings")."""
    first, with_topic = first_section(alone), first_section(turn.ranking) if turn.ranking is not None else None
    examples = examples_sections(served).get(first or "", "")
    return bool(examples) and with_topic is not None and examples in (with_topic, parent_id(with_topic))


def strays_from_topic(turn: Turn, alone: Ranking, served: Served) -> bool:
    """Read alone, the follow-up ranks its topic's section (or another part of it) nowhere among its first sections,
    and its own first is no aspect asked of any topic ("et cmt je fais pour corriger mon adresse dans mon compte"
    after a question on the Data Privacy Framework): it asks about something else."""
    topic = topic_section(turn, served)
    if topic is None or not alone.hits or alone.hits[0].section_id in served.sections("aspect_sections"):
        return False
    reach = {parent_id(hit.section_id) for hit in alone.hits[: served.tuning.follow_up_topic_reach]}
    return parent_id(topic) not in reach


def asks_own_question(turn: Turn, served: Served) -> bool:
    """A follow-up that names enough topic words of its own to ask its own question, and no precise fact (which
    gets the partial answer from the topic's section)."""
    named = served.topic_rules.named(turn.query, served.pack(turn.language))
    precise = served.precise.asked(*turn.asked_fact)
    return named >= served.tuning.follow_up_own_question_words and precise is None


def speaks_of_topics_person(turn: Turn, served: Served) -> bool:
    """The follow-up speaks of a person its topic named with a pronoun ("elle peut commander toute seule alors ?"
    after "ma fille a 15 ans et veut son propre compte"): the topic's question asked again of them, not one of its
    own, however many words it names."""
    guard = served.guards.signals.other_person
    topic = " ".join(turn.context)
    return guard.points_to_someone(turn.query) and (guard.names_a_person(topic) or guard.names_a_child(topic))


def follows_a_complaint(turn: Turn, served: Served) -> bool:
    """A follow-up in a few words of its own, asking no precise fact, after a message on complaining ("what can i do
    next?", "wat kan ik nu doen?"): it asks where to take the complaint further, however vague it reads alone."""
    rules = served.topic_rules
    return (turn.follow_up and topic_asked_where_to_complain(turn, served)
            and rules.named(turn.query, served.pack(turn.language)) <= served.tuning.follow_up_carrying_on_own_words
            and served.precise.asked(*turn.asked_fact) is None)  # fmt: skip


def topic_asked_where_to_complain(turn: Turn, served: Served) -> bool:
    """A message of the topic, not only its last, complained or asked where to ("je veux faire une plainte ... ||
    je dois écrire à qui ? || et si ça donne rien chez vous ?")."""
    return any(served.topic_rules.asks_where_to_complain(message, turn.language) for message in turn.context)


def carries_on_only(turn: Turn, served: Served) -> bool:
    """A follow-up that only opens with "and" ("et mon colis il arrive quand ?"), no word in it pointing back, and
    names two topic words or more of its own: what it asks may have nothing to do with the topic."""
    if not (turn.follow_up and turn.points_back):
        return False
    own_words = served.topic_rules.named(turn.query, served.pack(turn.language))
    return own_words >= served.tuning.follow_up_carrying_on_own_words and not has_pointer_word(turn, served)


def has_pointer_word(turn: Turn, served: Served) -> bool:
    """A word in the message points back to the topic ("they", "ça", "die"), not only an opening "and"."""
    return served.topic_rules.has_pointer([fold(t) for t in TOKEN.findall(turn.query)], turn.language)


def unanswered_alone(turn: Turn, alone: Ranking, served: Served, pointing: bool = True) -> bool:
    """Abstention declines the follow-up read alone; for one with no word pointing back (`pointing`), only when its
    out-of-scope questions are also nearer than its typical ones by a margin (a short follow-up read alone is
    vague); for one going back to an earlier topic, only when they are so or the section classifier is sure it is
    no question on the notice ("back to the first thing, what's the weather in seattle?")."""
    found = message_evidence(alone, turn.query, served)
    if found is None:
        return True
    if not decide(found, served.tuning):
        return False
    margin = served.tuning.follow_up_alone_out_margin
    nearer_out = found.nearest_out is not None and found.nearest_out - found.nearest_in > margin
    if turn.returns:
        return nearer_out or found.out_of_scope_probability >= served.tuning.max_out_of_scope_probability
    return pointing or nearer_out


def as_new_topic(turn: Turn, ranking: Ranking) -> None:
    """The message opens its own topic after all: read without the conversation, with this ranking."""
    turn.relation, turn.follow_up, turn.context, turn.ranking = "change", False, [], ranking


def read_alone(turn: Turn, served: Served) -> Ranking:
    """The ranking of a follow-up read without its topic."""
    return rank_alone(turn.query, turn.language, served)


def topic_read_together(turn: Turn, served: Served) -> str | None:
    """The first section of the topic's messages read together, as its last answer read them."""
    return first_section(rank_alone(" ".join(turn.context), turn.language, served))


def topic_section(turn: Turn, served: Served) -> str | None:
    """The first section of the topic's last message, read alone."""
    if not turn.context:
        return None
    return first_section(rank_alone(turn.context[-1], turn.language, served))


def purpose_stated_of_topic(turn: Turn, served: Served) -> str | None:
    """The topic's section when it states the purpose of what it describes (`purpose_stated_sections`), also when the
    topic was answered from its examples (15.3 lists the carriers' address updates that 2.3 says are used for)."""
    topic = topic_section(turn, served)
    stated = served.sections("purpose_stated_sections")
    described = {listed: section for section, listed in examples_sections(served).items()}
    return next((section for section in (topic, described.get(topic or "")) if section in stated), None)


def own_subsection(ranking: Ranking, alone: Ranking) -> None:
    """A follow-up's topic chooses the top-level section; the message read alone, its part of it: "and the
    couriers?" after a question on sellers stays in section 5 but is answered from 5.2, not 5.1. A subsection already
    first stays before its parent: read alone, a short message rarely says more than the parent."""
    if not ranking.hits or not alone.hits:
        return
    top, own = ranking.hits[0], alone.hits[0].section_id
    if own != top.section_id and parent_id(own) == parent_id(top.section_id) and own != parent_id(top.section_id):
        to_front(ranking, own)


def examples_of_topic(turn: Turn, served: Served) -> str | None:
    """The examples section of the topic's last message's section, read alone (`examples_sections`); None without."""
    return examples_sections(served).get(topic_section(turn, served) or "")


def examples_sections(served: Served) -> dict[str, str]:
    """Each section and the section holding the notice's examples of it (corpus/facts.yaml `examples_sections`)."""
    return {str(section): str(listed) for section, listed in (served.facts.get("examples_sections") or {}).items()}


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


def close_hit(ranking: Ranking, sections: list[str], margin: float) -> str | None:
    """The best ranked of `sections`, when it is within `margin` of the top."""
    found = next((h for h in ranking.hits if h.section_id in sections), None)
    return found.section_id if found is not None and ranking.hits[0].score - found.score <= margin else None


def first_if_close(ranking: Ranking, sections: list[str], margin: float = math.inf) -> None:
    """The best ranked of `sections` goes first when its fused score is within `margin` of the top (by default,
    wherever it ranks): a message whose words say what it asks (switching something off, seeing its own records,
    selling) is answered from the notice's section for that, which the encoder ranks close but not always first."""
    found = close_hit(ranking, sections, margin)
    if found is not None:
        to_front(ranking, found)


def to_front(ranking: Ranking, section_id: str) -> None:
    """The section first, the rest in their order (nothing changes when it is not ranked)."""
    ranking.hits.sort(key=lambda hit: hit.section_id != section_id)  # a stable sort
