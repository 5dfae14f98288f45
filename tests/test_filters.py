"""filters.chroma_where: the Chroma clause for each constraint, alone and combined."""

from __future__ import annotations

from finder.core.models import Mentor, SearchFilters
from finder.search.filters import chroma_where, is_empty, row_metadata


def test_no_filter_means_no_clause() -> None:
    assert chroma_where(None) is None
    assert chroma_where(SearchFilters()) is None
    assert is_empty(None) and is_empty(SearchFilters())


def test_single_constraints() -> None:
    assert chroma_where(SearchFilters(formats=["video"])) == {"formats": {"$contains": "video"}}
    assert chroma_where(SearchFilters(languages=["EN", "de"])) == {
        "$or": [{"languages": {"$contains": "en"}}, {"languages": {"$contains": "de"}}]}
    assert chroma_where(SearchFilters(max_minutes=20)) == {"min_minutes": {"$lte": 20}}
    assert chroma_where(SearchFilters(industries=["Law"])) == {
        "industries": {"$contains": "law"}}
    assert chroma_where(SearchFilters(organization="acme")) == {"organization": "acme"}
    assert chroma_where(SearchFilters(min_years_experience=5)) == {"years": {"$gte": 5}}
    assert chroma_where(SearchFilters(countries=["es"])) == {"country": {"$in": ["ES"]}}
    assert chroma_where(SearchFilters(exclude_ids=["a"])) == {"mentor_id": {"$nin": ["a"]}}


def test_time_zone_window_checks_winter_or_summer_offset() -> None:
    where = chroma_where(SearchFilters(utc_offset_min=0))
    assert where == {"$or": [
        {"$and": [{"tz_winter": {"$gte": 0}}, {"tz_winter": {"$lte": 14.0}}]},
        {"$and": [{"tz_summer": {"$gte": 0}}, {"tz_summer": {"$lte": 14.0}}]}]}


def test_several_constraints_are_anded() -> None:
    where = chroma_where(SearchFilters(formats=["chat"], max_minutes=30))
    assert where == {"$and": [{"formats": {"$contains": "chat"}},
                              {"min_minutes": {"$lte": 30}}]}


def test_row_metadata_carries_what_the_clauses_read() -> None:
    m = Mentor.model_validate(dict(
        id="x-1", name="Ana", headline="Lawyer", bio="I advise startups on contracts.",
        formats=["video"], industries=["Law"], timezone="Europe/Madrid", years_experience=7,
        organization="acme", country="ES", session_minutes=[20, 45]))
    meta = row_metadata(m)
    assert meta["mentor_id"] == "x-1" and meta["min_minutes"] == 20
    assert meta["industries"] == ["law"] and meta["formats"] == ["video"]
    assert (meta["tz_winter"], meta["tz_summer"]) == (1.0, 2.0)
    assert meta["years"] == 7 and meta["organization"] == "acme" and meta["country"] == "ES"
