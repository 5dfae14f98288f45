"""What a mentor reads in an offline draft: a specific subject, a natural ask, a short reason
from the profile, and session questions tied to the challenge and to this mentor."""

from __future__ import annotations

import re
from typing import Any

import pytest

from finder.outreach.drafting import check_draft, offline_draft, why_this_mentor
from finder.core.goal import Goal, MenteeContext
from finder.core.models import Match, MatchReasons, Mentor
from finder.outreach.phrasing import ask_of, headline_role, short_clause, subject_line

HR = Mentor(id="hr", name="Amina Diallo", headline="Human resources officer",
            bio="Amina Diallo has worked as a human resources officer for 12 years. Human "
                "resources officers develop strategies to recruit, interview and select "
                "employees based on a preliminary assessment of the required profile, and "
                "negotiate salaries and employment contracts with candidates and employers.",
            skills=["negotiate salaries", "recruit employees", "employment law"],
            industries=["Personnel and careers professionals"], formats=["video", "email"],
            session_minutes=[15, 30])
SOCIAL = Mentor(id="se", name="Nour Nguyen", headline="",
                bio="Social entrepreneurs create innovative products or service models to "
                    "tackle social and environmental challenges, pursuing through their "
                    "profits a social mission that benefits a wider community or the "
                    "environment.", skills=[], formats=["email"], session_minutes=[30])
# Goals as the understanding builds them: a topic label and the mentee's sentence, whole.
SALARY = Goal(topic="Negotiating a job offer", challenge="How do I negotiate my first salary?",
              context=MenteeContext(role="designer", level="junior"), formats=["video"],
              minutes=15)
CAMPAIGN = Goal(topic="Launching a social media campaign", formats=["email"],
                challenge="I'm launching a social media campaign for our new skincare line.")
DANGLING = {"for", "our", "my", "the", "a", "an", "with", "to", "of", "in", "on", "and", "or"}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{4,}", text.lower()))


def test_the_salary_draft_is_about_negotiating_the_salary_not_career_advice(
        embedder: Any) -> None:
    match = Match(mentor=HR, score=1.0, reasons=MatchReasons(
        matched_skills=["negotiate salaries", "Personnel and careers professionals"]))
    draft = offline_draft(SALARY, match, embedder)
    assert draft.subject == "Question on negotiating a job offer"
    assert "career advice" not in draft.subject.lower()
    assert ("I'm a junior designer. I'd value your advice on negotiating a job offer. My "
            "question, in my own words: \u201cHow do I negotiate my first salary?\u201d"
            in draft.body)
    assert "mentor network" not in draft.body
    # Why: the matched listed skill and the headline, never the industry group.
    assert "your experience as a human resources officer, including negotiating salaries" \
        in draft.body
    assert "Personnel" not in draft.body
    assert check_draft(draft, HR, SALARY) == []


def test_salary_questions_are_specific_to_the_challenge_and_the_mentor(embedder: Any) -> None:
    match = Match(mentor=HR, score=1.0, reasons=MatchReasons(matched_skills=["negotiate salaries"]))
    questions = offline_draft(SALARY, match, embedder).questions
    assert 3 <= len(questions) <= 5
    assert all(q.endswith("?") for q in questions)
    assert len(set(questions)) == len(questions)
    text = " ".join(questions).lower()
    assert "career advice" not in text and "most common mistake people make with" not in text
    assert sum(("salary" in q.lower() or "offer" in q.lower()) for q in questions) >= 2
    assert questions[0].startswith("As a human resources officer,")


@pytest.mark.parametrize(("challenge", "terms"), [
    ("how should I price my SaaS product for small law firms?", {"price", "pricing"}),
    ("hire my first apprentice for my plumbing business", {"hiring", "apprentice"}),
    ("give difficult feedback to an underperforming team member", {"feedback", "conversation"}),
    ("how to prepare for a system design interview at a big tech company", {"interview"}),
    ("should I use React or Vue for a new dashboard at work", {"trade-off", "option"}),
    ("launching a social media campaign for our new skincare line", {"campaign"}),
])
def test_questions_fit_the_kind_of_ask(challenge: str, terms: set[str], embedder: Any) -> None:
    goal = Goal(topic=challenge, challenge=challenge)
    match = Match(mentor=HR, score=1.0)
    questions = offline_draft(goal, match, embedder).questions
    assert 3 <= len(questions) <= 5 and len(set(questions)) == len(questions)
    assert all(q.endswith("?") and q[0].isupper() for q in questions)
    mentioned = [q for q in questions if any(t in q.lower() for t in terms)]
    assert len(mentioned) >= 2, questions


