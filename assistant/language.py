"""Which language a question is in: fr, nl or en, another language, or unknown (too short to tell)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from langdetect import DetectorFactory, LangDetectException, detect_langs

from assistant.text import TOKEN, fold

DetectorFactory.seed = 0  # langdetect is random otherwise


def folded_words(words: Iterable[str]) -> list[str]:
    """Words folded, with elisions split off ("l'âge" -> "l", "age"), in running order."""
    return [fold(part) for word in words for part in re.split(r"['’]", word) if part]


def word_parts(token: str) -> list[str]:
    """A token and, for a hyphenated compound ("alexa-opnames"), each of its parts."""
    parts = token.split("-")
    return [token, *parts] if len(parts) > 1 else [token]


STEM_MIN = 7  # the shortest typed word read as another form of a longer word of one language


def decisively_ahead(votes: float, others: float) -> bool:
    """One language's function-word votes settle it against another's: at least one, and twice theirs and a half."""
    return votes >= 1 and votes >= 2 * others + 0.5


class LanguageGuesser:
    """Combines function words, words found in only one language's samples, word order, and langdetect."""

    def __init__(self, function_words: dict[str, frozenset[str]],
                 vocabularies: Mapping[str, Iterable[str]] | None = None) -> None:  # fmt: skip
        """`function_words`: each served language's short words (its language pack), which settle short
        questions where langdetect is poor; `vocabularies`: each language's words in running order (its notice
        and typical questions)."""
        self.languages = tuple(function_words)
        self.function_words = function_words
        # Words that occur repeatedly in one language's notice and never in the others' (e.g. "gegevens",
        # "données"); short words are left out, being too often shared with the other languages.
        self.unique_words: dict[str, str] = {}
        # Pairs of words found in several languages that follow each other in only one of them: word
        # order ("âge minimum" / "minimum age") tells questions whose every word is shared.
        self.unique_pairs: dict[tuple[str, str], str] = {}
        self.stem_words: dict[str, str] = {}
        self.known_words: dict[str, frozenset[str]] = {}  # every word (folded) of each language's samples
        if not vocabularies:
            return
        running = {lang: [w.casefold() for w in words] for lang, words in vocabularies.items()}
        # Folded, so that a word typed without its accents ("personnalisees") still counts.
        counts = {lang: Counter(fold(p) for w in words for p in word_parts(w)) for lang, words in running.items()}
        for lang, counter in counts.items():
            others = set().union(*(set(c) for other, c in counts.items() if other != lang))
            self.unique_words.update(
                {word: lang for word, n in counter.items() if n >= 2 and len(word) >= 6 and word not in others}
            )
        # Another form of such a word ("verwijder" beside "verwijderen", "supprime" beside "supprimer"): a typed word
        # that begins every known word of one language only with it, whatever they share.
        stems: dict[str, set[str]] = {}
        for lang, counter in counts.items():
            for word in counter:
                for end in range(STEM_MIN, len(word) + 1):
                    stems.setdefault(word[:end], set()).add(lang)
        self.stem_words = {stem: next(iter(langs)) for stem, langs in stems.items() if len(langs) == 1}
        self.known_words = {lang: frozenset(counter) for lang, counter in counts.items()}
        folded = {lang: folded_words(words) for lang, words in running.items()}
        seen_in = Counter(w for words in folded.values() for w in set(words))
        pairs = {
            lang: {(a, b) for a, b in zip(words, words[1:], strict=False) if seen_in[a] > 1 and seen_in[b] > 1}
            for lang, words in folded.items()
        }
        for lang, own in pairs.items():
            elsewhere: set[tuple[str, str]] = set().union(*(p for other, p in pairs.items() if other != lang))
            self.unique_pairs.update(dict.fromkeys(own - elsewhere, lang))

    def votes(self, text: str) -> dict[str, float]:
        votes = dict.fromkeys(self.languages, 0.0)
        for token in TOKEN.findall(text.casefold()):
            for part in re.split(r"['’]", token):
                for lang in self.languages:
                    if part in self.function_words[lang]:
                        votes[lang] += 1.0
            for part in word_parts(token):
                if (folded := fold(part)) in self.unique_words:
                    votes[self.unique_words[folded]] += 1.5
                    break
                if folded in self.stem_words:
                    votes[self.stem_words[folded]] += 1.0
                    break
        return votes

    def carries(self, text: str, language: str) -> bool:
        """The message has function words of `language` and no other language outvotes it decisively ("je sais
        en enlever ?": "je" and "en" are Dutch words too, "sais" is French)."""
        votes = self.votes(text)
        own = votes.get(language, 0.0)
        return own >= 1 and not any(decisively_ahead(v, own) for lang, v in votes.items() if lang != language)

    def all_known_in(self, text: str, language: str) -> bool:
        """Every word of the message is a word of `language`'s samples ("en mois ?" is French as much as Dutch)."""
        known = self.known_words.get(language, frozenset())
        parts = [fold(p) for token in TOKEN.findall(text.casefold()) for p in word_parts(token)]
        return bool(known) and bool(parts) and all(p in known for p in parts)

    def pair_votes(self, text: str) -> dict[str, float]:
        """One vote per pair of adjacent words whose order is found in only one language."""
        votes = dict.fromkeys(self.languages, 0.0)
        words = folded_words(TOKEN.findall(text))
        for pair in zip(words, words[1:], strict=False):
            if pair in self.unique_pairs:
                votes[self.unique_pairs[pair]] += 1.0
        return votes

    def detect(self, text: str) -> str | None:
        """A served language's code, 'other' (clearly another language), or None when it cannot tell."""
        words = TOKEN.findall(text)
        if not words:
            return None
        votes = self.votes(text)
        ranked = sorted(votes.items(), key=lambda kv: kv[1], reverse=True)
        (best, best_votes), (_, second_votes) = ranked[0], ranked[1]
        decisive = decisively_ahead(best_votes, second_votes)
        if decisive and best_votes >= 0.4 * len(words):
            return best  # plainly ours: langdetect (the slowest step of a question) is not needed
        detected = self._langdetect(text)
        if detected is not None:
            lang, probability = detected
            # Another language, confidently: few of its words are French, Dutch or English function words.
            if lang not in self.languages and probability >= 0.9 and len(words) >= 4 and best_votes < 0.4 * len(words):
                return "other"
        if decisive:
            return best
        if detected is not None:
            lang, probability = detected
            if lang in self.languages and probability >= 0.8 and len(words) >= 3:
                return lang
        if best_votes >= 1 and best_votes > second_votes:
            return best
        if best_votes == 0:
            # Every word is shared by our languages: only their order can tell.
            pair_ranked = sorted(self.pair_votes(text).items(), key=lambda kv: kv[1], reverse=True)
            if pair_ranked[0][1] > pair_ranked[1][1]:
                return pair_ranked[0][0]
        return None

    def _langdetect(self, text: str) -> tuple[str, float] | None:
        """langdetect's best guess among all its languages, folded onto ours where it confuses them."""
        try:
            guesses = detect_langs(text)
        except LangDetectException:
            return None
        if not guesses:
            return None
        # Informal or misspelt Dutch often comes out as Afrikaans: count it as Dutch.
        probabilities: dict[str, float] = {}
        for guess in guesses:
            lang = "nl" if guess.lang == "af" else guess.lang
            probabilities[lang] = probabilities.get(lang, 0.0) + guess.prob
        if (
            any(probabilities.get(lang, 0.0) >= 0.05 for lang in self.languages)
            and max(probabilities, key=probabilities.__getitem__) not in self.languages
        ):
            return None  # another language is likelier, but ours is plausible: no verdict
        lang = max(probabilities, key=probabilities.__getitem__)
        return lang, probabilities[lang]


def choose_language(
    detected: str | None,
    explicit: str | None,
    conversation: str | None,
    default: str,
    languages: tuple[str, ...],
    fallback: str,
) -> tuple[str, bool]:
    """The language to answer in, and whether the question was in an unsupported language (answered in the
    `fallback`, the assistant's default language)."""
    if explicit in languages:
        return explicit, False  # an explicit choice always wins
    if detected in languages:
        return detected, False
    if detected == "other":
        return fallback, True
    return (conversation if conversation in languages else default), False
