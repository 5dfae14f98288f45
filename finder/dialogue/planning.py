"""Long-term goals broken into two or three focused micro-sessions (the offline way)."""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from finder.search.embedding import Embedder
from finder.core.goal import Goal
from finder.core.models import Format, Match

HONEST_NOTE = (
    "Micro-mentoring works best for focused questions, so a goal this big won't be solved in "
    "one call. Here is a plan of short sessions, each with a specific question and mentors who "
    "fit it; together they move you forward."
)


class FocusedSession(BaseModel):
    """One step of a plan: a specific question for one short session."""

    question: str = Field(description="The specific question, in the mentee's voice.")
    format: Format = "video"
    minutes: int = Field(default=30, ge=5, le=120)
    search: str = Field(default="", description="A few keywords describing the mentors who "
                        "fit this session, e.g. 'CTO, technology leadership, engineering "
                        "management'.")


class SessionPlan(BaseModel):
    """Two or three focused sessions that together serve a long-term goal."""

    sessions: list[FocusedSession] = Field(min_length=2, max_length=3)


class PlannedSession(BaseModel):
    """A planned session with its own goal, the search that found its mentors, and them."""

    goal: Goal
    query: str = ""
    matches: list[Match] = Field(default_factory=list)

    @property
    def question(self) -> str:
        return self.goal.challenge


# (kind, example sentence, [(question, search keywords, format, minutes)]); {dest} is where
# the mentee wants to get ("becoming a CTO", "UX design"), {words} its search words,
# {origin} where they come from and {business} what they run.
_TEMPLATES: list[tuple[str, str, list[tuple[str, str, Format, int]]]] = [
    ("switch", "switch careers from one field into another", [
        ("What does day-to-day work in {dest} really look like, and which of my skills from "
         "{origin} transfer?", "{words} professional, day-to-day work, career changer",
         "video", 30),
        ("Can you review my CV and portfolio for a first role in {dest}?",
         "{words}, hiring, portfolio and CV review", "email", 30),
        ("What is the most effective first step into {dest}: a course, a side project or an "
         "internal move?", "{words}, getting started, learning path, career change",
         "phone", 15),
    ]),
    ("climb", "become a CTO, VP, director or partner in a few years", [
        ("Which experiences matter most on the path to {dest}?",
         "{words} career path, leadership experience", "video", 30),
        ("Where are my biggest gaps for {dest}, and what should I work on this year?",
         "{words}, skills and career development", "video", 30),
        ("Which first stretch responsibility in my current job would move me towards {dest}?",
         "{words}, taking on leadership responsibility, promotion", "phone", 15),
    ]),
    ("start", "start my own business or company one day", [
        ("How do I test demand for {dest} with real customers before investing?",
         "{words} founder, customer validation, small business", "video", 30),
        ("What start-up costs and first-year finances should I plan for {dest}?",
         "{words}, small business finance, start-up costs, accounting", "video", 30),
        ("Which legal structure and first practical steps make sense for {dest}?",
         "{words}, business registration, legal structure, self-employment", "email", 30),
    ]),
    ("grow", "grow my small business into a chain or open more locations", [
        ("Which numbers should show me that my {business} is ready to expand?",
         "{business} owner, small business finance, expansion", "video", 30),
        ("How would you fund and staff the next location of my {business}?",
         "{business} manager, multi-site operations, financing growth, hiring staff",
         "video", 30),
        ("Which processes need to be written down before my {business} can run without me?",
         "{business} operations, training staff, standard procedures, franchise",
         "phone", 15),
    ]),
    ("learn", "get really good at a new skill over time", [
        ("What should I learn first for {dest}, and in what order?",
         "{words}, teaching, learning path", "video", 30),
        ("Could you give feedback on a small first project in {dest}?",
         "{words}, feedback on projects, mentoring beginners", "email", 30),
        ("Where can I practise {dest} with real stakes: a community, volunteering or a "
         "role?", "{words}, community, practice", "phone", 15),
    ]),
]
# Titles whose letters say little to a search: spelled out, with the work behind them.
_EXPAND = {
    "cto": "chief technology officer, technology leadership, engineering management",
    "ceo": "chief executive officer, executive leadership, running a company",
    "cfo": "chief financial officer, finance leadership",
    "coo": "chief operating officer, operations leadership",
    "cmo": "chief marketing officer, marketing leadership",
    "vp": "vice president, senior leadership", "ux": "user experience design",
    "ui": "user interface design", "pm": "product management", "hr": "human resources",
}
# Tried in order: "into UX design" says more than "to move from ...".
_TARGETS = [re.compile(rf"\b({word})\s+(.+)$", re.IGNORECASE)
            for word in ("into", "to become", "become", "becoming", "towards?", "start",
                         "open", "launch", "build", "as", "in", "to")]
