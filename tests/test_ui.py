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
    """Send a message and wait for its reply (the customer's own message shows at once, the reply after it)."""
    before = page.locator("#chatbot [data-testid='bot']").count()
    page.locator("#question textarea, #question input").first.fill(text)
    page.click("#send")
    page.wait_for_function("n => document.querySelectorAll(\"#chatbot [data-testid='bot']\").length > n",
                           arg=before, timeout=30_000)  # fmt: skip
    page.wait_for_timeout(1500)  # let the streamed answer finish


def cited(page: Page) -> list[str]:
    """The sections the latest reply cites, from its links to this app's notice (`/notice/<lang>#s-<id>`)."""
    replies = page.locator("#chatbot [data-testid='bot']")
    if replies.count() == 0:
        return []
    hrefs = replies.last.locator("a[href*='/notice/']").evaluate_all("links => links.map(a => a.href)")
    return list(dict.fromkeys(href.split("#s-")[1] for href in hrefs if "#s-" in href))


@pytest.mark.parametrize(
    ("question", "section", "language"),
    [
        ("Comment retirer mon consentement ?", "3.9", "fr"),
        ("Hoe lang bewaren jullie mijn gegevens?", "11", "nl"),
        ("Who is the data controller?", "1", "en"),
    ],
)
def test_a_question_in_each_language_gets_a_cited_answer(page: Page, question: str, section: str, language: str
                                                         ) -> None:  # fmt: skip
    ask(page, question)
    assert cited(page)[:1] == [section]
    reply = page.locator("#chatbot [data-testid='bot']").last
    assert f"§ {section} ·" in reply.inner_text()
    # The citation links to the section in this app's notice, in the customer's language, and to the official page.
    assert reply.locator(f"a[href$='/notice/{language}#s-{section}']").count() == 1
    assert reply.locator("a[href^='https://www.amazon.com.be/']").count() >= 1
    shot(page, f"chat-{language}")


def test_the_answer_opens_with_its_best_sentence_and_folds_the_rest(page: Page, server) -> None:  # type: ignore[no-untyped-def]
    import httpx

    question = "How long do you keep my personal information?"
    ask(page, question)
    data = httpx.post(f"{server['url']}/api/ask", json={"question": question}, timeout=30).json()
    first = data["citations"][0]
    reply = page.locator("#chatbot [data-testid='bot']").last
    highlighted = reply.locator("mark").first.inner_text().strip()
    assert highlighted == first["highlight"] and highlighted in first["quote"]
    # Nothing but the notes said first (here: the notice states no duration) comes before the best sentence.
    before = reply.inner_text().split(highlighted)[0]
    assert before.strip() == "" or before.strip().startswith("The privacy notice does not state"), before
    fold = reply.locator("details")
    assert fold.count() == 1 and fold.get_attribute("open") is None  # the rest is folded
    fold.locator("summary").click()
    page.wait_for_timeout(300)
    text = reply.inner_text()
    assert text.count(highlighted) == 1  # each quoted sentence is shown once
    rest = [part.strip() for part in first["quote"].split(highlighted) if part.strip(" […]")]
    assert all(part.strip(" […]")[:40] in text for part in rest)
    # The section link opens this app's notice at that section (in a new tab: the conversation stays).
    with page.context.expect_page() as opened:
        reply.locator("a[href*='/notice/en#s-11']").first.click()
    notice = opened.value
    notice.wait_for_load_state()
    assert notice.url.endswith("/notice/en#s-11")
    assert notice.locator("section#s-11:target h2").inner_text().startswith("11 ")
    shot(notice, "notice-from-answer")
    notice.close()


def test_suggested_follow_ups_are_asked_in_one_click(page: Page) -> None:
    ask(page, "Comment retirer mon consentement ?")
    options = page.locator("#chatbot button.option")
    assert 1 <= options.count() <= 3
    suggestion = options.first.inner_text().strip()
    assert suggestion.endswith("?") and "Vous pourriez aussi demander" in page.locator("#chatbot").inner_text()
    before = page.locator("#chatbot [data-testid='bot']").count()
    options.first.click()
    page.wait_for_function("n => document.querySelectorAll(\"#chatbot [data-testid='bot']\").length > n",
                           arg=before, timeout=30_000)  # fmt: skip
    page.wait_for_timeout(1500)
    assert page.locator("#chatbot [data-testid='user']").last.inner_text().strip() == suggestion
    assert cited(page)  # answered, with its section
    # Buttons show under the last reply only: the earlier one no longer invites a click it cannot offer.
    first_reply = page.locator("#chatbot [data-testid='bot']").first.inner_text()
    assert "Vous pourriez aussi demander" not in first_reply
    offered = page.locator("#chatbot button.option").count()
    assert page.locator("#chatbot").inner_text().count("Vous pourriez aussi demander") == (1 if offered else 0)


