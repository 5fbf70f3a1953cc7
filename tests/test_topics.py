"""Telling a follow-up from a message that opens its own topic, from the language packs' words."""

from __future__ import annotations

import re

import pytest

from assistant.guards.words import entry_pattern
from assistant.langpack import load_packs
from assistant.stages.conversation import returned_topic, topic_named_again
from assistant.text import TOKEN, fold
from assistant.topics import Relation, TopicRules, relation, without_acknowledgement

PACKS = load_packs()
RULES = TopicRules.from_packs({code: pack.data for code, pack in PACKS.items()})
LIMITS = (2, 6, 4)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("et pour combien de temps ?", "fr", Relation("continue", points_back=True)),  # carries on with "et"
        ("en die verkopers, krijgen die ook mijn adres?", "nl", Relation("continue", points_back=True)),
        ("ok thanks. and do those sellers get my bank details too?", "en", Relation("continue", points_back=True)),
        ("why?", "en", Relation("continue")),  # names nothing of its own
        ("dans quels pays ?", "fr", Relation("continue")),
        ("geven jullie mijn adres aan de verkopers?", "nl", Relation("change")),  # a question of its own
        ("can I download a copy of everything you hold about me?", "en", Relation("change")),
        ("autre question : mon adresse IP ?", "fr", Relation("change")),  # announced, however short
        ("trouwens, cookies?", "nl", Relation("change")),
        ("btw what about cookies", "en", Relation("change")),
        ("au fait, et les cookies ?", "fr", Relation("change")),  # "by the way", as "btw" and "trouwens"
        ("overigens, cookies?", "nl", Relation("change")),
        ("quick question, cookies?", "en", Relation("change")),
        ("where is my parcel tho, the order still hasnt arrived", "en", Relation("change")),  # "tho" points nowhere
        # where an order is, asked of no topic, even opened by "and": read alone (and declined)
        ("and where is my package?", "en", Relation("change")),
        ("en waar blijft mijn bestelling?", "nl", Relation("change")),
        ("et ma commande elle arrive quand ?", "fr", Relation("change")),
        # "and" alone carries on a few words, not a whole question of its own
        ("and who else gets my data besides amazon belgium", "en", Relation("change")),
        ("et les photos que je mets sur amazon photos vous en faites quoi", "fr", Relation("change")),
        ("and those sellers, who else gets my data besides amazon", "en", Relation("continue", points_back=True)),
        # a pronoun right after what it repeats points to nothing earlier: the message names its own topic
        ("et mes infos perso elles vont dans quels pays hors de l'europe ou elles restent ici ?", "fr",
         Relation("change")),
        ("et elles vont dans quels pays hors de l'europe ou elles restent ici ?", "fr",
         Relation("continue", points_back=True)),
        # Nothing but the precise fact asked: elliptical, however many words it takes
        ("exact number of days please", "en", Relation("continue", points_back=True)),
        ("le nombre exact de jours svp", "fr", Relation("continue", points_back=True)),
        ("exact aantal dagen aub", "nl", Relation("continue", points_back=True)),
        ("exact number of parcels delivered in belgium", "en", Relation("change")),  # names things of its own
    ],
)
def test_a_message_after_others_continues_or_changes_the_topic(text: str, language: str, expected: Relation) -> None:
    assert relation(text, True, PACKS[language], RULES, LIMITS) == expected


