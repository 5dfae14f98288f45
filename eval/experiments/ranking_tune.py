"""Session 3 tuning of the default pipeline on the tune halves (research only).

Same replay as ``ranking_signals.py`` (cached vectors, exact cosine, the product's ``fuse``),
plus keyword-side variants: BM25 k1/b, the headline repeated in the BM25 text, and a separate
BM25 over the headline alone as its own signal (``Pipeline.title``).

    python eval/experiments/ranking_tune.py grid esco,goals,cc,problems [tune|report]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.ranking_signals import (
    Prepared, bridge_vectors, evidence, prepare, qvec)
from finder.search.lexical import KeywordIndex, analyze
from finder.search.ranking import PIPELINES, Pipeline, fuse

_KW: dict[tuple, KeywordIndex] = {}
_MENTORS: dict[str, list] = {}


def keyword_index(p: Prepared, k1: float, b: float, rep: int, field: str) -> KeywordIndex:
    key = (p.name, k1, b, rep, field)
    if key not in _KW:
        import bm25s

        ms = _MENTORS[p.name]
        if field == "title":
            texts = [m.headline or m.name for m in ms]
        else:
            texts = [((m.headline + ". ") * rep if m.headline else "") + m.search_text()
                     for m in ms]
        idx = KeywordIndex()
        idx.ids = list(p.ids)
        idx.position = {m: i for i, m in enumerate(idx.ids)}
        model = bm25s.BM25(k1=k1, b=b)
        corpus = [analyze(t) or ["__empty__"] for t in texts]
        idx.doc_freq = {}
        for terms in corpus:
            for term in set(terms):
                idx.doc_freq[term] = idx.doc_freq.get(term, 0) + 1
        model.index(corpus, show_progress=False)
        idx._bm25 = model
        _KW[key] = idx
    return _KW[key]


def run(p: Prepared, pipe: Pipeline, half: str, kw: tuple[float, float, int] = (1.5, 0.75, 0),
        title: tuple[float, float] = (1.2, 0.75), bridge=None, threshold: float = 0.5,
        kw_expand: float = 0.3) -> dict[str, float]:
    from ranx import Qrels, Run, evaluate

    qrels = p.halves[half]
    saved = p.keyword
    p.keyword = keyword_index(p, kw[0], kw[1], kw[2], "all")
    tindex = keyword_index(p, title[0], title[1], 0, "title") if pipe.title else None
    out = {}
    try:
        for qid in qrels:
            text = p.queries[qid]
            ev = evidence(p, qvec(text), text, pipe, "proto", bridge if pipe.bridge else None,
                          threshold, kw_expand)
            if tindex is not None:
                ev.title = dict(tindex.top(text, pipe.depth))
            fused = fuse(ev, pipe)
            ranked = sorted(fused, key=lambda m: (-fused[m], m))[:100]
            out[qid] = {p.doc_of.get(m, m): float(100 - i) for i, m in enumerate(ranked)}
    finally:
        p.keyword = saved
    means = evaluate(Qrels.from_dict(qrels), Run.from_dict(out),
                     ["ndcg@10", "precision@5", "hit_rate@5"], make_comparable=True)
    return {k: round(float(v), 4) for k, v in means.items()}


def main() -> None:
    mode = sys.argv[1]
    keys = sys.argv[2].split(",")
    half = sys.argv[3] if len(sys.argv) > 3 else "tune"
    from eval.experiments.ranking_data import load_set

    prepared = {}
    for k in keys:
        t = time.time()
        prepared[k] = prepare(k)
        _MENTORS[prepared[k].name] = load_set(k).mentors
        print(f"prepared {k} in {time.time() - t:.0f}s", flush=True)
    bridge = bridge_vectors()
    d = PIPELINES["default"]
    configs: dict[str, tuple[Pipeline, dict]] = {}
    configs["dense"] = (PIPELINES["dense"], {})
    configs["default"] = (d, {})
    if mode == "grid":
        for w in (0.1, 0.2, 0.3):
            configs[f"title{w}"] = (replace(d, title=w), {})
        for rep in (1, 2):
            configs[f"headline x{rep}"] = (d, {"kw": (1.5, 0.75, rep)})
        for k1, b in ((1.2, 0.75), (0.9, 0.4), (1.5, 0.5), (2.0, 0.75), (1.2, 0.9)):
            configs[f"bm25 k1={k1} b={b}"] = (d, {"kw": (k1, b, 0)})
        for kw in (0.4, 0.5):
            configs[f"kw{kw}"] = (replace(d, keyword=kw), {})
        for w in (0.7, 1.3):
            configs[f"sent{w}"] = (replace(d, dense={"profile": 1.0, "sentence": w,
                                                     "skills": 1.0}), {})
        configs["bridge@0.55"] = (d, {"threshold": 0.55})
    if mode == "grid2":
        lo = (0.9, 0.4, 0)
        configs["k0.9b0.4"] = (d, {"kw": lo})
        configs["k0.9b0.4 head1"] = (d, {"kw": (0.9, 0.4, 1)})
        configs["k0.9b0.4 title0.1"] = (replace(d, title=0.1), {"kw": lo})
        configs["k0.9b0.4 head1 title0.1"] = (replace(d, title=0.1), {"kw": (0.9, 0.4, 1)})
        configs["k1.2b0.5 head1"] = (d, {"kw": (1.2, 0.5, 1)})
        configs["k0.9b0.4 head1 sent1.3"] = (
            replace(d, dense={"profile": 1.0, "sentence": 1.3, "skills": 1.0}),
            {"kw": (0.9, 0.4, 1)})
    if mode == "chosen":  # chosen on the tune halves (grid2); run once on the report halves
        configs["k0.9b0.4 title0.1"] = (replace(d, title=0.1), {"kw": (0.9, 0.4, 0)})
    for name, (pipe, kw) in configs.items():
        kw.setdefault("bridge", bridge)
        t = time.time()
        row = {k: run(p, pipe, half, **kw) for k, p in prepared.items()}
        print(f"{name:24s} " + "  ".join(
            f"{k}: {r['ndcg@10']:.4f}/{r['precision@5']:.3f}/{r['hit_rate@5']:.3f}"
            for k, r in row.items()) + f"  ({time.time() - t:.0f}s)", flush=True)


if __name__ == "__main__":
    main()
