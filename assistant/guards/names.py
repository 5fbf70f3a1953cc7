"""The names guards: acronyms, web addresses and other companies a question names that the notice never does."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from assistant.guards.words import alternatives, gather, whole_words
from assistant.privacy import PLACEHOLDER
from assistant.text import LETTERS_AND_DIGITS, WORD

# The encoder hardly weighs a name, so "my rights under the CCPA" looks like a question on section 8: the
# vocabulary of the notice and its typical questions tells whether the notice knows the name.
ACRONYM = re.compile(r"(?<![\w.])[A-Z][A-Z0-9]{2,7}(?![\w.])")
DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")  # "E.E.E.", written without dots by customers
KNOWN_PREFIX = 5  # an all-caps word is a known word when a word of the vocabulary starts the same ("VENDEZ")
CONTEXT_REACH = 40  # characters read back for the word before an acronym
COMPARED_REACH = 30  # characters read before and after a comparing word for the company it compares with
JOIN_REACH = 3  # "a gmail and a hotmail address": one article between the joining word and the next name
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")  # "coolblue.be" and "2.0" are not two sentences
# A name beside a placeholder is one of the customer's details ("my gmail [EMAIL]", "[NAME] SRL"), not a subject.
BESIDE_PLACEHOLDER = re.compile(r"\S+\s+(?=\[[A-Z_]+\])|(?<=\])\s+\S+")


CONTEXT_WORDS = ("guards", "other_companies", "before_context")


def sentences_of(text: str) -> list[str]:
    """The message's sentences, empty ones left out."""
    return [s for s in SENTENCE_END.split(text) if s.strip()]


def asked_part(text: str) -> str:
    """The sentences that ask: a customer tells who they are and where they live before the question, and the
    names in that story are context ("I'm a student in LLN. can I ..."). Without a question mark, the last
    sentence asks. Details beside a placeholder are left out."""
    sentences = sentences_of(text)
    if len(sentences) > 1:
        asking = [s for s in sentences if s.rstrip().endswith("?")] or sentences[-1:]
        text = " ".join(asking)
    return without_details(text)


def guessed(text: str, name: str) -> bool:
    """The name stands alone between punctuation ("google? meta?", "bpost, dhl, postnl?"): offered as a guess, not
    asked about ("which companies does whatsapp share my data with?")."""
    return re.search(rf"(?:^|[?,/:;])\s*{re.escape(name)}\s*(?:[?,/]|$)", text, re.IGNORECASE) is not None


def without_details(text: str) -> str:
    """The text without the customer's details (placeholders) and the word beside each."""
    return PLACEHOLDER.sub(" ", BESIDE_PLACEHOLDER.sub(" ", text)) if PLACEHOLDER.search(text) else text


def idiom_pattern(facts: dict[str, Any]) -> re.Pattern[str]:
    """The idioms that hold a company's name ("ras le bol", `facts.company_idioms`), as plain words, not names."""
    return whole_words(alternatives(str(i) for i in facts.get("company_idioms", []) or []), re.IGNORECASE)


