"""A message that describes the mentor wanted ("someone who can help me ...") is judged by the
question it carries, not by the description (issue 7: a French speaker who can help price
translation work got a question instead of mentors)."""

from __future__ import annotations

import pytest

from finder.dialogue.conversation import Conversation
from tests.fakes import TinySearch


def test_someone_who_can_help_with_a_concrete_ask_gets_mentors(search: TinySearch) -> None:
    reply = Conversation(search).send("Someone who can help me set rates for subtitling")
    assert reply.kind == "results", reply.text
    assert reply.matches


@pytest.mark.parametrize("message", ["somebody who can help me with my career",
                                     "a mentor who could help me"])
def test_someone_who_can_help_with_nothing_named_still_gets_a_question(
        search: TinySearch, message: str) -> None:
    reply = Conversation(search).send(message)
    assert reply.kind == "question"


# Session 8 held-out run: "Looking for someone who's moved from teaching into UX research"
# was read as a wish about the mentor with nothing left to ask, and the chat asked "What would
# you like help with?". Someone who made the move the mentee wants to make is the ask.
@pytest.mark.parametrize("message", [
    "Looking for someone who's moved from teaching into UX research. A 30 min video chat "
    "would be ideal.",
    "I'm hoping to find somebody who has gone from nursing into medical sales.",
    "Someone who has switched from accounting to data science, please",
])
def test_someone_who_made_the_move_is_the_ask(search: TinySearch, message: str) -> None:
    reply = Conversation(search).send(message)
    assert reply.kind in ("results", "plan"), reply.text
