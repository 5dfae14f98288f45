"""The quick-reply chips the dialogue offers (``chips.yaml``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from finder.core.goal import Level
from finder.core.wordfile import WordFile, load_word_file

Chip = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
"""What a chip says; tapped, it is sent as the mentee's message."""


class RefineChips(BaseModel):
    """The chips under results, each named by what it changes, in the order shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    only_email: Chip
    europe: Chip
    more_senior: Chip
    diversity: Chip
    shorter: Chip


class Chips(WordFile):
    """Everything in ``chips.yaml``; each field is named as in the file."""

    opening: tuple[Chip, ...] = Field(min_length=1)
    skip: Chip
    context: dict[Chip, Level] = Field(min_length=1)
    format: tuple[Chip, ...] = Field(min_length=1)
    refine: RefineChips
    any_meeting: Chip

    def level(self, answer: str) -> Level | None:
        """The level a context chip means, for the chip's text in any case; else None."""
        said = answer.lower()
        return next((level for chip, level in self.context.items() if chip.lower() == said),
                    None)


def load_chips() -> Chips:
    """Read and validate ``chips.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.dialogue.lexicon", "chips.yaml", Chips)
