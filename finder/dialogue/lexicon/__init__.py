"""The dialogue's words as data, validated on load: the understanding's (``understanding.yaml``),
the hint for mentees who write in another language (``english_hint.yaml``), the slot rules
(``slots.yaml``, :mod:`.slot_rules`), the planner's (``planning.yaml``, :mod:`.plan_rules`) and how
a sentence is taken apart (``sentences.yaml``, :mod:`.sentence_rules`) and the quick-reply chips
(``chips.yaml``, :mod:`.chip_rules`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from finder.core.models import Format
from finder.core.wordfile import Regex, WordFile, load_word_file


class FilterNames(BaseModel):
    """How a reply names each filter it relaxed ("I relaxed the session length")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_years_experience: str = Field(min_length=1)
    countries: str = Field(min_length=1)
    region: str = Field(min_length=1)
    language: str = Field(min_length=1)
    minutes: str = Field(min_length=1)
    formats: str = Field(min_length=1)


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


class Lexicon(WordFile):
    """Everything in ``understanding.yaml``."""

    ask_words: list[str]
    generic_words: list[str]
    logistics_words: list[str]
    examples: Examples
    catalogue: list[str] = Field(min_length=3)
    broad_chips: dict[str, list[str]] = Field(min_length=1)
    command_skip: Regex
    show_request: Regex
    command_reset: Regex
    draft_request: Regex
    ordinals: dict[str, int] = Field(min_length=1)
    less_senior: Regex
    long_cues: Regex
    decision: Regex
    about_me: Regex
    where_i_am: Regex
    time_zone_clause: Regex
    unsure_of_need: Regex
    asks: Regex
    refers_back: Regex
    refers_back_words: int = Field(ge=2, le=20)
    meeting_request: Regex
    meeting_ask: Regex
    meeting_purpose: Regex
    own_work: Regex
    named_topic: Regex
    one_question: Regex
    document_review: Regex
    mentor_frame: Regex
    a_move: Regex
    meeting_names: dict[Format, str] = Field(min_length=5)
    filter_names: FilterNames


def load_lexicon(name: str = "understanding.yaml") -> Lexicon:
    """Read and validate one lexicon file shipped with the package."""
    return load_word_file(__name__, name, Lexicon)


class EnglishHint(WordFile):
    """What the chat says once to a mentee who writes in another language (english_hint.yaml)."""

    english: str = Field(min_length=20)
    own_language: dict[str, str] = Field(default_factory=dict)

    def say(self, language: str) -> str:
        """The hint in English, followed by the mentee's language when there is an entry."""
        own = self.own_language.get(language)
        return f"{self.english} {own}" if own else self.english


def load_english_hint(name: str = "english_hint.yaml") -> EnglishHint:
    """Read and validate the hint for mentees who write in another language."""
    return load_word_file(__name__, name, EnglishHint)
