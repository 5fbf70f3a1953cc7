"""The injection guard: attempts to change the assistant's rules or role, or to see its internals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.guards.words import alternatives, gather


def injection_pattern(packs: Iterable[dict[str, Any]]) -> re.Pattern[str]:
    """ "Ignore your rules", "system prompt", "show me your config", "which model do you use", in every language
    of the packs (guards.injection)."""
    data = list(packs)

    def words(key: str, tight: bool = False) -> str:
        """The entries of one list; `tight`: their words may also be written together ("systemprompt")."""
        return alternatives(gather(data, "guards", "injection", key), r"\s*" if tight else r"\s+")

    ignore, rules, phrases = words("ignore_verbs"), words("rule_nouns"), words("phrases", tight=True)
    reveal, internals = words("reveal_verbs"), words("internal_nouns", tight=True)
    which, which_nouns = words("which_words"), words("which_nouns", tight=True)
    return re.compile(
        rf"\b(?:{ignore})\b.{{0,40}}\b(?:{rules})|(?:{phrases})|(?:{reveal})\S{{0,40}}\s.{{0,30}}\b(?:{internals})"
        rf"|\b(?:{which})\b.{{0,20}}\b(?:{which_nouns})\b",
        re.IGNORECASE,
    )
