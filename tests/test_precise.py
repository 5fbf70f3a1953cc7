"""Precise facts: which one a question asks, and whether a quoted sentence states it."""

from __future__ import annotations

import pytest

from assistant.corpus import load_facts
from assistant.langpack import load_packs
from assistant.precise import PreciseFacts
from assistant.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def precise() -> PreciseFacts:
    return PreciseFacts.build(load_packs(), load_facts(PROJECT_ROOT / "corpus"))


@pytest.mark.parametrize(
    ("text", "language", "kind"),
    [
        ("how many days do you have to answer my request?", "en", "duration"),
        # A limit asked: the notice states none
        ("is she allowed to use it and whats the max amount she can spend per month?", "en", "amount"),
        ("what info do you take when i import my contacts and whats the max number of contacts", "en", "number"),
        ("c'est quoi le montant maximum qu'un ado peut dépenser ?", "fr", "amount"),
        ("is er een maximum aantal accounts per persoon?", "nl", "number"),
        ("what are the names of those delivery companies in belgium?", "en", "names"),
        ("which gdpr article exactly do you rely on?", "en", "reference"),
        ("do you support 2 factor authentication?", "en", "technical"),
        ("vanaf welk nummer sturen jullie sms'jes?", "nl", "phone"),
        ("vous envoyez les sms depuis quel numéro ?", "fr", "phone"),
        ("which non-eu countries do they cover?", "en", "place"),
        ("c'est quel article exactement pour l'intérêt légitime ? 6.1.f ?", "fr", "reference"),
        ("wat is het btw-nummer van amazon eu sarl?", "nl", "reference"),
        ("do you collect my vat number?", "en", None),  # the customer's own number, as data
        # the number the customer calls from, kept: data, not a number to call
        ("do you keep the phone number i use when i ring customer service?", "en", None),
        ("vous conservez le numéro avec lequel j'appelle ?", "fr", None),
        ("bewaren jullie het gsm-nummer waarmee ik bel?", "nl", None),
        ("welk telefoonnummer kan ik bellen?", "nl", "phone"),
        # "en payant": paying, told; "c'est payant ?" asks whether it costs
        ("j'ai voulu acheter une télé en payant en plusieurs fois et c'est refusé", "fr", None),
        ("c'est payant de demander une copie ?", "fr", "amount"),
        ("vous gardez les factures 7 ans ou 10 ans ?", "fr", "duration"),  # durations offered as a choice
        ("y en a combien en tout de ces boîtes ?", "fr", "number"),  # a count asked without "combien de"
        ("même si j'ai accepté il y a 2 ans ?", "fr", None),  # a time told, not asked
        ("combien de temps exactement gardez-vous mes données ?", "fr", "duration"),
        ("hoe hoog is de boete als jullie de regels overtreden?", "nl", "amount"),
        ("in which country are the servers that hold my data?", "en", "place"),
        ("comment s'appelle le délégué à la protection des données ?", "fr", "person"),
        # The data protection officer asked by name: the notice gives only the officer's address.
        ("dpo name?", "en", "person"),
        ("who is amazon's data protection officer, first and last name", "en", "person"),
        ("qui est le dpo d'amazon ?", "fr", "person"),
        ("wie is de dpo bij amazon", "nl", "person"),
        ("how do i contact the dpo?", "en", None),
        ("in what format do I get my data, csv?", "en", "technical"),
        ("en quel format ? excel ?", "fr", "technical"),
        ("c quel protocole, tls 1.3 ?", "fr", "technical"),  # a protocol asked by its name
        ("welk protocol gebruiken jullie voor de versleuteling?", "nl", "technical"),
        ("is it aes 256?", "en", "technical"),
        ("welke advertentiebedrijven krijgen mijn gegevens precies?", "nl", "names"),
        ("which credit agencies do u use?", "en", "names"),  # a word between "which" and what is named
        ("ok but i want the name", "en", "names"),  # insisting, as "le nom", "de namen"
        ("give me the names of those firms please", "en", "names"),
        # A past incident of the company's own (a breach, a hack, a fine); a leak elsewhere, or the customer's own
        # account hacked, is no question on Amazon's history.
        ("vous avez deja eu une fuite ?", "fr", "incident"),
        ("hebben jullie al eens een datalek gehad?", "nl", "incident"),
        ("has amazon ever been hacked?", "en", "incident"),
        # Biometrics, which the notice never mentions
        ("vous utilisez la reconnaissance faciale ?", "fr", "biometrics"),
        ("de camera van mijn deurbel, herkennen jullie gezichten?", "nl", "biometrics"),
        ("do you store my fingerprints?", "en", "biometrics"),
        ("avez-vous déjà eu une fuite de données ?", "fr", "incident"),  # the verb before its subject
        ("est-ce qu'amazon a déjà été victime d'un piratage ?", "fr", "incident"),
        ("hebben jullie ooit een groot datalek gehad?", "nl", "incident"),
        ("my bank has had a data leak before, are you any safer?", "en", None),  # another company's
        ("have you ever had a big data breach?", "en", "incident"),
        ("j'ai déjà eu une fuite de mot de passe sur un autre site, vous êtes sûrs ?", "fr", None),
        ("mon compte a déjà été piraté une fois, comment le protéger ?", "fr", None),
        ("mijn wachtwoord is al eens gelekt bij een andere site, zijn jullie systemen veilig?", "nl", None),
        # How long data is kept, asked by the name of the period: the notice gives no period in days or years.
        ("quelle est la durée de conservation de mes données ?", "fr", "duration"),
        ("wat is de bewaartermijn van mijn gegevens?", "nl", "duration"),
        # A date read on the page is context; the question asks whether changes are announced.
        ("just noticed the notice says last updated 2023, do u change it without telling anyone", "en", None),
        ("Do you sell my personal information?", "en", None),
        ("hoe trek ik mijn toestemming in?", "nl", None),
        # The customer's own name is data the notice speaks of, not a person's name asked.
        ("geven jullie adverteerders ook mijn naam?", "nl", None),
        ("en de dpo, hoe heet die? ik wil graag een naam", "nl", "person"),
        # The customer's own number, address or name as data, and the company calling them, ask no such fact; the
        # company's own number still does.
        ("do you sell my phone number?", "en", None),
        ("krijgen de koeriers mijn adres en telefoonnummer?", "nl", None),
        ("pourquoi vous avez besoin de mon numéro de téléphone ?", "fr", None),
        ("vous avez le droit de m'appeler au tel ?", "fr", None),
        ("mogen jullie mij zomaar bellen?", "nl", None),
        ("do you keep my first name and surname?", "en", None),
        ("je peux changer mon adresse postale ?", "fr", None),
        ("ook ons rekeningnummer en het adres van de zaak?? waarom da?", "nl", None),  # the customer's shop
        ("where do i see which bank cards you saved for me?", "en", None),  # the customer's cards, no bank's name
        ("which bank do you work with for the amazon visa?", "en", "names"),
        ("what is your phone number?", "en", "phone"),
        ("c'est quoi votre numéro de téléphone ?", "fr", "phone"),
        ("hoe kan ik jullie bellen?", "nl", "phone"),
        # Artificial intelligence, which the notice never mentions; "j'ai" holds no "ai".
        ("do you train ai on my orders?", "en", "ai"),
        ("vous entraînez une IA avec mes achats ?", "fr", "ai"),
        ("gebruiken jullie machine learning op mijn bestellingen?", "nl", "ai"),
        ("j'ai une question sur mes données", "fr", None),
        # A provider's name asked ("which cloud provider?"), not the customer's own ("quel fournisseur internet j'ai")
        ("which cloud provider do you use for storing my data, aws?", "en", "names"),
        ("quel prestataire de paiement utilisez-vous ?", "fr", "names"),
        ("welke cloud gebruiken jullie?", "nl", "names"),
        ("vous savez quel fournisseur internet j'ai ?", "fr", None),
        ("which credit bureau do you use?", "en", "names"),
        ("welke kredietbureaus gebruiken jullie?", "nl", "names"),
        # an e-mail address asked of someone (the notice gives the data protection officer's), not the customer's own
        ("je voudrais ecrire au dpo, c'est quoi son adresse mail ?", "fr", "email"),
        ("what's the email address of the luxembourg commission?", "en", "email"),
        ("wat is het mailadres van de toezichthouder?", "nl", "email"),
        ("can i change it to my own email address?", "en", None),
        ("vous gardez mon adresse mail combien de temps ?", "fr", "duration"),
        # a street asked is an address, before the place a country or town would state
        ("la cnpd c'est où exactement, quelle rue ?", "fr", "address"),
        ("die commission nationale, waar zit die precies? welk adres?", "nl", "address"),
        ("whats their street adress and phone?", "en", "address"),
        # a version, a bank, how often, until when
        ("welke versie van pci dss volgen jullie?", "nl", "technical"),
        ("c'est quelle banque ?", "fr", "names"),
        ("tous les combien vous la mettez à jour ?", "fr", "number"),
        ("until when? 5 years, 10 years?", "en", "duration"),
        # when something expires is a duration; what a service earns an amount; whose number, a phone; a year, a date
        ("et vos cookies, ils expirent quand ?", "fr", "duration"),
        ("when does the cookie expire?", "en", "duration"),
        ("wanneer vervallen die cookies?", "nl", "duration"),
        ("et vous gagnez combien avec mes données ?", "fr", "amount"),
        ("en wat verdienen jullie aan die reclame?", "nl", "amount"),
        ("la cnpd, c'est quoi leur numéro ?", "fr", "phone"),
        ("and their number?", "en", "phone"),
        ("wat is hun nummer?", "nl", "phone"),
        ("in what year did you join the framework?", "en", "date"),
        ("depuis quelle année vous êtes certifiés ?", "fr", "date"),
        ("sinds welk jaar doen jullie dat?", "nl", "date"),
        ("kan ik een kopie krijgen? en kost da iets?", "nl", "amount"),
        ("which pci dss level are you certified at?", "en", "technical"),
        # a phone number asked in customers' short forms, not the customer's own number named
        ("and whats the phone nr of the dpo?", "en", "phone"),
        ("wat is het tel nr van die functionaris?", "nl", "phone"),
        ("c'est quoi le num de tel de la cnpd ?", "fr", "phone"),
        ("can i change my phone nr in my account?", "en", None),
        ("mag ik mijn telefoonnr wijzigen?", "nl", None),
        ("vous vendez mon num de tel ?", "fr", None),
        # "what" for "which": the names asked
        ("what companies are these advertisers", "en", "names"),
        ("what company do you use for credit checks?", "en", "names"),
        # what the advertisers pay, asked colloquially
        ("et les annonceurs ils vous payent combien ?", "fr", "amount"),
    ],
)
def test_the_precise_fact_a_question_asks_is_found(precise: PreciseFacts, text: str, language: str,
                                                   kind: str | None) -> None:  # fmt: skip
    assert precise.asked(text, language) == kind


