"""What the dialogue asks of an assistant, the offline assistant, and a typed fallback.

The ``Assistant`` protocol is owned here, by the dialogue that calls it: reading the goal,
commands ("skip", "start over", "draft for 2"), what a message after results means (a
refinement such as "only video calls", a word about the mentee, or a new goal), long-term
detection, plans and drafts, and the mentee's own words and language. The offline assistant
(embedding-based understanding, rules and templates) is the default and needs nothing else;
chat-model backends live in ``finder.assistants`` and implement the same protocol.
``FallbackAssistant`` answers each call with the primary and, when that call fails, with the
offline assistant and a ``FallbackNotice``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, Field

from finder.core.errors import ChatModelFailed, MentorFinderError
from finder.core.goal import Goal, Slot
from finder.core.models import Format, Match
from finder.dialogue.lexicon import Lexicon, load_english_hint
from finder.dialogue.planning import SessionPlan, offline_plan
from finder.dialogue.slots import SlotReading, meeting_update
from finder.dialogue.understanding import GoalWords, Understanding
from finder.outreach.drafting import OutreachDraft, first_name, offline_draft, sanitize
from finder.search.embedding import Embedder

OFFLINE = "offline"

T = TypeVar("T")


class Command(BaseModel):
    """A message that steers the conversation instead of describing the goal."""

    kind: Literal["reset", "skip", "draft", "none"] = Field(
        default="none", description="reset: start over; skip: stop asking and show mentors; "
        "draft: write a first message to a mentor shown; none: not a command.")
    mentor_id: str | None = Field(
        default=None, description="With draft: the id of the mentor shown that it points at.")


class Refinement(BaseModel):
    """What a message after results changes in the search ("only video calls", "in Spanish",
    "someone in Berlin", "more senior", "show me more")."""

    formats: list[Format] = Field(default_factory=list, description="Only these formats.")
    any_format: bool = Field(default=False, description="Any format is fine now.")
    minutes: int | None = Field(default=None, description="A session length they named.")
    any_length: bool = Field(default=False, description="Any session length is fine now.")
    shorter: bool = Field(default=False, description="Shorter sessions, no length named.")
    language: str | None = Field(default=None, description="ISO 639-1 code, e.g. 'es'.")
    any_language: bool = Field(default=False, description="Any language is fine now.")
    region: str | None = Field(default=None, description="A region, e.g. 'Europe'.")
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes.")
    min_years: int | None = Field(default=None, description="Years of experience asked for.")
    more_senior: bool = Field(default=False, description="More senior mentors, no number.")
    less_senior: bool = Field(default=False, description="Seniority doesn't matter now.")
    more: bool = Field(default=False, description="Other mentors than those shown.")
    diversity: bool = Field(default=False, description="Mentors from different backgrounds.")

    @classmethod
    def from_slots(cls, slots: SlotReading, *, less_senior: bool = False) -> Refinement:
        return cls(formats=slots.formats, any_format=slots.any_format, minutes=slots.minutes,
                   any_length=slots.any_length, shorter=slots.shorter, language=slots.language,
                   any_language=slots.any_language, region=slots.region,
                   countries=slots.countries, min_years=slots.min_years,
                   more_senior=slots.more_senior, less_senior=less_senior, more=slots.more,
                   diversity=slots.diversity)

    def meeting_update(self) -> dict[str, object]:
        """The goal fields it sets about how to meet: format, length and language."""
        return meeting_update(SlotReading(
            formats=list(self.formats), any_format=self.any_format, minutes=self.minutes,
            any_length=self.any_length, language=self.language, any_language=self.any_language))


class FollowUp(BaseModel):
    """What a message after results means."""

    kind: Literal["about_me", "refine", "new_goal"] = Field(
        description="about_me: it only says who the mentee is; refine: it changes how to "
        "search for the same goal; new_goal: it asks about something else.")
    refinement: Refinement = Field(default_factory=Refinement,
                                   description="With refine: what it changes.")


class Assistant(Protocol):
    """What the dialogue asks of a backend; every read of a message goes through one."""

    name: str

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Goal: ...

    def command(self, text: str, shown: Sequence[Match]) -> Command: ...

    def follow_up(self, text: str, goal: Goal) -> FollowUp: ...

    def is_long_term(self, text: str) -> bool: ...

    def goal_words(self, text: str) -> GoalWords: ...

    def language(self, text: str) -> str | None: ...

    def suggestions(self, text: str, k: int) -> list[str]: ...

    def plan(self, goal: Goal) -> SessionPlan: ...

    def draft(self, goal: Goal, match: Match, user_texts: Sequence[str]) -> OutreachDraft: ...


def draft_target(text: str, shown: Sequence[Match], lexicon: Lexicon) -> str | None:
    """The mentor a 'draft a message to ...' request points at, if any."""
    if not lexicon.draft_request.search(text) or not shown:
        return None
    lowered = text.lower()
    for match in shown:
        if re.search(rf"\b{re.escape(first_name(match.mentor).lower())}\b", lowered):
            return match.mentor.id
    for word, index in lexicon.ordinals.items():
        if re.search(rf"\b{word}\b", lowered):
            return shown[index].mentor.id if -len(shown) <= index < len(shown) else None
    if number := re.search(r"#?\b([1-9])\b", lowered):
        index = int(number.group(1)) - 1
        return shown[index].mentor.id if index < len(shown) else None
    return None


_ENGLISH_HINT = load_english_hint()


class OfflineAssistant:
    """The deterministic assistant: embedding-based understanding, rules and templates."""

    name = OFFLINE

    def __init__(self, embedder: Embedder, understanding: Understanding | None = None) -> None:
        self.embedder = embedder
        self.understanding = understanding or Understanding(embedder)
        self.english_hint = _ENGLISH_HINT

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Goal:
        return self.understanding.read_goal(text, goal, asked)

    def command(self, text: str, shown: Sequence[Match]) -> Command:
        kind = self.understanding.command(text)
        if kind == "reset" or kind == "skip":
            return Command(kind=kind)
        target = draft_target(text, shown, self.understanding.lexicon)
        return Command(kind="draft", mentor_id=target) if target else Command()

    def follow_up(self, text: str, goal: Goal) -> FollowUp:
        u = self.understanding
        reading = u.read(text)
        less_senior = bool(u.lexicon.less_senior.search(text))
        refinement = Refinement.from_slots(reading.slots, less_senior=less_senior)
        if u.is_about_me(reading, text):
            return FollowUp(kind="about_me", refinement=refinement)
        if u.is_refinement(reading, text) or less_senior:
            return FollowUp(kind="refine", refinement=refinement)
        return FollowUp(kind="new_goal", refinement=refinement)

    def is_long_term(self, text: str) -> bool:
        return self.understanding.is_long_term(text)

    def goal_words(self, text: str) -> GoalWords:
        return self.understanding.goal_words(text)

    def language(self, text: str) -> str | None:
        return self.understanding.language(text)

    def suggestions(self, text: str, k: int) -> list[str]:
        return self.understanding.suggestions(text, k)

    def plan(self, goal: Goal) -> SessionPlan:
        return offline_plan(goal, self.embedder)

    def draft(self, goal: Goal, match: Match, user_texts: Sequence[str]) -> OutreachDraft:
        return sanitize(offline_draft(goal, match, self.embedder, list(user_texts)),
                        match.mentor, user_texts)


@dataclass(frozen=True)
class FallbackNotice:
    """One call the primary assistant failed, answered by the offline one instead."""

    call: str
    reason: str


def notice_text(notices: Sequence[FallbackNotice]) -> str:
    """What the mentee is told when calls of this turn fell back."""
    reasons = "; ".join(dict.fromkeys(n.reason for n in notices))
    return f"The chat model failed ({reasons}); used the offline assistant for this turn."


@dataclass(frozen=True)
class Answer(Generic[T]):
    """One assistant call's result, with a notice for the mentee when it fell back."""

    value: T
    notice: FallbackNotice | None = None