@pytest.mark.parametrize(
    ("text", "announces"),
    [
        ("ok thanks, another question: do you sell my data", True),
        ("ok merci btw vous vendez mes données", True),  # a few words before it still open the message
        ("merci. autre chose, vous vendez mes données ?", True),  # it opens a sentence
        # inside a sentence the marker's words are what the sentence asks about
        ("can they use it for something else too?", False),
        ("ils peuvent l'utiliser pour autre chose aussi ?", False),
        ("mag die dat ook voor iets anders gebruiken?", False),
        # a few words before it open the message only when they are fillers, greetings, thanks or "and": words
        # pointing back make the marker part of the question ("nog iets" is no change here)
        ("mogen die daar nog iets anders mee doen?", False),
        ("oh and by the way, do you sell my data?", True),
        ("thanks for that btw, do you sell my data?", True),
        ("hallo allemaal, nog een vraag: verkopen jullie mijn gegevens?", True),
    ],
)
def test_a_change_marker_announces_a_change_only_where_it_opens_the_message_or_a_sentence(text: str,
                                                                                         announces: bool) -> None:
    assert RULES.announces_change(text) is announces


@pytest.mark.parametrize(
    ("text", "language", "named"),
    [
        ("luxembourg?? that's far. can i do it in brussels too?", "en", 3),  # "that's" names nothing
        ("et ici à Bruxelles c'est possible aussi ?", "fr", 3),  # nor "c'est"
        ("et l'utilisation ?", "fr", 1),  # the elided article left out, the noun kept
    ],
)
def test_a_contracted_word_names_what_its_parts_name(text: str, language: str, named: int) -> None:
    assert RULES.named(text, PACKS[language]) == named


@pytest.mark.parametrize(
    ("text", "language", "insists"),
    [
        ("which agency exactly?", "en", True),
        ("et c'est quelles sociétés exactement ?", "fr", True),
        ("welke bedrijven precies?", "nl", True),
        ("which agencies do you use?", "en", False),
        ("quelles sociétés ?", "fr", False),
    ],
)
def test_a_word_insisting_on_the_precise_fact_is_found(text: str, language: str, insists: bool) -> None:
    words = [fold(token) for token in TOKEN.findall(text)]
    assert RULES.insists_on_exactness(words, language) is insists


def test_an_inverted_verb_names_no_topic() -> None:
    """"puis-je", "pouvez-vous" only ask, as "je peux" and "vous pouvez" do."""
    assert RULES.named("Puis-je en obtenir un exemplaire ?", PACKS["fr"]) == 2
    assert RULES.named("pouvez-vous les effacer ?", PACKS["fr"]) == 1


@pytest.mark.parametrize(
    ("text", "language", "blocked"),
    [
        ("I set firefox to block all cookies and my cart stays empty", "en", True),
        ("j'ai désactivé les cookies hier", "fr", True),
        ("ik heb alle cookies geblokkeerd", "nl", True),
        ("what are cookies for?", "en", False),
        ("à quoi servent les cookies ?", "fr", False),
    ],
)
def test_cookies_blocked_are_told(text: str, language: str, blocked: bool) -> None:
    assert RULES.names_blocked_cookies(text, language) is blocked


@pytest.mark.parametrize(
    ("text", "language", "feared"),
    [
        ("a friend says amazon puts people like me on a fraud list", "en", True),
        ("vous me prenez pour un fraudeur ?", "fr", True),
        ("zien jullie mij als fraudeur?", "nl", True),
        ("a seller committed fraud, how do I get a refund?", "en", False),  # fraud named, not feared for oneself
        ("j'ai été victime d'une fraude", "fr", False),
    ],
)
def test_being_taken_for_a_fraudster_is_told(text: str, language: str, feared: bool) -> None:
    assert RULES.fears_fraud_suspicion(text, language) is feared


def test_the_first_message_starts_the_topic() -> None:
    assert relation("et pour combien de temps ?", False, PACKS["fr"], RULES, LIMITS) == Relation("start")


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("autre sujet : si j'ai un problème, je porte plainte où ?", "si j'ai un problème, je porte plainte où ?"),
        ("Trouwens, bewaren jullie mijn IP-adres?", "bewaren jullie mijn IP-adres?"),
        ("btw can u delete my account", "can u delete my account"),
        ("another question", "another question"),  # nothing after it: kept whole
        ("btw-nummer, bewaren jullie dat?", "btw-nummer, bewaren jullie dat?"),  # Dutch VAT, not "by the way"
        ("do you keep my data, by the way?", "do you keep my data, by the way?"),  # only an opening marker
    ],
)
def test_the_change_marker_a_message_opens_with_is_left_out(text: str, rest: str) -> None:
    assert RULES.without_announcement(text) == rest


