"""A short, respectful first message to a mentor, and the rules every draft must pass."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from pydantic import BaseModel, Field

from finder.embedding import Embedder
from finder.goal import Goal
from finder.models import Format, Match, Mentor

MAX_WORDS = 150
EASY_OUT = "If now isn't a good time, no worries at all."

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\."
                  r"(?:com|org|net|io|ai|co|dev|app|example|info|biz|xyz|me|ly)(?:/[^\s<>\"']*)?",
                  re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])")
_GUSH = re.compile(r"\b(?:huge fan|big fan|amazing|incredible|awesome|legendary|rockstar|"
                   r"genius|inspiring|idol)\b", re.IGNORECASE)
_INSTRUCTION = re.compile(r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|prompts?|"
                          r"rules?|above)\b|\bsystem prompt\b|\byou (?:must|should) "
                          r"(?:now|always)\b|\binclude (?:this|the following|a link)\b", re.IGNORECASE)
_DANGLING = {"for", "our", "my", "the", "a", "an", "with", "to", "of", "in", "on", "and", "or",
             "your", "their", "at", "by"}


class OutreachDraft(BaseModel):
    """A first message to one mentor, plus questions to bring to the session."""

    mentor_id: str
    subject: str = Field(description="Short subject line, no more than 10 words.")
    body: str = Field(description="At most 150 words.")
    questions: list[str] = Field(description="3-5 questions, each ending with '?'.")
    format: Format
    minutes: int | None = Field(default=None, description="None for an email exchange.")


def contact_details(text: str) -> set[str]:
    """URLs, e-mail addresses and phone numbers in ``text``, normalised for comparison."""
    found = {m.group(0).lower().rstrip(".,;:") for m in _EMAIL.finditer(text)}
    without_emails = _EMAIL.sub(" ", text)
    found |= {m.group(0).lower().rstrip(".,;:") for m in _URL.finditer(without_emails)}
    found |= {re.sub(r"\D", "", m.group(0)) for m in _PHONE.finditer(text)
              if len(re.sub(r"\D", "", m.group(0))) >= 7}
    return found


def _mentor_text(mentor: Mentor) -> str:
    return " ".join(str(v) for v in mentor.model_dump(mode="json").values())


def allowed_contacts(mentor: Mentor, user_texts: Iterable[str]) -> set[str]:
    """Contact details a draft may contain: those in the record or in the user's own words."""
    allowed = contact_details(_mentor_text(mentor))
    for text in user_texts:
        allowed |= contact_details(text)
    return allowed


def strip_contacts(text: str, allowed: set[str]) -> tuple[str, list[str]]:
    """``text`` without contact details that are not in ``allowed``; and what was removed."""
    removed: list[str] = []

    def drop(match: re.Match[str], kind: str) -> str:
        raw = match.group(0)
        key = re.sub(r"\D", "", raw) if kind == "phone" else raw.lower().rstrip(".,;:")
        if kind == "phone" and len(key) < 7:
            return raw
        if key in allowed:
            return raw
        removed.append(raw)
        return "[removed]"

    text = _EMAIL.sub(lambda m: drop(m, "email"), text)
    text = _URL.sub(lambda m: drop(m, "url"), text)
    text = _PHONE.sub(lambda m: drop(m, "phone"), text)
    text = re.sub(r"\s*\[removed\]", "", text)
    return text, removed


def sanitize(draft: OutreachDraft, mentor: Mentor, user_texts: Sequence[str]) -> OutreachDraft:
    """Remove contact details the mentee never gave and the record does not hold."""
    allowed = allowed_contacts(mentor, user_texts)
    body, _ = strip_contacts(draft.body, allowed)
    subject, _ = strip_contacts(draft.subject, allowed)
    questions = [strip_contacts(q, allowed)[0] for q in draft.questions]
    return draft.model_copy(update={"body": body, "subject": subject,
                                    "questions": [q for q in questions if q.strip()]})


def first_name(mentor: Mentor) -> str:
    parts = [p for p in mentor.name.split() if p.rstrip(".").lower() not in
             {"dr", "prof", "mr", "mrs", "ms", "mx"}]
    return parts[0] if parts else mentor.name


def safe_sentence(text: str) -> str:
    """A profile sentence fit to quote: no instructions aimed at a model, no contact details."""
    text = " ".join(text.split())
    if not text or _INSTRUCTION.search(text) or contact_details(text):
        return ""
    return text