@pytest.mark.parametrize(
    ("kind", "quote", "language", "stated"),
    [
        ("duration", "We will answer your request within 30 days.", "en", True),
        ("duration", "Nous conservons vos informations aussi longtemps que nécessaire.", "fr", False),
        ("amount", "The fine can reach EUR 20 million.", "en", True),
        ("amount", "U kunt een klacht indienen bij de toezichthouder.", "nl", False),
        # Nothing to pay is an amount stated.
        ("amount", "Contact our dispute resolution provider (free of charge).", "en", True),
        ("amount", "Vous pouvez saisir gratuitement le médiateur.", "fr", True),
        ("amount", "Neem kosteloos contact op met de bemiddelaar.", "nl", True),
        ("place", "Your data may be stored in the United States.", "en", True),
        ("place", "We protect your information with encryption.", "en", False),
        # A region does not say which country; a company's legal name or another company states a name, "Amazon"
        # alone does not; the notice names no file format.
        ("place", "Nous transférons vos informations hors de l'Espace économique européen.", "fr", False),
        ("place", "We may transfer your information outside Europe.", "en", False),
        ("names", "Amazon EU SARL and Amazon Media EU SARL are the controllers.", "en", True),
        ("names", "Amazon.com, Inc. participates in the Data Privacy Framework.", "en", True),
        ("names", "We give advertising companies information to show you relevant Amazon ads.", "en", False),
        ("names", "Uw gegevens worden gedeeld met Google.", "nl", True),
        ("technical", "U ontvangt uw gegevens in een gestructureerd, gangbaar formaat.", "nl", False),
        ("technical", "You receive a CSV file.", "en", True),
        ("reference", "We rely on Article 6(1)(f) of the GDPR.", "en", True),
        ("reference", "Amazon EU S.à r.l., R.C.S. Luxembourg B-101818", "fr", True),
        ("reference", "Nous traitons vos informations sur la base de nos intérêts légitimes.", "fr", False),
        ("incident", "We protect your information during transmission with encryption.", "en", False),
        ("incident", "In 2023 we notified the authority of a breach.", "en", True),
        ("email", "The data protection officer can be contacted at eu-privacy@amazon.com.be.", "en", True),
        ("email", "Vous pouvez introduire une réclamation auprès de la CNPD au Luxembourg.", "fr", False),
        # A first name in a street's name is nobody to write to; a company's legal name answers "who exactly".
        ("person", "Our office is at 38 avenue John F. Kennedy, L-1855 Luxembourg.", "en", False),
        ("person", "Write to Jane Doe, our privacy officer.", "en", True),
        ("person", "Amazon Europe Core SARL est le responsable du traitement.", "fr", True),
        ("person", "Neem contact op met de functionaris voor gegevensbescherming.", "nl", False),
    ],
)
def test_whether_a_quote_states_the_fact(precise: PreciseFacts, kind: str, quote: str, language: str,
                                         stated: bool) -> None:  # fmt: skip
    assert precise.stated(kind, quote, language) is stated