@pytest.mark.parametrize(
    ("text", "language", "rest"),
    [
        ("dac merci. question différente : je porte plainte où ?", "fr", "je porte plainte où ?"),
        ("ok thanks! another question: do you sell my data?", "en", "do you sell my data?"),
        ("oké bedankt, andere vraag: hoe lang bewaren jullie mijn IP?", "nl", "hoe lang bewaren jullie mijn IP?"),
        ("cookies ? autre question", "fr", "cookies ? autre question"),  # a question comes before the marker
        ("merci", "fr", "merci"),
        ("ok btw-nummer, bewaren jullie dat?", "nl", "ok btw-nummer, bewaren jullie dat?"),  # Dutch VAT, no marker
        ("ok, another question", "en", "ok, another question"),  # nothing after it: kept whole
        # a remark closing the last topic, then a marker that says the new question has nothing to do with it
        ("ok merci je l'ai supprimé. autre chose rien à voir : pourquoi vous voulez mon iban ?", "fr",
         "pourquoi vous voulez mon iban ?"),
    ],
)
def test_the_change_marker_after_thanks_is_left_out(text: str, language: str, rest: str) -> None:
    assert RULES.after_announcement(text, PACKS[language].fillers) == rest


@pytest.mark.parametrize(
    ("text", "language", "rest"),
    [
        ("ok je vois. sinon je reçois trop de mails de promo, comment j'arrête ça", "fr",
         "je reçois trop de mails de promo, comment j'arrête ça"),
        ("ah ok i see. other question: who is my controller?", "en", "who is my controller?"),
        ("aha, ik snap het. ander vraagje: verkopen jullie mijn gegevens?", "nl", "verkopen jullie mijn gegevens?"),
        ("je vois pas le rapport. sinon c'est tout", "fr", "je vois pas le rapport. sinon c'est tout"),  # not only that
        # a short remark on the last reply, closed and holding an acknowledgement, before the marker
        ("ah la belgique ok. autre chose, vous vendez mes données ?", "fr", "vous vendez mes données ?"),
        ("right, luxembourg then. another thing: do you sell my data?", "en", "do you sell my data?"),
        # ... or a whole closing sentence of the earlier topic, up to eight words
        ("ok da regel ik via de klantendienst. iets anders: de app stuurt crashrapporten door, waarom?", "nl",
         "de app stuurt crashrapporten door, waarom?"),
        ("cookies ? autre chose : vous vendez mes données ?", "fr",
         "cookies ? autre chose : vous vendez mes données ?"),  # a question before the marker: kept whole
    ],
)
def test_the_change_marker_after_an_acknowledgement_is_left_out(text: str, language: str, rest: str) -> None:
    pack = PACKS[language]
    assert RULES.after_announcement(text, pack.fillers | pack.acknowledgements) == rest


def test_pointing_words_belong_to_their_language() -> None:
    # "die" points back in Dutch ("en die verkopers?"), and is an ordinary verb in English.
    assert RULES.has_pointer(["die"], "nl")
    assert not RULES.has_pointer(["die"], "en")
    assert RULES.has_pointer(["when", "it's", "sent"], "en")  # elided: "it's" points back as "it" does
    assert RULES.has_pointer(["il", "peut", "s'en", "servir"], "fr")  # a pointer written with its apostrophe
    assert not RULES.has_pointer(["en", "europe"], "fr")  # "en" alone is a preposition


