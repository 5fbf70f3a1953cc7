"""The web interface in a real browser (Debian's headless Chromium driven by Playwright) against the running app."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from assistant.settings import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "tests" / "screenshots"


@pytest.fixture
def page(browser, server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))  # type: ignore[attr-defined]
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea, #question input", timeout=60_000)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def ask(page: Page, text: str) -> None:
    before = page.locator("#chatbot .message-row, #chatbot [data-testid='bot']").count()
    page.locator("#question textarea, #question input").first.fill(text)
    page.click("#send")
    page.wait_for_function(
        "n => document.querySelectorAll(\"#chatbot .message-row, #chatbot [data-testid='bot']\").length > n",
        arg=before,
        timeout=30_000,
    )
    page.wait_for_timeout(1500)  # let the streamed answer finish


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        ("Comment retirer mon consentement ?", "D'après la section"),
        ("Hoe lang bewaren jullie mijn gegevens?", "Volgens sectie 11"),
        ("Who is the data controller?", "According to section 1"),
    ],
)
def test_a_question_in_each_language_gets_a_cited_answer(page: Page, question: str, lead: str) -> None:
    ask(page, question)
    chat = page.locator("#chatbot")
    assert lead in chat.inner_text()
    shot(page, f"chat-{lead.split()[0].lower().strip(chr(39))}")


def test_sources_open_with_quote_and_official_link(page: Page) -> None:
    ask(page, "How do I withdraw my consent?")
    page.get_by_text("Sources", exact=True).last.click()
    page.wait_for_timeout(500)
    links = page.locator("#chatbot a[href*='amazon.com.be']")
    assert links.count() >= 1
    assert "/-/en/" in (links.first.get_attribute("href") or "")
    assert "§ " in page.locator("#chatbot").inner_text()
    shot(page, "sources-open")


def test_language_selector_changes_the_interface_strings(page: Page) -> None:
    box = page.locator("#question textarea, #question input").first
    assert "Ask about" in (box.get_attribute("placeholder") or "")
    assert "Questions about your personal data" in page.locator("#chatbot").inner_text()
    page.locator("#language").get_by_text("FR", exact=True).click()
    page.wait_for_function("() => document.querySelector('#send').innerText.includes('Envoyer')", timeout=10_000)
    assert "Posez votre question" in (box.get_attribute("placeholder") or "")
    assert "Une question sur vos données" in page.locator("#chatbot").inner_text()
    page.get_by_text("Essayez une question").wait_for(timeout=10_000)  # examples: French label and questions only
    assert page.get_by_text("Vous revendez mes données ?").count() >= 1
    assert page.get_by_text("Who is responsible for my data?").count() == 0
    page.locator("#language").get_by_text("NL", exact=True).click()
    page.wait_for_function("() => document.querySelector('#send').innerText.includes('Verzenden')", timeout=10_000)
    assert "Stel uw vraag" in (box.get_attribute("placeholder") or "")
    assert "privacyverklaring" in page.locator("#disclaimer").inner_text()
    page.get_by_text("Assistent", exact=True).wait_for(timeout=10_000)
    shot(page, "language-nl")


def test_like_is_stored_in_sqlite_with_personal_data_redacted(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    assert "days" in page.locator("#kept").inner_text()  # the chat says what a rating keeps, and how long
    ask(page, "My email is jan.peeters@example.be, do you sell my data?")
    page.locator("#chatbot button[aria-label='Like']").last.click()
    page.wait_for_function("() => document.querySelector('#status').innerText.includes('saved')", timeout=10_000)
    with sqlite3.connect(server["db"]) as connection:
        rows = connection.execute("SELECT question, rating, cited FROM ratings").fetchall()
    assert any(q == "My email is [EMAIL], do you sell my data?" and r == "like" and c != "[]" for q, r, c in rows)
    assert not any("jan.peeters" in q for q, _, _ in rows)
    shot(page, "liked")


def test_markdown_typed_by_the_customer_is_shown_as_text_and_nothing_leaves_for_another_host(
    page: Page, server  # type: ignore[no-untyped-def]
) -> None:
    own = urlparse(server["url"]).netloc
    elsewhere: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url) if urlparse(request.url).netloc != own else None)
    image = "![x](http://127.0.0.2:9/pixel.png)"
    link = "[click here](https://evil.example/steal) and www.evil.example"
    ask(page, f"{image} {link}")
    page.wait_for_timeout(1000)
    chat = page.locator("#chatbot")
    assert "![x](http://127.0.0.2:9/pixel.png)" in chat.inner_text()
    assert "[click here](https://evil.example/steal)" in chat.inner_text()
    assert page.locator("#chatbot img[src*='pixel']").count() == 0
    assert page.locator("#chatbot a[href*='evil']").count() == 0
    hosts = {urlparse(href).netloc for href in page.eval_on_selector_all("#chatbot a[href]", "a => a.map(x => x.href)")}
    assert hosts <= {own, "www.amazon.com.be"}, hosts
    assert elsewhere == []
    shot(page, "markdown-as-text")


@pytest.mark.parametrize("payload", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"])
def test_markup_is_shown_as_text_and_never_runs(page: Page, payload: str) -> None:
    ask(page, payload)
    page.wait_for_timeout(1000)
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert payload in page.locator("#chatbot").inner_text()
    assert page.locator("#chatbot img[src='x']").count() == 0
    shot(page, "markup-" + ("img" if "img" in payload else "script"))


def test_agent_lookup_shows_three_languages_side_by_side(page: Page) -> None:
    page.get_by_role("tab", name="Agent lookup").click()
    page.locator("#lookup-query textarea, #lookup-query input").first.fill("how long do you keep my data")
    page.click("#lookup-search")
    page.wait_for_function("() => document.querySelector('#text-nl').innerText.includes('11')", timeout=30_000)
    texts = {lang: page.locator(f"#text-{lang}").inner_text() for lang in ("fr", "nl", "en")}
    assert "conservons" in texts["fr"] and "bewaren" in texts["nl"] and "keep" in texts["en"]
    ready = page.locator("#ready-answer textarea").input_value()
    assert "section 11" in ready and "amazon.com.be" in ready
    shot(page, "agent-lookup")


def test_notice_tab_shows_every_section_with_a_link(page: Page) -> None:
    page.get_by_role("tab", name="Notice").click()
    page.locator("#notice-language").get_by_text("NL", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('#notice').innerText.includes('Hoe lang bewaren')", timeout=10_000
    )
    headings = page.locator("#notice h2, #notice h3")
    assert headings.count() >= 38
    anchors = page.locator("#notice h2 a[href^='#'], #notice h3 a[href^='#'], #notice h2[id], #notice h3[id]")
    assert anchors.count() >= 38
    shot(page, "notice-nl")


def test_auto_mode_answers_one_word_questions_in_the_browser_language(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-BE")
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea, #question input", timeout=60_000)
    page.wait_for_timeout(1000)
    ask(page, "cookies?")
    assert "Volgens sectie" in page.locator("#chatbot").inner_text()
    context.close()


def last_answer(page: Page) -> str:
    """The latest reply's text (each reply is followed by its own "Sources" message)."""
    texts = page.locator("#chatbot [data-testid='bot']").all_inner_texts()
    replies = [t.strip() for t in texts if not t.strip().startswith(("Bronnen", "Sources"))]
    return replies[-1] if replies else ""


