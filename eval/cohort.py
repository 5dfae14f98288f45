"""``python -m eval cohort``: cohort matching against a greedy baseline on the demo mentors.

A cohort of mentees is generated from the goal set (eval/datasets/goals): each goal is reworded
with a few openings and closings, some mentees add a format or a session length, and goals
repeat, as they do in a real cohort where many people want the same few experts. Each mentee's
20 best mentors under their constraints are the candidates; every mentor takes at most their
``max_requests_per_week`` mentees. Three assignments are compared: greedy (each mentee in file
order takes their best mentors with room), the exact optimum of total score, and the optimum of
participation (as many mentors as possible, then score). Relevance is reported twice: the
finder's own match score, and the goal set's graded judgments (2 fits, 1 partly, unjudged 0).
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.reports import write_report
from eval.dialogue import mentor_index
from finder.programme.cohort import Mentee, Pair, candidates, gini, greedy, solve

GOALS = Path("eval/datasets/goals")
OPENINGS = ["", "I'd like help to ", "Looking for a mentor to ", "Could someone help me ",
            "Hoping to get advice on how to ", "Need a quick chat to "]
CLOSINGS = ["", " soon", " this month", ", any pointers welcome", " before my review"]
CONSTRAINTS: list[dict[str, Any]] = [{}, {}, {}, {"formats": ["email"]}, {"formats": ["video"]},
                                     {"minutes": 30}, {"formats": ["phone", "video"]}]


def generate_mentees(n: int, seed: int = 7) -> tuple[list[Mentee], dict[str, str]]:
    """``n`` mentees from the goal set, and the goal id each one came from."""
    goals = [json.loads(line) for line in (GOALS / "queries.jsonl").open(encoding="utf-8")]
    rng = random.Random(seed)
    order = goals[:]
    rng.shuffle(order)
    return reworded_mentees(order, n, rng, "c{:03d}")


def reworded_mentees(asks: Sequence[Mapping[str, Any]], n: int, rng: random.Random,
                     id_format: str) -> tuple[list[Mentee], dict[str, str]]:
    """``n`` mentees drawn from ``asks`` (records with ``_id`` and ``text``), each reworded with
    an opening and a closing and some with a format or length; the ask id each came from.
    Earlier asks come up more often: a few asks dominate a real cohort."""
    weights = [1.0 / (1 + rank) ** 0.7 for rank in range(len(asks))]
    mentees, origin = [], {}
    for i in range(n):
        ask = rng.choices(asks, weights=weights)[0]
        opening = rng.choice(OPENINGS)
        text = ask["text"]
        text = opening + (text[0].lower() + text[1:] if opening else text) + rng.choice(CLOSINGS)
        mentee_id = id_format.format(i + 1)
        mentees.append(Mentee(id=mentee_id, name=f"Mentee {i + 1}", goal=text,
                              **rng.choice(CONSTRAINTS)))
        origin[mentee_id] = ask["_id"]
    return mentees, origin


def judgments() -> dict[str, dict[str, int]]:
    grades: dict[str, dict[str, int]] = {}
    for line in (GOALS / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        query, mentor, score = line.split("\t")
        grades.setdefault(query, {})[mentor] = int(score)
    return grades


def figures(name: str, chosen: Sequence[Pair], scores: Mapping[Pair, float],
            mentees: Sequence[Mentee], per_mentee: int, pool: Sequence[str],
            capacity: Mapping[str, int | None], grades: Mapping[str, Mapping[str, int]],
            origin: Mapping[str, str], seconds: float) -> dict[str, Any]:
    load = Counter(mentor for _, mentor in chosen)
    per = Counter(mentee for mentee, _ in chosen)
    graded = [grades.get(origin[mentee], {}).get(mentor, 0) for mentee, mentor in chosen]
    over = sum(1 for m, n in load.items() if capacity.get(m) is not None and n > capacity[m])
    return {
        "method": name, "pairs": len(chosen),
        "total_score": round(sum(scores[p] for p in chosen), 2),
        "mean_score": round(sum(scores[p] for p in chosen) / max(1, len(chosen)), 4),
        "mentees_full": sum(1 for m in mentees if per[m.id] == per_mentee),
        "mentees_unmatched": sum(1 for m in mentees if per[m.id] == 0),
        "mentors_used": len(load),
        "load_gini": round(gini([load.get(m, 0) for m in pool]), 3),
        "mentors_over_capacity": over,
        "judged_relevant_share": round(sum(1 for g in graded if g >= 1) / max(1, len(graded)), 3),
        "mean_grade": round(sum(graded) / max(1, len(graded)), 3),
        "seconds": round(seconds, 2),
        "load_curve": sorted(load.values(), reverse=True),
    }


def run(finder: Any, n: int, per_mentee: int, seed: int, depth: int = 20) -> dict[str, Any]:
    mentees, origin = generate_mentees(n, seed)
    started = time.monotonic()
    found = candidates(lambda q, k, f: finder.search(q, k, f), mentees, depth)
    search_seconds = time.monotonic() - started
    scores = {(mentee, m.mentor.id): m.score for mentee, ms in found.items() for m in ms}
    pool = sorted({mentor for _, mentor in scores})
    capacity = {m: finder.get(m).max_requests_per_week for m in pool}
    grades = judgments()
    results = []
    for name, assign in [
            ("greedy", lambda: greedy(scores, [m.id for m in mentees], per_mentee, capacity)),
            ("optimal: score", lambda: solve(scores, per_mentee, capacity, "score")),
            ("optimal: participation",
             lambda: solve(scores, per_mentee, capacity, "participation"))]:
        started = time.monotonic()
        chosen = assign()
        results.append(figures(name, chosen, scores, mentees, per_mentee, pool, capacity,
                               grades, origin, time.monotonic() - started))
    return {"mentees": n, "per_mentee": per_mentee, "seed": seed, "candidates_per_mentee": depth,
            "candidate_mentors": len(pool), "distinct_goals": len(set(origin.values())),
            "search_seconds": round(search_seconds, 1), "results": results}


def table(report: Mapping[str, Any]) -> str:
    head = ("| method | pairs | total score | mean score | judged relevant | mean grade | "
            "mentees with 2 | unmatched | mentors used | load Gini | over capacity | solve s |")
    lines = [head, "|" + "---|" * 12]
    for r in report["results"]:
        lines.append(f"| {r['method']} | {r['pairs']} | {r['total_score']:.1f} | "
                     f"{r['mean_score']:.3f} | {r['judged_relevant_share']:.1%} | "
                     f"{r['mean_grade']:.2f} | {r['mentees_full']} | {r['mentees_unmatched']} | "
                     f"{r['mentors_used']} | {r['load_gini']:.3f} | "
                     f"{r['mentors_over_capacity']} | {r['seconds']:.2f} |")
    return "\n".join(lines)


def plot(report: Mapping[str, Any], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    for r in report["results"]:
        ax.plot(range(1, len(r["load_curve"]) + 1), r["load_curve"], label=r["method"])
    ax.set_xlabel("mentors taking part, busiest first")
    ax.set_ylabel("mentees assigned")
    ax.set_title(f"Cohort of {report['mentees']} mentees, {report['per_mentee']} mentors each")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(args: Any) -> int:
    with mentor_index(args.mentors, None, args.index_dir, not args.quiet) as finder:
        report = run(finder, args.mentees, args.per_mentee, args.seed)
    rendered = table(report)
    print(rendered)
    print(f"{report['candidate_mentors']} candidate mentors, {report['distinct_goals']} "
          f"distinct goals, search {report['search_seconds']} s")
    if args.json:
        write_report(args.json, report, rendered)
    if args.plot:
        plot(report, args.plot)
    return 0
