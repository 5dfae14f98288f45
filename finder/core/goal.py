"""What a mentee wants from one micro-mentoring session, and how that becomes a search."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from finder.core.models import ISO_639_1, Format, SearchFilters

Level = Literal["student", "junior", "mid", "senior", "manager", "founder", "executive"]
Urgency = Literal["urgent", "soon", "flexible"]
Slot = Literal["challenge", "context", "format"]

# Hours east of UTC that count as "in" a region, over both winter and summer time.
REGION_WINDOWS: dict[str, tuple[float, float]] = {
    "Europe": (-1.0, 3.0),
    "UK": (0.0, 1.0),
    "US": (-10.0, -4.0),
    "US East Coast": (-5.0, -4.0),
    "US West Coast": (-8.0, -7.0),
    "North America": (-10.0, -3.5),
    "Latin America": (-6.0, -3.0),
    "Africa": (0.0, 3.0),
    "Middle East": (2.0, 4.0),
    "India": (5.5, 5.5),
    "Asia": (5.0, 9.0),
    "East Asia": (8.0, 9.0),
    "Southeast Asia": (7.0, 8.0),
    "Australia": (8.0, 11.0),
    "Asia-Pacific": (5.0, 13.0),
}

# A role that already says how senior the person is ("new business owner", "lead nurse").
_LEVEL_IN_ROLE = re.compile(r"\b(?:new|junior|senior|lead|head|chief|trainee|intern|aspiring|"
                            r"first-time|experienced|owner|founder|co-?founder|ceo|student)\b",
                            re.IGNORECASE)

_FORMAT_WORDS: dict[str, str] = {
    "video": "video call",
    "phone": "phone call",
    "email": "email exchange",
    "chat": "text chat",
    "in_person": "in-person meeting",
}


class MenteeContext(BaseModel):
    """Who is asking: their role, field and experience level, as far as they said."""

    model_config = ConfigDict(str_strip_whitespace=True)

    role: str | None = Field(default=None, description="e.g. 'product designer', 'founder'")
    field: str | None = Field(default=None, description="industry or field, e.g. 'fintech'")
    level: Level | None = Field(default=None, description="career stage of the mentee")
    own_words: str = Field(default="", description="What the mentee said about themselves, "
                           "their sentences whole: 'I'm the only marketer at a small brand.'")

    def is_empty(self) -> bool:
        return not (self.role or self.field or self.level)

    def introduction(self) -> str:
        """How the mentee introduces themselves in a draft: their own sentences, whole, when
        they said any ("I'm the only marketer at a small brand."), else the context as given
        ("I'm a junior product designer."); '' when nothing is known."""
        if self.own_words:
            return self.own_words
        who = self.describe()
        return f"I'm {who}." if who else ""

    def describe(self) -> str:
        """'a junior product designer in fintech', or '' when nothing is known."""
        words: list[str] = []
        role = self.role or ""
        if self.level and self.level not in role.lower() and not _LEVEL_IN_ROLE.search(role):
            words.append({"mid": "mid-level"}.get(self.level, self.level))
        if role:
            words.append(role)
        elif self.level in ("founder", "student", "executive", "manager"):
            pass
        elif words:
            words.append("professional")
        if not words:
            return f"someone working in {self.field}" if self.field else ""
        phrase = " ".join(words)
        article = "an" if phrase[0].lower() in "aeiou" else "a"
        text = f"{article} {phrase}"
        if self.field and self.field.lower() not in text.lower():
            text += f" in {self.field}"
        return text


class Goal(BaseModel):
    """The mentee's goal for one focused session: what, why, how, and with whom."""

    model_config = ConfigDict(str_strip_whitespace=True)

    topic: str = Field(default="", description="Short subject, e.g. 'social media campaign'.")
    challenge: str = Field(
        default="",
        description="The specific question or problem, in the mentee's words. Empty if they "
        "have only named a broad area ('career advice').")
    context: MenteeContext = Field(default_factory=MenteeContext)
    desired_outcome: str = Field(default="", description="What they want to leave with.")
    aim: str = Field(default="", description="Set by a plan, never from a message: the "
                     "long-term goal this one session is a step towards, in the mentee's words.")
    prepared_questions: list[str] = Field(
        default_factory=list, max_length=5, description="Set by a plan, never from a message: "
        "questions prepared for this one session, which a draft suggests first.")
    formats: list[Format] = Field(default_factory=list, description="Acceptable formats.")
    minutes: int | None = Field(default=None, ge=5, le=240, description="Time budget.")
    language: str | None = Field(default=None, description="ISO 639-1 code, e.g. 'de'.")
    region: str | None = Field(
        default=None, description=f"One of: {', '.join(REGION_WINDOWS)}.")
    countries: list[str] = Field(default_factory=list, description="ISO 3166-1 alpha-2 codes.")
    urgency: Urgency | None = None
    deadline: str | None = Field(default=None, description="In their words: 'before Friday'.")
    min_years_experience: int | None = Field(
        default=None, ge=0, le=60, description="Seniority wished for the mentor.")

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower() or None
            if value is not None and value not in ISO_639_1:
                raise ValueError(f"language must be an ISO 639-1 code like 'de', got {value!r}")
        return value

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            for name in REGION_WINDOWS:
                if name.lower() == value.strip().lower():
                    return name
            raise ValueError(f"region must be one of {', '.join(REGION_WINDOWS)}, got {value!r}")
        return value

    @field_validator("countries", mode="before")
    @classmethod
    def _countries(cls, value: object) -> object:
        if isinstance(value, list):
            return [str(code).strip().upper() for code in value if str(code).strip()]
        return value

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: object) -> object:
        if isinstance(value, list):
            seen: list[str] = []
            for item in value:
                key = str(item).lower().replace("-", "_").replace(" ", "_")
                if key not in seen:
                    seen.append(key)
            return seen
        return value

    def is_specific(self) -> bool:
        """Whether there is a concrete question to bring to a mentor."""
        return bool(self.challenge.strip())

    def to_filters(self, *, exclude_ids: list[str] | None = None) -> SearchFilters:
        """The hard constraints this goal puts on a search."""
        low, high = REGION_WINDOWS.get(self.region or "", (None, None))
        return SearchFilters(
            formats=list(self.formats) or None,
            # An email exchange has no length, so a time budget doesn't constrain it.
            max_minutes=None if self.formats == ["email"] else self.minutes,
            languages=[self.language] if self.language else None,
            utc_offset_min=low,
            utc_offset_max=high,
            countries=list(self.countries) or None,
            min_years_experience=self.min_years_experience,
            exclude_ids=sorted(set(exclude_ids)) if exclude_ids else None,
        )

    def search_query(self) -> str:
        """The text to search mentors with: the specific question first, then the context."""
        parts: list[str] = []
        if self.challenge:
            parts.append(self.challenge)
        if self.topic and self.topic.lower() not in self.challenge.lower():
            parts.append(self.topic)
        if self.desired_outcome:
            parts.append(self.desired_outcome)
        if self.context.field:
            parts.append(self.context.field)
        if self.context.role and self.context.role.lower() not in " ".join(parts).lower():
            parts.append(f"advice for a {self.context.role}")
        return ". ".join(part.rstrip(". ") for part in parts if part) or "experienced mentor"

    def summary(self) -> str:
        """One line a person can check: the mentee's own words quoted whole (or the topic's
        label), then how they want to meet in brackets."""
        clauses, others = quoted_ask(self.challenge)
        if clauses:
            what = " and ".join(clauses)  # "how long a licence takes": what they want to know
        elif self.challenge:
            what = f"\u201c{others}\u201d"
        else:
            what = self.topic or "a mentor"
        bits: list[str] = []
        how = self.format_phrase()
        if how:
            bits.append(how)
        bits += self.mentor_phrases()
        if self.deadline:
            bits.append(self.deadline)
        return what + (f" ({'; '.join(bits)})" if bits else "")

    def mentor_phrases(self) -> list[str]:
        """What the mentors shown must be, beyond how to meet: ['in Spanish', 'in Europe time
        zones', 'based in DE', '10+ years of experience']."""
        bits: list[str] = []
        if self.language:
            bits.append(f"in {LANGUAGE_NAMES.get(self.language, self.language)}")
        if self.region:
            bits.append(f"in {self.region} time zones")
        if self.countries:
            bits.append("based in " + "/".join(self.countries))
        if self.min_years_experience:
            bits.append(f"{self.min_years_experience}+ years of experience")
        return bits

    def format_phrase(self) -> str:
        """'30-minute video call', 'email exchange', 'up to 15 minutes', or ''."""
        kinds = " or ".join(_FORMAT_WORDS[f] for f in self.formats) if self.formats else ""
        if self.minutes and kinds and self.formats != ["email"]:
            return f"{self.minutes}-minute {kinds}"
        if self.minutes:
            return f"up to {self.minutes} minutes" + (f", {kinds}" if kinds else "")
        return kinds


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A statement that carries the question: "I'm not sure whether I need a degree ...", "My
# question is how I'd go about ..."; and one that says what they want: "I keep thinking about
# moving into ...".
_UNSURE = re.compile(r"\b(?:not sure|unsure|wonder(?:ing)?|whether|don'?t know|do not know|"
                     r"can'?t decide|torn between|no idea|can'?t tell|my question|"
                     r"(?:like|want) to know|how (?:i|we)(?:'d| would| should| could| can)|"
                     r"what (?:i|we) should)\b", re.IGNORECASE)
