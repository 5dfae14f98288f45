"""``python -m eval exposure``: who gets shown and asked when many mentees use the finder.

Replays a stream of mentee sessions against the demo mentors over one simulated week, with the
requests recorded in a real requests database (SQLite in a scratch folder). The stream mixes
the asks of the two goal sets judged over the demo mentors (``eval/datasets/goals``,
``eval/datasets/problem-asks``), reworded with openings and closings, a third with a format or
length constraint, popular asks repeated (as ``eval cohort`` does). ``--split tune`` draws only
the asks of the sets' tune halves (``qrels/tune.tsv``), ``--split report`` only those of the
report halves: margins are chosen on tune streams, figures reported on report streams.

Each session searches for 10 mentors (all 10 count as impressions) and sends one request, to
the first mentor shown who has room this week. Runs:

* ``relevance``: the finder's own order, capacity ignored (what the app did before issue 9);
* ``capacity``: ``Programme.search``: fully booked mentors after those with room;
* ``capacity + fairness (margin m)``: the same, and within ``m`` of score the mentor with fewer
  impressions and requests this week goes first (``finder.programme.ordering.fair_order``).

Every run sees the same candidates (each session's 30 best, searched once): the runs differ only
in how the programme re-orders them. Reported per run: the Gini coefficient of impressions and of
requests over all mentors, the share of mentors never shown, the share over capacity, and
nDCG@10 against the split's graded judgments (2 fits, 1 partly, unjudged 0).
"""

from __future__ import annotations

import json
import math
import random
import tempfile
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from eval.cohort import reworded_mentees
from eval.reports import write_report
from eval.dialogue import mentor_index
from finder.core.errors import MentorFullyBooked
from finder.core.models import Match, SearchFilters
from finder.programme.cohort import Mentee, gini
from finder.programme.service import FAIR_DEPTH, Programme

K = 10
DEPTH = FAIR_DEPTH  # candidates per session, the same for every run
WEEK = timedelta(days=7)
SETS = (Path("eval/datasets/goals"), Path("eval/datasets/problem-asks"))
SPLITS = {"tune": "tune", "tuning": "tune", "report": "report", "all": "test"}


class CachedSearch:
    """The index, each (query, filters) searched once at ``DEPTH``; shorter lists are prefixes."""

    def __init__(self, finder: Any) -> None:
        self._finder = finder
        self._cache: dict[tuple[str, str], list[Match]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._finder, name)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None,
               **kwargs: Any) -> list[Match]:
        key = (query, filters.model_dump_json() if filters else "")
        if key not in self._cache:
            self._cache[key] = self._finder.search(query, max(k, DEPTH), filters)
        return self._cache[key][:k]


def asks(split: str, sets: Sequence[Path] = SETS) -> tuple[list[dict[str, Any]],
                                                            dict[str, dict[str, int]]]:
    """The asks of one split of the goal sets, and their graded judgments."""
    qrels = SPLITS[split]
    chosen, grades = [], {}
    for folder in sets:
        judged: dict[str, dict[str, int]] = {}
        for line in (folder / "qrels" / f"{qrels}.tsv").read_text().splitlines()[1:]:
            query, mentor, score = line.split("\t")
            judged.setdefault(query, {})[mentor] = int(score)
        for line in (folder / "queries.jsonl").open(encoding="utf-8"):
            record = json.loads(line)
            if record["_id"] in judged:
                chosen.append(record)
        grades.update(judged)
    return chosen, grades


def sessions(split: str, n: int, seed: int, sets: Sequence[Path] = SETS
             ) -> tuple[list[Mentee], dict[str, str], dict[str, dict[str, int]]]:
    """``n`` mentee sessions from one split's asks, reworded and mixed; the ask each came from."""
    pool, grades = asks(split, sets)
    rng = random.Random(seed)
    rng.shuffle(pool)  # popular asks repeat: the first in this order come up most
    mentees, origin = reworded_mentees(pool, n, rng, "s{:04d}")
    return mentees, origin, grades


