"""The speller: typos mended against the notice's words, never a real word."""

from __future__ import annotations

from assistant.speller import Speller


def test_the_speller_mends_typos_but_never_a_real_word() -> None:
    notice = "le responsable du traitement des données collecte vos informations personnelles et votre entité".split()
    questions = ["qui est le responsable de mes donnéess", "informations personnelles"]  # customers' typos too
    speller = Speller([*notice, *" ".join(questions).split()], "fr", trusted=notice)
    assert speller.correct("Qui est responsbale de mes donées ?") == "Qui est responsable de mes données ?"
    assert speller.correct("infomations personelles") == "informations personnelles"
    assert speller.correct("quelle entite") == "quelle entité"  # accents put back before any other word
    # Real French words stay, even one letter from a notice word; so do short words and acronyms.
    assert speller.correct("collecter mes factures, RGPD, dnnes") == "collecter mes factures, RGPD, dnnes"
    assert "donnéess" not in speller.counts  # a typo copied from a typical question is never a correction


def test_the_speller_mends_two_letters_only_in_long_words() -> None:
    notice = "vous pouvez retirer votre consentement et demander la suppression de vos informations".split()
    speller = Speller(notice, "fr", trusted=notice)
    assert speller.correct("retier mon consetement") == "retirer mon consentement"  # one letter each
    assert speller.correct("comment retirr mon consntemnt") == "comment retirer mon consentement"  # two letters
    assert speller.correct("la supresion") == "la suppression"
    # Two letters off a short word is too often another word; a different first letter is not a typo.
    assert speller.correct("retrr") == "retrr"
    assert speller.correct("ponsentemen") == "ponsentemen"


def test_words_sharing_a_deletion_are_not_one_letter_apart() -> None:
    # "revendez" (a real verb form, but not in the frequency list) and "prévenez" both lose a letter into
    # "revenez": two edits apart, with another first letter. Mending the one into the other turned "vous revendez
    # mes données ?" into a question on fraud prevention.
    notice = "prévenez le service client avant de revendre un article".split()
    speller = Speller(notice, "fr", trusted=notice)
    assert "prévenez" not in speller.correct("vous revendez mes données")
    assert speller.correct("vous prevenez") == "vous prévenez"  # accents only: still put back


def test_a_common_misspelling_counted_as_a_word_is_mended_by_its_swapped_letters() -> None:
    # wordfreq counts "acceuil" and "recieve" as words (Zipf 2.7): two swapped letters of a word far more frequent.
    notice = "we receive your information when you visit the home page".split()
    questions = ["when do you recieve my address"]  # a customer's misspelling in a typical question
    speller = Speller([*notice, *questions[0].split()], "en", trusted=notice)
    assert "recieve" not in speller.counts
    assert speller.correct("do you recieve my data") == "do you receive my data"
    # Another form of a word, one letter changed, stays: it is a word, and not two letters swapped.
    french = "vous pouvez régler vos paramètres et la page d'accueil".split()
    fr = Speller(french, "fr", trusted=french)
    assert fr.correct("et si vous réglez pas le problème, la page d'acceuil ?") == (
        "et si vous réglez pas le problème, la page d'accueil ?")


def test_an_everyday_word_without_its_accents_gets_them_back_not_another_word() -> None:
    # "répondent" is not in this notice; "reposent" is one letter from "repondent" but another word.
    notice = "les données reposent sur des serveurs sécurisés".split()
    speller = Speller(notice, "fr", trusted=notice)
    assert speller.correct("et s'ils repondent pas ?") == "et s'ils répondent pas ?"


def test_words_of_another_language_served_and_company_names_are_not_typos() -> None:
    notice = "suivez votre commande dans l'ordre et recevez vos paiements".split()
    mixed = Speller(notice, "fr", trusted=notice, names=["shein"], other_languages=["en", "nl"])
    assert mixed.correct("mon order et mes payments chez shein") == "mon order et mes payments chez shein"
    alone = Speller(notice, "fr", trusted=notice)  # without them, the same words are mended
    assert alone.correct("mon order chez shein") != "mon order chez shein"


def test_a_word_cut_short_is_left_as_written_not_mended_into_another() -> None:
    # "notif" is one letter from "motif", but it is the start of "notification", a word of the notice.
    notice = "nous envoyons une notification pour un motif de sécurité".split()
    speller = Speller(notice, "fr", trusted=notice)
    assert speller.correct("une notif de promo") == "une notif de promo"
    without = "nous envoyons un message pour un motif de sécurité".split()  # no longer word starts so
    assert Speller(without, "fr", trusted=without).correct("une notif de promo") == "une motif de promo"


def test_a_short_word_missing_one_letter_is_mended_only_where_one_word_fits() -> None:
    notice = "we keep your stuff and share your email with the store that stole nothing".split()
    speller = Speller(notice, "en", trusted=notice)
    assert speller.correct("how long u keep my stuf") == "how long u keep my stuff"  # a letter dropped
    assert speller.correct("who sees my emal") == "who sees my email"
    # Four letters: a word of the language stays; so does a letter changed rather than dropped, and a short word
    # two notice words fit once a letter is added ("stoe": "store" or "stole"); three letters are never mended.
    assert speller.correct("the stud and the stuv") == "the stud and the stuv"
    assert speller.correct("shre stoe kep") == "share stoe kep"