def test_the_chat_page_shows_the_customer_nothing_else(page: Page) -> None:
    """The customer's page: no agent desk, no API link, no tabs; a way to Customer Service and a privacy hint."""
    assert page.locator("#lookup-query").count() == 0 and page.get_by_role("tab").count() == 0
    assert page.get_by_text("Use via API").count() == 0
    assert page.locator("h1").first.inner_text().strip() == "Privacy notice assistant"
    links = page.locator("#help-links")
    assert links.locator("a[href^='https://www.amazon.com.be/'][href*='contact-us']").count() == 1
    assert "do not type personal details" in links.inner_text()


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
    assert page.locator("h1").first.inner_text().strip() == "Assistent voor de privacyverklaring"
    assert page.evaluate("document.documentElement.lang") == "nl" and page.url.endswith("?lang=nl")
    shot(page, "language-nl")
    page.reload()  # the address keeps the choice: the page loads in Dutch
    page.wait_for_function("() => document.querySelector('#send')?.innerText.includes('Verzenden')", timeout=30_000)
    assert page.evaluate("navigator.language") == "nl"  # which Gradio's own labels follow


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


def test_auto_mode_answers_one_word_questions_in_the_browser_language(browser, server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-BE")
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea, #question input", timeout=60_000)
    page.wait_for_timeout(1000)
    ask(page, "cookies?")
    assert page.locator("#chatbot [data-testid='bot']").last.locator("a[href*='/notice/nl#s-']").count() >= 1
    context.close()


def test_a_conversation_keeps_its_topic_until_a_new_conversation_is_started(browser, server) -> None:  # type: ignore[no-untyped-def]
    """Four turns in Dutch (nl-BE browser) with one change of topic, then "New conversation": the engine forgets
    the earlier turns as the screen does, so an elliptical question is read alone, as the stateless API reads it."""
    import httpx

    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="nl-BE")
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea, #question input", timeout=60_000)
    conversation = [
        ("Hoe trek ik mijn toestemming in?", ("3.9",)),
        ("en waar vind ik die instellingen?", ("9",)),  # read with the topic: the choices of section 9
        ("andere vraag: verkopen jullie mijn gegevens?", ("5",)),  # the topic changes
        ("en mijn adres, krijgen de verkopers dat?", ("5", "5.1")),  # the topic's section, or its part on sellers
    ]
    for question, sections in conversation:
        ask(page, question)
        assert any(cited(page)[:1] == [section] for section in sections), (question, cited(page))
    trash = "#chatbot button[aria-label='Gesprek wissen'], #chatbot button[aria-label='Clear']"  # Gradio's, translated
    for reset in ("#clear", trash):  # our "New conversation" button, then the chat's own trash icon
        page.locator(reset).first.click()
        page.wait_for_function("() => !document.querySelector(\"#chatbot [data-testid='bot']\")", timeout=10_000)
        ask(page, "en waarom?")  # with the topic before it: why sellers get the address (5)
        asked = {"question": "en waarom?", "default_lang": "nl"}
        alone = httpx.post(f"{server['url']}/api/ask", json=asked, timeout=30).json()
        # The same message read with the conversation before it (the API is stateless: the history is sent).
        earlier = [question for question, _ in conversation]
        kept = httpx.post(f"{server['url']}/api/ask", json={**asked, "history": earlier}, timeout=30).json()
        assert [c["section_id"] for c in alone["citations"]] != [c["section_id"] for c in kept["citations"]]
        assert cited(page) == [c["section_id"] for c in alone["citations"]]
        ask(page, "Hoe lang bewaren jullie mijn gegevens?")
        assert cited(page)[:1] == ["11"]
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


