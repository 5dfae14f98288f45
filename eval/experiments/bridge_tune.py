"""Tune the expertise bridge (issue 8 item 4) on TUNING halves only.

For each bridge data file, matching mode (whole message, or whole + sentences), threshold,
margin and weight, it runs the `default` pipeline on the tune halves of the problem-asks,
goals and Coding Coach goal sets and prints nDCG@10, P@5 and hit@5, and which entry fired for
each query. Searches are cached by (query, fired entry, weight): configurations that fire the
same entries cost nothing. Report halves are never read here.

    PYTHONPATH=. python eval/experiments/bridge_tune.py --old /tmp/expertise_bridge_v1.json \
        --index-root /tmp/bridge-work
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np

from eval.retrieval import load_dataset, open_index, score_run
from finder.search.bridge import Bridge, choose, clauses, entry_scores, move
from finder.search.ranking import PIPELINES

SETS = (("problem-asks", "idx-demo"), ("goals", "idx-demo"), ("coding-coach-goals", "idx-cc"))
METRICS = ("ndcg@10", "precision@5", "hit_rate@5")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="an older bridge file to compare with")
    parser.add_argument("--index-root", default="/tmp/bridge-work")
    parser.add_argument("--split", default="tune")
    parser.add_argument("--thresholds", default="0.45,0.5,0.55,0.6")
    parser.add_argument("--margins", default="0,0.02,0.04,0.06")
    parser.add_argument("--weights", default="0.6")
    parser.add_argument("--discounts", default="9,0.05",
                        help="sentence cosine discounts (9: whole message only)")
    parser.add_argument("--show", action="store_true", help="print what fires per query")
    args = parser.parse_args()
    if args.split == "report":
        raise SystemExit("tune on the tuning halves only")
    bridges = {"v2": Bridge.bundled()}
    if args.old:
        bridges["v1"] = Bridge.load(Path(args.old))
    # The first configuration fires nothing: the per-query baseline for --show.
    grid = [("v2", 9.0, 9.0, 0.0, 0.0)] + list(itertools.product(
        bridges, [float(d) for d in args.discounts.split(",")], [float(t) for t in args.thresholds.split(",")],
        [float(m) for m in args.margins.split(",")], [float(w) for w in args.weights.split(",")]))
    results: dict[tuple[Any, ...], dict[str, list[float]]] = {}
    base = PIPELINES["default"]
    for name, folder in SETS:
        dataset = load_dataset(Path("eval/datasets") / name, args.split)
        with open_index(dataset, None, Path(args.index_root) / folder, progress=False) as finder:
            emb = finder.embedder
            cache: dict[tuple[str, int | None, float], list[str]] = {}
            qvec = {q: emb.encode_query(t) for q, t in dataset.queries.items()}
            units = {}
            for q, text in dataset.queries.items():
                parts = clauses(" ".join(text.split()))
                units[q] = np.vstack([qvec[q], emb.encode(parts)]) if parts else qvec[q][None]
            for config in grid:
                tag, discount, threshold, margin, weight = config
                bridge = bridges[tag]
                phr = emb.encode_fixed(f"{tag}-phr", bridge.phrasings)
                helps = emb.encode_fixed(f"{tag}-exp", bridge.expertise)
                ranked: dict[str, list[str]] = {}
                fired: dict[str, tuple[int | None, float]] = {}
                for q, text in dataset.queries.items():
                    scores = entry_scores(units[q], phr, bridge.owners, len(bridge.asks),
                                          discount)
                    hit = choose(scores, helps, threshold, margin)
                    fired[q] = (hit, float(scores.max()))
                    key = (f"{tag}:{hit}", weight)
                    ck = (q, *key)
                    if ck not in cache:
                        moved = qvec[q] if hit is None else move(qvec[q], helps[hit], weight)
                        expertise = "" if hit is None else bridge.expertise[hit]
                        finder._expand = lambda v, query, pipe, m=moved, e=expertise: (m, e, query)
                        pipe = dataclasses.replace(base, bridge=weight)
                        matches = finder.search(text, k=10, pipeline=pipe)
                        cache[ck] = [dataset.doc_id(m.mentor.id) for m in matches]
                    ranked[q] = cache[ck]
                means, per_query = score_run(dataset, ranked, 10)
                if config == grid[0]:
                    plain = {q: per_query["ndcg@10"].get(q, 0.0) for q in ranked}
                results.setdefault(config, {})[name] = [means[m] for m in METRICS] + [
                    sum(h is not None for h, _ in fired.values())]
                if args.show:
                    for q, (hit, best) in fired.items():
                        if hit is not None:
                            delta = per_query["ndcg@10"].get(q, 0.0) - plain[q]
                            print(f"  {config} {name} {q} {best:.2f} {delta:+.2f} "
                                  f"{dataset.queries[q][:70]!r} -> {bridge.asks[hit][:50]!r}")
    print("config (data, sentence discount, threshold, margin, weight): per set nDCG@10 P@5 hit@5 fired")
    for config, per in results.items():
        cells = "  ".join(f"{name[:6]} " + " ".join(f"{v:.3f}" for v in vals[:3])
                          + f" {int(vals[3])}" for name, vals in per.items())
        mean = np.mean([vals[0] for vals in per.values()])
        print(f"{config}  {cells}  mean-nDCG {mean:.4f}")
    Path(args.index_root, "bridge_tune.json").write_text(json.dumps(
        [{"config": list(c), "sets": p} for c, p in results.items()], indent=1))


if __name__ == "__main__":
    main()
