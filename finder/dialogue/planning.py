"""Long-term goals broken into two or three focused micro-sessions (the offline way)."""

from __future__ import annotations

import re

import numpy as np
from pydantic import BaseModel, Field

from finder.search.embedding import Embedder
from finder.core.goal import Goal
from finder.core.models import Format, Match
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


# (kind, example sentence, [(question, question without an echo, search keywords, format,
# minutes)]). {dest} is where the mentee wants to get ("becoming a CTO", "UX design"), {words}
# its search words, {origin} where they come from and {business} what they run. The second
# question is used whenever the phrase its first would echo doesn't read as a noun phrase: a
# plan never pastes a half clause into a sentence.
_TEMPLATES: list[tuple[str, str, list[tuple[str, str, str, Format, int]]]] = [
    ("switch", "switch careers from one field into another", [
        ("What does day-to-day work in {dest} really look like, and which of my skills from "
         "{origin} transfer?",
         "What does day-to-day work in the field I want to move into really look like, and "
         "which of my skills transfer?",
         "{words} professional, day-to-day work, career changer", "video", 30),
        ("Can you review my CV and portfolio for a first role in {dest}?",
         "Can you review my CV and portfolio for a first role in a new field?",
         "{words}, hiring, portfolio and CV review", "email", 30),
        ("What is the most effective first step into {dest}: a course, a side project or an "
         "internal move?",
         "What is the most effective first step into a new field: a course, a side project or "
         "an internal move?",
         "{words}, getting started, learning path, career change", "phone", 15),
    ]),
    ("climb", "become a CTO, VP, director or partner in a few years", [
        ("Which experiences matter most on the path to {dest}?",
         "Which experiences matter most on the path to the role I'm aiming for?",
         "{words} career path, leadership experience", "video", 30),
        ("Where are my biggest gaps for {dest}, and what should I work on this year?",
         "Where are my biggest gaps for that role, and what should I work on this year?",
         "{words}, skills and career development", "video", 30),
        ("Which first stretch responsibility in my current job would move me towards {dest}?",
         "Which first stretch responsibility in my current job would move me towards that "
         "role?",
         "{words}, taking on leadership responsibility, promotion", "phone", 15),
    ]),
    ("start", "start my own business or company one day", [
        ("How do I test demand for {dest} with real customers before investing?",
         "How do I test demand for my business idea with real customers before investing?",
         "{words} founder, customer validation, small business", "video", 30),
        ("What start-up costs and first-year finances should I plan for {dest}?",
         "What start-up costs and first-year finances should I plan for a new business?",
         "{words}, small business finance, start-up costs, accounting", "video", 30),
        ("Which legal structure and first practical steps make sense for {dest}?",
         "Which legal structure and first practical steps make sense for a new business?",
         "{words}, business registration, legal structure, self-employment", "email", 30),
    ]),
    ("grow", "grow my small business into a chain or open more locations", [
        ("Which numbers should show me that my {business} is ready to expand?",
         "Which numbers should show me that my business is ready to expand?",
         "{business} owner, small business finance, expansion", "video", 30),
        ("How would you fund and staff the next location of my {business}?",
         "How would you fund and staff the next location of my business?",
         "{business} manager, multi-site operations, financing growth, hiring staff",
         "video", 30),
        ("Which processes need to be written down before my {business} can run without me?",
         "Which processes need to be written down before my business can run without me?",
         "{business} operations, training staff, standard procedures, franchise",
         "phone", 15),
    ]),
    ("learn", "get really good at a new skill over time", [
        ("What should I learn first for {dest}, and in what order?",
         "What should I learn first, and in what order?",
         "{words}, teaching, learning path", "video", 30),
        ("Could you give feedback on a small first project in {dest}?",
         "Could you give feedback on a small first project of mine?",
         "{words}, feedback on projects, mentoring beginners", "email", 30),
        ("Where can I practise {dest} with real stakes: a community, volunteering or a "
         "role?", "Where can I practise with real stakes: a community, volunteering or a role?",
         "{words}, community, practice", "phone", 15),
    ]),
]
# Titles whose letters say little to a search: spelled out, with the work behind them.
_EXPAND = {
    "cto": "chief technology officer, technology leadership, engineering management",
    "ceo": "chief executive officer, executive leadership, running a company",
    "cfo": "chief financial officer, finance leadership",
    "coo": "chief operating officer, operations leadership",
    "cmo": "chief marketing officer, marketing leadership",
    "vp": "vice president, senior leadership", "ux": "user experience design",
    "ui": "user interface design", "pm": "product management", "hr": "human resources",
}
# Tried in order: "into UX design" says more than "to move from ..."; of the plain words that
# close the list ("as", "in", "to"), the first in the sentence wins.
_TARGETS = [re.compile(rf"\b({word})\s+(.+)$", re.IGNORECASE)
            for word in ("into", "to become", "become", "becoming", "towards?", "start",
                         "open", "launch", "build", "good at", "better at")]
