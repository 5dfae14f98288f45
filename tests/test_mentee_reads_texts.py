"""What a mentee reads in the offline chat, checked for meaning (issue 7, session 5).

Each case is one message written from the mentee's side; the checks ask what a careful human
assistant would get right:

- intro: a long message that says who the mentee is introduces them in the draft with their
  own sentence about themselves (never a guessed role);
- subject: a clear ask gets a subject that names it (not the generic line), of at most 10
  words, not ending in a function word;
- request: "Could I get ... a call", "Would it be possible to ..." is the request for a
  meeting, not the ask: it is neither quoted nor shown; its logistics become filters;
- frame: "Is there someone who could tell me ..." is not quoted; what they want to know is;
- and for every case: a quote that is not a question is never called one; no two suggested
  questions say the same thing; the draft proposes the length and format the mentee asked for,
  and none they didn't; every text passes eval.textcheck and the draft checker.

The cases are split in two: TUNE (used while fixing) and REPORT (written at the same time, run
once at the end and reported as measured, never tuned on). ``-k tune`` / ``-k report``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from eval.textcheck import (ARTICLES, AUXILIARIES, CONJUNCTIONS, POSSESSIVES, PREPOSITIONS,
                            problems)
from finder.core.models import Format
from finder.dialogue.conversation import Conversation
from tests.fakes import TinySearch

GENERIC_SUBJECT = "A question for a short mentoring session"
FUNCTION_WORDS = ARTICLES | AUXILIARIES | CONJUNCTIONS | POSSESSIVES | PREPOSITIONS | {
    "i", "we", "you", "it", "this", "that", "so", "to"}
_STOP = FUNCTION_WORDS | set("""
what which who how when where why me my your our us they them there here any some one first
would could should do does make like about more most just really get give ask know
""".split())
FORMAT_WORDS: dict[str, str] = {"video": r"\bvideo\b", "phone": r"\bphone\b",
                                "in_person": r"\bin[- ]person\b", "chat": r"\btext chat\b"}


@dataclass(frozen=True)
class Case:
    """One mentee message and what the texts they read must get right."""

    message: str
    intro: str = ""  # their own sentence about themselves, in the draft's body
    subject: str = ""  # a regular expression the subject must match (a clear ask)
    absent: tuple[str, ...] = ()  # never quoted or shown back (a request, a frame)
    asks: tuple[str, ...] = ()  # what they want to know: in the draft's body
    formats: tuple[Format, ...] = ()  # the formats they asked for (none: none named)
    minutes: int | None = None  # the length they asked for
    statement: bool = False  # they asked no question: no quote may be called one
    note: str = field(default="", compare=False)


TUNE: dict[str, Case] = {
    # a. who they are, in a long message
    "intro-paralegal": Case(
        "I've worked as a paralegal at a mid-sized firm for six years, mostly on property cases, "
        "and lately I've been doing a lot of the contract drafting myself. I'm wondering if it's "
        "realistic to qualify as a solicitor through the apprenticeship route at my age, or "
        "whether I should look at something like compliance instead. Would anyone be willing to "
        "talk it through on a video call?",
        intro="I've worked as a paralegal at a mid-sized firm for six years",
        asks=("qualify as a solicitor through the apprenticeship route",), formats=("video",)),
    "intro-teacher": Case(
        "Ideally by email. I'm a secondary school chemistry teacher with twelve years in the "
        "classroom, and for the past year I've been tutoring adults in the evenings, which I "
        "love. My question is how I'd go about turning the evening tutoring into a proper "
        "part-time business without putting my teaching job at risk, and what I should charge "
        "per hour.",
        intro="I'm a secondary school chemistry teacher with twelve years in the classroom",
        asks=("turning the evening tutoring into a proper part-time business",),
        formats=("email",)),
    "intro-bakery": Case(
        "We are a family-run bakery with two shops in Leeds and about fifteen staff, and the "
        "second shop has never really made money since we opened it three years ago. My dad "
        "wants to keep it open out of pride but I think we should close it. How do we decide "
        "this with actual numbers rather than arguing about it? 30 minutes would be plenty.",
        intro="We are a family-run bakery with two shops in Leeds",
        asks=("How do we decide this with actual numbers",), minutes=30),
    "intro-copywriter": Case(
        "I've been a freelance copywriter for three years. How do I move from one-off blog posts "
        "to clients who pay a monthly retainer?",
        intro="I've been a freelance copywriter for three years.",
        asks=("monthly retainer",)),
    # b. a subject that names a clear ask
    "subject-tableau": Case(
        "I need to put together a dashboard in Tableau that shows our weekly support tickets, "
        "and I've never built one. Where do I even start?",
        subject=r"dashboard|tableau|report|data"),
    "subject-retrain": Case(
        "I'm a physiotherapist and I'd like to retrain as a software developer. What would "
        "you do first in my shoes?", subject=r"career|develop|softwar|retrain|switch|chang"),
    "subject-anthology": Case(
        "Our writing group wants to self-publish an anthology of short stories next year. "
        "How does the process work and what does it cost?", subject=r"publish|book|anthology"),
    "subject-presenting": Case(
        "How can I get better at presenting to senior leadership without freezing up?",
        subject=r"present|speak|leadership"),
    "subject-wedding-rates": Case(
        "How do I work out what to charge for my wedding photography packages?",
        subject=r"pric|rate|charg"),
    # c. a request for the meeting is not the ask
    "request-restaurant": Case(
        "Could I get, say, 20 minutes on a video call with someone who has opened a second "
        "restaurant location? We're stretched thin and I can't tell whether the numbers "
        "justify it.",
        absent=("Could I get", "20 minutes on a video call"),
        asks=("I can't tell whether the numbers justify it",), formats=("video",), minutes=20),
    "request-usability": Case(
        "Can I get a quick phone call with an experienced UX researcher? I need to know how "
        "many participants a usability study really needs.",
        absent=("Can I get", "quick phone call"),
        asks=("how many participants a usability study really needs",), formats=("phone",),
        minutes=15, note="'a quick call' is about 15 minutes (issue 7, item 3)"),
    "request-streaming": Case(
        "Would it be possible to have a 45 minute chat over Zoom with a data engineer? My team "
        "is moving from nightly batch jobs to streaming and I'm unsure which tool to pick.",
        absent=("Would it be possible", "over Zoom"),
        asks=("I'm unsure which tool to pick",), formats=("video",), minutes=45),
    "request-at-end": Case(
        "We run a small translation agency and our biggest client wants us to use their own "
        "machine translation tool at lower rates. Would it be possible to speak to someone who "
        "has negotiated this kind of change, maybe for half an hour by phone?",
        absent=("Would it be possible", "half an hour"),
        asks=("our biggest client wants us to use their own machine translation tool",),
        formats=("phone",), minutes=30, statement=True),
    # d. "is there someone who could tell me ..." frames
    "frame-licence": Case(
        "Is there someone who could tell me how long it takes to get a food hygiene licence "
        "for a market stall?",
        absent=("Is there someone", "could tell me"),
        asks=("how long it takes to get a food hygiene licence for a market stall",)),
    "frame-product-owner": Case(
        "Is there anyone here who can explain what a product owner actually does all day?",
        absent=("Is there anyone", "can explain"),
        asks=("what a product owner actually does all day",)),
    "frame-pharmacy": Case(
        "Hoping to meet on video. Could someone who has worked in a hospital pharmacy tell me "
        "whether the night shifts ever get easier?",
        absent=("Could someone", "tell me whether"),
        asks=("whether the night shifts ever get easier",), formats=("video",)),
    "frame-looking-for": Case(
        "I'm looking for somebody who can tell me how to prepare for a panel interview at a "
        "university.",
        absent=("I'm looking for somebody", "can tell me"),
        asks=("how to prepare for a panel interview at a university",)),
    # e. a statement is not "one question"
    "statement-choir": Case(
        "I run a small choir for retired people and our numbers have dropped by half since the "
        "pandemic.", statement=True),
    "statement-studio": Case(
        "Our two-person design studio keeps saying yes to rush jobs and we are exhausted.",
        statement=True),
    "statement-olive-oil": Case(
        "I'd like advice on moving my family's olive oil business onto Amazon.",
        statement=True),
    "statement-credit": Case(
        "My manager presents my analysis as his own in every team meeting.", statement=True),
    # f. no two suggested questions say the same thing
    "questions-project-manager": Case(
        "We're a 10 person agency and I need to hire our first project manager. How do I judge "
        "candidates and what should the trial period look like?"),
    "questions-barista": Case("How do I hire my first barista for my coffee cart?"),
    "questions-review": Case(
        "How should I prepare to give my first performance review to someone who reports to "
        "me?"),
    "questions-logo": Case("What should I charge for a logo design for a local brewery?"),
    # g. the meeting proposed is what they asked for
    "proposal-nothing": Case(
        "How do I ask my landlord to fix the damp in my flat without risking my tenancy?"),
    "proposal-length-only": Case(
        "Would someone have 20 minutes to talk about how to structure a literature review?",
        minutes=20),
    "proposal-format-only": Case(
        "A phone call would be ideal. How do I get my first shifts as a locum pharmacist?",
        formats=("phone",)),
    "proposal-both": Case(
        "Happy to do a 45 minute video call. What should go in the first-year report for my "
        "PhD?", formats=("video",), minutes=45),
}

REPORT: dict[str, Case] = {
    # a.
    "intro-vet-nurse": Case(
        "Hi there, I'm a veterinary nurse, I've been doing it for nine years, and honestly my "
        "back and my wallet are both telling me it's time for a change. I've been looking at "
        "animal nutrition sales roles and pharmaceutical rep jobs, but I don't know how people "
        "from clinical backgrounds get hired into those, or whether I'd need extra "
        "qualifications. Phone is easiest for me, maybe 20 minutes.",
        intro="I'm a veterinary nurse, I've been doing it for nine years",
        asks=("clinical backgrounds get hired",), formats=("phone",), minutes=20),
    "intro-helpdesk": Case(
        "For the last fifteen years I have been running the IT helpdesk at a regional hospital "
        "trust. Next year the trust wants me to lead the move of our ticketing and asset "
        "tracking to a cloud service, which I've never done. What should I ask vendors, and how "
        "do I keep the clinicians on side during the switch? Video is fine, any weekday "
        "afternoon.",
        intro="For the last fifteen years I have been running the IT helpdesk",
        asks=("What should I ask vendors",), formats=("video",)),
    "intro-hardware-store": Case(
        "We're two sisters who took over our dad's hardware store last spring, and we have no "
        "retail experience between us. Footfall keeps dropping and the big DIY chain nearby "
        "undercuts us on everything. Where should we focus first to keep the shop alive: stock, "
        "online sales or something else? Could a shop owner give us half an hour?",
        intro="We're two sisters who took over our dad's hardware store last spring",
        asks=("Where should we focus first",), minutes=30),
    # b.
    "subject-looker": Case(
        "Could anyone explain how I'd set up a simple dashboard in Looker Studio to track my "
        "shop's online orders?", subject=r"dashboard|looker|report|data|track"),
    "subject-maths-teacher": Case(
        "I'm thinking about leaving accounting to become a secondary school maths teacher. "
        "What should I know first?", subject=r"career|teach|switch|chang"),
    "subject-dog-walking": Case(
        "What should I charge for my dog walking and pet sitting services?",
        subject=r"pric|rate|charg"),
    "subject-agent": Case(
        "How do I find a literary agent for my first crime novel?",
        subject=r"agent|publish|novel|book"),
    "subject-podcast": Case(
        "My small charity wants to start a podcast about local history. What equipment and "
        "editing setup do we need?", subject=r"podcast|audio|record"),
    # c.
    "request-recruiter": Case(
        "Can I get, like, fifteen minutes on the phone with an ex-recruiter? I've applied to "
        "forty data analyst jobs and heard nothing back, and I don't know if it's my CV or my "
        "applications.",
        absent=("Can I get", "fifteen minutes on the phone"),
        asks=("I don't know if it's my CV or my applications",), formats=("phone",),
        minutes=15),
    "request-cleaning": Case(
        "Would it be possible to book a 30-minute video chat with somebody who runs a cleaning "
        "company? I want to know how to price office contracts compared with homes.",
        absent=("Would it be possible", "video chat"),
        asks=("how to price office contracts",), formats=("video",), minutes=30),
    "request-allotment": Case(
        "My grandmother left me her allotment and I want to turn it into a small market "
        "garden. Could I get half an hour with a grower, ideally by video, to ask how to plan "
        "the first season?",
        absent=("Could I get", "half an hour"),
        asks=("turn it into a small market garden",), formats=("video",), minutes=30),
    # d.
    "frame-mortgage": Case(
        "Is there somebody who could explain how mortgage brokers get paid? I'm thinking of "
        "training as one.",
        absent=("Is there somebody", "could explain"), asks=("how mortgage brokers get paid",)),
    "frame-pmp": Case(
        "Can anyone tell me whether it's worth getting a PMP certificate if I already manage "
        "small projects?",
        absent=("Can anyone tell me",),
        asks=("whether it's worth getting a PMP certificate",)),
    "frame-head-of-sales": Case(
        "Would someone be able to tell me what a good first month looks like for a new head "
        "of sales, over a short call?",
        absent=("Would someone be able to", "short call"),
        asks=("what a good first month looks like for a new head of sales",)),
    # e.
    "statement-repair-cafe": Case(
        "We organise a monthly repair café in our village and we'd like it to run without me "
        "doing everything.", statement=True),
    "statement-acting-head": Case(
        "I've just been made acting head of department and half the team applied for the job "
        "too.", statement=True),
    "statement-saying-no": Case(
        "I want to get better at saying no to extra projects at work.", statement=True),
    # f.
    "questions-first-engineer": Case(
        "I'm about to recruit the first engineer for my startup and I've never interviewed "
        "anyone."),
    "questions-graduate-offer": Case(
        "How do I negotiate the salary on my first job offer as a graduate?"),
    "questions-cofounder": Case(
        "My co-founder and I can't agree on whether to take investment."),
    "questions-retail-hr": Case("How do I switch from retail management into HR?"),
    # g.
    "proposal-italian": Case(
        "What's the best way to start learning conversational Italian as an adult?"),
    "proposal-email": Case(
        "Quick question over email if possible: how do I claim expenses as a self-employed "
        "tutor?", formats=("email",)),
    "proposal-ten-minutes": Case(
        "I could do 10 minutes on the phone. Is it normal for a publishing internship to be "
        "unpaid?", formats=("phone",), minutes=10),
    "proposal-half-hour": Case(
        "Can a senior nurse spare half an hour? I want to know how to prepare for a band 6 "
        "interview.", minutes=30),
}


def _content(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]+", text.lower())
    return {w.rstrip("s") for w in words if w not in _STOP and len(w) > 2}


def same_question(a: str, b: str) -> bool:
    """Whether two questions share most of their words (the smaller one's, at least 70%)."""
    left, right = _content(a), _content(b)
    if not left or not right:
        return a.strip().lower() == b.strip().lower()
    return len(left & right) >= 0.7 * min(len(left), len(right))


def _quotes_called_questions(body: str) -> list[str]:
    """Quotes the body introduces as a question ('one question ... “…”', 'My question ...')."""
    found = []
    for sentence in re.split(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c])", body):
        for intro, quote in re.findall(r"([^\u201c]*)\u201c([^\u201d]+)\u201d", sentence):
            if re.search(r"\bquestion\b", intro, re.IGNORECASE):
                found.append(quote)
    return found


