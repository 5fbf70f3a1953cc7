"""Finding street addresses in a message, with their postcode and town, in the forms of the languages' countries."""

from __future__ import annotations

import re

from assistant.langpack import RedactionWords
from assistant.privacy_words import TOKEN, Span, gap, joined
from assistant.text import fold

HOUSE_NUMBER = re.compile(r"\d{1,4}[a-zA-Z]?(?:-[0-9A-Za-z]{1,4})?")
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
        """ "12 rue de Rivoli" (to the next punctuation or number) and "221B Baker Street"."""
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
