"""The project's one stop-word list, read from ``finder/core/stopwords.yaml`` and validated."""

from __future__ import annotations

from pydantic import Field, field_validator

from finder.core.wordfile import WordFile, load_word_file


class StopWords(WordFile):
    """Function words: ``words`` for keyword search, plus ``dialogue_only`` for the dialogue,
    plus ``reasons_only`` for match reasons; ``phrase_only`` and ``phrase_allowed`` adjust the
    dialogue's list for the planner's goal phrases."""

    words: list[str] = Field(min_length=1)
    dialogue_only: list[str] = Field(default_factory=list)
    reasons_only: list[str] = Field(default_factory=list)
    phrase_only: list[str] = Field(default_factory=list)
    phrase_allowed: list[str] = Field(default_factory=list)

    @field_validator("words", "dialogue_only", "reasons_only", "phrase_only", "phrase_allowed")
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
        """What a match reason never names: every word of the list but ``phrase_only``."""
        return self.dialogue() | frozenset(self.reasons_only)

    def phrase_edges(self) -> frozenset[str]:
        """What a planned session's goal phrase neither starts nor ends with."""
        return (self.dialogue() - frozenset(self.phrase_allowed)) | frozenset(self.phrase_only)


def load_stop_words() -> StopWords:
    """Read and validate the shipped list (callers keep the result; nothing is cached here)."""
    return load_word_file("finder.core", "stopwords.yaml", StopWords)
