"""Suggested questions fit the kind of ask, read as the mentee reads them in the draft.

From a read-through (2026-11-27): a chemistry teacher asking what to learn first for data
science got interview questions ("How would you spend the last week before the interview?"),
someone who freezes when presenting to executives got questions for a manager giving difficult
feedback (the keyword "manag" in "my manager"), and a freelancer whose client keeps asking for
unpaid extra work got pricing questions only. TUNE asks were used while fixing; REPORT asks
were written at the same time and only run afterwards.
"""

from __future__ import annotations

import re

import pytest

from finder.dialogue.conversation import Conversation
from tests.fakes import TinySearch

# (message, words at least two questions must touch, words no question may use)
LEARN = (r"learn|course|first|start|project|skill|resource|practi",
         r"interview|candidate|defensive")
SPEAK = (r"talk|present|speak|nerv|audience|slides|room|rehears|deliver",
         r"defensive|feedback conversation|interview|candidate|pricing")
CLIENT = (r"client|customer|scope|agree|contract|boundar|extra|paid|pay|charge|request",
          r"interview|candidate|defensive")

NEW_ROLE = (r"first (?:month|weeks|90|days)|early|meet|listen|new (?:role|job|team)|start",
            r"interview|candidate|campaign|launch|channel")
SWITCH = (r"learn|course|first|start|project|skill|transfer|gap|role",
          r"interview|candidate|defensive")

FUNDERS = (r"fund|grant|report|application|reviewer|expect",
           r"nerves|rehears|audience|presentation|interview")
DECIDE = (r"option|decid|decision|weigh|cost|test|choos|reversib|first step|transfer|realistic",
          r"price|pricing|interview|nerves")

TUNE = [
    ("Our small nonprofit runs after-school coding clubs and a big foundation just asked us "
     "for an impact report by the end of the month. None of us has written one. Could someone "
     "spare twenty minutes on a video call to explain what funders expect?", *FUNDERS),
    ("Is it a bad idea to quit my stable job to go freelance as a photographer?", *DECIDE),
    ("I'm a physiotherapist and I'd like to retrain as a software developer. What would you do "
     "first in my shoes?", *SWITCH),
    ("what does a good first month look like for a new head of sales?", *NEW_ROLE),
    ("I teach high school chemistry and I keep hearing that data science is a good fit for "
     "science teachers. What should I learn first?", *LEARN),
    ("My manager wants me to present our quarterly numbers to the exec team on Thursday and I "
     "freeze up every time I speak in front of senior people", *SPEAK),
    ("How do you handle a client who keeps asking for extra work outside the agreed scope "
     "without paying more? I am a freelance web designer.", *CLIENT),
]

REPORT = [
    # Missed when first run (end of session 5), kept as written: strict xfail.
    pytest.param(
        "The trust that funds our youth theatre wants a progress report next month. What do "
        "they usually look for?", *FUNDERS, marks=pytest.mark.xfail(
            strict=True, reason="'a trust that funds' names no funding keyword; generic questions")),
    pytest.param(
        "Would it be crazy to leave my teaching job to start a bakery?", *DECIDE,
        marks=pytest.mark.xfail(strict=True, reason="'bakery' makes it a small-business ask "
                                "(what businesses underestimate), not a decision")),
    ("I start as an engineering manager at a new company in two weeks. How do I make a good "
     "start?", *NEW_ROLE),
    ("I'm a nurse thinking about retraining as a web developer, where would you begin?",
     *SWITCH),
    ("I've been a bookkeeper for ten years and would like to get into UX design. Where do I "
     "even start learning?", *LEARN),
    ("I have to give a five minute talk at our all-hands next week and my hands shake just "
     "thinking about it", *SPEAK),
    ("a customer keeps messaging me late at night and expects answers within the hour, how do "
     "I set boundaries without losing them?", *CLIENT),
]


def _questions(search: TinySearch, message: str) -> list[str]:
    conversation = Conversation(search)
    reply = conversation.send(message)
    if reply.kind == "question":
        reply = conversation.send("skip")
    shown = reply.matches or [s.matches[0] for s in reply.plan if s.matches]
    assert shown, reply.text
    return conversation.draft_for(shown[0].mentor.id).draft.questions


def _check(questions: list[str], wanted: str, unwanted: str) -> None:
    text = " ".join(questions).lower()
    assert not re.search(unwanted, text), questions
    assert sum(bool(re.search(wanted, q.lower())) for q in questions) >= 2, questions


@pytest.mark.parametrize(("message", "wanted", "unwanted"), TUNE, ids=lambda v: str(v)[:40])
def test_questions_fit_the_kind_of_ask(search: TinySearch, message: str, wanted: str,
                                       unwanted: str) -> None:
    _check(_questions(search, message), wanted, unwanted)


@pytest.mark.parametrize(("message", "wanted", "unwanted"), REPORT, ids=lambda v: str(v)[:40])
def test_questions_fit_the_kind_of_ask_held_out(search: TinySearch, message: str, wanted: str,
                                                unwanted: str) -> None:
    _check(_questions(search, message), wanted, unwanted)
