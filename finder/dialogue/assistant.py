"""What the dialogue asks of an assistant, the offline assistant, and a typed fallback.

The ``Assistant`` protocol is owned here, by the dialogue that calls it. The offline assistant
(embedding-based understanding, rules and templates) is the default and needs nothing else;
chat-model backends live in ``finder.assistants`` and implement the same protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from finder.core.errors import ChatModelFailed, MentorFinderError
from finder.core.goal import Goal, Slot
from finder.core.models import Match
from finder.dialogue.planning import SessionPlan, offline_plan
from finder.dialogue.understanding import Understanding
from finder.outreach.drafting import OutreachDraft, offline_draft, sanitize
from finder.search.embedding import Embedder

OFFLINE = "offline"

T = TypeVar("T")


class Assistant(Protocol):
    """What the dialogue asks of a backend: read a goal, plan sessions, write a draft."""

    name: str

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Goal: ...

    def plan(self, goal: Goal) -> SessionPlan: ...

    def draft(self, goal: Goal, match: Match, user_texts: Sequence[str]) -> OutreachDraft: ...


class OfflineAssistant:
    """The deterministic assistant: embedding-based understanding, rules and templates."""

    name = OFFLINE

    def __init__(self, embedder: Embedder, understanding: Understanding | None = None) -> None:
        self.embedder = embedder
        self.understanding = understanding or Understanding(embedder)

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Goal:
        return self.understanding.read_goal(text, goal, asked)

    def plan(self, goal: Goal) -> SessionPlan:
        return offline_plan(goal, self.embedder)

    def draft(self, goal: Goal, match: Match, user_texts: Sequence[str]) -> OutreachDraft:
        return sanitize(offline_draft(goal, match, self.embedder), match.mentor, user_texts)


@dataclass(frozen=True)
class Answer(Generic[T]):
    """One assistant call's result, with a notice for the mentee when it fell back."""

    value: T
    notice: str | None = None


class FallbackAssistant:
    """A primary assistant with the offline one behind it: a failed call is answered offline."""

    def __init__(self, primary: Assistant | None, offline: OfflineAssistant) -> None:
        self.offline = offline
        self.primary: Assistant = primary if primary is not None else offline

    @property
    def name(self) -> str:
        return self.primary.name

    def attempt(self, call: Callable[[Assistant], T]) -> Answer[T]:
        """``call`` on the primary; on a failure, on the offline assistant, with a notice."""
        if self.primary is self.offline or self.primary.name == OFFLINE:
            return Answer(call(self.offline))
        try:
            return Answer(call(self.primary))
        except (ChatModelFailed, MentorFinderError, ValueError) as exc:
            reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            return Answer(call(self.offline), f"The chat model failed ({reason}); "
                                              "used the offline assistant for this turn.")

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Answer[Goal]:
        return self.attempt(lambda a: a.extract_goal(text, goal, asked))

    def plan(self, goal: Goal) -> Answer[SessionPlan]:
        return self.attempt(lambda a: a.plan(goal))

    def draft(self, goal: Goal, match: Match,
              user_texts: Sequence[str]) -> Answer[OutreachDraft]:
        return self.attempt(lambda a: a.draft(goal, match, user_texts))
