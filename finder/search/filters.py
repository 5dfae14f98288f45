"""Search filters in the two places they are enforced: Chroma metadata and in-memory masks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from finder.core.models import Mentor, SearchFilters, utc_offsets


def row_metadata(mentor: Mentor) -> dict[str, Any]:
    """What every stored vector of a mentor carries, so that Chroma can filter on it."""
    meta: dict[str, Any] = {
        "mentor_id": mentor.id, "min_minutes": mentor.min_minutes,
        "languages": list(mentor.languages),
    }
    if mentor.formats:
        meta["formats"] = list(mentor.formats)
    if mentor.industries:
        meta["industries"] = [i.lower() for i in mentor.industries]
    if mentor.timezone:
        meta["tz_winter"], meta["tz_summer"] = utc_offsets(mentor.timezone)
    if mentor.years_experience is not None:
        meta["years"] = mentor.years_experience
    if mentor.organization:
        meta["organization"] = mentor.organization
    if mentor.country:
        meta["country"] = mentor.country
    return meta


def _any_of(key: str, values: Sequence[str]) -> dict[str, Any]:
    clauses = [{key: {"$contains": v}} for v in values]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def is_empty(filters: SearchFilters | None) -> bool:
    return filters is None or filters == SearchFilters()


def chroma_where(filters: SearchFilters | None) -> dict[str, Any] | None:
    """The Chroma ``where`` clause equivalent to ``filters.accepts`` (None when unfiltered)."""
    if filters is None:
        return None
    f = filters
    clauses: list[dict[str, Any]] = []
    if f.formats:
        clauses.append(_any_of("formats", f.formats))
    if f.max_minutes is not None:
        clauses.append({"min_minutes": {"$lte": f.max_minutes}})
    if f.languages:
        clauses.append(_any_of("languages", f.languages))
    if f.industries:
        clauses.append(_any_of("industries", f.industries))
    if f.utc_offset_min is not None or f.utc_offset_max is not None:
        low = -12.0 if f.utc_offset_min is None else f.utc_offset_min
        high = 14.0 if f.utc_offset_max is None else f.utc_offset_max
        clauses.append({"$or": [
            {"$and": [{season: {"$gte": low}}, {season: {"$lte": high}}]}
            for season in ("tz_winter", "tz_summer")
        ]})
    if f.organization is not None:
        clauses.append({"organization": f.organization})
    if f.min_years_experience is not None:
        clauses.append({"years": {"$gte": f.min_years_experience}})
    if f.countries:
        clauses.append({"country": {"$in": list(f.countries)}})
    if f.exclude_ids:
        clauses.append({"mentor_id": {"$nin": list(f.exclude_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
