"""The web page's logic without a browser: cards, escaping, filter controls, per-session state."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from finder.dialogue.conversation import ConversationState
from finder.core.goal import Goal
from finder.core.models import Match, MatchReasons, Mentor
from finder.search.service import MentorFinder
from finder.ui.page import outputs
from finder.ui.web import (
    ANY,
    MAX_CHIPS,
    Controls,
    WebApp,
    card_html,
    cards_html,
    draft_text,
    load_state,
    questions_html,
    with_user_message,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EVIL = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">"
ALLOWED_TAGS = {"article", "section", "h3", "p", "div", "span", "ul", "ol", "li", "dl", "dt",
                "dd", "button"}

EVIL_MENTOR = {
    "id": "evil-1",
    "name": "Eve <img src=x onerror=alert(1)> Hacker",
    "headline": "Kombucha pricing " + EVIL,
    "bio": "I teach kombucha brewing workshops and help makers price them. " + EVIL,
    "skills": ["kombucha", "<b>pricing</b>"],
    "organization": "<i>Brew & Co</i>",
    "languages": ["en"],
    "timezone": "Europe/Berlin",
    "formats": ["video", "email"],
    "session_minutes": [15, 30],
    "years_experience": 7,
}


class Tags(HTMLParser):
    """Every tag and attribute name in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes |= {name for name, _ in attrs}

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(markup: str) -> Tags:
    parser = Tags()
    parser.feed(markup)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def finder(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> MentorFinder:
    mf = MentorFinder.open(tmp_path_factory.mktemp("web-index"), embedder=embedder)
    records = [json.loads(line) for line in
               (FIXTURES / "mentors_small.jsonl").read_text().splitlines() if line.strip()]
    mf.ingest(records + [EVIL_MENTOR])
    return mf


@pytest.fixture(scope="module")
def web(finder: MentorFinder) -> WebApp:
    return WebApp(finder)


def cards_in(view_cards: str) -> list[str]:
    return re.findall(r'data-mentor-id="([^"]+)"', view_cards)


# -- rendering --------------------------------------------------------------------------------


def test_every_piece_of_mentor_text_on_a_card_is_escaped() -> None:
    mentor = Mentor.model_validate(EVIL_MENTOR)
    reasons = MatchReasons(matched_skills=["<b>pricing</b>"], best_sentence=EVIL,
                           signals=["semantic"])
    markup = card_html(Match(mentor=mentor, score=0.9, reasons=reasons))
    parsed = parse(markup)
    assert parsed.tags <= ALLOWED_TAGS, f"unexpected tags {parsed.tags - ALLOWED_TAGS}"
    assert not {a for a in parsed.attributes if a.startswith("on")}
    shown = "".join(parsed.text)
    assert "Eve <img src=x onerror=alert(1)> Hacker" in shown
    assert EVIL in shown  # headline and best sentence, as literal text
    assert "<i>Brew & Co</i>" in shown
    assert "<b>pricing</b>" in shown
    for fact in ("Video call, Email", "15 / 30 min", "English", "Europe/Berlin (UTC+1/UTC+2)"):
        assert fact in shown


def test_a_card_says_why_the_mentor_matched_and_can_be_drafted_to() -> None:
    mentor = Mentor(id="m-1", name="Ana Lima", headline="Pricing coach", bio="I price things.",
                    formats=["phone"], session_minutes=[20], languages=["pt", "en"])
    reasons = MatchReasons(matched_skills=["pricing"], best_sentence="I price things.")
    parsed = parse(card_html(Match(mentor=mentor, score=0.5, reasons=reasons)))
    shown = " ".join(parsed.text)
    assert "Skills: pricing" in shown and "\u201cI price things.\u201d" in shown
    assert "Portuguese, English" in shown and "Phone call" in shown and "20 min" in shown
    assert "not stated" in shown  # no time zone given
    assert 'data-draft="m-1"' in card_html(Match(mentor=mentor, score=0.5))


def test_draft_questions_are_escaped() -> None:
    from finder.outreach.drafting import OutreachDraft

    draft = OutreachDraft(mentor_id="x", subject="Hi", body="Hello <b>you</b>",
                          questions=["Is <script>alert(1)</script> ok?"], format="email")
    markup = questions_html(draft, ["<img src=x> looks wrong"])
    assert parse(markup).tags <= ALLOWED_TAGS
    assert "&lt;script&gt;" in markup and "&lt;img" in markup
    assert draft_text(draft) == "Subject: Hi\n\nHello <b>you</b>"  # a textarea shows it as text


def test_what_the_user_types_is_escaped_in_the_chat(web: WebApp) -> None:
    view = web.send(None, None, "<img src=x onerror=alert(1)> help with kombucha pricing")
    user = next(m for m in view.chat if m["role"] == "user")["content"]
    assert "<img" not in user and "&lt;img src=x onerror=alert(1)&gt;" in user
    assert with_user_message([], "  ") == []


# -- turns, cards and filter controls -----------------------------------------------------


def test_a_vague_goal_asks_then_shows_cards_with_controls_that_agree(web: WebApp) -> None:
    welcome = web.welcome()
    assert welcome.chat[0]["role"] == "assistant" and welcome.chips
    first = web.send(welcome.state, welcome.chat, "I want career advice")
    assert "?" in first.chat[-1]["content"]
    assert cards_in(first.cards) == [] and first.chips
    second = web.send(first.state, first.chat,
                      "how to negotiate my first salary as a junior designer, "
                      "a 15-minute video call")
    ids = cards_in(second.cards)
    assert 1 <= len(ids) <= 5
    assert second.controls == Controls(formats=["video"], minutes="15", language=ANY)
    assert [m["role"] for m in second.chat] == ["assistant", "user", "assistant", "user",
                                                "assistant"]
    state = ConversationState.model_validate(second.state)
    assert ids == [m.mentor.id for m in state.last_matches]
    for match in state.last_matches:
        assert "video" in match.mentor.formats and match.mentor.min_minutes <= 15


def test_changing_the_controls_updates_the_goal_and_searches_again(web: WebApp) -> None:
    view = web.send(None, None, "How should I price my kombucha brewing workshop? "
                                "A 30-minute video call")
    assert view.controls.formats == ["video"] and view.controls.minutes == "30"
    changed = web.change_filters(view.state, view.chat,
                                 Controls(formats=["email"], minutes=ANY, language="en"))
    state = ConversationState.model_validate(changed.state)
    assert state.goal.formats == ["email"] and state.goal.minutes is None
    assert state.goal.language == "en"
    assert state.goal.challenge == ConversationState.model_validate(view.state).goal.challenge
    assert changed.controls == Controls(formats=["email"], minutes=ANY, language="en")
    assert changed.chat[-1]["content"].startswith("Filters updated.")
    assert state.last_matches
    for match in state.last_matches:
        assert "email" in match.mentor.formats and "en" in match.mentor.languages
    assert cards_in(changed.cards) == [m.mentor.id for m in state.last_matches]


def test_controls_set_before_results_are_kept_for_the_search(web: WebApp) -> None:
    view = web.send(None, None, "I want career advice")
    noted = web.change_filters(view.state, view.chat, Controls(formats=["phone"]))
    assert noted.chat[-1]["content"].startswith("Noted")
    assert cards_in(noted.cards) == []
    assert ConversationState.model_validate(noted.state).goal.formats == ["phone"]


def test_controls_round_trip_and_offer_unusual_lengths() -> None:
    goal = Goal(topic="pricing", formats=["email", "video"], minutes=25, language="de")
    controls = Controls.from_goal(goal)
    assert controls == Controls(formats=["email", "video"], minutes="25", language="de")
    assert ("Up to 25 min", "25") in controls.minute_choices()
    assert ("German", "de") in controls.language_choices()
    back = controls.apply_to(Goal(topic="pricing"))
    assert (back.formats, back.minutes, back.language) == (["video", "email"], 25, "de")
    cleared = Controls().apply_to(goal)
    assert (cleared.formats, cleared.minutes, cleared.language) == ([], None, None)
    assert cleared.topic == "pricing"


def test_a_long_term_goal_shows_a_plan_of_sessions(web: WebApp) -> None:
    view = web.send(None, None, "I want to become a CTO in five years")
    state = ConversationState.model_validate(view.state)
    assert state.phase == "plan"
    assert view.cards.count('class="mf-session"') == len(state.plan) >= 2
    for number, session in enumerate(state.plan, 1):
        assert f"Session {number}" in view.cards
        for match in session.matches:
            assert f'data-mentor-id="{match.mentor.id}"' in view.cards


def test_changing_the_controls_during_a_plan_keeps_its_sessions(web: WebApp) -> None:
    view = web.send(None, None, "I want to become a CTO in five years")
    before = ConversationState.model_validate(view.state)
    changed = web.change_filters(view.state, view.chat, Controls(formats=["email"]))
    after = ConversationState.model_validate(changed.state)
    assert after.phase == "plan"
    assert [s.goal.challenge for s in after.plan] == [s.goal.challenge for s in before.plan]
    for session in after.plan:
        assert session.goal.formats == ["email"]
        for match in session.matches:
            assert "email" in match.mentor.formats
    assert changed.controls.formats == ["email"]


class BrokenChatModel:
    """A chat-model backend that always fails, so every turn falls back to offline."""

    name = "test:broken"

    def extract_goal(self, *args: object) -> Any:
        from finder.core.errors import ChatModelFailed

        raise ChatModelFailed("the test model is down")

    plan = draft = command = follow_up = is_long_term = extract_goal
    goal_words = language = suggestions = extract_goal


def test_a_chat_model_failure_is_said_in_the_chat(finder: MentorFinder) -> None:
    web = WebApp(finder, BrokenChatModel())  # type: ignore[arg-type]
    view = web.send(None, None, "How should I price my kombucha brewing workshop?")
    said = view.chat[-1]["content"]
    assert "chat model failed" in said and "the test model is down" in said
    assert cards_in(view.cards), "the offline assistant still answers"


def test_drafting_from_a_card_fills_the_draft_and_keeps_the_cards(web: WebApp) -> None:
    view = web.send(None, None, "How should I price my kombucha brewing workshop?")
    state = ConversationState.model_validate(view.state)
    mentor = state.last_matches[0].mentor
    drafted = web.draft(view.state, view.chat, mentor.id)
    assert drafted.draft is not None and drafted.draft.mentor_id == mentor.id
    assert mentor.name.split()[0] in draft_text(drafted.draft)
    assert drafted.draft_title == f"Draft to {mentor.name}"
    assert drafted.questions.count("<li>") == len(drafted.draft.questions) >= 3
    assert cards_in(drafted.cards) == cards_in(view.cards)
    missing = web.draft(view.state, view.chat, "nobody")
    assert missing.draft is None and missing.chat[-1]["content"].startswith("Sorry")


def test_outputs_match_the_page_components(web: WebApp) -> None:
    view = web.welcome()
    values = outputs(view)
    assert len(values) == 3 + MAX_CHIPS + 3 + 5
    chips = values[3:3 + MAX_CHIPS]
    offered = view.chips or []
    assert offered and [c.get("visible") for c in chips] == (
        [True] * len(offered) + [False] * (MAX_CHIPS - len(offered)))
    assert values[-5].get("visible") is False  # a new conversation hides an old draft
    turn = web.send(view.state, view.chat, "I want career advice")
    assert outputs(turn)[-5] == {"__type__": "update"}  # the draft panel is left as it is
    drafted = outputs(web.draft(*_results(web), "m01"))
    assert drafted[-5].get("visible") is True
    assert drafted[3:3 + MAX_CHIPS] == ({"__type__": "update"},) * MAX_CHIPS  # chips stay
    assert drafted[-3].startswith("Subject: ") and "Priya" in drafted[-3]
    assert drafted[-1] == "m01"  # the mentor "I've sent it" records the request to


def test_the_page_sends_what_gradio_would_for_every_kind_of_turn(web: WebApp) -> None:
    """Outputs a turn leaves as they are skip Gradio's work, and the page gets the same."""
    import asyncio

    from gradio.state_holder import SessionState

    from finder.ui.page import build_ui

    demo = build_ui(web)
    answer = next(f for f in demo.fns.values() if f.name == "on_send")
    plain = type(demo).postprocess_data.__get__(demo)  # Gradio's own, without the skipping
    welcome = web.welcome()
    asked = web.send(welcome.state, welcome.chat, "I want career advice")
    shown = web.send(*_results(web), "only email")
    drafted = web.draft(shown.state, shown.chat, cards_in(shown.cards)[0])
    for view in (welcome, asked, shown, drafted):
        sent = asyncio.run(demo.postprocess_data(answer, outputs(view), SessionState(demo)))
        assert sent == asyncio.run(plain(answer, outputs(view), SessionState(demo)))
    assert sum(v == {"__type__": "update"} for v in outputs(shown)) == 5


def _results(web: WebApp) -> tuple[dict[str, Any], list[dict[str, str]]]:
    view = web.send(None, None, "How do I launch a social media campaign for a skincare line?")
    assert "m01" in cards_in(view.cards)
    return view.state, view.chat


# -- sessions ---------------------------------------------------------------------------------


def test_two_sessions_keep_their_own_goals_and_drafts(web: WebApp) -> None:
    shared_before = {k: v for k, v in vars(web).items() if k != "_offline"}
    alice = web.send(None, None, "How should I price my kombucha brewing workshop?")
    bob = web.send(None, None, "How do I prepare for a system design interview?")
    alice = web.send(alice.state, alice.chat, "only email")
    bob_draft = web.draft(bob.state, bob.chat, cards_in(bob.cards)[0])

    alice_state = ConversationState.model_validate(alice.state)
    bob_state = ConversationState.model_validate(bob_draft.state)
    assert "kombucha" in alice_state.goal.search_query().lower()
    assert "system design" in bob_state.goal.search_query().lower()
    assert alice_state.goal.formats == ["email"] and bob_state.goal.formats == []
    assert "kombucha" not in json.dumps(bob_draft.state).lower()
    assert "kombucha" not in json.dumps(bob_draft.chat).lower()
    assert alice.draft is None and bob_draft.draft is not None
    # The app object keeps nothing per session.
    assert {k: v for k, v in vars(web).items() if k != "_offline"} == shared_before


def test_a_broken_saved_state_starts_a_fresh_conversation() -> None:
    assert load_state(None) == ConversationState()
    assert load_state({"phase": "nonsense"}) == ConversationState()
    state = ConversationState(goal=Goal(topic="pricing"))
    assert load_state(state.model_dump(mode="json")) == state


def test_cards_html_before_and_after_an_empty_search() -> None:
    assert "Mentors will appear here" in cards_html(ConversationState())
    assert "No mentor fits" in cards_html(ConversationState(phase="results"))


def test_one_turn_at_a_time_per_session() -> None:
    from finder.ui.web import TurnGuard

    turns = TurnGuard(stale_after=60)
    assert turns.start("alice") and turns.start("bob")  # sessions don't wait for each other
    assert not turns.start("alice")  # a second send while alice's turn runs is refused
    turns.finish("alice")
    assert turns.start("alice")
    expired = TurnGuard(stale_after=0)
    assert expired.start("carol") and expired.start("carol")  # a turn that never ended expires
