"""Short, natural phrases for drafts: the mentee's ask, a subject line, the mentor's role.

Everything here rearranges words the mentee typed or the mentor's profile holds; nothing is
added that neither of them said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from finder.core.goal import Goal
from finder.core.models import Mentor

# Base verbs a challenge or an ESCO skill may start with ("negotiate my salary", "use sales
# techniques"); they become "-ing" forms in a sentence.
VERBS = frozenset("""
accept adapt add adjust administer advise analyse analyze answer apply approach ask assemble
assess assign assist attract audit automate avoid balance become begin book break bring budget
build buy calculate change charge check choose clean close coach collect combine communicate
compare compile complete comply conduct configure connect construct control convert coordinate
cope create cut deal decide define delegate deliver deploy design determine develop direct
do draft draw ease edit enter establish estimate evaluate examine execute expand explain file
find finish fire fit fix follow form fund gain get give go grow guide handle help hire identify
implement import improve increase inspect install instruct interpret interview investigate
join keep land launch lead learn leave lower maintain make manage market measure meet mentor
migrate mix model monitor move negotiate observe offer onboard open operate optimise optimize
organise organize oversee pay perform pick pitch pivot plan prepare present price prioritise
prioritize process produce promote protect prove provide publish put quit raise reach react
read recover recruit reduce register regulate remove renovate rent repair replace report
represent request research respond restructure retain return review run save scale schedule
secure select sell send serve set settle ship shop sign speak split stand start stay stop
structure study submit supervise supply support switch take teach tell tend test track trade
train transition transfer translate treat turn understand undertake update upgrade use
validate win work write
""".split())
_IRREGULAR = {"be": "being", "see": "seeing", "die": "dying", "lie": "lying", "tie": "tying"}
_DOUBLE = frozenset("admit begin chat commit cut get hit map plan put quit regret run scan set "
                    "ship shop sit split stop submit swim win".split())
_PARTICLES = ("up", "out", "into", "for", "on", "with", "to", "about", "off", "back", "over")
# Where a phrase may be cut without leaving it hanging.
_BREAKS = frozenset("for with to in at on as before after by from without when while so because "
                    "and or but that which who since during into via using than while".split())
_DANGLING = frozenset("for our my the a an with to of in on and or your their at by as from "
                      "into this that these those its his her".split())
_NOT_OBJECTS = frozenset("better started ready good more ahead back promoted hired paid "
                         "certified involved noticed".split())
_ROLE_END = re.compile(
    r"(?:er|or|ist|ian|ant|ent|ect|executive|representative|operative|detective|man|woman|person|lead|head|dev|guy|cto|ceo|cfo|coo|cio|"
    r"cmo|vp|officer|nurse|chef|cook|clerk|analyst|model|secretary|midwife|aide|pilot|guard|"
    r"smith|wright|hand|coach|expert|tutor|paralegal|practitioner|generalist|specialist|"
    r"partner|owner|staff|intern|associate|attorney|judge|doctor|dentist|surgeon|auditor|"
    r"entrepreneur|arch\.?)s?$", re.IGNORECASE)
_TITLES_WITHOUT_ARTICLE = re.compile(r"^(?:CTO|CEO|CFO|COO|CIO|CMO|VP|Head|Director)\b")


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
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low.endswith("ie"):
        return low[:-2] + "ying"
    if low.endswith("e") and not low.endswith(("ee", "ye", "oe")):
        return low[:-1] + "ing"
    if low in _DOUBLE:
        return low + low[-1] + "ing"
    return low + "ing"


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" .?!;:,")
    text = re.sub(r"^(?:i(?:'d| would) like to know|(?:i )?want to know|i'?m wondering|wondering|"
                  r"i wonder|please|so|basically|my question is)\b[\s:,]*", "", text,
                  flags=re.IGNORECASE)
    return _strip_time(text)


def _strip_time(text: str) -> str:
    return re.sub(r"\s+(?:in|within|over) (?:the next )?(?:\w+ )?(?:years?|months?)$|"
                  r"\s+(?:eventually|some ?day|one day)$", "", text, flags=re.IGNORECASE)


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
    if words and words[0].lower() in _PARTICLES:
        words = words[1:]
    picked: list[str] = []
    for word in words:
        if word.lower() in _BREAKS and picked:
            break
        picked.append(word)
    while picked and picked[-1].lower() in _DANGLING:
        picked.pop()
    if not picked or len(picked) > 6 or (len(picked) == 1 and picked[0].lower() in _NOT_OBJECTS):
        return None
    if picked[0].lower() not in ("a", "an", "the", "my", "our", "this", "that") and \
            len(picked) > 4:
        return None
    return " ".join(picked)


def ask_of(goal: Goal) -> Ask:
    """What the mentee wants to ask, as a phrase that fits after 'advice on'."""
    text = _clean(goal.challenge or goal.topic)
    if not text:
        return Ask("thing", "a focused question")
    low = text.lower()
    if m := re.match(r"(?:can|could|would) you (?:please )?(?:help me )?(?:review|check|look at|"
                     r"critique|give (?:me )?feedback on) (.+)", text, re.IGNORECASE) or \
            re.match(r"(?:get(?:ting)? )?(?:some |quick )?(?:feedback|input|a review|a second "
                     r"opinion|thoughts|a critique) (?:on|about|of) (.+)", text, re.IGNORECASE) or \
            re.match(r"(?:review(?:ing)?|critiqu(?:e|ing)|check(?:ing)?) ((?:my|our) .+)", text,
                     re.IGNORECASE):
        return Ask("feedback", m.group(1), _object_of(m.group(1)))
    if m := re.match(r"how (?:do|can|should|could|would|might|will) (?:i|we) (?:best )?(\w+)"
                     r"\b(.*)", text, re.IGNORECASE) or \
            re.match(r"how (?:to|best to|can i best|do you) (\w+)\b(.*)", text, re.IGNORECASE) or \
            re.match(r"(?:i|we) (?:want|need|would like|'d like|am trying|'m trying|hope|plan) "
                     r"to (\w+)\b(.*)", text, re.IGNORECASE) or \
            re.match(r"(?:want|need|trying) to (\w+)\b(.*)", text, re.IGNORECASE):
        verb, rest = m.group(1), m.group(2).strip()
        return Ask("doing", f"{gerund(verb)} {rest}".strip(), _object_of(rest))
    if m := re.match(r"should (?:i|we) (.+)", text, re.IGNORECASE):
        return Ask("whether", f"whether to {m.group(1)}")
    if m := re.match(r"(can|could|do|does|am|is|are) (i|we|it)\b(.*)", text, re.IGNORECASE):
        aux, subject, rest = m.group(1).lower(), m.group(2), m.group(3)
        subject = "I" if subject.lower() == "i" else subject.lower()
        verb = "" if aux in ("do", "does") else f" {aux}"
        return Ask("whether", f"whether {subject}{verb}{rest}")
    if m := re.match(r"(what|which \w+|when|where|who) (?:should|do|can) (?:i|we) (\w+)\b(.*)",
                     text, re.IGNORECASE):
        wh, verb, rest = m.group(1)[0].lower() + m.group(1)[1:], m.group(2), m.group(3)
        if verb.lower() in ("need", "have", "know", "want"):
            return Ask("whether", f"{wh} I {verb}{rest}")
        return Ask("whether", f"{wh} to {verb}{rest}")
    if m := re.match(r"whether (?:i|we) should (.+)", text, re.IGNORECASE):
        return Ask("whether", f"whether to {m.group(1)}")
    if re.match(r"(?:whether|what to|which \w+ to|when to|where to)\b", low):
        return Ask("whether", text[0].lower() + text[1:])
    first, _, rest = text.partition(" ")
    if first.lower() in VERBS and rest:
        return Ask("doing", f"{gerund(first)} {rest}", _object_of(rest))
    if first.lower().endswith("ing") and rest and first.lower() not in ("nothing", "something",
                                                                         "everything"):
        return Ask("doing", _lower_first(text), _object_of(rest))
    if re.match(r"(?:i|we|my|our)\b", low):
        return Ask("statement", text[0].upper() + text[1:])
    if re.match(r"(?:how|what|why|which|who|where|when|is|are|do|does|can|could|should|would|"
                r"will)\b", low):
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
        if words[i].lower() in _BREAKS:
            candidate = " ".join(words[:i]).rstrip(",;:")
            if len(candidate) <= limit and words[i - 1].lower() not in _DANGLING:
                best = candidate
    if best and len(best) >= limit // 2:
        return best
    cut: list[str] = []
    for word in words:
        if len(" ".join(cut + [word])) > limit:
            break
        cut.append(word)
    while len(cut) > 1 and cut[-1].lower().strip(",;:") in _DANGLING | _BREAKS:
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
    if _TITLES_WITHOUT_ARTICLE.match(phrase) or re.match(r"(?:a|an|the)\s", phrase, re.IGNORECASE):
        return phrase
    first = phrase.split()[0]
    low = phrase.lower()
    if first.isupper() and len(first) > 1:
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        vowel_sound = low[0] in "aeiou" and not re.match(r"(?:uni|use|usu|ux|ui|eu|one)", low)
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
        if words and len(words) <= 7 and _ROLE_END.search(words[-1]):
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
                    w in _ACRONYMS else w for w in words)


_ACRONYMS = frozenset("ux ui aws css php sql seo sem crm erp api qa hr b2b b2c ai ml ios gcp "
                      "kpi okr saas".split())


def short_clause(sentence: str, max_words: int = 25) -> str:
    """The first clause of a profile sentence, at most ``max_words`` words, cut cleanly."""
    text = " ".join(sentence.split()).rstrip(" .")
    text = re.sub(r"^(?:in addition|additionally|also|furthermore|moreover),\s*", "", text,
                  flags=re.IGNORECASE)
    if len(text.split()) <= max_words:
        return text
    for mark in (";", " - ", " – ", ", ", " which ", " who ", " and "):
        head = text.split(mark, 1)[0]
        if 6 <= len(head.split()) <= max_words:
            return head.rstrip(" ,;")
    return shorten(text, len(" ".join(text.split()[:max_words])))
