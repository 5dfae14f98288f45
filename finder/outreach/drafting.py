"""A short, respectful first message to a mentor, and the rules every draft must pass."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Sequence

import numpy as np
from pydantic import BaseModel, Field

from finder.search.embedding import Embedder
from finder.core.goal import Goal
from finder.core.models import Format, Match, Mentor
from finder.core.goal import quoted_ask, shown_sentences
from finder.outreach.phrasing import headline_role, question_words, short_clause, skill_phrase
from finder.outreach.questions import reads_as_english, session_questions, subject_label
from finder.outreach.wordfiles import (load_draft_checks, load_phrasing_rules,
                                      load_subject_labels)

MAX_WORDS = 150
EASY_OUT = "If now isn't a good time, no worries at all."
# Gushing words, instruction-like text, honorifics: words as data, in draft_checks.yaml.
_CHECKS = load_draft_checks()
_PHRASING = load_phrasing_rules()
_SUBJECTS = load_subject_labels()

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\."
                  r"(?:com|org|net|io|ai|co|dev|app|example|info|biz|xyz|me|ly)(?:/[^\s<>\"']*)?",
                  re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# Regions whose national numbers (no +country prefix) are recognised; +-prefixed numbers of any
# country are recognised everywhere. phonenumbers decides what is a number: "2015-2020" is not.
_PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "ES", "NL", "AU", "BR", "CA")
# phonenumbers only looks at candidates holding a decimal digit (its pattern's \d), so a text
# without one holds no number: most profile sentences and messages skip its ten passes.
_DIGIT = re.compile(r"\d")


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where phone numbers stand in ``text`` (start, end), longest first where they overlap."""
    if not _DIGIT.search(text):
        return []
    import phonenumbers

    spans: set[tuple[int, int]] = set()
    for region in _PHONE_REGIONS:
        for found in phonenumbers.PhoneNumberMatcher(text, region,
                                                     leniency=phonenumbers.Leniency.VALID):
            spans.add((found.start, found.end))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


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
    found |= {re.sub(r"\D", "", text[start:end]) for start, end in _phone_spans(text)}
    return found


def _mentor_text(mentor: Mentor) -> str:
    return " ".join(str(v) for v in mentor.model_dump(mode="json").values())


def allowed_contacts(mentor: Mentor, user_texts: Iterable[str]) -> set[str]:
    """Contact details a draft may contain: those in the record or in the user's own words."""
    allowed = contact_details(_mentor_text(mentor))
    for text in user_texts:
        allowed |= contact_details(text)
    return allowed


class _Allowed:
    """``allowed_contacts``, read only when a draft holds a contact detail to check: reading a
    whole mentor record for phone numbers is the slowest step of a draft, and drafts rarely
    hold any."""

    def __init__(self, mentor: Mentor, user_texts: Sequence[str]) -> None:
        self.mentor, self.user_texts = mentor, user_texts
        self._found: set[str] | None = None

    def __contains__(self, detail: object) -> bool:
        if self._found is None:
            self._found = allowed_contacts(self.mentor, self.user_texts)
        return detail in self._found


def strip_contacts(text: str, allowed: Container[str]) -> tuple[str, list[str]]:
    """``text`` without contact details that are not in ``allowed``; and what was removed."""
    removed: list[str] = []

    def drop(raw: str, kind: str) -> str:
        key = re.sub(r"\D", "", raw) if kind == "phone" else raw.lower().rstrip(".,;:")
        if key in allowed:
            return raw
        removed.append(raw)
        return "[removed]"

    text = _EMAIL.sub(lambda m: drop(m.group(0), "email"), text)
    text = _URL.sub(lambda m: drop(m.group(0), "url"), text)
    for start, end in reversed(_phone_spans(text)):
        text = text[:start] + drop(text[start:end], "phone") + text[end:]
    text = re.sub(r"\s*\[removed\]", "", text)
    return text, removed


