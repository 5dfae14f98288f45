"""Requests to mentors: record one, move it through its lifecycle, ask how the session went.

    sent ──► accepted ──► done (+ "was this a good fit?": yes / partly / no)
      │          └──────► withdrawn
      ├──► declined
      ├──► no_reply      (nobody answered within ``reply_days``; frees the mentor's slot)
      └──► withdrawn     (the mentee withdrew, or another of their requests was accepted)

Every change is one transaction: a refused change (a bad transition, a full mentor, too many
open requests) raises a ``RequestError`` and leaves the database as it was.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine

from finder.core.errors import (
    MentorFullyBooked,
    RequestError,
    RequestNotFound,
    TooManyOpenRequests,
    TransitionNotAllowed,
)
from finder.core.models import Mentor
from finder.programme.db import lock, reading, transaction

Status = Literal["sent", "accepted", "declined", "done", "no_reply", "withdrawn"]
Fit = Literal["yes", "partly", "no"]
STATUSES: tuple[str, ...] = ("sent", "accepted", "declined", "done", "no_reply", "withdrawn")
FITS: tuple[str, ...] = ("yes", "partly", "no")
TRANSITIONS: dict[str, frozenset[str]] = {
    "sent": frozenset({"accepted", "declined", "no_reply", "withdrawn"}),
    "accepted": frozenset({"done", "withdrawn"}),
}
BOOKING = ("sent", "accepted", "done")  # what takes one of the mentor's weekly slots
FIT_GRADE = {"yes": 2, "partly": 1, "no": 0}
CAPACITY_WINDOW = timedelta(days=7)

_metadata = sa.MetaData()
requests_table = sa.Table(
    "requests", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("index_name", sa.String(128), nullable=False),
    sa.Column("mentor_id", sa.String(128), nullable=False),
    sa.Column("session_id", sa.String(128), nullable=False),
    sa.Column("goal_summary", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("sent_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("answered_at", sa.DateTime),
    sa.Column("closed_at", sa.DateTime),
    sa.Column("fit", sa.String(8)),
    sa.Column("fit_at", sa.DateTime),
    sa.Column("notified_at", sa.DateTime),  # when the mentee's session heard it lapsed
)
T = requests_table.c


def utc_now() -> datetime:
    return datetime.now(UTC)


def _naive(moment: datetime) -> datetime:
    """Stored as naive UTC, the one form SQLite and PostgreSQL both keep as given."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


class MentorRequest(BaseModel):
    """One request a mentee sent to a mentor, and what became of it."""

    id: int
    index: str
    mentor_id: str
    session_id: str
    goal_summary: str
    status: Status
    sent_at: datetime
    updated_at: datetime
    answered_at: datetime | None = None
    closed_at: datetime | None = None
    fit: Fit | None = None
    fit_at: datetime | None = None
    notified_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "sent"


class MentorLoad(BaseModel):
    """How many requests a mentor took in the last 7 days, against their weekly capacity."""

    mentor_id: str
    booked: int
    capacity: int | None  # None: the mentor set no limit
    next_opening: datetime | None = None  # when a slot frees up, if fully booked

    @property
    def fully_booked(self) -> bool:
        return self.capacity is not None and self.booked >= self.capacity


def _row(row: sa.Row) -> MentorRequest:
    data = dict(row._mapping)
    data["index"] = data.pop("index_name")
    for key in ("sent_at", "updated_at", "answered_at", "closed_at", "fit_at", "notified_at"):
        data[key] = _aware(data[key])
    return MentorRequest.model_validate(data)


def next_opening(booked_at: Sequence[datetime], capacity: int) -> datetime | None:
    """When the mentor has room again: the oldest request that must age out, plus 7 days."""
    if capacity <= 0 or len(booked_at) < capacity:
        return None
    ordered = sorted(booked_at)
    return ordered[len(ordered) - capacity] + CAPACITY_WINDOW


