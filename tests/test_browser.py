"""The real app in a real headless Chromium: chat, cards, filters, drafts, sessions, escaping.

Starts ``python app.py`` on a free loopback port with a small seed file (300 demo mentors and
one mentor whose profile is full of HTML) and drives Debian's /usr/bin/chromium through
Playwright. Screenshots of every step go to docs/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
READY = "ready: searches are answered"  # app.py logs this once the mentors are in
TURN_TIMEOUT = 90_000  # ms; a turn takes a second or two, a cold CI machine more

XSS_MENTOR = {
    "id": "xss-kombucha",
    "name": "Kim <img src=x onerror=\"window.__xss='name'\"> Brewer",
    "headline": "<script>window.__xss='headline'</script>Kombucha brewery founder",
    "bio": ("I run a kombucha brewery and teach kombucha brewing workshops "
            "<img src=x onerror=\"window.__xss='bio'\">. I help kombucha makers price their "
            "brewing workshops and classes."),
    "skills": ["kombucha brewing", "<b onmouseover=\"window.__xss='skill'\">workshop pricing</b>"],
    "industries": ["Food & drink"],
    "languages": ["en", "de"],
    "timezone": "Europe/Berlin",
    "formats": ["video", "email"],
    "session_minutes": [15, 30],
    "years_experience": 9,
}
XSS_HEADLINE = "<script>window.__xss='headline'</script>Kombucha brewery founder"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed_file(path: Path) -> Path:
    """The first 150 Coding Coach and 150 ESCO demo mentors, plus the HTML-laden mentor."""
    lines = (ROOT / "data" / "demo_mentors.jsonl").read_text(encoding="utf-8").splitlines()
    coach = [line for line in lines if json.loads(line)["id"].startswith("cc-")][:150]
    esco = [line for line in lines if json.loads(line)["id"].startswith("esco-")][:150]
    path.write_text("\n".join(coach + esco + [json.dumps(XSS_MENTOR)]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app (`python app.py`) on a free loopback port, seeded with 301 mentors."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium; install it with "
                    "`apt-get install chromium` (the browser tests never download a browser)")
    tmp = tmp_path_factory.mktemp("web-app")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_FINDER_")}
    env.update(MENTOR_FINDER_HOME=str(tmp / "home"), MENTOR_FINDER_PORT=str(port),
               MENTOR_FINDER_HOST="127.0.0.1", MENTOR_FINDER_LLM="offline",
               MENTOR_FINDER_DEMO_FILE=str(_seed_file(tmp / "seed.jsonl")),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    log_path = tmp / "app.log"
    log = open(log_path, "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 600
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"app.py exited with {process.returncode}:\n"
                            + log_path.read_text()[-3000:])
            if time.monotonic() > deadline:
                pytest.fail("app.py did not serve within 10 minutes:\n"
                            + log_path.read_text()[-3000:])
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    # The page is served while the mentors load behind it; the screenshots
                    # are of the page once they are in.
                    if response.status == 200 and READY in log_path.read_text():
                        break
            except OSError:
                pass
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _open(browser: Any, url: str, viewport: dict[str, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.wait_for_selector('#mf-chat [data-testid="bot"]', timeout=TURN_TIMEOUT)
    page.wait_for_selector("#mf-message textarea", timeout=TURN_TIMEOUT)
    page.wait_for_selector("#mf-formats input[name='video']", timeout=TURN_TIMEOUT)
    page.errors = errors  # type: ignore[attr-defined]
    return context, page


def _bot_count(page: Any) -> int:
    return int(page.locator('#mf-chat [data-testid="bot"]').count())


def _say(page: Any, text: str) -> None:
    """Type a message, send it; don't wait."""
    page.fill("#mf-message textarea", text)
    page.click("#mf-send")


def _last_bot(page: Any, before: int) -> str:
    """Wait for a new assistant message after ``before`` of them; its text."""
    page.wait_for_function(
        "n => document.querySelectorAll('#mf-chat [data-testid=\"bot\"]').length > n",
        arg=before, timeout=TURN_TIMEOUT)
    # The chat is updated with the rest of the page in one step; let it settle.
    page.wait_for_timeout(300)
    return str(page.locator('#mf-chat [data-testid="bot"]').last.inner_text())