def sanitize(draft: OutreachDraft, mentor: Mentor, user_texts: Sequence[str]) -> OutreachDraft:
    """Remove contact details the mentee never gave and the record does not hold."""
    allowed = _Allowed(mentor, user_texts)
    body, _ = strip_contacts(draft.body, allowed)
    subject, _ = strip_contacts(draft.subject, allowed)
    questions = [strip_contacts(q, allowed)[0] for q in draft.questions]
    return draft.model_copy(update={"body": body, "subject": subject,
                                    "questions": [q for q in questions if q.strip()]})


def first_name(mentor: Mentor) -> str:
    parts = [p for p in mentor.name.split() if p.rstrip(".").lower() not in _CHECKS.honorifics]
    return parts[0] if parts else mentor.name


def safe_sentence(text: str) -> str:
    """A profile sentence fit to quote: no instructions aimed at a model, no contact details."""
    text = " ".join(text.split())
    if not text or _CHECKS.instruction.search(text) or contact_details(text):
        return ""
    return text


def choose_format(goal: Goal, mentor: Mentor) -> tuple[Format, int | None]:
    """The mentee's preferred format the mentor offers, and a length both can do."""
    offered = list(mentor.formats) or ["video"]
    wanted = [f for f in goal.formats if f in offered]
    fmt: Format = wanted[0] if wanted else offered[0]
    if fmt == "email":
        return fmt, None
    offered_minutes = sorted(mentor.session_minutes)
    if goal.minutes and offered_minutes[0] <= goal.minutes <= offered_minutes[-1]:
        # The length the mentee asked for, when it lies within what the mentor offers: a
        # mentor who does 15 and 30 minutes can do the 20 asked for.
        return fmt, goal.minutes
    fitting = [m for m in offered_minutes if goal.minutes is None or m <= goal.minutes]
    return fmt, (max(fitting) if goal.minutes and fitting else offered_minutes[0])


def meeting_phrase(fmt: Format, minutes: int | None) -> str:
    """'a 20-minute video call', 'an email exchange'."""
    if fmt == "email" or minutes is None:
        return "an email exchange"
    kind = {"video": "video call", "phone": "phone call", "chat": "text chat",
            "in_person": "in-person meeting"}[fmt]
    return f"a {minutes}-minute {kind}"


def matched_skill_names(match: Match) -> list[str]:
    """Listed skills the search matched (not industry groups), safe to quote."""
    listed = {s.lower() for s in match.mentor.skills}
    return [s for s in dict.fromkeys(match.reasons.matched_skills)
            if s.lower() in listed and _worth_naming(s, match.mentor)]


def _worth_naming(skill: str, mentor: Mentor) -> bool:
    """A skill that adds something to the headline and reads as a skill."""
    headline = mentor.headline.lower()
    return (bool(safe_sentence(skill)) and len(skill.split()) <= 6
            and not (headline and headline in skill.lower()))


def _closest_skill(goal: Goal, match: Match, embedder: Embedder | None,
                   threshold: float = 0.45) -> str | None:
    """The mentor's listed skill nearest the goal, if it is near enough to name."""
    skills = [s for s in match.mentor.skills if _worth_naming(s, match.mentor)]
    if not skills or embedder is None:
        return None
    sims = embedder.encode(skills) @ embedder.encode_query(goal.search_query())
    best = int(np.argmax(sims))
    return skills[best] if float(sims[best]) >= threshold else None


def why_this_mentor(match: Match, goal: Goal, embedder: Embedder | None = None) -> str:
    """Why this mentor, citing their profile: matched skills, else headline, else a clause."""
    mentor, reasons = match.mentor, match.reasons
    role = headline_role(mentor) if safe_sentence(mentor.headline) else None
    skills = [skill_phrase(s) for s in matched_skill_names(match)[:2]]
    if not skills and (closest := _closest_skill(goal, match, embedder)):
        skills = [skill_phrase(closest)]
    if skills and role:
        return f"of your experience as {role}, including {' and '.join(skills)}."
    if skills:
        return f"your profile lists {' and '.join(skills)}."
    if role:
        return f"of your experience as {role}."
    sentence = short_clause(safe_sentence(reasons.best_sentence))
    if sentence and len(sentence.split()) >= 4:
        # The quote keeps its own end mark ("...Engineer!"), and gets a full stop only if it
        # has none; never both ("!.").
        ending = "" if sentence.rstrip()[-1:] in ".!?" else "."
        return f'your profile says: "{sentence.rstrip()}{ending}"'
    if mentor.skills and safe_sentence(mentor.skills[0]):
        return f"your profile lists {skill_phrase(mentor.skills[0])}."
    return "your profile fits my question."


