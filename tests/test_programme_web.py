"""The web page's programme parts as plain functions: marking a draft sent, the manager's tab."""

from __future__ import annotations

import html
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
            "mf-desk-upload", "mf-chat", "mf-cards", "mf-my-requests", "mf-desk-request-id",
            "mf-desk-status", "mf-desk-fit", "mf-desk-update"} <= ids


def test_desk_moves_a_request_on_and_refuses_what_the_lifecycle_forbids(
        programme: Programme) -> None:
    desk = ProgrammeDesk(programme)
    request = programme.requests.record("p1", "pricing my design work", "s1")
    message, view = desk.update_request(request.id, "accepted", "")
    assert f"Request {request.id} to Paula Price is now accepted" in message
    assert f'data-request-id="{request.id}" data-status="accepted"' in view.requests
    assert 'data-mentor-id="p1" data-booked="1"' in view.load  # an accepted request keeps its slot
    before = programme.requests.get(request.id)
    for number, status, fit, reason in [
            (request.id, "declined", "", "is accepted; it can't become declined"),
            (request.id, "withdrawn", "no", "a fit answer goes with"),
            (request.id, "maybe", "", "unknown status 'maybe'"),
            ("abc", "done", "", "give the request's number"),
            (None, "done", "", "give the request's number"),
            (request.id, "", "", "choose a new status"),
            (999, "accepted", "", "no request 999")]:
        refused = html.unescape(desk.update_request(number, status, fit)[0])
        assert "Not changed" in refused and reason in refused, (status, refused)
        assert programme.requests.get(request.id) == before
    message, view = desk.update_request(float(request.id), "done", "partly")  # gr.Number: float
    assert "is now done, rated a fit: partly" in message
    assert programme.requests.get(request.id).fit == "partly"
    assert "<td>partly</td>" in view.requests


def test_a_lapsed_request_brings_the_next_best_mentors_into_the_chat(
        programme: Programme) -> None:
    web = WebApp(programme, requests=programme.requests)
    view = web.send(None, None, "how should I price my freelance design work? a short video call",
                    session_id="browser-1")
    first = view.state["last_matches"][0]["mentor"]["id"]
    drafted = web.draft(view.state, view.chat, first)
    sent = web.mark_sent(drafted.state, drafted.chat, first, "browser-1")
    [request] = programme.requests.list(session_id="browser-1")
    ProgrammeDesk(programme).update_request(request.id, "no_reply", "")
    checked = web.my_requests(sent.state, sent.chat, "browser-1")
    told = [t["content"] for t in checked.chat[len(sent.chat):]]
    name = programme.get(first).name
    assert f"{name} didn't answer your request within 7 days" in told[0]
    assert "Mentors with room for the same ask" in told[0]
    offered = [m["mentor"]["id"] for m in checked.state["last_matches"]]
    assert first not in offered and sorted(offered[:2]) == sorted({"p1", "p2", "p3"} - {first})
    assert all(programme.get(i).name in told[0] for i in offered)
    assert "no reply (lapsed)" in told[-1]
    # Told once: the next message doesn't repeat it, and a draft to an offered mentor works.
    later = web.send(checked.state, checked.chat, "thanks", session_id="browser-1")
    assert not any("didn't answer" in t["content"] for t in later.chat[len(checked.chat):])
    assert web.draft(checked.state, checked.chat, offered[0]).draft is not None


def test_another_session_never_hears_of_my_lapsed_requests(programme: Programme) -> None:
    web = WebApp(programme, requests=programme.requests)
    request = programme.requests.record("p2", "pricing my design work", "mine")
    programme.requests.decline(request.id)
    other = web.my_requests(None, None, "someone-else")
    assert "haven't marked any request" in other.chat[-1]["content"]
    mine = web.send(None, None, "hello", session_id="mine")
    assert any("Pat Rates declined your request" in t["content"] for t in mine.chat)