_WANTS = re.compile(r"\b(?:thinking (?:about|of)|(?:want|like|hope|hoping|plan|planning) to|"
                    r"interested in)\b", re.IGNORECASE)
# "Is there someone who could tell me how ...?", "Could someone who has worked in a pharmacy
# tell me whether ...?", "I'm looking for somebody who can explain what ...": who to ask for,
# then (group ``ask``) what the mentee wants to know, their words to the end of the sentence.
_FRAME = re.compile(
    r"^(?:(?:is|are)\s+there\s+(?:someone|anyone|somebody|anybody|an?\s+[\w-]+)"
    r"(?:\s+(?:here|out there))?|"
    r"(?:could|can|would|will|might)\s+(?:someone|anyone|somebody|anybody|one of you|you|"
    r"an?\s+[\w-]+(?:\s+[\w-]+)?)|"
    r"(?:i'?m|i am|we'?re|we are)\s+looking\s+for\s+(?:someone|somebody|anyone|anybody|"
    r"an?\s+[\w-]+(?:\s+[\w-]+)?))"
    r"(?:,?\s+(?:who|that)\s+[^?]*?)?"
    r",?\s+(?:(?:who|that)\s+)?(?:(?:could|can|would|might|will)\s+)?"
    r"(?:be\s+(?:able|willing|happy)\s+to\s+)?"
    r"(?:tell\s+(?:me|us)|explain(?:\s+to\s+(?:me|us))?|show\s+(?:me|us)|"
    r"help\s+(?:me|us)\s+(?:to\s+)?(?:understand|figure out|work out|see))\s+"
    r"(?P<ask>(?:how|what|whether|if|why|which|where|when|who)\b[^?]*?)[\s?.!]*$",
    re.IGNORECASE)


