"""Drafts for the steps of a plan, read as the mentee would (session 6).

A long-term goal gets a plan of two or three short sessions. When the mentee drafts to a mentor
of one step, the draft is about that step: its subject names the step and, when the plan knows
where the mentee wants to get, the destination too ("Question on day-to-day work in UX
research", not "A question for a short mentoring session"), and its suggested questions are
the step's questions (a CV-review step asks about the CV, not what to learn first).

The goals were written before the change, in new wordings. TUNE was used while building it;
REPORT is run once at the end (``-k tune`` / ``-k report``). The first report half (chef,
creative director, grooming salon) passed 0/3 when first run; what it showed (a long
destination made the subject generic; "retrain and get into ..." was not read as long-term) was
then fixed, so those three moved to TUNE and three new report goals were written before the fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from eval.textcheck import problems
from finder.dialogue.conversation import Conversation
from tests.fakes import TinySearch

GENERIC_SUBJECT = "A question for a short mentoring session"

# What each kind of step is about, as words its suggested questions must use (in the first
# two questions: the ones a mentee reads first).
STEP_WORDS: dict[str, tuple[str, ...]] = {
    "switch": (r"day-to-day|typical (?:day|week)|transfer", r"\bCV\b|portfolio|résumé",
               r"first step|course|side project"),
    "climb": (r"experience|path", r"gap|work on", r"stretch|responsibilit"),
    "start": (r"demand|customers?\b", r"costs?\b|financ|budget|money", r"legal|structure|regist"),
    "grow": (r"numbers|ready|expand", r"fund|staff|hir|location", r"process|without me|write|document"),
    "learn": (r"learn first|order|start", r"project|feedback", r"practi[cs]e|real stakes|ready"),
}


@dataclass(frozen=True)
class Case:
    message: str
    journey: str  # the kind of plan a careful assistant would make
    destination: str = ""  # a regular expression: where they want to get, named in subjects


TUNE: dict[str, Case] = {
    "tune-accountant-data": Case(
        "Over the next year I'd like to move from accounting into data analysis. Where would "
        "I even begin?", "switch", r"data analysis"),
    "tune-eng-manager": Case(
        "Long term I'm hoping to become an engineering manager, I've been a backend dev for "
        "about five years.", "climb", r"engineering manag"),
    "tune-cafe": Case(
        "One day I want to open my own little café, I've been saving up for it.", "start"),
    # From the lead's read-through (session 6): results instead of a plan; a skill read as a
    # climb to a role ("the path to public speaking").
    "tune-physio-clinic": Case(
        "I am a physiotherapist and within five years I want to run my own clinic", "start"),
    "tune-public-speaking": Case(
        "my long-term goal is to get really good at public speaking", "learn"),
    # The first report half, seen failing and then fixed: tuning cases from here on.
    "seen-chef-developer": Case(
        "After ten years as a chef I want to retrain and get into software development, "
        "probably over the next couple of years.", "switch", r"software development"),
    "seen-creative-director": Case(
        "My goal is to become a creative director at an agency within five years. I'm a "
        "senior designer right now.", "climb", r"creative director"),
    "seen-grooming": Case(
        "I'd love to grow my dog grooming salon into three or four locations eventually.",
        "grow"),
}

REPORT: dict[str, Case] = {
    "report-pharmacist-msl": Case(
        "I'm a pharmacist and I'd like to work my way into a medical science liaison role over "
        "the next few years.", "switch", r"medical science liaison"),
    "report-head-of-product": Case(
        "In the long run I want to be head of product at a fintech company; right now I'm a "
        "product owner.", "climb", r"head of product"),
    "report-woodworking": Case(
        "Someday I'd like to start a small woodworking business selling furniture I make.",
        "start"),
}


def _plan_drafts(search: TinySearch, message: str) -> list[tuple[int, object]]:
    chat = Conversation(search)
    reply = chat.send(message)
    assert reply.kind == "plan", (reply.kind, reply.text)
    drafts = []
    for number, session in enumerate(reply.plan):
        if session.matches:
            drafts.append((number, chat.draft_for(session.matches[0].mentor.id).draft))
    assert drafts, "no mentor in any step"
    return drafts


def _check(search: TinySearch, case: Case) -> None:
    for number, draft in _plan_drafts(search, case.message):
        assert draft.subject != GENERIC_SUBJECT, (number, draft.subject)
        assert len(draft.subject.split()) <= 10, draft.subject
        assert problems(draft.subject, "subject") == [], draft.subject
        if case.destination:
            assert re.search(case.destination, draft.subject, re.I), (number, draft.subject)
        first_two = " ".join(draft.questions[:2])
        wanted = STEP_WORDS[case.journey][number]
        assert re.search(wanted, first_two, re.I), (number, wanted, draft.questions)
        assert problems(draft.body, "body") == [], draft.body
        for text in draft.questions:
            assert problems(text, "suggested_question") == [], text


@pytest.mark.parametrize("name", sorted(TUNE))
def test_tune_plan_step_drafts(search: TinySearch, name: str) -> None:
    _check(search, TUNE[name])


# Measured once (session 6): 0/3. Kept as they are, with what went wrong.
REPORT_MISSES = {
    "report-pharmacist-msl": "'a role in a medical science liaison role' is too long for a "
                             "subject and no shorter form is tried: the CV step's subject "
                             "falls back to 'a CV and portfolio review'",
    "report-head-of-product": "'in the long run' and 'want to be' are not long-term cues: "
                              "results instead of a plan",
    "report-woodworking": "'start a small woodworking business' is matched to growing a "
                          "business, not starting one",
}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(reason=REPORT_MISSES[name], strict=True))
    if name in REPORT_MISSES else name for name in sorted(REPORT)])
def test_report_plan_step_drafts(search: TinySearch, name: str) -> None:
    _check(search, REPORT[name])
