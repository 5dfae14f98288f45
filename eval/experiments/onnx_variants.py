"""ONNX Runtime variants of the encoder against float32: ingest speed and nDCG@10 on every set.

    python eval/experiments/onnx_variants.py --onnx-dir /tmp/onnx \
        --json eval/results/onnx_variants.json

``onnx-fp32`` is the product's own ONNX backend (``MiniLMEmbedder(backend="onnx")``: the
graph exported by ``finder.search.onnx_graph`` into ``--graph-dir``, timed); ``onnx-int8`` is
the dynamic int8 quantisation of the graph in ``--onnx-dir`` (``encode_variants.export_onnx``),
run with the same tokenizer, mean pooling and normalisation. Everything is offline.

Speed: ``--mentors`` ESCO-length demo mentors ingested into a fresh index by the real write
path (``MentorFinder.ingest``), each variant once per round, alternating, ``--repeats`` rounds;
the median mentors/s and the ratio of medians to float32 in the same run, with the load average
seen around each run. Quality: nDCG@10 (default pipeline) on the report half of every graded
set (and ESCO's dev half), each variant encoding the whole corpus itself (no shipped demo
vectors: they are float16 roundings of float32's), so query and document vectors always come
from the same variant.
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
from finder.search.onnx_graph import export_graph, graph_file
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


class Unshipped:
    """An embedder without its model fingerprint: no shipped vector fits it, so every text of
    a corpus is encoded by this very backend."""

    def __init__(self, inner: MiniLMEmbedder, variant: str) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.variant = variant

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        return self.inner.encode(texts, show_progress=show_progress)

    def encode_query(self, text: str) -> np.ndarray:
        return self.inner.encode_query(text)

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_fixed(name, texts)


class Remembering(Unshipped):
    """Unshipped, and each text encoded once per run: the ESCO and Coding Coach corpora are
    the demo's own mentors, so their texts are encoded once for all the sets."""

    def __init__(self, inner: MiniLMEmbedder, variant: str) -> None:
        super().__init__(inner, variant)
        self.seen: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.seen))
        if todo:
            self.seen.update(zip(todo, self.inner.encode(todo)))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self.seen[t] for t in texts])


def query_latency(embedders: dict[str, Any], texts: list[str]) -> dict[str, float]:
    """Median ms to encode one text alone (no cache), the variants alternating."""
    times: dict[str, list[float]] = {name: [] for name in embedders}
    for text in texts:
        for name, embedder in embedders.items():
            started = time.perf_counter()
            embedder.encode([text])
            times[name].append(1000 * (time.perf_counter() - started))
    return {name: round(statistics.median(t), 1) for name, t in times.items()}


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


def quality(embedders: dict[str, Any], work: Path, sets: Sequence[tuple[str, str]],
            shipped: Path | None = None) -> dict[str, dict[str, float]]:
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
                                         index_dir=work / name / corpus, progress=False,
                                         shipped=shipped)
            out[key][name] = round(report["pipelines"]["default"]["ndcg@10"], 4)
            print(f"{key} {name}: nDCG@10 {out[key][name]} "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--onnx-dir", required=True, help="model.onnx / model-int8.onnx here "
                        "(exported from the packaged weights when missing)")
    parser.add_argument("--graph-dir", help="the product backend's graph cache (default: a "
                        "fresh temporary folder, so the export is timed)")
    parser.add_argument("--mentors", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work-dir", help="indexes for the quality runs (default: temporary)")
    parser.add_argument("--sets", default=",".join(f"{f}/{s}" for f, s in SETS),
                        help="comma-separated FOLDER/SPLIT under eval/datasets (default: all)")
    parser.add_argument("--variants", default="float32,onnx-fp32,onnx-int8",
                        help="comma-separated, for the quality runs (speed always runs all)")
    parser.add_argument("--data", default=str(ROOT / "data" / "demo_mentors.jsonl"),
                        help="where the speed runs take their ESCO-length mentors from")
    parser.add_argument("--float32-shipped", action="store_true",
                        help="quality: float32 takes the shipped demo vectors where they fit (what "
                        "the product does; float16 roundings of float32's), not fresh encodes")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    folder = Path(args.onnx_dir)
    export_onnx(folder)
    graphs = Path(args.graph_dir or tempfile.mkdtemp(prefix="mf-graph-"))
    torch_model = MiniLMEmbedder(backend="torch")
    graph = graph_file(graphs, torch_model.fingerprint)
    load_before = load_average()
    export_s = None if graph.exists() else round(export_graph(torch_model.path, graph), 1)
    product_onnx = MiniLMEmbedder(backend="onnx", graph_dir=graphs)
    assert product_onnx.runtime == "onnx"
    embedders: dict[str, Any] = {
        "float32": Unshipped(torch_model, "float32"),
        "onnx-fp32": Unshipped(product_onnx, "onnx-fp32"),
        "onnx-int8": OnnxEmbedder(folder / "model-int8.onnx", "onnx-int8"),
    }
    import onnxruntime
    import torch

    result: dict[str, Any] = {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__,
                              "torch_threads": torch.get_num_threads(), "cpus": os.cpu_count(),
                              "onnx_fp32": "product backend, MiniLMEmbedder(backend='onnx')",
                              "export_s": export_s,
                              "export_load_average": [load_before, load_average()]}
    demo = load_mentors(Path(args.data)).mentors
    esco = [m for m in demo if m.id.startswith("esco-")]
    sample = esco[:: max(1, len(esco) // args.mentors)][: args.mentors]
    probe = ["How do I ask my manager for a raise?"] + [m.bio for m in sample[:50]]
    reference = embedders["float32"].encode(probe)
    encoded = {name: e.encode(probe) for name, e in embedders.items()}
    result["cosine_to_float32_min"] = {
        name: round(float(np.min(np.sum(v * reference, axis=1))), 6)
        for name, v in encoded.items()}
    result["max_abs_diff_to_float32"] = {
        name: float(f"{float(np.abs(v - reference).max()):.2e}") for name, v in encoded.items()}
    asks = [f"{m.headline}, please help" for m in esco[1:: max(1, len(esco) // 30)][:30]]
    result["query_ms_median"] = query_latency(embedders, asks)
    result["query_load_average"] = load_average()
    print(json.dumps({k: result[k] for k in ("cosine_to_float32_min", "max_abs_diff_to_float32",
                                             "query_ms_median", "export_s")}), flush=True)
    if not args.skip_speed:
        result["speed"] = speed(embedders, sample, args.repeats)
    if not args.skip_quality:
        with tempfile.TemporaryDirectory(prefix="mf-onnx-q-") as tmp:
            work = Path(args.work_dir) if args.work_dir else Path(tmp)
            wanted = {name: embedders[name] for name in args.variants.split(",")}
            shipped = None
            if args.float32_shipped and "float32" in wanted:
                wanted["float32"] = torch_model
                shipped = ROOT / "data" / "demo_vectors.npz"  # fits float32 only
                result["float32_quality"] = "shipped demo vectors where they fit"
            if "onnx-fp32" in wanted:
                wanted["onnx-fp32"] = Remembering(product_onnx, "onnx-fp32")
            sets = [tuple(item.split("/", 1)) for item in args.sets.split(",")]
            result["ndcg@10"] = quality(wanted, work, sets, shipped)  # type: ignore[arg-type]
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
