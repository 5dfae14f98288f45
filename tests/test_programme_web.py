"""The web page's programme parts as plain functions: marking a draft sent, the manager's tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from finder.programme.service import Programme
from finder.search.service import MentorFinder
from finder.ui.desk import ProgrammeDesk
from finder.ui.web import WebApp
from tests.test_programme_capacity import PRICING


@pytest.fixture
def programme(tmp_path: Path, hashing_embedder) -> Programme:  # type: ignore[no-untyped-def]
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    finder.ingest(PRICING)
    return Programme.open(finder, index="acme")


def test_marking_a_draft_sent_records_a_request_and_shows_on_the_desk(
        programme: Programme) -> None:
    web = WebApp(programme, requests=programme.requests)
    view = web.send(None, None, "how should I price my freelance design work? a short video call")
    mentor_id = view.state["last_matches"][0]["mentor"]["id"]
    drafted = web.draft(view.state, view.chat, mentor_id)
    assert drafted.draft is not None and drafted.draft.mentor_id == mentor_id
    sent = web.mark_sent(drafted.state, drafted.chat, mentor_id, "browser-1")
    assert "Marked as sent to" in sent.chat[-1]["content"]
    assert "1 of 5 requests waiting" in sent.chat[-1]["content"]
    [request] = programme.requests.list()
    assert (request.mentor_id, request.session_id, request.status) == (mentor_id, "browser-1",
                                                                       "sent")
    assert "price" in request.goal_summary
    again = web.mark_sent(sent.state, sent.chat, mentor_id, "browser-2")  # capacity 1: full
    assert "Not recorded" in again.chat[-1]["content"]
    assert "fully booked" in again.chat[-1]["content"]

    desk = ProgrammeDesk(programme).view()
    assert f'data-mentor-id="{mentor_id}" data-booked="1"' in desk.load
    assert "1 / 1" in desk.load and "mf-full" in desk.load
    assert mentor_id in desk.booked and "next opening" in desk.booked
    assert 'data-status="sent"' in desk.requests
    assert "1 fully booked" in desk.summary


def test_desk_import_shows_row_errors_and_escapes(programme: Programme, tmp_path: Path) -> None:
    csv = tmp_path / "mentors.csv"
    csv.write_text("id,name,bio,formats\n"
                   "n1,Nia <b>Bold</b>,Helps with payroll for small shops.,email\n"
                   "n2,Bad Row,Offers a format nobody has.,zoom\n", encoding="utf-8")
    report, view = ProgrammeDesk(programme).import_mentors(csv)
    assert "1 added" in report and "1 rejected" in report
    assert "row 3" in report and "zoom" in report
    assert programme.count() == len(PRICING) + 1
    assert "5 mentors" in view.summary
    message, _ = ProgrammeDesk(programme).import_mentors(tmp_path / "missing.csv")
    assert "Not imported" in message


def test_mark_sent_without_a_database_says_so(programme: Programme) -> None:
    web = WebApp(programme)
    view = web.mark_sent(None, None, "p1", "s")
    assert "aren't recorded" in view.chat[-1]["content"]


def test_the_page_builds_with_the_programme_tab(programme: Programme) -> None:
    import gradio as gr

    from finder.ui.page import build_app

    web = WebApp(programme, requests=programme.requests)
    page = build_app(web, ProgrammeDesk(programme))
    assert isinstance(page, gr.Blocks)
    ids = {getattr(block, "elem_id", None) for block in page.blocks.values()}
    assert {"mf-mark-sent", "mf-draft-mentor", "mf-desk-load", "mf-desk-requests",
            "mf-desk-upload", "mf-chat", "mf-cards"} <= ids
