"""The planner's journeys, templates and word lists (``planning.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from finder.core.models import Format
from finder.core.wordfile import Regex, WordFile, load_word_file

_PLACES = ("dest", "words", "origin", "business")


class SessionTemplate(BaseModel):
    """One session of a journey: its question, the question without an echo, search words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str = Field(min_length=10)
    plain: str = Field(min_length=10)
    search: str = Field(min_length=3)
    format: Format
    minutes: int = Field(ge=5, le=120)

    @field_validator("question", "plain", "search")
    @classmethod
    def _known_places(cls, text: str) -> str:
        try:
            text.format(**{name: "" for name in _PLACES})
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"only {{{'}, {'.join(_PLACES)}}} can be filled in: {exc}") from None
        return text

    @field_validator("plain")
    @classmethod
    def _no_echo(cls, text: str) -> str:
        if "{dest}" in text or "{business}" in text:
            raise ValueError("'plain' is the question without an echo: no {dest} or {business}")
        return text


class Journey(BaseModel):
    """A kind of long-term goal: an example sentence and two or three session templates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    example: str = Field(min_length=10)
    sessions: list[SessionTemplate] = Field(min_length=2, max_length=3)


class PlanRules(WordFile):
    """Everything in ``planning.yaml``; each field is named as in the file."""

    journeys: dict[str, Journey] = Field(min_length=2)
    expand: dict[str, str] = Field(default_factory=dict)
    targets: list[Regex] = Field(min_length=1)
    set_phrases: Regex
    becoming_words: list[str]
    leading_article: Regex
    as_a: Regex
    origin: Regex
    time_phrase: Regex
    business: Regex
    clause_end: Regex
    lead_verbs: Regex
    phrase_chars: Regex
    verbs: frozenset[str] = Field(min_length=1)
    determiners: frozenset[str]
    pronouns: frozenset[str]


def load_plan_rules() -> PlanRules:
    """Read and validate ``planning.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.dialogue.lexicon", "planning.yaml", PlanRules)