def test_a_carrying_on_word_counts_first_once_the_fillers_before_it_are_left_out() -> None:
    assert RULES.opens_carrying_on(["ok", "merci", "et", "si", "je", "refuse"], "fr", PACKS["fr"].fillers)
    assert not RULES.opens_carrying_on(["je", "refuse", "les", "cookies", "et", "le", "suivi"], "fr",
                                       PACKS["fr"].fillers)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("how do I switch off the ads based on my interests?", "en", True),
        ("i don't want your promo e-mails anymore", "en", True),
        ("why do you show me ads based on my interests?", "en", False),  # the purpose, not a choice
        ("je veux plus de pubs ciblées, je fais comment ?", "fr", True),
        ("pourquoi je vois des pubs ciblées ?", "fr", False),
        ("hoe zet ik de advertenties op basis van mijn interesses af?", "nl", True),  # the particle comes last
        ("ik wil die reclamemails niet meer", "nl", True),
        ("waarom krijg ik reclame op maat?", "nl", False),
        ("et si je les refuse ?", "fr", True),  # refusing the cookies: a choice (section 9)
        ("en als ik ze allemaal weiger?", "nl", True),
        ("what if i block them all?", "en", True),
        ("je recois des mails promo tous les jours, comment on arrete ca ?", "fr", True),  # told without "de recevoir"
        # done to the customer, which folding would make "je refuse", "je bloque"
        ("j'ai voulu payer en plusieurs fois et ça a été refusé, vous vérifiez ma solvabilité ?", "fr", False),
        ("votre système a bloqué ma commande, vous surveillez mes achats ?", "fr", False),
        ("ma commande est bloquée mais je bloque les cookies, ça change quoi ?", "fr", True),
        ("les pubs ciblées je les coupe où ?", "fr", True),
        ("les recommandations, on les coupe comment ?", "fr", True),
        ("die reclame op maat, hoe krijg ik die weg?", "nl", True),
    ],
)
def test_a_message_asking_to_switch_something_off_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_switch_off(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "names"),
    [
        ("je partage l ordi avec ma coloc, c risque pour mon compte?", "fr", True),
        ("on a un seul pc familial pour 4", "fr", True),
        ("we hebben thuis 1 laptop voor heel het gezin", "nl", True),
        ("ik deel de tablet met heel het gezin, moet ik ergens op letten?", "nl", True),
        ("used the family laptop to order and my sister saw my order list", "en", True),
        ("do you share my data with other companies?", "en", False),  # sharing, no device
        ("vous partagez mes données avec des partenaires ?", "fr", False),
        ("welke gegevens van mijn laptop verzamelen jullie?", "nl", False),  # a device, not shared
        ("Als u een computer met anderen deelt, moet u zich na elk gebruik afmelden.", "nl", True),  # the verb last
    ],
)
def test_a_device_shared_with_others_is_named(text: str, language: str, names: bool) -> None:
    assert RULES.names_shared_device(text, language) is names


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("my insurer wants proof of purchase, where can i find my order history?", "en", True),
        ("can i listen to what alexa recorded?", "en", True),
        ("do you keep my order history?", "en", False),  # what the notice does with it, not where to look
        ("je peux retrouver mes anciennes commandes moi-même ?", "fr", True),
        ("vous gardez mes anciennes commandes ?", "fr", False),
        ("kan ik mijn spraakopnames ergens terugvinden?", "nl", True),  # the verb comes last
        ("bewaren jullie mijn spraakopnames?", "nl", False),
        # a document the notice offers a copy of is no record of the customer's
        ("kan ik die contracten ergens inkijken?", "nl", False),
        ("je peux voir ces contrats ?", "fr", False),
        # a couple or a family asking together
        ("and can we see all of it somewhere?", "en", True),
        ("et on peut la revoir quelque part ?", "fr", True),
        ("kunnen we die daarna zelf terugzien?", "nl", True),
    ],
)
def test_a_message_asking_where_to_see_its_own_records_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_to_see_own(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("is it possible to get all the data you have on me?", "en", True),
        ("where can i download my data", "en", True),
        ("can i get a copy of those contracts?", "en", False),  # a document of the notice, not the customer's data
        ("what data do you have on me?", "en", False),  # what is held, answered where the notice lists it
        ("je voudrais une copie de mes données", "fr", True),
        ("vous gardez une copie de mon ancienne adresse ?", "fr", False),
        ("hoe kan ik al mijn gegevens exporteren?", "nl", True),
        ("welke gegevens hebben jullie van mij?", "nl", False),
        # the request named as such
        ("is there a fee for a data request?", "en", True),
        ("est-ce payant de demander mes données ?", "fr", True),
        ("hoe dien ik een inzageverzoek in?", "nl", True),
        # an overview of what Amazon holds, Amazon named rather than "you"
        ("ik wil graag een overzicht van alle gegevens die amazon van mij heeft", "nl", True),
        ("je voudrais voir tout ce qu'Amazon a sur moi", "fr", True),
        ("can i get an overview of all the data amazon holds on me?", "en", True),
    ],
)
def test_a_request_for_a_copy_of_ones_data_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_for_copy(text, language) is asks


