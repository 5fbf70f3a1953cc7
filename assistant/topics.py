"""Telling a follow-up ("et pour combien de temps ?") from a message that opens its own topic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.guards.words import alternatives, gather, whole_words
from assistant.langpack import LanguagePack
from assistant.text import LETTERS, TOKEN, fold, folded_words, without_opening_phrases

MARKER_LEAD_WORDS = 3  # "ok merci btw", "oh and by the way": words before a change marker that still open the message
ASIDE_MAX_WORDS = 4  # "ah le luxembourg ok." before "autre chose, ...": a remark, longer is a sentence of its own
# ... unless the marker is set off by a colon or comma ("ok da regel ik via de klantendienst. iets anders: ..."): a
# sentence closing the last topic (stop 58: identical development figures, one more announced change read alone)
ASIDE_MAX_WORDS_MARKED = 8
HEAD = 60  # a topic change is announced at the start of a message ("ok, another question: ...")
OPENING_REMARK = re.compile(r"([^.!?,;:]{1,50}[.!,])\s+(?=\S)")  # "ok ça marche merci. ...", "ok, ..."


@dataclass(frozen=True)
class Relation:
    """How a message stands to the conversation before it."""

    kind: str  # "start" (nothing before it), "change" (its own topic) or "continue" (read with the topic)
    points_back: bool = False  # a word points back ("and those?", "en die verkopers?"): surely a follow-up


@dataclass(frozen=True)
class TopicRules:
    """What tells a follow-up from a new topic: the change markers of every language pack (customers mix them),
    and each language's words that point back ("those", "ils", "die") or carry on ("and", "et", "en")."""

    change: re.Pattern[str]  # "another question", "sinon", "trouwens", ...
    markers: tuple[tuple[str, ...], ...]  # the same markers as folded words, longest first
    pointers: dict[str, frozenset[str]]  # folded, per language: "die" points back in Dutch, not in English
    openers: dict[str, re.Pattern[str]]
    examples: dict[str, re.Pattern[str]]  # "such as?", "genre quoi ?", "zoals wat?": examples asked
    switch_off: dict[str, re.Pattern[str]]  # "turn off", "désactiver", "uitzetten": a choice asked, not a purpose
    # "where can I see", "je peux retrouver", "kan ik ... terugvinden": the customer's own records asked, to look at
    see_own: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "et mes données elles partent où ?": a pronoun right after the thing it repeats points to nothing earlier
    dislocated: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "a copy of my data", "tout ce que vous avez sur moi", "alles wat jullie over mij hebben": a request for access
    copy_asked: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "can I edit it?", "je peux les modifier ?", "kan ik die aanpassen?": a choice too, updating one's information
    change_own: dict[str, re.Pattern[str]] = field(default_factory=dict)
    notice_changed: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "als jullie die regels aanpassen"
    # "what are my rights under the gdpr", "quels droits ai-je", "welke rechten heb ik": the rights, among the choices
    own_rights: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "on what legal basis ...?", "sur quelle base légale", "op welke rechtsgrond": the legal bases (13) asked by name
    legal_basis: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "what choices do i have?", "quels choix me sont proposés ?": the choices section's own question (9), which the
    # encoder reads as the products recommended (3.3) or what is collected
    choices: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "do you sell my info", "vous donnez mes infos", "geven jullie mijn info": information going out from Amazon, and
    # "do you get information about me from", "vous recevez", "krijgen jullie": information coming in
    gives_out: dict[str, re.Pattern[str]] = field(default_factory=dict)
    takes_in: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "krijgen jullie ... van", "does facebook give you": another party as the source of what Amazon gets
    comes_in: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "sellers see", "le livreur reçoit", "krijgt de koerier": another party as the subject who sees or gets it
    others_get: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "do you sell my data", "vendez mes infos", "verkopen jullie mijn gegevens": selling the customer's information
    sells: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "where can I complain", "porter plainte", "een klacht indienen": whom to complain to
    complains: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "a été refusé", "m'a bloqué": something done to the customer, not their asking to switch it off
    switched_off_by_others: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "the privacy officer", "le responsable vie privée", "de privacyverantwoordelijke": whoever handles privacy
    privacy_person: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "prove it's me", "prouver que c'est moi", "bewijzen dat ik het ben": a check of identity asked of or told
    identity_check: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "who handles my data", "qui gère mes données", "welk bedrijf heeft mijn data": the controllers asked
    controller: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "will you call me?", "vous allez m'appeler ?", "gaan jullie mij bellen?": whether Amazon contacts the customer
    contacted: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "i rang the helpdesk from my work phone": a call to customer service told, with the phone it came from
    support_called: dict[str, re.Pattern[str]] = field(default_factory=dict)
    phone_named: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "number", "numéro", "gsm"
    # "for whatever he wants", "pour autre chose", "voor iets anders": what was received, used for something else
    other_use: dict[str, re.Pattern[str]] = field(default_factory=dict)
    storefront: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "homepage", "page d'accueil", "startpagina"
    ads_named: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "ads", "sponsored", "pubs", "reclame"
    # "blocked all cookies", "bloqué les cookies", "cookies geblokkeerd": cookies refused, what follows told or asked
    cookies_blocked: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "on a fraud list", "comme fraudeur", "als fraudeur": the customer afraid of being taken for a fraudster
    fraud_suspected: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "if i close my account ... still keep", "si je ferme mon compte ... gardez quand même": kept after closing
    account_closed: dict[str, re.Pattern[str]] = field(default_factory=dict)
    kept_anyway: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "the old one", "l'ancienne adresse", "dat oude adres": the old version of information, once changed
    prior_version: dict[str, re.Pattern[str]] = field(default_factory=dict)
    updated: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "changed", "déménagé", "aangepast"
    on_orders: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "orders", "commandes": past orders named
    # "the privacy watchdog", "le médiateur", "de toezichthouder": a body outside Amazon named as where to complain
    outside_body: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "why?", "pour quoi faire ?", "waarom?": the purpose asked
    purpose: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "what info do you use?", "vous prenez les infos où ?", "welke gegevens?": which information, or where from
    info: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "recommendations", "recommandations", "aanbevelingen": named, their section answers unless seeing is asked
    recommendations: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "the courier", "le livreur", "de koerier" (the guards' list): those who deliver for Amazon, its service providers
    carriers: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "do you track my location?", "vous regardez ce que je cherche ?", "houden jullie bij wat ik zoek?": collecting
    collected: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "promo emails", "mails publicitaires", "nieuwsbrief": promotional messages, Amazon's own unless the next names
    # another sender; section 9 says how to stop them
    own_marketing: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "ma banque", "my gym", "een nieuwsbrief maken": another sender's promotional messages, or the customer's own
    not_amazons_marketing: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "who checks", "qui contrôle", "wie controleert": who oversees what the topic describes
    oversight: dict[str, re.Pattern[str]] = field(default_factory=dict)
    documents: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "the contracts": not the customer's records
    shared_device: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "je partage l'ordi avec ma coloc"
    united_states: dict[str, re.Pattern[str]] = field(default_factory=dict)  # "the us", "amerika": where it is
    # "does it take", "ça prend", "duurt": the time an act takes, not how long information is kept
    time_taken: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "keep", "garder", "bewaren": information kept, which a duration asked of the topic then asks about
    keeping: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "where is my parcel", "mon colis arrive quand", "waar blijft mijn pakje": where an order is, a question of its own
    order_status: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "why", "est-ce", "kan": a follow-up opening a question of its own, not only naming another thing
    own_question: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "back to", "pour revenir à", "terug naar": the message returns to an earlier topic of the conversation
    returns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # "exact", "number", "days", "nombre", "aantal": they ask the precise fact, they name no topic (folded)
    fact_only: dict[str, frozenset[str]] = field(default_factory=dict)
    # "exactly", "exactement", "precies": the pack's own fact_only words, which insist on the fact a message asks
    exactness: dict[str, frozenset[str]] = field(default_factory=dict)
    # Words that may come before a change marker inside a sentence and still leave it opening the message ("ok merci
    # btw", "oh and by the way"): fillers, acknowledgements, greetings, thanks, carrying-on words (folded, every
    # language). Other words make the marker part of what the sentence asks ("mogen die daar nog iets anders mee
    # doen?": "nog iets" is no change of topic there).
    lead_words: frozenset[str] = frozenset()
    thanks_words: frozenset[str] = frozenset()  # "thanks for that btw": a thanks before the marker, whatever it thanks

    @classmethod
    def from_packs(cls, packs: dict[str, dict[str, Any]]) -> TopicRules:
        every = list(packs.values())
        announced = [fold(m) for m in gather(every, "conversation", "change_markers")]
        markers = alternatives(announced)
        conversation = {code: data.get("conversation") or {} for code, data in packs.items()}
        people = {code: (data.get("guards") or {}).get("other_person") or {} for code, data in packs.items()}
        words = {tuple(LETTERS.findall(m)) for m in announced}
        # "exactly", "exactement": the packs' own fact_only words; with the fact words' units and numbers ("days",
        # "dix"), every word that only asks a precise fact (fact_only)
        exactness = {code: frozenset(fold(str(w)) for w in c.get("fact_only") or [])
                     for code, c in conversation.items()}  # fmt: skip
        fact_words = {code: frozenset(fold(str(w)) for w in [*gather([packs[code]], "fact_words", "units"),
                                                             *gather([packs[code]], "fact_words", "numbers")])
                      for code in conversation}  # fmt: skip
        thanks = gather(every, "small_talk", "thanks")
        lead = [*gather(every, "fillers"), *gather(every, "acknowledgements"),
                *gather(every, "conversation", "continue_openers"), *gather(every, "small_talk", "greeting"),
                *gather(every, "small_talk", "help"), *thanks]
        return cls(
            lead_words=folded_words(lead),
            thanks_words=folded_words(thanks),
            change=whole_words(markers),
            markers=tuple(sorted((w for w in words if w), key=len, reverse=True)),
            pointers={code: frozenset(fold(str(w)) for w in c.get("pointers", []) or [])
                      for code, c in conversation.items()},  # fmt: skip
            openers=_phrases(conversation, "continue_openers"),
            examples=_phrases(conversation, "examples_asked"),
            switch_off=_phrases(conversation, "switch_off"),
            switched_off_by_others=_phrases(conversation, "switched_off_by_others"),
            see_own=_phrases(conversation, "see_own"),
            dislocated=_phrases(conversation, "dislocated"),
            copy_asked=_phrases(conversation, "copy_asked"),
            change_own=_phrases(conversation, "change_own"),
            notice_changed=_phrases(conversation, "notice_changed"),
            own_rights=_phrases(conversation, "own_rights"),
            legal_basis=_phrases(conversation, "legal_basis_asked"),
            choices=_phrases(conversation, "choices_asked"),
            gives_out=_phrases(conversation, "gives_out"),
            takes_in=_phrases(conversation, "takes_in"),
            comes_in=_phrases(conversation, "comes_in"),
            others_get=_phrases(conversation, "others_get"),
            sells=_phrases(conversation, "sells"),
            complains=_phrases(conversation, "complain"),
            outside_body=_phrases(conversation, "complain_elsewhere"),
            privacy_person=_phrases(conversation, "privacy_person"),
            identity_check=_phrases(conversation, "identity_check"),
            contacted=_phrases(conversation, "contacted"),
            controller=_phrases(conversation, "controller_asked"),
            support_called=_phrases(conversation, "support_called"),
            phone_named=_phrases(conversation, "phone_named"),
            other_use=_phrases(conversation, "other_use"),
            storefront=_phrases(conversation, "storefront"),
            ads_named=_phrases(conversation, "ads_named"),
            cookies_blocked=_phrases(conversation, "cookies_blocked"),
            fraud_suspected=_phrases(conversation, "fraud_suspected"),
            account_closed=_phrases(conversation, "account_closed"),
            kept_anyway=_phrases(conversation, "kept_anyway"),
            prior_version=_phrases(conversation, "prior_version"),
            updated=_phrases(conversation, "updated"),
            on_orders=_phrases(conversation, "on_orders"),
            purpose=_phrases(conversation, "purpose_asked"),
            info=_phrases(conversation, "info_asked"),
            recommendations=_phrases(conversation, "recommendations"),
            carriers=_phrases(people, "carriers"),
            collected=_phrases(conversation, "collected_asked"),
            own_marketing=_phrases(conversation, "own_marketing"),
            not_amazons_marketing=_phrases(conversation, "not_amazons_marketing"),
            oversight=_phrases(conversation, "oversight_asked"),
            documents=_phrases(conversation, "documents"),
            shared_device=_phrases(conversation, "shared_device"),
            united_states=_phrases(conversation, "united_states"),
            time_taken=_phrases(conversation, "time_taken"),
            keeping=_phrases(conversation, "keeping"),
            order_status=_phrases(conversation, "order_status"),
            own_question=_phrases(conversation, "own_question"),
            returns=_phrases(conversation, "return_markers"),
            exactness=exactness,
            fact_only={code: exactness[code] | fact_words[code] for code in conversation},
        )  # fmt: skip

    def asks_examples(self, text: str, language: str) -> bool:
        return _matches(self.examples, text, language)

    def asks_switch_off(self, text: str, language: str) -> bool:
        """Switching something off is asked, not told as done to the customer ("ma commande a été bloquée", where
        folding makes "bloqué" the customer's "je bloque")."""
        done = self.switched_off_by_others.get(language)
        return _matches(self.switch_off, done.sub(" ", fold(text)) if done is not None else text, language)

    def asks_to_change_own(self, text: str, language: str) -> bool:
        """Changing one's own information asked, not the notice's rules changed by Amazon."""
        return _matches(self.change_own, text, language) and not _matches(self.notice_changed, text, language)

    def asks_choices(self, text: str, language: str) -> bool:
        return _matches(self.choices, text, language)

    def asks_own_rights(self, text: str, language: str) -> bool:
        return _matches(self.own_rights, text, language)

    def asks_legal_basis(self, text: str, language: str) -> bool:
        return _matches(self.legal_basis, text, language)

    def asks_what_goes_out(self, text: str, language: str) -> bool:
        """Information going out from Amazon is asked, and none coming in."""
        return ((_matches(self.gives_out, text, language) or self.says_others_get(text, language))
                and not _matches(self.takes_in, text, language))  # fmt: skip

    def asks_what_comes_in(self, text: str, language: str) -> bool:
        """Information coming in to Amazon is asked, and none going out ("krijgen jullie mijn gegevens van andere
        bedrijven?", "does facebook give you my data?")."""
        return (_matches(self.comes_in, text, language) and not _matches(self.gives_out, text, language)
                and not self.says_others_get(text, language))  # fmt: skip

    def says_others_get(self, text: str, language: str) -> bool:
        """Another party sees or gets the information ("do sellers see my email?", "krijgt de koerier mijn nummer?")."""
        return _matches(self.others_get, text, language)

    def asks_about_selling(self, text: str, language: str) -> bool:
        return _matches(self.sells, text, language)

    def asks_purpose(self, text: str, language: str) -> bool:
        return _matches(self.purpose, text, language)

    def asks_which_info(self, text: str, language: str) -> bool:
        return _matches(self.info, text, language)

    def asks_if_collected(self, text: str, language: str) -> bool:
        return _matches(self.collected, text, language)

    def names_carriers(self, text: str, language: str) -> bool:
        return _matches(self.carriers, text, language)

    def names_recommendations(self, text: str, language: str) -> bool:
        return _matches(self.recommendations, text, language)

    def asks_where_to_complain(self, text: str, language: str) -> bool:
        return _matches(self.complains, text, language)

    def names_outside_body(self, text: str, language: str) -> bool:
        return _matches(self.outside_body, text, language)

    def names_privacy_person(self, text: str, language: str) -> bool:
        return _matches(self.privacy_person, text, language)

    def names_identity_check(self, text: str, language: str) -> bool:
        return _matches(self.identity_check, text, language)

    def asks_controller(self, text: str, language: str) -> bool:
        return _matches(self.controller, text, language)

    def asks_if_contacted(self, text: str, language: str) -> bool:
        return _matches(self.contacted, text, language)

    def tells_a_support_call(self, text: str, language: str) -> bool:
        """A call to customer service told with the phone or number it came from (or the caller recognised)."""
        return _matches(self.support_called, text, language) and _matches(self.phone_named, text, language)

    def asks_other_use(self, text: str, language: str) -> bool:
        return _matches(self.other_use, text, language)

    def names_storefront_products(self, text: str, language: str) -> bool:
        """The shop's front page named, and no advertising ("the homepage keeps showing me sponsored products")."""
        return _matches(self.storefront, text, language) and not _matches(self.ads_named, text, language)

    def names_blocked_cookies(self, text: str, language: str) -> bool:
        """Cookies blocked, disabled or refused ("I blocked all cookies in firefox", "cookies geblokkeerd")."""
        return _matches(self.cookies_blocked, text, language)

    def fears_fraud_suspicion(self, text: str, language: str) -> bool:
        """Being taken for a fraudster feared or told ("on a fraud list", "comme fraudeur", "als fraudeur")."""
        return _matches(self.fraud_suspected, text, language)

    def asks_kept_after_closing(self, text: str, language: str) -> bool:
        """The account closed or deleted, and something asked to be kept all the same."""
        return _matches(self.account_closed, text, language) and _matches(self.kept_anyway, text, language)

    def names_prior_version(self, text: str, language: str) -> bool:
        return _matches(self.prior_version, text, language)

    def asks_prior_version(self, text: str, told: str, language: str) -> bool:
        """The message names the old version of information that it or its conversation (`told`) says was changed,
        and no past orders (an old address shown on them is kept with the transaction history)."""
        return (self.names_prior_version(text, language) and _matches(self.updated, told, language)
                and not _matches(self.on_orders, text, language))

    def names_amazons_marketing(self, text: str, language: str) -> bool:
        """Promotional messages are named, and no other sender of them (nor the customer's own newsletter)."""
        return _matches(self.own_marketing, text, language) and not _matches(self.not_amazons_marketing, text, language)

    def asks_who_oversees(self, text: str, language: str) -> bool:
        return _matches(self.oversight, text, language)

    def names_the_us(self, text: str, language: str) -> bool:
        return _matches(self.united_states, text, language)

    def asks_time_taken(self, text: str, language: str) -> bool:
        return _matches(self.time_taken, text, language)

    def speaks_of_keeping(self, text: str, language: str) -> bool:
        return _matches(self.keeping, text, language)

    def asks_order_status(self, text: str, language: str) -> bool:
        return _matches(self.order_status, text, language)

    def only_names_another_thing(self, text: str, language: str) -> bool:
        """Its openers ("and", "what about", "en") left out, the message opens no question of its own: "and my search
        history?", "ok what about my address?", "geldt dat ook voor mijn zoekgeschiedenis?"."""
        pattern, opener = self.own_question.get(language), self.openers.get(language)
        if pattern is None:
            return False
        folded = fold(text)
        rest = opener.sub(" ", folded) if opener else folded  # "what about" asks nothing new
        return pattern.search(rest) is None

    def asks_to_see_own(self, text: str, language: str) -> bool:
        """Asks to see the customer's own records ("can i find my order history?"), not a document the notice offers a
        copy of ("kan ik die contracten ergens inkijken?")."""
        return _matches(self.see_own, text, language) and not self.names_documents(text, language)

    def names_shared_device(self, text: str, language: str) -> bool:
        return _matches(self.shared_device, text, language)

    def names_documents(self, text: str, language: str) -> bool:
        return _matches(self.documents, text, language)

    def asks_for_copy(self, text: str, language: str) -> bool:
        """Asks for a copy of the customer's data, not of a document ("une copie de ces contrats")."""
        return _matches(self.copy_asked, text, language) and not self.names_documents(text, language)

    def returns_to_earlier(self, text: str, pack: LanguagePack) -> bool:
        """The message opens by saying it goes back to something said before ("ok, back to the US thing", "merci.
        pour revenir aux cookies"): only fillers, thanks and carrying-on words come before the marker."""
        pattern, head = self.returns.get(pack.code), fold(text[:HEAD])
        found = pattern.search(head) if pattern is not None else None
        return found is not None and _only_words_before(
            head, found.start(), pack.fillers | pack.acknowledgements, self.openers.get(pack.code)
        )

    def announces_change(self, text: str) -> bool:
        """A change marker opens the message or one of its sentences or clauses ("ok thanks, another question: ...",
        "merci. autre chose"), with at most a few words before it: inside a sentence it is what the sentence is about
        ("can he use it for something else too?", "mag die dat ook voor iets anders gebruiken?")."""
        head = fold(text[:HEAD])
        for found in self.change.finditer(head):
            before = head[: found.start()].rstrip()
            words = LETTERS.findall(before)
            if not before or before[-1] in ".,;:!?-" or (
                    len(words) <= MARKER_LEAD_WORDS and (all(word in self.lead_words for word in words)
                                                         or any(word in self.thanks_words for word in words))):
                return True
        return False

    def without_announcement(self, text: str) -> str:
        """The message without the change marker it opens with ("autre sujet : ", "btw "): read by retrieval and the
        guards, the marker only blurs what the message asks (after its relation to the topic is decided)."""
        return without_opening_phrases(text, self.markers, repeat=False)

    def after_announcement(self, text: str, fillers: frozenset[str]) -> str:
        """The text after a change marker that only thanks and fillers come before ("dac merci. question
        différente : ..."); the text itself when there is none."""
        head = text[:HEAD]
        folded = fold(head)
        found = self.change.search(folded)
        if found is None or len(folded) != len(head):  # folding kept every position (it nearly always does)
            return text
        before = folded[: found.start()]
        marked_off = folded[found.end():].lstrip().startswith((":", ","))
        most = ASIDE_MAX_WORDS_MARKED if marked_off else ASIDE_MAX_WORDS
        if not (_only_words_before(folded, found.start(), fillers) or _acknowledged_aside(before, fillers, most)):
            return text
        marked = text[found.start() :]  # then the opening marker's own rules: whole phrases, never the whole text
        rest = self.without_announcement(marked)
        return text if rest == marked else rest

    def named(self, text: str, pack: LanguagePack) -> int:
        """How many topic words the message names of its own (pointing words are not topic words)."""
        return len(content_words(text, pack, self.pointers.get(pack.code, frozenset())))

    def named_besides_fact(self, text: str, pack: LanguagePack) -> int:
        """How many topic words the message names besides pointing words and the words asking a precise fact."""
        ignored = self.pointers.get(pack.code, frozenset()) | self.fact_only.get(pack.code, frozenset())
        return len(content_words(text, pack, ignored))

    def asks_only_a_fact(self, text: str, pack: LanguagePack) -> bool:
        """The message names nothing but the precise fact it asks ("exact number of days please", "in maanden
        aub"): it asks that fact of the topic."""
        return bool(content_words(text, pack)) and not self.named_besides_fact(text, pack)

    def insists_on_exactness(self, words: list[str], language: str) -> bool:
        """A word insisting on the precise fact ("which agency exactly?", "quelles boîtes exactement ?")."""
        return bool(self.exactness.get(language, frozenset()) & set(words))

    def has_pointer(self, words: list[str], language: str) -> bool:
        """A word pointing back anywhere in the message ("ils sont où ?", "en die verkopers?"), elided ones too
        ("when it's sent", "qu'ils")."""
        dislocated = self.dislocated.get(language)
        if dislocated is not None:  # the repeated pronoun ("... ou elles restent en europe ?") names the same thing
            repeated = {found.group().split()[-1] for found in dislocated.finditer(" ".join(words))}
            words = [word for word in words if word not in repeated]
        parts = {part for word in words for part in re.split(r"['’]", word)} | set(words)  # "s'en" whole, too
        return bool(self.pointers.get(language, frozenset()) & parts)

    def opens_carrying_on(self, words: list[str], language: str, fillers: frozenset[str]) -> bool:
        """A carrying-on word first ("and", "et", "en"), once "ok, merci" is left out."""
        opener = self.openers.get(language)
        rest = " ".join(words[next((i for i, w in enumerate(words) if w not in fillers), len(words)) :])
        return opener is not None and opener.match(rest) is not None


def content_words(text: str, pack: LanguagePack, pointers: frozenset[str] = frozenset()) -> list[str]:
    """The words that name a topic: three letters or more, not a function word, filler, greeting or pointer."""
    common = pack.common_words | pointers
    words = (fold(t) for t in TOKEN.findall(text))
    # "that's", "c'est", "l'utilisation": an elided or contracted word names what its parts name
    parts = (part for w in words for part in ([w] if w in common else re.split(r"['’]", w)))
    return [w for w in parts if len(w) >= 3 and w not in common]


def relation(text: str, earlier: bool, pack: LanguagePack, rules: TopicRules, limits: tuple[int, int, int]) -> Relation:
    """A message after others continues the topic when a word in it points back and it names few topic words of
    its own (`limits[1]`), when it opens with "and"/"et"/"en" and names a few (`limits[2]`: "et pour la pub ?",
    but not "and who else gets my data besides amazon belgium"), or when it names hardly any (`limits[0]`:
    "dans quels pays ?", "why?") or nothing but the precise fact it asks ("exact number of days please"); it changes
    the topic when it announces a new one or names more."""
    if not earlier:
        return Relation("start")
    # Where an order is ("and where is my parcel?") is asked of no topic: read alone, it is declined
    if rules.announces_change(text) or rules.asks_order_status(text, pack.code):
        return Relation("change")
    words = [fold(t) for t in TOKEN.findall(text)]
    named = rules.named(text, pack)
    if rules.has_pointer(words, pack.code) and named <= limits[1]:
        return Relation("continue", points_back=True)
    if rules.opens_carrying_on(words, pack.code, pack.fillers) and named <= limits[2]:
        return Relation("continue", points_back=True)
    if rules.asks_only_a_fact(text, pack):  # elliptical: the fact is asked of the topic
        return Relation("continue", points_back=True)
    return Relation("continue" if named <= limits[0] else "change")


def without_acknowledgement(text: str, acknowledging: frozenset[str]) -> str:
    """The message without an opening remark made only of acknowledging words (fillers, thanks, acknowledgements and
    the words pointing at the reply: "ok ça marche merci. vous faites quoi avec mon historique ?"): its "ça" or
    "that" points to the reply, not to the topic the message continues. A question ("ok and why? ...", "comment je
    fais alors, ...") is no remark; the message itself when it is only the remark."""
    found = OPENING_REMARK.match(text[:HEAD])
    if found is None:
        return text
    words = LETTERS.findall(fold(found.group(1)))
    return text[found.end():] if words and all(word in acknowledging for word in words) else text


def _acknowledged_aside(before: str, fillers: frozenset[str], most: int = ASIDE_MAX_WORDS) -> bool:
    """What comes before a change marker is a short remark on the last reply that closes a sentence and holds an
    acknowledgement ("ah le luxembourg ok. autre chose, ..."): it belongs to the earlier topic, not to the new one."""
    words = LETTERS.findall(before)
    closed = before.rstrip().endswith((".", "!", ","))
    return closed and 0 < len(words) <= most and any(word in fillers for word in words)


def _only_words_before(folded: str, position: int, allowed: frozenset[str],
                       opener: re.Pattern[str] | None = None) -> bool:  # fmt: skip
    """Every word of the folded text before `position` is an allowed word (fillers, thanks) or a carrying-on word."""
    return all(word in allowed or (opener is not None and opener.fullmatch(word) is not None)
               for word in LETTERS.findall(folded[:position]))  # fmt: skip


def _phrases(conversation: dict[str, dict[str, Any]], key: str) -> dict[str, re.Pattern[str]]:
    """Per language whose pack has the list, its phrases as one whole-word pattern over folded text."""
    return {code: whole_words(alternatives(fold(str(w)) for w in c[key])) for code, c in conversation.items()
            if c.get(key)}  # fmt: skip


def _matches(patterns: dict[str, re.Pattern[str]], text: str, language: str) -> bool:
    """The language's pattern (if it has one) is found in the folded text."""
    pattern = patterns.get(language)
    return pattern is not None and pattern.search(fold(text)) is not None
