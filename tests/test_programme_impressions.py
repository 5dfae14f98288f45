"""Impressions persisted in the requests database (SQLite, PostgreSQL): restarts, processes, fairness."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from finder.programme.impressions import ImpressionLog
from finder.programme.service import Programme
from finder.programme.store import open_database
from finder.search.service import MentorFinder

ROOT = Path(__file__).resolve().parent.parent

PRICING = [
    {"id": f"p{i}", "name": f"Pricing Mentor {i}", "bio": "I help freelance designers price "
     f"their design work, set rates and write quotes ({i}).", "skills": ["pricing"]}
    for i in range(1, 7)
]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def log(db_url: str, tmp_path: Path, clock: Clock, index: str = "acme") -> ImpressionLog:
    return ImpressionLog(open_database(tmp_path, db_url), index, clock=clock)


def test_impressions_add_up_per_mentor_and_day(db_url: str, tmp_path: Path) -> None:
    clock = Clock()
    shown = log(db_url, tmp_path, clock)
    shown.record(["a", "b", "a"])
    shown.record(["a"])
    clock.now += timedelta(days=1)
    shown.record(["b"])
    assert shown.recent(["a", "b", "c"]) == {"a": 3, "b": 2, "c": 0}
    assert shown.total() == 5
    clock.now += timedelta(days=6)  # the first day's impressions are now 7 days old
    assert shown.recent(["a", "b"]) == {"a": 0, "b": 1}


def test_impressions_survive_a_restart_are_shared_and_stay_in_their_index(
        db_url: str, tmp_path: Path) -> None:
    clock = Clock()
    log(db_url, tmp_path, clock).record(["a", "b"])
    # Another process adds to the same counts.
    script = textwrap.dedent(f"""
        import sys
        from datetime import UTC, datetime
        sys.path.insert(0, {str(ROOT)!r})
        from finder.programme.impressions import ImpressionLog
        from finder.programme.store import open_database
        engine = open_database(__import__("pathlib").Path({str(tmp_path)!r}), {db_url!r})
        ImpressionLog(engine, "acme", clock=lambda: datetime(2026, 11, 23, 12, tzinfo=UTC)
                      ).record(["a"])
    """)
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.returncode == 0, child.stderr
    reopened = log(db_url, tmp_path, clock)  # a restart: a new engine on the same database
    assert reopened.recent(["a", "b"]) == {"a": 2, "b": 1}
    assert log(db_url, tmp_path, clock, index="other").recent(["a", "b"]) == {"a": 0, "b": 0}


def test_programme_search_records_impressions_and_fairness_reads_them(
        db_url: str, tmp_path: Path, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    finder.ingest(PRICING)
    query = "pricing my freelance design work"
    plain = Programme.open(finder, index="acme", db_url=db_url)
    first = [m.mentor.id for m in plain.search(query, k=2)]
    assert plain.impressions.recent(first) == dict.fromkeys(first, 1)
    assert [m.mentor.id for m in plain.search(query, k=2)] == first  # fairness off: same order
    # A restarted process with fairness on knows those two were shown twice already.
    fair = Programme.open(finder, index="acme", db_url=db_url, fairness=1.0)
    assert fair.impressions.recent(first) == dict.fromkeys(first, 2)
    rotated = [m.mentor.id for m in fair.search(query, k=2)]
    assert not set(rotated) & set(first)