def choose_format(goal: Goal, mentor: Mentor) -> tuple[Format, int | None]:
    """The mentee's preferred format the mentor offers, and a length both can do."""
    offered = list(mentor.formats) or ["video"]
    wanted = [f for f in goal.formats if f in offered]
    fmt: Format = wanted[0] if wanted else offered[0]
    if fmt == "email":
        return fmt, None
    fitting = [m for m in mentor.session_minutes if goal.minutes is None or m <= goal.minutes]
    return fmt, (max(fitting) if goal.minutes and fitting else min(mentor.session_minutes))


def meeting_phrase(fmt: Format, minutes: int | None) -> str:
    """'a 20-minute video call', 'an email exchange'."""
    if fmt == "email" or minutes is None:
        return "an email exchange"
    kind = {"video": "video call", "phone": "phone call", "chat": "text chat",
            "in_person": "in-person meeting"}[fmt]
    return f"a {minutes}-minute {kind}"


def _end(sentence: str) -> str:
    return sentence if sentence.endswith(('."', ".")) else sentence + "."


def _why(match: Match, embedder: Embedder | None, goal: Goal) -> str:
    mentor, reasons = match.mentor, match.reasons
    skills = [s for s in reasons.matched_skills if safe_sentence(s)][:2]
    if not skills and (skill := _closest_skill(goal, match, embedder)):
        skills = [skill]
    if skills:
        return f"your profile lists {' and '.join(skills)}"
    sentence = safe_sentence(reasons.best_sentence)
    if sentence and len(sentence.split()) <= 30:
        return f'your profile says: "{sentence.rstrip(".")}"'
    if safe_sentence(mentor.headline):
        return f"of your work as {mentor.headline.rstrip('.')}"
    if mentor.skills and safe_sentence(mentor.skills[0]):
        return f"your profile lists {mentor.skills[0]}"
    return "your experience fits my question"


def _ask(goal: Goal) -> str:
    ask = " ".join((goal.challenge or goal.topic or "a focused question").split()[:40])
    ask = ask.rstrip(" .?!")
    if re.match(r"(?:how|what|which|should|whether|when|why|where|who|can|is|are|do|does)\b",
                ask, re.IGNORECASE):
        return f"My question is: {ask[0].upper() + ask[1:]}?"
    return f"I'm hoping for your advice on {ask[0].lower() + ask[1:]}."


def _closest_skill(goal: Goal, match: Match, embedder: Embedder | None) -> str | None:
    """The mentor's listed skill nearest the goal, if it is near enough to name."""
    skills = [s for s in match.mentor.skills if safe_sentence(s)]
    if not skills or embedder is None:
        return None
    sims = embedder.encode(skills) @ embedder.encode_query(goal.search_query())
    best = int(np.argmax(sims))
    return skills[best] if float(sims[best]) >= 0.35 else None


def _skill_for(goal: Goal, match: Match, embedder: Embedder | None) -> str | None:
    for skill in match.reasons.matched_skills:
        if safe_sentence(skill):
            return skill
    return _closest_skill(goal, match, embedder)


_VERBS = {"become": "becoming", "switch": "switching", "move": "moving", "start": "starting",
          "get": "getting", "build": "building", "learn": "learning", "find": "finding",
          "grow": "growing", "hire": "hiring", "price": "pricing", "write": "writing",
          "prepare": "preparing", "negotiate": "negotiating", "choose": "choosing",
          "launch": "launching", "improve": "improving", "change": "changing", "ask": "asking",
          "plan": "planning", "set": "setting", "raise": "raising", "go": "going",
          "make": "making", "run": "running", "open": "opening", "transition": "transitioning",
          "fix": "fixing", "review": "reviewing", "understand": "understanding"}
_TIME_TAIL = re.compile(r"\s+(?:in|within|over) (?:the next )?(?:\w+ )?(?:years?|months?)$"
                        r"|\s+(?:eventually|some ?day|one day)$", re.IGNORECASE)


def subject_phrase(goal: Goal) -> str | None:
    """The goal as a noun phrase ('becoming a CTO'), or None when it is a whole question."""
    text = _TIME_TAIL.sub("", (goal.topic or goal.challenge).strip(" .?!"))
    if not text or re.match(r"(?:how|what|which|should|whether|when|why|where|who|can|is|are|"
                            r"do|does|i|we)\b", text, re.IGNORECASE):
        return None
    first, _, rest = text.partition(" ")
    if first.lower() in _VERBS:
        text = f"{_VERBS[first.lower()]} {rest}".strip()
    return text


