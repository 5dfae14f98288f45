"""A lead-in such as "Quick one:" or "Quick question -" is how a message starts, not part of
what the mentee asks: it is neither quoted back to them nor put in a draft. (Read-through,
2026-11-27: "Quick one: how do you handle a client who keeps asking for extra work…" was quoted
with its "Quick one:".)"""

from __future__ import annotations

import pytest

from finder.dialogue.conversation import Conversation
from finder.dialogue.words import without_greeting
from tests.fakes import TinySearch


@pytest.mark.parametrize(("sentence", "kept"), [
    ("Quick one: how do I price a logo?", "how do I price a logo?"),
    ("Quick question - should I learn Go or Rust first?", "should I learn Go or Rust first?"),
    ("Hi all, silly question, but how do I ask for a raise?", "how do I ask for a raise?"),
    ("A quick question: what do investors want in a deck?", "what do investors want in a deck?"),
    ("Random question: is a bootcamp worth it?", "is a bootcamp worth it?"),
    # Not a lead-in: the words belong to the ask.
    ("Quick wins for a slow website?", "Quick wins for a slow website?"),
    ("One question I keep asking myself is whether to go freelance",
     "One question I keep asking myself is whether to go freelance"),
])
def test_a_lead_in_is_not_part_of_the_ask(sentence: str, kept: str) -> None:
    assert without_greeting(sentence).lower() == kept.lower()


def test_the_quote_and_the_draft_leave_the_lead_in_out(search: TinySearch) -> None:
    conversation = Conversation(search)
    reply = conversation.send("Hey! Quick question: how do you tell a client their deadline is "
                              "unrealistic without losing the project?")
    assert "quick question" not in reply.text.lower(), reply.text
    shown = reply.matches or [s.matches[0] for s in reply.plan if s.matches]
    draft = conversation.draft_for(shown[0].mentor.id).draft
    assert "quick question" not in draft.body.lower(), draft.body