def _ask(page: Any, text: str) -> str:
    before = _bot_count(page)
    _say(page, text)
    return _last_bot(page, before)


def _shot(page: Any, name: str, *, full: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def _format_box(page: Any, fmt: str) -> Any:
    return page.locator(f"#mf-formats input[name='{fmt}']")


def _card_names(page: Any) -> list[str]:
    return [str(n) for n in page.locator("#mf-cards .mf-card .mf-name").all_inner_texts()]


def test_vague_goal_to_copied_draft(app_url: str, browser: Any) -> None:
    context, page = _open(browser, app_url, DESKTOP)
    _shot(page, "01-welcome")

    # The screenshots follow the raise example of the mentee-side set
    # (eval/datasets/dialogues_mentee.jsonl, "raise-phone"), after a vague first message.
    question = _ask(page, "I could use some advice about work")
    assert "?" in question and "stuck" in question.lower()
    assert page.locator("#mf-cards .mf-card").count() == 0
    assert page.locator(".mf-chip:visible").count() >= 2, "quick replies should be offered"
    _shot(page, "02-clarifying-question")

    context.close()

    # A specific ask is answered with mentors at once, with no question first.
    context, page = _open(browser, app_url, DESKTOP)
    answer = _ask(page, "How should I ask my manager for a raise? I'd prefer a quick 15 minute "
                        "phone call")
    assert "mentors" in answer.lower()
    assert "ask my manager for a raise" in answer
    cards = page.locator("#mf-cards .mf-card")
    assert cards.count() == 5
    first = cards.first
    for label in ("Why this mentor", "Formats", "Sessions", "Languages", "Time zone"):
        assert label.lower() in first.inner_text().lower()
    # The controls agree with what the chat understood: a phone call of 15 minutes.
    assert page.locator("#mf-formats input[type=checkbox]:checked").count() == 1
    assert _format_box(page, "phone").is_checked()
    assert page.locator("#mf-minutes input").input_value() == "Up to 15 min"
    for text in cards.all_inner_texts():
        assert "Phone call" in text
    _shot(page, "03-results")

    name = _card_names(page)[0]
    before = _bot_count(page)
    first.locator("button.mf-draft").click()
    _last_bot(page, before)
    box = page.locator("#mf-draft-text textarea")
    box.wait_for(state="visible", timeout=TURN_TIMEOUT)
    draft = box.input_value()
    assert draft.startswith("Subject: ")
    assert "raise" in draft.lower() and "15-minute phone call" in draft
    assert name.split()[0] in draft, f"the draft should greet {name}"
    assert page.locator("#mf-questions li").count() >= 3
    page.locator("#mf-draft-panel").first.scroll_into_view_if_needed()
    _shot(page, "04-draft")

    box.fill(draft + "\nP.S. edited by hand")
    page.locator("#mf-draft-text button[aria-label*='opy']").first.click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == draft + "\nP.S. edited by hand"
    assert not page.errors  # type: ignore[attr-defined]
    context.close()


def test_changing_a_filter_searches_again(app_url: str, browser: Any) -> None:
    context, page = _open(browser, app_url, DESKTOP)
    _ask(page, "How do I prepare for a system design interview? A 30-minute video call")
    assert page.locator("#mf-cards .mf-card").count() > 0
    assert _format_box(page, "video").is_checked()

    before = _bot_count(page)
    _format_box(page, "video").uncheck()
    _last_bot(page, before)
    _format_box(page, "email").check()
    said = _last_bot(page, before + 1)
    assert "Filters updated" in said
    texts = page.locator("#mf-cards .mf-card").all_inner_texts()
    assert texts, "the new search should show mentors"
    for text in texts:
        assert "Email" in re.search(r"Formats\s*(.*)", text).group(1)  # type: ignore[union-attr]
    _shot(page, "05-filters-changed")

    chip = page.locator(".mf-chip:visible").first
    label = chip.inner_text().strip()
    before = _bot_count(page)
    chip.click()
    _last_bot(page, before)
    assert page.locator('#mf-chat [data-testid="user"]').last.inner_text().strip() == label
    context.close()


def test_long_term_goal_shows_a_plan(app_url: str, browser: Any) -> None:
    context, page = _open(browser, app_url, DESKTOP)
    said = _ask(page, "I want to become a CTO in five years")
    assert "plan" in said.lower()
    sessions = page.locator("#mf-cards .mf-session")
    assert sessions.count() >= 2
    assert sessions.first.locator(".mf-card").count() >= 1
    _shot(page, "06-plan")
    context.close()


def test_two_sessions_never_see_each_other(app_url: str, browser: Any) -> None:
    alice_ctx, alice = _open(browser, app_url, DESKTOP)
    bob_ctx, bob = _open(browser, app_url, DESKTOP)
    a0, b0 = _bot_count(alice), _bot_count(bob)
    # Both send before either answer arrives.
    _say(alice, "How should I price my kombucha brewing workshop? Email is fine")
    _say(bob, "How do I prepare for a system design interview at a big tech company?")
    _last_bot(alice, a0)
    _last_bot(bob, b0)
    alice_chat, bob_chat = alice.inner_text("#mf-chat"), bob.inner_text("#mf-chat")
    assert "kombucha" in alice_chat and "kombucha" not in bob_chat
    assert "system design" in bob_chat and "system design" not in alice_chat
    alice_names, bob_names = _card_names(alice), _card_names(bob)
    assert alice_names and bob_names and alice_names != bob_names

    before = _bot_count(alice)
    alice.locator("#mf-cards button.mf-draft").first.click()
    _last_bot(alice, before)
    alice.locator("#mf-draft-text textarea").wait_for(state="visible", timeout=TURN_TIMEOUT)
    # Bob's page got no draft, and his next turn still follows his own goal.
    assert not bob.locator("#mf-draft-text textarea").is_visible()
    said = _ask(bob, "only email")
    assert "system design" in said.lower() or "interview" in said.lower()
    assert "kombucha" not in said.lower()
    assert not bob.locator("#mf-draft-text textarea").is_visible()
    alice_ctx.close()
    bob_ctx.close()


def test_mentor_html_shows_as_text_and_never_runs(app_url: str, browser: Any) -> None:
    context, page = _open(browser, app_url, DESKTOP)
    _ask(page, "How should I price my kombucha brewing workshop? A 15-minute video call")
    card = page.locator("#mf-cards .mf-card[data-mentor-id='xss-kombucha']")
    card.wait_for(timeout=TURN_TIMEOUT)
    text = card.inner_text()
    assert XSS_HEADLINE in text
    assert "Kim <img src=x onerror=\"window.__xss='name'\"> Brewer" in text
    assert page.locator("#mf-cards img, #mf-cards script, #mf-cards b").count() == 0
    card.hover()
    before = _bot_count(page)
    card.locator("button.mf-draft").click()
    _last_bot(page, before)
    page.locator("#mf-draft-text textarea").wait_for(state="visible", timeout=TURN_TIMEOUT)
    assert page.locator("#mf-chat img[src='x'], #mf-draft-panel img").count() == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    _shot(page, "07-escaped-mentor-html")
    context.close()


def test_phone_layout_stacks_cards_without_sideways_scroll(app_url: str, browser: Any) -> None:
    context, page = _open(browser, app_url, PHONE)
    _shot(page, "phone-01-welcome")
    _ask(page, "how to negotiate my first salary as a junior designer, a 15-minute video call")
    cards = page.locator("#mf-cards .mf-card")
    assert cards.count() > 0
    boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
    assert len({round(b["x"]) for b in boxes if b}) == 1, "cards should stack in one column"
    for b in boxes:
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] + 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px wide)"
    cards.first.scroll_into_view_if_needed()
    _shot(page, "phone-02-results")
    before = _bot_count(page)
    cards.first.locator("button.mf-draft").click()
    _last_bot(page, before)
    page.locator("#mf-draft-text textarea").wait_for(state="visible", timeout=TURN_TIMEOUT)
    page.locator("#mf-draft-panel").first.scroll_into_view_if_needed()
    _shot(page, "phone-03-draft")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def _draft_to_first_mentor_and_mark_sent(page: Any) -> tuple[str, str]:
    """Ask a focused question, draft to the first mentor shown and say "I've sent it": that
    mentor's id, and what the chat answers."""
    _ask(page, "I want career advice")
    _ask(page, "how to negotiate my first salary as a junior designer, a 15-minute video call")
    first = page.locator("#mf-cards .mf-card").first
    mentor_id = str(first.get_attribute("data-mentor-id"))
    before = _bot_count(page)
    first.locator("button.mf-draft").click()
    _last_bot(page, before)
    page.locator("#mf-draft-text textarea").wait_for(state="visible", timeout=TURN_TIMEOUT)
    before = _bot_count(page)
    page.click("#mf-mark-sent")
    return mentor_id, _last_bot(page, before)


