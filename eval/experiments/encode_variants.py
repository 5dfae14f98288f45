"""Encoding speed of model variants against float32, in one process, alternating runs.

    python eval/experiments/encode_variants.py --mentors 200 --repeats 3

Variants: float32 (the product), bfloat16 autocast on the CPU, and ONNX Runtime (fp32 and int8
dynamic quantisation) when a model.onnx exported from the packaged weights is given with
--onnx. Reports texts/s and mentors/s (median of the repeats), the ratio to float32 in the same
run, and how close each variant's vectors are to float32 (min and mean cosine).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from finder.search.embedding import MiniLMEmbedder
from finder.search.onnx_graph import OnnxRunner, export_graph
from finder.search.indexing import embed
from ingest.loaders import load_mentors


def texts_of(path: Path, n: int) -> tuple[list[str], int]:
    mentors = load_mentors(path).mentors
    step = max(1, len(mentors) // n)
    sample = mentors[::step][:n]
    asked: list[str] = []

    def record(texts):  # type: ignore[no-untyped-def]
        asked.extend(texts)
        return np.zeros((len(texts), 1), dtype=np.float32)

    embed(sample, record)
    return asked, len(sample)


def export_onnx(folder: Path) -> None:
    """model.onnx from the packaged weights (the product's exporter: torch's, offline) and an
    int8 copy."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "model.onnx"
    if not target.exists():
        export_graph(MiniLMEmbedder().path, target)
    quantised = folder / "model-int8.onnx"
    if not quantised.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(target), str(quantised), weight_type=QuantType.QInt8)


# The product's ONNX Runtime encoder (same tokenizer, mean pooling and normalisation).
OnnxEncoder = OnnxRunner


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mentors", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", default="data/demo_mentors.jsonl")
    parser.add_argument("--json")
    parser.add_argument("--onnx-dir", help="folder for model.onnx / model-int8.onnx (exported "
                        "from the packaged weights if missing)")
    args = parser.parse_args()
    if args.onnx_dir:
        export_onnx(Path(args.onnx_dir))
    import torch

    texts, n_mentors = texts_of(Path(args.data), args.mentors)
    embedder = MiniLMEmbedder()
    model = embedder.model

    def f32() -> np.ndarray:
        return embedder.encode(texts)

    def bf16() -> np.ndarray:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = model.encode(texts, batch_size=16, normalize_embeddings=True,
                               convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32)

    import copy

    half = copy.deepcopy(model).to(torch.bfloat16)

    def bf16_weights() -> np.ndarray:
        out = half.encode(texts, batch_size=16, normalize_embeddings=True,
                          convert_to_tensor=True)
        return out.float().cpu().numpy()

    variants = {"float32": f32, "bfloat16 autocast": bf16, "bfloat16 weights": bf16_weights}
    if args.onnx_dir:
        for name, file in (("onnx fp32", "model.onnx"), ("onnx int8 dynamic", "model-int8.onnx")):
            encoder = OnnxEncoder(Path(args.onnx_dir) / file, embedder.path)
            variants[name] = lambda encoder=encoder: encoder.encode(texts)
    f32()  # warm
    times: dict[str, list[float]] = {name: [] for name in variants}
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.repeats):
        for name, run in variants.items():
            started = time.perf_counter()
            vectors[name] = run()
            times[name].append(time.perf_counter() - started)
    base = statistics.median(times["float32"])
    rows = []
    for name in variants:
        median = statistics.median(times[name])
        cos = np.sum(vectors[name] * vectors["float32"], axis=1)
        rows.append({"variant": name, "seconds": round(median, 2),
                     "mentors_per_s": round(n_mentors / median, 1),
                     "texts_per_s": round(len(texts) / median, 1),
                     "speed_vs_float32": round(base / median, 2),
                     "cosine_to_float32_min": round(float(cos.min()), 4),
                     "cosine_to_float32_mean": round(float(cos.mean()), 5),
                     "runs": [round(t, 2) for t in times[name]]})
    result = {"mentors": n_mentors, "texts": len(texts), "repeats": args.repeats,
              "torch": torch.__version__, "threads": torch.get_num_threads(), "rows": rows}
    print(json.dumps(result, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