@pytest.mark.parametrize("challenge", [
    "launching a social media campaign for our new skincare line",
    "how to prepare for a system design interview at a big tech company in London next month",
    "should I register my bakery as an LLC or a sole proprietorship before opening",
    "what to put in a freelance design contract to avoid scope creep with agencies",
    "why do my Facebook ads not convert even though people click on them all the time",
])
def test_subjects_are_short_and_never_end_mid_phrase(challenge: str) -> None:
    subject = subject_line(ask_of(Goal(challenge=challenge)))
    assert len(subject) <= 60
    assert subject.split()[-1].lower().strip("?") not in DANGLING
    assert _words(subject) & _words(challenge)


def test_the_campaign_subject_keeps_the_campaign() -> None:
    from finder.outreach.drafting import draft_subject

    assert draft_subject(CAMPAIGN) == "Question on launching a social media campaign"


@pytest.mark.parametrize(("challenge", "ask"), [
    ("how to negotiate my first salary", "negotiating my first salary"),
    ("How should I price my SaaS product?", "pricing my SaaS product"),
    ("should I use React or Vue", "whether to use React or Vue"),
    ("do I need a license to sell cakes from home", "whether I need a license to sell cakes"),
    ("review my pitch deck", "my pitch deck"),
    ("hire my first employee", "hiring my first employee"),
])
def test_the_ask_reads_as_a_phrase(challenge: str, ask: str) -> None:
    assert ask_of(Goal(challenge=challenge)).phrase.startswith(ask)


def test_the_why_sentence_is_short_and_quotes_the_profile() -> None:
    match = Match(mentor=SOCIAL, score=1.0, reasons=MatchReasons(best_sentence=SOCIAL.bio))
    why = why_this_mentor(match, CAMPAIGN)
    quoted = re.search(r'"(.+?)\.?"', why)
    assert quoted is not None
    assert len(quoted.group(1).split()) <= 25
    assert quoted.group(1) in SOCIAL.bio
    draft = offline_draft(CAMPAIGN, match)
    assert check_draft(draft, SOCIAL, CAMPAIGN) == []
    assert "pursuing through their profits" not in draft.body


def test_short_clause_cuts_at_a_clause_boundary() -> None:
    assert short_clause(SOCIAL.bio) == ("Social entrepreneurs create innovative products or "
                                        "service models to tackle social and environmental "
                                        "challenges")


@pytest.mark.parametrize(("headline", "role"), [
    ("Advertising manager", "an advertising manager"), ("CTO @ Catalytic DS",
                                                        "CTO at Catalytic DS"),
    ("UX Engineer", "a UX Engineer"), ("Programmer, Writer, Monster Slayer", "a programmer"),
    ("Frontend at @wix", None), ("React, React Native, Node dev", "a Node dev"),
])
def test_headlines_become_roles_or_nothing(headline: str, role: str | None) -> None:
    assert headline_role(Mentor(id="x", name="A B", bio="b", headline=headline)) == role


def test_without_context_the_greeting_is_neutral_and_short() -> None:
    match = Match(mentor=HR, score=1.0)
    draft = offline_draft(CAMPAIGN, match)
    second = draft.body.split("\n\n")[1]
    # A statement is quoted as said, never called a question (session 5 read-through).
    assert second == ("I'd value your advice on launching a social media campaign. In my own "
                      "words: \u201cI'm launching a social media campaign for our new "
                      "skincare line.\u201d")
    assert len(draft.body.split()) <= 150


def test_a_plan_session_draft_uses_the_overall_goal_for_its_subject(embedder: Any) -> None:
    goal = Goal(topic="Moving into engineering management",
                challenge="Which experiences matter most on the path to becoming a CTO?")
    draft = offline_draft(goal, Match(mentor=HR, score=1.0), embedder)
    assert draft.subject == "Question on moving into engineering management"
    assert "Which experiences matter most on the path to becoming a CTO?" in draft.body
    assert check_draft(draft, HR, goal) == []