def test_marking_a_draft_sent_shows_in_the_programme_tab(app_url: str, browser: Any) -> None:
    context, page = _open(browser, app_url, DESKTOP)
    mentor_id, said = _draft_to_first_mentor_and_mark_sent(page)
    assert "Marked as sent to" in said and "1 of 5 requests waiting" in said

    page.get_by_role("tab", name="Programme").click()
    page.click("#mf-desk-refresh")
    row = page.locator(f'#mf-desk-load [data-mentor-id="{mentor_id}"]')
    row.wait_for(state="visible", timeout=TURN_TIMEOUT)
    assert row.get_attribute("data-booked") == "1"
    assert page.locator('#mf-desk-requests tr[data-status="sent"]').count() == 1
    assert "with requests this week" in page.locator("#mf-desk-summary").inner_text()
    _shot(page, "08-programme-tab")

    # The mentor accepts: the manager marks it, the row and the load follow.
    sent_row = page.locator('#mf-desk-requests tr[data-status="sent"]')
    request_id = str(sent_row.get_attribute("data-request-id"))
    said = _update_request(page, request_id, "accepted", "is now accepted")
    assert f"Request {request_id} to" in said
    page.locator(f'#mf-desk-requests tr[data-request-id="{request_id}"][data-status="accepted"]'
                 ).wait_for(state="visible", timeout=TURN_TIMEOUT)
    assert row.get_attribute("data-booked") == "1"  # an accepted request keeps its slot
    # A change the lifecycle doesn't allow: a clear error, nothing changed.
    said = _update_request(page, request_id, "declined", "Not changed")
    assert "is accepted; it can't become declined" in said
    assert page.locator("#mf-desk-update-message .mf-status-error").count() == 1
    assert page.locator(f'#mf-desk-requests tr[data-request-id="{request_id}"]'
                        ).get_attribute("data-status") == "accepted"
    # The session took place and was a good fit: done, the slot still counts, the fit shows.
    said = _update_request(page, request_id, "done (the session took place)", "rated a fit",
                           fit="yes")
    assert "is now done, rated a fit: yes" in said
    page.locator(f'#mf-desk-requests tr[data-request-id="{request_id}"][data-status="done"]'
                 ).wait_for(state="visible", timeout=TURN_TIMEOUT)
    assert row.get_attribute("data-booked") == "1"
    _shot(page, "09-programme-request-updated")
    said = _update_request(page, request_id, "withdrawn", "Not changed")
    assert "that status is final" in said
    assert not page.errors  # type: ignore[attr-defined]
    context.close()


