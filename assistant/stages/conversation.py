"""Stage 4, conversation: whether a message continues the conversation's topic or opens its own, and what
retrieval then reads."""

from __future__ import annotations

from assistant.langpack import LanguagePack
from assistant.served import Served
from assistant.text import TOKEN, fold
from assistant.topics import Relation, content_words, relation, without_acknowledgement
from assistant.turn import Turn


def retrieval_text(text: str, language: str, served: Served) -> str:
    """The message without its opening greeting ("bonjour, ..."), which only blurs it, with its contractions in full
    ("jveux") and typos mended against the words of the notice and its typical questions."""
    question = served.pack(language).expand(served.guards.small_talk.without_opening(text))
    speller = served.spellers.get(language)
    return speller.correct(question) if speller else question


def unannounced(text: str, fillers: frozenset[str], served: Served) -> str:
    """The text without its opening change marker, or the thanks before it ("ok merci. autre question : ..."), and
    without the greeting or filler after it ("btw, hi, ...")."""
    rules = served.topic_rules
    rest = rules.without_announcement(text)
    rest = rules.after_announcement(text, fillers) if rest == text else rest  # fillers: acknowledgements too
    return text if rest == text else served.guards.small_talk.without_opening(rest)


def only_acknowledges(message: str, allowed: set[str], served: Served) -> bool:
    """The message is only small talk, thanks or an acknowledgement ("ah ok", "merci", "ok je vois"): its words are
    all `allowed`."""
    words = [fold(token) for token in TOKEN.findall(message)]
    return served.guards.small_talk.kind(message) is not None or (bool(words) and all(w in allowed for w in words))


def returned_topic(text: str, topics: list[list[str]], pack: LanguagePack) -> list[str]:
    """The earlier topic a message says it goes back to ("ok, back to the US thing"): the one before the latest that
    shares most topic words with it, else the one just before the latest."""
    if len(topics) == 1 and len(topics[0]) > 1:  # one topic with a detour inside ("... || how long do you keep it?")
        topics = [topics[0][:-1], topics[0][-1:]]
    if len(topics) < 2:
        return topics[-1] if topics else []
    own = set(content_words(text, pack))
    shared = [len(own & set(content_words(" ".join(topic), pack))) for topic in topics[:-1]]
    best = max(range(len(shared)), key=lambda i: (shared[i], i))
    return topics[best] if shared[best] else topics[-2]


def topic_named_again(text: str, topics: list[list[str]], pack: LanguagePack) -> list[str] | None:
    """The earlier topic a follow-up names again without saying it goes back ("les pubs ... vous donnez mon nom aux
    régies ? || c'est quoi la diff entre amazon eu sarl et ... || ok. pour les régies alors, elles reçoivent quoi ?"):
    the latest before the current one that shares a topic word with it, when the current one shares none."""
    own = set(content_words(text, pack))
    if len(topics) < 2 or not own or own & set(content_words(" ".join(topics[-1]), pack)):
        return None
    return next((topic for topic in reversed(topics[:-1]) if own & set(content_words(" ".join(topic), pack))), None)


def relation_read(text: str, earlier: bool, language: str, served: Served, limits: tuple[int, int, int]) -> Relation:
    """The message's relation to the conversation (`topics.relation`), the words asking a precise fact not counted
    as topic words of its own ("and which firms exactly, bpost? dhl?" after a question on delivery: the fact of the
    topic asked, and the guesses)."""
    pack, rules = served.pack(language), served.topic_rules
    found = relation(text, earlier, pack, rules, limits)
    if found.kind != "change" or rules.announces_change(text):
        return found
    # Only a message pointing back, opening with "and" or insisting on names ("which agency exactly? i want the
    # name" after "do you check sellers with credit agencies?") is tried so: "which credit agencies do u use?" after
    # "do u do credit checks" names its own subject in the words that ask (the sources section, not the credit checks)
    words = [fold(token) for token in TOKEN.findall(text)]
    insists = rules.insists_on_exactness(words, language) and served.precise.asked(text, language) == "names"
    if not (rules.has_pointer(words, language) or rules.opens_carrying_on(words, language, pack.fillers) or insists):
        return found
    rest = served.precise.without_asking(text, language)
    return relation(rest, earlier, pack, rules, limits) if rest != fold(text) else found


def run(turn: Turn, served: Served) -> None:
    """Reads `text`, `language` and the earlier messages; adds `query`, `relation` and `context`: for a message
    that continues the topic, the earlier messages since the topic was opened, oldest first. A change marker the
    message opens with ("autre sujet : ") tells the relation, then is left out of the query."""
    pack, rules, tuning = served.pack(turn.language), served.topic_rules, served.tuning
    limits = (
        tuning.follow_up_max_content_words,
        tuning.follow_up_max_content_words_pointing,
        tuning.follow_up_max_content_words_carrying_on,
    )
    turn.query = retrieval_text(turn.text, turn.language, served)
    earlier = [retrieval_text(message, turn.language, served) for message in turn.earlier]
    opened = [0]  # where each topic of the earlier messages was opened
    for position, message in enumerate(earlier):
        if position > 0 and relation_read(message, True, turn.language, served, limits).kind != "continue":
            opened.append(position)
    topics = [earlier[start:end] for start, end in zip(opened, [*opened[1:], len(earlier)], strict=True)]
    before_marker = pack.fillers | pack.acknowledgements  # "ok je vois. sinon ..."
    found = relation_read(turn.query, bool(earlier), turn.language, served, limits)
    acknowledging = before_marker | rules.pointers.get(pack.code, frozenset())  # "ok ça marche merci."
    remark_left_out = without_acknowledgement(turn.query, acknowledging)
    if found.kind == "continue" and remark_left_out != turn.query:  # "ok ça marche merci. vous gardez ... ?"
        found = relation_read(remark_left_out, bool(earlier), turn.language, served, limits)
    topic = topics[-1]  # the latest topic ([] with no earlier message)
    if earlier and rules.returns_to_earlier(turn.query, pack):
        found, topic = Relation("continue", points_back=True), returned_topic(turn.query, topics, pack)
        turn.returns = True
    elif found.kind == "continue" and (drifted := topic_named_again(turn.query, topics, pack)) is not None:
        topic = drifted
    turn.relation, turn.points_back = found.kind, found.points_back
    # The remark on the last reply only blurs what the message asks ("found it thx. also is my card data safe?"); a
    # first message remarks on no reply ("[NAME] encore. J'ai un compte ...")
    turn.query = unannounced(remark_left_out if earlier else turn.query, before_marker, served)
    context = [unannounced(m, before_marker, served) for m in topic] if found.kind == "continue" else []
    # "ah ok", "merci" between the topic's questions say nothing of it: the latest message weighs most in the topic
    allowed = {word for phrase in acknowledging for word in fold(phrase).split()}  # "dans ce cas": its words
    said = [m for m in context if not only_acknowledges(m, allowed, served)]
    turn.context = said or context
    turn.follow_up = found.kind == "continue"
