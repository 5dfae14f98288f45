"""The records mentor-finder reads and returns: mentors, filters, matches, ingest reports."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from functools import lru_cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, available_timezones

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from finder.core.errors import QueryError
from finder.core.text import clean_text, strip_controls

Format = Literal["video", "phone", "email", "chat", "in_person"]
FORMATS: tuple[str, ...] = ("video", "phone", "email", "chat", "in_person")

BIO_MAX_CHARS = 5000
"""A bio longer than this is rejected: micro-mentoring profiles are short, and longer text
is usually a paste error (a CV, a whole web page)."""

# Size limits: a record over one of these is rejected with the field and the limit.
NAME_MAX_CHARS = 200
HEADLINE_MAX_CHARS = 300
ORGANIZATION_MAX_CHARS = 200
ITEM_MAX_CHARS = 100  # one skill or industry
MAX_SKILLS = 50
MAX_INDUSTRIES = 20
MAX_LANGUAGES = 20
MAX_SESSION_LENGTHS = 10
EXTRA_MAX_FIELDS = 50
EXTRA_MAX_CHARS = 10_000  # all unknown fields together, as JSON

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}$")

def _iso_639_1() -> frozenset[str]:
    import pycountry

    return frozenset(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))


# ISO 639-1: the two-letter language codes (from pycountry's copy of the ISO tables).
ISO_639_1 = _iso_639_1()

# Offsets are read on two fixed days so that a stored index does not change with the season.
_WINTER = datetime(2026, 1, 15, 12)
_SUMMER = datetime(2026, 7, 15, 12)


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def utc_offsets(timezone: str) -> tuple[float, float]:
    """The UTC offsets in hours of an IANA time zone in January and in July."""
    zone = ZoneInfo(timezone)
    offsets = []
    for day in (_WINTER, _SUMMER):
        delta = day.replace(tzinfo=zone).utcoffset()
        offsets.append(delta.total_seconds() / 3600 if delta else 0.0)
    return offsets[0], offsets[1]


def _clean_list(value: Any, field: str, max_items: int = 1000,
                max_chars: int = ITEM_MAX_CHARS) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for part in value.split(";")]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{field} must be a list of strings, got {type(value).__name__}")
    if len(value) > max_items:
        raise ValueError(f"{field} has {len(value)} items; at most {max_items} are allowed")
    seen: dict[str, None] = {}
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"{field} must contain strings, got {type(item).__name__}")
        item = " ".join(clean_text(item).split())
        if len(item) > max_chars:
            raise ValueError(f"{field} has an item of {len(item)} characters "
                             f"({item[:30]!r}...); at most {max_chars} each")
        if item and item.lower() not in {s.lower() for s in seen}:
            seen[item] = None
    return list(seen)


def _clean_extra(value: Any) -> Any:
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, list):
        return [_clean_extra(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_extra(v) for k, v in value.items()}
    return value


def _problem_text(exc: ValidationError) -> tuple[str, str]:
    """(field, reason) of a validation error's first problem, in plain words."""
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error.get("loc") or ()) or "record"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    elif error["type"] not in {"value_error", "missing"}:
        message = f"{message} (got {error.get('input')!r:.40})"
    return field, message


