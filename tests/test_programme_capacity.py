"""Capacity-aware ranking and the last slot under real concurrent writers (SQLite, PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from finder.core.models import Match, Mentor
from finder.programme.requests import MentorLoad
from finder.programme.ordering import programme_order
from finder.programme.service import Programme
from finder.search.service import MentorFinder
from finder.ui.web import card_html

ROOT = Path(__file__).resolve().parent.parent

PRICING = [
    {"id": "p1", "name": "Paula Price", "bio": "I price freelance design work and coach "
     "designers on pricing their projects and rates.", "skills": ["pricing"],
     "max_requests_per_week": 1},
    {"id": "p2", "name": "Pat Rates", "bio": "Pricing freelance design projects, rates and "
     "quotes for designers.", "skills": ["pricing"], "max_requests_per_week": 1},
    {"id": "p3", "name": "Pia Quote", "bio": "Freelance designers ask me about pricing design "
     "work and writing quotes.", "skills": ["pricing"], "max_requests_per_week": 1},
    {"id": "k1", "name": "Kim Cook", "bio": "Baking sourdough bread and running a bakery "
     "kitchen.", "skills": ["baking"]},
]


@pytest.fixture
def programme(tmp_path: Path, hashing_embedder, db_url: str) -> Programme:  # type: ignore[no-untyped-def]
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    finder.ingest(PRICING)
    return Programme.open(finder, index="acme", db_url=db_url)


def test_a_fully_booked_mentor_is_shown_after_mentors_with_room(programme: Programme) -> None:
    query = "pricing my freelance design work"
    before = [m.mentor.id for m in programme.search(query, k=4)]
    top = before[0]
    assert top.startswith("p") and not any(m.fully_booked for m in programme.search(query, k=4))
    programme.requests.record(top, query, "s1")  # every pricing mentor takes one a week
    after = programme.search(query, k=4)
    assert [m.mentor.id for m in after] == [*(i for i in before if i != top), top]
    assert after[-1].fully_booked and after[-1].next_opening is not None
    assert not any(m.fully_booked for m in after[:-1])
    assert [m.mentor.id for m in programme.search(query, k=2)] == before[1:3]


def test_order_puts_room_first_and_poor_fits_lower() -> None:
    mentors = [Mentor(id=i, name=i, bio="Pricing help for designers.") for i in "abc"]
    matches = [Match(mentor=m, score=s) for m, s in zip(mentors, [0.9, 0.8, 0.7])]
    opening = datetime(2026, 12, 1, 9, tzinfo=UTC)
    loads = {"a": MentorLoad(mentor_id="a", booked=2, capacity=2, next_opening=opening)}
    ordered = programme_order(matches, loads, {"b": 0.15})
    assert [m.mentor.id for m in ordered] == ["c", "b", "a"]
    assert ordered[2].fully_booked and ordered[2].next_opening == opening
    card = card_html(ordered[2])
    assert "Fully booked this week; next opening Tuesday 1 December" in card
    assert "Fully booked" not in card_html(ordered[0])


def test_poor_fit_feedback_lowers_a_mentor_for_similar_asks(programme: Programme) -> None:
    query = "pricing my freelance design work"
    first = programme.search(query, k=3)
    victim = first[0].mentor.id
    request = programme.requests.record(victim, "pricing my freelance design work, please", "s1")
    programme.requests.accept(request.id)
    programme.requests.rate(request.id, "no")
    after = {m.mentor.id: m.score for m in programme.reorder(query, first)}
    assert after[victim] == pytest.approx(first[0].score - 0.08, abs=1e-3)
    unrelated = programme.reorder("baking sourdough bread", first)
    assert {m.mentor.id: m.score for m in unrelated}[victim] == first[0].score


_RACER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from finder.core.errors import MentorFullyBooked
from finder.core.models import Mentor
from finder.programme.store import open_requests
mentor = Mentor(id="last", name="Lee Last", bio="Pricing.", max_requests_per_week={capacity})
book = open_requests(Path({home!r}), "acme", lambda _id: mentor, db_url={url!r})
go = Path({go!r})
Path({go!r} + "-ready-" + sys.argv[1]).touch()
while not go.exists():
    time.sleep(0.002)
try:
    book.record("last", "pricing", "session-" + sys.argv[1])
    print("booked")
except MentorFullyBooked:
    print("full")
"""


