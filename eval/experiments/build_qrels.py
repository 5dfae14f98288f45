"""Write a goal set's qrels from its judgment file, and split every set into tune and report halves.

    python eval/experiments/build_qrels.py coding-coach-goals
    python eval/experiments/build_qrels.py problem-asks
    python eval/experiments/build_qrels.py --split-only goals esco-occupations

A judgment file (``eval/experiments/judgments/<set>.txt``) holds one line per goal, written by
the assessor after reading the pooled profiles: ``<goal> 2=<ids> 1=<ids> [rule2=<regex>]
[rule1=<regex>]``. Ids are mentor ids without the set's usual prefix (``cc-`` for the Coding
Coach set, ``esco-`` for the problem-shaped set); a full id (``cc-188``) is taken as it is. A rule gives
that grade to every corpus mentor whose skills match the regex; it is used only where dozens of
near-identical profiles fit the same way (e.g. every profile that lists a front-end framework
partly fits "my web app's UI is sluggish"), so that the grade does not depend on which of them
a pipeline happened to pool. An explicit id always wins over a rule; grade 2 wins over grade 1.

The split is deterministic and stratified by ``metadata.area``: goals sorted by (area, id) are
dealt alternately to tune and report. ESCO dev queries go by their number (even: tune, odd:
report).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "eval" / "datasets"
JUDGMENTS = Path(__file__).resolve().parent / "judgments"
PREFIX = {"coding-coach-goals": "cc-", "problem-asks": "esco-", "fit-asks": "esco-"}
SOURCE = {"coding-coach-goals": "coding-coach", "problem-asks": None, "fit-asks": None}


def demo_mentors(source: str | None) -> dict[str, dict]:
    rows = [json.loads(line) for line in (ROOT / "data" / "demo_mentors.jsonl").open()]
    return {r["id"]: r for r in rows if source is None or r["source"] == source}


def parse(path: Path, prefix: str) -> dict[str, dict[str, str]]:
    judged: dict[str, dict[str, str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        goal, *fields = line.split()
        entry = judged.setdefault(goal, {})
        for field in fields:
            key, _, value = field.partition("=")
            if key not in {"2", "1", "rule2", "rule1"} or not value:
                raise SystemExit(f"{path}:{number}: cannot read {field!r}")
            if key in entry:
                raise SystemExit(f"{path}:{number}: {key} given twice for {goal}")
            entry[key] = value
    return judged


def grades(entry: dict[str, str], mentors: dict[str, dict], prefix: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for grade in (1, 2):  # grade 2 last, so it wins
        rule = entry.get(f"rule{grade}")
        if rule:
            pattern = re.compile(rule)
            for mentor_id, record in mentors.items():
                if any(pattern.search(skill.lower()) for skill in record.get("skills", [])):
                    out[mentor_id] = grade
    for grade in (1, 2):
        for short in filter(None, entry.get(str(grade), "").split(",")):
            mentor_id = short if short.startswith(("cc-", "esco-")) else prefix + short
            if mentor_id not in mentors:
                raise SystemExit(f"unknown mentor {mentor_id}")
            out[mentor_id] = grade
    return out


def read_queries(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "queries.jsonl").open() if line.strip()]


def split_of(queries: list[dict]) -> dict[str, str]:
    ordered = sorted(queries, key=lambda q: ((q.get("metadata") or {}).get("area", ""), q["_id"]))
    return {q["_id"]: ("tune", "report")[i % 2] for i, q in enumerate(ordered)}


def write_qrels(path: Path, rows: list[tuple[str, str, int]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["query-id", "corpus-id", "score"])
        writer.writerows(rows)


def read_rows(path: Path) -> list[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return [(q, d, int(s)) for q, d, s in rows]


def split_rows(folder: Path, rows: list[tuple[str, str, int]], assign: dict[str, str]) -> None:
    for half in ("tune", "report"):
        write_qrels(folder / "qrels" / f"{half}.tsv", [r for r in rows if assign[r[0]] == half])


def build(name: str) -> None:
    folder = DATASETS / name
    queries = read_queries(folder)
    mentors = demo_mentors(SOURCE[name])
    judged = parse(JUDGMENTS / f"{name}.txt", PREFIX[name])
    missing = [q["_id"] for q in queries if q["_id"] not in judged]
    if missing:
        raise SystemExit(f"goals without judgments: {missing}")
    rows: list[tuple[str, str, int]] = []
    for query in queries:
        graded = grades(judged[query["_id"]], mentors, PREFIX[name])
        if not any(g == 2 for g in graded.values()):
            raise SystemExit(f"{query['_id']} has no grade-2 mentor")
        rows += [(query["_id"], m, g) for m, g in sorted(graded.items())]
    write_qrels(folder / "qrels" / "test.tsv", rows)
    split_rows(folder, rows, split_of(queries))
    twos = sum(1 for r in rows if r[2] == 2)
    print(f"{name}: {len(queries)} goals, {len(rows)} judgments ({twos} grade 2)")


def split_existing(name: str) -> None:
    folder = DATASETS / name
    if name == "esco-occupations":
        rows = read_rows(folder / "qrels" / "dev.tsv")
        assign = {q: ("tune", "report")[int(q.rsplit("-", 1)[1]) % 2] for q, _, _ in rows}
    else:
        rows = read_rows(folder / "qrels" / "test.tsv")
        assign = split_of(read_queries(folder))
    split_rows(folder, rows, assign)
    halves = {h: len({q for q, _, _ in rows if assign[q] == h}) for h in ("tune", "report")}
    print(f"{name}: split {halves}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--split-only", action="store_true")
    args = parser.parse_args()
    for name in args.sets:
        (split_existing if args.split_only else build)(name)


if __name__ == "__main__":
    main()
