"""The dialogue as a user meets it, over a tiny in-test searcher and the real MiniLM model."""

from __future__ import annotations

import pytest

from finder.dialogue.conversation import Conversation, ConversationState, Reply
from finder.outreach.drafting import check_draft
from tests.fakes import TinySearch


def test_a_specific_request_gets_results_without_any_question(search: TinySearch) -> None:
    reply = Conversation(search).send(
        "a 30-minute video call about launching a social media campaign for our new skincare line")
    assert reply.kind == "results"
    assert reply.filters is not None
    assert reply.filters.formats == ["video"] and reply.filters.max_minutes == 30
    assert reply.matches and all("video" in m.mentor.formats for m in reply.matches)
    assert reply.matches[0].mentor.name == "Priya Raman"
    assert "social media campaign" in reply.goal.challenge  # type: ignore[union-attr]


def test_a_vague_request_asks_about_the_specific_challenge(search: TinySearch) -> None:
    reply = Conversation(search).send("I want career advice")
    assert reply.kind == "question" and reply.slot == "challenge"
    assert "career" in reply.text
    assert 2 <= len(reply.suggestions) <= 4
    assert not search.calls


def test_questions_never_repeat_a_slot_and_stop_after_three(search: TinySearch) -> None:
    conversation = Conversation(search)
    slots = []
    reply = conversation.send("I need a mentor")
    for answer in ["hmm, things", "well, I am not a robot", "stuff", "more stuff"]:
        if reply.kind != "question":
            break
        slots.append(reply.slot)
        reply = conversation.send(answer)
    assert reply.kind == "results"
    assert len(slots) <= 3
    assert len(set(slots)) == len(slots)


def test_a_guided_conversation_fills_challenge_then_context_then_format(
        search: TinySearch) -> None:
    conversation = Conversation(search)
    first = conversation.send("I want career advice")
    second = conversation.send("negotiating a job offer")
    third = conversation.send("I'm a junior product manager")
    last = conversation.send("15-minute call")
    assert [first.slot, second.slot, third.slot] == ["challenge", "context", "format"]
    assert last.kind == "results"
    assert last.goal.context.level == "junior"  # type: ignore[union-attr]
    assert last.filters.max_minutes == 15  # type: ignore[union-attr]
    assert last.matches[0].mentor.name == "Fatima Haddad"


@pytest.mark.parametrize("skip", ["skip", "just show me", "show me mentors"])
def test_skip_goes_straight_to_results(search: TinySearch, skip: str) -> None:
    conversation = Conversation(search)
    assert conversation.send("I want career advice").kind == "question"
    reply = conversation.send(skip)
    assert reply.kind == "results" and reply.matches


def test_constraints_in_the_first_message_become_filters(search: TinySearch) -> None:
    reply = Conversation(search).send(
        "a 20 minute call in German about setting up Google Ads conversion tracking for my Shopify "
        "store, someone in Europe, this week")
    assert reply.kind == "results"
    filters = reply.filters
    assert filters is not None
    assert filters.languages == ["de"] and filters.max_minutes == 20
    assert filters.utc_offset_min == -1.0 and filters.utc_offset_max == 3.0
    assert reply.matches[0].mentor.name == "Lukas Becker"
    assert reply.goal.deadline == "this week"  # type: ignore[union-attr]


def test_refinements_change_the_filters_and_keep_the_goal(search: TinySearch) -> None:
    conversation = Conversation(search)
    first = conversation.send("how should I price my B2B SaaS product for small law firms?")
    assert first.kind == "results"
    challenge = first.goal.challenge  # type: ignore[union-attr]

    email = conversation.send("only email")
    assert email.kind == "results" and email.filters.formats == ["email"]  # type: ignore[union-attr]
    assert all("email" in m.mentor.formats for m in email.matches)

    europe = conversation.send("someone in Europe")
    assert europe.filters.formats == ["email"]  # type: ignore[union-attr]
    assert europe.filters.utc_offset_min == -1.0  # type: ignore[union-attr]

    senior = conversation.send("more senior")
    years = senior.filters.min_years_experience  # type: ignore[union-attr]
    assert years is not None and years >= 10
    assert all((m.mentor.years_experience or 0) >= years for m in senior.matches)

    shorter = conversation.send("shorter, 15 minutes")
    assert shorter.filters.formats == ["email"]  # type: ignore[union-attr]
    for reply in (email, europe, senior, shorter):
        assert reply.goal.challenge == challenge  # type: ignore[union-attr]


