"""What a mentee reads back for asks a read-through got wrong: plans that name no set phrase as
a goal, drafts that never pass a suggested question off as the mentee's words, questions that
fit the kind of ask, and a quote that leaves out the request for the meeting itself."""

from __future__ import annotations

import re
from typing import Any

import pytest

from eval.textcheck import problems
from finder.core.goal import Goal
from finder.core.models import Match, Mentor
from finder.dialogue.conversation import Conversation, Reply
from finder.outreach.drafting import check_draft, offline_draft
from finder.outreach.questions import choose_intent, session_questions
from tests.fakes import TinySearch

MENTOR = Mentor(id="x", name="Lena Park", headline="Operations director", bio="Runs operations.",
                formats=["video", "phone"], session_minutes=[15, 30, 45])


def _all_drafts(conversation: Conversation, reply: Reply) -> list[Any]:
    shown = reply.matches or [s.matches[0] for s in reply.plan if s.matches]
    return [conversation.draft_for(m.mentor.id) for m in shown]


def test_putting_something_into_practice_is_not_where_a_plan_leads(search: TinySearch) -> None:
    message = ("Within the next four years I hope to make it to engineering director. I read "
               "a lot about leadership but struggle to put it into practice along the way.")
    reply = Conversation(search).send(message)
    assert reply.kind == "plan"
    for session in reply.plan:
        assert "practice" not in session.goal.challenge, session.goal.challenge
    assert problems(reply.text, "plan") == [], reply.text


def test_a_planned_session_is_asked_never_quoted_as_the_mentees_words(
        search: TinySearch) -> None:
    message = ("I'm a pharmacist and over the next few years I want to switch careers into "
               "data science.")
    conversation = Conversation(search)
    reply = conversation.send(message)
    assert reply.kind == "plan"
    for answer, session in zip(_all_drafts(conversation, reply),
                               [s for s in reply.plan if s.matches], strict=True):
        body = answer.draft.body
        # The plan's question is in the draft, but not inside "in my own words: “…”".
        own = re.findall(r"in my own words: \u201c([^\u201d]+)\u201d", body)
        assert session.goal.challenge not in " ".join(own), body
        assert all(q in message for q in own), body
        assert session.goal.challenge[1:] in body, body
        assert answer.draft_problems == [], answer.draft_problems


def test_a_draft_that_passes_a_suggestion_off_as_the_mentees_words_is_flagged() -> None:
    said = ["Over the next few years I want to move into product management."]
    goal = Goal(challenge="Which first stretch responsibility would move me towards it?")
    draft = offline_draft(goal, Match(mentor=MENTOR, score=1.0))  # no texts: trusted as given
    assert "in my own words" in draft.body
    assert any("did not write" in p for p in check_draft(draft, MENTOR, goal, said))
    honest = offline_draft(goal, Match(mentor=MENTOR, score=1.0), user_texts=said)
    assert "in my own words" not in honest.body
    assert check_draft(honest, MENTOR, goal, said) == []


@pytest.mark.parametrize("ask", [
    "My business partner and I have been clashing for months over how fast to grow. How do we "
    "get past this before it sinks the company?",
    "Since we started the company my cofounder and I disagree on almost every product "
    "decision, and the arguments are getting personal. What should I do?",
])
def test_a_falling_out_with_a_cofounder_gets_questions_about_the_relationship(
        ask: str, embedder: Any) -> None:
    goal = Goal(challenge=ask)
    assert choose_intent(goal, embedder).name == "conflict"
    questions = session_questions(goal, Match(mentor=MENTOR, score=1.0), embedder)
    text = " ".join(questions).lower()
    assert not re.search(r"campaign|launch|channel|hire|hiring", text), questions


@pytest.mark.parametrize("ask", [
    "How can I make my first research grant proposal stand out to the review panel?",
    "We're a small charity applying for a lottery grant for the first time. What do assessors "
    "look for in the application?",
])
def test_a_grant_application_is_not_called_a_pitch(ask: str, embedder: Any) -> None:
    questions = session_questions(Goal(challenge=ask), Match(mentor=MENTOR, score=1.0), embedder)
    assert not any("pitch" in q.lower() for q in questions), questions
    assert 3 <= len(questions) <= 5


def test_a_pitch_still_gets_its_pitch_question(embedder: Any) -> None:
    goal = Goal(challenge="Could you look at my pitch deck before I meet seed investors?")
    questions = session_questions(goal, Match(mentor=MENTOR, score=1.0), embedder)
    assert any("pitch" in q for q in questions), questions


@pytest.mark.parametrize(("message", "ask"), [
    ("My landlord wants to put the rent on my cafe up by a fifth. How should I push back? "
     "Would a restaurant owner have 20 minutes for a phone call?",
     "My landlord wants to put the rent on my cafe up by a fifth. How should I push back?"),
    ("I keep losing track of invoices in my plumbing business. Can anyone spare 15 minutes?",
     "I keep losing track of invoices in my plumbing business."),
])
def test_asking_for_the_meeting_is_not_part_of_the_quoted_ask(
        search: TinySearch, message: str, ask: str) -> None:
    conversation = Conversation(search)
    reply = conversation.send(message)
    assert reply.kind == "results"
    assert reply.goal is not None and reply.goal.challenge == ask
    request = message[len(ask) + 1:]
    assert request not in reply.text
    draft = conversation.draft_for(reply.matches[0].mentor.id).draft
    assert request not in draft.body and ask in draft.body


