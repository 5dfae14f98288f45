"""The project's one stop-word list, read from ``finder/core/stopwords.yaml`` and validated."""

from __future__ import annotations

import importlib.resources

import yaml
from pydantic import BaseModel, Field, field_validator


class StopWords(BaseModel):
    """Function words: ``words`` for keyword search, plus ``dialogue_only`` for the dialogue,
    plus ``reasons_only`` for match reasons."""

    version: int = Field(ge=1)
    about: str = ""
    words: list[str] = Field(min_length=1)
    dialogue_only: list[str] = Field(default_factory=list)
    reasons_only: list[str] = Field(default_factory=list)

    @field_validator("words", "dialogue_only", "reasons_only")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        bad = [w for w in value if w != w.strip().lower() or not w]
        if bad:
            raise ValueError(f"stop words must be lower-case single words, got {bad[:3]}")
        return value

    def search(self) -> frozenset[str]:
        """What keyword search drops."""
        return frozenset(self.words)

    def dialogue(self) -> frozenset[str]:
        """What the dialogue doesn't count as a content word."""
        return frozenset(self.words) | frozenset(self.dialogue_only)

    def reasons(self) -> frozenset[str]:
        """What a match reason never names: every word of the list."""
        return self.dialogue() | frozenset(self.reasons_only)


def load_stop_words() -> StopWords:
    """Read and validate the shipped list (callers keep the result; nothing is cached here)."""
    text = importlib.resources.files("finder.core").joinpath("stopwords.yaml").read_text("utf-8")
    return StopWords.model_validate(yaml.safe_load(text))
