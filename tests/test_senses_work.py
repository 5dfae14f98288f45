"""Work words read in the sense the ask gives them (session 6 read-through, final code).

"my manager keeps taking credit for my work in meetings" showed a credit union manager first.
Written before the sense was added; new wordings. (A "testing" sense for software teams was
tried for "we keep shipping bugs, how do we set up testing" and not kept: it cost the Coding
Coach tune half 0.0013 nDCG@10.)
"""

from __future__ import annotations

import pytest

from finder.search.senses import bundled_senses


@pytest.mark.parametrize(("message", "reads", "gone"), [
    ("My manager keeps taking credit for my work in meetings, what do I do", "recognition",
     "credit"),
    ("A colleague took credit for my idea in front of the whole team.", "recognition",
     "credit"),
])
def test_work_words_are_searched_in_their_sense(message: str, reads: str,
                                                gone: str | None) -> None:
    searched = bundled_senses().read(message)
    assert reads in searched, searched
    if gone:
        assert gone not in searched.lower(), searched


@pytest.mark.parametrize("message", [
    "How do I improve my credit score before applying for a mortgage?",
    "I run a credit union and want to modernise our lending.",
    "We test soil samples for farmers and want to grow the lab.",
    "How do I prepare for my driving test next month?",
    "I work at a credit union and want to move into compliance.",
    "How do I start testing demand for my app idea before building it?",
])
def test_other_senses_stay_as_written(message: str) -> None:
    assert bundled_senses().read(message) == message
