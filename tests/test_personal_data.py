"""Personal details through every path of the running app: the JSON API (answers and error replies), the chat,
ratings and comments (the feedback database), and the server's DEBUG log. 400+ details written outside the
project (tests/data/personal_details.yaml); not one may come out raw anywhere."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.helpers import gradio_event

ITEMS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "data" / "personal_details.yaml").read_text(
    encoding="utf-8"))  # fmt: skip


def leaked(details: list[str], text: str) -> list[str]:
    """The raw details still in the text, each as a whole word ("An" is not found inside "Antwerpen")."""
    return [d for d in details if re.search(r"(?<!\w)" + re.escape(d) + r"(?!\w)", text)]


def outputs(event: object) -> list[Any]:
    """The values a Gradio event sent back to the browser."""
    data = event.get("data") if isinstance(event, dict) else None
    return data if isinstance(data, list) else []


def through_every_path(url: str, item: dict[str, Any]) -> list[str]:
    """One message through the API (with a history), an invalid API body, the chat, a rating and a comment; the
    raw details found in what came back."""
    message, headers = item["message"], {"X-Forwarded-For": f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}
    seen: list[str] = []
    with httpx.Client(timeout=60, headers=headers) as http:
        seen.append(http.post(f"{url}/api/ask", json={"question": message, "history": [message]}).text)
        seen.append(http.post(f"{url}/api/ask", json={"question": [message], "history": message}).text)  # 422
        seen.append(http.post(f"{url}/api/ask", content=message.encode() + b"\xff{", headers={
            "Content-Type": "application/json"}).text)  # fmt: skip
    session = uuid.uuid4().hex
    # The chat shows customers their own message as typed, on their own screen: only the replies are checked.
    # (Outputs: the messages shown, the history state, the question box, the status line, the turns state, the
    # comment row.)
    chat = outputs(gradio_event(url, "chat", [message, None, None, "Auto", "", None], session, headers=headers)[1])
    shown = chat[0] if chat and isinstance(chat[0], list) else []
    seen += [json.dumps(m.get("content")) for m in shown if isinstance(m, dict) and m.get("role") == "assistant"]
    seen.append(json.dumps(chat[3:4]))
    seen.append(json.dumps(gradio_event(url, "feedback", [None, "Auto", ""], session,
                                        {"index": 1, "value": message, "liked": False}, headers=headers)[1]))
    # A comment that could not be saved stays in its box for the customer: only the status shown is checked.
    seen.append(json.dumps(outputs(gradio_event(url, "comment", [message, None, "Auto", ""], session,
                                                headers=headers)[1])[:1]))  # fmt: skip
    return leaked(item["details"], "\n".join(seen))


def test_no_personal_detail_comes_out_of_any_path(server) -> None:  # type: ignore[no-untyped-def]
    assert len(ITEMS) >= 300 and {i["lang"] for i in ITEMS} == {"fr", "nl", "en"}
    with ThreadPoolExecutor(max_workers=4) as pool:
        replies = list(pool.map(lambda item: (item["id"], through_every_path(server["url"], item)), ITEMS))
    assert [(i, found) for i, found in replies if found] == []
    with sqlite3.connect(server["db"]) as connection:
        stored = "\n".join(str(row) for row in connection.execute("SELECT * FROM ratings"))
    assert stored.count("dislike") >= len(ITEMS)  # every rating reached the database...
    log = server["log"].read_text(encoding="utf-8")
    assert "DEBUG" in log or '"debug"' in log.lower()  # ... and the log is at DEBUG
    in_store = [(i["id"], found) for i in ITEMS if (found := leaked(i["details"], stored))]
    in_log = [(i["id"], found) for i in ITEMS if (found := leaked(i["details"], log))]
    assert in_store == [] and in_log == []
