"""The pages outside the chat: the notice at /notice/<lang> (a table of contents, an anchor per section id), the demo
help page at /help/<lang> (the notice with the chat widget) and the widget's script at /widget.js."""

from __future__ import annotations

import functools
import json
from html import escape
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from assistant.corpus import Notice, Section, block_text
from assistant.serving import Service
from assistant.ui_text import STRINGS

STYLE = """
:root {color-scheme: light; font-family: system-ui, sans-serif; line-height: 1.5; color: #1f1f1f; background: #fff}
body {margin: 0 auto; max-width: 60rem; padding: 0 1rem 4rem; overflow-wrap: break-word}
h1, h2, h3 {hyphens: auto; overflow-wrap: anywhere}  /* "Verwerkingsverantwoordelijken" on a 390 px screen */
a {color: #0b57d0} a:focus-visible, button:focus-visible {outline: 3px solid #0b57d0; outline-offset: 2px}
header {display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; justify-content: space-between;
        padding: .75rem 0; border-bottom: 1px solid #c4c7c5}
header ul {display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0}
header a {display: inline-block; min-height: 44px; line-height: 44px; padding: 0 .25rem}
[aria-current="page"] {font-weight: 700; color: #1f1f1f}
nav.toc ol {padding-left: 1.5rem} nav.toc li {margin: .25rem 0}
section {scroll-margin-top: 1rem} section:target {background: #fff8c5; outline: 2px solid #8a6d00}
.stale {border-left: 4px solid #8a6d00; background: #fff8c5; padding: .5rem .75rem}
"""


def page_language(request: Request, languages: list[str]) -> str:
    """The first of the browser's languages (Accept-Language) that the notice has; French, the official text, else."""
    for part in request.headers.get("accept-language", "")[:200].split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in languages:
            return code
    return "fr" if "fr" in languages else languages[0]


def _blocks(section: Section) -> str:
    """A section's paragraphs, its `- ` items as one list per run of items."""
    html, items = [], []
    for block in section.blocks:
        if block.startswith("- "):
            items.append(f"<li>{escape(block_text(block))}</li>")
            continue
        if items:
            html.append(f"<ul>{''.join(items)}</ul>")
            items = []
        html.append(f"<p>{escape(block)}</p>")
    if items:
        html.append(f"<ul>{''.join(items)}</ul>")
    return "".join(html)


def notice_html(notices: dict[str, Notice], language: str, stale: frozenset[tuple[str, str]] = frozenset(),
                widget: bool = False) -> str:  # fmt: skip
    """The whole notice in one language: languages, a link to the chat, a table of contents and a section per id
    (`#s-<id>`, stable when a title changes), stale translations marked; with the widget for the demo help page."""
    notice, strings = notices[language], STRINGS[language]
    base = "/help" if widget else "/notice"
    switch = "".join(
        f'<li><a href="{base}/{code}" hreflang="{code}" lang="{code}"'
        f'{" aria-current=page" if code == language else ""}>{code.upper()}</a></li>'
        for code in notices
    )
    toc = "".join(
        f'<li><a href="#s-{escape(s.id)}">{escape(s.id)} {escape(s.title)}</a></li>' for s in notice.sections
    )
    body = []
    for section in notice.sections:
        heading = "h2" if section.level == 1 else "h3"
        mark = f'<p class="stale" role="note">{escape(strings["stale_mark"])}</p>' if (language, section.id) in stale \
            else ""  # fmt: skip
        body.append(f'<section id="s-{escape(section.id)}" aria-labelledby="h-{escape(section.id)}">'
                    f'<{heading} id="h-{escape(section.id)}">{escape(section.id)} {escape(section.title)}</{heading}>'
                    f"{mark}{_blocks(section)}</section>")  # fmt: skip
    title = strings["help_title"] if widget else f"{notice.title} — Amazon.com.be"
    script = f'<script src="/widget.js" data-lang="{language}" defer></script>' if widget else ""
    chat = "" if widget else f'<a href="/?lang={language}">{escape(strings["ask_assistant"])}</a>'
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body><header><nav aria-label="{escape(strings["languages"])}"><ul>{switch}</ul></nav>{chat}</header>
<main><h1>{escape(notice.title)}</h1><p>{escape(notice.meta.get("last_updated_label", ""))}</p>
{"".join(f"<p>{escape(p)}</p>" for p in notice.preamble)}
<nav class="toc" aria-labelledby="toc"><h2 id="toc">{escape(strings["contents"])}</h2><ol>{toc}</ol></nav>
{"".join(body)}
<p><a href="{escape(notice.url)}">{escape(strings["open"])} ↗</a></p></main>{script}</body></html>"""


@functools.cache  # the file and the packs do not change while serving
def widget_script() -> str:
    """The widget's script, with the words it shows in each language written in front of it."""
    keys = ("ask_assistant", "close", "title")
    words = {code: {key: strings[key] for key in keys} for code, strings in STRINGS.items()}
    script = resources.files("assistant").joinpath("static/widget.js").read_text(encoding="utf-8")
    return f"const STRINGS = {json.dumps(words, ensure_ascii=False)};\n{script}"


def add_pages(app: FastAPI, service: Service) -> None:
    """The notice, the demo help page and the widget's script, on the app's own routes (before the chat's)."""

    def stale() -> frozenset[tuple[str, str]]:
        assistant = service.assistant
        return assistant.served.stale if assistant is not None else frozenset()

    def page(language: str, widget: bool) -> Response:
        notices = service.notices
        if language not in notices:
            known = ", ".join(sorted(notices))
            return JSONResponse({"error": f"no notice in that language; the languages are {known}"}, 404)
        return HTMLResponse(notice_html(notices, language, stale(), widget=widget))

    def pages(base: str, widget: bool) -> None:
        """`base` in the browser's language (a redirect) and `base/<lang>`."""

        def here(request: Request) -> Response:
            return RedirectResponse(f"{base}/{page_language(request, list(service.notices))}", status_code=307)

        def in_language(language: str) -> Response:
            return page(language, widget=widget)

        app.add_api_route(base, here, methods=["GET"], include_in_schema=False)
        app.add_api_route(f"{base}/{{language}}", in_language, methods=["GET"], include_in_schema=False)

    pages("/notice", widget=False)
    pages("/help", widget=True)

    @app.get("/widget.js", include_in_schema=False)
    def widget() -> Response:
        return Response(widget_script(), media_type="text/javascript; charset=utf-8",
                        headers={"cache-control": "public, max-age=300"})  # fmt: skip
