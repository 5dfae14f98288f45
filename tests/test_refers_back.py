"""A short question that points back ("How should I handle it?") is quoted with the sentence it
points to (session 6 read-through).

"hi, i am a nurse manager and two of my senior nurses keep clashing in front of patients. how
should i handle it" was answered "Here are 5 mentors for what you asked: “How should I handle
it?”": the sentence that says what "it" is began with "I am", so it was read as an
introduction only. Written before the change, new wordings: TUNE used while building it,
REPORT run once at the end (``-k tune`` / ``-k report``).
"""

from __future__ import annotations

import pytest

from tests.fakes import TinySearch, first_results

TUNE = {
    "hi, i am a nurse manager and two of my senior nurses keep clashing in front of patients. "
    "how should i handle it": "clashing",
    "I'm a team lead and my two best engineers both want the same promotion. What do I do "
    "about it?": "promotion",
}
REPORT = {
    "I'm a bakery owner and my flour supplier doubled their prices overnight. Is that even "
    "allowed?": "flour",
    "We are a small charity and our biggest donor just pulled out. How do we recover from "
    "this?": "donor",
}


def _results_text(search: TinySearch, message: str) -> str:
    _, reply = first_results(search, message)
    assert reply.kind == "results", reply.text
    return reply.text


@pytest.mark.parametrize("message", sorted(TUNE))
def test_tune_a_question_pointing_back_is_quoted_with_what_it_points_to(
        search: TinySearch, message: str) -> None:
    assert TUNE[message] in _results_text(search, message)


@pytest.mark.parametrize("message", sorted(REPORT))
def test_report_a_question_pointing_back_is_quoted_with_what_it_points_to(
        search: TinySearch, message: str) -> None:
    assert REPORT[message] in _results_text(search, message)