_PLAIN_TARGET = re.compile(r"\b(as|in|to)\s+(.+)$", re.IGNORECASE)
_ORIGIN = re.compile(r"\bfrom\s+(?:an?\s+|being an?\s+)?([a-z][a-z -]{2,40}?)\s+(?:in)?to\b",
                     re.IGNORECASE)
# A time phrase, wherever it stands: "in five years", "Some day", "over the next two years".
_TIME_PHRASE = re.compile(r"\b(?:(?:in|within|over|during) (?:the )?(?:next |coming )?"
                          r"(?:\w+ )?(?:years?|months?)(?: or so)?|eventually|some ?day|one day|"
                          r"long[- ]term|in the (?:long|near) (?:run|term|future)|"
                          r"at some point|over time)\b", re.IGNORECASE)
_BUSINESS = re.compile(r"\b(?:my|our)\s+((?:[a-z-]+\s+){0,2}?[a-z-]+)\s+(?:into|to|beyond|"
                       r"from)\b", re.IGNORECASE)
# Where a noun phrase stops: punctuation, or a new clause ("... and I", "... because").
_CLAUSE_END = re.compile(r"\s*[,;:.?!()]|\s+(?:but|so|because|since|while|where|which|who|"
                         r"when|if|though|although|before|after|once|until|then|without|"
                         r"(?:and|or) (?:i|i'm|i'd|i've|we|we're|my|our|it|that|then|also|"
                         r"maybe|how|what|would|want|need|have|get|be|still))\b",
                         re.IGNORECASE)
# A verb that opens the target ("to run my own consultancy"): what it names follows it.
_LEAD_VERBS = re.compile(r"^(?:run|start|open|own|launch|build|have|found|set up|create|"
                         r"grow|get|be|join|work (?:in|as|at)|go into|move into)\s+",
                         re.IGNORECASE)
_FUNCTION_WORDS = frozenset("""
a an the my our your their his her its own of on in at for with to from by about into over
under between through and or but nor so if as than that this these those i me we us you he
she they them it be is are am was were been being do does did have has had would could should
can will shall may might must i'm i'd i've i'll we're we'd it's who which what how when where
why just really very more most some any one
""".split())
_VERBS = frozenset("""
be have get do go make run start open own launch build work take find learn move switch become
grow set create found sell try keep lead manage teach write want need like love hope plan
improve change leave quit stay earn save buy hire pay
""".split())
_PHRASE_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9&/+.' -]*")


def reads_as_noun_phrase(phrase: str) -> bool:
    """Whether ``phrase`` can stand where a plan question names the goal ("the path to ___"):
    a few words, no pronoun or verb at the start, not ending in a function word."""
    if not phrase or not _PHRASE_CHARS.fullmatch(phrase):
        return False
    words = phrase.lower().split()
    if not 1 <= len(words) <= 6 or len(phrase) < 2:
        return False
    content = [w for w in words if w not in ("a", "an", "the", "my", "our", "own")]
    if not content or content[0] in _VERBS or content[0] in _FUNCTION_WORDS:
        return False
    if words[-1] in _FUNCTION_WORDS or words[-1] in _VERBS:
        return False
    return not any(w in ("i", "i'm", "i'd", "i've", "we", "you", "he", "she", "they", "me",
                         "us", "them", "it", "that", "this") for w in words)