@pytest.mark.parametrize("size", [(390, 844), (1100, 900)])
def test_the_customers_messages_are_never_hidden_under_the_clear_icon(browser, server, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """After each answer the chat scrolls its start to the top: the message asked just before stays in view there,
    beside the chat's clear icon in the top right corner, never under it."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="fr-BE")
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea", timeout=60_000)
    for question in ("vous gardez mes recherches sur le site ?", "et je peux les effacer moi-même ?"):
        ask(page, question)
        icon = page.locator("#chatbot .icon-button-wrapper").first.bounding_box()
        assert icon is not None
        for bubble in page.locator("#chatbot div.user.message").all():
            box = bubble.bounding_box()
            assert box is not None
            overlaps = box["x"] < icon["x"] + icon["width"] and icon["x"] < box["x"] + box["width"] and (
                box["y"] < icon["y"] + icon["height"] and icon["y"] < box["y"] + box["height"])
            assert not overlaps, (question, box, icon)
    context.close()


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
@pytest.mark.parametrize("locale", ["nl-BE", "fr-BE", "en-GB"])
def test_the_customer_chat_in_each_language_and_size(browser, server, locale: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    """The page in the browser's language, the answer's start in view, no timer, feedback under the answer with
    44 px targets and the comment box opening under 👎."""
    from assistant.ui_text import STRINGS

    language = locale[:2]
    strings = STRINGS[language]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=locale)
    page = context.new_page()
    page.goto(server["url"] + "/")
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.wait_for_function("t => document.title === t", arg=strings["title"], timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == language
    assert page.locator("h1").first.inner_text().strip() == strings["title"]
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]  # no sideways scrolling
    timers: list[str] = []
    question = {"fr": "Combien de temps gardez-vous mes données ?", "nl": "Hoe lang bewaren jullie mijn gegevens?",
                "en": "How long do you keep my data?"}[language]  # fmt: skip
    page.locator("#question textarea").fill(question)
    page.click("#send")
    for _ in range(10):  # while the answer comes: Gradio's "queue: 1/1 | 0.1s" timer must not show
        timers += page.locator(".progress-text:visible, .eta-bar:visible, .meta-text:visible").all_inner_texts()
        page.wait_for_timeout(100)
    page.locator("#chatbot [data-testid='bot'] details").wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    assert [t for t in timers if t.strip()] == []
    # The start of the answer is in view (a long answer must not leave the customer at its end).
    top = page.locator("#chatbot [data-testid='bot']").last.bounding_box()
    assert top is not None and 0 <= top["y"] < size[1] - 100
    reply = page.locator("#chatbot [data-testid='bot']").last
    assert reply.locator(f"a[href*='/notice/{language}#s-11']").count()  # the section, in the page's language
    assert reply.locator("mark").count() == 1 and reply.locator("details:not([open])").count() == 1  # answer first
    assert page.locator("#chatbot button.option").count() >= 1  # suggested follow-ups
    assert all(b is not None and b["height"] >= 44 for b in
               (o.bounding_box() for o in page.locator("#chatbot button.option").all()))  # fmt: skip
    help_links = page.locator("#help-links")
    assert help_links.locator(f"a[href='{strings['contact_url']}']").inner_text().startswith(strings["contact"])
    assert strings["privacy_hint"][:30] in help_links.inner_text()
    buttons = page.locator("#chatbot button.icon-button:visible")
    sizes = [b.bounding_box() for b in buttons.all()]
    assert sizes and all(b is not None and b["width"] >= 44 and b["height"] >= 44 for b in sizes)
    assert not page.locator("#comment textarea").is_visible()
    # Gradio's own rating labels, in the browser's language like the rest of the page.
    dislike = {"fr": "Je n'aime pas", "nl": "Vind ik niet leuk", "en": "Dislike"}[language]
    page.locator(f"#chatbot button[aria-label=\"{dislike}\"]").last.click()
    page.locator("#comment textarea").wait_for(state="visible", timeout=10_000)  # 👎 opens the comment box ...
    comment = page.locator("#comment textarea").bounding_box()
    assert comment is not None and comment["y"] < size[1] + 300  # ... right under the chat, not at the page's end
    page.wait_for_function("t => document.querySelector('#status').innerText.includes(t)", arg=strings["thanks"],
                           timeout=10_000)  # fmt: skip
    shot(page, f"chat-{locale}-{size[0]}")
    context.close()
