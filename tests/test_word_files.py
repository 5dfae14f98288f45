"""The word files (patterns, word lists, example sentences, suggested questions and chips as
YAML) load once, and a broken one says which file and which key to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import finder.dialogue.lexicon
import finder.outreach
from finder.core.errors import WordFileError
from finder.core.goal import Goal
from finder.core.wordfile import parse_word_file
from finder.core.words import load_stop_words
from finder.dialogue.assistant import OfflineAssistant
from finder.dialogue.lexicon import load_english_hint, load_lexicon
from finder.dialogue.lexicon.chip_rules import Chips, load_chips
from finder.dialogue.lexicon.plan_rules import load_plan_rules
from finder.dialogue.lexicon.sentence_rules import load_sentence_rules
from finder.dialogue.lexicon.slot_rules import SlotRules, load_slot_rules
from finder.dialogue.slots import read_slots
from finder.outreach.wordfiles import (QuestionRules, load_draft_checks, load_phrasing_rules,
                                       load_question_rules, load_subject_labels)
from tests.fakes import HashingEmbedder

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
    ("displays?)\\b))\\b{{topical}}", "displays?)\\b))\\b{{topicl}}",
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
                                  load_draft_checks, load_phrasing_rules, load_question_rules,
                                  load_chips, load_subject_labels])
def test_every_shipped_word_file_loads(load: Any) -> None:
    assert load().version >= 1


# -- which questions a draft suggests (questions.yaml) ----------------------------------------

QUESTIONS = "finder/outreach/questions.yaml"


def _questions_with(old: str, new: str) -> str:
    text = (Path(finder.outreach.__file__).parent / "questions.yaml").read_text("utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "says"), [
    ("- 'How would you weigh the options against each other?'",
     "- 'How would you decide {whether}?'",
     r"key 'intents\.decision\.questions\.0\.ask': 'How would you decide \{whether\}\?' names "
     r"\{whether\}; a question may name only \{about\}, \{doing\}, \{lead\}"),
    ("- 'Which part of my work would you cut or expand first?'",
     "- 'Which part of my work would you cut or expand first'",
     r"key 'intents\.feedback\.questions\.0\.ask': .* does not end with '\?'"),
    ("when: 'pitch|deck|investor'", "when: 'pitch|(deck'",
     r"key 'intents\.funding\.questions\.0\.when': the pattern does not compile"),
    ("    keywords: 'interview|", "    keyword: 'interview|",
     r"key 'intents\.interview\.keyword': Extra inputs are not permitted"),
    ("  legal:\n    subject: 'a legal question'\n", "  legal:\n",
     r"key 'intents\.legal': a kind of ask needs examples, keywords and a subject"),
    ("{{pay_raise}}|pay rise|promotion", "{{pay_rise}}|pay rise|promotion",
     r"key 'intents\.raise\.keywords': \{\{pay_rise\}\} is not a fragment"),
], ids=["unknown-phrase", "not-a-question", "condition-does-not-compile", "misspelt-key",
        "kind-without-subject", "unknown-fragment"])
def test_a_broken_questions_file_names_the_file_and_the_entry(old: str, new: str,
                                                              says: str) -> None:
    with pytest.raises(WordFileError, match=rf"^finder/outreach/questions\.yaml: (.*; )?{says}"):
        parse_word_file(_questions_with(old, new), QUESTIONS, QuestionRules)


def test_a_question_with_a_condition_needs_the_mentees_words() -> None:
    funding = load_question_rules().intents["funding"]
    pitch = funding.questions[0]
    assert pitch.fits("my pitch deck for a seed round")
    assert not pitch.fits("a grant application for my lab")
    assert not pitch.fits("dispatching orders")  # at the start of a word only


# -- the quick-reply chips (chips.yaml) -------------------------------------------------------

CHIPS_FILE = "finder/dialogue/lexicon/chips.yaml"


def _chips_with(old: str, new: str) -> str:
    text = (LEXICON / "chips.yaml").read_text("utf-8")
    assert old in text
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "says"), [
    ("  Experienced professional: senior", "  Experienced professional: veteran",
     r"key 'context\.Experienced professional': Input should be 'student'"),
    ("  diversity: Different perspectives\n", "",
     r"key 'refine\.diversity': Field required"),
    ("- Email exchange", "- ''", r"key 'format\.2': String should have at least 1 character"),
    ("skip: Just show me mentors", "skip: Just show me mentors\nskipp: Later",
     r"key 'skipp': Extra inputs are not permitted"),
], ids=["unknown-level", "missing-refine-chip", "empty-chip", "misspelt-key"])
def test_a_broken_chips_file_names_the_file_and_the_entry(old: str, new: str, says: str) -> None:
    with pytest.raises(WordFileError, match=rf"^finder/dialogue/lexicon/chips\.yaml: (.*; )?{says}"):
        parse_word_file(_chips_with(old, new), CHIPS_FILE, Chips)


GOAL = Goal(topic="Pricing my product", challenge="how should I price my hand-made candles?")


def test_every_refine_chip_tapped_after_results_makes_the_change_it_names() -> None:
    assistant = OfflineAssistant(HashingEmbedder())
    chips = load_chips()
    made = {name: assistant.follow_up(chip, GOAL)
            for name, chip in [*chips.refine.model_dump().items(), ("any", chips.any_meeting)]}
    assert all(reading.kind == "refine" for reading in made.values()), made
    assert made["only_email"].refinement.formats == ["email"]
    assert made["europe"].refinement.region == "Europe"
    assert made["more_senior"].refinement.more_senior
    assert made["diversity"].refinement.diversity
    assert made["shorter"].refinement.minutes == 15
    assert made["any"].refinement.any_format and made["any"].refinement.any_length


def test_every_chip_under_a_question_is_read_as_its_answer() -> None:
    assistant = OfflineAssistant(HashingEmbedder())
    chips = load_chips()
    assert assistant.command(chips.skip, []).kind == "skip"
    for chip, level in chips.context.items():
        assert assistant.extract_goal(chip, GOAL, "context").context.level == level, chip
    read = [(read_slots(chip).formats, read_slots(chip).minutes) for chip in chips.format]
    assert read == [(["video", "phone"], 15), (["video"], 30), (["email"], None), ([], None)]
    for chip in chips.opening:  # a topic to search, not a command
        assert assistant.command(chip, []).kind == "none", chip


# -- how replies name formats and relaxed filters (understanding.yaml) -------------------------

def test_a_reply_name_missing_for_a_format_or_a_filter_is_named() -> None:
    from finder.dialogue.lexicon import Lexicon

    text = (LEXICON / "understanding.yaml").read_text("utf-8")
    for old, says in [("  in_person: in-person meetings\n",
                       r"key 'meeting_names': Dictionary should have at least 5 items"),
                      ("  minutes: session length\n", r"key 'filter_names\.minutes': Field required"),
                      ("  video: video calls\n", None)]:
        assert old in text
        broken = text.replace(old, "  vidoe: video calls\n" if says is None else "", 1)
        says = says or r"key 'meeting_names\.vidoe': Input should be 'video'"
        with pytest.raises(WordFileError, match=rf"understanding\.yaml: (.*; )?{says}"):
            parse_word_file(broken, "finder/dialogue/lexicon/understanding.yaml", Lexicon)