def _read(search: TinySearch, message: str) -> tuple[Any, Any, Any]:
    conversation = Conversation(search)
    reply = conversation.send(message)
    if reply.kind == "question":
        reply = conversation.send("skip")
    shown = reply.matches or [m for s in reply.plan for m in s.matches]
    assert shown, reply.text
    answer = conversation.draft_for(shown[0].mentor.id)
    return reply, answer, shown[0].mentor


def check(case: Case, search: TinySearch) -> None:
    reply, answer, mentor = _read(search, case.message)
    draft = answer.draft
    body, subject = draft.body, draft.subject
    seen = f"SUBJECT: {subject}\n{body}\nQUESTIONS: {draft.questions}\nREPLY: {reply.text}"
    # Everything reads as finished English and passes the draft checker.
    assert answer.draft_problems == [], (answer.draft_problems, seen)
    assert problems(subject, "subject") == [], seen
    assert problems(body, "body") == [], seen
    for question in draft.questions:
        assert problems(question, "suggested_question") == [], (question, seen)
    # No two suggested questions say the same thing.
    for i, first in enumerate(draft.questions):
        for second in draft.questions[i + 1:]:
            assert not same_question(first, second), (first, second)
    # A quote called a question is one.
    for quote in _quotes_called_questions(body):
        assert "?" in quote, (quote, seen)
    if case.statement:
        assert not re.search(r"\bone question\b", body), seen
    # The meeting proposed: what they asked for, nothing invented.
    if case.minutes:
        assert re.search(rf"\b{case.minutes}[- ]minute", body), seen
    else:
        assert not re.search(r"\b\d+[- ]minute", body), seen
    offered = set(mentor.formats)
    for fmt, pattern in FORMAT_WORDS.items():
        if fmt in case.formats and fmt in offered and len(case.formats) == 1:
            assert re.search(pattern, body), (fmt, seen)
        if fmt not in case.formats and offered != {fmt}:
            assert not re.search(pattern, body), (fmt, seen)
    if "email" in case.formats and "email" in offered:
        assert "email" in body, seen
    if reply.kind == "results":
        assert reply.goal is not None
        for fmt in case.formats:
            assert fmt in reply.goal.formats, (case.formats, reply.goal.formats)
        if case.minutes:
            assert reply.goal.minutes == case.minutes, reply.goal
    # Who they are, in their own words.
    if case.intro:
        assert case.intro in body, seen
    # The subject names a clear ask.
    if case.subject:
        assert subject != GENERIC_SUBJECT, seen
        words = subject.rstrip("?.!").split()
        assert len(words) <= 10, seen
        assert words[-1].lower() not in FUNCTION_WORDS, seen
        assert re.search(case.subject, subject, re.IGNORECASE), seen
    # The request for a meeting and "someone who could tell me" are not quoted.
    for part in case.absent:
        assert part.lower() not in body.lower(), (part, seen)
        assert part.lower() not in reply.text.lower(), (part, seen)
    for part in case.asks:
        assert part.lower() in body.lower(), (part, seen)