_ORIGIN = re.compile(r"\bfrom\s+(?:an?\s+|being an?\s+)?([a-z][a-z -]{2,40}?)\s+(?:in)?to\b",
                     re.IGNORECASE)
_TIME = re.compile(r"\s*(?:\b(?:in|within|over) (?:the next )?(?:\w+ )?(?:years?|months?)|"
                   r"\beventually|\bsome ?day|\bone day|\blong[- ]term)\b.*$", re.IGNORECASE)
_BUSINESS = re.compile(r"\b(?:my|our)\s+((?:[a-z-]+\s+){0,2}?[a-z-]+)\s+(?:into|to|beyond|"
                       r"from)\b", re.IGNORECASE)


def _destination(text: str) -> tuple[str, str]:
    """Where the mentee wants to get, as a phrase ('becoming a CTO') and as search words."""
    text = _TIME.sub("", text).strip(" .?!")
    for pattern in _TARGETS:
        if match := pattern.search(text):
            word, target = match.group(1).lower(), match.group(2).strip(" .?!")
            break
    else:
        word, target = "", text
    bare = re.sub(r"^(?:an?|the|my own|my|own)\s+", "", target, flags=re.IGNORECASE)
    words = ", ".join([bare] + [_EXPAND[w.lower()] for w in re.findall(r"[A-Za-z]+", bare)
                                if w.lower() in _EXPAND])
    if word in ("become", "to become", "becoming"):
        return f"becoming {target}", words
    return target, words


def offline_plan(goal: Goal, embedder: Embedder) -> SessionPlan:
    """Pick the kind of journey by meaning, then fill its three session templates."""
    text = goal.challenge or goal.topic
    examples = embedder.encode([example for _, example, _ in _TEMPLATES])
    kind_index = int(np.argmax(examples @ embedder.encode_query(text)))
    _, _, templates = _TEMPLATES[kind_index]
    dest, words = _destination(text)
    origin_match = _ORIGIN.search(text)
    origin = (origin_match.group(1) if origin_match else
              (goal.context.role or goal.context.field or "my current work"))
    business_match = _BUSINESS.search(text)
    business = business_match.group(1) if business_match else "business"
    values = {"dest": dest, "words": words, "origin": origin, "business": business}
    sessions = [FocusedSession(question=q.format(**values), search=k.format(**values),
                               format=f, minutes=m) for q, k, f, m in templates]
    return SessionPlan(sessions=sessions)


def session_goals(goal: Goal, plan: SessionPlan) -> list[Goal]:
    """Each planned session as its own Goal: the mentee's preferences carry over."""
    goals = []
    for session in plan.sessions[:3]:
        formats = list(goal.formats) or [session.format]
        minutes = goal.minutes if goal.minutes else session.minutes
        goals.append(goal.model_copy(update={
            "challenge": session.question, "formats": formats,
            "minutes": None if formats == ["email"] else minutes}))
    return goals


def session_queries(goal: Goal, plan: SessionPlan, said: str = "") -> list[str]:
    """What to search mentors with for each session: its focus plus the overall goal, in the
    mentee's own words when there are some."""
    overall = _TIME.sub("", said or goal.challenge or goal.topic).strip(" .?!")
    queries = []
    for number, session in enumerate(plan.sessions[:3]):
        focus = session.search.strip() or session.question
        extra = [p for p in (goal.context.field,) if p and p.lower() not in focus.lower()]
        if overall and number == 0:
            # The first session searches the mentee's own words: a plan must not find worse
            # mentors than a plain search would; later sessions add their own focus.
            queries.append(overall)
        else:
            queries.append(". ".join([overall, focus, *extra] if overall else [focus, *extra]))
    return queries


def plan_text(sessions: list[PlannedSession]) -> str:
    """The plan as a short numbered list a person can read at a glance."""
    lines = [HONEST_NOTE, ""]
    for number, session in enumerate(sessions, 1):
        how = session.goal.format_phrase()
        lines.append(f"{number}. {session.goal.challenge}" + (f" ({how})" if how else ""))
    return "\n".join(lines)
