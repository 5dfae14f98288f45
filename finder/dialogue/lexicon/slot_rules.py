"""The slot rules (``slots.yaml``): what finder.dialogue.slots reads out of a message."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from pydantic import Field

from finder.core.goal import LANGUAGE_NAMES, Level
from finder.core.models import Format
from finder.core.wordfile import Regex, WordFile, load_word_file


def _alternation(names: list[str], escape: bool = False) -> str:
    """Longest first, so that "the netherlands" wins over "netherlands"."""
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(re.escape(name) if escape else name for name in ordered)


class SlotRules(WordFile):
    """Everything in ``slots.yaml``; each field is named as in the file."""

    formats: dict[Format, Regex] = Field(min_length=1)
    plain_call: Regex
    any_format: Regex
    any_length: Regex
    minutes: Regex
    minute_words: dict[str, int] = Field(min_length=1)
    hours: Regex
    quick: Regex
    shorter: Regex
    length_of_a_thing: Regex
    more_language_names: dict[str, str] = Field(default_factory=dict)
    language_rules: dict[str, Regex] = Field(min_length=1)
    any_language: Regex
    regions: dict[str, Regex] = Field(min_length=1)
    countries: dict[str, str] = Field(min_length=1)
    country: Regex
    for_mentor: Regex
    someone_elses_place: Regex
    more_senior: Regex
    years: Regex
    years_wished: Regex
    years_own: Regex
    senior_wish: Regex
    senior_audience: Regex
    urgent: Regex
    soon: Regex
    diversity: Regex
    more: Regex
    levels: dict[Level, Regex] = Field(min_length=1)
    about_self: Regex
    role: Regex
    not_a_role: Regex
    field: Regex
    filler: Regex
    trailing: Regex
    anchor: Regex
    self_clause: Regex
    asking: Regex

    @classmethod
    def derived_fragments(cls, data: dict[str, Any]) -> dict[str, str]:
        """``{{languages}}``: every language name; ``{{countries}}``: every country name."""
        extra = data.get("more_language_names") or {}
        countries = data.get("countries") or {}
        return {"languages": _alternation(list(cls.language_codes_of(extra))),
                "countries": _alternation([str(name) for name in countries], escape=True)}

    @staticmethod
    def language_codes_of(extra: dict[str, str]) -> dict[str, str]:
        """Lower-case language name -> code: finder.core.goal's names, then the file's."""
        codes = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
        codes.update({str(name).lower(): str(code) for name, code in extra.items()})
        return codes

    @cached_property
    def minutes_in_words(self) -> re.Pattern[str]:
        """A length in words: one of ``minute_words`` and "minutes" ("a quarter of an hour"
        needs none)."""
        words = _alternation([re.escape(w).replace("\\-", "[- ]?") for w in self.minute_words])
        return re.compile(rf"\b({words})(?:\s*-?\s*(?:min(?:ute)?s?|mins?)\b|(?<=hour))",
                          re.IGNORECASE)

    def minutes_of_words(self, said: str) -> int:
        """The minutes of a length ``minutes_in_words`` found ('quarter of an hour': 15)."""
        return self._minutes_by_words[_words_key(said)]

    @cached_property
    def _minutes_by_words(self) -> dict[str, int]:
        return {_words_key(words): minutes for words, minutes in self.minute_words.items()}

    def language_codes(self) -> dict[str, str]:
        """Lower-case language name -> code, for every name the rules can match."""
        return self.language_codes_of(self.more_language_names)


def _words_key(words: str) -> str:
    return re.sub(r"[- ]+", "-", words.lower())


def load_slot_rules() -> SlotRules:
    """Read and validate ``slots.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.dialogue.lexicon", "slots.yaml", SlotRules)
