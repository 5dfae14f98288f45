"""The real Gradio page served on a loopback port over a small demo index, for the tests that
talk to it over HTTP (tests/test_web_serving.py, tests/test_session_isolation.py)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from finder.search.service import MentorFinder
from finder.ui.page import build_ui, serve_lightly
from finder.ui.web import WebApp
from tests.fakes import HashingEmbedder

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_mentors.jsonl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served_demo(folder: Path, mentors: int, *, lightly: bool) -> Iterator[tuple[Any, int]]:
    """The first ``mentors`` demo mentors indexed in ``folder``, the page launched on a free
    loopback port (and, with ``lightly``, served as app.py serves it); yields (demo, port)."""
    finder = MentorFinder.open(folder / "index", embedder=HashingEmbedder())
    finder.ingest([json.loads(line) for line in DEMO.read_text().splitlines()[:mentors]])
    demo = build_ui(WebApp(finder))
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
                quiet=True)
    if lightly:
        serve_lightly(demo)
    try:
        yield demo, port
    finally:
        demo.close()
