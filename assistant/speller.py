"""Mending typos: words one letter off a word of the notice or its typical questions, or two off in long words."""

from __future__ import annotations

import bisect
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.lexicon import load_lexicon
from assistant.text import WORD, fold


class Speller:
    """Mends one-letter typos ("contrloler", "gegvens"), and two-letter ones in long words ("toestming"),
    against the words of one language's notice and typical questions. Only a word that is not a word of the
    language (wordfreq's frequency lists, shipped in the package) is mended: "charged" is never "changed",
    though only the latter is in the notice."""

    MIN_LENGTH = 5  # shorter words are too often another word one letter away
    TWO_LETTERS = 8  # from this length a word may be two letters off, when no word is one letter off
    CLIPPED = 3  # letters a word cut short leaves out at least ("notif" of "notification")
    MUCH_MORE_FREQUENT = 1.5  # Zipf points (about 30 times as frequent): a known word swapped from a far commoner one

    def __init__(self, words: Iterable[str], language: str, trusted: Iterable[str] = (), names: Iterable[str] = (),
                 other_languages: Iterable[str] = ()) -> None:  # fmt: skip
        """`words`: the notice's and its typical questions' words; `trusted`: the notice's own, spelt right
        (the typical questions copy customers' typos, which must not become corrections); `names`: companies'
        names, never mended ("shein" is not "hein"); `other_languages`: the other languages served, whose everyday
        words a customer mixes in ("mon order", "de provider") and which are no typos either."""
        self.language = language
        self.lexicon = load_lexicon(language)
        self.names = frozenset(n.casefold() for n in names)
        self.others = tuple(load_lexicon(other) for other in other_languages if other != language)
        self._accented: dict[str, str] | None = None
        # Read as `correct` reads a message: "d'accueil" and "cookie-instellingen" are two words each.
        sure = {part.casefold() for w in trusted for part in WORD.findall(w)}
        parts = (part for w in words for part in WORD.findall(w))
        counts = Counter(w.casefold() for w in parts if len(w) >= self.MIN_LENGTH - 1)
        counts = Counter({w: n for w, n in counts.items() if w in sure or self.is_word(w)})
        # A typical question's misspelling that wordfreq counts as a word ("page d'acceuil") is no word to keep.
        forms = by_form(counts)
        self.counts = Counter({w: n for w, n in counts.items() if w in sure or not self.swapped_commoner(w, forms)})
        self._forms = by_form(self.counts)  # accent-free form -> words: what a known word may be a misspelling of
        self._sorted_forms = sorted(self._forms)  # for the words a clipped word starts
        self._near: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
        self._building = threading.Lock()

    def _near_words(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The words by their one-letter deletions, and the long words by their accent-free form: built at the
        first unknown word, not at start-up (a fifth of a second for three languages, needless for most
        questions)."""
        with self._building:
            if self._near is None:
                # Matched without accents, so that "entite" finds "entité" (no edit at all) before "petite".
                by_deletion: dict[str, list[str]] = defaultdict(list)
                long_words: dict[str, list[str]] = defaultdict(list)  # accent-free form -> words
                for word in self.counts:
                    plain = fold(word)
                    for variant in {plain, *_deletions(plain)}:
                        by_deletion[variant].append(word)
                    if len(word) >= self.TWO_LETTERS:
                        long_words[plain].append(word)
                self._near = by_deletion, long_words
            return self._near

    def accented(self) -> dict[str, str]:
        """The language's everyday words that have accents, by their accent-free form (the most frequent of those
        sharing one): built at the first unknown word, as the deletion tables are."""
        with self._building:
            if self._accented is None:
                found: dict[str, str] = {}
                for word in self.lexicon.top(self.lexicon.common):  # most frequent first
                    plain = fold(word)
                    if plain != word:
                        found.setdefault(plain, word)
                self._accented = found
            return self._accented

    def swapped_commoner(self, word: str, forms: dict[str, list[str]]) -> set[str]:
        """The words of `forms` (by accent-free form) that two neighbouring letters of the word swapped give, and
        that are far more frequent: wordfreq counts common misspellings too ("acceuil", "recieve"). A doubled letter
        swapped gives the word's own form, so an accent-less copy of a far commoner word ("donnees") is one too."""
        plain, least = fold(word), self.lexicon.zipf_of(word) + self.MUCH_MORE_FREQUENT
        swaps = {plain[:i] + plain[i + 1] + plain[i] + plain[i + 2 :] for i in range(len(plain) - 1)}
        return {w for swap in swaps for w in forms.get(swap, []) if self.lexicon.zipf_of(w) >= least}

    def is_word(self, word: str) -> bool:
        return self.lexicon.is_common(word)

    def is_foreign(self, word: str) -> bool:
        """An everyday word of another language served: mixed in, not mistyped ("mijn order", "de provider")."""
        return any(other.is_common(word) for other in self.others)

    def knows(self, word: str) -> bool:
        """A word of the notice, of its customers' questions, or an everyday word of the language."""
        folded = word.casefold()
        return folded in self.counts or self.is_word(folded)

    def correct(self, text: str) -> str:
        def mend(match: re.Match[str]) -> str:
            word = match.group()
            folded = word.casefold()
            if len(word) < self.MIN_LENGTH - 1 or word.isupper() or folded in self.counts or folded in self.names:
                return word
            plain = fold(folded)
            if len(word) < self.MIN_LENGTH:
                return self.dropped_letter(word, plain) or word
            if self.is_word(folded):
                # A word of the language is mended only into a far more frequent word with two letters swapped, and
                # only when no word differs from it by accents alone. Not one letter changed, added or dropped:
                # those are most often another form of the word ("réglez", "régler").
                candidates = set() if plain in self._forms or self.is_foreign(folded) else self.swapped_commoner(
                    folded, self._forms)  # "order" in a French message is English, not "ordre"
            else:
                by_deletion = self._near_words()[0]
                same = {c for c in by_deletion.get(plain, []) if fold(c) == plain}  # only accents differ
                # An everyday word written without its accents ("repondent") is that word, not one letter off another
                # ("reposent"), though the notice never uses it; one of another language served is mixed in, not
                # mistyped ("mon order", "de provider").
                accented = self.accented().get(plain)
                same = same or ({accented} if accented else set())
                if not same and (self.is_foreign(folded) or self.clipped(plain)):
                    return word
                candidates = same or {c for v in {plain, *_deletions(plain)} for c in by_deletion.get(v, [])}
                # Two words sharing a one-letter deletion may be two edits apart ("revendez", "prevenez"): one letter
                # off only, as documented; two are for long words with the same first letter (two_letters_off).
                candidates = {c for c in candidates if OSA.distance(plain, fold(c)) <= 1} or self.two_letters_off(plain)
            if not candidates:
                return word
            # The fewest edits first ("personels" is "personnels", not the more frequent "personnes"), then use.
            best = min(sorted(candidates), key=lambda c: (OSA.distance(plain, fold(c)), -self.counts[c]))
            return best.capitalize() if word[0].isupper() else best

        return WORD.sub(mend, text)

    def dropped_letter(self, word: str, plain: str) -> str | None:
        """The one word of the notice or its questions that a four-letter non-word is with one letter dropped ("stuf":
        "stuff"); not a letter changed or swapped ("mial"), and not where two words fit ("stoe": "store", "stole")."""
        if self.is_word(word.casefold()) or self.is_foreign(word.casefold()) or plain in self._forms:
            return None
        found = {c for c in self._near_words()[0].get(plain, []) if len(fold(c)) == len(plain) + 1}
        if len({fold(c) for c in found}) != 1:
            return None
        best = max(sorted(found), key=lambda c: self.counts[c])
        return best.capitalize() if word[0].isupper() else best

    def clipped(self, plain: str) -> bool:
        """The start of a longer word of the notice or its questions: a word cut short on purpose ("notif",
        "confidentialit"), which mending one letter would turn into another word ("motif")."""
        forms = self._sorted_forms
        at = bisect.bisect_left(forms, plain)  # the forms starting with it follow in order from here
        while at < len(forms) and forms[at].startswith(plain):
            if len(forms[at]) >= len(plain) + self.CLIPPED:
                return True
            at += 1
        return False

    def two_letters_off(self, plain: str) -> set[str]:
        """Long words two edits (a transposition counting as one) from an accent-free long word, with the
        same first letter: fast typing drops or doubles letters inside a word far more than at its start."""
        if len(plain) < self.TWO_LETTERS:
            return set()
        long_words = self._near_words()[1]
        near = process.extract(plain, long_words.keys(), scorer=OSA.distance, score_cutoff=2, limit=None)
        return {word for form, _, _ in near if form[0] == plain[0] for word in long_words[form]}


def by_form(words: Iterable[str]) -> dict[str, list[str]]:
    """The words grouped by their accent-free form."""
    forms: dict[str, list[str]] = defaultdict(list)
    for word in words:
        forms[fold(word)].append(word)
    return dict(forms)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
