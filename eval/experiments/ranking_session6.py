"""Session 6 (issue 8, ESCO report half): principled ranking signals, chosen on the tune halves.

Runs ``MentorFinder.ranked`` through the real index (Chroma + BM25 + bridge, the code path of
``python -m eval retrieval``) with variant ``Pipeline`` objects, vectors cached on disk
(``ranking_data.embedder``), one persistent index per corpus under /tmp/esco6/idx. Tune on
``tune``; run the chosen variant once on ``report``.

    python eval/experiments/ranking_session6.py tune esco,goals,problems,fits,cc default,prf1
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.ranking_data import embedder
from eval.experiments.ranking_report import _worktree_data
from eval.retrieval import load_dataset, open_index, score_run
from finder.search.ranking import PIPELINES, Pipeline

ROOT = Path(__file__).resolve().parents[2]
IDX = Path("/tmp/esco6/idx")
OUT = Path("/tmp/esco6")
SETS = {"esco": ("esco-occupations", "esco"), "goals": ("goals", "demo"),
        "problems": ("problem-asks", "demo"), "fits": ("fit-asks", "demo"),
        "cc": ("coding-coach-goals", "cc")}

D = PIPELINES["default"]


def variants() -> dict[str, Pipeline]:
    v: dict[str, Pipeline] = {"dense": PIPELINES["dense"], "default": D}
    # dense pseudo-relevance feedback (Rocchio on profile vectors, head re-scored)
    for w in (0.1, 0.2, 0.3, 0.5):
        for docs in (1, 3, 5):
            v[f"prf w{w} k{docs}"] = replace(D, feedback=w, feedback_docs=docs)
    # sentence aggregation: mean of the best n sentences
    for n in (2, 3):
        v[f"sent top{n}"] = replace(D, sentence_top=n)
    v["kind z"] = replace(D, kind_z=True)
    # RM3-style BM25 expansion from the first results
    for w in (0.1, 0.2, 0.3):
        for docs in (3, 5):
            v[f"rm3 w{w} k{docs}"] = replace(D, rm3=w, rm3_docs=docs)
    v["rm3 w0.2 k3 t20"] = replace(D, rm3=0.2, rm3_terms=20)
    # fusion weights (BM25, sentence) on this code (session 3 tried them on bridge v1)
    for kw in (0.2, 0.4):
        v[f"kw{kw}"] = replace(D, keyword=kw)
    for ws in (0.7, 1.3):
        v[f"sentence w{ws}"] = replace(D, dense={"profile": 1.0, "sentence": ws, "skills": 1.0})
    return v


def run(finder, dataset, pipe: Pipeline) -> dict[str, float]:
    ranked = {}
    for qid, text in dataset.queries.items():
        matches, _ = finder.ranked(text, k=100, pipeline=pipe)
        ranked[qid] = [dataset.doc_id(m.mentor.id) for m in matches]
    means, _ = score_run(dataset, ranked, 10)
    return {"ndcg@10": means["ndcg@10"], "p@5": means["precision@5"],
            "hit@5": means["hit_rate@5"]}


def main() -> None:
    half, keys, names = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
    _worktree_data()
    emb = embedder()
    emb.variant = getattr(emb.inner, "variant", None)  # same model id as the indexes
    all_variants = variants()
    if names == ["all"]:
        names = list(all_variants)
    out_file = OUT / f"s6_{half}.jsonl"
    with ExitStack() as stack:
        finders = {}
        data = {}
        for key in keys:
            folder, corpus = SETS[key]
            data[key] = load_dataset(ROOT / "eval" / "datasets" / folder, half)
            if corpus not in finders:
                t = time.time()
                IDX.mkdir(parents=True, exist_ok=True)
                finders[corpus] = stack.enter_context(
                    open_index(data[key], emb, IDX / corpus, progress=False))
                print(f"index {corpus}: {finders[corpus].count()} mentors, "
                      f"{time.time() - t:.0f}s", flush=True)
        for name in names:
            pipe = all_variants[name]
            t = time.time()
            row = {k: run(finders[SETS[k][1]], data[k], pipe) for k in keys}
            line = f"{name:22s} " + "  ".join(
                f"{k}: {r['ndcg@10']:.4f}/{r['p@5']:.3f}/{r['hit@5']:.3f}" for k, r in row.items())
            print(line + f"  ({time.time() - t:.0f}s)", flush=True)
            with out_file.open("a") as handle:
                handle.write(json.dumps({"variant": name, "half": half, "sets": row}) + "\n")


if __name__ == "__main__":
    main()
