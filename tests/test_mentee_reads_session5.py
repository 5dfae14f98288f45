"""What a mentee reads back, for what the end-of-session-5 read-through found (new wordings,
not the read-through's own messages): where they live is logistics, not part of the question;
an opening "not sure what I need" is not quoted as if it were the ask; running one's first
one-on-ones gets a question about one-on-ones."""

from __future__ import annotations

import re

import pytest

from finder.dialogue.conversation import Conversation
from tests.fakes import TinySearch


def _first_draft(search: TinySearch, message: str):  # type: ignore[no-untyped-def]
    conversation = Conversation(search)
    reply = conversation.send(message)
    if reply.kind == "question":
        reply = conversation.send("skip")
    shown = reply.matches or [s.matches[0] for s in reply.plan if s.matches]
    return reply, conversation.draft_for(shown[0].mentor.id).draft


@pytest.mark.parametrize("message", [
    "How do I get my first 100 newsletter subscribers? Email works best, I'm in Auckland so "
    "our time zones won't line up.",
    "What should a first-time landlord check in a tenancy agreement? I'm based in Montreal, "
    "so evenings Eastern time are easiest.",
])
def test_where_the_mentee_lives_is_not_quoted(search: TinySearch, message: str) -> None:
    reply, draft = _first_draft(search, message)
    for text in (reply.text, draft.body):
        quoted = re.findall("\u201c([^\u201d]+)\u201d", text)
        assert quoted, text
        for quote in quoted:
            assert "Auckland" not in quote and "Montreal" not in quote, text
            assert "time zone" not in quote.lower(), text


@pytest.mark.parametrize("message", [
    "Not really sure what I need. My online course launch got twelve sign-ups in a month.",
    "I don't know exactly what I'm asking for. Our volunteers keep quitting after a few weeks.",
])
def test_not_knowing_what_they_need_is_not_quoted_as_the_ask(search: TinySearch,
                                                             message: str) -> None:
    reply, draft = _first_draft(search, message)
    for text in (reply.text, draft.body):
        assert "sure what I need" not in text and "what I'm asking for" not in text, text


def test_a_new_manager_running_one_on_ones_gets_a_question_about_them(
        search: TinySearch) -> None:
    _, draft = _first_draft(search, "I was made manager of four engineers last week and I "
                                    "have never run a one-on-one before. How should I start?")
    assert any("one-on-one" in q for q in draft.questions), draft.questions
