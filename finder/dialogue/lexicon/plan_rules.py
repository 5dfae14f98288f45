"""The planner's journeys, templates and word lists (``planning.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from finder.core.models import Format
from finder.core.wordfile import Regex, WordFile, load_word_file

_PLACES = ("dest", "in_dest", "words", "origin", "business")


def _check_places(text: str) -> str:
    try:
        text.format(**{name: "" for name in _PLACES})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"only {{{'}, {'.join(_PLACES)}}} can be filled in: {exc}") from None
    return text


class SessionTemplate(BaseModel):
    """One session of a journey: its question, the question without an echo, search words,
    the step's subject ('topic', a noun phrase; 'plain_topic' without an echo) and the
    questions a draft to one of its mentors suggests (one that would echo a phrase the goal
    lacks is left out)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str = Field(min_length=10)
    plain: str = Field(min_length=10)
    search: str = Field(min_length=3)
    topic: str = Field(min_length=3)
    plain_topic: str = Field(min_length=3)
    questions: list[str] = Field(min_length=2, max_length=5)
    format: Format
    minutes: int = Field(ge=5, le=120)

    @field_validator("question", "plain", "search", "topic", "plain_topic")
    @classmethod
    def _known_places(cls, text: str) -> str:
        return _check_places(text)

    @field_validator("questions")
    @classmethod
    def _known_places_in_questions(cls, texts: list[str]) -> list[str]:
        for text in texts:
            _check_places(text)
            if not text.rstrip().endswith("?"):
                raise ValueError(f"a suggested question ends with '?': {text!r}")
        return texts

    @field_validator("plain", "plain_topic")
    @classmethod
    def _no_echo(cls, text: str) -> str:
        if any(f"{{{name}}}" in text for name in ("dest", "in_dest", "business")):
            raise ValueError("a plain text is the one without an echo: no {dest}, {in_dest} "
                             "or {business}")
        return text


class Journey(BaseModel):
    """A kind of long-term goal: example sentences and two or three session templates."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    examples: list[str] = Field(min_length=1)
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
    origin_journeys: list[str] = Field(min_length=1)
    new_role_journey: str
    ranked_role_journey: str
    ranked_role: Regex
    not_a_role: Regex
    new_business: Regex
    running_business: Regex
    start_journey: str
    grow_journey: str
    time_phrase: Regex
    business: Regex
    clause_end: Regex
    trailing_detail: Regex
    lead_verbs: Regex
    phrase_chars: Regex
    verbs: frozenset[str] = Field(min_length=1)
    determiners: frozenset[str]
    pronouns: frozenset[str]

    @model_validator(mode="after")
    def _journeys_known(self) -> PlanRules:
        named = [*self.origin_journeys, self.new_role_journey, self.ranked_role_journey,
                 self.start_journey, self.grow_journey]
        unknown = [name for name in named if name not in self.journeys]
        if unknown:
            raise ValueError(f"a journey rule names no journey: {', '.join(unknown)}")
        return self


def load_plan_rules() -> PlanRules:
    """Read and validate ``planning.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.dialogue.lexicon", "planning.yaml", PlanRules)