def test_a_gap_of_words_in_a_pack_entry_is_bounded() -> None:
    pattern = re.compile(entry_pattern("zet ik ... uit"))
    assert pattern.search("zet ik de reclame op maat uit")
    assert not pattern.search("zet ik " + "heel " * 8 + "veel uit")  # nine words between: too far apart


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("and can i edit it?", "en", True),
        ("how do i update my delivery address", "en", True),
        ("do you keep my old address when i change it?", "en", False),  # what is kept, not how to change it
        ("et je peux les modifier aussi ?", "fr", True),
        ("vous gardez l'ancienne version quand je modifie une info ?", "fr", False),
        ("kan ik die zelf aanpassen?", "nl", True),  # the verb comes last
        ("hoe pas ik mijn adres aan", "nl", True),  # a separable verb
        ("bewaren jullie mijn oude adres?", "nl", False),
        # the notice's rules changed by Amazon: not the customer's own information
        ("als jullie die regels later aanpassen, kan het dan slechter worden?", "nl", False),
        ("kan ik mijn adres aanpassen?", "nl", True),
        # needing or wanting to change, and where one does it
        ("où est-ce que je change l'iban de la société ?", "fr", True),
        ("je dois modifier mon adresse, ça se fait où ?", "fr", True),
        ("we need to update our company address, where?", "en", True),
        ("where to change my phone number", "en", True),
    ],
)
def test_a_message_asking_to_change_its_own_information_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_to_change_own(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("what rights do i have under gdpr", "en", True),
        ("do you have the right to use my data without asking?", "en", False),  # Amazon's right: the legal bases
        ("quels sont mes droits selon le RGPD ?", "fr", True),
        ("vous avez le droit de faire ça ?", "fr", False),
        ("welke rechten heb ik volgens de AVG", "nl", True),
        ("mogen jullie dat wel volgens de wet?", "nl", False),
    ],
)
def test_a_message_asking_its_own_rights_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_own_rights(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("On what legal basis do you show me those personalised adverts anyway?", "en", True),
        ("is that legal?", "en", True),
        ("what are my rights?", "en", False),
        ("sur quelle base légale vous me montrez ces pubs ?", "fr", True),
        ("c'est legal ca ?", "fr", True),
        ("vous gardez mes données combien de temps ?", "fr", False),
        ("op welke rechtsgrond tonen jullie mij reclame?", "nl", True),
        ("mag ik twee accounts hebben?", "nl", False),
    ],
)
def test_a_message_asking_the_legal_basis_by_name_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_legal_basis(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "goes_out"),
    [
        ("do other companies get my info from you?", "en", True),
        ("do you get information about me from other companies?", "en", False),
        ("vous donnez mes infos à d'autres sociétés ?", "fr", True),
        ("vous recevez des infos sur moi d'autres sociétés ?", "fr", False),
        ("est ce que amazon donne mon adresse a bpost ?", "fr", True),  # Amazon as the subject, not "vous"
        ("amazon shares my address with the courier?", "en", True),
        ("amazon recoit mon adresse de la poste ?", "fr", False),
        ("geven jullie mijn info aan andere bedrijven?", "nl", True),
        ("ik had het enkel aan bpost doorgegeven, hoe komt da?", "nl", False),  # the customer gave it
    ],
)
def test_which_way_the_information_goes_is_told(text: str, language: str, goes_out: bool) -> None:
    assert RULES.asks_what_goes_out(text, language) is goes_out


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("do you sell my purchase history", "en", True),
        ("do u sell to kids", "en", False),  # products sold, not information
        ("can i sell my old lego on amazon", "en", False),  # a seller's question
        ("we started selling our own notebooks on your site, why do you need our iban?", "en", False),
        ("are you selling our data?", "en", True),
        ("est-ce que vous revendez mon historique d'achat ?", "fr", True),
        ("vous vendez aux mineurs ?", "fr", False),
        ("verkopen jullie mijn aankoopgeschiedenis", "nl", True),
        ("verkopen jullie ook aan kinderen?", "nl", False),
    ],
)
def test_a_question_on_selling_the_customers_information_is_told(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_about_selling(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "names"),
    [
        ("third promo email today, enough", "en", True),
        ("deal emails every single day now", "en", True),
        ("my insurer keeps sending me marketing emails", "en", False),  # another sender's
        ("how do i write a newsletter for my business", "en", False),  # the customer's own
        ("alweer een reclamemail in mijn inbox", "nl", True),
        ("weer reclameberichten vandaag", "nl", True),
        ("mijn ziekenfonds stuurt me nieuwsbrieven", "nl", False),
        ("toujours des mails publicitaires, ça suffit", "fr", True),
        ("encore des mails commerciaux ce matin", "fr", True),
        ("mon opérateur m'envoie des mails promo", "fr", False),
        ("mon mail de confirmation n'arrive pas", "fr", False),  # no promotional message named
        # The offers or deals a few words after the mails ("emails from you about deals")
        ("I keep getting emails from you about deals, every single day", "en", True),
        ("ik krijg elke dag mails van jullie met aanbiedingen", "nl", True),
        ("je reçois des mails avec vos offres tous les jours", "fr", True),
        ("my bank sends me emails about deals", "en", False),
    ],
)
def test_promotional_messages_named_with_no_other_sender_are_told(text: str, language: str, names: bool) -> None:
    assert RULES.names_amazons_marketing(text, language) is names