def asked_clause(sentence: str) -> str:
    """What a framed sentence wants to know ("Is there someone who could tell me how long a
    licence takes?" -> "how long a licence takes"); '' when the sentence has no such frame."""
    found = _FRAME.match(sentence.strip())
    if not found:
        return ""
    ask = " ".join(found.group("ask").split()).rstrip(" ,;:")
    if _FRAME_BACK.search(ask):
        return ""  # "how they started": "they" is the someone the frame asks for
    first, _, rest = ask.partition(" ")
    return f"whether {rest}" if first.lower() == "if" else first.lower() + " " + rest


def quoted_ask(text: str) -> tuple[list[str], str]:
    """The mentee's sentences to show, split in two: what framed sentences want to know (as
    clauses, "how long a licence takes") and the other sentences, whole."""
    clauses: list[str] = []
    others: list[str] = []
    for sentence in _SENTENCE_END.split(shown_sentences(text)):
        if clause := asked_clause(sentence):
            clauses.append(clause)
        elif sentence.strip():
            others.append(sentence.strip())
    return clauses, " ".join(others)


def shown_sentences(text: str, max_words: int = 40) -> str:
    """The mentee's sentences to quote: all of them when short, else the ones that ask: their
    questions first, then the sentences that say what they want or are unsure of ("I keep
    thinking about moving into health informatics."), as many as fit, in the order written."""
    if len(text.split()) <= max_words:
        return text
    parts = _SENTENCE_END.split(text)
    questions = [p for p in parts if p.endswith("?")]
    unsure = [p for p in parts if p not in questions and _UNSURE.search(p)]
    wants = [p for p in parts if p not in questions + unsure and _WANTS.search(p)]
    asking = questions + unsure + wants or parts[:1]
    kept: list[str] = []
    for part in asking:
        if kept and len(" ".join(kept + [part]).split()) > max_words:
            continue
        kept.append(part)
    for index, part in enumerate(parts):
        # "... whether I would need certification to do them safely.": what "them" is was
        # said just before, and is quoted with it when it fits.
        if (part in kept and index > 0 and parts[index - 1] not in kept
                and _POINTS_BACK.search(part)
                and len(" ".join(kept + [parts[index - 1]]).split()) <= max_words):
            kept.append(parts[index - 1])
    return " ".join(p for p in parts if p in kept)


_POINTS_BACK = re.compile(r"\b(?:it|its|them|they|these|those)\b", re.IGNORECASE)
# People in a framed sentence's ask, who can only be the someone the frame asks for ("tell me
# how they started"); "it" stays ("how long it takes to get a licence" says what it asks).
_FRAME_BACK = re.compile(r"\b(?:they|them|their|theirs|he|she|him|her|his)\b", re.IGNORECASE)


LANGUAGE_NAMES: dict[str, str] = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "zh": "Chinese", "ja": "Japanese",
    "ko": "Korean", "hi": "Hindi", "ar": "Arabic", "ru": "Russian", "tr": "Turkish",
    "sv": "Swedish", "uk": "Ukrainian", "vi": "Vietnamese", "id": "Indonesian", "el": "Greek",
    "da": "Danish", "no": "Norwegian", "fi": "Finnish", "he": "Hebrew", "cs": "Czech",
    "ro": "Romanian", "hu": "Hungarian", "th": "Thai", "sw": "Swahili", "bn": "Bengali",
}
