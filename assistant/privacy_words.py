"""Finding names and street addresses in a message, word by word, with each language's words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.langpack import RedactionWords
from assistant.text import fold

# Words and numbers with their elisions and hyphens, at most 40 characters: the units both finders walk.
TOKEN = re.compile(r"[^\W_][\w'’-]{0,39}")
HOUSE_NUMBER = re.compile(r"\d{1,4}[a-zA-Z]?(?:-[0-9A-Za-z]{1,4})?")
# The inside of a placeholder ("[NAME]"): never part of a name.
PLACEHOLDER = re.compile(r"NAME|EMAIL|PHONE|ADDRESS|ORDER|IBAN|CARD|NATIONAL_NUMBER|BIRTH_DATE|NUMBER")
# What may follow a house number ("14-III", "3 bis", "12 bus 3", "115 boîte 4", "5/2"), matched at its end.
UNIT = re.compile(r"(?:-[0-9A-Za-z]{1,4}(?![\w-]))?(?:\s?(?:bis|ter)\b)?"
                  r"(?:\s{0,3}(?:/|bus|boîte|boite|bte|b\.|box)\s{0,3}\d{1,4}[a-zA-Z]?)?", re.IGNORECASE)  # fmt: skip
_TOWN = r"[^\W\d_][\w'’-]{1,30}(?:[ -][A-ZÀ-Ý][\w'’-]{1,30}){0,2}"
_POSTCODE_UK = r"(?i:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})(?![\w])"
_EIRCODE = r"[A-Z]\d{2}\s?[A-Z0-9]{4}(?![\w])"
POSTCODE_TOWN = re.compile(
    rf",?\s{{0,3}}(?:[BFL]-|NL-)?(?:\d{{4}}\s?[A-Z]{{2}}(?![\w])|\d{{4,5}})\s{{1,3}}{_TOWN}"
    rf"|,?\s{{0,3}}(?:{_POSTCODE_UK}|{_EIRCODE})(?:,?\s{{1,3}}{_TOWN})?"
    rf"|,?\s{{0,3}}{_TOWN}(?:\s\d{{1,2}})?,?\s{{1,3}}(?:{_POSTCODE_UK}|{_EIRCODE})"
)
IN_TOWN = re.compile(r"\s{1,3}(?:à|a|in|te|at|op)\s{1,3}[A-ZÀ-Ý][\w'’-]{1,30}(?:-[A-ZÀ-Ý][\w'’-]{1,30}){0,2}")
UK_POSTCODE = re.compile(r"(?<![\w])(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}|[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2})(?![\w])")
SPACES = " "
NAME_GAPS = " "
INITIAL_GAPS = (" ", ". ", ".")


def gap(text: str, tokens: list[re.Match[str]], k: int) -> str:
    """What separates token k from token k+1."""
    return text[tokens[k].end() : tokens[k + 1].start()]


def joined(text: str, tokens: list[re.Match[str]], first: int, stop: int) -> bool:
    """True when tokens first..stop-1 are separated by nothing but a few spaces (no punctuation, no line break)."""
    for k in range(first, min(stop, len(tokens)) - 1):
        between = gap(text, tokens, k)
        if len(between) > 3 or between.strip(" "):
            return False
    return True


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


@dataclass
class Span:
    start: int
    end: int


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
                if joined(text, tokens, end, end + 2) and self._name_word(
                    following, folded[end + 1], strict=kind != "sure" or end == start
                ) and (end > start or following[0].isupper()):
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
        """"Bram hier", "marie-christine o'neill ici": the words just before the marker, when they open the message
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
            return folded[k] in self.first_names and bool(following) and (
                following not in self.excluded or following in self.particles)

        while start < i and not opens_name(start):
            start += 1
        if start == i:
            return
        opens = start == 0 or folded[start - 1] in self.greetings or gap(text, tokens, start - 1).strip(" ")
        if opens:
            spans.append(Span(tokens[start].start(), tokens[i - 1].end()))