@pytest.mark.parametrize(
    ("question", "language", "quote", "stated"),
    [
        ("where are your servers, in belgium?", "en", "Amazon Europe Core SARL, 38 avenue John F. Kennedy, L-1855 "
         "Luxembourg", False),  # an office's address does not say where the servers are
        ("where are your servers, in belgium?", "en", "Your data may be stored in the United States.", True),
        ("dans quel pays sont les serveurs ?", "fr", "Amazon Europe Core SARL, 38 avenue John F. Kennedy, "
         "L-1855 Luxembourg", False),
        ("waar staan jullie servers?", "nl", "Amazon Europe Core SARL, 38 avenue John F. Kennedy, L-1855 "
         "Luxemburg", False),
        ("in which country is amazon europe based?", "en", "Amazon Europe Core SARL, 38 avenue John F. Kennedy, "
         "L-1855 Luxembourg", True),  # an office's place is what this one asks
        # a town asked: a country does not say which, a town does
        ("ok us-based but in which city are they exactly", "en", "Amazon.com, Inc. is in the United States.", False),
        ("verasafe c'est basé dans quelle ville ?", "fr", "Amazon.com, Inc. est situé aux États-Unis.", False),
        ("in welke stad zit amazon europe?", "nl", "Amazon Europe Core SARL, L-1855 Luxemburg", True),
        # the machines that hold the data, in the customer's words: an office's town does not say where they are
        ("in which city are the computers with my data actually sitting?", "en", "Amazon Europe Core SARL, 38 "
         "avenue John F. Kennedy, L-1855 Luxembourg", False),
        ("dans quelle ville sont les ordinateurs avec mes données ?", "fr", "Amazon Europe Core SARL, 38 avenue John "
         "F. Kennedy, L-1855 Luxembourg", False),
    ],
)
def test_where_data_is_kept_is_stated_only_by_a_quote_on_keeping_it(
        precise: PreciseFacts, question: str, language: str, quote: str, stated: bool) -> None:  # fmt: skip
    assert precise.asked(question, language) == "place"
    assert precise.stated("place", quote, language, question) is stated


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("when was this privacy notice last updated?", "en", True),
        ("is the policy still up to date?", "en", True),
        ("la notice date de quand ?", "fr", True),
        ("c'est la dernière version de la notice ?", "fr", True),
        ("sinds wanneer is deze verklaring van kracht?", "nl", True),
        ("op welke datum is het privacybeleid ingegaan?", "nl", True),
        ("quand la notice est-elle entrée en vigueur ?", "fr", True),
        # The next update asked: the last one's date does not answer it.
        ("c'est prévu pour quand la prochaine mise à jour ?", "fr", False),
        ("when will you next update the notice?", "en", False),
        ("how do i update my address?", "en", False),
        ("comment mettre à jour mon adresse ?", "fr", False),
        ("hoe lang bewaren jullie mijn gegevens?", "nl", False),
    ],
)
def test_a_question_on_the_notices_own_date_is_found(precise: PreciseFacts, text: str, language: str,
                                                     asks: bool) -> None:  # fmt: skip
    assert precise.asks_notice_date(text, language) is asks


