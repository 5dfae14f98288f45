"""Session 6 probes that need vectors the index does not store (research only, tune halves).

Through the real index like ``ranking_session6.py``, with ``MentorFinder._semantic`` wrapped:

- ``headline w``: a 4th semantic kind, cosine(ask, vector of the headline alone), exact top-200;
- ``csls w``: hubness reduction (CSLS, Conneau et al. 2018): a profile cosine less ``w`` times
  the mean cosine of that profile to its 10 nearest other profiles.

    python eval/experiments/ranking_session6_probe.py tune esco,goals,problems,fits,cc 0.3:0,0:0.25
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.encode_cache import CachedEmbedder
from eval.experiments.ranking_report import _worktree_data
from eval.experiments.ranking_session6 import D, IDX, OUT, ROOT, SETS, run
from eval.retrieval import load_dataset, open_index
from finder.search.service import MentorFinder

STATE: dict = {"headline": 0.0, "csls": 0.0}


def attach(finder: MentorFinder, emb: CachedEmbedder) -> None:
    ids = finder.ids()
    mentors = [finder.get(m) for m in ids]
    H = emb.encode([m.headline or m.name for m in mentors])
    stored = finder.layout.profiles.vectors(ids)
    P = np.stack([stored[m] for m in ids])
    sims = P @ P.T
    np.fill_diagonal(sims, -1)
    k = 10
    hub = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
    finder._probe = {"ids": ids, "H": H, "hub": dict(zip(ids, hub.tolist()))}
    original = finder._semantic

    def semantic(vector, pipe, filters, allowed, depth):  # type: ignore[no-untyped-def]
        evidence, best = original(vector, pipe, filters, allowed, depth)
        probe = finder._probe
        if STATE["csls"] and "profile" in evidence.semantic:
            evidence.semantic["profile"] = {m: s - STATE["csls"] * probe["hub"][m]
                                            for m, s in evidence.semantic["profile"].items()}
        if STATE["headline"]:
            cos = probe["H"] @ vector
            top = np.argsort(-cos)[:depth]
            evidence.semantic["headline"] = {probe["ids"][i]: float(cos[i]) for i in top}
        return evidence, best

    finder._semantic = semantic  # type: ignore[method-assign]


def main() -> None:
    half, keys = sys.argv[1], sys.argv[2].split(",")
    _worktree_data()
    emb = CachedEmbedder(Path("/tmp/esco6/cache"), seeds=(Path("/tmp/ranking/cache"),))
    emb.variant = getattr(emb.inner, "variant", None)
    configs = []
    # "headline:csls" pairs, e.g. 0.3:0,0:0.25 (first run: 0.3:0,0.5:0,1:0,0:0.25,0:0.5,0:1)
    for pair in sys.argv[3].split(","):
        h, c = (float(x) for x in pair.split(":"))
        name = " + ".join(n for n, on in ((f"headline w{h:g}", h), (f"csls w{c:g}", c)) if on)
        configs.append((name, {"headline": h, "csls": c}))
    with ExitStack() as stack:
        finders, data = {}, {}
        for key in keys:
            folder, corpus = SETS[key]
            data[key] = load_dataset(ROOT / "eval" / "datasets" / folder, half)
            if corpus not in finders:
                finders[corpus] = stack.enter_context(
                    open_index(data[key], emb, IDX / corpus, progress=False))
                attach(finders[corpus], emb)
        for name, state in configs:
            STATE.update(state)
            pipe = D
            if state["headline"]:
                pipe = replace(D, dense={**D.dense, "headline": state["headline"]})
            t = time.time()
            row = {k: run(finders[SETS[k][1]], data[k], pipe) for k in keys}
            print(f"{name:22s} " + "  ".join(
                f"{k}: {r['ndcg@10']:.4f}/{r['p@5']:.3f}/{r['hit@5']:.3f}" for k, r in row.items())
                + f"  ({time.time() - t:.0f}s)", flush=True)
            with (OUT / f"s6_{half}.jsonl").open("a") as handle:
                handle.write(json.dumps({"variant": name, "half": half, "sets": row}) + "\n")


if __name__ == "__main__":
    main()
