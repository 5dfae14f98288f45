"""Sessions stay apart when their turns run at the same time through the real Gradio page: no
session sees another's messages, mentors or draft (the load test's checks, not timed)."""

from __future__ import annotations

import itertools
import random
import threading
import time
from pathlib import Path

import pytest

from eval.load import Session
from tests.served import served_demo


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    with served_demo(tmp_path, 400, lightly=True) as (_, port):  # as app.py serves it
        yield f"http://127.0.0.1:{port}"


@pytest.mark.slow  # six sessions talking at once to a served page: an integration run
def test_concurrent_sessions_never_see_each_other(served: str) -> None:
    started = time.monotonic()
    sessions = [Session(i, served, started, started + 600, random.Random(i), think=(0.0, 0.05))
                for i in range(6)]
    threads = [threading.Thread(target=s.conversation, args=(0,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    for session in sessions:
        session.close()
    turns = [t for s in sessions for t in s.turns]
    assert all(t.ok for t in turns), [t.error for t in turns if not t.ok][:3]
    assert len(turns) >= 6 * 4
    assert [c for s in sessions for c in s.crosstalk] == []
    # The turns overlapped in time: several sessions were in flight at once.
    spans = sorted((t.started, t.started + t.seconds) for t in turns)
    assert any(b[0] < a[1] for a, b in itertools.pairwise(spans))
