"""The chat never shows worse mentors first than a plain search of the mentee's message would
(issue 7): a plan's first five mentors are the five a search of the mentee's words finds."""

from __future__ import annotations

import pytest

from finder.dialogue.conversation import Conversation, Reply
from tests.fakes import TinySearch


def _first_five(reply: Reply) -> list[str]:
    shown = reply.matches or [m for s in reply.plan for m in s.matches]
    return [m.mentor.id for m in shown][:5]


@pytest.mark.parametrize("message", [
    "I'd love to switch careers from bookkeeping into data analysis",
    "I'm a nurse and I want to change careers into health informatics",
])
def test_a_plans_first_five_mentors_are_the_ones_a_search_of_my_words_finds(
        search: TinySearch, message: str) -> None:
    reply = Conversation(search).send(message)
    assert reply.kind == "plan"
    plain = [m.mentor.id for m in search.search(message, k=5)]
    assert sorted(_first_five(reply)) == sorted(plain)
    ids = [m.mentor.id for s in reply.plan for m in s.matches]
    assert len(ids) == len(set(ids))  # still no mentor twice
    assert all(len(s.matches) == 3 for s in reply.plan)


def test_a_plan_keeps_my_format_for_every_mentor_it_draws(search: TinySearch) -> None:
    reply = Conversation(search).send(
        "I want to change careers from retail management into UX design, email only please")
    assert reply.kind == "plan"
    shown = [m.mentor for s in reply.plan for m in s.matches]
    assert shown and all("email" in mentor.formats for mentor in shown)
