"""A question typed without its question mark is still quoted as a question (session 6).

People type fast: "how do I bring it up without demotivating him" ends in no mark. Quoted back
with a full stop it reads as a statement, and the draft calls it "my situation" instead of a
question. A sentence that opens as a question ("how do I", "should I", "is it normal") is quoted
with a "?"; one that only starts with a question word ("How I got here is a long story") is not.

Written before the change, from the mentee's side. TUNE was used while building it; REPORT is
run once at the end (``-k tune`` / ``-k report``).
"""

from __future__ import annotations

import pytest

from tests.fakes import TinySearch, first_results

# message -> how the quoted sentence must end
TUNE = {
    "my manager keeps moving our one to ones. how do i get her to take them seriously":
        "seriously?",
    "what should a freelance illustrator charge for a book cover": "book cover?",
    "should I take the offer from the startup or stay where I am for another year": "I am for "
                                                                                  "another year?",
    "How I got into design is a long story but now I want to start freelancing": "freelancing.",
}
REPORT = {
    "is it normal for a junior dev to feel lost for the first six months": "six months?",
    "which certification matters more for cloud jobs, aws or azure": "aws or azure?",
    "What I need is someone who has run a food truck and can tell me about permits":
        "about permits.",
}


def _quote_end(search: TinySearch, message: str) -> str:
    chat, reply = first_results(search, message)
    body = chat.draft_for(reply.matches[0].mentor.id).draft.body
    quote = body.split("\u201c", 1)[1].split("\u201d", 1)[0]
    assert " i " not in f" {quote} ", quote  # "how do i" is written "How do I"
    return quote


@pytest.mark.parametrize("message", sorted(TUNE))
def test_tune_unmarked_questions(search: TinySearch, message: str) -> None:
    assert _quote_end(search, message).endswith(TUNE[message])


@pytest.mark.parametrize("message", sorted(REPORT))
def test_report_unmarked_questions(search: TinySearch, message: str) -> None:
    assert _quote_end(search, message).endswith(REPORT[message])
