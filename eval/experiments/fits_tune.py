"""Bridge file versions side by side on the tune halves (session 5, issue 7/8 fits).

    python eval/experiments/fits_tune.py --split tune \
        --bridges /tmp/bridge_v2.json,data/expertise_bridge.json \
        eval/datasets/fit-asks eval/datasets/problem-asks eval/datasets/goals \
        eval/datasets/coding-coach-goals

Each bridge file needs its own ``version`` (the encoded phrasings are cached by it). Runs the
``default`` pipeline with each file through the real index (demo vectors
from the shipped file; ``--index-dir`` reused), printing nDCG@10 / P@5 / hit@5 per set. Used on
tune halves only to choose; the report halves are then run once with ``python -m eval
retrieval``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

from eval.retrieval import MAX_DEPTH, load_dataset, open_index, run_pipeline, score_run
from finder.search.bridge import Bridge
from finder.search.ranking import PIPELINES


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+")
    parser.add_argument("--split", default="tune")
    parser.add_argument("--bridges", required=True)
    parser.add_argument("--both", type=lambda v: [x == "1" for x in v.split(",")],
                        default=[False], help="bridge_both values to try, e.g. 0,1")
    parser.add_argument("--index-dir", default="/tmp/fits-pool-index")
    parser.add_argument("--cc-index-dir", default="/tmp/fits-cc-index")
    args = parser.parse_args()
    bridges = args.bridges.split(",")
    for folder in args.sets:
        dataset = load_dataset(folder, args.split)
        index = (args.cc_index_dir if "coding-coach" in folder else
                 "/tmp/fits-esco-index" if "esco" in folder else args.index_dir)
        with open_index(dataset, None, index, False, "data/demo_vectors.npz") as finder:
            for path in bridges:
                finder._bridge = Bridge.load(Path(path))
                for both in args.both:
                    name = f"default-{Path(path).stem}" + ("-both" if both else "")
                    PIPELINES[name] = dataclasses.replace(PIPELINES["default"], name=name,
                                                          bridge_both=both)
                    ranked, _ = run_pipeline(finder, dataset, name, MAX_DEPTH, False)
                    means, _ = score_run(dataset, ranked, 10)
                    print(f"{Path(folder).name:20s} {args.split:6s} {name:40s} "
                          f"{means['ndcg@10']:.4f} / {means['precision@5']:.4f} / "
                          f"{means['hit_rate@5']:.4f}", flush=True)


if __name__ == "__main__":
    main()
