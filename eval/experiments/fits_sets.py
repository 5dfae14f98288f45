"""Pipelines on one split of several graded sets, through the real index (session 6, issue 7).

    python eval/experiments/fits_sets.py tune default,dense eval/datasets/fit-asks \
        eval/datasets/problem-asks eval/datasets/goals eval/datasets/coding-coach-goals

Prints nDCG@10 / P@5 / hit@5 per set and pipeline (the ``python -m eval retrieval`` code path,
demo vectors from ``data/demo_vectors.npz``). ``--per-query PREFIX`` also writes each set's
per-query nDCG@10 and first five to ``PREFIX_<set>_<split>_<pipeline>.json``, to see which asks
a change moved. Used on tune halves to choose, and once on the report halves
(``eval/results/fits_session6/README.md``).
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from eval.retrieval import MAX_DEPTH, load_dataset, open_index, run_pipeline, score_run


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = argparse.ArgumentParser()
    parser.add_argument("split")
    parser.add_argument("pipelines")
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--index-dir", default="/tmp/fits-s6-index")
    parser.add_argument("--cc-index-dir", default="/tmp/fits-s6-cc-index")
    parser.add_argument("--per-query", help="write per-query results with this path prefix")
    args = parser.parse_args()
    for folder in args.sets:
        dataset = load_dataset(folder, args.split)
        index = args.cc_index_dir if "coding-coach" in folder else args.index_dir
        with open_index(dataset, None, index, False, "data/demo_vectors.npz") as finder:
            for name in args.pipelines.split(","):
                ranked, _ = run_pipeline(finder, dataset, name, MAX_DEPTH, False)
                means, per_query = score_run(dataset, ranked, 10)
                print(f"{Path(folder).name:20s} {args.split:6s} {name:8s} "
                      f"{means['ndcg@10']:.4f} / {means['precision@5']:.4f} / "
                      f"{means['hit_rate@5']:.4f}", flush=True)
                if args.per_query:
                    out = f"{args.per_query}_{Path(folder).name}_{args.split}_{name}.json"
                    Path(out).write_text(json.dumps({
                        "ndcg": per_query["ndcg@10"],
                        "top5": {q: docs[:5] for q, docs in ranked.items()},
                        "queries": dataset.queries}), encoding="utf-8")


if __name__ == "__main__":
    main()