@pytest.mark.slow  # separate Python processes racing for one slot: an integration run
@pytest.mark.parametrize("capacity", [1, 3])
def test_racing_sessions_never_overbook(db_url: str, tmp_path: Path, capacity: int) -> None:
    go = tmp_path / "go"
    script = _RACER.format(root=str(ROOT), capacity=capacity, home=str(tmp_path), url=db_url,
                           go=str(go))
    from finder.programme.store import open_requests

    open_requests(tmp_path, "acme", lambda _id: None, db_url=db_url)  # type: ignore[arg-type,return-value]
    racers = [subprocess.Popen([sys.executable, "-c", script, str(n)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}) for n in range(5)]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("go-ready-*"))) < len(racers) and time.monotonic() < deadline:
        time.sleep(0.05)  # every racer has imported and opened the database
    go.touch()
    results = [racer.communicate(timeout=120) for racer in racers]
    outcomes = [out.strip() for out, _ in results]
    assert all(o in {"booked", "full"} for o in outcomes), [err for _, err in results]
    assert outcomes.count("booked") == capacity


def test_fair_order_only_reorders_within_the_margin() -> None:
    from finder.programme.ordering import fair_order

    mentors = [Mentor(id=i, name=i, bio="Pricing help for designers.") for i in "abcd"]
    matches = [Match(mentor=m, score=s) for m, s in zip(mentors, [0.90, 0.89, 0.80, 0.79])]
    exposure = {"a": 100.0, "b": 0.0, "c": 100.0, "d": 0.0}
    assert [m.mentor.id for m in fair_order(matches, exposure, 0.02)] == ["b", "a", "d", "c"]
    assert [m.mentor.id for m in fair_order(matches, exposure, 0.0)] == ["a", "b", "c", "d"]
    booked = [matches[0].model_copy(update={"fully_booked": True}), *matches[1:]]
    assert [m.mentor.id for m in fair_order(booked, {"b": 9.0}, 0.5)][-1] == "a"


def test_a_mentor_who_never_answered_has_room_again_in_the_next_search(
        tmp_path: Path, hashing_embedder, db_url: str) -> None:  # type: ignore[no-untyped-def]
    now = [datetime(2026, 11, 23, 9, 0, tzinfo=UTC)]
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    finder.ingest(PRICING)
    programme = Programme.open(finder, index="acme", db_url=db_url, reply_days=3,
                               clock=lambda: now[0])
    query = "how should I price my freelance design projects"
    top = programme.search(query, k=4)[0].mentor.id
    programme.requests.record(top, query, "s1")
    assert [m.mentor.id for m in programme.search(query, k=4) if m.fully_booked] == [top]
    now[0] += timedelta(days=3, seconds=1)  # no answer within three days: the request lapses
    found = programme.search(query, k=4)
    assert found[0].mentor.id == top and not any(m.fully_booked for m in found)


def test_after_no_reply_the_mentee_is_offered_the_next_best(programme: Programme) -> None:
    query = "pricing my freelance design work"
    first = programme.search(query, k=1)[0].mentor.id
    request = programme.requests.record(first, query, "s1")
    programme.requests.set_status(request.id, "no_reply")
    offered = [m.mentor.id for m in programme.next_best(request.id, k=2)]
    assert first not in offered and len(offered) == 2
    assert all(i.startswith("p") for i in offered)


def test_the_chat_says_when_every_match_is_booked() -> None:
    from finder.ui.web import all_booked_note

    mentor = Mentor(id="a", name="A", bio="Pricing help.")
    opening = datetime(2026, 12, 1, tzinfo=UTC)
    booked = Match(mentor=mentor, score=0.5, fully_booked=True, next_opening=opening)
    assert "first opening is on Tuesday 1 December" in all_booked_note([booked, booked])
    assert all_booked_note([booked, Match(mentor=mentor, score=0.4)]) == ""
