"""Finding personal names in a message: introduced, addressed by title, signed, or a known first name and surname."""

from __future__ import annotations

import re

from assistant.langpack import RedactionWords
from assistant.privacy_words import PLACEHOLDER, TOKEN, Span, gap, joined
from assistant.text import fold

INITIAL_GAPS = (" ", ". ", ".")


def _phrases(groups: dict[str, set[str]]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Phrases as tuples of folded words, by their first word, longest first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for kind, phrases in groups.items():
        for phrase in phrases:
            words = tuple(fold(t.group()).replace("’", "'") for t in TOKEN.finditer(phrase))
            if words:  # "naam:" is a phrase only with its colon, "i," only with its comma
                mark = phrase.rstrip()[-1] if phrase.rstrip()[-1] in ":," else ""
                table.setdefault(words[0], []).append((words, kind + mark))
    for options in table.values():
        options.sort(key=lambda item: -len(item[0]))
    return table


class NameFinder:
    """Names introduced ("je m'appelle …", "Bram hier"), addressed by title ("mevrouw …"), after a relative ("ma
    fille Inès"), signed after a closing ("Mvg, …") or written as a known first name and a surname ("Jan Peeters");
    then every other mention of them."""

    def __init__(self, words: dict[str, RedactionWords], first_names: frozenset[str], common: frozenset[str],
                 known: frozenset[str] = frozenset()) -> None:  # fmt: skip
        """`common`: everyday words (never a name unless capitalised after a first name); `known`: a larger list
        of the languages' words, which a lower-case word after "my name is" is taken for."""
        self.first_names = first_names
        self.common = common
        self.known = known | common
        self.not_names = frozenset(fold(n) for w in words.values() for n in w.not_names)
        self.particles = frozenset(fold(p) for w in words.values() for p in w.name_particles)
        self.titles = frozenset(fold(t).rstrip(".") for w in words.values() for t in w.titles)
        self.markers = frozenset(fold(m) for w in words.values() for m in w.speaker_markers)
        self.greetings = frozenset(fold(g) for w in words.values() for g in w.greetings)
        self.conjunctions = frozenset(fold(c) for w in words.values() for c in w.conjunctions) | {"&"}
        self.excluded = self.common | self.not_names
        self._shouting = False
        self.phrases = _phrases({
            "sure": {p for w in words.values() for p in w.introductions},
            "maybe": {p for w in words.values() for p in w.maybe_introductions},
            "weak": {p for w in words.values() for p in w.weak_introductions},
            "relation": {p for w in words.values() for p in w.relations},
            "closing": {p for w in words.values() for p in w.closings},
            "title": {p for w in words.values() for p in w.titles},
        })  # fmt: skip

    def spans(self, text: str) -> list[Span]:
        tokens = list(TOKEN.finditer(text))
        folded = [fold(t.group()).replace("’", "'") for t in tokens]
        letters = [c for c in text if c.isalpha()]
        # A message typed in capitals: its words are read as capitalised ones (acronyms can't be told apart then).
        self._shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
        spans: list[Span] = []
        i = 0
        while i < len(tokens):
            if folded[i] in self.markers:
                self._speaker_before(tokens, folded, i, text, spans)
            found = self._phrase_at(folded, i, text, tokens)
            if found is None:
                end = self._full_name_end(tokens, folded, i, text)
                if end is not None and end > i:
                    spans.append(Span(tokens[i].start(), tokens[end - 1].end()))
                    i = end
                else:
                    i += 1
                continue
            length, kind = found
            start = i + length
            if kind == "closing":
                end = self._signature_end(tokens, folded, start, text)
            elif kind == "relation":
                end = self._take(tokens, folded, start, text, "maybe")
            elif kind == "weak":  # "met Femke Op de Beeck": only a capitalised known first name opens a name
                first = tokens[start].group()
                known = first[0].isupper() and folded[start] in self.first_names
                end = self._take(tokens, folded, start, text, "title") if known else start
            else:
                end = self._take(tokens, folded, start, text, kind)
            if end > start:
                spans.append(Span(tokens[start].start(), tokens[end - 1].end()))
            i = max(end, start)
        spans += self._bare_signature(tokens, folded, text)
        if not spans:
            return []
        # Every other mention of a name part of three letters or more ("Marc" after "je m'appelle Marc Dupont").
        parts = {fold(t.group()) for s in spans for t in TOKEN.finditer(text, s.start, s.end)} - self.particles
        parts = {p for p in parts if len(p) >= 3 and p not in self.titles}
        covered = sorted((s.start, s.end) for s in spans)
        more: list[Span] = []
        place = 0
        for k, token in enumerate(tokens):  # one pass over tokens and spans, both in text order
            while place < len(covered) and covered[place][1] <= token.start():
                place += 1
            inside = place < len(covered) and covered[place][0] <= token.start()
            if folded[k] in parts and not inside:
                more.append(Span(token.start(), token.end()))
        return spans + more

    def _phrase_at(self, folded: list[str], i: int, text: str, tokens: list[re.Match[str]]) -> tuple[int, str] | None:
        """(length, kind) of the phrase at token i that a name may follow, if the next token can start the name:
        after spaces only (a colon after "naam:", a comma after a closing, a bracket after a relative)."""
        for phrase, kind in self.phrases.get(folded[i], ()):
            n = len(phrase)
            if tuple(folded[i : i + n]) != phrase or not joined(text, tokens, i, i + n):
                continue
            if i + n >= len(tokens):
                return None
            between = gap(text, tokens, i + n - 1)
            mark = kind[-1] if kind[-1] in ":," else ""
            kind = kind.rstrip(":,")
            allowed = {"closing": " ,.!-\n\r", "relation": " (,", "title": " ."}.get(kind, " ") + mark
            if len(between) > (8 if kind == "closing" else 3) or between.strip(allowed):
                continue
            if mark and mark not in between:
                continue
            return n, kind
        return None

    def _name_word(self, token: str, low: str, strict: bool) -> bool:
        """A word that can be part of a name. Where a name may or may not follow ("je suis …"), a capitalised word
        that is not an everyday word, or a known first name that is capitalised or no everyday word; where one is
        sure to follow, any word that is not an everyday word."""
        if not token[0].isalpha() or PLACEHOLDER.fullmatch(token) or low in self.not_names:
            return False
        capital = token[0].isupper() and (not (token.isupper() and len(token) > 1) or self._shouting)  # not "IA"
        if low in self.first_names and (capital or low not in self.common):
            return True
        if low in self.common:
            return False
        return capital or not strict

    def _take(self, tokens: list[re.Match[str]], folded: list[str], start: int, text: str, kind: str) -> int:
        """The index after the last name word from `start`: at most four words, particles ("van", "de") and
        initials ("J. Fitzgerald") inside."""
        end = start
        while end < len(tokens) and end - start < 6:
            if end > start and not self._name_gap(text, tokens, end - 1):
                break  # punctuation ends a name
            word, low = tokens[end].group(), folded[end]
            conjunction = end > start and low in self.conjunctions and end + 1 < len(tokens)
            if conjunction and joined(text, tokens, end, end + 2):
                following = tokens[end + 1].group()
                if self._name_word(following, folded[end + 1], strict=True):
                    end += 1  # "Claude et Marie", "Ana and Tom"
                    continue
                break
            if kind == "title" and end == start:  # "Mr Smith", "m. verhaegen": a surname may be an everyday word
                if word[0].isalpha() and low not in self.not_names and not PLACEHOLDER.fullmatch(word) and (
                        word[0].isupper() or low not in self.common):  # fmt: skip
                    end += 1
                    continue
                break
            if low in self.particles and end - start < 3 and end + 1 < len(tokens):
                # "van der Berg", but "s'appelle le délégué" is no name: a particle opens one only before a capital.
                following = tokens[end + 1].group()
                if (
                    joined(text, tokens, end, end + 2)
                    and self._name_word(following, folded[end + 1], strict=kind != "sure" or end == start)
                    and (end > start or following[0].isupper())
                ):
                    end += 1
                    continue
                break
            if kind == "sure" and end == start:
                # "my name is jan": whatever word comes first, but a word of the language ("my name is spelled")
                if word[0].isalpha() and low not in self.not_names and (low in self.first_names or (
                        low not in self.common and (word[0].isupper() or low not in self.known))):  # fmt: skip
                    end += 1
                    continue
                break
            after_first = end > start and folded[end - 1] in self.first_names
            if after_first and word[0].isupper() and low not in self.not_names and word[0].isalpha():
                end += 1  # a capitalised word after a first name is its surname, even an everyday word ("Vos")
                continue
            # The first word after "je suis"/"mevrouw" must look like a name; after it, a lower-case word that is
            # not an everyday word is the surname ("ik ben jan peeters").
            if not self._name_word(word, low, strict=kind != "sure" and end == start):
                if end == start and low in self.first_names and end + 1 < len(tokens) and joined(
                        text, tokens, end, end + 2) and tokens[end + 1].group()[0].isalpha() and (
                        folded[end + 1] not in self.excluded):  # fmt: skip
                    end += 2  # "jan peeters": a first name that is also an everyday word, with its surname
                    continue
                break
            end += 1
        while end > start and folded[end - 1] in self.particles:
            end -= 1
        return end

    def _name_gap(self, text: str, tokens: list[re.Match[str]], k: int) -> bool:
        """Tokens k and k+1 belong to one name: spaces only, or a dot after an initial ("J. Fitzgerald")."""
        between = gap(text, tokens, k)
        if len(tokens[k].group()) == 1 and between in INITIAL_GAPS:
            return True
        return len(between) <= 3 and not between.strip(" ")

    def _signature_end(self, tokens: list[re.Match[str]], folded: list[str], start: int, text: str) -> int:
        """After a closing formula, the rest of the message (or of its line) when it is only a name, perhaps with a
        title ("Mrs J. Fitzgerald", "drs. Marloes van der Berg-Smit")."""
        while start < len(tokens) and folded[start] in self.titles:
            start += 1
        end = start
        while end < len(tokens) and end - start < 5 and (end == start or self._name_gap(text, tokens, end - 1)):
            end += 1
        if end == start:
            return start
        rest = text[tokens[end - 1].end() : tokens[end - 1].end() + 400].lstrip(" \t.!,;:)")
        if rest and not rest.startswith(("\n", "\r")):
            return start  # more text follows on the line: not a signature
        first = tokens[start].group()
        if not self._name_word(first, folded[start], strict=True) and not (len(first) == 1 and first.isupper()):
            return start
        for k in range(start + 1, end):
            word, low = tokens[k].group(), folded[k]
            if not (low in self.particles or low in self.conjunctions or word[0].isupper() and low not in
                    self.not_names or self._name_word(word, low, strict=True)):  # fmt: skip
                return start
        return end

    def _bare_signature(self, tokens: list[re.Match[str]], folded: list[str], text: str) -> list[Span]:
        """A name alone at the end of a message, after its last sentence or on its last line ("… ? Raymond")."""
        if len(tokens) < 3 or text[tokens[-1].end() :].strip(" .!\n\r\t"):
            return []  # a short message, or one that goes on after its last word (a question mark, say)
        end = len(tokens)
        start = end - 1
        while start > 0 and end - start < 3 and self._name_gap(text, tokens, start - 1):
            start -= 1
        if start == 0 or not gap(text, tokens, start - 1).strip(" "):
            return []  # it must follow punctuation or a line break
        first, low = tokens[start].group(), folded[start]
        name_like = low in self.first_names or low not in self.known
        if not (first[0].isupper() and name_like and low not in self.not_names):
            return []
        for k in range(start + 1, end):
            if not (folded[k] in self.particles or tokens[k].group()[0].isupper() and folded[k] not in self.not_names):
                return []
        return [Span(tokens[start].start(), tokens[end - 1].end())]

    def _full_name_end(self, tokens: list[re.Match[str]], folded: list[str], i: int, text: str) -> int | None:
        """A capitalised known first name followed by a capitalised surname ("Jan Peeters"): the index after it."""
        word = tokens[i].group()
        if not word[0].isupper() or folded[i] not in self.first_names or folded[i] in self.not_names:
            return None
        if i + 1 < len(tokens) and joined(text, tokens, i, i + 2):
            following = tokens[i + 1].group()
            if following[0].isupper() and following[0].isalpha() and folded[i + 1] not in self.excluded:
                return self._take(tokens, folded, i, text, "title")
            if folded[i + 1] in self.particles and i + 2 < len(tokens) and joined(text, tokens, i + 1, i + 3) and (
                    tokens[i + 2].group()[0].isupper()):  # fmt: skip
                return self._take(tokens, folded, i, text, "title")  # "Femke de Jong-Visser"
        # A first name alone ("the kids' profiles are Olivia and Jack"), unless it is an everyday word ("Grace").
        if len(folded[i]) >= 3 and folded[i] not in self.common:
            return self._take(tokens, folded, i, text, "title")
        return None

    def _speaker_before(self, tokens: list[re.Match[str]], folded: list[str], i: int, text: str,
                        spans: list[Span]) -> None:  # fmt: skip
        """ "Bram hier", "marie-christine o'neill ici": the words just before the marker, when they open the message
        (or follow a greeting or punctuation) and none is an everyday word."""
        start = i
        while start > 0 and i - start < 5 and joined(text, tokens, start - 1, start + 1):
            word, low = tokens[start - 1].group(), folded[start - 1]
            inside = start - 1 > 0 and start < i
            conjunction = (low in self.conjunctions or low in self.particles) and inside
            if low in self.greetings or not (conjunction or self._name_word(word, low, strict=False)
                                             or low in self.first_names):  # fmt: skip
                break
            start -= 1

        def opens_name(k: int) -> bool:  # the name's first word must look like one ("onthaalouder hier" is no name)
            if self._name_word(tokens[k].group(), folded[k], strict=True):
                return True
            following = folded[k + 1] if k + 1 < i else ""
            return (
                folded[k] in self.first_names
                and bool(following)
                and (following not in self.excluded or following in self.particles)
            )

        while start < i and not opens_name(start):
            start += 1
        if start == i:
            return
        opens = start == 0 or folded[start - 1] in self.greetings or gap(text, tokens, start - 1).strip(" ")
        if opens:
            spans.append(Span(tokens[start].start(), tokens[i - 1].end()))
