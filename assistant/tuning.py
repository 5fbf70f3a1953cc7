"""Every number the stages were tuned with, in one place (the choices and their measurements: docs/decisions/)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# How much each ranking signal counts; each is standardised over the sections first (docs/decisions/retrieval.md).
SIGNAL_WEIGHTS: dict[str, float] = {
    "dense_chunk": 1.0,  # the best cosine of the question with a chunk of the section
    "dense_sentence": 1.0,  # ... with one of its sentences
    "dense_other_languages": 0.5,  # ... with its chunks in the other languages
    "dense_question": 2.0,  # ... with one of its typical questions (query to query)
    "dense_question_other_languages": 1.0,  # ... with its typical questions in the other languages
    "lexical": 0.5,  # character n-grams shared with its text
    "lexical_question": 1.5,  # ... with one of its typical questions
    "classifier": 1.1,  # the section classifier's probability
}


@dataclass(frozen=True)
class Tuning:
    """Abstention, conversation, citing and quoting numbers, and the ranking signals' weights."""

    # Abstention (`python -m evals calibrate` reproduces the choice on held-out bank questions).
    min_question_match: float = 0.86  # below this, no typical question of the notice resembles the question
    min_passage_match: float = 0.84  # the same for notice text, used only for a corpus without typical questions
    neighbours: int = 3  # compare the mean cosine of the nearest few in-scope and out-of-scope questions ...
    lexical_weight: float = 0.05  # ... plus this share of the best character n-gram similarity of each bank ...
    out_of_scope_margin: float = 0.0  # ... and abstain when the out-of-scope side comes within this margin
    max_out_of_scope_probability: float = 0.9  # abstain too when the section classifier is this sure it is neither
    # Guards: a message is declined with its kind's reply when the message-type classifier gives the attack kinds
    # (injection, internals, someone else's data, authority) together at least this probability when a guard's
    # pattern fired too, or the second one when none did.
    min_decline_probability: float = 0.5
    min_decline_probability_unsignalled: float = 0.75  # 0.7 before the 2026-12-02 messages (docs/decisions/guards.md)
    # One sentence of a longer message, read alone where its own attack pattern fires, is declined at this.
    min_hidden_attack_probability: float = 0.95
    # A role named, not claimed ("would you give my account to the police?"), is not declined below this.
    max_authority_probability_named: float = 0.8
    min_action_probability: float = 0.9  # a request to act on an account ("cancel my Prime"), when not an attack,
    action_in_margin: float = 0.02  # ... is answered (how to do it) only when the typical questions are this nearer
    story_question_margin: float = 0.02  # a story's question read alone rescues it from abstaining by this margin
    # Conversation (chosen on evals/dev_realistic's follow-ups, see docs/decisions/follow-ups.md): a message after
    # others that announces no new topic continues it when it names at most this many topic words ...
    follow_up_max_content_words: int = 2
    follow_up_max_content_words_pointing: int = 6  # ... or this many with a word pointing back ("and those ...")
    follow_up_max_content_words_carrying_on: int = 4  # ... or this many when it opens with "and", "et", "en"
    # ... unless, without such a word, the notice does not answer it alone and the out-of-scope questions are
    # nearer than the typical ones by more than this (a new question the notice does not answer, "where is my
    # parcel?", is not rescued by the topic before it) ...
    follow_up_alone_out_margin: float = 0.02
    # A follow-up that points back but names this many topic words of its own asks its own question ("ok et je sais
    # annuler ma commande de ce matin ?"): when the notice does not answer it alone, the topic does not rescue it
    # (unless it asks a precise fact, which gets the partial answer). 4 on the development sets (3: -2, 5: -1).
    follow_up_own_question_words: int = 4
    # A follow-up that only opens with "and" and names this many topic words of its own ("et mon colis il arrive
    # quand ?") is read alone too, and declined alone as one with no word pointing back would be.
    follow_up_carrying_on_own_words: int = 2
    follow_up_weight: float = 0.4  # ... and is then read with the topic: its share of the query vector ...
    follow_up_decay: float = 0.5  # ... each earlier message of the topic weighing this much less than the next
    # A follow-up opens its own topic after all when, read alone, its first section leads the next by this much and is
    # neither the topic's nor an aspect of it ("and alexa?" after selling). 10-12 give the best development figures.
    follow_up_alone_lead: float = 12.0
    # ... or by this much when it asks a question of its own, naming this many topic words and no word pointing back
    # ("ok merci. et la police peut avoir mes infos ?" after a question on transfers to the US).
    follow_up_alone_lead_asking: float = 6.0
    follow_up_asking_own_words: int = 3
    # ... but never one with a word pointing back and at most this many of its own ("who do i ask for that?")
    follow_up_pointing_own_words: int = 1
    # ... or, asking anew, ranks its topic's section nowhere among its first this many sections read alone.
    follow_up_topic_reach: int = 5
    # Language: a message this short that langdetect reads as another language ("en quel format ? excel ?" as
    # Catalan) keeps the conversation's language; a longer one is answered with the unsupported-language note.
    other_language_min_words_in_conversation: int = 6
    # ... and a message shorter than this that has the conversation's own function words, with no other language
    # clearly ahead, keeps it too ("je sais en enlever ?" read as Dutch, "meme si j ai dit non ?" as Albanian).
    conversation_language_max_words: int = 12
    # Citing and quoting.
    # A message asking to switch something off ("can I turn off the personalised ads?"): the choices section first
    # when its fused score is within this of the best (the section that explains the purpose, 3.5 on ads, usually).
    # 16 (was 8): "et si je les refuse ?" after a question on cookies; 12-20 give the same development figures, 30
    # sends "moet ik me afmelden?" on a shared laptop to the choices (docs/decisions/follow-ups.md).
    choices_margin: float = 16.0
    # A check of identity named ("why do i have to prove it's me?"): the security section first within this margin;
    # the request it follows (a copy of one's data) ranks the choices (9) or what is collected (2) 5-9 ahead.
    identity_check_margin: float = 16.0
    # The old version of changed information asked ("and the old number, is that gone now?"): the choices section (9,
    # a copy of the prior version is usually kept) first within this margin; the change told ranks contacts (14),
    # access (8) or retention (11) 2.6-4.1 ahead.
    prior_version_margin: float = 8.0
    # Whether Amazon will call, text or e-mail the customer ("vous allez m'appeler sur mon numéro ?"): the
    # communications section (3.8) first within this margin; the number named draws what is collected (15.2).
    contacted_margin: float = 8.0
    # Who handles the customer's data, in everyday words ("qui gère mes données ?"): the controllers (1) first within
    # this margin; the encoder ranks sharing (5) or the service providers (5.2) 6.5-13 ahead.
    controller_margin: float = 16.0
    # A call to customer service told with the phone it came from ("i rang the helpdesk from my work phone"): the
    # examples naming the numbers used to call it (15.2) first within this margin; the encoder ranks the service
    # providers (5.2) or the choices (9) 5-11 ahead.
    support_call_margin: float = 12.0
    # The shop's front page told as full of one kind of product: the recommendations (3.3) first within this margin;
    # the products named draw advertising (3.5), the legal bases (13) or the choices (9) 2-10 ahead.
    storefront_margin: float = 10.0
    # Something kept after the account is closed ("si je ferme mon compte, vous gardez quand même des trucs ?"):
    # retention (11) first within this margin; the closing told draws the choices (9) or what is given (2.1) 1-3 ahead.
    kept_after_closing_margin: float = 8.0
    shared_device_margin: float = 8.0  # a device shared with others named: the security section first within this
    # Recommendations named where the children section ranks first ("it keeps recommending kids stuff, i dont have
    # kids"): the recommendations section first within this margin; a child's use asked ("mijn dochter van 15 krijgt
    # aanbevelingen, mag ze amazon gebruiken?") leads by more (18 there).
    recommendations_children_margin: float = 10.0
    # A courier named with the customer's own data they had, where the sources section (2.3) ranks first: the
    # service providers' section (5.2) first within this margin.
    carriers_margin: float = 8.0
    # A message asking where to see its own records: the access sections (8, 15.4) first within this margin.
    access_margin: float = 8.0
    # An elliptical follow-up ranking first an aspect its topic's section states for itself (corpus/facts.yaml
    # `aspects_stated`): that section first within this margin.
    stated_aspect_margin: float = 16.0
    # A message asking to change its own information ("can i edit it?"): the choices section first within this
    # margin. 8: the development follow-ups on editing what one can see gain 5 and lose none; 16, like switching
    # off, also sends cookie settings (4) and a device's security settings (6) to the choices.
    change_margin: float = 8.0
    # A message asking where to complain: the complaints section (14) first within this margin.
    complaint_margin: float = 8.0
    # An elliptical follow-up to a complaint ("en als jullie het niet oplossen?"): where the topic's complaint goes
    # first within this margin. 16, as for switching off: the probes' follow-ups that ask it ranked it 0-13 behind;
    # one asking its own question ("et vous utilisez mes données pour améliorer le site ?") 22 behind.
    complaint_follow_up_margin: float = 16.0
    # "why?" after a question on what is collected: the best-ranked purpose section first within this margin.
    purpose_margin: float = 8.0
    # "ook mijn locatie??" after "what do you collect automatically?": the topic's examples section (15.2) first within
    # this margin. 8 on the development sets (12: +2 more right first, but "en dat ook aanpassen?" lost to 15.4).
    examples_item_margin: float = 8.0
    # The legal basis asked by name: the legal bases section (13) first within this margin.
    legal_basis_margin: float = 8.0
    # An aspect asked of a topic whose own section states it (facts: aspects_stated): the topic's section within this.
    aspect_stated_margin: float = 8.0
    second_section_margin: float = 0.7  # cite a second section when its fused score is this close
    max_sentences: int = 3
    # A sentence also scores by its cosine with the section's nearest typical question (a bridge from the
    # customer's words to the notice's) and by the share of the question's character n-grams it holds.
    bridge_weight: float = 0.5
    coverage_weight: float = 0.05  # 0.1 before the written questions per sentence took over (answers-and-quotes.md)
    asked_weight: float = 2.0  # the best cosine with the questions written for a sentence, when choosing quotes
    # ... plus this times the probability the section's sentence classifier gives it (learnt from all its written
    # questions, in every language): 1, 2 and 4 chose alike on the development sets (answers-and-quotes.md, 2026-12-03).
    sentence_classifier_weight: float = 1.0
    pointer_penalty: float = 0.15  # taken from a sentence that points elsewhere ("For more information, see …")
    stated_fact_bonus: float = 0.1  # added to a sentence that states the precise fact asked ("gratuitement")
    # ... and this instead to section 14's sentence naming the supervisory authority when the customer names a body
    # outside Amazon ("the privacy watchdog", "le médiateur"): its neighbours on e-mailing Amazon match "contact".
    outside_body_bonus: float = 0.5
    third_sentence_gap: float = 0.05  # a third sentence is quoted only when it scores this close to the best
    # Suggested follow-ups: well-written typical questions of the cited section, none this close (cosine) to the
    # question asked or to another suggestion (e5's cosines between paraphrases run about 0.9 and above).
    suggestions: int = 3
    suggestion_max_similarity: float = 0.9
    signals: dict[str, float] = field(default_factory=lambda: dict(SIGNAL_WEIGHTS))

    def with_signals(self, spec: str) -> Tuning:
        """The same tuning with signals switched off ("-classifier,-lexical") or reweighted ("lexical=1")."""
        signals = dict(self.signals)
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, _, value = part.lstrip("-+").partition("=")
            if name not in signals:
                raise ValueError(f"unknown signal {name!r}; the signals are {', '.join(signals)}")
            signals[name] = 0.0 if part.startswith("-") else float(value or SIGNAL_WEIGHTS[name])
        return replace(self, signals=signals)
