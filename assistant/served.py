"""What answering reads: one index build with its corpus, language packs, guards and tuning, swapped as a whole."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.corpus import Notice
from assistant.embedding import Embedder
from assistant.guards import Guards
from assistant.guards.names import DOTTED, idiom_pattern
from assistant.guards.words import alternatives, whole_words
from assistant.index import LoadedIndex
from assistant.langpack import LanguagePack
from assistant.language import LanguageGuesser
from assistant.precise import PreciseFacts
from assistant.retrieval import QUOTABLE, Ranking, Retriever
from assistant.settings import Settings
from assistant.speller import Speller
from assistant.text import TOKEN, fold
from assistant.topics import TopicRules
from assistant.tuning import Tuning


@dataclass(frozen=True)
class Served:
    """Read-only once built: a request takes one reference and uses it throughout, so a reload never mixes two."""

    settings: Settings
    embed: Embedder  # query vectors
    loaded: LoadedIndex
    retriever: Retriever
    notices: dict[str, Notice]
    packs: dict[str, LanguagePack]  # the served languages' packs, in their order
    facts: dict[str, Any]  # the notice's own facts (corpus/facts.yaml)
    guesser: LanguageGuesser
    spellers: dict[str, Speller]
    guards: Guards
    topic_rules: TopicRules
    precise: PreciseFacts
    tuning: Tuning
    pointers: frozenset[int] = frozenset()  # sentences that point elsewhere ("For more information, see …")
    # Sentences addressed to one kind of user ("If you are a third-party seller, …"), each with the words of its
    # language that name that kind: for a customer who names neither, they answer someone else.
    addressed: dict[int, re.Pattern[str]] = field(default_factory=dict)
    # (language, section id) of translated sections whose official source changed since (corpus/translations.yaml):
    # answered from the official text, with a note.
    stale: frozenset[tuple[str, str]] = frozenset()
    # Per language, the out-of-scope questions that name no other company, law or site: the only ones that weigh
    # against a message naming none ("how do i delete my account" is not "delete my zalando account").
    unnamed_out_of_scope: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.packs)

    @property
    def urls(self) -> dict[str, str]:
        return {lang: notice.url for lang, notice in self.notices.items()}

    def pack(self, language: str) -> LanguagePack:
        """The language's pack, or the default language's for a language without one."""
        return self.packs.get(language) or self.packs[self.settings.default_language]

    def sections(self, key: str) -> list[str]:
        """The section ids a fact names (`choices_section: "9"`, `sharing_sections: ["5", "5.1"]`), as strings."""
        value = self.facts.get(key)
        if value is None or value == "":
            return []
        return [str(s) for s in value] if isinstance(value, list | tuple) else [str(value)]

    def set_aside(self, text: str) -> frozenset[int]:
        """The units quoted only when nothing else answers, for this text: sentences pointing elsewhere, and those
        addressed to a kind of user (a seller, an author) the text does not name ("je veux plus recevoir vos mails
        promo" is not answered by the sellers' notification preferences)."""
        if not self.addressed:
            return self.pointers
        folded = fold(text)
        return self.pointers | {p for p, naming in self.addressed.items() if not naming.search(folded)}

    def template(self, language: str, key: str, **values: object) -> str:
        """A reply in the language, with the notice's facts ({site}, {contact_email}) and the values filled in."""
        facts = {"site": self.facts.get("site", ""), "contact_email": self.facts.get("contact_email", "")}
        return self.pack(language).reply(key).format(**facts, **values)


def rank_alone(text: str, language: str, served: Served) -> Ranking:
    """The ranking of one message read without any conversation (its vector remembered by the encoder)."""
    return served.retriever.ranking(text, served.embed.encode_query(text), language, served.tuning.signals)


def serve(settings: Settings, embed: Any, loaded: LoadedIndex, notices: dict[str, Notice],
          packs: dict[str, LanguagePack], facts: dict[str, Any], tuning: Tuning | None = None) -> Served:  # fmt: skip
    """Everything built once per index and corpus: ranking models, the language guesser, spellers, guards."""
    packs = {code: pack for code, pack in packs.items() if code in notices or code == settings.default_language}
    # The notice's words and its customers' words (typical questions): "bewaartermijn" is only ever Dutch.
    samples = {lang: language_sample(notice) for lang, notice in notices.items()}
    words = {lang: TOKEN.findall(sample) for lang, sample in samples.items()}
    guesser = LanguageGuesser({code: pack.function_words for code, pack in packs.items()}, words)
    vocabulary = known_words([*samples.values(), *(s.title for n in notices.values() for s in n.sections)],
                             idiom_pattern(facts))  # fmt: skip
    spellers = {
        lang: Speller(words[lang], packs[lang].wordfreq, TOKEN.findall(" ".join(s.text for s in notice.sections)),
                      facts.get("other_companies") or [], [packs[o].wordfreq for o in notices if o in packs])
        for lang, notice in notices.items()
        if lang in packs
    }
    retriever = Retriever(loaded)
    guards = Guards.build(packs, vocabulary, facts)
    return Served(
        settings=settings, embed=embed, loaded=loaded, retriever=retriever, notices=notices, packs=packs,
        facts=facts, guesser=guesser, spellers=spellers, guards=guards,
        topic_rules=TopicRules.from_packs({code: pack.data for code, pack in packs.items()}),
        precise=PreciseFacts.build(packs, facts),
        tuning=tuning or Tuning(),
        pointers=pointer_sentences(retriever, packs),
        addressed=addressed_sentences(retriever, packs),
        stale=stale_translations(settings, notices),
        unnamed_out_of_scope=unnamed_out_of_scope(retriever, guards),
    )  # fmt: skip


def unnamed_out_of_scope(retriever: Retriever, guards: Guards) -> dict[str, np.ndarray]:
    """Per language, the positions of the out-of-scope questions that name no other company, law or site."""
    return {
        lang: np.array([p for p in positions if not guards.names.names_any(retriever.chunk(int(p)).text, lang)],
                       dtype=int)
        for lang, positions in retriever.out_of_scope_positions.items()
    }  # fmt: skip


def opening(entries: Iterable[object]) -> re.Pattern[str]:
    """What a unit's folded text begins with, after any punctuation: one of the entries, as a whole word."""
    return re.compile(rf"[\W_]*(?:{alternatives(fold(str(e)) for e in entries)})(?!\w)")


def pointer_sentences(retriever: Retriever, packs: dict[str, LanguagePack]) -> frozenset[int]:
    """The quotable units that begin as their language's pack says a sentence pointing elsewhere begins."""
    patterns = {code: opening(pack.get("pointers")) for code, pack in packs.items() if pack.get("pointers")}
    return frozenset(position for position, chunk in enumerate(retriever.chunks)
                     if chunk.kind in QUOTABLE and chunk.language in patterns
                     and patterns[chunk.language].match(fold(chunk.text)))  # fmt: skip


def addressed_sentences(retriever: Retriever, packs: dict[str, LanguagePack]) -> dict[int, re.Pattern[str]]:
    """The quotable units that begin as their language's pack says a sentence addressed to one kind of user begins
    (`addressed_to`), each with the pattern of the words naming that kind."""
    kinds: dict[str, list[tuple[re.Pattern[str], re.Pattern[str]]]] = {
        code: [(opening(kind.get("opens", [])),
                whole_words(alternatives(fold(str(w)) for w in kind.get("named_by", []))))
               for kind in pack.get("addressed_to") or []]
        for code, pack in packs.items()
    }  # fmt: skip
    found: dict[int, re.Pattern[str]] = {}
    for position, chunk in enumerate(retriever.chunks):
        if chunk.kind not in QUOTABLE:
            continue
        text = fold(chunk.text)
        for opens, naming in kinds.get(chunk.language, []):
            if opens.match(text):
                found[position] = naming
                break
    return found


def stale_translations(settings: Settings, notices: dict[str, Notice]) -> frozenset[tuple[str, str]]:
    """The stale translated sections; none when the corpus keeps no record of its translations' sources."""
    from assistant.translations import read_translations, stale_ids, translations_path

    if not translations_path(settings.corpus_dir).is_file():
        return frozenset()
    return stale_ids(notices, read_translations(settings.corpus_dir))


def language_sample(notice: Notice) -> str:
    """The notice's text and its typical questions, for telling its language's words."""
    questions = [q for qs in notice.questions.values() for q in qs]
    return " ".join([*(s.text for s in notice.sections), *questions])


def known_words(texts: list[str], idioms: re.Pattern[str] | None = None) -> set[str]:
    """Every word (casefolded) of the texts: the notice in all its languages, its titles and typical questions;
    dotted abbreviations ("E.E.E.") also count without their dots. Idioms that hold a company's name ("ras le bol")
    are left out: a typical question venting "ras le bol" must not make "bol.com" a name the notice knows."""
    if idioms is not None:
        texts = [idioms.sub(" ", text) for text in texts]
    words = {w.casefold() for text in texts for w in TOKEN.findall(text)}
    words |= {a.replace(".", "").casefold() for text in texts for a in DOTTED.findall(text)}
    return words
