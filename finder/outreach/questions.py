"""Questions to bring to a session: patterns for common kinds of ask, filled with real words.

The kind of ask (negotiation, pricing, hiring, ...) is chosen by meaning: the challenge is
compared with a few example sentences per kind using the embedding model, with keywords as a
check and as the fallback when no model is at hand. A pattern is used only when every phrase
it needs exists in the goal or the mentor's profile, so no question states an invented fact.
The kinds, their examples, keywords and questions are data: ``questions.yaml``.
"""

from __future__ import annotations

import re
import string

import numpy as np

from finder.search.embedding import Embedder
from finder.core.goal import Goal
from finder.core.models import Match
from finder.core.words import load_stop_words
from finder.outreach.phrasing import headline_role, same_question, skill_phrase
from finder.outreach.wordfiles import Intent, Question, load_question_rules

MIN_SIMILARITY = 0.38

_RULES = load_question_rules()
INTENTS: tuple[Intent, ...] = _RULES.kinds
GENERIC: Intent = _RULES.generic


_ENGLISH_WORDS = load_stop_words().search()
_LETTERS = re.compile(r"[^\W\d_]+")
ENGLISH_SHARE = 0.2  # English prose is 35-50% function words; Spanish or French under 15%


def reads_as_english(goal: Goal) -> bool:
    """False for an ask written in another language ("Hola, soy fotógrafa y quiero saber
    cuánto cobrar ..."): the kinds of ask are told apart by English examples and keywords,
    which only guess there. An English ask that names another language for the mentor is
    English."""
    if goal.language in (None, "en"):
        return True
    words = _LETTERS.findall((goal.challenge or goal.topic).lower())
    return not words or sum(w in _ENGLISH_WORDS for w in words) >= ENGLISH_SHARE * len(words)


def _fields(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name}


def _ranked_intent(goal: Goal, embedder: Embedder | None) -> tuple[Intent, float, bool]:
    """The closest kind of ask, its similarity and whether its keywords occur."""
    text = goal.challenge or goal.topic
    if goal.topic and goal.challenge and goal.topic.lower() not in goal.challenge.lower():
        text = f"{goal.challenge} {goal.topic}"  # a planned session: its question and the goal
    if not text.strip() or not reads_as_english(goal):
        return GENERIC, 0.0, False
    keyword = np.array([1.0 if i.named_in(text) else 0.0 for i in INTENTS])
    setting = np.array([i.setting for i in INTENTS])
    if keyword[~setting].any():
        keyword[setting] = 0.0  # a situation named in its own words beats the place it is in
    if embedder is None:
        best = int(np.argmax(keyword))
        return (INTENTS[best], 0.0, True) if keyword.any() else (GENERIC, 0.0, False)
    examples = [e for i in INTENTS for e in i.examples]
    vectors = embedder.encode_fixed("question-intents", examples)
    sims = vectors @ embedder.encode_query(text)
    scores, start = [], 0
    for intent in INTENTS:
        scores.append(float(np.max(sims[start:start + len(intent.examples)])))
        start += len(intent.examples)
    allowed = np.array([0.0 if i.needs_keyword and not k else 1.0
                        for i, k in zip(INTENTS, keyword, strict=True)])
    best = int(np.argmax(np.where(allowed > 0, np.array(scores) + 0.1 * keyword, -np.inf)))
    return INTENTS[best], scores[best], bool(keyword[best])


def choose_intent(goal: Goal, embedder: Embedder | None) -> Intent:
    """The kind of ask closest in meaning to the challenge, or GENERIC when none is close."""
    intent, score, keyword = _ranked_intent(goal, embedder)
    return intent if score >= MIN_SIMILARITY or keyword else GENERIC


# Closer than choosing the session questions needs: a subject line names the ask.
SUBJECT_SIMILARITY = 0.45


def subject_label(goal: Goal, embedder: Embedder | None) -> str:
    """A label for the kind of ask when it is clear ("pricing my work"), else ''."""
    if not goal.challenge:
        return ""
    intent, score, keyword = _ranked_intent(goal, embedder)
    # Named by its own words and close in meaning: the same kind the session questions take.
    clear = score >= SUBJECT_SIMILARITY + 0.15 or (keyword and score >= MIN_SIMILARITY)
    if embedder is None:
        clear = keyword
    return intent.subject if clear else ""


def _lead(match: Match, skill: str | None) -> str:
    role = headline_role(match.mentor)
    if role:
        return f"As {role}"
    if skill:
        phrase = skill_phrase(skill)
        joiner = " " if phrase.split()[0].endswith("ing") and " " in phrase else " with "
        return f"From your experience{joiner}{phrase}"
    return "From your experience"


def fill(goal: Goal, match: Match, skill: str | None) -> dict[str, str]:
    """The phrases a pattern may use: the lead from the profile, and the goal's label (a
    common ask such as 'asking for a raise') when it has one. Nothing cut out of a message."""
    values = {"lead": _lead(match, skill)}
    label = goal.topic.strip()
    if label and len(label.split()) <= 7:
        words = label.split()
        if words[0][1:].islower():
            words[0] = words[0].lower()
        phrase = " ".join(words)
        values["about"] = phrase
        if words[0].endswith("ing"):
            values["doing"] = phrase
    return values


def session_questions(goal: Goal, match: Match, embedder: Embedder | None = None,
                      skill: str | None = None, limit: int = 4) -> list[str]:
    """Three to five questions for this goal and this mentor, none repeated."""
    values = fill(goal, match, skill)
    intent = choose_intent(goal, embedder) if goal.challenge else GENERIC
    chosen: list[str] = []

    said = " ".join([goal.challenge, goal.topic, goal.desired_outcome])

    def take(patterns: tuple[Question, ...], count: int) -> None:
        for pattern in patterns:
            if len(chosen) >= limit or count <= 0:
                return
            if pattern.fits(said) and _fields(pattern.ask) <= values.keys():
                question = pattern.ask.format(**values)
                question = question[0].upper() + question[1:]
                if not any(same_question(question, c) for c in chosen):
                    chosen.append(question)
                    count -= 1

    for question in goal.prepared_questions[:limit]:
        # A planned session brings its own questions: they are about this step, not the
        # long-term goal; generic ones only fill up a plan that prepared fewer than three.
        if not any(same_question(question, c) for c in chosen):
            chosen.append(question)
    if chosen:
        take(GENERIC.questions, 3 - len(chosen))
    else:
        take(intent.lead, 1)
        take(GENERIC.lead, 1 - len(chosen))
        take(intent.questions, limit - 1)
        take(GENERIC.questions, limit - len(chosen))
    if goal.desired_outcome:
        outcome = goal.desired_outcome.rstrip(" .?!")
        chosen.insert(min(2, len(chosen)), f"What would a realistic version of {outcome} "
                                           "look like?")
    return chosen[:5]