def test_different_perspectives_excludes_those_shown_and_diversifies(search: TinySearch) -> None:
    conversation = Conversation(search)
    first = conversation.send("review my pitch deck before the seed round")
    shown = {m.mentor.id for m in first.matches}
    again = conversation.send("different perspectives")
    assert again.kind == "results" and again.matches
    assert not shown & {m.mentor.id for m in again.matches}
    assert search.calls[-1][2] > search.calls[0][2] >= 0  # spread only on request


def test_start_over_resets_everything(search: TinySearch) -> None:
    conversation = Conversation(search)
    conversation.send("a 15 minute call about my bakery's instagram ads, only email")
    reply = conversation.send("start over")
    assert reply.kind == "question"
    assert conversation.state.goal.topic == "" and conversation.state.goal.formats == []
    assert conversation.state.phase == "gathering"


def test_a_new_subject_after_results_starts_a_new_goal(search: TinySearch) -> None:
    conversation = Conversation(search)
    conversation.send("a 15 minute call about writing a grant proposal for our nonprofit")
    reply = conversation.send("actually I also need help with SEO for my shop website")
    assert "SEO" in reply.goal.topic  # type: ignore[union-attr]
    assert "grant" not in reply.goal.search_query()  # type: ignore[union-attr]
    if reply.kind == "question":
        assert reply.slot == "challenge" and "SEO" in reply.text
        reply = conversation.send("an SEO audit checklist for a small online shop")
    if reply.kind == "question":
        assert reply.slot == "format"
        reply = conversation.send("no preference")
    assert reply.kind == "results"
    assert reply.filters.max_minutes is None  # type: ignore[union-attr]
    assert "Mei Lin" in [m.mentor.name for m in reply.matches[:3]]


def test_a_long_term_goal_gets_an_honest_plan_with_distinct_mentors(search: TinySearch) -> None:
    reply = Conversation(search).send("I want to switch careers into UX design")
    assert reply.kind == "plan"
    assert "focused questions" in reply.text
    assert 2 <= len(reply.plan) <= 3
    questions = [session.goal.challenge for session in reply.plan]
    assert len(set(questions)) == len(questions)
    assert all(q.endswith("?") for q in questions)
    ids = [m.mentor.id for session in reply.plan for m in session.matches]
    assert ids and len(ids) == len(set(ids))
    assert all(session.matches for session in reply.plan)


def test_a_plan_can_be_refined_and_drafted_from(search: TinySearch) -> None:
    conversation = Conversation(search)
    conversation.send("become a CTO in five years")
    reply = conversation.send("someone in Europe")
    assert reply.kind == "plan"
    assert all(s.goal.region == "Europe" for s in reply.plan)
    mentor = reply.plan[0].matches[0].mentor
    draft = conversation.draft_for(mentor.id)
    assert draft.kind == "draft" and draft.draft is not None
    assert draft.draft_problems == []


def test_drafting_from_results_by_message(search: TinySearch) -> None:
    conversation = Conversation(search)
    results = conversation.send("a 20 minute video call about my UX portfolio case study")
    reply = conversation.send("write to the second one")
    assert reply.kind == "draft" and reply.draft is not None
    assert reply.draft.mentor_id == results.matches[1].mentor.id
    assert check_draft(reply.draft, results.matches[1].mentor, conversation.state.goal,
                       conversation.state.user_texts) == []


def test_state_survives_a_round_trip_through_json(search: TinySearch) -> None:
    conversation = Conversation(search)
    conversation.send("I want career advice")
    saved = conversation.state.model_dump_json()
    restored = Conversation(search, state=ConversationState.model_validate_json(saved))
    reply = restored.send("negotiating a job offer")
    assert reply.kind == "question" and reply.slot == "context"
    Reply.model_validate_json(reply.model_dump_json())


# Session 8 read-through: "only French speakers" after results was read as a new goal and
# searched for language teachers.
@pytest.mark.parametrize(("refinement", "code"), [
    ("only French speakers", "fr"), ("Spanish speakers only please", "es"),
    ("any German-speaking mentors?", "de"),
])
def test_asking_for_speakers_of_a_language_is_a_refinement(refinement: str, code: str,
                                                           search: TinySearch) -> None:
    conversation = Conversation(search)
    first = conversation.send("how should I price my B2B SaaS product for small law firms?")
    reply = conversation.send(refinement)
    assert reply.kind == "results"
    assert reply.goal is not None and reply.goal.challenge == first.goal.challenge  # type: ignore[union-attr]
    assert reply.goal.language == code  # type: ignore[union-attr]
