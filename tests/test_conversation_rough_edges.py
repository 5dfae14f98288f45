"""Rough edges a user would notice: chips for a broad ask, a self-description after results,
readable plans whose sessions search with the goal, and decisions that are not journeys."""

from __future__ import annotations

from typing import Any

import pytest

from finder.dialogue.conversation import Conversation
from finder.core.goal import Goal
from finder.dialogue.planning import offline_plan, session_queries
from finder.dialogue.understanding import Understanding
from tests.fakes import TinySearch


def test_career_advice_chips_are_broad_career_asks(search: TinySearch) -> None:
    reply = Conversation(search).send("I want career advice")
    assert reply.suggestions[:3] == ["Negotiating a salary offer", "Changing careers",
                                     "Preparing for an interview"]
    assert not any("clinical" in chip.lower() for chip in reply.suggestions)


@pytest.mark.parametrize(("topic", "expected"), [
    ("finance", "Building a cash-flow forecast"), ("marketing", "Launching a social media "
                                                                "campaign"),
    ("law", "Reviewing a client contract"), ("my bakery", "Pricing my product"),
])
def test_chips_follow_the_field_when_it_is_named(topic: str, expected: str,
                                                 embedder: Any) -> None:
    chips = Understanding(embedder).suggestions(topic, 4)
    assert expected in chips and len(set(chips)) == 4


def test_saying_who_you_are_after_results_keeps_the_goal(search: TinySearch) -> None:
    conversation = Conversation(search)
    first = conversation.send("I want to hire my first employee for my cleaning company")
    assert first.kind == "results"
    reply = conversation.send("I run a small cleaning company")
    assert reply.kind == "results"
    assert reply.goal is not None and reply.goal.challenge == first.goal.challenge  # type: ignore[union-attr]
    assert reply.goal.context.level == "founder"
    assert reply.text.startswith("Thanks, noted")


# Session 8 read-through: after the plan for "I want to become a UX designer", the mentee's
# background was read as a new goal, and print designers were shown for it.
@pytest.mark.parametrize("background", [
    "I have been doing graphic design for print for 6 years",
    "I've been a print designer for six years",
    "I have been working in print design since 2019",
])
def test_a_background_after_a_plan_is_context_for_the_same_goal(background: str,
                                                                search: TinySearch) -> None:
    conversation = Conversation(search)
    first = conversation.send("I want to become a UX designer")
    assert first.kind in ("plan", "results")
    reply = conversation.send(background)
    assert reply.kind == first.kind
    assert reply.goal is not None and first.goal is not None
    assert reply.goal.challenge == first.goal.challenge
    assert reply.text.startswith("Thanks, noted")
    assert "ux" in conversation.query().lower()
    context = reply.goal.context
    assert any("design" in (part or "") for part in (context.role, context.field)), context


# Session 8 read-through: "I want to become a UX designer" got the plan for a senior role
# ("the path to the role I'm aiming for"; the draft's subject "Question on the path to a senior
# role"): the plan was made without the mentee's words.
@pytest.mark.parametrize(("message", "role"), [
    ("I want to become a UX designer", "ux designer"),
    ("Someday I'd love to become a data scientist", "data scientist"),
])
def test_a_plan_names_the_role_the_mentee_wants(message: str, role: str,
                                                search: TinySearch) -> None:
    reply = Conversation(search).send(message)
    assert reply.kind == "plan"
    shown = " ".join([reply.text] + [s.goal.topic for s in reply.plan]).lower()
    assert role in shown, shown
    assert "senior role" not in shown and "the role i'm aiming for" not in shown, shown


def test_a_self_description_before_the_question_is_not_the_subject(embedder: Any) -> None:
    goal = Understanding(embedder).read_goal(
        "I'm a nurse with 5 years on a ward; how do I move into a nurse practitioner role?",
        Goal())
    # The mentee's sentence, whole: never a remainder cut out of it.
    assert goal.challenge == ("I'm a nurse with 5 years on a ward; how do I move into a nurse "
                              "practitioner role?")
    assert goal.context.role == "nurse"


def test_a_choice_between_two_options_is_one_focused_question(search: TinySearch) -> None:
    reply = Conversation(search).send(
        "I'm a paralegal and want to know whether I should go to law school or become a "
        "legal secretary")
    assert reply.kind == "results"
    assert reply.goal is not None
    assert "whether I should go to law school" in reply.goal.challenge


def test_the_plan_is_a_numbered_list_with_formats(search: TinySearch) -> None:
    reply = Conversation(search).send("I want to become a CTO in five years")
    assert reply.kind == "plan"
    lines = reply.text.splitlines()
    numbered = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert len(numbered) == len(reply.plan)
    assert all(line.rstrip(")").endswith(("call", "exchange", "meeting", "chat"))
               for line in numbered)
    assert "path to becoming a CTO" in reply.text
    assert "your path" not in reply.text  # no claim that the mentor has been a CTO


def test_each_session_searches_with_its_focus_and_the_goal(search: TinySearch,
                                                           embedder: Any) -> None:
    goal = Goal(topic="become a CTO in five years", challenge="become a CTO in five years")
    queries = session_queries(goal, offline_plan(goal, embedder), "I want to become a CTO")
    # The first session searches the mentee's words; the others add their own focus.
    assert queries[0] == "I want to become a CTO"
    assert all("technology leadership" in q and "become a CTO" in q for q in queries[1:])
    Conversation(search).send("I want to become a CTO in five years")
    searched = [query for query, _, _ in search.calls]
    assert searched[0] == "I want to become a CTO"
    assert all("become a CTO" in q for q in searched)


@pytest.mark.parametrize(("text", "words"), [
    ("switch careers into UX design", "UX design"),
    ("grow my bakery into a chain", "bakery"),
])
def test_plans_for_other_journeys_name_their_subject(search: TinySearch, text: str,
                                                     words: str) -> None:
    reply = Conversation(search).send(text)
    assert reply.kind == "plan"
    assert all(words in s.goal.challenge for s in reply.plan)
    assert all(words.split()[0].lower() in s.query.lower() for s in reply.plan)
