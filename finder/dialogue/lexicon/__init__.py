"""The offline understanding's words as data (``understanding.yaml``, ``english_hint.yaml``),
validated on load."""

from __future__ import annotations

import importlib.resources

import yaml
from pydantic import BaseModel, Field


class Examples(BaseModel):
    """Labelled example sentences the understanding compares a message with."""

    vague: list[str] = Field(min_length=2)
    specific: list[str] = Field(min_length=2)
    long_term: list[str] = Field(min_length=2)
    focused_extra: list[str] = Field(default_factory=list)
    refine: list[str] = Field(min_length=2)
    new_goal: list[str] = Field(min_length=2)

    @property
    def focused(self) -> list[str]:
        return self.specific + self.focused_extra


class Lexicon(BaseModel):
    """Everything in ``understanding.yaml``."""

    version: int = Field(ge=1)
    about: str = ""
    ask_words: list[str]
    generic_words: list[str]
    logistics_words: list[str]
    examples: Examples
    catalogue: list[str] = Field(min_length=3)
    broad_chips: dict[str, list[str]] = Field(min_length=1)


def load_lexicon(name: str = "understanding.yaml") -> Lexicon:
    """Read and validate one lexicon file shipped with the package."""
    text = importlib.resources.files(__name__).joinpath(name).read_text("utf-8")
    return Lexicon.model_validate(yaml.safe_load(text))


class EnglishHint(BaseModel):
    """What the chat says once to a mentee who writes in another language (english_hint.yaml)."""

    version: int = Field(ge=1)
    about: str = ""
    english: str = Field(min_length=20)
    own_language: dict[str, str] = Field(default_factory=dict)

    def say(self, language: str) -> str:
        """The hint in English, followed by the mentee's language when there is an entry."""
        own = self.own_language.get(language)
        return f"{self.english} {own}" if own else self.english


def load_english_hint(name: str = "english_hint.yaml") -> EnglishHint:
    """Read and validate the hint for mentees who write in another language."""
    text = importlib.resources.files(__name__).joinpath(name).read_text("utf-8")
    return EnglishHint.model_validate(yaml.safe_load(text))