def test_every_fact_has_a_name_in_every_language(precise: PreciseFacts) -> None:
    for language, facts in precise.languages.items():
        for kind, _ in facts.asked:
            name = precise.name(kind, language)
            assert name and name != kind, (language, kind)


@pytest.mark.parametrize(
    ("question", "language", "stated"),
    [
        ("how many amazon staff can see my data?", "en", False),
        ("how many entities are responsible for my data?", "en", True),
        ("combien de personnes chez Amazon voient mes données ?", "fr", False),
        ("hoeveel bedrijven zijn verantwoordelijk?", "nl", False),
        ("how many?", "en", True),
    ],
)
def test_a_number_states_how_many_only_of_what_the_question_counts(precise: PreciseFacts, question: str,
                                                                   language: str, stated: bool) -> None:  # fmt: skip
    quote = {"en": "Amazon EU SARL and Amazon Media EU SARL, two entities, are the controllers.",
             "fr": "Amazon EU SARL et Amazon Media EU SARL, deux entités, sont les responsables du traitement.",
             "nl": "Amazon EU SARL en Amazon Media EU SARL, twee entiteiten, zijn de verwerkingsverantwoordelijken."}
    assert precise.asked(question, language) == "number"
    assert precise.stated("number", quote[language], language, question) is stated