@pytest.mark.parametrize(("message", "subject"), [
    ("What's a fair day rate for freelance wedding videography?", "Question on pricing my work"),
    ("Where do I find a publisher for children's books?",
     "Question: Where do I find a publisher for children's books?"),
])
def test_a_subject_names_the_ask_when_it_is_known(search: TinySearch, message: str,
                                                   subject: str) -> None:
    conversation = Conversation(search)
    reply = conversation.send(message)
    assert reply.kind == "results"
    draft = conversation.draft_for(reply.matches[0].mentor.id).draft
    assert draft.subject == subject
    assert problems(draft.subject, "subject") == [], draft.subject


def test_a_draft_proposes_the_half_hour_asked_for_even_to_a_mentor_who_lists_less() -> None:
    # "I run a flower shop ... Could someone give me 30 minutes on the phone?"
    goal = Goal(challenge="How should I price wedding flower arrangements?", formats=["phone"],
                minutes=30)
    short = Mentor(id="s", name="Ola Berg", headline="Florist and shop owner", bio="Runs a shop.",
                   formats=["phone"], session_minutes=[15])
    draft = offline_draft(goal, Match(mentor=short, score=1.0))
    assert "a 30-minute phone call" in draft.body, draft.body
    assert "15 minutes" in draft.body, draft.body  # what their profile lists, as an option
    assert check_draft(draft, short, goal) == []
    roomy = short.model_copy(update={"session_minutes": [15, 45]})
    assert "a 30-minute phone call?" in offline_draft(goal, Match(mentor=roomy, score=1.0)).body


def test_a_question_that_says_what_they_do_is_not_followed_by_a_role_question(
        search: TinySearch) -> None:
    conversation = Conversation(search)
    assert conversation.send("I need some advice about work").slot == "challenge"
    reply = conversation.send("What should I charge for my freelance illustration commissions?")
    assert reply.slot != "context", reply.text
    if reply.kind == "question":
        reply = conversation.send("skip")
    draft = conversation.draft_for(reply.matches[0].mentor.id).draft
    assert "I'm someone" not in draft.body, draft.body
    # Who they are is only asked when nothing says it.
    other = Conversation(search)
    other.send("I need some advice about work")
    assert other.send("How do I negotiate a better notice period?").slot == "context"


def test_a_long_message_is_quoted_by_its_question_not_its_meeting_request(
        search: TinySearch) -> None:
    # Found in a read-through: the quote and the draft's "in my own words" were the closing
    # request for a call, not what the mentee wanted to know.
    conversation = Conversation(search)
    reply = conversation.send(
        "Hello! I have taught primary school for eight years and I keep thinking about moving "
        "into instructional design, since I enjoy building lesson materials and I help with our "
        "school's online courses. I am not sure whether I need a master's degree or if a "
        "portfolio is enough, and I worry about a pay cut. Would anyone who made this move "
        "spare 15 minutes on a phone call sometime soon?")
    shown = reply.matches or [m for s in reply.plan for m in s.matches]
    draft = conversation.draft_for(shown[0].mentor.id).draft
    for text in (reply.text, draft.body):
        assert "spare 15 minutes" not in text and "Would anyone" not in text, text
    assert "master's degree or if a portfolio is enough" in draft.body, draft.body


def test_raising_my_prices_is_about_pricing_not_a_pay_rise(search: TinySearch) -> None:
    # Found in a read-through: a pottery studio owner asking whether to raise class prices got
    # the subject "Question on negotiating my salary" and a question on salary ranges.
    conversation = Conversation(search)
    reply = conversation.send("My costs for clay and kiln time went up a lot. Should I raise "
                              "the prices of my weekend ceramics workshops? Email is best.")
    shown = reply.matches or [m for s in reply.plan for m in s.matches]
    draft = conversation.draft_for(shown[0].mentor.id).draft
    text = " ".join([draft.subject, draft.body, *draft.questions]).lower()
    assert "salary" not in text and "raise" not in draft.subject.lower(), text
    assert "pric" in draft.subject.lower() or any("pric" in q.lower() for q in draft.questions)


def test_a_draft_never_introduces_the_mentee_by_a_guessed_role(search: TinySearch) -> None:
    # Found in a read-through: "I run a small pottery studio ..." became "I'm a founder." and
    # "my team lead keeps rewriting my comments ..." became "I'm a manager."
    for message in ("I make scented candles and sell them on Etsy; how do I land my first "
                    "wholesale order with a local gift shop?",
                    "My team lead keeps taking credit for my ideas in planning meetings and I "
                    "don't know how to raise it without souring things."):
        conversation = Conversation(search)
        reply = conversation.send(message)
        if reply.kind == "question":
            reply = conversation.send("skip")
        shown = reply.matches or [m for s in reply.plan for m in s.matches]
        body = conversation.draft_for(shown[0].mentor.id).draft.body
        assert not re.search(r"\bI'm an? (founder|manager|team lead)\b", body), body


def test_a_role_the_mentee_gave_still_introduces_them(search: TinySearch) -> None:
    conversation = Conversation(search)
    reply = conversation.send("I'm a junior product designer. Could you look at how I present "
                              "case studies in my portfolio?")
    shown = reply.matches or [m for s in reply.plan for m in s.matches]
    body = conversation.draft_for(shown[0].mentor.id).draft.body
    assert "junior product designer" in body, body
