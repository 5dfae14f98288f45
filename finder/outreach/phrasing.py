"""Short, natural phrases for drafts: the mentee's ask, a subject line, the mentor's role.

Everything here rearranges words the mentee typed or the mentor's profile holds; nothing is
added that neither of them said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finder.core.goal import Goal
from finder.core.models import Mentor
from finder.core.words import load_stop_words
from finder.outreach.wordfiles import load_phrasing_rules

# Verbs, cut points, ask shapes and role words: words as data, in phrasing.yaml.
_RULES = load_phrasing_rules()
VERBS = _RULES.verbs


@dataclass(frozen=True)
class Ask:
    """The mentee's challenge, shaped for a sentence.

    ``kind`` is "doing" ("negotiating my first salary"), "whether" ("whether to use React or
    Vue"), "feedback" (what to get feedback on), "thing" (a plain noun phrase) or "question"
    (a question kept as asked).
    """

    kind: str
    phrase: str
    object: str | None = None

    def short(self, limit: int = 48) -> str:
        return shorten(self.phrase, limit)


def gerund(verb: str) -> str:
    """'negotiate' -> 'negotiating', 'plan' -> 'planning', 'set' -> 'setting'."""
    low = verb.lower()
    if low in _RULES.irregular_gerunds:
        return _RULES.irregular_gerunds[low]
    if low.endswith("ie"):
        return low[:-2] + "ying"
    if low.endswith("e") and not low.endswith(("ee", "ye", "oe")):
        return low[:-1] + "ing"
    if low in _RULES.doubled:
        return low + low[-1] + "ing"
    return low + "ing"


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" .?!;:,")
    text = _RULES.preamble.sub("", text)
    return _strip_time(text)


def _strip_time(text: str) -> str:
    return _RULES.time_at_end.sub("", text)


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _object_of(rest: str) -> str | None:
    """The thing acted on: 'my first salary' in 'my first salary as a junior designer'."""
    words = rest.split()
    if words and words[0].lower() == "between":
        return None
    if words and words[0].lower() in _RULES.particles:
        words = words[1:]
    picked: list[str] = []
    for word in words:
        if word.lower() in _RULES.breaks and picked:
            break
        picked.append(word)
    while picked and picked[-1].lower() in _RULES.dangling:
        picked.pop()
    if not picked or len(picked) > 6 or (
            len(picked) == 1 and picked[0].lower() in _RULES.not_objects):
        return None
    if picked[0].lower() not in _RULES.object_determiners and \
            len(picked) > 4:
        return None
    return " ".join(picked)


def _first_match(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
    return next((m for pattern in patterns if (m := pattern.match(text))), None)


def ask_of(goal: Goal) -> Ask:
    """What the mentee wants to ask, as a phrase that fits after 'advice on'."""
    text = _clean(goal.challenge or goal.topic)
    if not text:
        return Ask("thing", "a focused question")
    low = text.lower()
    if m := _first_match(_RULES.feedback_asks, text):
        return Ask("feedback", m.group(1), _object_of(m.group(1)))
    if m := _first_match(_RULES.doing_asks, text):
        verb, rest = m.group(1), m.group(2).strip()
        return Ask("doing", f"{gerund(verb)} {rest}".strip(), _object_of(rest))
    if m := _RULES.should_ask.match(text):
        return Ask("whether", f"whether to {m.group(1)}")
    if m := _RULES.yes_no_ask.match(text):
        aux, subject, rest = m.group(1).lower(), m.group(2), m.group(3)
        subject = "I" if subject.lower() == "i" else subject.lower()
        verb = "" if aux in ("do", "does") else f" {aux}"
        return Ask("whether", f"whether {subject}{verb}{rest}")
    if m := _RULES.wh_ask.match(text):
        wh, verb, rest = m.group(1)[0].lower() + m.group(1)[1:], m.group(2), m.group(3)
        if verb.lower() in _RULES.wh_own_verbs:
            return Ask("whether", f"{wh} I {verb}{rest}")
        return Ask("whether", f"{wh} to {verb}{rest}")
    if m := _RULES.whether_should.match(text):
        return Ask("whether", f"whether to {m.group(1)}")
    if _RULES.whether_start.match(low):
        return Ask("whether", text[0].lower() + text[1:])
    first, _, rest = text.partition(" ")
    if first.lower() in VERBS and rest:
        return Ask("doing", f"{gerund(first)} {rest}", _object_of(rest))
    if first.lower().endswith("ing") and rest and first.lower() not in _RULES.not_doing:
        return Ask("doing", _lower_first(text), _object_of(rest))
    if _RULES.statement_start.match(low):
        return Ask("statement", text[0].upper() + text[1:])
    if _RULES.question_start.match(low):
        return Ask("question", text[0].upper() + text[1:] + "?")
    return Ask("thing", _lower_first(text), _object_of(text))


def ask_sentence(ask: Ask, who: str) -> str:
    """'I'm a junior designer, and I'd love your advice on negotiating my first salary.'"""
    if ask.kind == "question":
        core = f"I'd value your view on one question: {ask.phrase}"
    elif ask.kind == "statement":
        core = f"I'd love your advice on my situation: {ask.phrase}."
    elif ask.kind == "feedback":
        core = f"I'd love your feedback on {ask.phrase}."
    else:
        core = f"I'd love your advice on {ask.phrase}."
    return f"I'm {who}, and {core}" if who else core


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters where a phrase ends, never mid-word or on 'for'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = text.split()
    best = ""
    for i in range(2, len(words)):
        if words[i].lower() in _RULES.breaks:
            candidate = " ".join(words[:i]).rstrip(",;:")
            if len(candidate) <= limit and words[i - 1].lower() not in _RULES.dangling:
                best = candidate
    if best and len(best) >= limit // 2:
        return best
    cut: list[str] = []
    for word in words:
        if len(" ".join(cut + [word])) > limit:
            break
        cut.append(word)
    while len(cut) > 1 and cut[-1].lower().strip(",;:") in _RULES.dangling | _RULES.breaks:
        cut.pop()
    return " ".join(cut).rstrip(",;:") or best or words[0][:limit]


def subject_line(ask: Ask, limit: int = 60) -> str:
    """A subject a person would write: 'Question on negotiating my first salary'."""
    if ask.kind == "statement":
        return "Advice on my situation: " + shorten(ask.phrase, limit - 24)
    if ask.kind == "question":
        body = shorten(ask.phrase.rstrip("?"), limit - 11)
        return f"Question: {body}" + ("?" if body == ask.phrase.rstrip("?") else "")
    if ask.kind == "feedback":
        return "Feedback on " + shorten(ask.phrase, limit - 12)
    return "Question on " + shorten(ask.phrase, limit - 12)


def with_article(phrase: str) -> str:
    """'an advertising manager', 'a UX engineer', 'CTO at Acme' (titles take none)."""
    if _RULES.titles_without_article.match(phrase) or _RULES.article.match(phrase):
        return phrase
    first = phrase.split()[0]
    low = phrase.lower()
    if first.isupper() and len(first) > 1:
        vowel_sound = first[0] in _RULES.vowel_sound_initials
    else:
        vowel_sound = low[0] in "aeiou" and not _RULES.consonant_sound_starts.match(low)
    return ("an " if vowel_sound else "a ") + phrase


def headline_role(mentor: Mentor) -> str | None:
    """The mentor's headline as a role ('an advertising manager'), when it reads as one."""
    text = re.sub(r"\s*\([^)]*\)", "", mentor.headline)
    text = re.sub(r"\bat\s*@\s*", "at ", text, flags=re.IGNORECASE)  # "at @IBM": one "at"
    text = re.sub(r"\s*@\s*", " at ", text)
    text = " ".join(text.split()).strip(" .,;")
    if not text or re.search(r"https?:|www\.|\S+@\S+", text):
        return None
    role, at, org = text.partition(" at ")
    for candidate in [role] + re.split(r"\s*[,;|/&]\s*", role):
        words = candidate.split()
        if candidate == role and re.search(r"[,;|/&]", role) and not all(
                w.islower() for w in words[1:]):
            continue  # "Programmer, Writer, Monster Slayer" is a list, not one role
        if words and len(words) <= 7 and _RULES.role_end.search(words[-1]):
            # "Advertising manager" (sentence case) reads as a role; "Software Engineer" stays.
            whole = candidate == role or len(words) == 1
            phrase = _lower_first(candidate) if whole and all(
                w.islower() or w.isupper() for w in words[1:]) else candidate
            if at and candidate == role and len(org.split()) <= 4:
                phrase += f" at {org}"
            return with_article(phrase)
    return None


def skill_phrase(skill: str) -> str:
    """A listed skill as it reads in a sentence: 'use sales techniques' -> 'using sales...'."""
    words = " ".join(skill.split()).split(" ")
    if len(words) >= 2 and words[0].lower() in VERBS:
        words[0] = gerund(words[0])
    return " ".join(w.upper() if len(w) <= 3 and w.isalpha() and w.islower() and
                    w in _RULES.acronyms else w for w in words)


def short_clause(sentence: str, max_words: int = 25) -> str:
    """The first clause of a profile sentence, at most ``max_words`` words, cut cleanly."""
    text = " ".join(sentence.split()).rstrip(" .")
    text = _RULES.linking_start.sub("", text)
    if len(text.split()) <= max_words:
        return text
    for mark in _RULES.clause_marks:
        head = text.split(mark, 1)[0]
        if 6 <= len(head.split()) <= max_words:
            return head.rstrip(" ,;")
    return shorten(text, len(" ".join(text.split()[:max_words])))


_STOP = load_stop_words().reasons()
_QUESTION_WORD = re.compile(r"[a-z][a-z'-]+")
SAME_QUESTION_SHARE = 0.7


def question_words(question: str) -> set[str]:
    words = _QUESTION_WORD.findall(question.lower())
    return {w.rstrip("s") for w in words if w not in _STOP and len(w) > 2}


def same_question(first: str, second: str) -> bool:
    """Whether two questions say the same thing: the shorter one's content words are mostly
    (70%) in the other ("How would you structure the interview or trial period?" and "... for
    a first hire?")."""
    left, right = question_words(first), question_words(second)
    if not left or not right:
        return first.strip().lower() == second.strip().lower()
    return len(left & right) >= SAME_QUESTION_SHARE * min(len(left), len(right))
