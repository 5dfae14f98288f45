"""``python -m eval exposure``: who gets shown and asked when many mentees use the finder.

Replays a stream of mentee sessions (the goal set, reworded and mixed, as in ``eval cohort``)
against the demo mentors over one simulated week. Each session searches for 10 mentors (all 10
count as impressions) and sends one request, to the first mentor shown who has room this week.
Three runs:

* ``relevance only``: plain ``MentorFinder.search``, capacity ignored (what the app did before);
* ``capacity``: ``Programme.search``: fully booked mentors after those with room;
* ``capacity + fairness``: the same, and within ``--margin`` of score the mentor with fewer
  impressions and requests this week goes first.

Reported per run: the Gini coefficient of impressions and of requests over all mentors, the
share of mentors never shown, the share over capacity, and nDCG@10 against the goal set's
graded judgments. Goals are split by id into a tuning half (odd) and a report half (even); the
margin is chosen on the tuning half only.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from eval.cohort import generate_mentees, judgments
from eval.dialogue import mentor_index
from finder.core.errors import MentorFullyBooked
from finder.core.models import Match, SearchFilters
from finder.programme.cohort import gini
from finder.programme.service import Programme

K = 10
WEEK = timedelta(days=7)


class CachedSearch:
    """The index, with each (query, k, filters) searched once: runs differ only in re-ordering."""

    def __init__(self, finder: Any) -> None:
        self._finder = finder
        self._cache: dict[tuple[str, int, str], list[Match]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._finder, name)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None,
               **kwargs: Any) -> list[Match]:
        key = (query, k, filters.model_dump_json() if filters else "")
        if key not in self._cache:
            self._cache[key] = self._finder.search(query, k, filters, **kwargs)
        return self._cache[key]


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    gains = [grades.get(m, 0) for m in ranked[:k]]
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def replay(finder: Any, sessions: Sequence[Any], origin: Mapping[str, str], mode: str,
           margin: float, work: Path) -> dict[str, Any]:
    start = datetime(2026, 11, 23, 8, tzinfo=UTC)
    step = WEEK / max(1, len(sessions))
    clock_now = [start]
    programme = Programme.open(finder, index=f"exposure-{mode}-{margin}", home=work,
                               clock=lambda: clock_now[0], max_open=1000,
                               fairness=margin if mode == "fairness" else 0.0)
    capacity = {m.id: m.max_requests_per_week for m in finder.mentors()}
    grades = judgments()
    impressions: Counter[str] = Counter()
    requests: Counter[str] = Counter()
    scores = []
    for n, mentee in enumerate(sessions):
        clock_now[0] = start + n * step
        if mode == "relevance":  # the same search the programme runs re-order (cached)
            shown = finder.search(mentee.goal, 2 * K, mentee.filters())[:K]
        else:
            shown = programme.search(mentee.goal, K, mentee.filters())
        impressions.update(m.mentor.id for m in shown)
        scores.append(ndcg([m.mentor.id for m in shown], grades.get(origin[mentee.id], {})))
        for match in shown:
            if mode == "relevance":
                requests[match.mentor.id] += 1
                break
            if match.fully_booked:
                continue
            try:
                programme.requests.record(match.mentor.id, mentee.goal, mentee.id)
            except MentorFullyBooked:
                continue
            requests[match.mentor.id] += 1
            break
    everyone = list(capacity)
    over = sum(1 for m, n in requests.items() if capacity[m] is not None and n > capacity[m])
    return {
        "run": mode if mode != "fairness" else f"capacity + fairness (margin {margin})",
        "sessions": len(sessions),
        "impression_gini": round(gini([impressions.get(m, 0) for m in everyone]), 4),
        "request_gini": round(gini([requests.get(m, 0) for m in everyone]), 4),
        "never_shown": round(sum(1 for m in everyone if not impressions[m]) / len(everyone), 4),
        "over_capacity": round(over / len(everyone), 4),
        "mentors_over_capacity": over,
        "requests": sum(requests.values()),
        "ndcg@10": round(sum(scores) / max(1, len(scores)), 4),
        "load_curve": sorted(requests.values(), reverse=True),
    }


def run(finder: Any, sessions: int, seed: int, split: str, margins: Sequence[float],
        work: Path) -> dict[str, Any]:
    pool, origin = generate_mentees(sessions * 3, seed)
    keep = (lambda g: int(g[1:]) % 2 == 1) if split == "tuning" else \
        (lambda g: int(g[1:]) % 2 == 0) if split == "report" else (lambda g: True)
    chosen = [m for m in pool if keep(origin[m.id])][:sessions]
    cached = CachedSearch(finder)
    started = time.monotonic()
    results = [replay(cached, chosen, origin, "relevance", 0.0, work),
               replay(cached, chosen, origin, "capacity", 0.0, work)]
    results += [replay(cached, chosen, origin, "fairness", m, work) for m in margins]
    return {"split": split, "sessions": len(chosen), "seed": seed,
            "goals": len({origin[m.id] for m in chosen}), "mentors": finder.count(),
            "seconds": round(time.monotonic() - started, 1), "results": results}


def table(report: Mapping[str, Any]) -> str:
    lines = ["| run | impression Gini | request Gini | never shown | over capacity | nDCG@10 |",
             "|---|---|---|---|---|---|"]
    for r in report["results"]:
        lines.append(f"| {r['run']} | {r['impression_gini']:.3f} | {r['request_gini']:.3f} | "
                     f"{r['never_shown']:.1%} | {r['over_capacity']:.2%} "
                     f"({r['mentors_over_capacity']}) | {r['ndcg@10']:.4f} |")
    return "\n".join(lines)


def plot(report: Mapping[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    for r in report["results"]:
        ax.plot(range(1, len(r["load_curve"]) + 1), r["load_curve"], label=r["run"])
    ax.set_xlabel("mentors asked at least once, busiest first")
    ax.set_ylabel("requests in the week")
    ax.set_yscale("log")
    ax.set_title(f"{report['sessions']} sessions, {report['split']} goals")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(args: Any) -> int:
    margins = [float(m) for m in args.margins.split(",")]
    with mentor_index(args.mentors, None, args.index_dir, not args.quiet) as finder, \
            tempfile.TemporaryDirectory(prefix="mf-exposure-") as work:
        report = run(finder, args.sessions, args.seed, args.split, margins, Path(work))
    print(table(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
        Path(args.json).with_suffix(".md").write_text(table(report) + "\n")
    if args.plot:
        plot(report, args.plot)
    return 0