class Mentor(BaseModel):
    """One mentor's profile. Fields not listed here are kept and returned as they came."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str = Field(description="Unique, stable id; letters, digits and . _ : @ + -")
    name: str = Field(min_length=1, max_length=NAME_MAX_CHARS)
    headline: str = Field(default="", max_length=HEADLINE_MAX_CHARS)
    bio: str = Field(min_length=1, max_length=BIO_MAX_CHARS)
    skills: list[str] = Field(default_factory=list)
    industries: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: ["en"])
    country: str | None = None
    timezone: str | None = None
    formats: list[Format] = Field(default_factory=list)
    session_minutes: list[int] = Field(default_factory=lambda: [30])
    years_experience: int | None = Field(default=None, ge=0, le=70)
    organization: str | None = Field(default=None, max_length=ORGANIZATION_MAX_CHARS)
    max_requests_per_week: int | None = Field(default=None, ge=0, le=1000)

    @field_validator("name", "headline", "bio", "organization", "country", "timezone",
                     mode="before")
    @classmethod
    def _no_controls(cls, value: Any) -> Any:
        return clean_text(value) if isinstance(value, str) else value

    @field_validator("years_experience", "max_requests_per_week", mode="before")
    @classmethod
    def _strict_int(cls, value: Any, info: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(f"{info.field_name} must be a whole number, got true/false")
        return value

    @model_validator(mode="after")
    def _bounded_extra(self) -> Mentor:
        extra = self.__pydantic_extra__
        if extra:
            if len(extra) > EXTRA_MAX_FIELDS:
                raise ValueError(f"the record has {len(extra)} fields the schema doesn't know; "
                                 f"at most {EXTRA_MAX_FIELDS} are kept")
            size = len(json.dumps(extra, ensure_ascii=False, default=str))
            if size > EXTRA_MAX_CHARS:
                raise ValueError(f"the fields the schema doesn't know take {size:,} characters "
                                 f"as JSON; at most {EXTRA_MAX_CHARS:,}")
            for key, value in extra.items():
                extra[key] = _clean_extra(value)
        return self

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not ID_PATTERN.match(value.strip()):
            raise ValueError(
                "id must be 1-128 characters: letters, digits and . _ : @ + - "
                "(starting with a letter or digit)"
            )
        return value.strip()

    @field_validator("skills", "industries", mode="before")
    @classmethod
    def _lists(cls, value: Any, info: Any) -> list[str]:
        most = MAX_SKILLS if info.field_name == "skills" else MAX_INDUSTRIES
        return _clean_list(value, info.field_name, most)

    @field_validator("languages", mode="before")
    @classmethod
    def _languages(cls, value: Any) -> list[str]:
        if isinstance(value, (list, tuple)) and not value:
            raise ValueError("languages is an empty list; leave the field out for the default "
                             "['en'], or list ISO 639-1 codes like 'en'")
        codes = [code.lower() for code in _clean_list(value, "languages", MAX_LANGUAGES)]
        unknown = [code for code in codes if code not in ISO_639_1]
        if unknown:
            raise ValueError(
                "languages must be ISO 639-1 codes like 'en' or 'de'; "
                f"unknown: {', '.join(unknown)}"
            )
        return codes or ["en"]

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: Any) -> list[str]:
        items = [item.lower().replace("-", "_").replace(" ", "_")
                 for item in _clean_list(value, "formats")]
        unknown = [item for item in items if item not in FORMATS]
        if unknown:
            raise ValueError(
                f"unknown format {', '.join(repr(u) for u in unknown)}; "
                f"allowed: {', '.join(FORMATS)}"
            )
        return items

    @field_validator("session_minutes", mode="before")
    @classmethod
    def _minutes(cls, value: Any) -> list[int]:
        if value is None or value == "":
            return [30]
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            value = str(value).split(";")
        if not isinstance(value, (list, tuple)):
            raise ValueError("session_minutes must be a list of whole minutes, e.g. [15, 30]")
        if not value:
            raise ValueError("session_minutes is an empty list; leave the field out for the "
                             "default [30], or list whole minutes like [15, 30]")
        if len(value) > MAX_SESSION_LENGTHS:
            raise ValueError(f"session_minutes has {len(value)} lengths; at most "
                             f"{MAX_SESSION_LENGTHS}")
        minutes: set[int] = set()
        for item in value:
            if isinstance(item, bool):
                raise ValueError("session_minutes must be whole minutes, got true/false")
            try:
                number = int(str(item).strip())
            except ValueError:
                raise ValueError(f"session_minutes must be whole minutes, got {item!r}") from None
            if not 5 <= number <= 240:
                raise ValueError(f"session_minutes must be between 5 and 240, got {number}")
            minutes.add(number)
        return sorted(minutes) or [30]

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if not value:
            return None
        import pycountry

        if not re.fullmatch(r"[A-Za-z]{2}", value) or pycountry.countries.get(
                alpha_2=value.upper()) is None:
            raise ValueError(f"country must be an ISO 3166-1 alpha-2 code like 'DE', "
                             f"got {value!r}")
        return value.upper()

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value not in _timezones():
            raise ValueError(f"{value!r} is not an IANA time zone name like 'Europe/Berlin'")
        return value

    @field_validator("organization", "headline", mode="before")
    @classmethod
    def _blank_to_default(cls, value: Any, info: Any) -> Any:
        if value is None:
            return None if info.field_name == "organization" else ""
        return value

    @property
    def extra(self) -> dict[str, Any]:
        """Fields the schema does not know, kept as they came."""
        return dict(self.__pydantic_extra__ or {})

    @property
    def min_minutes(self) -> int:
        return min(self.session_minutes)

    def search_text(self) -> str:
        """What the keyword index reads: headline, bio, skills and industries."""
        parts = [self.headline, self.bio]
        if self.skills:
            parts.append("Skills: " + ", ".join(self.skills) + ".")
        if self.industries:
            parts.append("Industries: " + ", ".join(self.industries) + ".")
        return "\n".join(part for part in parts if part)

    def content_hash(self) -> str:
        """Changes when anything about the mentor changes; unchanged records are not re-embedded."""
        payload = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class SearchFilters(BaseModel):
    """Hard constraints on a search; a mentor must satisfy every one that is set."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def __init__(self, /, **data: Any) -> None:
        """Validate; a bad or unknown filter raises `QueryError` naming it."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            field, reason = _problem_text(exc)
            if reason == "unknown field":
                reason = (f"unknown filter; the filters are "
                          f"{', '.join(type(self).model_fields)}")
            raise QueryError(f"SearchFilters {field}: {reason}") from None

    # Only a direct call comes here: ``model_validate`` and models with a SearchFilters field
    # keep pydantic's own errors, which their callers translate with the field's full path.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    formats: list[Format] | None = Field(
        default=None, description="Mentor offers at least one of these formats.")
    max_minutes: int | None = Field(
        default=None, ge=5, description="Mentor offers a session this short or shorter.")
    languages: list[str] | None = Field(
        default=None, description="Mentor speaks at least one of these (ISO 639-1).")
    utc_offset_min: float | None = Field(default=None, ge=-12, le=14)
    utc_offset_max: float | None = Field(default=None, ge=-12, le=14)
    industries: list[str] | None = Field(
        default=None, description="Mentor works in at least one of these (case-insensitive).")
    organization: str | None = None
    min_years_experience: int | None = Field(default=None, ge=0)
    countries: list[str] | None = None
    exclude_ids: list[str] | None = None

    @field_validator("languages", "countries", "industries", mode="before")
    @classmethod
    def _lower_list(cls, value: Any, info: Any) -> list[str] | None:
        if value is None:
            return None
        items = _clean_list(value, info.field_name)
        return [i.upper() if info.field_name == "countries" else i.lower() for i in items] or None

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: Any) -> Any:
        return Mentor._formats(value) or None if value is not None else None

    def accepts(self, mentor: Mentor) -> bool:
        """Whether ``mentor`` satisfies every constraint (the reference semantics of a filter)."""
        if self.formats and not set(self.formats) & set(mentor.formats):
            return False
        if self.max_minutes is not None and mentor.min_minutes > self.max_minutes:
            return False
        if self.languages and not set(self.languages) & set(mentor.languages):
            return False
        if self.utc_offset_min is not None or self.utc_offset_max is not None:
            if not mentor.timezone:
                return False
            low = -12.0 if self.utc_offset_min is None else self.utc_offset_min
            high = 14.0 if self.utc_offset_max is None else self.utc_offset_max
            if not any(low <= off <= high for off in utc_offsets(mentor.timezone)):
                return False
        if self.industries and not {i.lower() for i in mentor.industries} & set(self.industries):
            return False
        if self.organization is not None and mentor.organization != self.organization:
            return False
        if self.min_years_experience is not None and (
            mentor.years_experience is None or mentor.years_experience < self.min_years_experience
        ):
            return False
        if self.countries and mentor.country not in self.countries:
            return False
        return not (self.exclude_ids and mentor.id in self.exclude_ids)


Signal = Literal["semantic", "keyword"]


class MatchReasons(BaseModel):
    """Why a mentor matched a query, in terms a person can check against the profile."""

    matched_skills: list[str] = Field(default_factory=list)
    matched_terms: list[str] = Field(default_factory=list)
    best_sentence: str = ""
    signals: list[Signal] = Field(default_factory=list)
    semantic_rank: int | None = None
    keyword_rank: int | None = None

    def parts(self) -> list[str]:
        """Why a mentor matched, as short lines a person can check against the profile."""
        parts = []
        if self.matched_skills:
            parts.append("Skills: " + ", ".join(self.matched_skills))
        elif self.matched_terms:
            parts.append("Mentions: " + ", ".join(self.matched_terms))
        if self.best_sentence:
            parts.append(f"\u201c{self.best_sentence}\u201d")
        return parts

    def summary(self) -> str:
        """One line for a terminal or a prompt: the parts, then the ranking signals."""
        signals = ["ranked by " + " + ".join(self.signals)] if self.signals else []
        return "; ".join(self.parts() + signals)


class Match(BaseModel):
    """One search result: the mentor, its ranking score (higher is better; comparable within
    one search only), and why it matched."""

    mentor: Mentor
    score: float
    reasons: MatchReasons = Field(default_factory=MatchReasons)
    fully_booked: bool = Field(
        default=False, description="The mentor has no room this week (programme capacity).")
    next_opening: datetime | None = Field(
        default=None, description="When a fully booked mentor has room again.")


class RecordProblem(BaseModel):
    """Where a record is wrong, and how."""

    source: str = "<input>"
    location: int | None = None
    unit: Literal["line", "row", "item"] = "item"
    field: str | None = None
    mentor_id: str | None = None
    reason: str

    def __str__(self) -> str:
        where = self.source
        if self.location is not None:
            where += f", {self.unit} {self.location}"
        if self.mentor_id:
            where += f" (id {self.mentor_id!r})"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.reason}"


class IngestReport(BaseModel):
    """What an ingest did: ids added, updated, unchanged and removed, and records rejected."""

    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    removed: list[str] = Field(default_factory=list)
    repaired: list[str] = Field(
        default_factory=list, description="Unchanged mentors whose vectors were incomplete "
                                          "(e.g. after a crash) and were written again.")
    errors: list[RecordProblem] = Field(default_factory=list)
    total: int | None = Field(default=None, description="Mentors in the index after the "
                                                        "write, counted in the store.")
    from_shipped: int = Field(default=0, description="Mentors written from precomputed "
                                                     "(shipped) vectors.")
    embedded: int = Field(default=0, description="Mentors run through the embedding model.")

    def summary(self) -> str:
        repaired = f"{len(self.repaired)} repaired, " if self.repaired else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {repaired}{len(self.removed)} removed, "
            f"{len(self.errors)} rejected"
        )