def offline_questions(goal: Goal, match: Match,
                      embedder: Embedder | None = None) -> list[str]:
    """Four questions tied to the goal and to what this mentor knows."""
    subject = subject_phrase(goal)
    skill = _skill_for(goal, match, embedder)
    experience = f"From your experience with {skill}" if skill else "From your experience"
    questions = [
        f"{experience}, what would you look at first in my situation?",
        (f"What is the most common mistake people make with {subject}?" if subject else
         "What is the most common mistake you see with questions like mine?"),
        "If you were in my position, what would you do in the next two weeks?",
        (f"Which resource or example helped you most with {skill}?" if skill else
         f"Which resource would you recommend for {subject}?" if subject else
         "Which resource would you recommend to someone in my situation?"),
    ]
    if goal.desired_outcome:
        questions.insert(2, f"What would a realistic version of "
                            f"{goal.desired_outcome.rstrip(' .?!')} look like?")
    return questions[:5]


def offline_draft(goal: Goal, match: Match, embedder: Embedder | None = None) -> OutreachDraft:
    """A template draft built only from the goal and the mentor's record."""
    mentor = match.mentor
    fmt, minutes = choose_format(goal, mentor)
    who = goal.context.describe()
    intro = (f"I'm {who} with a focused question." if who else
             "I found you through the mentor network and have a focused question.")
    when = f" I'm hoping to talk {goal.deadline}, if that suits you." if goal.deadline else ""
    body = "\n\n".join([
        f"Hi {first_name(mentor)},",
        f"{intro} {_ask(goal)}",
        f"I'm reaching out to you because {_end(_why(match, embedder, goal))}",
        f"Would you be open to {meeting_phrase(fmt, minutes)}?{when} {EASY_OUT}",
        "Thank you for considering it.",
    ])
    words = (subject_phrase(goal) or goal.topic or "a focused question").split()[:8]
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    subject = "Quick question about " + " ".join(words)
    return OutreachDraft(mentor_id=mentor.id, subject=subject, body=body,
                         questions=offline_questions(goal, match, embedder), format=fmt,
                         minutes=minutes)


def check_draft(draft: OutreachDraft, mentor: Mentor, goal: Goal,
                user_texts: Sequence[str] = ()) -> list[str]:
    """Every rule the draft breaks, in words; an empty list means it may be shown."""
    problems: list[str] = []
    body = draft.body
    words = len(body.split())
    if words > MAX_WORDS:
        problems.append(f"body is {words} words; the limit is {MAX_WORDS}")
    if first_name(mentor).lower() not in body.lower():
        problems.append(f"body does not greet {first_name(mentor)} by name")
    ask = goal.challenge or goal.topic
    ask_words = {w for w in re.findall(r"[a-z]{4,}", ask.lower())}
    if ask_words and not ask_words & set(re.findall(r"[a-z]{4,}", body.lower())):
        problems.append("body does not state the specific ask")
    if draft.format == "email":
        if "email" not in body.lower():
            problems.append("body does not propose an email exchange")
    elif draft.minutes is None or f"{draft.minutes}-minute" not in body and \
            f"{draft.minutes} minute" not in body:
        problems.append("body does not propose a session length (e.g. 'a 20-minute call')")
    if not 3 <= len(draft.questions) <= 5:
        problems.append(f"{len(draft.questions)} suggested questions; give 3 to 5")
    if any(not q.strip().endswith("?") for q in draft.questions):
        problems.append("every suggested question must end with '?'")
    allowed = allowed_contacts(mentor, user_texts)
    text = " ".join([draft.subject, body, *draft.questions])
    invented = sorted(contact_details(text) - allowed)
    if invented:
        problems.append("contact details not in the mentor record or your words: "
                        + ", ".join(invented))
    if _GUSH.search(text):
        problems.append(f"gushing language: {_GUSH.search(text).group(0)!r}")  # type: ignore[union-attr]
    if _INSTRUCTION.search(text):
        problems.append("draft repeats instruction-like text from a profile")
    if draft.mentor_id != mentor.id:
        problems.append(f"draft is for {draft.mentor_id!r}, not {mentor.id!r}")
    return problems
