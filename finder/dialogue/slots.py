"""Rules that read the concrete constraints out of a message: format, length, language, place.

The patterns and word lists are data, in ``finder/dialogue/lexicon/slots.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finder.core.goal import Level, MenteeContext, Urgency
from finder.dialogue.lexicon.slot_rules import load_slot_rules

_RULES = load_slot_rules()
_LANGUAGE_CODES = _RULES.language_codes()


@dataclass
class SlotReading:
    """Constraints found in one message, and where in the text they were found."""

    formats: list[str] = field(default_factory=list)
    any_format: bool = False
    minutes: int | None = None
    any_length: bool = False
    shorter: bool = False
    language: str | None = None
    any_language: bool = False
    region: str | None = None
    countries: list[str] = field(default_factory=list)
    min_years: int | None = None
    more_senior: bool = False
    urgency: Urgency | None = None
    deadline: str | None = None
    context: MenteeContext = field(default_factory=MenteeContext)
    diversity: bool = False
    more: bool = False
    spans: list[tuple[int, int]] = field(default_factory=list)
    logistics: list[tuple[int, int]] = field(
        default_factory=list, metadata={"doc": "spans about how, when and where to meet"})

    def constraint_count(self) -> int:
        """How many search constraints the message sets or changes."""
        return sum([
            bool(self.formats), self.any_format, self.minutes is not None, self.any_length,
            self.shorter,
            self.language is not None, self.any_language, self.region is not None,
            bool(self.countries), self.min_years is not None, self.more_senior,
            self.diversity, self.more])


def meeting_update(slots: SlotReading) -> dict[str, object]:
    """The goal fields a message sets about how to meet: format, length and language."""
    update: dict[str, object] = {}
    if slots.formats:
        update["formats"] = slots.formats
    elif slots.any_format:
        update["formats"] = []
    if slots.minutes is not None:
        update["minutes"] = slots.minutes
    elif slots.any_length:
        update["minutes"] = None
    if slots.language:
        update["language"] = slots.language
    elif slots.any_language:
        update["language"] = None
    return update


def read_slots(text: str) -> SlotReading:
    """Everything concrete in ``text``: the rules behind the dialogue's slot filling."""
    found = SlotReading()
    match: re.Match[str] | None

    def hit(match: re.Match[str], logistics: bool = True) -> None:
        found.spans.append(match.span())
        if logistics:
            found.logistics.append(match.span())

    for kind, pattern in _RULES.formats.items():
        for match in pattern.finditer(text):
            if kind not in found.formats:
                found.formats.append(kind)
            hit(match)
    for match in _RULES.plain_call.finditer(text):
        hit(match)
        if not {"video", "phone"} & set(found.formats):
            found.formats += [f for f in ("video", "phone") if f not in found.formats]
    if match := _RULES.any_format.search(text):
        found.any_format = True
        hit(match)
    if match := _RULES.any_length.search(text):
        found.any_length = True
        hit(match)

    if match := _meeting_length(_RULES.minutes, text):
        found.minutes = max(5, min(240, int(match.group(1))))
        hit(match)
    elif match := _meeting_length(_RULES.minutes_in_words, text):
        found.minutes = _RULES.minutes_of_words(match.group(1))
        hit(match)
    elif match := _meeting_length(_RULES.hours, text):
        hit(match)
        word = (match.group(1) or "").lower()
        if match.group(2):
            found.minutes = int(float(match.group(2)) * 60)
        elif word in ("two", "2"):
            found.minutes = 120
        elif word:
            found.minutes = 60
        else:
            found.minutes = 30
    elif match := _RULES.quick.search(text):
        found.minutes = 15
        hit(match)
    if _RULES.shorter.search(text) and found.minutes is None:
        found.shorter = True

    for pattern in _RULES.language_rules.values():
        if match := pattern.search(text):
            found.language = _LANGUAGE_CODES[match.group(1).lower()]
            hit(match)
            break
    found.any_language = bool(_RULES.any_language.search(text))

    for name, pattern in _RULES.regions.items():
        if (match := pattern.search(text)) and not _RULES.someone_elses_place.search(
                text[:match.start()]):
            found.region = name
            hit(match)
            break
    for match in _RULES.country.finditer(text):
        # "someone in Germany" asks for a mentor there; "importing ceramics from Portugal" or
        # "I'm in Germany" is about the mentee and their goal, not a filter.
        if not (_RULES.for_mentor.search(text[:match.start()]) or len(text.split()) <= 6):
            continue
        code = _RULES.countries[match.group(1).lower()]
        if code not in found.countries:
            found.countries.append(code)
        hit(match)

    if match := _RULES.more_senior.search(text):
        found.more_senior = True
        hit(match)
    years = _RULES.years.search(text)
    # A number of years asks for a mentor's experience, unless it is the mentee's own time.
    wished = years and _RULES.years_wished.search(text[max(0, years.start() - 40):years.end() + 5])
    own = years and _RULES.years_own.search(text[max(0, years.start() - 30):years.end()])
    if years and wished and not own:
        found.min_years = int(years.group(1))
        hit(years)
    elif (match := _RULES.senior_wish.search(text)) and not _RULES.senior_audience.search(
            text[max(0, match.start() - 40):match.start()]):
        found.min_years = 10
        hit(match)

    if match := _RULES.urgent.search(text):
        found.urgency, found.deadline = "urgent", match.group(0)
        hit(match)
    elif match := _RULES.soon.search(text):
        found.urgency, found.deadline = "soon", match.group(0)
        hit(match)

    if match := _RULES.diversity.search(text):
        found.diversity = True
        hit(match, logistics=False)
    found.more = bool(_RULES.more.match(text))
    found.context = read_context(text)
    for pattern in (_RULES.role, _RULES.field):
        if found.context.role or found.context.field:
            for match in pattern.finditer(text):
                hit(match, logistics=False)
    return found


