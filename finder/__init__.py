"""mentor-finder: find the right few experts for one focused question, and write to them."""

from __future__ import annotations

from finder.core.errors import (
    ArgumentError,
    BackendUnavailable,
    ConfigError,
    DatabaseError,
    IndexBusy,
    IngestError,
    MentorFinderError,
    MentorFullyBooked,
    MentorNotFound,
    ModelError,
    QueryError,
    RecordError,
    RequestError,
    RequestNotFound,
    StoreError,
    TooManyOpenRequests,
    TransitionNotAllowed,
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
    "FORMATS", "ArgumentError", "BackendUnavailable", "ConfigError", "DatabaseError", "IndexBusy",
    "IngestError", "IngestReport",
    "Match", "MatchReasons", "Mentor", "MentorFinder", "MentorFinderError", "MentorFullyBooked",
    "MentorNotFound", "ModelError", "Programme", "QueryError", "RecordError", "RecordProblem",
    "RequestError", "RequestNotFound", "SearchFilters", "StoreError", "TooManyOpenRequests",
    "TransitionNotAllowed", "connect",
]


def __getattr__(name: str):
    if name == "MentorFinder":
        from finder.search.service import MentorFinder

        return MentorFinder
    if name == "Programme":
        from finder.programme.service import Programme

        return Programme
    if name == "connect":  # the index and its requests database (see finder.compose.connect)
        from finder.compose import connect

        return connect
    raise AttributeError(name)