def label_phrase(label: str) -> str:
    """A topic label inside a sentence: 'Asking for a raise' -> 'asking for a raise'."""
    words = label.split()
    if words and words[0][1:].islower():
        words[0] = words[0].lower()
    return " ".join(words)


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
OWN_WORDS_SHARE = 0.9  # a quote of the mentee's sentence keeps its words; asides may go


def written_by_mentee(text: str, user_texts: Sequence[str] | None) -> bool:
    """Whether ``text`` is the mentee's own sentences (asides and greetings may be cut out),
    not a question suggested for them (a plan's session); ``None``: nothing to check against,
    so the caller's goal is the mentee's own."""
    if not user_texts:
        return True
    words = _TOKEN.findall(text.lower())
    theirs = set(_TOKEN.findall(" ".join(user_texts).lower()))
    return bool(words) and sum(w in theirs for w in words) >= OWN_WORDS_SHARE * len(words)


def ask_paragraph(goal: Goal, user_texts: Sequence[str] | None = None) -> str:
    """What the mentee asks: the topic's label and their own sentences quoted whole; a
    question suggested for them (a plan's session) is asked as a question, never quoted as
    theirs."""
    intro = goal.context.introduction()
    said = f"{goal.challenge} {goal.aim}".lower()
    if intro and (intro.rstrip(".!").lower() in said or (
            not goal.context.own_words and (goal.context.role or goal.context.field)
            and (goal.context.role or goal.context.field or "").lower() in said)):
        intro = ""  # the quoted question already says who they are
    if intro and not goal.context.own_words:
        # "I'm a junior professional." before a quote that says "as a junior developer" says
        # less than the mentee did: the quote introduces them.
        told = set(re.findall(r"[a-z'-]+", said))
        named = set(re.findall(r"[a-z'-]+", intro.lower())) - _INTRO_FILLER
        if named and named <= told:
            intro = ""
    if intro and not goal.context.own_words and user_texts is not None:
        # Who they are, as the rules read it: said only when the mentee named it (in a
        # message or a quick reply), never guessed ("I run a pottery studio" is not
        # "I'm a founder.").
        named = goal.context.role or goal.context.level or goal.context.field or ""
        if named.lower() not in " ".join(user_texts).lower():
            intro = ""
    if not intro and written_by_mentee(goal.challenge, user_texts):
        intro = _said_about_themselves(goal.challenge)
    return (intro + " " if intro else "") + _ask_core(goal, user_texts)


MAX_INTRO_WORDS = 40
_INTRO_FILLER = {"i'm", "a", "an", "professional", "in", "someone", "working", "mid-level"}


def _said_about_themselves(challenge: str) -> str:
    """The mentee's own sentence about who they are ("I've been a nurse for eight years and
    ..."), when a long message's quote leaves it out; '' when there is none."""
    shown = shown_sentences(challenge)
    for sentence in re.split(r"(?<=[.!?])\s+", challenge):
        sentence = sentence.strip()
        if (sentence and sentence not in shown and "?" not in sentence
                and _PHRASING.self_description.match(sentence)
                and len(sentence.split()) <= MAX_INTRO_WORDS):
            return sentence
    return ""


