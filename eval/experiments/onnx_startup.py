"""Time to a ready model in a fresh process, torch against the ONNX backend (and peak RSS).

    python eval/experiments/onnx_startup.py --graph-dir DIR --runs 3 --json OUT

Each run is a new interpreter that imports the embedder, loads the model and encodes one text
(what the app does before its first page), the backends alternating.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import json, resource, sys, time
started = time.perf_counter()
from finder.search.embedding import MiniLMEmbedder
model = MiniLMEmbedder(backend=sys.argv[1], graph_dir=sys.argv[2])
model.encode(["I want career advice"])
seconds = time.perf_counter() - started
print(json.dumps({"runtime": model.runtime, "seconds": seconds,
                  "torch_imported": "torch" in sys.modules,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graph-dir", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    runs: dict[str, list[dict]] = {"torch": [], "onnx": []}
    for _ in range(args.runs):
        for backend in runs:
            load = os.getloadavg()[0]
            out = subprocess.run([sys.executable, "-c", CHILD, backend, args.graph_dir],
                                 env=env, capture_output=True, text=True, check=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            row["load_average"] = round((load + os.getloadavg()[0]) / 2, 1)
            runs[backend].append(row)
            print(backend, row, flush=True)
    result = {name: {"median_s": round(statistics.median(r["seconds"] for r in rows), 2),
                     "max_rss_mb": round(max(r["max_rss_mb"] for r in rows)),
                     "runs": rows} for name, rows in runs.items()}
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
