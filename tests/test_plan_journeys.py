"""The kind of plan a long-term goal gets, read as the mentee reads it (issue 7, session 8).

A goal to take up a new role ("become a product photographer") is a move into a field, not a
climb to a senior role nor a skill to learn; a role with a rank in it ("a finance director",
"a tech lead") is a climb. A business the mentee has yet to open is started, not grown. "to
be a ...", "to work as a ..." name a role to become, and "in a couple of years" is a time,
not part of the role. A background said after the plan ("I've been a school librarian for
nine years") shapes the move's first step ("which of my skills ... transfer?").

New wordings in a mentee's voice, written before the change and seen failing first.
"""

from __future__ import annotations

import re

import pytest

from eval.textcheck import problems
from finder.dialogue.conversation import Conversation
from tests.fakes import TinySearch

# A word of each kind of plan's first step, as the mentee reads it.
FIRST_STEP = {
    "switch": r"day-to-day work",
    "climb": r"experiences matter most",
    "start": r"test demand",
    "grow": r"ready to expand",
    "learn": r"learn first",
}


def _plan(search: TinySearch, *messages: str):  # type: ignore[no-untyped-def]
    chat = Conversation(search)
    reply = None
    for message in messages:
        reply = chat.send(message)
    assert reply is not None and reply.kind == "plan", (reply.kind, reply.text)
    return reply


@pytest.mark.parametrize(("message", "journey", "named"), [
    ("My plan is to become a product photographer.", "switch", r"as a product photographer"),
    ("Eventually I'd like to be a finance director.", "climb", r"becoming a finance director"),
    ("I hope to work as a lighting technician for theatre one day.", "switch",
     r"as a lighting technician"),
    ("Someday I'd like to open a little flower shop in my neighbourhood.", "start", r""),
    ("One day I'd love to open a small bakery of my own in my home town.", "start", r""),
    ("I'm a backend developer and want to become a tech lead in a couple of years.", "climb",
     r"becoming a tech lead\b"),
])
def test_a_long_term_goal_gets_the_plan_its_words_ask_for(
        search: TinySearch, message: str, journey: str, named: str) -> None:
    reply = _plan(search, message)
    first = reply.plan[0].question
    assert re.search(FIRST_STEP[journey], first), first
    if named:
        assert re.search(named, first), first
    for session in reply.plan:
        assert problems(session.question, "plan") == [], session.question
        assert not re.search(r"learn first for becoming|practise becoming|path to an? ",
                             session.question), session.question


def test_a_background_said_after_the_plan_names_what_transfers(search: TinySearch) -> None:
    reply = _plan(search, "I'd love to become a data analyst one day",
                  "I've been a school librarian for nine years")
    first = reply.plan[0].question
    assert re.search(FIRST_STEP["switch"], first), first
    assert re.search(r"librar", first), first
    assert "my current work" not in first


def test_a_business_to_be_running_is_named_as_the_business(search: TinySearch) -> None:
    reply = _plan(search, "Within five years I hope to be running my own dental practice.")
    first = reply.plan[0].question
    assert re.search(FIRST_STEP["start"], first), first
    assert "for my own dental practice" in first and "running" not in first, first


def test_a_plan_asked_by_email_only_names_no_call_length(search: TinySearch) -> None:
    chat = Conversation(search)
    assert chat.send("In a few years I'd like to move from hotel reception into event "
                     "planning").kind == "plan"
    reply = chat.send("email only please")
    assert reply.kind == "plan", reply.text
    for session in reply.plan:
        assert session.goal.format_phrase() == "email exchange", session.goal.format_phrase()
    assert "minutes, email" not in reply.text, reply.text


def test_a_rank_in_the_same_school_is_a_climb(search: TinySearch) -> None:
    reply = _plan(search, "Someday I'd like to be a deputy head teacher. I've been teaching "
                          "geography for eleven years.")
    assert re.search(FIRST_STEP["climb"], reply.plan[0].question), reply.plan[0].question


def test_a_plan_narrowed_after_it_was_shown_says_how(search: TinySearch) -> None:
    chat = Conversation(search)
    assert chat.send("In a few years I'd like to move from hotel reception into event "
                     "planning").kind == "plan"
    reply = chat.send("could you show me more experienced people")
    assert reply.kind == "plan", reply.text
    assert re.search(r"\d+\+ years of experience", reply.text), reply.text
    reply = chat.send("someone in Europe please")
    assert "Europe" in reply.text and "years of experience" in reply.text, reply.text


def test_a_move_from_one_kind_of_work_into_another_is_a_switch(search: TinySearch) -> None:
    for message, field in [
            ("Within a couple of years I hope to go from shelf stacking into supply chain "
             "analysis", "supply chain analysis"),
            ("In a few years I'd like to get from warehouse picking into logistics planning",
             "logistics planning")]:
        first = _plan(search, message).plan[0].question
        assert re.search(FIRST_STEP["switch"], first), first
        assert field in first, first