def test_a_conversation_keeps_its_topic_until_a_new_conversation_is_started(browser, server) -> None:  # type: ignore[no-untyped-def]
    """Four turns in Dutch (nl-BE browser) with one change of topic, then "New conversation": the engine forgets
    the earlier turns as the screen does, so an elliptical question is read alone, as the stateless API reads it."""
    import httpx

    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-BE")
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea, #question input", timeout=60_000)
    conversation = [
        ("Hoe trek ik mijn toestemming in?", "Volgens sectie 3.9 "),
        ("en waar vind ik die instellingen?", "Volgens sectie 9 "),  # read with the topic: the choices of section 9
        ("andere vraag: verkopen jullie mijn gegevens?", "Volgens sectie 5 "),  # the topic changes
        ("en mijn adres, krijgen de verkopers dat?", "Volgens sectie 5 "),
    ]
    for question, lead in conversation:
        ask(page, question)
        assert last_answer(page).startswith(lead), (question, last_answer(page)[:80])
    trash = "#chatbot button[aria-label='Gesprek wissen'], #chatbot button[aria-label='Clear']"  # Gradio's, translated
    for reset in ("#clear", trash):  # our "New conversation" button, then the chat's own trash icon
        page.locator(reset).first.click()
        page.wait_for_function("() => !document.querySelector(\"#chatbot [data-testid='bot']\")", timeout=10_000)
        ask(page, "en waar vind ik die instellingen?")
        alone = httpx.post(f"{server['url']}/api/ask", json={"question": "en waar vind ik die instellingen?",
                                                             "default_lang": "nl"}, timeout=30).json()  # fmt: skip
        answer = last_answer(page)
        assert answer.startswith(alone["answer"][:40]) and not answer.startswith("Volgens sectie 9 ")
        ask(page, "Hoe lang bewaren jullie mijn gegevens?")
        assert "sectie 11 " in last_answer(page)
    shot(page, "new-conversation-nl")
    context.close()


@pytest.mark.parametrize(
    ("locale", "query", "language"),
    [("nl-BE", "", "nl"), ("fr-BE", "", "fr"), ("en-GB", "?lang=nl", "nl"), ("nl-BE", "?lang=en", "en")],
)
def test_the_first_screen_is_in_the_page_language(browser, server, locale: str, query: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """The browser's language, or ?lang= first: the interface's own strings in it before anything is asked."""
    from assistant.ui_text import STRINGS

    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale=locale)
    page = context.new_page()
    page.goto(server["url"] + "/" + query)
    page.wait_for_selector("#question textarea, #question input", timeout=60_000)
    strings = STRINGS[language]
    page.wait_for_function("text => document.querySelector('#send').innerText.trim() === text", arg=strings["send"],
                           timeout=15_000)  # fmt: skip
    assert page.locator("#clear").inner_text().strip() == strings["clear"]
    placeholder = page.locator("#question textarea, #question input").first.get_attribute("placeholder")
    assert placeholder == strings["placeholder"]
    assert strings["kept"].split("{")[0].strip()[:30] in page.locator("#kept").inner_text()
    context.close()
