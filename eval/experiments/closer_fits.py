"""When does a format or length filter keep out mentors who fit the ask better?

    python eval/experiments/closer_fits.py --split tune   # choose CLOSER_GAP / CLOSER_MIN here
    python eval/experiments/closer_fits.py --split report # then check them here, once

For every graded ask of the goal sets (goals, problem-asks) and three common constraints
(phone ≤ 15 min, email only, video ≤ 30 min): the first five mentors with the filter, and the
first five without it. "Closer fits" are mentors of the unfiltered five that the filter keeps
out although they score above every mentor shown. For each (gap, count) rule: how often it
fires, and how many of the mentors shown vs of the closer fits are relevant (graded ≥ 1).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from finder.compose import build
from finder.core.models import SearchFilters
from finder.core.settings import Settings
from finder.search.demo import seed_demo

ROOT = Path(__file__).resolve().parents[2]
SETS = ("goals", "problem-asks")
CONSTRAINTS = {"phone<=15": SearchFilters(formats=["phone"], max_minutes=15),
               "email": SearchFilters(formats=["email"]),
               "video<=30": SearchFilters(formats=["video"], max_minutes=30)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", choices=("tune", "report"), required=True)
    parser.add_argument("--home", help="a data folder with the demo index (seeded if empty)")
    args = parser.parse_args()
    services = build(Settings.from_env({"MENTOR_FINDER_HOME": args.home or tempfile.mkdtemp()}))
    seed_demo(services.finder)
    relevant: dict[tuple[str, str], dict[str, int]] = collections.defaultdict(dict)
    asks: dict[tuple[str, str], str] = {}
    for name in SETS:
        folder = ROOT / "eval" / "datasets" / name
        for line in (folder / "qrels" / f"{args.split}.tsv").read_text().splitlines()[1:]:
            query, mentor, grade = line.split("\t")
            relevant[(name, query)][mentor] = int(grade)
        for line in (folder / "queries.jsonl").read_text().splitlines():
            row = json.loads(line)
            asks[(name, row["_id"])] = row["text"]
    cases = []
    for key, grades in relevant.items():
        unfiltered = services.finder.search(asks[key], 5)
        for constraint, filters in CONSTRAINTS.items():
            shown = services.finder.search(asks[key], 5, filters)
            if not shown:
                continue
            best = max(m.score for m in shown)
            ids = {m.mentor.id for m in shown}
            closer = [m for m in unfiltered if m.mentor.id not in ids and m.score > best]
            cases.append({
                "ask": asks[key], "constraint": constraint, "n_closer": len(closer),
                "gap": (closer[0].score - best) if closer else 0.0,
                "shown_relevant": sum(grades.get(m.mentor.id, 0) > 0 for m in shown) / len(shown),
                "closer_relevant": (sum(grades.get(m.mentor.id, 0) > 0 for m in closer)
                                    / len(closer)) if closer else None})
    print(f"| rule ({args.split} half, {len(cases)} constrained asks) | fires | relevant among "
          "mentors shown | relevant among closer fits |\n|---|---|---|---|")
    for gap in (0.0, 0.01, 0.02, 0.03, 0.05):
        for need in (1, 2, 3):
            fired = [c for c in cases if c["n_closer"] >= need and c["gap"] >= gap]
            if fired:
                shown = sum(c["shown_relevant"] for c in fired) / len(fired)
                closer = sum(c["closer_relevant"] for c in fired) / len(fired)
                print(f"| gap ≥ {gap}, at least {need} | {len(fired)} | {shown:.2f} | "
                      f"{closer:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
