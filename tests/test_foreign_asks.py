"""Drafts for asks written in another language (session 6).

The kinds of ask (pricing, a launch, hiring, ...) are told apart by an English model and English
keywords. On a Spanish or French ask they guess: a Spanish photographer asking what to charge
for a wedding got questions about launching a campaign. A careful assistant that can't read the
ask well suggests only questions that fit any ask, and says so by not pretending. An English ask
that only wants a mentor who speaks another language keeps its kind.

Written before the change, from the mentee's side. TUNE was used while building it; REPORT is
run once at the end (``-k tune`` / ``-k report``).
"""

from __future__ import annotations

import pytest

from finder.outreach.drafting import OutreachDraft
from finder.outreach.questions import GENERIC
from tests.fakes import TinySearch, first_results

_GENERIC_QUESTIONS = {q.ask for q in (*GENERIC.lead, *GENERIC.questions)}

TUNE = [
    "Hola, soy fotógrafa de bodas y quiero saber cuánto cobrar por una boda completa. "
    "¿Alguien me puede ayudar?",
    "Bonjour, je suis développeur et je voudrais savoir comment négocier mon salaire avant "
    "de signer. Un appel rapide serait idéal.",
]
REPORT = [
    "Hallo, ich leite ein kleines Café und möchte wissen, wie ich meine erste Mitarbeiterin "
    "finde und einstelle.",
    "Olá, sou professora e quero saber como montar um portfólio para trabalhar com UX. "
    "Alguém pode me ajudar?",
]
# A subject line never quotes the mentee's request for help or a call as if it were the ask
# (the assistant can't tell which sentence is which in a language it doesn't read).
REQUESTS = {TUNE[0]: "ayudar", TUNE[1]: "appel", REPORT[1]: "ajudar"}

# English asks that name another language: their kind is still read.
ENGLISH = {
    "How should I price my first app? Ideally with someone who speaks German.": "pric",
}


def _draft(search: TinySearch, message: str) -> OutreachDraft:
    chat, reply = first_results(search, message)
    draft = chat.draft_for(reply.matches[0].mentor.id).draft
    assert draft is not None
    if message in REQUESTS:
        assert REQUESTS[message] not in draft.subject.lower(), draft.subject
    return draft


def _questions(search: TinySearch, message: str) -> list[str]:
    return _draft(search, message).questions


def _only_generic(questions: list[str]) -> bool:
    # A generic question may open with the mentor's role ("As a chef, ..."): compare the rest.
    def bare(question: str) -> str:
        return question.split(", ", 1)[1] if question.startswith(("As ", "From ")) else question
    patterns = {bare(q.replace("{lead}, ", "")).lower() for q in _GENERIC_QUESTIONS}
    return all(bare(q).lower() in patterns for q in questions)


@pytest.mark.parametrize("message", TUNE)
def test_tune_foreign_asks_get_questions_that_fit_any_ask(search: TinySearch,
                                                           message: str) -> None:
    questions = _questions(search, message)
    assert questions and _only_generic(questions), questions


@pytest.mark.parametrize("message", REPORT)
def test_report_foreign_asks_get_questions_that_fit_any_ask(search: TinySearch,
                                                             message: str) -> None:
    questions = _questions(search, message)
    assert questions and _only_generic(questions), questions


@pytest.mark.parametrize("message", sorted(ENGLISH))
def test_english_asks_naming_a_language_keep_their_kind(search: TinySearch, message: str) -> None:
    questions = _questions(search, message)
    assert any(ENGLISH[message] in q.lower() for q in questions), questions
