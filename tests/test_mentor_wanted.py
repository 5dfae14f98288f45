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