class FallbackAssistant:
    """A primary assistant with the offline one behind it: each failed call is answered offline.

    Every method of the ``Assistant`` protocol is here by name, returning an ``Answer``.
    """

    def __init__(self, primary: Assistant | None, offline: OfflineAssistant) -> None:
        self.offline = offline
        self.primary: Assistant = primary if primary is not None else offline

    @property
    def name(self) -> str:
        return self.primary.name

    def attempt(self, call: str, ask: Callable[[Assistant], T]) -> Answer[T]:
        """``ask`` the primary; when it fails, the offline assistant, with a notice."""
        if self.primary is self.offline or self.primary.name == OFFLINE:
            return Answer(ask(self.offline))
        try:
            return Answer(ask(self.primary))
        except (ChatModelFailed, MentorFinderError, ValueError) as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            return Answer(ask(self.offline), FallbackNotice(call, reason))

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Answer[Goal]:
        return self.attempt("extract_goal", lambda a: a.extract_goal(text, goal, asked))

    def command(self, text: str, shown: Sequence[Match]) -> Answer[Command]:
        return self.attempt("command", lambda a: a.command(text, shown))

    def follow_up(self, text: str, goal: Goal) -> Answer[FollowUp]:
        return self.attempt("follow_up", lambda a: a.follow_up(text, goal))

    def is_long_term(self, text: str) -> Answer[bool]:
        return self.attempt("is_long_term", lambda a: a.is_long_term(text))

    def goal_words(self, text: str) -> Answer[GoalWords]:
        return self.attempt("goal_words", lambda a: a.goal_words(text))

    def language(self, text: str) -> Answer[str | None]:
        return self.attempt("language", lambda a: a.language(text))

    def suggestions(self, text: str, k: int) -> Answer[list[str]]:
        return self.attempt("suggestions", lambda a: a.suggestions(text, k))

    def plan(self, goal: Goal) -> Answer[SessionPlan]:
        return self.attempt("plan", lambda a: a.plan(goal))

    def draft(self, goal: Goal, match: Match,
              user_texts: Sequence[str]) -> Answer[OutreachDraft]:
        return self.attempt("draft", lambda a: a.draft(goal, match, user_texts))