@dataclass(frozen=True)
class NamesGuard:
    """Names the notice never mentions: an acronym (a law, an authority), a web address, or another company
    asked about on its own account ("does whatsapp read my messages"), not about what Amazon shares with it."""

    vocabulary: frozenset[str]  # every word (casefolded) of the notice, its titles and typical questions
    everyday_acronyms: frozenset[str]
    web_address: re.Pattern[str]
    companies: frozenset[str]
    addresses_owner: re.Pattern[str]  # "you", "vous", "jullie", "Amazon": the question speaks to the notice's owner
    before_context: frozenset[str]  # a name after these ("with", "to", "my") is what is shared, or context
    after_context: frozenset[str]  # a name before these ("gmail address") is the customer's own mailbox: context
    # Words that open a follow-up ("et", "and", "en"): one of them first ("et facebook il en fait quoi ?"), after
    # fillers only ("ok and google?"), carries the conversation on and links the name to nothing shared.
    openers: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()
    joining: frozenset[str] = frozenset()  # "and", "or": a name after one, next to another name, shares its part
    pointing_back: re.Pattern[str] = re.compile("(?!)")  # "they", "ze": the question's subject is in the story
    verifying: re.Pattern[str] = re.compile("(?!)")  # "is that true?", "klopt dat?": asks whether the story is true
    owner_acting: re.Pattern[str] = re.compile("(?!)")  # "Amazon", "you": the notice's owner acts in the story
    idioms: re.Pattern[str] = re.compile("(?!)")  # "ras le bol": a company's name as a plain word, left out
    # A question asking how to do something ("how do i", "comment", "hoe") on another company's platform: a name
    # after "on"/"sur"/"op" or before "settings"/"compte"/"instellingen" is where it is done, not context.
    asks_how: re.Pattern[str] = re.compile("(?!)")
    on_platform: frozenset[str] = frozenset()
    platform: frozenset[str] = frozenset()
    reaching: frozenset[str] = frozenset()
    # "better than ebay", "plus sûr que chez zalando", "veiliger dan bol": a comparison asks about the other company
    # on its own account even beside Amazon's name; the notice speaks for Amazon alone.
    comparing: re.Pattern[str] = re.compile("(?!)")
    # "my password is the same as my instagram one": after a word of sameness, a name after the customer's possessive
    # is their own account; what is compared is theirs (a password), not the company's practice ("better than my
    # gmail" still compares the companies).
    sameness: re.Pattern[str] = re.compile("(?!)")
    possessives: frozenset[str] = frozenset()
    # The same context words per language: one language's context word can be another's plain preposition (Dutch
    # "of" is "or", English "of" asks about the company's own policy: "the cookie policy of ebay").
    context_by_language: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, vocabulary: set[str], packs: Iterable[dict[str, Any]], facts: dict[str, Any]) -> NamesGuard:
        data = list(packs)
        domains = "|".join(sorted((re.escape(str(d)) for d in facts.get("web_domains", []) or []), key=len,
                                  reverse=True)) or "(?!)"  # fmt: skip
        owner = [str(n) for n in facts.get("own_names", []) or []]

        def owner_or(key: str) -> re.Pattern[str]:  # Amazon's names, or the pack's words for it under `key`
            words = owner + gather(data, "guards", "other_companies", key)
            return re.compile(rf"\b(?:{alternatives(words)})\b", re.IGNORECASE)

        return cls(
            vocabulary=frozenset(vocabulary),
            everyday_acronyms=frozenset(str(a) for a in facts.get("everyday_acronyms", []) or []),
            web_address=re.compile(rf"(?<![\w.@])((?:[a-z0-9-]+\.)+)({domains})(?![\w.])", re.IGNORECASE),
            companies=frozenset(str(c).casefold() for c in facts.get("other_companies", []) or []),
            addresses_owner=owner_or("addresses_amazon"),
            before_context=frozenset(w.casefold() for w in gather(data, *CONTEXT_WORDS)),
            after_context=frozenset(w.casefold() for w in gather(data, "guards", "other_companies", "after_context")),
            openers=frozenset(w.casefold() for w in gather(data, "conversation", "continue_openers") if " " not in w),
            fillers=frozenset(w.casefold() for w in gather(data, "fillers")),
            joining=frozenset(w.casefold() for w in gather(data, "guards", "other_companies", "joining")),
            pointing_back=whole_words(alternatives(gather(data, "guards", "other_companies", "pointing_back")),
                                      re.IGNORECASE),  # fmt: skip
            verifying=whole_words(alternatives(gather(data, "guards", "other_companies", "verifying")), re.IGNORECASE),
            owner_acting=owner_or("owner_acting"),
            idioms=idiom_pattern(facts),
            asks_how=whole_words(alternatives(gather(data, "guards", "other_companies", "asks_how")
                                              + gather(data, "guards", "requests", "own_ability")), re.IGNORECASE),
            on_platform=frozenset(w.casefold() for w in gather(data, "guards", "other_companies", "on_platform")),
            platform=frozenset(w.casefold() for w in gather(data, "guards", "other_companies", "platform")),
            reaching=frozenset(w.casefold() for w in gather(data, "guards", "other_companies", "reaching")),
            comparing=whole_words(alternatives(gather(data, "guards", "other_companies", "comparing")), re.IGNORECASE),
            sameness=whole_words(alternatives(gather(data, "guards", "other_companies", "sameness")), re.IGNORECASE),
            possessives=frozenset(w.casefold() for w in gather(data, "guards", "other_person", "possessives")),
            context_by_language={str(d["code"]): frozenset(w.casefold() for w in gather([d], *CONTEXT_WORDS))
                                 for d in data if d.get("code")},  # fmt: skip
        )

    def unknown_names(self, text: str, language: str | None = None) -> list[str]:
        """Acronyms and web addresses in the question that the vocabulary never contains; an acronym right after
        a context word ("reclame op de site van Het Nieuwsblad en HLN, geven jullie da door?") is context, as a
        company's name would be."""
        text = asked_part(text)
        names: list[str] = []
        letters = [c for c in text if c.isalpha()]
        before = self._context_words(language)
        # A whole sentence in capitals: its acronyms can't be told from its words.
        shouting = len(WORD.findall(text)) >= 4 and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        if not shouting:
            for found in ACRONYM.finditer(text):
                acronym = found.group()
                previous = WORD.findall(text[max(0, found.start() - CONTEXT_REACH):found.start()])[-1:]
                if previous and previous[0].casefold() in before:
                    continue
                word = acronym.casefold()
                if acronym in self.everyday_acronyms or word in self.vocabulary or sum(c.isdigit() for c in word) > 1:
                    continue  # known, or an identifier ("BE0123", "NL91") rather than a name
                prefix = word[:KNOWN_PREFIX]
                if len(word) >= KNOWN_PREFIX and any(known.startswith(prefix) for known in self.vocabulary):
                    continue
                names.append(acronym)
        for labels, domain in self.web_address.findall(text):
            if not any(self._known_label(label.casefold()) for label in labels.strip(".").split(".")):
                names.append(f"{labels}{domain}")
        return list(dict.fromkeys(names))

    def names_any(self, text: str, language: str | None = None) -> bool:
        """The text names another company anywhere (as context or not), or a law, body or site the notice never
        names: what makes an out-of-scope question such ("delete my zalando account") may be its name alone."""
        words = {w.casefold().removesuffix("'s") for w in LETTERS_AND_DIGITS.findall(text.replace("’", "'"))}
        return not words.isdisjoint(self.companies) or bool(self.unknown_names(text, language))

    def other_companies(self, text: str, language: str | None = None) -> list[str]:
        """Other companies the question asks about on their own account, not about what Amazon shares with them
        (the context words of the message's language when it is known, else of every language)."""
        text = self.idioms.sub(" ", text)
        if compared := self._compared_names(text):
            return compared
        asked = asked_part(text)
        if self.addresses_owner.search(asked):
            return []
        names = self._asked_names(asked, language, how=self.asks_how.search(asked) is not None)
        if not names and self.pointing_back.search(asked):
            # "Belfius vraagt toegang tot mijn transacties. Wat doen ze daarmee?", "i bought some stuff on shein and
            # now i get spam, what do they do with my data": not speaking to Amazon, the question points back to the
            # company its story names, even where the story's words make the name context ("on shein").
            story = without_details(text)
            names = self._asked_names(story, language) or self._named(story)
        if not names and self.verifying.search(asked.replace("’", "'")):
            # "mijn collega zegt dat bol.com alles van je surfgedrag doorverkoopt. klopt dat?": whether a story about
            # another company is true, with Amazon not acting in it ("a friend says you sell my data to google, is
            # that true?" asks about Amazon)
            story = without_details(text)
            if not self.owner_acting.search(story):
                names = self._named(story)
        return names

    def _named(self, text: str) -> list[str]:
        """Every company the text names."""
        typed = LETTERS_AND_DIGITS.findall(text.replace("’", "'"))
        names = (w.removesuffix("'s") for w in typed)
        return list(dict.fromkeys(n for n in names if n.casefold() in self.companies))

    def _compared_names(self, text: str) -> list[str]:
        """Companies named within two words after a comparing word ("better than on ebay", "comme chez zalando") or
        three before it ("is apple's privacy better than amazon's")."""
        names: list[str] = []
        text = text.replace("’", "'")
        for found in self.comparing.finditer(text):
            following = LETTERS_AND_DIGITS.findall(text[found.end():found.end() + COMPARED_REACH])[:2]
            preceding = LETTERS_AND_DIGITS.findall(text[max(0, found.start() - COMPARED_REACH):found.start()])[-3:]
            same = self.sameness.fullmatch(found.group()) is not None
            owned = {i + 1 for i, w in enumerate(following) if same and w.casefold() in self.possessives}
            names += [w.removesuffix("'s") for w in preceding + [w for i, w in enumerate(following) if i not in owned]
                      if w.casefold().removesuffix("'s") in self.companies]
            if self.addresses_owner.search(" ".join(following)):
                # compared with Amazon ("hoe gaat netflix om met mijn kijkgegevens, is dat beter dan bij jullie?"):
                # the company the question asks about elsewhere (not one named as context: "my gmail") is compared
                names += self._asked_names(text, None)
        return list(dict.fromkeys(names))

    def _asked_names(self, text: str, language: str | None, how: bool = False) -> list[str]:
        typed = LETTERS_AND_DIGITS.findall(text.replace("’", "'"))
        words = [w.casefold() for w in typed]
        # "ebay's cookie policy": the company's own, asked about on its own account.
        named = [i for i, word in enumerate(words) if word.removesuffix("'s") in self.companies]
        before = self._context_words(language)
        # Names joined by "and"/"or" (an article between at most) share their part: "with google and facebook",
        # "een telenet- en een gmail-adres" are context together, "temu et shein, ils revendent …" asked together.
        places = set(named)
        joined = {b: a for a in named for b in range(a + 2, a + JOIN_REACH + 1)
                  if b in places and words[a + 1] in self.joining}  # fmt: skip
        group = {i: i for i in named}
        for i in named:  # in order: a chain ("google or bing or yahoo") takes its first name's group
            if i in joined:
                group[i] = group[joined[i]]
        context = {group[i] for i in named if self._context(words, i, before, after_join=i in joined)
                   and not (how and self._platform(words, i))}  # fmt: skip
        # One name asked about on its own account is enough, beside others that are context ("how does meta use
        # my whatsapp messages").
        asked = [i for i in named if group[i] not in context]
        return list(dict.fromkeys(typed[i].removesuffix("'s") for i in asked))  # the reply names "ebay", not "ebay's"

    def _context_words(self, language: str | None) -> frozenset[str]:
        """The context words of the message's language when it is known, else of every language."""
        return self.context_by_language.get(language or "", self.before_context)

    def _context(self, words: list[str], i: int, before: frozenset[str], after_join: bool) -> bool:
        """The name at `i` is context: what reaches it (after "with", "aan"), someone's account ("my wife's
        gmail") or the customer's own mailbox ("my gmail address"). The joining word before a joined name
        says nothing of its own."""
        if i > 0 and words[i - 1] in before and not self._opens(words, i - 1) and not after_join:
            return True  # "... gaan die naar spotify?": what reaches the company, i.e. what Amazon shares
        if i > 0 and words[i - 1].endswith("'s"):
            return True
        return i + 1 < len(words) and words[i + 1] in self.after_context

    def _platform(self, words: list[str], i: int) -> bool:
        """The name is where something is done: after "on"/"sur"/"op" or "compte", or before "settings"/"account";
        not what is used or reached ("log in with my gmail account", "naar mijn gmail account")."""
        before = words[i - 1] if i > 0 else ""
        if {before, words[i - 2] if i > 1 else ""} & self.reaching:
            return False
        after = words[i + 1] if i + 1 < len(words) else ""
        return before in self.on_platform or before in self.platform or after in self.platform

    def _opens(self, words: list[str], position: int) -> bool:
        """The word at `position` opens the message as a follow-up ("et", "ok and"), after nothing but fillers."""
        return words[position] in self.openers and all(w in self.fillers for w in words[:position])

    def _known_label(self, label: str) -> bool:
        """A web address label the notice knows: one of its words, or made from one ("primevideo")."""
        return label in self.vocabulary or any(len(w) >= KNOWN_PREFIX and label.startswith(w) for w in self.vocabulary)
