"""The notice at /notice/<lang>, the demo help page with the chat widget, the widget's script: over real HTTP and in
Debian's headless Chromium against the running app."""

from __future__ import annotations

import re

import httpx
import pytest

from assistant.corpus import load_corpus
from assistant.pages import notice_html
from assistant.settings import Settings
from assistant.ui_text import STRINGS
from tests.test_ui import shot


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_notice_has_a_table_of_contents_and_an_anchor_per_section_id(server, language: str) -> None:  # type: ignore[no-untyped-def]
    response = httpx.get(f"{server['url']}/notice/{language}", timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = response.text
    notice = load_corpus(Settings.from_env().corpus_dir)[language]
    assert f'<html lang="{language}">' in page and page.count("<h1>") == 1
    ids = re.findall(r'<section id="s-([^"]+)"', page)
    assert ids == [s.id for s in notice.sections]  # stable anchors: the section ids, not the titles
    toc = re.findall(r'<li><a href="#s-([^"]+)">', page)
    assert toc == ids
    assert f'href="/?lang={language}"' in page  # back to the chat, in the same language


def test_the_notice_follows_the_browser_and_refuses_unknown_languages(server) -> None:  # type: ignore[no-untyped-def]
    here = httpx.get(f"{server['url']}/notice", headers={"Accept-Language": "nl-BE,nl;q=0.9"}, timeout=30)
    assert here.status_code == 307 and here.headers["location"] == "/notice/nl"
    assert httpx.get(f"{server['url']}/notice", timeout=30).headers["location"] == "/notice/fr"  # the official text
    missing = httpx.get(f"{server['url']}/notice/de", timeout=30)
    assert missing.status_code == 404 and "error" in missing.json()
    hostile = httpx.get(f"{server['url']}/notice/%3Cscript%3E", timeout=30)
    assert hostile.status_code == 404 and "<script>" not in hostile.text


def test_a_stale_translation_is_marked_in_the_notice() -> None:
    notices = load_corpus(Settings.from_env().corpus_dir)
    page = notice_html(notices, "nl", stale=frozenset({("nl", "11")}))
    section = page.split('<section id="s-11"')[1].split("</section>")[0]
    assert STRINGS["nl"]["stale_mark"] in section
    assert page.count(STRINGS["nl"]["stale_mark"]) == 1


def test_the_widget_script_carries_its_words_in_every_language(server) -> None:  # type: ignore[no-untyped-def]
    response = httpx.get(f"{server['url']}/widget.js", timeout=30)
    assert response.status_code == 200 and "javascript" in response.headers["content-type"]
    for language in ("fr", "nl", "en"):
        assert STRINGS[language]["ask_assistant"] in response.text


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
@pytest.mark.parametrize("locale", ["fr-BE", "nl-BE", "en-GB"])
def test_the_help_page_opens_the_chat_in_a_panel(browser, server, locale: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    language = locale[:2]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=locale)
    page = context.new_page()
    page.goto(server["url"] + "/help")
    page.wait_for_url(f"**/help/{language}")
    opener = page.locator(".pna-open")
    assert opener.inner_text() == STRINGS[language]["ask_assistant"]
    assert opener.get_attribute("aria-expanded") == "false"
    opener.focus()
    page.keyboard.press("Enter")
    panel = page.locator(".pna-panel")
    panel.wait_for(state="visible")
    assert opener.get_attribute("aria-expanded") == "true"
    assert f"lang={language}" in (page.locator(".pna-panel iframe").get_attribute("src") or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]  # no sideways scrolling (WCAG 1.4.10)
    if size[0] < 480:  # on a phone the panel takes the whole screen
        box = panel.bounding_box()
        assert box is not None and box["width"] >= size[0] - 1 and box["height"] >= size[1] - 1
    chat = page.frame_locator(".pna-panel iframe")
    box = chat.locator("#question textarea")
    box.wait_for(timeout=60_000)
    chat.locator("#send").filter(has_text=STRINGS[language]["send"]).wait_for(timeout=15_000)  # in the page's language
    box.fill({"fr": "Vous vendez mes données ?", "nl": "Verkopen jullie mijn gegevens?", "en": "Do you sell my data?"
              }[language])  # fmt: skip
    box.press("Enter")
    chat.locator(f"#chatbot [data-testid='bot'] a[href*='/notice/{language}#s-']").first.wait_for(timeout=30_000)
    shot(page, f"help-widget-{language}-{size[0]}")
    box.press("Escape")  # pressed inside the chat: the help page closes the panel
    panel.wait_for(state="hidden", timeout=5_000)
    assert page.evaluate("document.activeElement.className") == "pna-open"
    context.close()
