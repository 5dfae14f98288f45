"""Chat-model assistants through LangChain, behind the dialogue's ``Assistant`` protocol.

A backend is chosen by one string: ``offline`` (the default, no network) or any
``provider:model`` that LangChain's ``init_chat_model`` accepts, e.g. ``openai:gpt-4o-mini``,
``anthropic:claude-3-5-haiku-latest``, ``ollama:llama3.1``. With a chat model every call has an
offline fallback: a failure, a timeout or invalid output is answered offline, with a notice.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Mapping, Sequence
from string import Template
from typing import Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from finder.outreach.drafting import (
    OutreachDraft,
    check_draft,
    choose_format,
    first_name,
    meeting_phrase,
    sanitize,
)
from finder.search.embedding import Embedder
from finder.core.errors import BackendUnavailable, ChatModelFailed, ConfigError
from finder.core.resources import bundled
from finder.core.goal import REGION_WINDOWS, Goal, Slot
from finder.core.models import Match
from finder.dialogue.assistant import (
    OFFLINE,
    Assistant,
    Command,
    FollowUp,
    OfflineAssistant,
)
from finder.dialogue.planning import SessionPlan
from finder.dialogue.understanding import GoalWords

PROMPTS_DIR = bundled("prompts")

# provider -> (python package, pip extra, API key variable or None)
PROVIDERS: dict[str, tuple[str, str, str | None]] = {
    "openai": ("langchain_openai", "openai", "OPENAI_API_KEY"),
    "anthropic": ("langchain_anthropic", "anthropic", "ANTHROPIC_API_KEY"),
    "ollama": ("langchain_ollama", "ollama", None),
}

T = TypeVar("T")


def load_prompt(name: str) -> tuple[str, str]:
    """The (system, user) templates of prompts/<name>.md, split at '=== user ==='."""
    path = PROMPTS_DIR / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"prompt template {path} can't be read ({exc}); "
                          "reinstall mentor-finder or restore the prompts/ folder") from exc
    system, sep, user = text.partition("=== user ===")
    if not sep:
        raise ConfigError(f"{path}: no '=== user ===' line separates the system and user parts")
    return system.strip(), user.strip()


def render(template: str, **values: object) -> str:
    return Template(template).safe_substitute({k: str(v) for k, v in values.items()})


class LongTerm(BaseModel):
    """Whether a goal needs a plan of several sessions."""

    long_term: bool = Field(description="True for a long-term or complex goal.")


class ChatModelAssistant:
    """A LangChain chat model with structured output; any failure raises ChatModelFailed.

    The model reads what a message means: the goal, commands, what a message after results
    changes, long-term goals; it plans sessions and writes drafts. The mentee's own words (what
    gets searched), the language a message is written in and the suggestion chips are read by
    the offline assistant's rules, so that search always runs on what the mentee wrote.
    Time limits are the provider's own (``timeout`` and ``max_retries`` given to the chat model
    by ``load_chat_model``); output that doesn't fit the schema is asked for once more.
    """

    def __init__(self, model: Any, offline: OfflineAssistant, *, name: str = "chat",
                 attempts: int = 2) -> None:
        self.model = model
        self.offline = offline
        self.name = name
        self.attempts = attempts

    def _structured(self, schema: type[BaseModel], prompt: str, **values: object) -> Any:
        from langchain_core.messages import HumanMessage, SystemMessage

        system, user = load_prompt(prompt)
        messages = [SystemMessage(render(system, **values)), HumanMessage(render(user, **values))]

        runnable = self.model.with_structured_output(schema).with_retry(
            retry_if_exception_type=(ValueError,), stop_after_attempt=self.attempts,
            wait_exponential_jitter=False)
        try:
            result = runnable.invoke(messages)
        except Exception as exc:  # a provider error of any kind: the turn is answered offline
            raise ChatModelFailed(f"{type(exc).__name__}: {exc}") from exc
        if isinstance(result, dict):
            result = schema.model_validate(result)
        if not isinstance(result, schema):
            raise ChatModelFailed(f"expected a {schema.__name__}, got {type(result).__name__}")
        return result

    def extract_goal(self, text: str, goal: Goal, asked: Slot | None) -> Goal:
        result: Goal = self._structured(
            Goal, "extract_goal", message=text, asked=asked or "nothing yet",
            goal=goal.model_dump_json(indent=1), regions=", ".join(REGION_WINDOWS))
        return result

    def command(self, text: str, shown: Sequence[Match]) -> Command:
        listed = "\n".join(f"- id {m.mentor.id}: number {i}, {first_name(m.mentor)}, "
                           f"{m.mentor.headline}" for i, m in enumerate(shown, start=1))
        result: Command = self._structured(Command, "command", message=text,
                                           shown=f"<mentors_shown>\n{listed}\n</mentors_shown>")
        if result.kind == "draft" and result.mentor_id not in {m.mentor.id for m in shown}:
            raise ChatModelFailed(f"the draft request points at {result.mentor_id!r}, "
                                  "not at a mentor shown")
        if result.kind != "draft" and result.mentor_id is not None:
            result = result.model_copy(update={"mentor_id": None})
        return result

    def follow_up(self, text: str, goal: Goal) -> FollowUp:
        result: FollowUp = self._structured(
            FollowUp, "follow_up", message=text, goal=goal.model_dump_json(indent=1),
            regions=", ".join(REGION_WINDOWS))
        wanted = result.refinement
        try:  # the goal's own validators: ISO codes, a known region, sane numbers
            checked = Goal.model_validate({
                "formats": wanted.formats, "minutes": wanted.minutes,
                "language": wanted.language, "region": wanted.region,
                "countries": wanted.countries, "min_years_experience": wanted.min_years})
        except ValidationError as exc:
            raise ChatModelFailed(f"the refinement is not valid: {exc.errors()[0]['msg']}") from exc
        refinement = wanted.model_copy(update={
            "language": checked.language, "region": checked.region,
            "countries": checked.countries})
        return result.model_copy(update={"refinement": refinement})

    def is_long_term(self, text: str) -> bool:
        result: LongTerm = self._structured(LongTerm, "long_term", message=text)
        return result.long_term

    def goal_words(self, text: str) -> GoalWords:
        return self.offline.goal_words(text)

    def language(self, text: str) -> str | None:
        return self.offline.language(text)

    def suggestions(self, text: str, k: int) -> list[str]:
        return self.offline.suggestions(text, k)

    def plan(self, goal: Goal) -> SessionPlan:
        result: SessionPlan = self._structured(SessionPlan, "plan_sessions",
                                               goal=goal.model_dump_json(indent=1))
        return result

    def draft(self, goal: Goal, match: Match, user_texts: Sequence[str]) -> OutreachDraft:
        mentor = match.mentor
        fmt, minutes = choose_format(goal, mentor)
        profile = {k: v for k, v in mentor.model_dump(mode="json").items() if v}
        result: OutreachDraft = self._structured(
            OutreachDraft, "draft_outreach", goal=goal.model_dump_json(indent=1),
            reasons=match.reasons.summary() or "(none)", mentor_id=mentor.id,
            profile=json.dumps(profile, indent=1, ensure_ascii=False),
            meeting=meeting_phrase(fmt, minutes), format=fmt,
            minutes="null" if minutes is None else minutes)
        result = result.model_copy(update={"mentor_id": mentor.id, "format": fmt,
                                           "minutes": minutes})
        result = sanitize(result, mentor, user_texts)
        problems = check_draft(result, mentor, goal, user_texts)
        if problems:
            raise ChatModelFailed("the draft broke the rules: " + "; ".join(problems))
        return result


def load_chat_model(spec: str, *, environ: Mapping[str, str] | None = None,
                    **kwargs: Any) -> Any:
    """A LangChain chat model for ``provider:model``; missing extras or keys say how to fix."""
    env = os.environ if environ is None else environ
    provider, sep, model = spec.partition(":")
    if not sep or not provider or not model:
        raise ConfigError(f"chat model {spec!r} is not 'offline' or 'provider:model'; "
                          "e.g. MENTOR_FINDER_LLM=openai:gpt-4o-mini or MENTOR_FINDER_LLM=offline")
    package, extra, key = PROVIDERS.get(provider, (f"langchain_{provider}", provider, None))
    if importlib.util.find_spec(package) is None:
        raise BackendUnavailable(
            f"the {provider!r} chat model needs the {package} package: "
            f'pip install "mentor-finder[{extra}]" (or set MENTOR_FINDER_LLM=offline '
            "to use the offline assistant)")
    if key and not env.get(key):
        raise BackendUnavailable(
            f"the {provider!r} chat model needs an API key: set {key} "
            "(or set MENTOR_FINDER_LLM=offline to use the offline assistant)")
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError as exc:
        raise BackendUnavailable(
            f'could not import the {provider!r} chat model ({exc}): pip install '
            f'"mentor-finder[{extra}]" (or set MENTOR_FINDER_LLM=offline)') from exc
    except ValueError as exc:
        raise ConfigError(f"chat model {spec!r} can't be used: {exc}. Use 'offline' or a "
                          "'provider:model' string such as 'openai:gpt-4o-mini'") from exc


def make_assistant(spec: str, embedder: Embedder, *, timeout: float = 30.0,
                   max_retries: int = 1,
                   environ: Mapping[str, str] | None = None) -> Assistant:
    """The assistant for a backend string: 'offline' or 'provider:model'."""
    spec = (spec or OFFLINE).strip()
    offline = OfflineAssistant(embedder)
    if spec.lower() == OFFLINE:
        return offline
    # The provider's client enforces the time limit and retries transient errors itself.
    model = load_chat_model(spec, environ=environ, timeout=timeout, max_retries=max_retries)
    return ChatModelAssistant(model, offline, name=spec)