@pytest.mark.parametrize("name", sorted(TUNE))
def test_tune(name: str, search: TinySearch) -> None:
    check(TUNE[name], search)


# The report cases that failed when the report list was run, once, at the end of session 5
# (20/25 passed); kept as they were written, and strict: a fix shows up as an XPASS.
# Fixed since (by a general rule, not for the case): request-recruiter (lengths in words).
REPORT_MISSES: dict[str, str] = {
    "frame-head-of-sales": "'over a short call' is read as 15 minutes, which the case did not "
                           "expect",
    "request-allotment": "a request that carries its ask ('... to ask how to plan the first "
                         "season') stays quoted whole",
    "subject-maths-teacher": "a plan's draft proposes the plan's 30-minute call; no subject "
                             "label is close enough",
    "subject-podcast": "no subject label for a podcast; the short question is used instead",
}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=REPORT_MISSES[name]))
    if name in REPORT_MISSES else name for name in sorted(REPORT)])
def test_report(name: str, search: TinySearch) -> None:
    check(REPORT[name], search)


def test_the_similarity_check_sees_near_copies() -> None:
    assert same_question("How would you structure the interview or trial period for a first "
                         "hire?", "How would you structure the interview or trial period?")
    assert not same_question("How would you open the conversation with my manager?",
                             "What should I do if the answer is no, or not yet?")