def ndcg(ranked: Sequence[str], grades: Mapping[str, int], k: int = K) -> float:
    gains = [grades.get(m, 0) for m in ranked[:k]]
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def replay(finder: Any, mentees: Sequence[Mentee], origin: Mapping[str, str],
           grades: Mapping[str, Mapping[str, int]], mode: str, margin: float,
           work: Path) -> dict[str, Any]:
    """One simulated week of ``mentees`` under one ordering; its exposure and quality figures."""
    start = datetime(2026, 11, 23, tzinfo=UTC)  # Monday 00:00: the week is 7 whole UTC days
    step = WEEK / max(1, len(mentees))
    clock_now = [start]
    programme = Programme.open(finder, index=f"exposure-{mode}-{margin}", home=work,
                               clock=lambda: clock_now[0], max_open=1000,
                               fairness=margin if mode == "fairness" else 0.0)
    capacity = {m.id: m.max_requests_per_week for m in finder.mentors()}
    impressions: Counter[str] = Counter()
    requests: Counter[str] = Counter()
    candidates: set[str] = set()
    scores = []
    started = time.monotonic()
    for n, mentee in enumerate(mentees):
        clock_now[0] = start + n * step
        candidates.update(m.mentor.id for m in finder.search(mentee.goal, DEPTH,
                                                             mentee.filters()))
        if mode == "relevance":
            shown = finder.search(mentee.goal, K, mentee.filters())
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
    if mode != "relevance" and programme.impressions.recent(everyone) != {
            m: impressions[m] for m in everyone}:
        raise RuntimeError("the impressions in the requests database differ from those shown")
    over = sum(1 for m, n in requests.items() if capacity[m] is not None and n > capacity[m])
    pool = sorted(candidates)
    return {
        "run": mode if mode != "fairness" else f"capacity + fairness (margin {margin:g})",
        "margin": margin if mode == "fairness" else None,
        "sessions": len(mentees),
        "impression_gini": round(gini([impressions.get(m, 0) for m in everyone]), 4),
        "request_gini": round(gini([requests.get(m, 0) for m in everyone]), 4),
        "candidate_impression_gini": round(gini([impressions.get(m, 0) for m in pool]), 4),
        "never_shown": round(sum(1 for m in everyone if not impressions[m]) / len(everyone), 4),
        "mentors_shown": sum(1 for m in everyone if impressions[m]),
        "mentors_asked": len(requests),
        "over_capacity": round(over / len(everyone), 4),
        "mentors_over_capacity": over,
        "requests": sum(requests.values()),
        "ndcg@10": round(sum(scores) / max(1, len(scores)), 4),
        "seconds": round(time.monotonic() - started, 1),
        "load_curve": sorted(requests.values(), reverse=True),
    }


def run(finder: Any, n: int, seed: int, split: str, margins: Sequence[float],
        work: Path, sets: Sequence[Path] = SETS) -> dict[str, Any]:
    mentees, origin, grades = sessions(split, n, seed, sets)
    cached = CachedSearch(finder)
    started = time.monotonic()
    prime = getattr(finder.embedder, "encode_queries", None)
    if prime is not None:  # one batched model call for the whole stream
        prime([m.goal for m in mentees])
    for mentee in mentees:  # every run re-orders the same candidates: search them once
        cached.search(mentee.goal, DEPTH, mentee.filters())
    search_seconds = time.monotonic() - started
    results = [replay(cached, mentees, origin, grades, "relevance", 0.0, work),
               replay(cached, mentees, origin, grades, "capacity", 0.0, work)]
    results += [replay(cached, mentees, origin, grades, "fairness", m, work) for m in margins]
    base = results[1]
    for r in results:
        r["impression_gini_change"] = (round(r["impression_gini"] / base["impression_gini"] - 1, 4)
                                       if base["impression_gini"] else 0.0)
        r["ndcg_loss"] = round(base["ndcg@10"] - r["ndcg@10"], 4)
    candidates = {m.mentor.id for ms in cached._cache.values() for m in ms}
    return {"split": split, "sessions": len(mentees), "seed": seed,
            "sets": [s.name for s in sets], "asks": len({origin[m.id] for m in mentees}),
            "distinct_searches": len(cached._cache), "mentors": finder.count(),
            "candidate_mentors": len(candidates), "search_seconds": round(search_seconds, 1),
            "results": results}


