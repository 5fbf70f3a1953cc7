"""The organisations guard: the customer's own bank, employer or gym asked about on its own account."""

from __future__ import annotations

import pytest

from assistant.corpus import load_facts
from assistant.guards import Guards
from assistant.guards.organisations import OrganisationsGuard
from assistant.langpack import load_packs
from assistant.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def guard() -> OrganisationsGuard:
    return Guards.build(load_packs(), {"amazon", "com", "be"}, load_facts(PROJECT_ROOT / "corpus")).organisations


@pytest.mark.parametrize(
    ("text", "language", "names"),
    [
        ("what does my bank do with my transaction data", "en", ["your bank"]),
        ("how long does my employer keep my personal file?", "en", ["your employer"]),
        ("does my phone operator sell my location data?", "en", ["your phone operator"]),
        ("que fait ma banque de mes données ?", "fr", ["votre banque"]),
        ("mon employeur peut-il lire mes mails ?", "fr", ["votre employeur"]),
        ("hoe lang bewaart mijn verzekeraar mijn gegevens?", "nl", ["uw verzekeraar"]),
        ("mag m'n werkgever mijn e-mails lezen?", "nl", ["uw werkgever"]),
        # The story names it and the question points back to it.
        ("my gym scans faces at the door. how long do they keep them?", "en", ["your gym"]),
        # Opening a follow-up, "and" reaches nothing.
        ("and my employer?", "en", ["your employer"]),
        # The message's language unknown: every language's words are read.
        ("wat doet mijn bank met mijn gegevens?", None, ["uw bank"]),
    ],
)
def test_an_organisation_of_the_customers_asked_about_is_found(
    guard: OrganisationsGuard, text: str, language: str | None, names: list[str]
) -> None:
    assert guard.asked(text, language) == names


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("do you share my data with my bank?", "en"),  # speaks to Amazon
        ("does amazon share my data with my bank?", "en"),
        ("is my data shared with my bank?", "en"),  # what reaches the bank: what Amazon shares
        ("my bank card was charged twice, is my card data safe?", "en"),  # the customer's own card
        ("i paid with my bank account, how is my payment info stored?", "en"),
        ("my landlord's email, can you give it to me?", "en"),  # a person's details: not this guard's
        ("my employer asked for my order history, how can i download it?", "en"),  # what the customer can do
        ("ma banque m'a appelé pour une fraude, comment protéger mes données ?", "fr"),  # the last clause asks
        ("est-ce que mes données vont à ma banque ?", "fr"),
        ("delen jullie mijn gegevens met mijn bank?", "nl"),
        ("mijn bankkaart is opgeslagen, is dat veilig?", "nl"),  # a compound of the customer's own
        ("what does the bank do with my data?", "en"),  # no possessive: not the customer's own organisation
    ],
)
def test_an_organisation_named_as_context_is_not_asked(guard: OrganisationsGuard, text: str, language: str) -> None:
    assert guard.asked(text, language) == []


def test_a_follow_up_of_a_topic_that_speaks_to_amazon_is_about_amazon(guard: OrganisationsGuard) -> None:
    assert guard.asked("and my bank, do they get it?", "en", topic="do you share my data with third parties?") == []
    assert guard.asked("and my employer?", "en", topic="what does my bank do with my data?") == ["your employer"]


@pytest.mark.parametrize(
    ("history", "question", "language", "words"),
    [
        ([], "what does my bank do with my transaction data", "en", "your bank"),
        ([], "combien de temps mon opérateur garde mes données de localisation ?", "fr", "votre opérateur"),
        ([], "wat doet mijn bank met mijn gegevens?", "nl", "uw bank"),
        (["what does my bank do with my data?"], "and my employer?", "en", "your employer"),
    ],
)
def test_the_reply_says_the_notice_speaks_only_for_amazon(assistant, history: list[str], question: str,  # type: ignore[no-untyped-def]
                                                          language: str, words: str) -> None:  # fmt: skip
    answer = assistant.ask(question, history=history or None)
    assert answer.abstained and answer.reason == "other_organisation" and answer.citations == []
    assert answer.language == language and words in answer.answer


@pytest.mark.parametrize(
    ("history", "question", "section"),
    [
        ([], "does amazon share my data with my bank?", "5"),
        ([], "delen jullie mijn gegevens met mijn bank?", "5"),
        (["do you share my data with third parties?"], "and my bank, do they get it?", "5"),
    ],
)
def test_amazons_sharing_with_the_customers_bank_is_answered(assistant, history: list[str], question: str,  # type: ignore[no-untyped-def]
                                                             section: str) -> None:  # fmt: skip
    answer = assistant.ask(question, history=history or None)
    assert not answer.abstained and answer.citations[0].section_id.split(".")[0] == section
