"""When a format or length filter leaves only weak fits, the chat says who fits the ask better
and how to see them, instead of silently showing whoever offers that format.

From a read-through: "How should I ask my manager for a raise? I'd prefer a quick 15 minute
phone call" showed a resource manager, an advertising manager and a facilities manager, while
HR and pay mentors who only offer video calls or 30 minutes stayed out of sight.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from finder.dialogue.conversation import Conversation
from finder.search.service import MentorFinder


def _mentor(i: int, headline: str, bio: str, skills: list[str], formats: list[str],
            minutes: list[int]) -> dict[str, Any]:
    return {"id": f"cf{i:02d}", "name": f"Mentor {chr(65 + i)}", "headline": headline,
            "bio": bio, "skills": skills, "languages": ["en"], "formats": formats,
            "session_minutes": minutes, "years_experience": 10}


PAY_PEOPLE = [
    _mentor(0, "Compensation and benefits manager",
            "I set salary bands and run pay reviews. I coach employees on how to ask for a raise "
            "and negotiate salary with their manager.", ["salary negotiation", "compensation"],
            ["video"], [30]),
    _mentor(1, "HR business partner",
            "I advise managers and staff on pay, promotions and performance reviews, and help "
            "people prepare for a conversation about a pay rise.", ["human resources", "pay"],
            ["video", "email"], [30, 45]),
    _mentor(2, "Career coach",
            "I help professionals negotiate salary increases and promotions with confidence.",
            ["career coaching", "negotiation"], ["video"], [45]),
]
OTHERS = [
    _mentor(10 + i, headline, bio, skills, ["phone"], [15])
    for i, (headline, bio, skills) in enumerate([
        ("Facilities manager", "I manage office buildings, cleaning contracts and maintenance.",
         ["facilities management"]),
        ("Advertising manager", "I plan advertising campaigns for consumer brands.",
         ["advertising"]),
        ("Warehouse supervisor", "I run a distribution warehouse and its night shift.",
         ["logistics"]),
        ("Hotel revenue manager", "I set room prices and forecast hotel occupancy.",
         ["revenue management"]),
        ("Lift installation supervisor", "I supervise teams installing lifts in new buildings.",
         ["lift installation"]),
        ("React developer", "I build React front ends and review component state management.",
         ["react", "redux", "javascript"]),
    ])
]


@pytest.fixture(scope="module")
def finder(embedder: Any, tmp_path_factory: pytest.TempPathFactory) -> MentorFinder:
    path: Path = tmp_path_factory.mktemp("closer-fits")
    mf = MentorFinder.open(path / "index", embedder=embedder)
    mf.ingest(PAY_PEOPLE + OTHERS)
    return mf


def test_a_pay_raise_ask_on_a_short_call_names_the_closer_fits(finder: MentorFinder) -> None:
    chat = Conversation(finder)
    reply = chat.send("What's the best way to bring up a pay rise with my boss? A short 15 "
                      "minute phone call would be ideal.")
    assert reply.kind == "results"
    # The filter is honoured: every mentor shown offers a phone call of 15 minutes or less.
    assert reply.matches and all("phone" in m.mentor.formats for m in reply.matches)
    # And the mentee hears who fits the ask better, by name, and how to see them.
    closer = [m["name"] for m in PAY_PEOPLE]
    assert sum(name in reply.text for name in closer) >= 2, reply.text
    assert "don't offer phone calls of 15 minutes or less" in reply.text, reply.text
    assert "Any format or length" in reply.suggestions
    then = chat.send("Any format or length")
    assert {m.mentor.id for m in then.matches[:3]} == {m["id"] for m in PAY_PEOPLE}, then.text


def test_no_note_when_the_filter_keeps_the_best_fits(finder: MentorFinder) -> None:
    chat = Conversation(finder)
    reply = chat.send("Could someone look at how I manage state in my React app? A 15 minute "
                      "phone call is plenty.")
    assert reply.matches and reply.matches[0].mentor.headline == "React developer"
    assert "don't offer" not in reply.text and "Any format or length" not in reply.suggestions


def test_saying_any_length_lifts_only_the_length(finder: MentorFinder) -> None:
    chat = Conversation(finder)
    chat.send("How do I ask my manager for a raise without sounding greedy? Phone call please, "
              "15 minutes max.")
    reply = chat.send("any length is fine")
    assert chat.state.goal.minutes is None and chat.state.goal.formats == ["phone"], reply.text


def test_any_format_then_show_me_the_mentors_keeps_the_ask_and_lifts_the_format(
        finder: MentorFinder) -> None:
    # Found by the load test: after results, this started a new goal ("leadership and
    # management") and the mentee's draft request then met a question instead of a draft.
    chat = Conversation(finder)
    first = chat.send("How can I talk my boss into a pay rise? Email only please.")
    assert first.kind == "results" and chat.state.goal.formats == ["email"]
    reply = chat.send("actually any format is fine, just show me the mentors")
    assert reply.kind == "results", reply.text
    assert chat.state.goal.formats == [] and "pay rise" in chat.query(), reply.text
