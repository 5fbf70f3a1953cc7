"""The agent desk at /agent in Debian's headless Chromium: FR, NL and EN side by side, results that follow the
language and the row clicked, a ready answer copied as plain text, the whole notice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.test_ui import shot


@pytest.fixture
def page(browser, server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB",
                                  permissions=["clipboard-read", "clipboard-write"])  # fmt: skip
    page = context.new_page()
    page.goto(server["url"] + "/agent")
    page.wait_for_selector("#lookup-query textarea, #lookup-query input", timeout=60_000)
    yield page
    context.close()


def search(page: Page, query: str, section: str) -> None:
    page.locator("#lookup-query textarea, #lookup-query input").first.fill(query)
    page.click("#lookup-search")
    page.wait_for_function("s => document.querySelector('#text-nl').innerText.includes(s)", arg=section,
                           timeout=30_000)  # fmt: skip


def test_agent_lookup_shows_three_languages_side_by_side(page: Page) -> None:
    search(page, "how long do you keep my data", "11")
    texts = {lang: page.locator(f"#text-{lang}").inner_text() for lang in ("fr", "nl", "en")}
    labels = [page.locator(f"#label-{lang}").inner_text() for lang in ("fr", "nl", "en")]
    assert [label[:2] for label in labels] == ["FR", "NL", "EN"]
    assert "conservons" in texts["fr"] and "bewaren" in texts["nl"] and "keep" in texts["en"]
    ready = page.locator("#ready-answer textarea").input_value()
    assert "section 11" in ready and "amazon.com.be" in ready
    shot(page, "agent-lookup")


def test_agent_desk_notice_tab_shows_every_section(page: Page) -> None:
    page.get_by_role("tab", name="Notice").click()
    page.locator("#notice-language").get_by_text("NL", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('#notice').innerText.includes('Hoe lang bewaren')", timeout=10_000
    )
    headings = page.locator("#notice h2, #notice h3")
    assert headings.count() >= 38
    shot(page, "agent-notice-nl")


def test_the_ready_answer_follows_the_language_and_the_row_and_copies_as_plain_text(page: Page) -> None:
    search(page, "comment retirer mon consentement", "3.9")
    ready = page.locator("#ready-answer textarea")
    assert ready.input_value().startswith("D'après la section 3.9")
    page.locator("#ready-answer button[aria-label*='opy' i]").first.click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == ready.input_value()  # exactly what is shown: plain text, the section and the notice's address
    assert "section 3.9" in copied and "https://www.amazon.com.be/" in copied
    assert not any(mark in copied for mark in ("&#x27;", "&amp;", "**", "\\", "<", "> "))
    page.locator("#lookup-language").get_by_text("NL", exact=True).click()  # another language: the same search again
    page.wait_for_function("() => document.querySelector('#ready-answer textarea').value.startsWith('Volgens sectie')",
                           timeout=30_000)  # fmt: skip
    second = page.locator("#lookup-results [data-testid='cell-1-0']").inner_text().strip()
    page.locator("#lookup-results [data-testid='cell-1-1']").click()  # a click anywhere on a row chooses it
    page.wait_for_function("s => document.querySelector('#ready-answer textarea').value.includes('sectie ' + s + ' ')",
                           arg=second, timeout=30_000)  # fmt: skip
    assert page.locator("#lookup-section input").input_value() == second
    shot(page, "agent-desk")
