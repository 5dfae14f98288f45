"""Cohort matching: assign mentors to a whole cohort of mentees at once, within capacity.

The assignment is a bipartite b-matching solved exactly as a mixed-integer program with
scipy's HiGHS (``scipy.optimize.milp``); its constraint matrix is totally unimodular, so this
is as fast as a min-cost flow. Two objectives, as programme platforms offer them:

* ``score``: the highest total match score;
* ``participation``: as many mentors as possible get at least one mentee, and among those
  assignments the highest total score.

``greedy`` (each mentee in turn takes their best mentors with room) is the baseline.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator

from finder.core.errors import CohortError
from finder.core.goal import Goal
from finder.core.models import Format, Match, SearchFilters
from finder.outreach.drafting import OutreachDraft, offline_draft

Objective = Literal["score", "participation"]
OBJECTIVES: tuple[str, ...] = ("score", "participation")
Pair = tuple[str, str]  # (mentee id, mentor id)


class Mentee(BaseModel):
    """One row of a cohort file: who, and what they want help with."""

    id: str = Field(min_length=1, max_length=128)
    name: str = Field(default="", max_length=200)
    goal: str = Field(min_length=3, max_length=2000)
    formats: list[Format] = Field(default_factory=list)
    minutes: int | None = Field(default=None, ge=5, le=240)
    language: str | None = None

    @field_validator("formats", mode="before")
    @classmethod
    def _formats(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip().lower().replace("-", "_").replace(" ", "_")
                    for part in value.replace(",", ";").split(";") if part.strip()]
        return value

    @field_validator("language", "minutes", mode="before")
    @classmethod
    def _blank(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def filters(self) -> SearchFilters | None:
        if not (self.formats or self.minutes or self.language):
            return None
        return SearchFilters(formats=self.formats or None, max_minutes=self.minutes,
                             languages=[self.language.lower()] if self.language else None)

    def as_goal(self) -> Goal:
        return Goal(challenge=self.goal, formats=self.formats, minutes=self.minutes,
                    language=self.language)


class Pairing(BaseModel):
    """One mentee-mentor pair of a cohort match, ready to send."""

    mentee_id: str
    mentee_name: str
    mentor_id: str
    mentor_name: str
    score: float
    reason: str
    draft: OutreachDraft


class CohortMatch(BaseModel):
    """The pairs, and the figures a programme manager checks them by."""

    objective: Objective
    per_mentee: int
    pairs: list[Pairing]
    unmatched: list[str] = Field(description="Mentees who got no mentor at all.")
    total_score: float
    mentors_used: int


def read_mentees(path: str | Path) -> list[Mentee]:
    """Mentees from a CSV with columns id, name, goal (+ optional format, length, language).

    Every row is checked first: one bad row rejects the file, naming the row and the field.
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip().lower() for c in reader.fieldnames or []]
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CohortError(f"{path}: can't read the cohort file ({exc})") from exc
    missing = [c for c in ("id", "goal") if c not in columns]
    if missing:
        raise CohortError(f"{path}: no {' or '.join(missing)} column; a cohort file needs "
                          f"columns id, name, goal (found: {', '.join(columns) or 'none'})")
    return mentees_from(
        ({(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in rows),
        where=str(path), first_line=2)


def mentees_from(records: Iterable[Mapping[str, Any] | Mentee], *, where: str = "mentees",
                 first_line: int = 1) -> list[Mentee]:
    """Validated mentees; ``format`` and ``length`` are accepted for formats and minutes."""
    mentees: list[Mentee] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, record in enumerate(records, first_line):
        if isinstance(record, Mentee):
            mentee = record
        else:
            data = dict(record)
            if "format" in data and "formats" not in data:
                data["formats"] = data.pop("format")
            if "length" in data and "minutes" not in data:
                data["minutes"] = str(data.pop("length")).lower().removesuffix("min").strip()
            try:
                mentee = Mentee.model_validate(data)
            except ValidationError as exc:
                error = exc.errors()[0]
                field = ".".join(str(p) for p in error["loc"]) or "row"
                problems.append(f"{where}, row {line}, {field}: {error['msg']}")
                continue
        if mentee.id in seen:
            problems.append(f"{where}, row {line}, id: {mentee.id!r} appears twice")
        seen.add(mentee.id)
        mentees.append(mentee)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise CohortError("the cohort can't be matched; fix these rows: "
                          + "; ".join(problems[:5]) + more)
    if not mentees:
        raise CohortError(f"{where}: no mentees to match")
    return mentees


def solve(scores: Mapping[Pair, float], per_mentee: int, capacity: Mapping[str, int | None],
          objective: Objective = "score") -> list[Pair]:
    """The best assignment: each mentee at most ``per_mentee`` mentors, each mentor at most
    ``capacity[mentor]`` mentees (None: no limit)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    pairs = [p for p, s in scores.items() if capacity.get(p[1], None) != 0]
    if not pairs:
        return []
    mentees = sorted({p[0] for p in pairs})
    mentors = sorted({p[1] for p in pairs})
    row_of = {m: i for i, m in enumerate(mentees)}
    col_of = {m: i for i, m in enumerate(mentors)}
    n, n_mentors = len(pairs), len(mentors)
    edge = np.arange(n)
    by_mentee = coo_matrix((np.ones(n), ([row_of[p[0]] for p in pairs], edge)),
                           shape=(len(mentees), n))
    by_mentor = coo_matrix((np.ones(n), ([col_of[p[1]] for p in pairs], edge)),
                           shape=(n_mentors, n))
    limits = np.array([capacity.get(m) if capacity.get(m) is not None else n for m in mentors],
                      dtype=float)
    score = np.array([scores[p] for p in pairs])
    constraints = [LinearConstraint(by_mentee, 0, per_mentee),
                   LinearConstraint(by_mentor, 0, limits)]
    if objective == "participation":
        # y_j <= sum_i x_ij: mentor j counts as taking part only with a mentee.
        from scipy.sparse import hstack, identity

        used = hstack([-by_mentor, identity(n_mentors)])
        base = [LinearConstraint(hstack([by_mentee, coo_matrix((len(mentees), n_mentors))]),
                                 0, per_mentee),
                LinearConstraint(hstack([by_mentor, coo_matrix((n_mentors, n_mentors))]),
                                 0, limits),
                LinearConstraint(used, -np.inf, 0)]
        ones = np.ones(n + n_mentors)
        first = milp(np.concatenate([np.zeros(n), -np.ones(n_mentors)]), constraints=base,
                     integrality=ones, bounds=Bounds(0, 1))
        _check(first)
        taking_part = round(-first.fun)
        reach = LinearConstraint(np.concatenate([np.zeros(n), np.ones(n_mentors)]),
                                 taking_part, np.inf)
        second = milp(np.concatenate([-score, np.zeros(n_mentors)]),
                      constraints=[*base, reach], integrality=ones, bounds=Bounds(0, 1))
        _check(second)
        chosen = second.x[:n]
    else:
        result = milp(-score, constraints=constraints, integrality=np.ones(n),
                      bounds=Bounds(0, 1))
        _check(result)
        chosen = result.x
    return [pairs[i] for i in np.flatnonzero(chosen > 0.5)]


def _check(result: Any) -> None:
    if not result.success:
        raise CohortError(f"the cohort assignment could not be solved: {result.message}")


def greedy(scores: Mapping[Pair, float], mentee_order: Sequence[str], per_mentee: int,
           capacity: Mapping[str, int | None]) -> list[Pair]:
    """The baseline: each mentee in turn takes their best mentors who still have room."""
    left = dict(capacity)
    options: dict[str, list[tuple[float, str]]] = {}
    for (mentee, mentor), score in scores.items():
        options.setdefault(mentee, []).append((score, mentor))
    chosen: list[Pair] = []
    for mentee in mentee_order:
        taken = 0
        for _, mentor in sorted(options.get(mentee, []), key=lambda sm: (-sm[0], sm[1])):
            if taken == per_mentee:
                break
            room = left.get(mentor)
            if room is not None and room <= 0:
                continue
            if room is not None:
                left[mentor] = room - 1
            chosen.append((mentee, mentor))
            taken += 1
    return chosen


def gini(values: Sequence[float]) -> float:
    """0: everyone the same; near 1: one takes everything."""
    ordered = np.sort(np.asarray(values, dtype=float))
    if not len(ordered) or ordered.sum() == 0:
        return 0.0
    ranks = np.arange(1, len(ordered) + 1)
    return float((2 * ranks - len(ordered) - 1) @ ordered / (len(ordered) * ordered.sum()))


def candidates(search: Callable[..., list[Match]], mentees: Sequence[Mentee],
               depth: int) -> dict[str, list[Match]]:
    """Each mentee's ``depth`` best mentors under their own constraints."""
    return {m.id: search(m.goal, depth, m.filters()) for m in mentees}


def reason(match: Match) -> str:
    """Why this mentor, in one line."""
    reasons = match.reasons
    if reasons.matched_skills:
        return "Skills: " + ", ".join(reasons.matched_skills)
    if reasons.best_sentence:
        return f"\u201c{reasons.best_sentence}\u201d"
    if reasons.matched_terms:
        return "Mentions: " + ", ".join(reasons.matched_terms)
    return "Close to the goal in meaning"


def match_cohort(search: Callable[..., list[Match]], mentees: Sequence[Mentee], *,
                 capacity: Callable[[Sequence[str]], Mapping[str, int | None]],
                 per_mentee: int = 2, objective: Objective = "score", depth: int = 20,
                 embedder: Any = None) -> CohortMatch:
    """Assign mentors to ``mentees``; ``capacity`` gives each candidate mentor's room."""
    if objective not in OBJECTIVES:
        raise CohortError(f"unknown objective {objective!r}; use one of {', '.join(OBJECTIVES)}")
    if not 1 <= per_mentee <= 10:
        raise CohortError(f"per-mentee must be between 1 and 10, got {per_mentee}")
    found = candidates(search, mentees, max(depth, per_mentee))
    matches = {(mentee, m.mentor.id): m for mentee, ms in found.items() for m in ms}
    scores = {pair: m.score for pair, m in matches.items()}
    room = capacity(sorted({mentor for _, mentor in matches}))
    chosen = set(solve(scores, per_mentee, room, objective))
    by_id = {m.id: m for m in mentees}
    pairs = []
    for mentee in mentees:
        for match in found[mentee.id]:
            if (mentee.id, match.mentor.id) in chosen:
                pairs.append(Pairing(
                    mentee_id=mentee.id, mentee_name=mentee.name or mentee.id,
                    mentor_id=match.mentor.id, mentor_name=match.mentor.name,
                    score=match.score, reason=reason(match),
                    draft=offline_draft(by_id[mentee.id].as_goal(), match, embedder)))
    matched = {p.mentee_id for p in pairs}
    return CohortMatch(objective=objective, per_mentee=per_mentee, pairs=pairs,
                       unmatched=[m.id for m in mentees if m.id not in matched],
                       total_score=round(sum(p.score for p in pairs), 4),
                       mentors_used=len({p.mentor_id for p in pairs}))
