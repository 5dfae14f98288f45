"""Skip commands and meeting-format cues that a mentee actually types."""

from __future__ import annotations

import pytest

from finder.dialogue.slots import read_slots
from finder.dialogue.understanding import Understanding
from tests.fakes import HashingEmbedder

UNDERSTANDING = Understanding(HashingEmbedder())


@pytest.mark.parametrize("text", [
    "skip", "skip this", "just show me", "just show me mentors", "Just show me mentors",
    "show me mentors", "show me the mentors please", "not sure, just show me", "no idea",
    "skip, just show me mentors",
])
def test_skip_commands(text: str) -> None:
    assert UNDERSTANDING.command(text) == "skip"


@pytest.mark.parametrize("text", [
    "email is fine", "I want to show my portfolio to a designer", "how to skip a grade in school",
])
def test_not_skip_commands(text: str) -> None:
    assert UNDERSTANDING.command(text) is None


@pytest.mark.parametrize("text, formats", [
    ("feedback on my logo for a coffee roastery", []),
    ("marketing for my coffee shop", []),
    ("can we meet over coffee?", ["in_person"]),
    ("a coffee chat about my bakery", ["in_person"]),
])
def test_coffee_is_a_format_only_as_a_way_to_meet(text: str, formats: list[str]) -> None:
    assert read_slots(text).formats == formats


@pytest.mark.parametrize("text, long_term", [
    ("set up bookkeeping for my bakery", False),
    ("how to set up bookkeeping for my bakery", False),
    ("pricing my freelance design work", False),
    ("grow my bakery into a chain", True),
    ("become a CTO in five years", True),
    ("switch careers into UX design", True),
])
def test_long_term_needs_a_cue_or_a_clear_margin(embedder, text: str, long_term: bool) -> None:  # type: ignore[no-untyped-def]
    assert Understanding(embedder).is_long_term(text) is long_term