@pytest.mark.parametrize(
    ("text", "language", "only_names"),
    [
        ("and my search history?", "en", True),
        ("ok what about my address?", "en", True),
        ("and why?", "en", False),
        ("and can i delete them?", "en", False),
        ("et mes recherches ?", "fr", True),
        ("c'est pareil pour mon adresse ?", "fr", True),
        ("pk ?", "fr", False),
        ("et vous les vendez ?", "fr", False),
        ("en mijn zoekgeschiedenis?", "nl", True),
        ("geldt dat ook voor mijn adres?", "nl", True),
        ("en waarom worden die bewaard?", "nl", False),  # "worden" keeps its own word, "en" inside it is no opener
    ],
)
def test_a_follow_up_that_only_names_another_thing_is_told(text: str, language: str, only_names: bool) -> None:
    assert RULES.only_names_another_thing(text, language) is only_names


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("how long does that take?", "en", True),
        ("how long do you keep it?", "en", False),
        ("ça prend combien de jours ?", "fr", True),
        ("vous les gardez combien de temps ?", "fr", False),
        ("hoe lang duurt dat?", "nl", True),
        ("hoe lang bewaren jullie dat?", "nl", False),
    ],
)
def test_the_time_an_act_takes_is_told_from_how_long_information_is_kept(text: str, language: str, asks: bool) -> None:
    assert RULES.asks_time_taken(text, language) is asks


