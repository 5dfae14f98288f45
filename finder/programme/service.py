"""Programme: a mentor index plus its requests database, searched with capacity in mind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from finder.core.models import Match, SearchFilters
from finder.programme.cohort import CohortMatch, Mentee, Objective, mentees_from
from finder.programme.cohort import match_cohort as assign_cohort
from finder.programme.impressions import ImpressionLog
from finder.programme.ordering import fair_order, fit_penalties, programme_order
from finder.programme.requests import MentorLoad, RequestBook, utc_now
from finder.programme.store import open_database
from finder.search.embedding import Embedder
from finder.search.service import MentorFinder

OVERFETCH = 2  # results fetched per result shown, so booked mentors can make room
# At least this many candidates, fairness on or off: mentors with room can replace booked ones,
# fairness can rotate past the top k, and the run without the fairness term differs only in it.
FAIR_DEPTH = 30


class Programme:
    """One organisation's mentors and the requests sent to them.

    ``search`` ranks like ``MentorFinder.search`` but shows mentors with room before fully
    booked ones and lowers mentors rated a poor fit for similar asks; everything else
    (``get``, ``ingest``, ``count`` ...) is the index's own.
    """

    def __init__(self, finder: MentorFinder, requests: RequestBook, *,
                 impressions: ImpressionLog | None = None, fairness: float = 0.0) -> None:
        self.finder = finder
        self.requests = requests
        # Times each mentor was shown, in the same database, so restarts and other processes
        # see them too.
        self.impressions = impressions or ImpressionLog(requests.engine, requests.index,
                                                        clock=requests.clock)
        self.fairness = fairness  # score margin within which less-exposed mentors go first

    @classmethod
    def open(cls, finder: MentorFinder, *, index: str = "default", db_url: str | None = None,
             home: Path | None = None, max_open: int = 5, reply_days: int = 7,
             clock: Callable[[], datetime] = utc_now, fairness: float = 0.0) -> Programme:
        """The programme over ``finder``; requests in SQLite beside the index unless db_url."""
        engine = open_database(home or finder.home, db_url)
        requests = RequestBook(engine, index, finder.get, max_open=max_open,
                               reply_days=reply_days, clock=clock)
        return cls(finder, requests, impressions=ImpressionLog(engine, index, clock=clock),
                   fairness=fairness)

    @property
    def embedder(self) -> Embedder:
        return self.finder.embedder

    def __getattr__(self, name: str) -> Any:
        return getattr(self.finder, name)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               diversity: float = 0.0, pipeline: str = "default") -> list[Match]:
        """The ``k`` best mentors, those with room this week first (see the class docstring)."""
        depth = max(k * OVERFETCH, FAIR_DEPTH)
        # Reasons only for the mentors shown: explaining all the fetched ones costs more than
        # ranking them.
        found, explain = self.finder.ranked(query, min(100, depth), filters,
                                            diversity=diversity, pipeline=pipeline)
        if not found:
            return []
        shown = explain(self.reorder(query, found)[:k])
        self.impressions.record(m.mentor.id for m in shown)
        return shown

    def reorder(self, query: str, matches: Sequence[Match]) -> list[Match]:
        """Capacity and fit feedback applied to matches already ranked for ``query``."""
        loads, ratings = self.requests.standing([m.mentor for m in matches])
        penalties = (fit_penalties(self.embedder.encode_query(query), ratings,
                                   self.embedder.encode) if ratings else {})
        ordered = programme_order(matches, loads, penalties)
        if self.fairness > 0:
            shown = self.impressions.recent([m.mentor.id for m in ordered])
            exposure = {m.mentor.id: shown[m.mentor.id] + loads[m.mentor.id].booked
                        for m in ordered}
            ordered = fair_order(ordered, exposure, self.fairness)
        return ordered

    def next_best(self, request_id: int, k: int = 3) -> list[Match]:
        """Mentors to try after a request lapsed or was declined: the same ask, without the
        mentors this session already asked, those with room first."""
        request = self.requests.get(request_id)
        asked = {r.mentor_id for r in self.requests.list(session_id=request.session_id)}
        found = self.finder.search(request.goal_summary, min(100, (k + len(asked)) * OVERFETCH),
                                   SearchFilters(exclude_ids=sorted(asked)))
        offered = [m for m in self.reorder(request.goal_summary, found) if not m.fully_booked][:k]
        self.impressions.record(m.mentor.id for m in offered)
        return offered

    def match_cohort(self, mentees: Sequence[Mentee | dict[str, Any]], *, per_mentee: int = 2,
                     respect_capacity: bool = False, objective: Objective = "score",
                     depth: int = 20) -> CohortMatch:
        """Assign mentors to a whole cohort (see ``finder.programme.cohort``).

        Each mentor takes at most their ``max_requests_per_week`` mentees (no limit if unset);
        with ``respect_capacity``, only the room left after this week's requests. Nothing is
        recorded: send the drafts, then mark them sent.
        """
        cohort = mentees_from(mentees)

        def room(mentor_ids: Sequence[str]) -> dict[str, int | None]:
            mentors = [self.finder.get(i) for i in mentor_ids]
            if not respect_capacity:
                return {m.id: m.max_requests_per_week for m in mentors}
            loads = self.requests.loads(mentors)
            return {m.id: None if loads[m.id].capacity is None
                    else max(0, loads[m.id].capacity - loads[m.id].booked) for m in mentors}

        def search(query: str, k: int, filters: SearchFilters | None) -> list[Match]:
            return self.finder.search(query, k, filters)

        return assign_cohort(search, cohort, capacity=room, per_mentee=per_mentee,
                             objective=objective, depth=depth, embedder=self.embedder)

    def loads(self) -> dict[str, MentorLoad]:
        """Every mentor's requests this week against their capacity."""
        return self.requests.loads(self.finder.mentors())

    def __repr__(self) -> str:
        return f"Programme({self.finder!r}, index={self.requests.index!r})"
