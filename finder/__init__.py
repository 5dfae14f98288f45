"""mentor-finder: find the right few experts for one focused question, and write to them."""

from __future__ import annotations

from finder.core.errors import (
    ArgumentError,
    BackendUnavailable,
    ConfigError,
    IndexBusy,
    IngestError,
    MentorFinderError,
    MentorNotFound,
    ModelError,
    QueryError,
    RecordError,
    StoreError,
)
from finder.core.models import (
    FORMATS,
    IngestReport,
    Match,
    MatchReasons,
    Mentor,
    RecordProblem,
    SearchFilters,
)

__all__ = [
    "FORMATS", "ArgumentError", "BackendUnavailable", "ConfigError", "IndexBusy", "IngestError",
    "IngestReport",
    "Match", "MatchReasons", "Mentor", "MentorFinder", "MentorFinderError", "MentorNotFound",
    "ModelError", "QueryError", "RecordError", "RecordProblem", "SearchFilters", "StoreError",
]


def __getattr__(name: str):
    if name == "MentorFinder":
        from finder.search.service import MentorFinder

        return MentorFinder
    raise AttributeError(name)
