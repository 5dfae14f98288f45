"""The programme manager's tab as plain functions: mentors' load this week, fully booked
mentors, the requests and their statuses, and a mentor CSV import with its row-level errors.

It runs against the same index and requests database as the chat; ``finder.ui.page`` only
wires it to Gradio components.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from finder.core.errors import MentorFinderError, TransitionNotAllowed
from finder.core.models import IngestReport
from finder.programme.requests import MentorLoad, MentorRequest
from finder.programme.service import Programme

CHART_ROWS = 25
TABLE_ROWS = 50
# What a manager can set on a request (label, status); the lifecycle decides what is allowed.
STATUS_CHOICES = [("accepted", "accepted"), ("declined", "declined"),
                  ("done (the session took place)", "done"), ("no reply", "no_reply"),
                  ("withdrawn", "withdrawn")]
FIT_CHOICES = [("not asked", ""), ("yes", "yes"), ("partly", "partly"), ("no", "no")]


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


@dataclass
class DeskView:
    """What the programme tab shows."""

    summary: str
    load: str
    booked: str
    requests: str


def _day(moment: object) -> str:
    return f"{moment:%a} {moment.day} {moment:%b}" if moment is not None else ""  # type: ignore[attr-defined]


def load_chart_html(loads: dict[str, MentorLoad], names: dict[str, str]) -> str:
    """A bar per mentor with requests this week, busiest first: requests against capacity."""
    busy = sorted((load for load in loads.values() if load.booked),
                  key=lambda load: (-load.booked, names.get(load.mentor_id, "")))
    if not busy:
        return '<div class="mf-empty">No requests this week yet.</div>'
    rows = []
    for load in busy[:CHART_ROWS]:
        share = 1.0 if not load.capacity else min(1.0, load.booked / load.capacity)
        label = f"{load.booked} / {load.capacity}" if load.capacity is not None else \
            f"{load.booked} (no limit)"
        rows.append(
            f'<div class="mf-load-row{" mf-full" if load.fully_booked else ""}" '
            f'data-mentor-id="{esc(load.mentor_id)}" data-booked="{load.booked}">'
            f'<span class="mf-load-name">{esc(names.get(load.mentor_id, load.mentor_id))}</span>'
            f'<span class="mf-load-bar"><span style="width:{share * 100:.0f}%"></span></span>'
            f'<span class="mf-load-count">{esc(label)}</span></div>')
    more = (f'<p class="mf-meta">and {len(busy) - CHART_ROWS} more mentors with requests</p>'
            if len(busy) > CHART_ROWS else "")
    return '<div class="mf-load" role="list">' + "".join(rows) + "</div>" + more


def booked_html(loads: dict[str, MentorLoad], names: dict[str, str]) -> str:
    full = sorted((load for load in loads.values() if load.fully_booked),
                  key=lambda load: names.get(load.mentor_id, ""))
    if not full:
        return '<p class="mf-meta">Nobody is fully booked this week.</p>'
    return '<ul class="mf-booked-list">' + "".join(
        f'<li data-mentor-id="{esc(load.mentor_id)}">{esc(names.get(load.mentor_id, ""))}'
        f" — {load.booked} of {load.capacity}"
        + (f"; next opening {esc(_day(load.next_opening))}" if load.next_opening else "")
        + "</li>" for load in full) + "</ul>"


def requests_html(requests: list[MentorRequest], names: dict[str, str]) -> str:
    if not requests:
        return '<p class="mf-meta">No requests recorded yet.</p>'
    head = ("<tr><th>#</th><th>Mentor</th><th>Ask</th><th>Status</th><th>Sent</th>"
            "<th>Fit</th></tr>")
    rows = "".join(
        f'<tr data-request-id="{r.id}" data-status="{esc(r.status)}"><td>{r.id}</td>'
        f"<td>{esc(names.get(r.mentor_id, r.mentor_id))}</td>"
        f"<td>{esc(r.goal_summary[:120])}</td><td>{esc(r.status.replace('_', ' '))}</td>"
        f"<td>{esc(_day(r.sent_at))}</td><td>{esc(r.fit or '')}</td></tr>"
        for r in requests[:TABLE_ROWS])
    return f'<table class="mf-requests">{head}{rows}</table>'


def import_report_html(report: IngestReport) -> str:
    errors = "".join(f"<li>{esc(problem)}</li>" for problem in report.errors)
    return (f'<p class="mf-import-summary">{esc(report.summary())}</p>'
            + (f'<ul class="mf-import-errors">{errors}</ul>' if errors else ""))


def _refused(reason: str) -> str:
    reason = reason.replace("no_reply", "no reply")  # the status as the dropdown names it
    return f'<p class="mf-status-error" role="alert">Not changed: {esc(reason)}</p>'


class ProgrammeDesk:
    """The programme tab over one Programme (index + requests database)."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme

    def view(self) -> DeskView:
        finder = self.programme.finder
        names = {m.id: m.name for m in finder.mentors()}
        loads = self.programme.loads()
        requests = self.programme.requests.list()
        counts = self.programme.requests.counts()
        full = sum(1 for load in loads.values() if load.fully_booked)
        busy = sum(1 for load in loads.values() if load.booked)
        status = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(counts.items()))
        summary = (f"{len(names)} mentors; {busy} with requests this week, {full} fully booked. "
                   f"Requests: {status or 'none yet'}.")
        return DeskView(summary=esc(summary), load=load_chart_html(loads, names),
                        booked=booked_html(loads, names), requests=requests_html(requests, names))

    def update_request(self, request_id: object, status: str | None,
                       fit: str | None) -> tuple[str, DeskView]:
        """Move a request on and/or record "was this a good fit?"; a refusal changes nothing."""
        status, fit = (status or "").strip(), (fit or "").strip()
        try:
            number = int(float(str(request_id).strip()))
        except ValueError:
            return _refused("give the request's number (the # column of the requests table)"), \
                self.view()
        if not status and not fit:
            return _refused("choose a new status, a fit answer, or both"), self.view()
        requests = self.programme.requests
        try:
            if fit:
                if status not in ("", "done"):
                    raise TransitionNotAllowed(
                        "a fit answer goes with \"done\" (the session took place); leave it "
                        f"as \"not asked\" to mark the request {status.replace('_', ' ')}")
                changed = requests.rate(number, fit)  # an accepted request becomes done
            else:
                changed = requests.set_status(number, status)
        except MentorFinderError as exc:
            return _refused(str(exc)), self.view()
        try:
            name = self.programme.finder.get(changed.mentor_id).name
        except MentorFinderError:
            name = changed.mentor_id
        said = changed.status.replace("_", " ") + (f", rated a fit: {changed.fit}"
                                                   if fit else "")
        return (f'<p class="mf-status-done">Request {changed.id} to {esc(name)} is now '
                f"{esc(said)}.</p>"), self.view()

    def import_mentors(self, path: str | Path | None) -> tuple[str, DeskView]:
        """Validate and index a mentor file; the report lists every rejected row."""
        if not path:
            return '<p class="mf-meta">Choose a CSV, JSON or JSONL file of mentors.</p>', \
                self.view()
        try:
            report = self.programme.finder.ingest(path)
        except MentorFinderError as exc:
            return f'<p class="mf-import-errors">Not imported: {esc(exc)}</p>', self.view()
        return import_report_html(report), self.view()
