"""The word files (patterns, word lists, example sentences as YAML) load once, and a broken one
says which file and which key to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

import finder.dialogue.lexicon
from finder.core.errors import WordFileError
from finder.core.wordfile import parse_word_file
from finder.dialogue.lexicon.slot_rules import SlotRules, load_slot_rules

LEXICON = Path(finder.dialogue.lexicon.__file__).parent
SLOTS = "finder/dialogue/lexicon/slots.yaml"


def _slots_with(old: str, new: str) -> str:
    text = (LEXICON / "slots.yaml").read_text("utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_the_shipped_slot_rules_load_and_read_a_message() -> None:
    rules = load_slot_rules()
    assert rules.version >= 1
    assert rules.formats["video"].search("Could we do a Zoom call?")
    assert not rules.formats["video"].search("I need help with video marketing")
    assert list(rules.regions)[:2] == ["US East Coast", "US West Coast"]  # tried in order
    assert rules.country.search("someone based in the Netherlands").group(1) == "the Netherlands"
    assert rules.language_codes()["mandarin"] == "zh"


def test_a_pattern_that_does_not_compile_names_the_file_and_the_key() -> None:
    text = _slots_with("shorter: '\\bshorter\\b'", "shorter: '\\b(shorter\\b'")
    with pytest.raises(WordFileError, match=r"slots\.yaml: key 'shorter': the pattern does "
                                            r"not compile: missing \)"):
        parse_word_file(text, SLOTS, SlotRules)


def test_a_missing_key_is_named() -> None:
    text = _slots_with("shorter: '\\bshorter\\b'\n", "")
    with pytest.raises(WordFileError, match=r"slots\.yaml: key 'shorter': Field required"):
        parse_word_file(text, SLOTS, SlotRules)


def test_a_misspelt_key_is_named() -> None:
    text = _slots_with("shorter:", "shortr:")
    with pytest.raises(WordFileError, match=r"key 'shortr': Extra inputs are not permitted"):
        parse_word_file(text, SLOTS, SlotRules)


def test_an_unknown_fragment_is_named_with_its_key() -> None:
    text = _slots_with("telephone)\\b{{topical}}", "telephone)\\b{{topicl}}")
    with pytest.raises(WordFileError, match=r"key 'formats\.phone': \{\{topicl\}\} is not a "
                                            r"fragment"):
        parse_word_file(text, SLOTS, SlotRules)


def test_a_level_the_goal_does_not_know_is_refused() -> None:
    text = _slots_with("  junior:\n", "  beginner:\n")
    with pytest.raises(WordFileError, match=r"key 'levels\.beginner'"):
        parse_word_file(text, SLOTS, SlotRules)


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(WordFileError, match=r"slots\.yaml, line 3 is not valid YAML"):
        parse_word_file("version: 1\nabout: x\nshorter: a: b\n", SLOTS, SlotRules)


def test_a_file_without_a_version_is_refused() -> None:
    text = _slots_with("version: 1\n", "")
    with pytest.raises(WordFileError, match=r"key 'version': Field required"):
        parse_word_file(text, SLOTS, SlotRules)
