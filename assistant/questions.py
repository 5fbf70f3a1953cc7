"""Cleaning what a customer typed, and spotting questions the notice must not answer."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from assistant.language import fold

TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,500}>")
SCRIPT_BLOCK = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
TEMPLATE = re.compile(r"\{\{.*?\}\}|\$\{.*?\}")
WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class CleanQuestion:
    """A question made safe to process: plain text, no markup or control characters."""

    text: str
    had_markup: bool

    @property
    def has_words(self) -> bool:
        return bool(WORD.search(self.text))


def clean_question(raw: str) -> CleanQuestion:
    """Plain, normalised text: markup, template syntax and control characters removed, spaces collapsed."""
    text = raw.encode("utf-8", "replace").decode("utf-8")  # lone surrogates become '?'
    text = unicodedata.normalize("NFC", text)
    text = html.unescape(text)
    stripped = SCRIPT_BLOCK.sub(" ", text)
    stripped = TAG.sub(" ", stripped)
    stripped = TEMPLATE.sub(" ", stripped)
    had_markup = stripped != text
    stripped = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in stripped)
    return CleanQuestion(" ".join(stripped.split()), had_markup)


# Requests no privacy notice answers, whatever the retrieval says: attempts to change the assistant's
# rules or see its internals, and requests for someone else's data. Patterns in FR, NL and EN.
INJECTION = re.compile(
    r"\b(ignore[zr]?|negeer|vergeet|oublie[zr]?|forget|disregard)\b.{0,40}\b(instruction|instructies|regels|rules|"
    r"r[eè]gles|consignes|prompt)"
    r"|system\s*prompt|prompt\s*syst[eè]me|systeem\s*prompt|jailbreak|developer\s*mode|mode\s*d[ée]veloppeur"
    r"|ontwikkelaarsmodus|(reveal|show|print|dump|toon|montre|affiche|donne)\S*\s.{0,30}\b(prompt|config|"
    r"configuration|index|embeddings?|weights|model|mod[eè]le|threshold|drempels?|seuils?|source\s*code|code\s*source)"
    r"|\b(which|what|welk|welke|quel|quels|quelle)\b.{0,20}\b(model|llm|embeddings?|drempels?|thresholds?|seuils?|"
    r"vector\s*index)\b",
    re.IGNORECASE,
)
_DATA = (
    r"(address\w*|adresses?|adres|adressen|orders?|ordered|commande\w*|bestel\w*|e-?mails?|phone\w*|t[ée]l[ée]phone|"
    r"telefoon\w*|accounts?|compte|data|donn[ée]es|gegevens|bought|achet\w*|gekocht|purchases?|achats?|aankopen)"
)
_SOMEONE_ELSE = (
    r"((my|mon|ma|mes|mijn|m'n)\s+(neighbou?rs?|voisins?|voisine|buurm\w*|buren|ex|wife|husband|girlfriend|boyfriend|"
    r"femme|mari|copine|copain|vrouw|man|partner|echtgeno\w+|conjointe?|[ée]pou(x|se)|vriendin|vriend|colleagues?|coll[eè]gues?|collega'?s?|boss|patron|baas)"
    r"|someone\s+else|somebody\s+else|another\s+person|quelqu'un\s+d'autre|une\s+autre\s+personne|iemand\s+anders"
    r"|(other|another|autres?|andere)\s+(customers?|clients?|klanten|klant|users?|utilisateurs?|gebruikers?))"
)
# "Its customers" may be Amazon's own ("what data does amazon keep on its customers"): only a request to be
# given or shown their data ("give me the e-mails of seller X's customers") is declined.
_THEIR_CUSTOMERS = r"(\w+'s\s+customers|(ses|leurs)\s+clients|(zijn|haar|hun)\s+klanten)"
DISCLOSE = re.compile(
    r"\b(give|send|show|list|tell\s+me|donne[sz]?|envoie[sz]?|montre[sz]?|liste[rz]?|communique[sz]?|"
    r"geef|stuur|toon|laat\s+\w+\s+zien|lijst)\b",
    re.IGNORECASE,
)
# Someone else's data asked for: a person other than the customer near a kind of personal data, either order,
# unless that data is the customer's own ("can my wife see my orders?", "do you share my address with others?").
OTHER_PERSON = (
    re.compile(rf"\b{_SOMEONE_ELSE}\b.{{0,60}}\b(?P<data>{_DATA})", re.IGNORECASE),
    re.compile(rf"\b(?P<data>{_DATA})\b.{{0,40}}\b{_SOMEONE_ELSE}\b", re.IGNORECASE),
)
THEIR_CUSTOMERS = (
    re.compile(rf"\b{_THEIR_CUSTOMERS}\b.{{0,60}}\b(?P<data>{_DATA})", re.IGNORECASE),
    re.compile(rf"\b(?P<data>{_DATA})\b.{{0,40}}\b{_THEIR_CUSTOMERS}\b", re.IGNORECASE),
)
OWN = re.compile(r"\b(my|our|mon|ma|mes|notre|nos|mijn|m'n|onze|ons)\s+$", re.IGNORECASE)
# Other customers named as those Amazon protects ("to protect other users do u share account info": section
# 5.4) are not someone whose data is asked for, unless the question asks to be given or shown it.
PROTECTING = re.compile(r"\b(protect\w*|prot[eé]g\w*|protection|bescherm\w*|safety|s[eé]curit[eé]|veiligheid)\b",
                        re.IGNORECASE)  # fmt: skip


def refusal_reason(text: str) -> str | None:
    """'injection' or 'other_person' when the question must be declined outright, else None."""
    if INJECTION.search(text):
        return "injection"
    disclose = DISCLOSE.search(text)
    if PROTECTING.search(text) and not disclose:
        return None
    patterns = OTHER_PERSON + (THEIR_CUSTOMERS if disclose else ())
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not OWN.search(text[: match.start("data")]):
                return "other_person"
    return None


# Names a customer may ask about that the notice may never mention: acronyms (laws, authorities, standards)
# and web addresses. The encoder hardly weighs such a name, so "my rights under the CCPA" looks like a question
# on section 8; the vocabulary of the notice and its typical questions tells whether the notice knows the name.
ACRONYM = re.compile(r"(?<![\w.])[A-Z][A-Z0-9]{2,7}(?![\w.])")
WEB_ADDRESS = re.compile(r"(?<![\w.@])((?:[a-z0-9-]+\.)+)(com|be|nl|fr|de|lu|eu|org|net|co\.uk|uk|io)(?![\w.])",
                         re.IGNORECASE)  # fmt: skip
# Acronyms of everyday things customers mention in passing, which the notice needs not name to answer.
EVERYDAY_ACRONYMS = frozenset(
    "PDF CSV ZIP JPG JPEG PNG MP3 MP4 USB GPS SMS MMS NFC QR URL APP APPS API FAQ PIN IBAN BIC VPN WIFI WLAN DNS "
    "HTML HTTP HTTPS IOS MAC CEO GSM ASAP SVP STP AUB PLS THX BTW TVA VAT PS5 PS4 DVD OTP MFA ISP SSID IMEI SIM ESIM "
    "ASIN ISBN EAN".split()
)
DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")  # "E.E.E.", written without dots by customers
KNOWN_PREFIX = 5  # an all-caps word is a known word when a word of the vocabulary starts the same ("VENDEZ")


def unknown_names(text: str, vocabulary: set[str]) -> list[str]:
    """Acronyms and web addresses in the question that the vocabulary (casefolded words) never contains."""
    names: list[str] = []
    letters = [c for c in text if c.isalpha()]
    # A whole sentence in capitals: its acronyms can't be told from its words.
    shouting = len(WORD.findall(text)) >= 4 and sum(c.isupper() for c in letters) > 0.6 * len(letters)
    if not shouting:
        for acronym in ACRONYM.findall(text):
            word = acronym.casefold()
            if acronym in EVERYDAY_ACRONYMS or word in vocabulary or not any(c.isalpha() for c in word):
                continue
            if len(word) >= KNOWN_PREFIX and any(known.startswith(word[:KNOWN_PREFIX]) for known in vocabulary):
                continue
            names.append(acronym)
    for labels, tld in WEB_ADDRESS.findall(text):
        if not any(_known_label(label.casefold(), vocabulary) for label in labels.strip(".").split(".")):
            names.append(f"{labels}{tld}")
    return list(dict.fromkeys(names))


# Other companies and services whose own practices customers ask about ("does whatsapp read my messages"). The
# notice names none of them (a test checks it), and the encoder hardly weighs the name: "est-ce que facebook
# revend mes données" looks like "vendez-vous mes données" (section 5). Carriers are left out on purpose:
# they deliver for Amazon, so "does bpost get my phone number" is answered by section 5.2; so are phone makers,
# named as the customer's device ("mon GSM c'est un Xiaomi, où changer les autorisations de l'appli").
OTHER_COMPANIES = frozenset(
    "facebook fb meta instagram insta whatsapp messenger google gmail youtube icloud siri "
    "microsoft outlook hotmail skype linkedin tiktok snapchat twitter telegram netflix spotify disney uber "
    "airbnb ebay aliexpress temu shein zalando coolblue vinted 2dehands marktplaats leboncoin bol kbc belfius "
    "argenta bnp paribas proximus telenet colruyt delhaize carrefour mediamarkt fnac tinder chatgpt openai "
    "yahoo bing".split()
)
# A question that speaks to Amazon ("do you share my data with facebook?", "verkopen jullie mijn data aan
# google") is about Amazon's practice, and so is a name after a preposition ("shared with facebook"). A name
# after a possessive is the customer's own account, named as context ("the same password as for my Facebook?").
ADDRESSES_AMAZON = re.compile(r"\b(amazon\w*|amzn|you|your|yours|u|ur|vous|votre|vos|jullie|uw)\b", re.IGNORECASE)
BEFORE_CONTEXT = frozenset(
    "with to via from on through into and or for avec à a au aux vers sur par et ou pour met aan naar op door en "
    "of voor my mon ma mes mijn m'n".split()
)


def other_companies(text: str) -> list[str]:
    """Other companies the question asks about on their own account, not about what Amazon shares with them."""
    if ADDRESSES_AMAZON.search(text):
        return []
    typed = LETTERS_AND_DIGITS.findall(text)
    words = [w.casefold() for w in typed]
    named = [i for i, word in enumerate(words) if word in OTHER_COMPANIES]
    if any(i > 0 and words[i - 1] in BEFORE_CONTEXT for i in named):
        return []  # "... gaan die naar spotify?": what reaches the company, i.e. what Amazon shares
    return list(dict.fromkeys(typed[i] for i in named))


def _known_label(label: str, vocabulary: set[str]) -> bool:
    """A web address label the notice knows: one of its words, or made from one ("primevideo")."""
    return label in vocabulary or any(len(w) >= KNOWN_PREFIX and label.startswith(w) for w in vocabulary)


LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")  # words, with their elisions ("j'ai", "m'aider")
LETTERS_AND_DIGITS = re.compile(r"\w+(?:'\w+)?")  # words and numbers, with their elisions ("m'n")


# Messages that are only a greeting, thanks, goodbye or a request for help, by kind; each phrase with the
# languages it belongs to ("merci" is also Flemish, "hallo" Dutch or English).
SMALL_TALK: dict[str, dict[str, tuple[str, ...]]] = {
    "help": {
        "j'ai une question|j ai une question|une question|aide|aidez moi|aide moi|tu peux m'aider|vous pouvez m'aider|"
        "pouvez vous m'aider|peux tu m'aider": ("fr",),
        "ik heb een vraag|een vraag|hulp|help mij|help me eens|kan je me helpen|kunt u mij helpen|kan u mij helpen|"
        "kunnen jullie mij helpen": ("nl",),
        "help|help me|i have a question|a question|can you help me|can u help me|could you help me": ("en",),
    },
    "greeting": {
        "bonjour|bonsoir|salut|coucou|bonjour madame|bonjour monsieur": ("fr",),
        "hallo|hoi|goeiedag|goedendag|goeiemorgen|goedemorgen|goeienavond|goedenavond|dag": ("nl",),
        "hi|hello|hey|hi there|hello there|hey there|good morning|good afternoon|good evening|hiya|dear amazon":
            ("en",),
    },
    "thanks": {
        "merci|merci beaucoup|merci bien|mille mercis|je vous remercie": ("fr", "nl"),
        "bedankt|dank u|dank je|dankjewel|dankuwel|dank u wel|dank je wel|merci vriendelijk": ("nl",),
        "thanks|thank you|thank u|thx|ty|cheers|many thanks": ("en",),
    },
    "goodbye": {
        "au revoir|bonne journee|bonne soiree|a plus|a bientot": ("fr",),
        "tot ziens|daag|doei|tot later|nog een fijne dag": ("nl",),
        "bye|goodbye|bye bye|see you|have a nice day": ("en",),
    },
}
# Words that may come with small talk without making it a question.
FILLERS = frozenset(
    "ok okay oké oke super top great perfect parfait nickel cool nice graag please pls svp stp aub s'il vous plait "
    "alors euh eh ah oh bon well so much very lot a vraiment echt heel erg veel".split()
)


def _phrases() -> list[tuple[str, str, set[str]]]:
    """(phrase, kind, languages), longest phrase first, so that "merci beaucoup" is taken before "merci"."""
    table: dict[str, tuple[str, set[str]]] = {}
    for kind, options in SMALL_TALK.items():
        for phrases, languages in options.items():
            for phrase in phrases.split("|"):
                table.setdefault(phrase, (kind, set()))[1].update(languages)
    return sorted(((p, k, langs) for p, (k, langs) in table.items()), key=lambda item: -len(item[0]))


PHRASES = _phrases()


def small_talk(text: str) -> tuple[str, tuple[str, ...]] | None:
    """(kind, languages it may be in) when the message is only small talk, else None. The kind is the one
    that asks the most of the assistant: help, then greeting, thanks, goodbye."""
    rest = " " + " ".join(LETTERS.findall(fold(text.replace("’", "'")))) + " "
    found: list[tuple[str, set[str]]] = []
    for phrase, kind, langs in PHRASES:
        while f" {phrase} " in rest:
            rest = rest.replace(f" {phrase} ", " ", 1)
            found.append((kind, langs))
    if not found or any(word not in FILLERS for word in rest.split()):
        return None
    order = list(SMALL_TALK)
    kind = min((k for k, _ in found), key=order.index)
    languages = set.intersection(*(langs for k, langs in found if k == kind))
    return kind, tuple(lang for lang in ("fr", "nl", "en") if lang in languages)


def without_small_talk(text: str) -> str:
    """The question without the greeting, thanks or "I have a question" it opens with, which only blur
    what it asks (a held-out typical question behind "bonjour, " found its section 5.6 points less often)."""
    words = list(LETTERS.finditer(text.replace("’", "'")))
    folded = [fold(w.group()) for w in words]
    start = 0
    while start < len(words):
        for phrase, _, _ in PHRASES:
            parts = phrase.split()
            end = start + len(parts)
            # A whole phrase, not the start of a compound ("hi-fi").
            if folded[start:end] == parts and not text[words[end - 1].end() :].startswith("-"):
                start = end
                break
        else:
            break
    if start == 0 or start >= len(words):
        return text
    return text[words[start].start() :]


class Speller:
    """Mends one-letter typos ("contrloler", "gegvens"), and two-letter ones in long words ("toestming"),
    against the words of one language's notice and typical questions. Only a word that is not a word of the
    language (wordfreq's frequency lists, shipped in the package) is mended: "charged" is never "changed",
    though only the latter is in the notice."""

    MIN_LENGTH = 5  # shorter words are too often another word one letter away
    TWO_LETTERS = 8  # from this length a word may be two letters off, when no word is one letter off
    COMMON = 2.5  # Zipf frequency (log10 of uses per billion words) from which a word is a real word

    def __init__(self, words: Iterable[str], language: str, trusted: Iterable[str] = ()) -> None:
        """`words`: the notice's and its typical questions' words; `trusted`: the notice's own, spelt right
        (the typical questions copy customers' typos, which must not become corrections)."""
        self.language = language
        sure = {w.casefold() for w in trusted}
        counts = Counter(w.casefold() for w in words if len(w) >= self.MIN_LENGTH - 1)
        self.counts = Counter({w: n for w, n in counts.items() if w in sure or self.is_word(w)})
        # Matched without accents, so that "entite" finds "entité" (no edit at all) before "petite".
        self.by_deletion: dict[str, list[str]] = defaultdict(list)
        for word in self.counts:
            plain = fold(word)
            for variant in {plain, *_deletions(plain)}:
                self.by_deletion[variant].append(word)
        self.long_words: dict[str, list[str]] = defaultdict(list)  # accent-free form -> words
        for word in self.counts:
            if len(word) >= self.TWO_LETTERS:
                self.long_words[fold(word)].append(word)

    def is_word(self, word: str) -> bool:
        return zipf_frequency(word, self.language) >= self.COMMON

    def correct(self, text: str) -> str:
        def mend(match: re.Match[str]) -> str:
            word = match.group()
            folded = word.casefold()
            if len(word) < self.MIN_LENGTH or word.isupper() or folded in self.counts or self.is_word(folded):
                return word
            plain = fold(folded)
            same = [c for c in self.by_deletion.get(plain, []) if fold(c) == plain]  # only accents differ
            candidates = same or {c for v in {plain, *_deletions(plain)} for c in self.by_deletion.get(v, [])}
            candidates = {c for c in candidates if abs(len(c) - len(folded)) <= 1} or self.two_letters_off(plain)
            if not candidates:
                return word
            # The fewest edits first ("personels" is "personnels", not the more frequent "personnes"), then use.
            best = min(sorted(candidates), key=lambda c: (OSA.distance(plain, fold(c)), -self.counts[c]))
            return best.capitalize() if word[0].isupper() else best

        return WORD.sub(mend, text)

    def two_letters_off(self, plain: str) -> set[str]:
        """Long words two edits (a transposition counting as one) from an accent-free long word, with the
        same first letter: fast typing drops or doubles letters inside a word far more than at its start."""
        if len(plain) < self.TWO_LETTERS:
            return set()
        near = process.extract(plain, self.long_words.keys(), scorer=OSA.distance, score_cutoff=2, limit=None)
        return {word for form, _, _ in near if form[0] == plain[0] for word in self.long_words[form]}


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