class RequestBook:
    """The requests of one index, in one database; other indexes' rows are never read."""

    def __init__(self, engine: Engine, index: str, mentor_of: Callable[[str], Mentor], *,
                 max_open: int = 5, reply_days: int = 7,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.index = index
        self.mentor_of = mentor_of
        self.max_open = max_open
        self.reply_after = timedelta(days=reply_days)
        self.clock = clock

    def _now(self) -> datetime:
        return _naive(self.clock())

    def _mine(self) -> sa.ColumnElement[bool]:
        return T.index_name == self.index

    # -- writing ---------------------------------------------------------------------------

    def record(self, mentor_id: str, goal_summary: str, session_id: str) -> MentorRequest:
        """Record that this mentee session sent this mentor a request (the draft was sent).

        Sending the same mentor again from the same session returns the open request. Raises
        MentorNotFound, MentorFullyBooked or TooManyOpenRequests, and then records nothing.
        """
        mentor = self.mentor_of(mentor_id)
        goal_summary = " ".join(str(goal_summary).split())
        session_id = str(session_id).strip()
        if not goal_summary or not session_id:
            raise RequestError("a request needs a goal summary and a session id")
        with transaction(self.engine) as conn:
            lock(conn, f"{self.index}:mentor:{mentor_id}")
            lock(conn, f"{self.index}:session:{session_id}")
            now = self._now()
            self._expire(conn, now)
            same = conn.execute(sa.select(requests_table).where(
                self._mine(), T.mentor_id == mentor_id, T.session_id == session_id,
                T.status.in_(("sent", "accepted")))).first()
            if same is not None:
                return _row(same)
            open_count = conn.execute(sa.select(sa.func.count()).where(
                self._mine(), T.session_id == session_id, T.status == "sent")).scalar_one()
            if open_count >= self.max_open:
                raise TooManyOpenRequests(
                    f"this session already has {open_count} requests waiting for an answer "
                    f"(at most {self.max_open}); withdraw one or wait for a reply first")
            load = self._load(conn, [mentor], now)[mentor.id]
            if load.fully_booked:
                opening = load.next_opening
                when = (f"; next opening {opening:%A} {opening.day} {opening:%B}" if opening
                        else "")
                raise MentorFullyBooked(
                    f"{mentor.name} is fully booked this week ({load.booked} of "
                    f"{load.capacity} requests){when}; choose another mentor",
                    _aware(load.next_opening))
            new_id = conn.execute(requests_table.insert().values(
                index_name=self.index, mentor_id=mentor_id, session_id=session_id,
                goal_summary=goal_summary, status="sent", sent_at=now, updated_at=now,
            ).returning(T.id)).scalar_one()
            return self._get(conn, new_id)

    def set_status(self, request_id: int, status: str) -> MentorRequest:
        """Move a request on (accepted, declined, done, no_reply, withdrawn).

        Accepting one request withdraws the session's other open requests.
        """
        if status not in STATUSES:
            raise TransitionNotAllowed(f"unknown status {status!r}; use one of "
                                       f"{', '.join(STATUSES)}")
        with transaction(self.engine) as conn:
            current = self._get(conn, request_id)
            lock(conn, f"{self.index}:session:{current.session_id}")
            now = self._now()
            self._expire(conn, now)
            current = self._get(conn, request_id)
            if status not in TRANSITIONS.get(current.status, frozenset()):
                allowed = sorted(TRANSITIONS.get(current.status, ()))
                raise TransitionNotAllowed(
                    f"request {request_id} is {current.status}; it can't become {status}"
                    + (f" (it can become {', '.join(allowed)})" if allowed
                       else " (that status is final)"))
            values: dict[str, object] = {"status": status, "updated_at": now}
            if status in ("accepted", "declined"):
                values["answered_at"] = now
            if status != "accepted":
                values["closed_at"] = now
            conn.execute(requests_table.update().where(
                self._mine(), T.id == request_id).values(**values))
            if status == "accepted":
                conn.execute(requests_table.update().where(
                    self._mine(), T.session_id == current.session_id, T.status == "sent",
                    T.id != request_id,
                ).values(status="withdrawn", updated_at=now, closed_at=now))
            return self._get(conn, request_id)

    def accept(self, request_id: int) -> MentorRequest:
        return self.set_status(request_id, "accepted")

    def decline(self, request_id: int) -> MentorRequest:
        return self.set_status(request_id, "declined")

    def withdraw(self, request_id: int) -> MentorRequest:
        return self.set_status(request_id, "withdrawn")

    def done(self, request_id: int) -> MentorRequest:
        return self.set_status(request_id, "done")

    def rate(self, request_id: int, fit: str) -> MentorRequest:
        """The mentee's answer to "was this a good fit?" after the session (yes/partly/no).

        An accepted request becomes done; a request that never led to a session can't be rated.
        """
        if fit not in FITS:
            raise TransitionNotAllowed(f"fit must be one of {', '.join(FITS)}, got {fit!r}")
        with transaction(self.engine) as conn:
            current = self._get(conn, request_id)
            if current.status not in ("accepted", "done"):
                raise TransitionNotAllowed(
                    f"request {request_id} is {current.status}; only a request that led to a "
                    "session (accepted or done) can be rated")
            now = self._now()
            values: dict[str, object] = {"fit": fit, "fit_at": now, "updated_at": now}
            if current.status == "accepted":
                values.update(status="done", closed_at=now)
            conn.execute(requests_table.update().where(
                self._mine(), T.id == request_id).values(**values))
            return self._get(conn, request_id)

    def take_lapsed(self, session_id: str) -> list[MentorRequest]:
        """This session's requests that lapsed (no reply) or were declined and that the mentee
        hasn't been told about yet; they count as told from now on (once, across processes)."""
        # Asked on every turn and nearly always empty: a read (no lock) finds out whether there
        # is anything to expire or to tell before a write transaction is begun.
        with reading(self.engine) as conn:
            if not self._overdue(conn, self._now(), session_id):
                return []
        with transaction(self.engine) as conn:
            lock(conn, f"{self.index}:session:{session_id}")
            now = self._now()
            self._expire(conn, now)
            news = [_row(r) for r in conn.execute(sa.select(requests_table).where(
                self._mine(), T.session_id == str(session_id),
                T.status.in_(("no_reply", "declined")), T.notified_at.is_(None),
            ).order_by(T.id))]
            if news:
                conn.execute(requests_table.update().where(
                    self._mine(), T.id.in_([r.id for r in news])).values(notified_at=now))
            return news

    def expire_overdue(self) -> list[MentorRequest]:
        """Requests nobody answered within ``reply_days`` become no_reply; returns them."""
        with transaction(self.engine) as conn:
            return self._expire(conn, self._now())

    def _overdue(self, conn: Connection, now: datetime, session_id: str | None = None) -> bool:
        """Whether a request is waiting to be expired (``_expire`` would change something), or,
        with ``session_id``, that session has a lapsed or declined request not yet told."""
        due = sa.and_(T.status == "sent", T.sent_at < now - self.reply_after)
        if session_id is not None:
            due = sa.or_(due, sa.and_(T.session_id == str(session_id),
                                      T.status.in_(("no_reply", "declined")),
                                      T.notified_at.is_(None)))
        return conn.execute(sa.select(T.id).where(self._mine(), due).limit(1)).first() is not None

    def _expire(self, conn: Connection, now: datetime) -> list[MentorRequest]:
        overdue = [_row(r) for r in conn.execute(sa.select(requests_table).where(
            self._mine(), T.status == "sent", T.sent_at < now - self.reply_after))]
        if overdue:
            conn.execute(requests_table.update().where(
                self._mine(), T.id.in_([r.id for r in overdue]),
            ).values(status="no_reply", updated_at=now, closed_at=now))
        return [r.model_copy(update={"status": "no_reply", "closed_at": _aware(now)})
                for r in overdue]

    # -- reading ---------------------------------------------------------------------------

    def _get(self, conn: Connection, request_id: int) -> MentorRequest:
        row = conn.execute(sa.select(requests_table).where(
            self._mine(), T.id == int(request_id))).first()
        if row is None:
            raise RequestNotFound(f"no request {request_id} in index {self.index!r}")
        return _row(row)

    def get(self, request_id: int) -> MentorRequest:
        with transaction(self.engine) as conn:
            self._expire(conn, self._now())
            return self._get(conn, request_id)

    def list(self, *, session_id: str | None = None, mentor_id: str | None = None,
             status: str | None = None) -> list[MentorRequest]:
        """This index's requests, newest first, optionally of one session, mentor or status."""
        query = sa.select(requests_table).where(self._mine())
        if session_id is not None:
            query = query.where(T.session_id == session_id)
        if mentor_id is not None:
            query = query.where(T.mentor_id == mentor_id)
        if status is not None:
            query = query.where(T.status == status)
        with transaction(self.engine) as conn:
            self._expire(conn, self._now())
            return [_row(r) for r in conn.execute(query.order_by(T.sent_at.desc(),
                                                                   T.id.desc()))]

    def counts(self) -> dict[str, int]:
        """How many requests are in each status."""
        with transaction(self.engine) as conn:
            self._expire(conn, self._now())
            rows = conn.execute(sa.select(T.status, sa.func.count()).where(
                self._mine()).group_by(T.status))
            return {status: n for status, n in rows}

    def loads(self, mentors: Sequence[Mentor]) -> dict[str, MentorLoad]:
        """Each mentor's requests in the last 7 days against their weekly capacity."""
        with transaction(self.engine) as conn:
            now = self._now()
            self._expire(conn, now)
            return self._load(conn, mentors, now)

    def _load(self, conn: Connection, mentors: Sequence[Mentor],
              now: datetime) -> dict[str, MentorLoad]:
        ids = [m.id for m in mentors]
        booked: dict[str, list[datetime]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            for mentor_id, sent_at in conn.execute(sa.select(T.mentor_id, T.sent_at).where(
                    self._mine(), T.mentor_id.in_(ids[start:start + 500]),
                    T.status.in_(BOOKING), T.sent_at > now - CAPACITY_WINDOW)):
                booked[mentor_id].append(sent_at)
        return {m.id: MentorLoad(
            mentor_id=m.id, booked=len(booked[m.id]), capacity=m.max_requests_per_week,
            next_opening=_aware(next_opening(booked[m.id], m.max_requests_per_week))
            if m.max_requests_per_week is not None else None) for m in mentors}

    def standing(self, mentors: Sequence[Mentor]
                 ) -> tuple[dict[str, MentorLoad], list[tuple[str, str, str]]]:
        """``loads`` and ``ratings`` of these mentors, read together (every search asks for
        both): one read without a lock, unless a request is due to expire first."""
        with reading(self.engine) as conn:
            now = self._now()
            if not self._overdue(conn, now):
                return (self._load(conn, mentors, now),
                        self._ratings(conn, [m.id for m in mentors]))
        return self.loads(mentors), self.ratings([m.id for m in mentors])

    def ratings(self, mentor_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        """(mentor id, goal summary, fit) of every rated request of these mentors."""
        with reading(self.engine) as conn:
            return self._ratings(conn, mentor_ids)

    def _ratings(self, conn: Connection, mentor_ids: Sequence[str]) -> list[tuple[str, str, str]]:
        return [(m, g, f) for m, g, f in conn.execute(
            sa.select(T.mentor_id, T.goal_summary, T.fit).where(
                self._mine(), T.mentor_id.in_(list(mentor_ids)), T.fit.is_not(None)))]

    def export_judgments(self, directory: str | Path) -> int:
        """Write the fit answers as a graded-judgment dataset (queries.jsonl + qrels/feedback.tsv,
        the layout of ``eval/datasets``): yes = 2, partly = 1, no = 0. Returns the judgments."""
        with transaction(self.engine) as conn:
            rows = list(conn.execute(sa.select(T.goal_summary, T.mentor_id, T.fit).where(
                self._mine(), T.fit.is_not(None)).order_by(T.id)))
        queries: dict[str, str] = {}
        grades: dict[tuple[str, str], list[int]] = {}
        for goal, mentor_id, fit in rows:
            key = goal.lower()
            query_id = queries.setdefault(key, f"fb{len(queries) + 1:04d}")
            grades.setdefault((query_id, mentor_id), []).append(FIT_GRADE[fit])
        texts = {}
        for goal, _, _ in rows:
            texts.setdefault(queries[goal.lower()], goal)
        out = Path(directory)
        (out / "qrels").mkdir(parents=True, exist_ok=True)
        with (out / "queries.jsonl").open("w", encoding="utf-8") as handle:
            for query_id, text in texts.items():
                handle.write(json.dumps({"_id": query_id, "text": text,
                                         "metadata": {"source": "fit feedback"}}) + "\n")
        with (out / "qrels" / "feedback.tsv").open("w", encoding="utf-8") as handle:
            handle.write("query-id\tcorpus-id\tscore\n")
            for (query_id, mentor_id), values in grades.items():
                # Several answers for one pair: the most common grade, the lower on a tie.
                grade = min(Counter(values).most_common(), key=lambda kv: (-kv[1], kv[0]))[0]
                handle.write(f"{query_id}\t{mentor_id}\t{grade}\n")
        return len(grades)
