"""ONNX Runtime variants of the encoder against float32: ingest speed and nDCG@10 on every set.

    python eval/experiments/onnx_variants.py --onnx-dir /tmp/onnx \
        --json eval/results/onnx_variants.json

The ONNX graphs are exported from the packaged weights by ``encode_variants.export_onnx``
(torch's exporter, offline; nothing comes from a hub) and run by ONNX Runtime with the same
tokenizer, mean pooling and normalisation that sentence-transformers applies. (The
sentence-transformers ONNX backend itself needs optimum-onnx, whose releases pin
transformers < 4.58; the product pins 5.x, so the graph is run directly.)

Speed: ``--mentors`` ESCO-length demo mentors ingested into a fresh index by the real write
path (``MentorFinder.ingest``), each variant once per round, alternating, ``--repeats`` rounds;
the median mentors/s and the ratio of medians to float32 in the same run, with the load average
seen around each run. Quality: nDCG@10 (default pipeline) on the report half of every graded
set, each variant indexing the corpus itself, so query and document vectors always come from
the same variant.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from eval.experiments.encode_variants import OnnxEncoder, export_onnx
from eval.retrieval import evaluate_dataset
from finder.search.embedding import MODEL_NAME, FixedSets, MiniLMEmbedder
from finder.search.service import MentorFinder
from ingest.loaders import load_mentors

ROOT = Path(__file__).resolve().parents[2]
SETS = [("esco-occupations", "dev"), ("esco-occupations", "report"), ("goals", "report"),
        ("coding-coach-goals", "report"), ("problem-asks", "report")]


class OnnxEmbedder:
    """The Embedder protocol over an exported all-MiniLM-L6-v2 graph run by ONNX Runtime."""

    name = MODEL_NAME
    dimension = 384

    def __init__(self, graph: Path, variant: str, batch_size: int = 16) -> None:
        self.variant = variant
        self.batch_size = batch_size
        self._encoder = OnnxEncoder(graph, MiniLMEmbedder().path)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._fixed = FixedSets()

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            return self._encoder.encode(list(texts), batch_size=self.batch_size)

    def encode_query(self, text: str) -> np.ndarray:
        key = " ".join(text.split()).lower()
        if key not in self._cache:
            self._cache[key] = self.encode([text])[0]
        return self._cache[key]

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        return self._fixed.get(self, name, texts)


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def speed(embedders: dict[str, Any], mentors: list[Any], repeats: int) -> dict[str, Any]:
    """Mentors/s through the real ingest, each variant once per round, alternating."""
    times: dict[str, list[float]] = {name: [] for name in embedders}
    loads: dict[str, list[float]] = {name: [] for name in embedders}
    for embedder in embedders.values():  # warm: load the model, the tokenizer, the graph
        embedder.encode(["warm up"])
    for round_number in range(repeats):
        for name, embedder in embedders.items():
            with tempfile.TemporaryDirectory(prefix="mf-onnx-") as home:
                finder = MentorFinder.open(home, index="speed", embedder=embedder)
                before = load_average()
                started = time.perf_counter()
                report = finder.ingest(mentors, progress=False)
                seconds = time.perf_counter() - started
                assert len(report.added) == len(mentors), report.errors[:3]
                times[name].append(seconds)
                loads[name].append(round((before + load_average()) / 2, 1))
                print(f"round {round_number + 1} {name}: {len(mentors) / seconds:.1f} mentors/s "
                      f"(load {loads[name][-1]})", flush=True)
    base = statistics.median(times["float32"])
    rows = {}
    for name in embedders:
        median = statistics.median(times[name])
        rows[name] = {"mentors_per_s": round(len(mentors) / median, 1),
                      "speed_vs_float32": round(base / median, 2),
                      "runs_s": [round(t, 1) for t in times[name]],
                      "load_average": loads[name]}
    return {"mentors": len(mentors), "repeats": repeats, "rows": rows}


def quality(embedders: dict[str, Any], work: Path, sets: Sequence[tuple[str, str]]
            ) -> dict[str, dict[str, float]]:
    """nDCG@10 of the default pipeline per set and variant (one index per corpus and variant)."""
    out: dict[str, dict[str, float]] = {}
    for folder, split in sets:
        key = f"{folder}/{split}"
        out[key] = {}
        for name, embedder in embedders.items():
            corpus = "demo" if folder in ("goals", "problem-asks") else folder
            started = time.perf_counter()
            report, _ = evaluate_dataset(ROOT / "eval" / "datasets" / folder, split,
                                         pipelines=("default",), embedder=embedder,
                                         index_dir=work / name / corpus, progress=False)
            out[key][name] = round(report["pipelines"]["default"]["ndcg@10"], 4)
            print(f"{key} {name}: nDCG@10 {out[key][name]} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--onnx-dir", required=True, help="model.onnx / model-int8.onnx here "
                        "(exported from the packaged weights when missing)")
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", help="indexes for the quality runs (default: temporary)")
    parser.add_argument("--sets", default=",".join(f"{f}/{s}" for f, s in SETS),
                        help="comma-separated FOLDER/SPLIT under eval/datasets (default: all)")
    parser.add_argument("--variants", default="float32,onnx-fp32,onnx-int8",
                        help="comma-separated, for the quality runs (speed always runs all)")
    parser.add_argument("--data", default=str(ROOT / "data" / "demo_mentors.jsonl"),
                        help="where the speed runs take their ESCO-length mentors from")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    folder = Path(args.onnx_dir)
    export_onnx(folder)
    embedders: dict[str, Any] = {
        "float32": MiniLMEmbedder(),
        "onnx-fp32": OnnxEmbedder(folder / "model.onnx", "onnx-fp32"),
        "onnx-int8": OnnxEmbedder(folder / "model-int8.onnx", "onnx-int8"),
    }
    import onnxruntime
    import torch

    result: dict[str, Any] = {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
                              "torch_threads": torch.get_num_threads(), "cpus": os.cpu_count()}
    demo = load_mentors(Path(args.data)).mentors
    esco = [m for m in demo if m.id.startswith("esco-")]
    sample = esco[:: max(1, len(esco) // args.mentors)][: args.mentors]
    probe = ["How do I ask my manager for a raise?"] + [m.bio for m in sample[:50]]
    reference = embedders["float32"].encode(probe)
    result["cosine_to_float32_min"] = {
        name: round(float(np.min(np.sum(e.encode(probe) * reference, axis=1))), 4)
        for name, e in embedders.items()}
    if not args.skip_speed:
        result["speed"] = speed(embedders, sample, args.repeats)
    if not args.skip_quality:
        with tempfile.TemporaryDirectory(prefix="mf-onnx-q-") as tmp:
            work = Path(args.work_dir) if args.work_dir else Path(tmp)
            wanted = {name: embedders[name] for name in args.variants.split(",")}
            sets = [tuple(item.split("/", 1)) for item in args.sets.split(",")]
            result["ndcg@10"] = quality(wanted, work, sets)  # type: ignore[arg-type]
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