def _update_request(page: Any, request_id: str, status: str, expect: str,
                    fit: str = "not asked") -> str:
    """Fill the programme tab's "update a request" form, submit it, and wait until its message
    says ``expect``; the message."""
    page.fill("#mf-desk-request-id input", request_id)
    page.click("#mf-desk-status input")
    page.get_by_role("option", name=status, exact=True).click()
    page.locator("#mf-desk-fit label").filter(has_text=re.compile(rf"^\s*{fit}\s*$")).click()
    page.click("#mf-desk-update")
    page.wait_for_function(
        "want => (document.querySelector('#mf-desk-update-message') || {innerText: ''})"
        ".innerText.includes(want)", arg=expect, timeout=TURN_TIMEOUT)
    return str(page.locator("#mf-desk-update-message").inner_text())


def test_a_request_with_no_reply_brings_the_next_best_mentors(app_url: str,
                                                              browser: Any) -> None:
    context, page = _open(browser, app_url, DESKTOP)
    mentor_id, said = _draft_to_first_mentor_and_mark_sent(page)
    assert "Marked as sent to" in said

    page.get_by_role("tab", name="Programme").click()
    page.click("#mf-desk-refresh")
    row = page.locator('#mf-desk-requests tr[data-status="sent"]')
    row.first.wait_for(state="visible", timeout=TURN_TIMEOUT)
    request_id = str(row.first.get_attribute("data-request-id"))
    load = page.locator(f'#mf-desk-load [data-mentor-id="{mentor_id}"]')
    booked = int(load.get_attribute("data-booked") or 0)
    assert booked >= 1
    _update_request(page, request_id, "no reply", "is now no reply")
    page.locator(f'#mf-desk-requests tr[data-request-id="{request_id}"][data-status="no_reply"]'
                 ).wait_for(state="visible", timeout=TURN_TIMEOUT)
    # The mentor's slot is free again: one request fewer this week.
    after = int(load.get_attribute("data-booked") or 0) if load.count() else 0
    assert after == booked - 1

    page.get_by_role("tab", name="Find a mentor").click()
    before = _bot_count(page)
    page.click("#mf-my-requests")
    said = _last_bot(page, before)
    texts = page.locator('#mf-chat [data-testid="bot"]').all_inner_texts()[before:]
    assert any("didn't answer your request within 7 days" in t for t in texts), texts
    assert any("Mentors with room for the same ask" in t for t in texts), texts
    assert "no reply (lapsed)" in said
    page.wait_for_function(
        "id => !document.querySelector(`#mf-cards .mf-card[data-mentor-id=\"${id}\"]`)",
        arg=mentor_id, timeout=TURN_TIMEOUT)
    offered = page.locator("#mf-cards .mf-card")
    assert 1 <= offered.count() <= 3
    _shot(page, "10-no-reply-next-best")
    assert not page.errors  # type: ignore[attr-defined]
    context.close()


