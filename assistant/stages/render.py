"""Stage 10, render: the reply's text in the customer's language, each quote introduced by its section."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.served import Served
from assistant.stages.abstain import ranked_sections
from assistant.turn import Turn


def language_name(served: Served, language: str, other: str) -> str:
    """The other language's name as `language` writes it ("néerlandaise", "Dutch")."""
    names = served.pack(language).get("language_names") or {}
    return str(names.get(other) or served.pack(other).name)


def run(turn: Turn, served: Served) -> None:
    """Reads `citations`, `language`, `unsupported`, `asks_action`, `notice_date` and `partial`; adds the reply."""
    paragraphs = []
    for rank, citation in enumerate(turn.citations):
        lead = served.template(turn.language, "lead_in" if rank == 0 else "also", id=citation.section_id,
                               title=citation.title)  # fmt: skip
        if citation.language != turn.language:
            note = "stale_note" if (turn.language, citation.section_id) in served.stale else "fallback_note"
            citation.note = served.template(turn.language, note,
                                            lang=language_name(served, turn.language, citation.language))  # fmt: skip
            lead += " " + citation.note
        paragraphs.append(f"{lead} {citation.quote}")
    opening = []
    if turn.unsupported:
        opening.append(served.template(turn.language, "unsupported"))
    if turn.asks_action:  # "stop the e-mails": the assistant cannot, the notice says how
        opening.append(served.template(turn.language, "action"))
    if turn.notice_date:  # "when was the notice last updated?": the date at its top answers
        opening.append(served.template(turn.language, "notice_date", label=turn.notice_date))
    if turn.partial:  # said first: the notice does not state the fact asked
        opening.append(served.template(turn.language, "partial", fact=served.precise.name(turn.partial, turn.language)))
    text = "\n\n".join([*opening, *paragraphs])
    turn.reply = Answer(question=turn.redacted, language=turn.language, answer=text, abstained=False,
                        citations=turn.citations, sections=ranked_sections(turn, served),
                        partial=turn.partial is not None, opening="\n\n".join(opening))  # fmt: skip