def _ask_core(goal: Goal, user_texts: Sequence[str] | None) -> str:
    topic = label_phrase(goal.topic) if goal.topic else ""
    if goal.challenge and not written_by_mentee(goal.challenge, user_texts):
        first, _, rest = goal.challenge.partition(" ")
        keep = first in ("I", "I'm", "I'd", "I've", "I'll") or not first[1:].islower()
        question = " ".join([first if keep else first.lower(), rest]).strip()
        if goal.aim and written_by_mentee(goal.aim, user_texts):
            aim = f"\u201c{shown_sentences(goal.aim)}\u201d"
            return (f"I'm working towards a longer-term goal, in my own words: {aim} My "
                    f"question for you, as one step towards it: {question}")
        if topic:
            return f"I'd value your advice on {topic}, and one question in particular: {question}"
        return f"I'd value your advice on one question: {question}"
    clauses, others = quoted_ask(goal.challenge)
    if clauses:
        # "Is there someone who could tell me how ...?": what they want to know, in their words.
        lead = f"I'd value your advice on {' and '.join(clauses)}."
        if not others:
            return lead
        kind = "My question" if "?" in others else "More"
        return f"{lead} {kind}, in my own words: \u201c{others}\u201d"
    if goal.challenge:
        said = shown_sentences(goal.challenge)
        quote = f"\u201c{said}\u201d"
        if "?" not in said:
            # A statement ("Our studio keeps saying yes to rush jobs.") is not called a question.
            if topic:
                return f"I'd value your advice on {topic}. In my own words: {quote}"
            return f"I'd value your advice on my situation. In my own words: {quote}"
        if topic:
            return f"I'd value your advice on {topic}. My question, in my own words: {quote}"
        return f"I'd value your advice on one question, in my own words: {quote}"
    if topic:
        return f"I'd value your advice on {topic}."
    return "I'd value the advice of someone with your experience."


def draft_subject(goal: Goal, embedder: Embedder | None = None) -> str:
    """A subject line that names a real thing: 'Question on asking for a raise', from the
    goal's label, else the kind of ask when it is clear ('Question on pricing my work')."""
    if goal.topic and len(goal.topic.split()) <= 8:  # with "Question on", ten words at most
        return f"Question on {label_phrase(goal.topic)}"
    if not reads_as_english(goal):
        # Which of their sentences is the ask, and which asks for help or a call, can't be
        # told in a language the rules don't read: no sentence of theirs is picked out.
        return GENERIC_SUBJECT
    if label := subject_label(goal, embedder):
        return f"Question on {label}"
    if question := short_question(goal.challenge):
        return f"Question: {question}"
    if label := catalogue_subject(goal, embedder):
        return f"Question on {label}"
    return GENERIC_SUBJECT


GENERIC_SUBJECT = "A question for a short mentoring session"
SUBJECT_CLOSENESS = 0.55  # cosine of the ask and a label's nearest example


def catalogue_subject(goal: Goal, embedder: Embedder | None) -> str:
    """A label from subjects.yaml whose example asks are close in meaning to the mentee's
    ('building a dashboard'), or '' when none is close enough."""
    said = " ".join(p for p in (goal.context.own_words, goal.aim or goal.challenge) if p)
    if embedder is None or not said.strip():
        return ""
    labels = [label for label, examples in _SUBJECTS.labels.items() for _ in examples]
    examples = [e for examples in _SUBJECTS.labels.values() for e in examples]
    sims = embedder.encode_fixed("subject-labels", examples) @ embedder.encode_query(said)
    best = int(np.argmax(sims))
    return labels[best] if float(sims[best]) >= SUBJECT_CLOSENESS else ""


_ASKING = _PHRASING.asking_start
_VAGUE_END = _PHRASING.vague_end
MAX_SUBJECT_QUESTION = 9  # words: with "Question:" a subject stays within 10


def short_question(challenge: str) -> str:
    """The mentee's own question, whole, when it is short and names its subject ('How do I
    find a literary agent?'), to stand in a subject line; '' otherwise."""
    for sentence in re.split(r"(?<=[.!?])\s+", challenge):
        sentence = sentence.strip()
        asks = sentence.endswith("?") or _ASKING.match(sentence)
        if (asks and 4 <= len(sentence.split()) <= MAX_SUBJECT_QUESTION
                and not _VAGUE_END.search(sentence) and len(question_words(sentence)) >= 2):
            return sentence.rstrip(".!")
    return ""


# A call the mentee named no format for: "a short call", "a 20-minute call".
_NEUTRAL_KIND = {"video": "call", "phone": "call", "chat": "text chat",
                 "in_person": "meeting"}


