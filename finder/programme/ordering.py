"""Re-ordering search results for a programme: room before fully booked, poor fits drop a little.

Pure functions over matches, loads and fit answers; the database reads happen in the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from finder.core.models import Match
from finder.programme.requests import MentorLoad

SIMILAR_ASK = 0.6  # cosine between two goal summaries that ask much the same thing
POOR_FIT_PENALTY = {"no": 0.08, "partly": 0.03}  # per similar rated session, on the 0-1 score
MAX_PENALTY = 0.2


def fit_penalties(query_vector: np.ndarray, ratings: Sequence[tuple[str, str, str]],
                  encode: Callable[[Sequence[str]], np.ndarray]) -> dict[str, float]:
    """How much each mentor drops for being rated a poor fit ("no", "partly") for similar asks."""
    poor = [(m, goal, fit) for m, goal, fit in ratings if fit in POOR_FIT_PENALTY]
    if not poor:
        return {}
    vectors = encode([goal for _, goal, _ in poor])
    penalties: dict[str, float] = {}
    for (mentor_id, _, fit), vector in zip(poor, vectors):
        if float(vector @ query_vector) >= SIMILAR_ASK:
            penalties[mentor_id] = min(MAX_PENALTY,
                                       penalties.get(mentor_id, 0.0) + POOR_FIT_PENALTY[fit])
    return penalties


def programme_order(matches: Sequence[Match], loads: Mapping[str, MentorLoad],
                    penalties: Mapping[str, float]) -> list[Match]:
    """Mentors with room first, each group by score less its fit penalty; booked ones marked."""
    out = []
    for match in matches:
        load = loads.get(match.mentor.id)
        booked = bool(load and load.fully_booked)
        out.append(match.model_copy(update={
            "score": round(match.score - penalties.get(match.mentor.id, 0.0), 4),
            "fully_booked": booked,
            "next_opening": load.next_opening if booked and load else None}))
    return sorted(out, key=lambda m: (m.fully_booked, -m.score))


def fair_order(matches: Sequence[Match], exposure: Mapping[str, float],
               margin: float) -> list[Match]:
    """Among mentors within ``margin`` of each other's score, the less exposed goes first.

    Each score is lowered by up to ``margin`` in proportion to the mentor's recent impressions
    and requests (relative to the most exposed candidate), so a mentor is only ever passed by
    one whose score was within ``margin`` of theirs. Fully booked mentors stay last.
    """
    if margin <= 0 or not matches:
        return list(matches)
    most = max((exposure.get(m.mentor.id, 0.0) for m in matches), default=0.0)
    if most <= 0:
        return list(matches)

    def key(match: Match) -> tuple[bool, float]:
        share = exposure.get(match.mentor.id, 0.0) / most
        return (match.fully_booked, -(match.score - margin * share))

    return sorted(matches, key=key)