class AddressFinder:
    """Street addresses in the forms of Belgium, the Netherlands, France, the UK and Ireland, with postcode and
    town: "Rue de la Loi 16", "12 rue de Rivoli", "Kerkstraat 12 bus 3", "Grote Markt 1", "221B Baker Street",
    "Apartment 12B", "Church Lane, Colchester CO7 8SL"."""

    def __init__(self, words: dict[str, RedactionWords]) -> None:
        self.before = frozenset(fold(w) for p in words.values() for w in p.street_words)
        self.weak = frozenset(fold(w) for p in words.values() for w in p.street_words_weak)
        self.suffixes = tuple(sorted({fold(w) for p in words.values() for w in p.street_suffixes}))
        self.after = frozenset(fold(w) for p in words.values() for w in p.street_words_after)
        self.dwellings = frozenset(fold(w) for p in words.values() for w in p.dwelling_words)

    def spans(self, text: str) -> list[Span]:
        tokens = list(TOKEN.finditer(text))
        folded = [fold(t.group()) for t in tokens]
        spans: list[Span] = []
        i = 0
        while i < len(tokens):
            found = self._at(tokens, folded, i, text)
            if found is None:
                i += 1
                continue
            start, last, number_end = found
            end = max(tokens[last].end(), number_end)
            tail = POSTCODE_TOWN.match(text, end) or IN_TOWN.match(text, end)
            if tail:
                end = tail.end()
            spans.append(Span(tokens[start].start(), end))
            while i < len(tokens) and tokens[i].start() < end:
                i += 1
        return spans + self._uk_postcodes(text, tokens, spans)

    def _uk_postcodes(self, text: str, tokens: list[re.Match[str]], found: list[Span]) -> list[Span]:
        """A UK postcode and the capitalised words before it on its line or the line above ("The Old Rectory,
        Church Lane, Colchester CO7 8SL"), for addresses without a house number."""
        spans: list[Span] = []
        starts = {t.start(): k for k, t in enumerate(tokens)}
        for match in UK_POSTCODE.finditer(text):
            if any(s.start <= match.start() < s.end for s in found):
                continue
            k = starts.get(match.start())
            start = match.start()
            if k is not None:
                first = k
                while first > 0 and k - first < 8:
                    between = gap(text, tokens, first - 1)
                    previous = tokens[first - 1].group()
                    if len(between) > 4 or between.strip(" ,\n\r") or not (previous[0].isupper() or previous.isdigit()):
                        break
                    first -= 1
                start = tokens[first].start()
            spans.append(Span(start, match.end()))
        return spans

    def _number_after(self, tokens: list[re.Match[str]], k: int, text: str) -> int | None:
        """The end of a house number at token k, with its "bis" or "bus 3"; None if token k is not one."""
        if k >= len(tokens) or not HOUSE_NUMBER.fullmatch(tokens[k].group()):
            return None
        unit = UNIT.match(text, tokens[k].end())
        return unit.end() if unit else tokens[k].end()

    def _at(self, tokens: list[re.Match[str]], folded: list[str], i: int, text: str) -> tuple[int, int, int] | None:
        """(first token, last token, end of the house number) of an address starting at token i, or None."""
        word, low = tokens[i].group(), folded[i]
        if low in self.before or low in self.weak:  # Rue de la Loi 16; Place Flagey 18, not "ma place 2"
            capital = low in self.before or word[0].isupper()
            for k in range(i + 1, min(i + 7, len(tokens))):
                if not _loosely_joined(text, tokens, k - 1):
                    break
                number_end = self._number_after(tokens, k, text)
                if number_end is not None:
                    return (i, k, number_end) if k > i + 1 and capital else None
                capital = capital or tokens[k].group()[0].isupper()
        if low in self.dwellings and joined(text, tokens, i, i + 2):  # Apartment 12B
            number_end = self._number_after(tokens, i + 1, text)
            if number_end is not None:
                return i, i + 1, number_end
        if word[0].isalpha() and low.endswith(self.suffixes):  # Kerkstraat 12, Grote Markt 1
            number_end = self._number_after(tokens, i + 1, text) if joined(text, tokens, i, i + 2) else None
            if number_end is not None:
                suffix = next(s for s in self.suffixes if low.endswith(s))
                compound = low != suffix  # "kerkstraat", not a bare "markt"
                start = i
                while start > 0 and i - start < 3 and tokens[start - 1].group()[0].isupper() and joined(
                        text, tokens, start - 1, start + 1):  # fmt: skip
                    start -= 1
                tail = POSTCODE_TOWN.match(text, number_end) or number_end > tokens[i + 1].end()
                # A short ending ("-dam", "-hof") also ends town names ("Amsterdam 2"): only with a postcode or unit.
                if (compound and len(suffix) >= 4 or start < i or word[0].isupper() and len(suffix) >= 4) or tail:
                    return start, i + 1, number_end
        if HOUSE_NUMBER.fullmatch(word):
            return self._number_first(tokens, folded, i, text)
        if word[0].isupper() and word[0].isalpha():  # Any Name 5, 1000 Town: only with a postcode
            last = i
            while last + 1 < len(tokens) and last - i < 4 and tokens[last + 1].group()[0].isupper() and joined(
                    text, tokens, last, last + 2):  # fmt: skip
                last += 1
            number_end = self._number_after(tokens, last + 1, text) if joined(text, tokens, last, last + 2) else None
            if number_end is not None and POSTCODE_TOWN.match(text, number_end):
                return i, last + 1, number_end
        return None

    def _number_first(self, tokens: list[re.Match[str]], folded: list[str], i: int,
                      text: str) -> tuple[int, int, int] | None:  # fmt: skip
        """"12 rue de Rivoli" (to the next punctuation or number) and "221B Baker Street"."""
        k = i + 1
        if k < len(tokens) and folded[k] in ("bis", "ter") and joined(text, tokens, i, k + 1):
            k += 1
        if k < len(tokens) and (folded[k] in self.before or folded[k] in self.weak and k + 1 < len(tokens) and tokens[
                k + 1].group()[0].isupper()) and _loosely_joined(text, tokens, k - 1, comma=True):  # fmt: skip
            last = k
            while last + 1 < len(tokens) and last - k < 5 and joined(text, tokens, last, last + 2) and not (
                    tokens[last + 1].group()[0].isdigit()):  # fmt: skip
                last += 1
            return (i, last, tokens[last].end()) if last > k else None
        last = i
        while last + 1 < len(tokens) and last - i < 4 and joined(text, tokens, last, last + 2) and tokens[
                last + 1].group()[0].isalpha():  # fmt: skip
            last += 1
            if folded[last] in self.after and last > i + 1:
                return i, last, tokens[last].end()
        return None


def _loosely_joined(text: str, tokens: list[re.Match[str]], k: int, comma: bool = False) -> bool:
    """Token k and k+1 separated only by spaces, an apostrophe, a dot (abbreviations) or, if allowed, a comma."""
    between = gap(text, tokens, k)
    allowed = " .'’" + ("," if comma else "")
    return len(between) <= 4 and not between.strip(allowed)