def choose_margin(report: Mapping[str, Any], max_loss: float = 0.01) -> float | None:
    """The margin with the lowest impression Gini whose nDCG@10 loss is within ``max_loss``
    and that puts nobody over capacity (meant for tune streams)."""
    fair = [r for r in report["results"] if r["margin"] is not None
            and r["ndcg_loss"] <= max_loss and r["mentors_over_capacity"] == 0]
    return min(fair, key=lambda r: r["impression_gini"])["margin"] if fair else None


def table(report: Mapping[str, Any]) -> str:
    lines = ["| run | impression Gini | vs capacity | Gini among candidates | request Gini | "
             "never shown | over capacity | nDCG@10 | nDCG loss |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in report["results"]:
        lines.append(f"| {r['run']} | {r['impression_gini']:.3f} | "
                     f"{r['impression_gini_change']:+.1%} | "
                     f"{r['candidate_impression_gini']:.3f} | {r['request_gini']:.3f} | "
                     f"{r['never_shown']:.1%} | {r['over_capacity']:.2%} "
                     f"({r['mentors_over_capacity']}) | {r['ndcg@10']:.4f} | "
                     f"{r['ndcg_loss']:+.4f} |")
    return "\n".join(lines)


def plot(report: Mapping[str, Any], path: str, tune: Mapping[str, Any] | None = None) -> None:
    """Load curves (requests per mentor, busiest first) and the Gini / nDCG trade-off."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for r in report["results"]:
        if r["margin"] is None or r is _chosen(report):
            left.plot(range(1, len(r["load_curve"]) + 1), r["load_curve"], label=r["run"])
    left.set_xlabel("mentors asked at least once, busiest first")
    left.set_ylabel("requests in the week")
    left.set_yscale("log")
    left.set_title(f"Load curve: {report['sessions']} sessions, {report['split']} asks")
    left.legend(fontsize=8)
    for name, rep in (("tune", tune), (report["split"], report)):
        if rep is None:
            continue
        fair = [r for r in rep["results"] if r["margin"] is not None]
        right.plot([r["ndcg_loss"] for r in fair], [r["impression_gini"] for r in fair],
                   marker="o", label=f"{name} stream")
        for r in fair:
            right.annotate(f"{r['margin']:g}", (r["ndcg_loss"], r["impression_gini"]),
                           fontsize=7, textcoords="offset points", xytext=(3, 3))
        base = rep["results"][1]
        right.scatter([0], [base["impression_gini"]], marker="x", color="black")
    right.axvline(0.01, color="grey", linestyle=":", linewidth=1)
    right.set_xlabel("nDCG@10 loss vs capacity without fairness")
    right.set_ylabel("impression Gini (all mentors)")
    right.set_title("Fairness margin: exposure vs relevance")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _chosen(report: Mapping[str, Any]) -> Mapping[str, Any] | None:
    chosen = report.get("chosen_margin")
    return next((r for r in report["results"] if r["margin"] == chosen), None)


def main(args: Any) -> int:
    margins = [float(m) for m in args.margins.split(",")] if args.margins else []
    tune = json.loads(Path(args.tuned).read_text()) if args.tuned else None
    chosen = (tune or {}).get("chosen_margin")
    if chosen is not None and chosen not in margins:
        margins.append(chosen)
    if args.replot:  # a finished run, given the margin a tune run chose: table and plot again
        report = json.loads(Path(args.replot).read_text())
    else:
        scratch = "/dev/shm" if Path("/dev/shm").is_dir() else None  # no fsync in the replay
        with mentor_index(args.mentors, None, args.index_dir, not args.quiet) as finder, \
                tempfile.TemporaryDirectory(prefix="mf-exposure-", dir=scratch) as work:
            report = run(finder, args.sessions, args.seed, args.split, margins, Path(work))
    report["chosen_margin"] = (tune or {}).get("chosen_margin") if tune else \
        choose_margin(report) if SPLITS[args.split] == "tune" else None
    rendered = table(report)
    print(rendered)
    print(f"{report['asks']} asks, {report['distinct_searches']} distinct searches "
          f"({report['search_seconds']} s), {report['candidate_mentors']} candidate mentors; "
          f"chosen margin: {report['chosen_margin']}")
    if args.json:
        write_report(args.json, report, rendered)
    if args.plot:
        plot(report, args.plot, tune)
    return 0
