"""Impressions: how often each mentor was shown to mentees, kept in the requests database.

One row per index, mentor and UTC day with a count, so the table grows with mentors and days,
not with searches; several processes (web workers, the CLI) add to the same counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from finder.programme.db import transaction
from finder.programme.requests import utc_now

WINDOW_DAYS = 7  # "recent": today and the six days before (UTC), like the capacity window

_metadata = sa.MetaData()
impressions_table = sa.Table(
    "impressions", _metadata,
    sa.Column("index_name", sa.String(128), primary_key=True),
    sa.Column("mentor_id", sa.String(128), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("shown", sa.Integer, nullable=False),
)
C = impressions_table.c


def _upsert(conn: Connection, rows: list[dict[str, object]]) -> None:
    """Add each row's count to the stored one (one statement; SQLite and PostgreSQL alike)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(impressions_table).values(rows)
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[C.index_name, C.mentor_id, C.day],
        set_={"shown": C.shown + stmt.excluded.shown}))


class ImpressionLog:
    """The impressions of one index; other indexes' counts are never read or changed."""

    def __init__(self, engine: Engine, index: str, *,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.index = index
        self.clock = clock

    def _today(self) -> date:
        now = self.clock()
        return (now.astimezone(UTC) if now.tzinfo else now).date()  # naive means UTC

    def record(self, mentor_ids: Iterable[str]) -> None:
        """Count one impression for each id (an id listed twice counts twice)."""
        counts = Counter(mentor_ids)
        if not counts:
            return
        today = self._today()
        rows: list[dict[str, object]] = [
            {"index_name": self.index, "mentor_id": m, "day": today, "shown": n}
            for m, n in sorted(counts.items())]
        with transaction(self.engine) as conn:
            _upsert(conn, rows)

    def recent(self, mentor_ids: Sequence[str]) -> dict[str, int]:
        """Each mentor's impressions in the last 7 days (0 for one never shown)."""
        since = self._today() - timedelta(days=WINDOW_DAYS - 1)
        ids = list(dict.fromkeys(mentor_ids))
        shown = dict.fromkeys(ids, 0)
        with transaction(self.engine) as conn:
            for start in range(0, len(ids), 500):
                for mentor_id, n in conn.execute(
                        sa.select(C.mentor_id, sa.func.sum(C.shown)).where(
                            C.index_name == self.index, C.mentor_id.in_(ids[start:start + 500]),
                            C.day >= since).group_by(C.mentor_id)):
                    shown[mentor_id] = int(n)
        return shown

    def total(self) -> int:
        """All impressions in the last 7 days, over every mentor of this index."""
        since = self._today() - timedelta(days=WINDOW_DAYS - 1)
        with transaction(self.engine) as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.sum(C.shown), 0)).where(
                C.index_name == self.index, C.day >= since)).scalar_one())
