"""Stage 3, language: the language of the reply, from the message, the conversation, the caller and the page."""

from __future__ import annotations

from assistant.language import choose_language
from assistant.served import Served
from assistant.text import TOKEN
from assistant.turn import Turn


def conversation_language(turn: Turn, served: Served) -> str | None:
    """The language of the latest earlier message that tells one."""
    for message in reversed(turn.earlier):
        detected = served.guesser.detect(message)
        if detected in served.notices:
            return detected
    return None


def fallback_language(turn: Turn, served: Served) -> str:
    """The reply's language when the message itself cannot tell: the caller's choice, else the conversation's,
    else the page's, else the assistant's default."""
    if turn.conversation_language is None and turn.earlier:
        turn.conversation_language = conversation_language(turn, served)
    return explicit(turn, served) or turn.conversation_language or page(turn, served)


def explicit(turn: Turn, served: Served) -> str | None:
    return turn.forced_language if turn.forced_language in served.notices else None


def page(turn: Turn, served: Served) -> str:
    return turn.page_language if turn.page_language in served.notices else served.settings.default_language


def run(turn: Turn, served: Served) -> None:
    """Reads `text`, the earlier messages and the caller's languages; adds `language` and `unsupported`."""
    if turn.conversation_language is None and turn.earlier:
        turn.conversation_language = conversation_language(turn, served)
    detected = served.guesser.detect(turn.text)
    words, ongoing = len(TOKEN.findall(turn.text)), turn.conversation_language
    if detected == "other" and ongoing is not None and words < served.tuning.other_language_min_words_in_conversation:
        detected = None  # a few words in a conversation: too few to say the customer switched language
    if (ongoing is not None and detected != ongoing and words < served.tuning.conversation_language_max_words
            and (served.guesser.carries(turn.text, ongoing) or served.guesser.all_known_in(turn.text, ongoing))):
        detected = None  # a short follow-up with the conversation's own words goes on in its language
    turn.language, turn.unsupported = choose_language(
        detected, explicit(turn, served), turn.conversation_language, page(turn, served),
        tuple(served.notices), served.settings.default_language,
    )  # fmt: skip
