"""Long-term goals broken into two or three focused micro-sessions (the offline way)."""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from finder.embedding import Embedder
from finder.goal import Goal
from finder.models import Format, Match

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


class SessionPlan(BaseModel):
    """Two or three focused sessions that together serve a long-term goal."""

    sessions: list[FocusedSession] = Field(min_length=2, max_length=3)


class PlannedSession(BaseModel):
    """A planned session with its own goal and its own best-fit mentors."""

    goal: Goal
    matches: list[Match] = Field(default_factory=list)

    @property
    def question(self) -> str:
        return self.goal.challenge


# (kind, example sentence, session templates); {target} and {origin} come from the goal.
_TEMPLATES: list[tuple[str, str, list[tuple[str, Format, int]]]] = [
    ("switch", "switch careers from one field into another", [
        (("What does day-to-day work in {target} really look like, and which of my skills "
         "from {origin} transfer?"), "video", 30),
        ("Can you review my CV and portfolio for a first role in {target}?", "email", 30),
        (("What is the most effective first step into {target}: a course, a side project or "
         "an internal move?"), "phone", 15),
    ]),
    ("climb", "become a CTO, VP, director or partner in a few years", [
        ("Which experiences mattered most on your path to {target}?", "video", 30),
        ("Where are my biggest gaps for {target}, and what should I work on this year?",
         "video", 30),
        (("How can I take on a first stretch responsibility towards {target} in my current "
         "job?"), "phone", 15),
    ]),
    ("start", "start my own business or company one day", [
        ("How do I test demand for {target} with real customers before investing?",
         "video", 30),
        ("What start-up costs and first-year finances should I plan for {target}?",
         "video", 30),
        ("Which legal structure and first practical steps make sense for {target}?",
         "email", 30),
    ]),
    ("learn", "get really good at a new skill over time", [
        ("What should I learn first for {target}, and in what order?", "video", 30),
        ("Could you give feedback on a small first project in {target}?", "email", 30),
        (("Where can I practise {target} with real stakes: a community, volunteering or a "
         "role?"), "phone", 15),
    ]),
]
# Tried in order: "into UX design" says more than "to move from ...".
_TARGETS = [re.compile(rf"\b{word}\s+(?:an?\s+|the\s+|my own\s+|own\s+)?(.+)$", re.IGNORECASE)
            for word in ("into", "to become", "become", "becoming", "towards?", "start",
                         "open", "launch", "build", "as", "in", "to")]
_ORIGIN = re.compile(r"\bfrom\s+(?:an?\s+|being an?\s+)?([a-z][a-z -]{2,40}?)\s+(?:in)?to\b",
                     re.IGNORECASE)
_TIME = re.compile(r"\s*(?:\b(?:in|within|over) (?:the next )?(?:\w+ )?(?:years?|months?)|"
                   r"\beventually|\bsome ?day|\bone day|\blong[- ]term)\b.*$", re.IGNORECASE)


def _target(text: str) -> str:
    text = _TIME.sub("", text).strip(" .?!")
    for pattern in _TARGETS:
        if match := pattern.search(text):
            return match.group(1).strip(" .?!")
    return text


def offline_plan(goal: Goal, embedder: Embedder) -> SessionPlan:
    """Pick the kind of journey by meaning, then fill its three session templates."""
    text = goal.challenge or goal.topic
    examples = embedder.encode([example for _, example, _ in _TEMPLATES])
    kind_index = int(np.argmax(examples @ embedder.encode_query(text)))
    _, _, templates = _TEMPLATES[kind_index]
    target = _target(text)
    origin_match = _ORIGIN.search(text)
    origin = (origin_match.group(1) if origin_match else
              (goal.context.role or goal.context.field or "my current work"))
    sessions = [FocusedSession(question=q.format(target=target, origin=origin), format=f,
                               minutes=m) for q, f, m in templates]
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
