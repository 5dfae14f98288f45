"""Requests to mentors, on SQLite and on a real PostgreSQL: lifecycle, limits, feedback, restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from finder.core.errors import (
    ConfigError,
    MentorFullyBooked,
    MentorNotFound,
    RequestError,
    RequestNotFound,
    TooManyOpenRequests,
    TransitionNotAllowed,
)
from finder.core.models import Mentor
from finder.programme.db import current_version, database_url, make_engine
from finder.programme.requests import RequestBook
from finder.programme.store import open_requests

ROOT = Path(__file__).resolve().parent.parent


def mentor(mentor_id: str, capacity: int | None = None) -> Mentor:
    return Mentor(id=mentor_id, name=f"Mentor {mentor_id}", bio="Helps with pricing and sales.",
                  max_requests_per_week=capacity)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


MENTORS = {m.id: m for m in [mentor("ana", 2), mentor("ben", 3), mentor("cy"), mentor("dee"),
                             mentor("eve"), mentor("fay"), mentor("gus")]}


def lookup(mentor_id: str) -> Mentor:
    try:
        return MENTORS[mentor_id]
    except KeyError:
        raise MentorNotFound(f"no mentor with id {mentor_id!r} in this index") from None


@pytest.fixture
def clock() -> Clock:
    return Clock()


def book(db_url: str, tmp_path: Path, clock: Clock, index: str = "acme", **kw: int) -> RequestBook:
    return open_requests(tmp_path, index, lookup, db_url=db_url, clock=clock, **kw)


def test_record_and_lifecycle(db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock)
    sent = requests.record("cy", "  price my  first freelance project ", "s1")
    assert (sent.status, sent.goal_summary, sent.index) == (
        "sent", "price my first freelance project", "acme")
    assert sent.sent_at == clock.now and sent.answered_at is None
    clock.advance(hours=5)
    accepted = requests.accept(sent.id)
    assert accepted.status == "accepted" and accepted.answered_at == clock.now
    clock.advance(days=2)
    rated = requests.rate(sent.id, "partly")
    assert (rated.status, rated.fit, rated.closed_at) == ("done", "partly", clock.now)
    assert requests.get(sent.id) == rated


def test_disallowed_transition_changes_nothing(db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock)
    request = requests.record("cy", "pricing", "s1")
    requests.decline(request.id)
    before = requests.get(request.id)
    with pytest.raises(TransitionNotAllowed, match="is declined; it can't become accepted"):
        requests.accept(request.id)
    with pytest.raises(TransitionNotAllowed, match="unknown status 'maybe'"):
        requests.set_status(request.id, "maybe")
    with pytest.raises(TransitionNotAllowed, match="only a request that led to a session"):
        requests.rate(request.id, "yes")
    assert requests.get(request.id) == before
    with pytest.raises(RequestNotFound):
        requests.get(999)
    with pytest.raises(MentorNotFound):
        requests.record("nobody", "pricing", "s1")
    with pytest.raises(RequestError):
        requests.record("cy", "   ", "s1")
    assert requests.counts() == {"declined": 1}


def test_at_most_five_open_requests_and_others_withdrawn_on_accept(
        db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock)
    sent = [requests.record(m, "pricing", "s1") for m in ["ana", "ben", "cy", "dee", "eve"]]
    assert requests.record("cy", "pricing", "s1").id == sent[2].id  # sending twice: one request
    with pytest.raises(TooManyOpenRequests, match="at most 5"):
        requests.record("fay", "pricing", "s1")
    assert len(requests.list(session_id="s1")) == 5
    requests.record("fay", "pricing", "another-session")
    requests.accept(sent[1].id)
    statuses = {r.mentor_id: r.status for r in requests.list(session_id="s1")}
    assert statuses == {"ana": "withdrawn", "ben": "accepted", "cy": "withdrawn",
                        "dee": "withdrawn", "eve": "withdrawn"}
    assert requests.list(mentor_id="fay")[0].status == "sent"  # other sessions untouched
    requests.record("gus", "pricing", "s1")  # slots free again


def test_open_limit_is_configurable(db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock, max_open=2)
    requests.record("cy", "pricing", "s1")
    requests.record("dee", "pricing", "s1")
    with pytest.raises(TooManyOpenRequests, match="at most 2"):
        requests.record("eve", "pricing", "s1")


def test_no_reply_after_seven_days_frees_the_slot(db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock, reply_days=3)
    first = requests.record("ana", "pricing", "s1")
    requests.record("ana", "sales", "s2")
    with pytest.raises(MentorFullyBooked, match="fully booked this week .2 of 2"):
        requests.record("ana", "pricing", "s3")
    clock.advance(days=3, seconds=1)
    expired = requests.expire_overdue()
    assert {r.status for r in expired} == {"no_reply"} and len(expired) == 2
    assert requests.get(first.id).status == "no_reply"
    assert requests.record("ana", "pricing", "s3").status == "sent"
    with pytest.raises(TransitionNotAllowed):
        requests.accept(first.id)


def test_weekly_capacity_and_next_opening(db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock)
    requests.record("ana", "pricing", "s1")
    clock.advance(days=2)
    requests.record("ana", "sales", "s2")
    load = requests.loads([MENTORS["ana"], MENTORS["cy"]])
    assert load["ana"].fully_booked and load["ana"].booked == 2
    assert load["ana"].next_opening == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert not load["cy"].fully_booked and load["cy"].capacity is None
    with pytest.raises(MentorFullyBooked) as caught:
        requests.record("ana", "hiring", "s3")
    assert caught.value.next_opening == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert "next opening Monday 30 November" in str(caught.value)
    clock.advance(days=5, seconds=1)  # the first request is now older than 7 days
    assert requests.record("ana", "hiring", "s3").status == "sent"


def test_indexes_never_mix(db_url: str, tmp_path: Path, clock: Clock) -> None:
    acme = book(db_url, tmp_path, clock, index="acme")
    globex = book(db_url, tmp_path, clock, index="globex")
    mine = acme.record("ana", "pricing", "s1")
    acme.record("ana", "sales", "s2")
    assert globex.record("ana", "pricing", "s1").status == "sent"  # acme's load doesn't count
    assert [r.index for r in globex.list()] == ["globex"]
    with pytest.raises(RequestNotFound):
        globex.get(mine.id)
    with pytest.raises(RequestNotFound):
        globex.accept(mine.id)
    assert acme.get(mine.id).status == "sent"
    assert acme.counts() == {"sent": 2} and globex.counts() == {"sent": 1}


def test_fit_answers_export_as_graded_judgments(db_url: str, tmp_path: Path, clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock)
    for mentor_id, session, fit in [("cy", "s1", "yes"), ("dee", "s2", "no"),
                                    ("eve", "s3", "partly")]:
        request = requests.record(mentor_id, "Price my design work", session)
        requests.accept(request.id)
        requests.rate(request.id, fit)
    requests.record("fay", "unrated ask", "s4")
    assert requests.export_judgments(tmp_path / "fb") == 3
    qrels = (tmp_path / "fb" / "qrels" / "feedback.tsv").read_text().splitlines()
    assert qrels == ["query-id\tcorpus-id\tscore", "fb0001\tcy\t2", "fb0001\tdee\t0",
                     "fb0001\teve\t1"]
    assert '"text": "Price my design work"' in (tmp_path / "fb" / "queries.jsonl").read_text()


def test_migrations_are_versioned_and_idempotent(db_url: str, tmp_path: Path, clock: Clock) -> None:
    book(db_url, tmp_path, clock)
    book(db_url, tmp_path, clock)  # a second open finds the schema current
    engine = make_engine(db_url)
    assert current_version(engine) == "0003"  # 0002: impressions, 0003: notified_at
    engine.dispose()


def test_requests_survive_a_restart_and_a_killed_process(
        db_url: str, tmp_path: Path, clock: Clock) -> None:
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from finder.core.models import Mentor
        from finder.programme.store import open_requests
        mentor = Mentor(id="cy", name="Cy", bio="Helps with pricing.")
        book = open_requests(__import__("pathlib").Path({str(tmp_path)!r}), "acme",
                             lambda _id: mentor, db_url={db_url!r})
        book.record("cy", "committed before the kill", "s1")
        print("recorded", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert "recorded" in child.stdout
    reopened = book(db_url, tmp_path, clock)
    assert [r.goal_summary for r in reopened.list()] == ["committed before the kill"]


def test_database_url_setting(tmp_path: Path) -> None:
    assert database_url(tmp_path, None) == f"sqlite:///{tmp_path / 'requests.sqlite3'}"
    assert database_url(tmp_path, "postgresql://u:p@db/x") == "postgresql+psycopg://u:p@db/x"
    with pytest.raises(ConfigError, match="MENTOR_FINDER_DB_URL=.*postgresql://"):
        database_url(tmp_path, "mysql://u:secret@db/x")
    with pytest.raises(ConfigError) as caught:
        database_url(tmp_path, "mysql://u:secret@db/x")
    assert "secret" not in str(caught.value)


def test_a_session_hears_once_that_a_request_lapsed(db_url: str, tmp_path: Path,
                                                     clock: Clock) -> None:
    requests = book(db_url, tmp_path, clock, reply_days=7)
    lapsing = requests.record("cy", "pricing", "s1")
    declined = requests.decline(requests.record("dee", "pricing", "s1").id)
    requests.record("eve", "pricing", "s2")
    assert [r.id for r in requests.take_lapsed("s1")] == [declined.id]
    assert requests.take_lapsed("s1") == []  # told once
    clock.advance(days=8)  # nobody answered cy: it lapses, and s1 hears it next time
    [news] = requests.take_lapsed("s1")
    assert (news.id, news.status) == (lapsing.id, "no_reply")
    assert requests.get(lapsing.id).notified_at == clock.now
    assert requests.take_lapsed("s1") == [] and requests.take_lapsed("s3") == []
    assert [r.status for r in requests.take_lapsed("s2")] == ["no_reply"]
