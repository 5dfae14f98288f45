"""The outreach's words as data, validated on load: what the draft checker looks for
(``draft_checks.yaml``) and how drafts phrase an ask and a role (``phrasing.yaml``)."""

from __future__ import annotations

from pydantic import Field

from finder.core.wordfile import Regex, WordFile, WordSet, load_word_file


class DraftChecks(WordFile):
    """Everything in ``draft_checks.yaml``; each field is named as in the file."""

    gush: Regex
    instruction: Regex
    honorifics: frozenset[str] = Field(min_length=1)


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


def load_phrasing_rules() -> PhrasingRules:
    """Read and validate ``phrasing.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.outreach", "phrasing.yaml", PhrasingRules)
