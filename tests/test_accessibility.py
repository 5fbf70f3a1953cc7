"""WCAG 2.1 AA on every view (axe-core, shipped by axe-playwright-python, in Debian's headless Chromium) and the
customer chat used with the keyboard alone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.test_ui import ask

AXE = Axe()
VIEWS = ["/", "/?lang=nl", "/agent", "/notice/fr", "/notice/nl", "/notice/en", "/help/fr", "/help/nl"]


def serious(page: Page) -> list[str]:
    """axe's critical and serious violations on the page as it stands, one line each."""
    found = AXE.run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}).response["violations"]
    return [f"{v['impact']} {v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found
            if v["impact"] in ("critical", "serious")]  # fmt: skip


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
@pytest.mark.parametrize("path", VIEWS)
def test_no_critical_or_serious_violation(browser, server, path: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="fr-BE")
    page = context.new_page()
    page.goto(server["url"] + path)
    if path.startswith("/help"):
        page.locator(".pna-open").click()
        page.frame_locator(".pna-panel iframe").locator("#question textarea").wait_for(timeout=60_000)
    elif not path.startswith("/notice"):
        page.wait_for_selector("#question textarea, #lookup-query textarea, #lookup-query input", timeout=60_000)
        page.wait_for_timeout(1000)
    if path.startswith("/?") or path == "/":  # with an answer on screen: the highlight, the fold, the suggestions
        ask(page, "Comment retirer mon consentement ?")
    assert serious(page) == []
    context.close()


def test_the_chat_works_with_the_keyboard_alone(browser, server) -> None:  # type: ignore[no-untyped-def]
    """Type and send, open the folded quote, rate an answer (👎 opens the comment box), ask a suggestion."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea", timeout=60_000)

    def tab_to(selector: str, most: int = 40) -> None:
        """Tab forward to the element, or Shift+Tab back to it when it stands above the focus."""
        for key in ("Tab", "Shift+Tab"):
            for _ in range(most):
                page.keyboard.press(key)
                if page.evaluate("s => document.activeElement.matches(s)", selector):
                    return
        raise AssertionError(f"{selector} is not reachable with Tab")

    tab_to("#question textarea")
    page.keyboard.type("How do I withdraw my consent?")
    page.keyboard.press("Enter")
    page.locator("#chatbot [data-testid='bot'] details").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    tab_to("#chatbot details summary")
    page.keyboard.press("Enter")
    assert page.locator("#chatbot details").last.get_attribute("open") is not None
    tab_to("#chatbot button[aria-label='Dislike']")
    page.keyboard.press("Enter")
    page.locator("#comment textarea").wait_for(state="visible", timeout=10_000)
    tab_to("#chatbot button.option")
    suggestion = page.evaluate("document.activeElement.innerText").strip()
    page.keyboard.press("Enter")
    page.wait_for_function("s => [...document.querySelectorAll(\"#chatbot [data-testid='user']\")].some("
                           "m => m.innerText.trim() === s)", arg=suggestion, timeout=30_000)  # fmt: skip
    context.close()
