"""Corpora, queries and cached vectors for the ranking experiments (research only).

    python eval/experiments/ranking_data.py     # encode everything once into /tmp/ranking/cache
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from eval.experiments.encode_cache import CachedEmbedder  # noqa: E402
from eval.retrieval import load_dataset, read_qrels  # noqa: E402
from finder.core.models import Mentor  # noqa: E402
from finder.search.ranking import mentor_texts  # noqa: E402

CACHE = Path(os.environ.get("RANKING_CACHE", "/tmp/ranking/cache"))
DATASETS = ROOT / "eval" / "datasets"
SETS = {"esco": "esco-occupations", "goals": "goals", "cc": "coding-coach-goals",
        "problems": "problem-asks"}


def skills_text(m: Mentor) -> str:
    if not m.skills:
        return m.headline or m.name
    return f"{m.headline}. Skills: {', '.join(m.skills)}." if m.headline else \
        f"Skills: {', '.join(m.skills)}."


@dataclass
class Set:
    name: str
    queries: dict[str, str]
    halves: dict[str, dict[str, dict[str, int]]]  # half -> qrels
    mentors: list[Mentor]
    doc_of: dict[str, str]


def load_set(key: str) -> Set | None:
    folder = DATASETS / SETS[key]
    if not (folder / "qrels" / "tune.tsv").exists():
        return None
    ds = load_dataset(folder, "tune")
    queries = {str(r["_id"]): str(r["text"]) for r in map(json.loads, open(folder / "queries.jsonl"))}
    halves = {h: read_qrels(folder / "qrels" / f"{h}.tsv") for h in ("tune", "report")}
    if ds.mentors is not None:
        records = ds.mentors
    else:
        records = [json.loads(line) for line in open(ds.mentors_path) if line.strip()]
    mentors = [Mentor.model_validate(r) for r in records]
    return Set(SETS[key], queries, halves, mentors, ds.doc_of)


def embedder() -> CachedEmbedder:
    return CachedEmbedder(CACHE, seeds=(CACHE.parent / "seed",))


def main() -> None:
    emb = embedder()
    for key in SETS:
        folder = DATASETS / SETS[key]
        texts = [json.loads(line)["text"] for line in open(folder / "queries.jsonl")]
        emb.encode(texts)
        print("queries", key, len(texts), flush=True)
    demo, esco = load_set("goals"), load_set("esco")
    cc = [m for m in demo.mentors if m.source == "coding-coach"]
    rest = [m for m in demo.mentors if m.source != "coding-coach"]
    jobs = [("cc skills", [skills_text(m) for m in cc if m.skills]),
            ("demo profiles+sentences", [t for m in demo.mentors
                                         for t in mentor_texts(m)["profile"] + mentor_texts(m)["sentence"]]),
            ("esco-side skills", [skills_text(m) for m in rest if m.skills]),
            ("esco dev", [t for m in esco.mentors
                          for t in mentor_texts(m)["profile"] + mentor_texts(m)["sentence"]])]
    for name, texts in jobs:
        emb.encode(texts)
        print(name, len(texts), flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
