"""Long-term goals broken into two or three focused micro-sessions (the offline way)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, Field

from finder.search.embedding import Embedder
from finder.core.goal import Goal
from finder.core.models import Format, Match
from finder.core.words import load_stop_words
from finder.dialogue.lexicon.plan_rules import SessionTemplate, load_plan_rules
from finder.dialogue.words import sentences

HONEST_NOTE = (
    "Micro-mentoring works best for focused questions, so a goal this big won't be solved in "
    "one call. Here is a plan of short sessions, each with a specific question and mentors who "
    "fit it; together they move you forward."
)


class FocusedSession(BaseModel):
    """One step of a plan: a specific question for one short session."""

    question: str = Field(description="The specific question, in the mentee's voice.")
    format: Format = "video"
    minutes: int = Field(default=30, ge=5, le=120)
    search: str = Field(default="", description="A few keywords describing the mentors who "
                        "fit this session, e.g. 'CTO, technology leadership, engineering "
                        "management'.")
    topic: str = Field(default="", description="The step in a few words, a noun phrase that "
                       "can follow 'Question on' in a subject line, e.g. 'the path to becoming "
                       "a CTO'.")
    questions: list[str] = Field(default_factory=list, max_length=5, description="Two or "
                                 "three questions the mentee could bring to this session.")


class SessionPlan(BaseModel):
    """Two or three focused sessions that together serve a long-term goal."""

    sessions: list[FocusedSession] = Field(min_length=2, max_length=3)


class PlannedSession(BaseModel):
    """A planned session with its own goal, the search that found its mentors, and them."""

    goal: Goal
    query: str = ""
    matches: list[Match] = Field(default_factory=list)

    @property
    def question(self) -> str:
        return self.goal.challenge


_RULES = load_plan_rules()
_FUNCTION_WORDS = load_stop_words().phrase_edges()


def reads_as_noun_phrase(phrase: str) -> bool:
    """Whether ``phrase`` can stand where a plan question names the goal ("the path to ___"):
    a few words, no pronoun or verb at the start, not ending in a function word."""
    if not phrase or not _RULES.phrase_chars.fullmatch(phrase):
        return False
    words = phrase.lower().split()
    if not 1 <= len(words) <= 6 or len(phrase) < 2:
        return False
    content = [w for w in words if w not in _RULES.determiners]
    if not content or content[0] in _RULES.verbs or content[0] in _FUNCTION_WORDS:
        return False
    if words[-1] in _FUNCTION_WORDS:
        return False
    if words[-1] in _RULES.verbs and not (len(content) > 1 and _RULES.ranked_role.fullmatch(
            words[-1])):  # "a tech lead" ends in a noun
        return False
    return not any(w in _RULES.pronouns for w in words)


def _clip(target: str) -> str:
    """A target cut where its noun phrase ends."""
    if end := _RULES.clause_end.search(target):
        target = target[:end.start()]
    target = _RULES.lead_verbs.sub("", target.strip())
    return " ".join(target.split()).strip(" .?!,;:-")


def _destination(text: str) -> tuple[str, str]:
    """Where the mentee wants to get, as a phrase fit to show ('becoming a CTO'; '' when none
    reads as one) and as search words."""
    words_found = ""
    for sentence in sentences(text):
        plain = " ".join(_RULES.time_phrase.sub(" ", sentence).split()).strip(" .?!,")
        for pattern in _RULES.targets:
            match = pattern.search(plain)
            while match and _RULES.set_phrases.match(f"{match.group(1)} {match.group(2)}"):
                match = pattern.search(plain, match.start(2))
            if not match:
                continue
            word, target = match.group(1).lower(), _clip(match.group(2))
            bare = _RULES.leading_article.sub("", target)
            if not bare:
                continue
            expanded = [_RULES.expand[w.lower()] for w in re.findall(r"[A-Za-z]+", bare)
                        if w.lower() in _RULES.expand]
            words = ", ".join([bare] + expanded)
            words_found = words_found or words
            if not reads_as_noun_phrase(target):
                continue
            if word in _RULES.becoming_words or (word == "as" and _RULES.as_a.match(target)):
                return f"becoming {target}", words
            return target, words
    if not words_found:
        words_found = " ".join(_RULES.time_phrase.sub(" ", text).split()).strip(" .?!")
    return "", words_found


def _dest_places(dest: str) -> dict[str, str]:
    """Where the mentee wants to get, as {dest} and after 'in' or 'as' ({in_dest}: 'in UX
    design', 'as a CTO' for 'becoming a CTO')."""
    role = dest.removeprefix("becoming ")
    return {"dest": dest, "in_dest": f"as {role}" if role != dest else f"in {dest}"}


MAX_TOPIC_WORDS = 8  # after "Question on", a subject line stays within ten words


def _topic(template: SessionTemplate, values: dict[str, str],
           echoes: Callable[[str], bool]) -> str:
    """The step in a few words for a subject line: with where the mentee wants to get when it
    fits ('the path to becoming a creative director', its 'at an agency' left out when the
    whole is too long), else the template's plain label."""
    if not echoes(template.topic):
        for dest in (values["dest"], _RULES.trailing_detail.sub("", values["dest"])):
            topic = template.topic.format(**{**values, **_dest_places(dest)})
            if len(topic.split()) <= MAX_TOPIC_WORDS:
                return topic
    return template.plain_topic.format(**values)


def _background(goal: Goal) -> str:
    """Where the mentee comes from, as they said it about themselves ('graphic design', 'my
    work as a school librarian'), for a move's 'which of my skills from ___ transfer?'."""
    field, role = goal.context.field or "", goal.context.role or ""
    if field and reads_as_noun_phrase(field):
        return field
    if role and reads_as_noun_phrase(role):
        article = "an" if role[0].lower() in "aeiou" else "a"
        return f"my work as {article} {role}"
    return "my current work"


def offline_plan(goal: Goal, embedder: Embedder) -> SessionPlan:
    """Pick the kind of journey by meaning, then fill its three session templates."""
    text = goal.challenge or goal.topic
    names = [name for name, journey in _RULES.journeys.items() for _ in journey.examples]
    examples = embedder.encode_fixed(
        "plan-journeys", [e for journey in _RULES.journeys.values() for e in journey.examples])
    sims = examples @ embedder.encode_query(" ".join(_RULES.time_phrase.sub(" ", text).split()))
    origin_match = _RULES.origin.search(text)
    dest, words = _destination(text)
    role = dest.removeprefix("becoming ") if dest.startswith("becoming ") else ""
    allowed: list[str] = []
    if origin_match:  # "from accounting into data analysis": a move, whatever else it asks
        allowed = _RULES.origin_journeys
        if dest and not role and not _RULES.ranked_role.search(dest):
            allowed = [_RULES.new_role_journey]  # into a field with no rank: a switch
    elif role and not _RULES.not_a_role.search(role):
        # "become a UX designer" is a move into the role; "become a finance director" a climb.
        ranked = _RULES.ranked_role.search(role)
        allowed = [_RULES.ranked_role_journey if ranked else _RULES.new_role_journey]
    if allowed:
        sims = np.where([n in allowed for n in names], sims, -np.inf)
    journey = names[int(np.argmax(sims))]
    if (journey == _RULES.grow_journey and _RULES.new_business.search(text)
            and not _RULES.running_business.search(text)):
        journey = _RULES.start_journey  # "open a small bakery": there is none to grow yet
    templates = _RULES.journeys[journey].sessions
    origin = _clip(origin_match.group(1)) if origin_match else ""
    if not reads_as_noun_phrase(origin):
        origin = _background(goal)
    business_match = _RULES.business.search(text)
    business = business_match.group(1) if business_match else ""
    business = business if reads_as_noun_phrase(business) else ""
    values = {**_dest_places(dest), "words": words, "origin": origin,
              "business": business or "business"}
    missing = {name for name, value in (("dest", dest), ("in_dest", dest),
                                        ("business", business)) if not value}

    def echoes(text: str) -> bool:
        return any(f"{{{name}}}" in text for name in missing)

    sessions = []
    for template in templates:
        question = template.plain if echoes(template.question) else template.question
        sessions.append(FocusedSession(
            question=question.format(**values), topic=_topic(template, values, echoes),
            questions=[q.format(**values) for q in template.questions if not echoes(q)],
            search=template.search.format(**values), format=template.format,
            minutes=template.minutes))
    return SessionPlan(sessions=sessions)


def session_goals(goal: Goal, plan: SessionPlan) -> list[Goal]:
    """Each planned session as its own Goal: the mentee's preferences carry over."""
    goals = []
    for session in plan.sessions[:3]:
        formats = list(goal.formats) or [session.format]
        minutes = goal.minutes if goal.minutes else session.minutes
        goals.append(goal.model_copy(update={
            "challenge": session.question, "aim": goal.aim or goal.challenge, "formats": formats,
            "topic": session.topic or goal.topic, "prepared_questions": list(session.questions),
            "minutes": None if formats == ["email"] else minutes}))
    return goals


def session_queries(goal: Goal, plan: SessionPlan, said: str = "") -> list[str]:
    """What to search mentors with for each session: its focus plus the overall goal, in the
    mentee's own words when there are some."""
    overall = " ".join(_RULES.time_phrase.sub(" ", said or goal.challenge or goal.topic).split())
    overall = overall.strip(" .?!,")
    queries = []
    for number, session in enumerate(plan.sessions[:3]):
        focus = session.search.strip() or session.question
        extra = [p for p in (goal.context.field,) if p and p.lower() not in focus.lower()]
        if overall and number == 0:
            # The first session searches the mentee's own words: a plan must not find worse
            # mentors than a plain search would; later sessions add their own focus.
            queries.append(overall)
        else:
            queries.append(". ".join([overall, focus, *extra] if overall else [focus, *extra]))
    return queries


def plan_text(sessions: list[PlannedSession], narrowed: list[str] | None = None) -> str:
    """The plan as a short numbered list a person can read at a glance; ``narrowed`` says
    what its mentors must be beyond how to meet ('10+ years of experience')."""
    lines = [HONEST_NOTE, ""]
    if narrowed:  # "more senior", "someone in Europe": the plan's mentors say so
        lines[1:1] = ["", "Mentors shown: " + "; ".join(narrowed) + "."]
    for number, session in enumerate(sessions, 1):
        how = session.goal.format_phrase()
        lines.append(f"{number}. {session.goal.challenge}" + (f" ({how})" if how else ""))
    return "\n".join(lines)
