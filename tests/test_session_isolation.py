"""Sessions stay apart when their turns run at the same time through the real Gradio page: no
session sees another's messages, mentors or draft (the load test's checks, not timed)."""

from __future__ import annotations

import itertools
import json
import random
import socket
import threading
import time
from pathlib import Path

import pytest

from eval.load import Session
from finder.search.service import MentorFinder
from finder.ui.page import build_ui, serve_lightly
from finder.ui.web import WebApp
from tests.fakes import HashingEmbedder

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_mentors.jsonl"


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    finder = MentorFinder.open(tmp_path / "index", embedder=HashingEmbedder())
    finder.ingest([json.loads(line) for line in DEMO.read_text().splitlines()[:400]])
    demo = build_ui(WebApp(finder))
    port = _port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                quiet=True)
    serve_lightly(demo)  # as app.py serves it
    yield f"http://127.0.0.1:{port}"
    demo.close()


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
