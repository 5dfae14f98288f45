"""Build the judgment pool of a graded goal set: the top N mentors of several pipelines per goal.

    python eval/experiments/pool_goals.py --dataset eval/datasets/problem-asks \
        --out /tmp/pool.json --index-dir /tmp/pool-index

Writes ``{query_id: {mentor_id: {pipeline: rank}}}``. The pool is only the list of mentors a
person then reads and grades; the ranks are not shown while judging. Grep additions (mentors a
knowledgeable person would look for) are added by hand, beside the pool, before judging.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from eval.retrieval import load_dataset, open_index

POOL_PIPELINES = ("bm25", "dense", "default", "dense-sentences")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--index-dir")
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--pipelines", default=",".join(POOL_PIPELINES))
    args = parser.parse_args()
    folder = Path(args.dataset)
    # Every goal in queries.jsonl is pooled, judged or not yet.
    queries = {}
    for line in (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            queries[record["_id"]] = record["text"]
    qrels = folder / "qrels"
    qrels.mkdir(exist_ok=True)
    placeholder = qrels / "_pool.tsv"
    placeholder.write_text("query-id\tcorpus-id\tscore\n"
                           + "".join(f"{q}\tnone\t1\n" for q in queries), encoding="utf-8")
    try:
        dataset = load_dataset(folder, "_pool")
    finally:
        placeholder.unlink()
    pool: dict[str, dict[str, dict[str, int]]] = {q: {} for q in queries}
    with open_index(dataset, None, args.index_dir) as finder:
        for pipeline in args.pipelines.split(","):
            for qid, text in queries.items():
                for rank, match in enumerate(finder.search(text, k=args.depth,
                                                           pipeline=pipeline), 1):
                    pool[qid].setdefault(dataset.doc_id(match.mentor.id), {})[pipeline] = rank
    Path(args.out).write_text(json.dumps(pool, indent=1), encoding="utf-8")
    sizes = sorted(len(v) for v in pool.values())
    print(f"{len(pool)} goals, pool sizes {sizes[0]}-{sizes[-1]}, {sum(sizes)} pairs")


if __name__ == "__main__":
    main()