def _meeting_length(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first length ``pattern`` finds that is not the length of something the mentee
    makes or does ("a ten-minute explainer video", "a 5-minute talk")."""
    for match in pattern.finditer(text):
        if not _RULES.length_of_a_thing.match(text, match.end()):
            return match
    return None


def read_context(text: str) -> MenteeContext:
    """The mentee's role, field and level, from phrases like "I'm a junior designer"."""
    about_me = " ".join(m.group(0) for m in _RULES.about_self.finditer(text))
    level: Level | None = None
    for name, pattern in _RULES.levels.items():
        if pattern.search(about_me):
            level = name
            break
    role = None
    if match := _RULES.role.search(text):
        candidate = " ".join(match.group(1).split()).strip(" -")
        if candidate and not _RULES.not_a_role.match(candidate):
            role = candidate
    fld = None
    if match := _RULES.field.search(text):
        fld = next(group for group in match.groups() if group).strip()
    return MenteeContext(role=role, field=fld, level=level)


def strip_to_topic(text: str, spans: list[tuple[int, int]]) -> str:
    """The subject of a message once constraints and polite filler are taken out."""
    keep = list(text)
    for start, end in spans:
        for i in range(start, end):
            keep[i] = " "
    rest = " ".join("".join(keep).split())
    previous = None
    while previous != rest:
        previous = rest
        rest = _RULES.filler.sub("", rest).strip().lstrip(",.;:!?- ")
        rest = _RULES.trailing.sub("", rest).strip()
    return rest


def after_self_description(text: str) -> str:
    """``text`` without a leading "I'm a nurse with 5 years on a ward;" clause, when the rest
    still asks something."""
    match = _RULES.self_clause.match(text)
    if not match or _RULES.asking.search(match.group(0)):
        return text
    tail = text[match.end():].strip()
    return tail if len(tail.split()) >= 3 else text


def topic_phrase(text: str) -> str:
    """The short subject of a stripped message: what comes after 'help with', 'advice on'..."""
    text = _RULES.self_clause.sub("", text).strip()
    if match := _RULES.anchor.search(text):
        text = match.group(1)
    previous = None
    while previous != text:
        previous = text
        text = _RULES.filler.sub("", text).strip().lstrip(",.;:!?- ")
        text = _RULES.trailing.sub("", text).strip()
    return text