@pytest.mark.parametrize(
    ("question", "language", "quote", "stated"),
    [
        ("c quoi la liste exacte des filiales ?", "fr",
         "Amazon.com, Inc. et certaines filiales qu'elle contrôle participent au Data Privacy Framework.",
         False),  # the parent's name only: no subsidiary is named
        ("quelles sociétés sont responsables ?", "fr",
         "Amazon EU SARL et Amazon Media EU SARL sont les responsables du traitement.", True),
        ("welke dochterondernemingen precies?", "nl",
         "Amazon.com, Inc. en bepaalde dochterondernemingen nemen deel aan het Data Privacy Framework.", False),
        ("which company is my controller?", "en", "Amazon EU SARL is the controller.", True),  # one asked, one named
        # A word between "which" and what is listed, the everyday Flemish word, and "which ones?" after a topic.
        ("which US subsidiaries are in the framework?", "en",
         "Amazon.com, Inc. and certain of its controlled subsidiaries participate in the Data Privacy Framework.",
         False),
        ("welke dochterbedrijven precies?", "nl",
         "Amazon.com, Inc. en bepaalde dochterondernemingen nemen deel aan het Data Privacy Framework.", False),
        ("lesquels ? la centrale des crédits de la banque ?", "fr",
         "Nous pouvons recevoir des informations de bureaux de crédit.", False),
    ],
)
def test_names_asked_as_a_list_are_stated_only_by_two_names(precise: PreciseFacts, question: str, language: str,
                                                             quote: str, stated: bool) -> None:  # fmt: skip
    assert precise.asked(question, language) == "names"
    assert precise.stated("names", quote, language, question) is stated


@pytest.mark.parametrize(
    ("question", "language", "topic", "kind"),
    [
        # A bare "which ones?" asks names where the message or the topic it continues names parties ...
        ("which ones?", "en", "do you share my data with other companies?", "names"),
        ("lesquels ?", "fr", "vous consultez des bureaux de crédit sur moi ?", "names"),
        ("welke dan?", "nl", "delen jullie mijn gegevens met andere bedrijven?", "names"),
        ("which ones exactly?", "en", "who do you share my info with?", "names"),
        ("quelles sont les entreprises avec lesquelles vous partagez mes données ?", "fr", "", "names"),
        # ... and examples, which the notice gives, where they name something else.
        ("which ones?", "en", "do you get info about me from other sources?", None),
        ("genre lesquelles ?", "fr", "vous utilisez des infos d'autres sources sur moi ?", None),
        ("welke dan?", "nl", "welke keuzes heb ik over mijn gegevens?", None),
        # A French relative pronoun asks nothing.
        ("et c'est quoi les choses pour lesquelles vous demandez le consentement ?", "fr",
         "comment retirer mon consentement ?", None),
    ],
)
def test_a_bare_which_ones_asks_names_only_of_parties(precise: PreciseFacts, question: str, language: str, topic: str,
                                                      kind: str | None) -> None:  # fmt: skip
    assert precise.asked(question, language, topic) == kind


def test_every_fact_a_question_asks_is_found_in_the_packs_order(precise: PreciseFacts) -> None:
    question = "which companies are the controllers and whats the phone number of the luxembourg office?"
    assert precise.all_asked(question, "en") == ["names", "phone"]
    assert precise.asked(question, "en") == "names"


@pytest.mark.parametrize(
    ("text", "language", "left"),
    [
        ("and which firms exactly, bpost? dhl?", "en", "and   exactly, bpost? dhl?"),
        ("et c'est quoi le nom de la personne ?", "fr", "et c'est quoi   personne ?"),
        # "m'appeler" asks no phone number: nothing is taken out
        ("vous avez le droit de m'appeler ?", "fr", "vous avez le droit de m'appeler ?"),
    ],
)
def test_the_words_asking_a_fact_are_taken_out(precise: PreciseFacts, text: str, language: str, left: str) -> None:
    assert precise.without_asking(text, language) == left