def _turns(page: Any) -> list[str]:
    """The chat's messages in order, as 'user' / 'bot'."""
    return [str(x) for x in page.eval_on_selector_all(
        '#mf-chat [data-testid="user"], #mf-chat [data-testid="bot"]',
        "nodes => nodes.map(n => n.getAttribute('data-testid'))")]


def test_a_quick_second_send_is_never_lost(app_url: str, browser: Any) -> None:
    """A second message sent while the first is still being answered is refused visibly and
    kept in the box; never dropped, never answered in place of the first. (The first answer is
    held back in the network, so the second send always lands while it runs.)"""
    context, page = _open(browser, app_url, DESKTOP)
    box = "#mf-message textarea"
    start, bots = len(_turns(page)), _bot_count(page)
    users = _turns(page).count("user")
    joins: list[Any] = []

    def hold_first_answer(route: Any) -> None:
        joins.append(route)
        if len(joins) != 1:  # 1: the first answer (held); claim, echo and release skip it
            route.continue_()

    page.route("**/queue/join*", hold_first_answer)
    page.fill(box, "How should I price my kombucha brewing workshop?")
    page.press(box, "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#mf-chat [data-testid=\"user\"]').length > n",
        arg=users, timeout=TURN_TIMEOUT)
    page.wait_for_timeout(500)
    assert len(joins) == 1  # the first answer is on its way, and held
    page.fill(box, "Only email please")
    page.press(box, "Enter")
    page.get_by_text("Still answering your last message").first.wait_for(
        state="visible", timeout=TURN_TIMEOUT)
    _shot(page, "double-send-refused")
    assert page.input_value(box) == "Only email please"  # kept, not lost
    # The conversation stays in view: no error mark over the chat while the first answer runs.
    shown = page.inner_text("#mf-chat")
    assert "kombucha" in shown and "Error" not in shown, shown
    joins[0].continue_()
    _last_bot(page, bots)
    page.wait_for_timeout(1000)
    assert _turns(page)[start:] == ["user", "bot"]
    page.unroute("**/queue/join*")
    page.press(box, "Enter")  # sent again once the answer is there: it goes through
    _last_bot(page, bots + 1)
    assert _turns(page)[start:] == ["user", "bot", "user", "bot"]
    chat = page.inner_text("#mf-chat")
    assert chat.index("kombucha") < chat.index("Only email please")
    assert not page.errors  # type: ignore[attr-defined]
    context.close()