@pytest.mark.parametrize(
    ("text", "language", "keeping"),
    [
        ("hoe lang blijven al die oude bestellingen bij jullie staan?", "nl", True),  # staying is being kept
        ("combien de temps mes commandes restent dans mon compte ?", "fr", True),
        ("how long do my old orders stay in my account?", "en", True),
        ("hoe lang duurt het verwijderen?", "nl", False),  # the time an act takes
    ],
)
def test_information_staying_somewhere_is_information_kept(text: str, language: str, keeping: bool) -> None:
    assert RULES.speaks_of_keeping(text, language) is keeping


@pytest.mark.parametrize(
    ("text", "language", "returns"),
    [
        ("ok, back to the US thing, what protects it there?", "en", True),
        ("pour revenir aux cookies, je les refuse où ?", "fr", True),
        ("merci ! et pour revenir aux cookies, je les refuse où ?", "fr", True),
        ("oké, terug naar het verwijderen: hoe lang duurt dat?", "nl", True),
        ("can i send a parcel back to the seller and keep my address private?", "en", False),  # not its opening
        ("je peux revenir sur mon consentement ?", "fr", False),  # withdrawing consent, not going back
    ],
)
def test_a_message_going_back_to_an_earlier_topic_is_told(text: str, language: str, returns: bool) -> None:
    assert RULES.returns_to_earlier(text, PACKS[language]) is returns


def test_the_topic_gone_back_to_is_the_one_sharing_its_words_else_the_one_before_the_latest() -> None:
    cookies, alexa, ads = ["comment refuser les cookies ?"], ["alexa garde mes enregistrements ?"], ["et la pub ?"]
    pack = PACKS["fr"]
    assert returned_topic("pour revenir aux cookies, où ?", [cookies, alexa, ads], pack) == cookies
    assert returned_topic("pour revenir à ça", [cookies, alexa], pack) == cookies
    # One topic with a detour inside it: back to before its latest message
    assert returned_topic("back to that", [["is my data sent to the US", "how long?"]], PACKS["en"]) == [
        "is my data sent to the US"
    ]


def test_a_follow_up_naming_only_an_earlier_topics_words_is_read_with_that_topic() -> None:
    ads, company = ["vous donnez mon nom aux régies de pub ?"], ["c'est quoi la différence entre amazon eu et aws ?"]
    pack = PACKS["fr"]
    assert topic_named_again("et les régies alors, elles reçoivent quoi ?", [ads, company], pack) == ads
    # a word of the latest topic keeps it; no shared word, or a single topic, leaves the latest
    assert topic_named_again("et les régies de la différence ?", [ads, company], pack) is None
    assert topic_named_again("et pourquoi ?", [ads, company], pack) is None
    assert topic_named_again("et les régies ?", [ads], pack) is None


@pytest.mark.parametrize(
    ("text", "language", "read"),
    [
        ("ok ça marche merci. vous gardez mes recherches ?", "fr", "vous gardez mes recherches ?"),
        ("ok that is clear. do you sell my data?", "en", "do you sell my data?"),
        ("ok, en die verkopers?", "nl", "en die verkopers?"),
        ("ok and why? do they sell it too", "en", "ok and why? do they sell it too"),  # a question, not a remark
        ("comment je fais alors, je sais le faire en ligne ?", "fr",
         "comment je fais alors, je sais le faire en ligne ?"),
        ("thanks that helps. do you sell my data?", "en", "do you sell my data?"),
        ("cookies are annoying. do you sell my data?", "en", "cookies are annoying. do you sell my data?"),
        ("ok merci.", "fr", "ok merci."),  # nothing after it
    ],
)
def test_an_opening_remark_acknowledging_the_reply_is_left_out_of_the_relation(text: str, language: str,
                                                                               read: str) -> None:  # fmt: skip
    pack = PACKS[language]
    acknowledging = pack.fillers | pack.acknowledgements | RULES.pointers[language]
    assert without_acknowledgement(text, acknowledging) == read
