"""The outreach's words as data, validated on load: what the draft checker looks for
(``draft_checks.yaml``) and how drafts phrase an ask and a role (``phrasing.yaml``)."""

from __future__ import annotations

from pydantic import Field

from finder.core.wordfile import Regex, WordFile, load_word_file


class DraftChecks(WordFile):
    """Everything in ``draft_checks.yaml``; each field is named as in the file."""

    gush: Regex
    instruction: Regex
    honorifics: frozenset[str] = Field(min_length=1)


def load_draft_checks() -> DraftChecks:
    """Read and validate ``draft_checks.yaml`` (the caller keeps the result)."""
    return load_word_file("finder.outreach", "draft_checks.yaml", DraftChecks)
