"""A focused ask stays focused when the mentee says where they are heading (issue 7, session 8).

"I need some advice on my CV", then "I'm a chef and I want to move into food product
development", asks for someone to look at a CV for that move: one conversation, not a plan of
sessions for a career change. New wordings in a mentee's voice, seen failing first."""

from __future__ import annotations

from typing import Any

import pytest

from finder.dialogue.conversation import Conversation
from finder.dialogue.understanding import Understanding

REVIEWS = [
    "Could someone look over my resume? I'm a paramedic trying to get into medical sales.",
    "I'd love some feedback on my CV. I want to move into corporate training after ten years "
    "of teaching.",
    "Can you help me rewrite my cover letter? I'm switching from retail into HR.",
]


@pytest.mark.parametrize("text", REVIEWS)
def test_a_cv_or_cover_letter_to_look_at_is_no_long_term_plan(embedder, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not Understanding(embedder).is_long_term(text)


@pytest.mark.parametrize("text", [
    "I want to move from nursing into health informatics over the next few years.",
    "switch careers into UX design",
    "My CV is thin, and I want to become a data scientist in three years.",
])
def test_a_career_change_with_no_document_to_review_is_still_a_plan(embedder, text: str) -> None:  # type: ignore[no-untyped-def]
    assert Understanding(embedder).is_long_term(text)


@pytest.mark.slow
def test_a_vague_cv_ask_then_the_move_it_is_for_shows_mentors(demo_finder: Any) -> None:
    conversation = Conversation(demo_finder)
    first = conversation.send("I'd like someone to check my CV")
    assert first.kind in ("question", "results")
    reply = conversation.send("I'm a paramedic and I want to move into medical device sales")
    assert reply.kind != "plan", reply.text
    if reply.kind == "question":  # how to meet is the one question left in a guided chat
        assert reply.slot == "format", reply.text
        reply = conversation.send("a video call is fine")
    assert reply.kind == "results", reply.text
    assert reply.matches
