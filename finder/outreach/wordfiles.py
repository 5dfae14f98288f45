"""The outreach's words as data, validated on load: what the draft checker looks for
(``draft_checks.yaml``), how drafts phrase an ask and a role (``phrasing.yaml``) and which
questions a draft suggests for which kind of ask (``questions.yaml``)."""

from __future__ import annotations

import string
from typing import Annotated

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field,
                      field_validator, model_validator)

from finder.core.wordfile import Regex, WordFile, WordSet, load_word_file


class DraftChecks(WordFile):
    """Everything in ``draft_checks.yaml``; each field is named as in the file."""

    gush: Regex
    instruction: Regex
    honorifics: frozenset[str] = Field(min_length=1)
    meeting_words: Regex


def load_draft_checks() -> DraftChecks:
    """Read and validate ``draft_checks.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.outreach", "draft_checks.yaml", DraftChecks)


class PhrasingRules(WordFile):
    """Everything in ``phrasing.yaml``; each field is named as in the file."""

    verbs: WordSet = Field(min_length=1)
    irregular_gerunds: dict[str, str]
    doubled: WordSet
    particles: WordSet
    breaks: WordSet
    dangling: WordSet
    not_objects: WordSet
    object_determiners: WordSet
    not_doing: WordSet
    preamble: Regex
    time_at_end: Regex
    feedback_asks: list[Regex] = Field(min_length=1)
    doing_asks: list[Regex] = Field(min_length=1)
    should_ask: Regex
    yes_no_ask: Regex
    wh_ask: Regex
    wh_own_verbs: WordSet
    whether_should: Regex
    whether_start: Regex
    statement_start: Regex
    question_start: Regex
    role_end: Regex
    titles_without_article: Regex
    article: Regex
    vowel_sound_initials: str = Field(min_length=1)
    consonant_sound_starts: Regex
    acronyms: WordSet
    linking_start: Regex
    clause_marks: list[str] = Field(min_length=1)
    self_description: Regex
    asking_start: Regex
    vague_end: Regex


def load_phrasing_rules() -> PhrasingRules:
    """Read and validate ``phrasing.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.outreach", "phrasing.yaml", PhrasingRules)


QUESTION_PHRASES = frozenset({"lead", "about", "doing"})
"""What a suggested question may name: see finder.outreach.questions.fill."""


def _question_text(value: str) -> str:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a question template: {exc}") from None
    if unknown := names - QUESTION_PHRASES:
        raise ValueError(f"{value!r} names {{{sorted(unknown)[0]}}}; a question may name only "
                         + ", ".join(f"{{{n}}}" for n in sorted(QUESTION_PHRASES)))
    if not value.rstrip().endswith("?"):
        raise ValueError(f"{value!r} does not end with '?'")
    return value


def _at_word_start(value: object) -> object:
    return rf"\b(?:{value})" if isinstance(value, str) else value


class Question(BaseModel):
    """A question a draft may suggest; with ``when``, only if the mentee's words match it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ask: Annotated[str, AfterValidator(_question_text)]
    when: Annotated[Regex | None, BeforeValidator(_at_word_start)] = None

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, data: object) -> object:
        return {"ask": data} if isinstance(data, str) else data

    def fits(self, said: str) -> bool:
        """Whether the mentee's words name what this question needs (a grant has no pitch)."""
        return self.when is None or self.when.search(said) is not None


class Intent(BaseModel):
    """One kind of ask: example sentences, keywords, and the questions for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_]+$")
    subject: str = ""
    examples: tuple[str, ...] = ()
    keywords: Regex | None = None
    # Chosen only when a keyword names it: its examples are close to many unrelated asks.
    needs_keyword: bool = False
    # Its keywords name a setting ("cafe", "shop"), not a situation: they count only when no
    # other kind's keywords are named ("two of my cooks keep fighting" is a conflict in a
    # restaurant, not running one).
    setting: bool = False
    lead: tuple[Question, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)

    def named_in(self, text: str) -> bool:
        """Whether ``text`` holds one of this kind's keywords."""
        return self.keywords is not None and self.keywords.search(text) is not None


def _ask_kind(intent: Intent) -> Intent:
    if not intent.examples or intent.keywords is None or not intent.subject:
        raise ValueError("a kind of ask needs examples, keywords and a subject")
    return intent


class QuestionRules(WordFile):
    """Everything in ``questions.yaml``; each field is named as in the file. The kinds of ask
    are kept in the file's order (the first of two equally close kinds wins)."""

    intents: dict[str, Annotated[Intent, AfterValidator(_ask_kind)]] = Field(min_length=1)
    generic: Intent

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: object) -> object:
        """Each kind is named by its key; the fallback is 'generic'."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("intents"), dict):
            data["intents"] = {key: {**value, "name": key} if isinstance(value, dict) else value
                               for key, value in data["intents"].items()}
        if isinstance(data.get("generic"), dict):
            data["generic"] = {**data["generic"], "name": "generic"}
        return data

    @property
    def kinds(self) -> tuple[Intent, ...]:
        """The kinds of ask, in the file's order."""
        return tuple(self.intents.values())


def load_question_rules() -> QuestionRules:
    """Read and validate ``questions.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.outreach", "questions.yaml", QuestionRules)


class SubjectLabels(WordFile):
    """Everything in ``subjects.yaml``: labels a subject line may name an ask by, each with
    example asks in a mentee's words."""

    labels: dict[str, list[str]] = Field(min_length=1)

    @field_validator("labels")
    @classmethod
    def _noun_phrases(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for label, examples in value.items():
            if not 1 <= len(label.split()) <= 7 or label != label.strip():
                raise ValueError(f"a subject label has 1 to 7 words, got {label!r}")
            if not examples or any(not e.strip() for e in examples):
                raise ValueError(f"subject label {label!r} needs example asks")
        return value


def load_subject_labels() -> SubjectLabels:
    """Read and validate ``subjects.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.outreach", "subjects.yaml", SubjectLabels)