def _proposal(goal: Goal, fmt: Format, minutes: int | None) -> str:
    """The meeting proposed, as the mentee asked for it and no more precisely: the length and
    format they named ('a 30-minute phone call'; when the mentor lists no session of that
    length, theirs is offered too: '..., or 15 minutes if that suits you better'); a format they
    didn't name is a neutral 'call', and no length they didn't give is invented ('a short
    call')."""
    if fmt == "email" or minutes is None:
        return meeting_phrase(fmt, minutes)
    kind = meeting_phrase(fmt, minutes).split("-minute ", 1)[1]
    said_a_call = {"video", "phone"} <= set(goal.formats) and fmt in ("video", "phone")
    if fmt not in goal.formats or said_a_call:
        kind = _NEUTRAL_KIND[fmt]  # "a call" is read as video or phone: it stays "a call"
    if not goal.minutes:
        return f"a short {kind}"
    if minutes != goal.minutes:
        return f"a {goal.minutes}-minute {kind}, or {minutes} minutes if that suits you better"
    return f"a {minutes}-minute {kind}"


def offline_draft(goal: Goal, match: Match, embedder: Embedder | None = None,
                  user_texts: Sequence[str] | None = None) -> OutreachDraft:
    """A template draft built only from the goal and the mentor's record.

    Every sentence is either fixed wording, a label that names a real thing, or the mentee's
    own sentences quoted whole: nothing is cut out of what they typed. With ``user_texts``
    (what the mentee wrote), a challenge they did not write is asked, not quoted as theirs.
    """
    mentor = match.mentor
    fmt, minutes = choose_format(goal, mentor)
    when = f" I'm hoping to talk {goal.deadline}, if that suits you." if goal.deadline else ""
    outcome = (f" I'd like to come away with {goal.desired_outcome.rstrip(' .')}."
               if goal.desired_outcome else "")
    body = "\n\n".join([
        f"Hi {first_name(mentor)},",
        ask_paragraph(goal, user_texts) + outcome,
        f"I'm reaching out because {why_this_mentor(match, goal, embedder)}",
        f"Would you be open to {_proposal(goal, fmt, minutes)}?{when} {EASY_OUT}",
        "Thank you for considering it.",
    ])
    skills = matched_skill_names(match)
    skill = skills[0] if skills else _closest_skill(goal, match, embedder)
    return OutreachDraft(mentor_id=mentor.id, subject=draft_subject(goal, embedder), body=body,
                         questions=session_questions(goal, match, embedder, skill),
                         format=fmt, minutes=minutes)


_MEETING_WORDS = _CHECKS.meeting_words


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
    elif goal.minutes and (draft.minutes is None or (f"{draft.minutes}-minute" not in body
                                                     and f"{draft.minutes} minute" not in body)):
        problems.append("body does not propose a session length (e.g. 'a 20-minute call')")
    elif not _MEETING_WORDS.search(body):
        # No length asked for: a meeting proposed in neutral words ("a short call") will do.
        problems.append("body does not propose a meeting (e.g. 'a short call')")
    if not 3 <= len(draft.questions) <= 5:
        problems.append(f"{len(draft.questions)} suggested questions; give 3 to 5")
    if any(not q.strip().endswith("?") for q in draft.questions):
        problems.append("every suggested question must end with '?'")
    text = " ".join([draft.subject, body, *draft.questions])
    found = contact_details(text)
    invented = sorted(found - allowed_contacts(mentor, user_texts)) if found else []
    if invented:
        problems.append("contact details not in the mentor record or your words: "
                        + ", ".join(invented))
    for quote in re.findall(r"in my own words: \u201c([^\u201d]+)\u201d", body):
        if user_texts and not written_by_mentee(quote, user_texts):
            problems.append("body quotes as the mentee's own words a text they did not write")
    if gush := _CHECKS.gush.search(text):
        problems.append(f"gushing language: {gush.group(0)!r}")
    if _CHECKS.instruction.search(text):
        problems.append("draft repeats instruction-like text from a profile")
    if draft.mentor_id != mentor.id:
        problems.append(f"draft is for {draft.mentor_id!r}, not {mentor.id!r}")
    return problems
