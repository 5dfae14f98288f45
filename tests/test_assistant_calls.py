"""Every reading of a message goes through the assistant: a chat model's answer is used for
commands, refinements and long-term detection, and each call that fails falls back on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.messages import AIMessage

from finder.assistants.chat_model import ChatModelAssistant
from finder.core.errors import ChatModelFailed
from finder.core.goal import Goal
from finder.core.models import Match, Mentor
from finder.dialogue.assistant import (
    Answer,
    Assistant,
    Command,
    FallbackAssistant,
    FollowUp,
    OfflineAssistant,
    Refinement,
)
from finder.dialogue.conversation import Conversation
from finder.dialogue.planning import SessionPlan
from finder.dialogue.understanding import GoalWords
from finder.outreach.drafting import OutreachDraft
from tests.fakes import FixedSearch as Search
from tests.fakes import scripted, tool
from tests.test_llm import MENTORS as LLM_MENTORS

MENTORS = [
    LLM_MENTORS[0].model_copy(update={"languages": ["en", "es"], "country": "DE"}),
    Mentor(id="m2", name="Tomas Greene", headline="Growth marketer for consumer brands",
           bio="I run paid social and influencer programmes.",
           skills=["growth marketing"], formats=["video", "phone"], session_minutes=[20, 30],
           years_experience=7),
]
GOAL = {"topic": "skincare launch", "challenge": "launching a social media campaign for our "
        "new skincare line"}
FIRST = "How do I launch a social media campaign for our new skincare line?"
NONE = tool("Command", {"kind": "none"})
FOCUSED = tool("LongTerm", {"long_term": False})


def FixedSearch(embedder: Any) -> Any:
    return Search(embedder, MENTORS)


def after_results(embedder: Any, *then: AIMessage | str) -> tuple[Conversation, Any]:
    """A conversation with a chat model that has shown results; ``then`` scripts what follows."""
    model = scripted(NONE, tool("Goal", GOAL), FOCUSED, *then)
    conversation = Conversation(FixedSearch(embedder), assistant=ChatModelAssistant(
        model, OfflineAssistant(embedder), name="fake:model"))
    first = conversation.send(FIRST)
    assert first.kind == "results" and first.notice is None
    return conversation, model


# -- the chat model's answer is used ---------------------------------------------------------

def test_a_draft_command_the_model_read_goes_to_that_mentor(hashing_embedder: Any) -> None:
    # No name, ordinal or number: the offline rules would not find a target here.
    conversation, _ = after_results(
        hashing_embedder, tool("Command", {"kind": "draft", "mentor_id": "m2"}))
    offline = OfflineAssistant(hashing_embedder)
    text = "write something to the growth marketer"
    assert offline.command(text, conversation.state.last_matches).kind == "none"
    reply = conversation.send(text)  # the draft itself is unscripted: written offline
    assert reply.kind == "draft" and reply.draft is not None and reply.draft.mentor_id == "m2"


def test_a_skip_and_a_reset_the_model_read_are_obeyed(hashing_embedder: Any) -> None:
    model = scripted(tool("Command", {"kind": "skip"}), tool("Goal", {}),
                     tool("Command", {"kind": "reset"}))
    conversation = Conversation(FixedSearch(hashing_embedder), assistant=ChatModelAssistant(
        model, OfflineAssistant(hashing_embedder), name="fake:model"))
    reply = conversation.send("honestly you pick, I trust you")
    assert reply.kind == "results" and reply.notice is None
    reply = conversation.send("let us try something completely different from the beginning")
    assert reply.kind == "question" and conversation.state == type(conversation.state)()


def test_a_refinement_the_model_read_changes_the_search(hashing_embedder: Any) -> None:
    refine = {"kind": "refine", "refinement": {"formats": ["video"], "language": "es",
                                                "countries": ["de"]}}
    conversation, model = after_results(hashing_embedder, NONE, tool("FollowUp", refine))
    reply = conversation.send("video, in the language of Cervantes, and someone near the Spree")
    assert reply.kind == "results" and reply.notice is None
    goal = conversation.state.goal
    assert goal.formats == ["video"] and goal.language == "es" and goal.countries == ["DE"]
    assert [m.mentor.id for m in reply.matches] == ["m1"]
    _system, human = model.seen[-1]
    assert "near the Spree" in str(human.content)


def test_more_from_the_model_shows_other_mentors(hashing_embedder: Any) -> None:
    more = {"kind": "refine", "refinement": {"more": True}}
    conversation, _ = after_results(hashing_embedder, NONE, tool("FollowUp", more))
    shown = {m.mentor.id for m in conversation.state.last_matches}
    reply = conversation.send("anyone else?")
    assert reply.notice is None
    assert not shown & {m.mentor.id for m in reply.matches}


def test_the_models_long_term_reading_decides_plan_or_results(hashing_embedder: Any) -> None:
    text = "I want to become a CTO in five years"
    assert OfflineAssistant(hashing_embedder).is_long_term(text)
    model = scripted(NONE, tool("Goal", {"topic": "becoming a CTO", "challenge": text}), FOCUSED)
    conversation = Conversation(FixedSearch(hashing_embedder), assistant=ChatModelAssistant(
        model, OfflineAssistant(hashing_embedder), name="fake:model"))
    reply = conversation.send(text)
    assert reply.kind == "results" and reply.notice is None


# -- a failing or invalid answer falls back for that call only, with a notice ------------------

def test_an_invalid_draft_target_falls_back_to_the_offline_rules(hashing_embedder: Any) -> None:
    conversation, _ = after_results(
        hashing_embedder, tool("Command", {"kind": "draft", "mentor_id": "m9"}))
    reply = conversation.send("draft a message to Tomas")
    assert reply.kind == "draft" and reply.draft is not None and reply.draft.mentor_id == "m2"
    assert reply.notice is not None and "not at a mentor shown" in reply.notice


def test_an_invalid_refinement_falls_back_and_later_calls_still_use_the_model(
        hashing_embedder: Any) -> None:
    klingon = tool("FollowUp", {"kind": "refine", "refinement": {"language": "Klingon"}})
    conversation, _ = after_results(hashing_embedder, NONE, klingon, NONE,
                                    tool("FollowUp", {"kind": "refine", "refinement": {
                                        "formats": ["phone"]}}))
    reply = conversation.send("only email please")
    assert reply.notice is not None and "offline assistant" in reply.notice
    assert conversation.state.goal.formats == ["email"]  # read by the offline rules
    reply = conversation.send("by the way, a call works too")
    assert reply.notice is None and conversation.state.goal.formats == ["phone"]


def test_a_long_term_call_that_fails_is_answered_offline(hashing_embedder: Any) -> None:
    text = "I want to become a CTO in five years"
    model = scripted(NONE, tool("Goal", {"topic": "becoming a CTO", "challenge": text}),
                     "I think this is long term.", "Still prose.")
    conversation = Conversation(FixedSearch(hashing_embedder), assistant=ChatModelAssistant(
        model, OfflineAssistant(hashing_embedder), name="fake:model"))
    reply = conversation.send(text)
    assert reply.kind == "plan"  # the offline reading, since the model's was not usable
    assert reply.notice is not None and "offline assistant" in reply.notice
    assert conversation.state.goal.challenge == text  # the model's goal was still used


class Failing:
    """A primary whose every call fails, as a broken chat model would."""

    name = "broken:model"

    def fail(self, *args: object) -> Any:
        raise ChatModelFailed("the provider is down")

    extract_goal = command = follow_up = is_long_term = goal_words = fail
    language = suggestions = plan = draft = fail


CALLS: dict[str, Callable[[Any], Any]] = {
    "extract_goal": lambda a: a.extract_goal("a quick call about pricing my app", Goal(), None),
    "command": lambda a: a.command("start over", []),
    "follow_up": lambda a: a.follow_up("only email", Goal(topic="pricing")),
    "is_long_term": lambda a: a.is_long_term("switch careers into data science in two years"),
    "goal_words": lambda a: a.goal_words("How do I price my app? A quick call is fine."),
    "language": lambda a: a.language("Quiero hablar de precios para mi aplicación móvil"),
    "suggestions": lambda a: a.suggestions("pricing my app", 3),
    "plan": lambda a: a.plan(Goal(topic="becoming a CTO", challenge="become a CTO")),
    "draft": lambda a: a.draft(Goal(topic="launch", challenge=GOAL["challenge"]),
                               Match(mentor=MENTORS[0], score=0.9), [FIRST]),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_every_call_falls_back_on_its_own_with_a_typed_notice(hashing_embedder: Any,
                                                              call: str) -> None:
    offline = OfflineAssistant(hashing_embedder)
    answer = CALLS[call](FallbackAssistant(Failing(), offline))  # type: ignore[arg-type]
    assert isinstance(answer, Answer)
    assert answer.notice is not None and answer.notice.call == call
    assert answer.notice.reason == "the provider is down"
    assert answer.value == CALLS[call](offline)
    plain = CALLS[call](FallbackAssistant(None, offline))
    assert plain.notice is None and plain.value == answer.value


def test_the_protocol_is_implemented_in_full() -> None:
    wanted = {name for name in vars(Assistant) if not name.startswith("_")} - {"name"}
    assert wanted == set(CALLS)
    for backend in (OfflineAssistant, ChatModelAssistant, FallbackAssistant):
        assert wanted <= set(dir(backend)), backend


def test_answer_types_are_what_the_dialogue_expects(hashing_embedder: Any) -> None:
    offline = OfflineAssistant(hashing_embedder)
    assert isinstance(offline.command("skip", []), Command)
    follow = offline.follow_up("only video calls", Goal(topic="pricing"))
    assert isinstance(follow, FollowUp) and follow.kind == "refine"
    assert follow.refinement == Refinement(formats=["video"])
    assert isinstance(offline.goal_words("How do I price my app?"), GoalWords)
    assert isinstance(offline.plan(Goal(topic="x", challenge="become a CTO")), SessionPlan)
    draft = offline.draft(Goal(topic="launch", challenge=GOAL["challenge"]),
                          Match(mentor=MENTORS[0], score=0.9), [FIRST])
    assert isinstance(draft, OutreachDraft)

