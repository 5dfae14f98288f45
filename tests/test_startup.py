"""The page is served before the mentors are in: a banner says how far loading has got, and a
visitor's first message waits for the mentors instead of being answered from half an index."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from finder.search.service import MentorFinder
from finder.ui.page import build_ui, startup_html
from finder.ui.web import Startup, WebApp
from tests.fakes import HashingEmbedder

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_mentors.jsonl"
ASK = "I'd like help preparing for my first conference talk; I get nervous on stage"


@pytest.fixture
def finder(tmp_path: Path) -> MentorFinder:
    mf = MentorFinder.open(tmp_path / "index", embedder=HashingEmbedder())
    mf.ingest([json.loads(line) for line in DEMO.read_text().splitlines()[:60]])
    return mf


def _reply_text(view: Any) -> str:
    return str(view.chat[-1]["content"])


def test_the_banner_counts_the_mentors_and_the_time_left() -> None:
    startup = Startup()
    assert "Loading the demo mentors…" in startup.banner()
    startup.progress(640, 3305)
    text = startup.banner()
    assert "640 of 3,305" in text and "s left" in text
    assert "You can type your question now" in text
    startup.finish()
    assert startup.banner() == ""


def test_a_first_message_waits_for_the_mentors_then_gets_them(finder: MentorFinder) -> None:
    startup = Startup()
    app = WebApp(finder, startup=startup)
    answered: list[Any] = []
    visitor = threading.Thread(target=lambda: answered.append(app.send(None, None, ASK)))
    visitor.start()
    time.sleep(0.5)
    assert visitor.is_alive() and not answered  # held back, not answered from half an index
    startup.finish()
    visitor.join(timeout=60)
    assert answered and answered[0].state["last_matches"], _reply_text(answered[0])


def test_mentors_that_could_not_load_are_explained_to_the_visitor(
        finder: MentorFinder) -> None:
    startup = Startup()
    startup.finish(error="writing to Chroma failed: disk full")
    view = WebApp(finder, startup=startup).send(None, None, ASK)
    assert _reply_text(view) == ("Sorry: the demo mentors could not be loaded: writing to "
                                 "Chroma failed: disk full")
    assert "disk full" in startup_html(WebApp(finder, startup=startup))


@pytest.mark.slow  # a served Gradio page and a real client
def test_the_page_is_served_while_loading_and_answers_once_ready(finder: MentorFinder) -> None:
    from gradio_client import Client

    from eval.load import _turn

    startup = Startup()
    startup.progress(1200, 3305)
    demo = build_ui(WebApp(finder, startup=startup))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}", verbose=False, analytics_enabled=False,
                        download_files=False)
        banner = next(c for c in client.config["components"]
                  if c.get("props", {}).get("elem_id") == "mf-startup")["props"]
        assert "1,200 of 3,305" in banner["value"] and banner["visible"]
        result: list[Any] = []
        visitor = threading.Thread(target=lambda: result.append(_turn(client, [], ASK)))
        visitor.start()
        time.sleep(1.5)
        assert visitor.is_alive()  # the page took the message and is waiting
        startup.finish()
        visitor.join(timeout=120)
        chat, cards = result[0][0], result[0][1]
        assert ASK in str(chat[-2]) and 'class="mf-name"' in str(cards), str(chat[-1])
        client.close()
    finally:
        demo.close()
