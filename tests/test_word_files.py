"""The word files (patterns, word lists, example sentences as YAML) load once, and a broken one
says which file and which key to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import finder.dialogue.lexicon
from finder.core.errors import WordFileError
from finder.core.wordfile import parse_word_file
from finder.core.words import load_stop_words
from finder.dialogue.lexicon import load_english_hint, load_lexicon
from finder.dialogue.lexicon.plan_rules import load_plan_rules
from finder.dialogue.lexicon.sentence_rules import load_sentence_rules
from finder.dialogue.lexicon.slot_rules import SlotRules, load_slot_rules
from finder.outreach.wordfiles import load_draft_checks, load_phrasing_rules

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


@pytest.mark.parametrize(("old", "new", "says"), [
    ("shorter: '\\bshorter\\b'", "shorter: '\\b(shorter\\b'",
     r"key 'shorter': the pattern does not compile: missing \)"),
    ("shorter: '\\bshorter\\b'\n", "", r"key 'shorter': Field required"),
    ("shorter:", "shortr:", r"key 'shortr': Extra inputs are not permitted"),
    ("telephone)\\b{{topical}}", "telephone)\\b{{topicl}}",
     r"key 'formats\.phone': \{\{topicl\}\} is not a fragment"),
    ("  junior:\n", "  beginner:\n", r"key 'levels\.beginner': Input should be 'student'"),
    ("version: 1\n", "", r"key 'version': Field required"),
], ids=["pattern-does-not-compile", "missing-key", "misspelt-key", "unknown-fragment",
        "unknown-level", "no-version"])
def test_a_broken_slot_file_names_the_file_and_the_key(old: str, new: str, says: str) -> None:
    with pytest.raises(WordFileError, match=rf"^finder/dialogue/lexicon/slots\.yaml: (.*; )?{says}"):
        parse_word_file(_slots_with(old, new), SLOTS, SlotRules)


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(WordFileError, match=r"slots\.yaml, line 3 is not valid YAML"):
        parse_word_file("version: 1\nabout: x\nshorter: a: b\n", SLOTS, SlotRules)


@pytest.mark.parametrize("load", [load_stop_words, load_lexicon, load_english_hint,
                                  load_slot_rules, load_plan_rules, load_sentence_rules,
                                  load_draft_checks, load_phrasing_rules])
def test_every_shipped_word_file_loads(load: Any) -> None:
    assert load().version >= 1
