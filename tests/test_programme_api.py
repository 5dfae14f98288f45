"""The Python API of issue 9: ``finder.connect(...)`` then ``mf.requests.record(...)``."""

from __future__ import annotations

from pathlib import Path

import pytest

import finder
from finder import MentorFullyBooked, MentorNotFound, Programme, connect

PRICING = [
    {"id": "p1", "name": "Paula Price", "bio": "I price freelance design work and coach "
     "designers on pricing their projects and rates.", "skills": ["pricing"],
     "max_requests_per_week": 1},
    {"id": "p2", "name": "Pat Rates", "bio": "Pricing freelance design projects, rates and "
     "quotes for designers.", "skills": ["pricing"], "max_requests_per_week": 2},
]


def test_connect_gives_search_and_requests_in_one_object(
        tmp_path: Path, db_url: str, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    mf = connect(tmp_path, index="acme", db_url=db_url, embedder=hashing_embedder)
    assert isinstance(mf, Programme) and finder.connect is connect
    assert mf.ingest(PRICING).added == ["p1", "p2"] and mf.count() == 2
    assert {m.mentor.id for m in mf.search("pricing my freelance design work", k=2)} == {
        "p1", "p2"}
    request = mf.requests.record("p1", "pricing my freelance design work", "session-1")
    assert (request.mentor_id, request.status, request.index) == ("p1", "sent", "acme")
    with pytest.raises(MentorNotFound):
        mf.requests.record("nobody", "pricing", "session-1")
    # Reconnecting (a restart) finds the request, and the mentor's load, in the database.
    again = connect(tmp_path, index="acme", db_url=db_url, embedder=hashing_embedder)
    assert [r.id for r in again.requests.list(session_id="session-1")] == [request.id]
    assert again.loads()["p1"].booked == 1
    # p1 takes one request a week: now fully booked, shown last, and refused.
    shown = again.search("pricing my freelance design work", k=2)
    assert [m.mentor.id for m in shown] == ["p2", "p1"] and shown[1].fully_booked
    with pytest.raises(MentorFullyBooked):
        again.requests.record("p1", "pricing", "session-2")