def _clip(target: str) -> str:
    """A target cut where its noun phrase ends."""
    if end := _CLAUSE_END.search(target):
        target = target[:end.start()]
    target = _LEAD_VERBS.sub("", target.strip())
    return " ".join(target.split()).strip(" .?!,;:-")


def _destination(text: str) -> tuple[str, str]:
    """Where the mentee wants to get, as a phrase fit to show ('becoming a CTO'; '' when none
    reads as one) and as search words."""
    words_found = ""
    for sentence in sentences(text):
        plain = " ".join(_TIME_PHRASE.sub(" ", sentence).split()).strip(" .?!,")
        for pattern in [*_TARGETS, _PLAIN_TARGET]:
            if not (match := pattern.search(plain)):
                continue
            word, target = match.group(1).lower(), _clip(match.group(2))
            bare = re.sub(r"^(?:an?|the|my own|my|own)\s+", "", target, flags=re.IGNORECASE)
            if not bare:
                continue
            words = ", ".join([bare] + [_EXPAND[w.lower()] for w in re.findall(r"[A-Za-z]+",
                                                                                bare)
                                        if w.lower() in _EXPAND])
            words_found = words_found or words
            if not reads_as_noun_phrase(target):
                continue
            if word in ("become", "to become", "becoming") or (
                    word == "as" and re.match(r"an? ", target, re.IGNORECASE)):
                return f"becoming {target}", words
            return target, words
    if not words_found:
        words_found = " ".join(_TIME_PHRASE.sub(" ", text).split()).strip(" .?!")
    return "", words_found


def offline_plan(goal: Goal, embedder: Embedder) -> SessionPlan:
    """Pick the kind of journey by meaning, then fill its three session templates."""
    text = goal.challenge or goal.topic
    examples = embedder.encode([example for _, example, _ in _TEMPLATES])
    kind_index = int(np.argmax(examples @ embedder.encode_query(text)))
    _, _, templates = _TEMPLATES[kind_index]
    dest, words = _destination(text)
    origin_match = _ORIGIN.search(text)
    origin = _clip(origin_match.group(1)) if origin_match else ""
    if not reads_as_noun_phrase(origin):
        origin = "my current work"
    business_match = _BUSINESS.search(text)
    business = business_match.group(1) if business_match else ""
    business = business if reads_as_noun_phrase(business) else ""
    values = {"dest": dest, "words": words, "origin": origin,
              "business": business or "business"}
    sessions = []
    for question, plain, keywords, fmt, minutes in templates:
        echoes = ("{dest}" in question and not dest) or ("{business}" in question
                                                         and not business)
        sessions.append(FocusedSession(
            question=(plain if echoes else question).format(**values),
            search=keywords.format(**values), format=fmt, minutes=minutes))
    return SessionPlan(sessions=sessions)


def session_goals(goal: Goal, plan: SessionPlan) -> list[Goal]:
    """Each planned session as its own Goal: the mentee's preferences carry over."""
    goals = []
    for session in plan.sessions[:3]:
        formats = list(goal.formats) or [session.format]
        minutes = goal.minutes if goal.minutes else session.minutes
        goals.append(goal.model_copy(update={
            "challenge": session.question, "formats": formats,
            "minutes": None if formats == ["email"] else minutes}))
    return goals


def session_queries(goal: Goal, plan: SessionPlan, said: str = "") -> list[str]:
    """What to search mentors with for each session: its focus plus the overall goal, in the
    mentee's own words when there are some."""
    overall = " ".join(_TIME_PHRASE.sub(" ", said or goal.challenge or goal.topic).split())
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


def plan_text(sessions: list[PlannedSession]) -> str:
    """The plan as a short numbered list a person can read at a glance."""
    lines = [HONEST_NOTE, ""]
    for number, session in enumerate(sessions, 1):
        how = session.goal.format_phrase()
        lines.append(f"{number}. {session.goal.challenge}" + (f" ({how})" if how else ""))
    return "\n".join(lines)
