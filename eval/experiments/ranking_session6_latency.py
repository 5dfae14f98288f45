"""Session 6: what the optional ranking signals cost per search (research only).

Ranking time only (query vectors cached, so the model is left out), k=5, the pipelines
interleaved per ask, on the demo index ``ranking_session6.py`` keeps under /tmp/esco6/idx/demo.

    python eval/experiments/ranking_session6_latency.py
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.ranking_data import embedder
from eval.experiments.ranking_session6 import D, IDX, ROOT
from eval.retrieval import load_dataset, open_index

PIPES = {"default": D, "prf": replace(D, feedback=0.1, feedback_docs=3),
         "rm3": replace(D, rm3=0.1), "sent top2": replace(D, sentence_top=2),
         "kind z": replace(D, kind_z=True)}


def main() -> None:
    emb = embedder()
    emb.variant = getattr(emb.inner, "variant", None)
    goals = load_dataset(ROOT / "eval/datasets/goals", "tune")
    esco = load_dataset(ROOT / "eval/datasets/esco-occupations", "tune")
    asks = list(goals.queries.values()) + list(esco.queries.values())[:66]
    with open_index(goals, emb, IDX / "demo", progress=False) as finder:
        for ask in asks:
            emb.encode_query(ask)
        for ask in asks[:20]:
            finder._rank(ask, 5, None, None, 0.0, D)
        times: dict[str, list[float]] = {name: [] for name in PIPES}
        for ask in asks:
            for name, pipe in PIPES.items():
                start = time.perf_counter()
                finder._rank(ask, 5, None, None, 0.0, pipe)
                times[name].append(1000 * (time.perf_counter() - start))
        for name, values in times.items():
            values.sort()
            print(f"{name:10s} p50 {statistics.median(values):.1f} ms  "
                  f"p95 {values[int(0.95 * len(values)) - 1]:.1f} ms")


if __name__ == "__main__":
    main()
