"""Session 7 (issue 8, ESCO report half): capture the real pipeline's evidence once, then try
fusions offline (research only; choose on ``tune``, never look at ``report`` here).

``capture`` runs ``MentorFinder.ranked`` (default pipeline, the real index: Chroma + BM25 +
bridge) over one half of a set and pickles, per query, the ``Evidence`` that ``fuse`` got and
the (possibly bridge-moved) query vector. ``explore`` re-fuses that evidence with extra signals
computed in numpy over the whole corpus (a title vector, a title BM25, CSLS hubness) and scores
nDCG@10 / P@5 / hit@5; its ``default`` row must equal the real run.

    python eval/experiments/esco_session7.py capture esco tune
    python eval/experiments/esco_session7.py explore esco tune
"""

from __future__ import annotations

import json
import math
import pickle
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import finder.search.service as service
from eval.experiments.encode_cache import CachedEmbedder
from eval.experiments.ranking_report import _worktree_data
from eval.retrieval import load_dataset, open_index
from finder.search.lexical import KeywordIndex
from finder.search.ranking import PIPELINES, Evidence, fuse

ROOT = Path(__file__).resolve().parents[2]
OUT = Path("/tmp/esco7")
IDX = OUT / "idx"
SETS = {"esco": ("esco-occupations", "esco"), "goals": ("goals", "demo"),
        "problems": ("problem-asks", "demo"), "fits": ("fit-asks", "demo"),
        "cc": ("coding-coach-goals", "cc")}
D = PIPELINES["default"]
# Chosen on the tune halves (highest ESCO tune nDCG@10 of the variants that lower no other
# set's tune nDCG@10): CSLS 0.1 on the profile cosine, title BM25 0.1, title cosine 0.05.
CHOSEN = {"csls": 0.1, "tbm25": 0.1, "tsig": 0.05}


def embedder() -> CachedEmbedder:
    emb = CachedEmbedder(Path("/tmp/esco6/cache"), seeds=(Path("/tmp/ranking/cache"),))
    emb.variant = getattr(emb.inner, "variant", None)  # type: ignore[attr-defined]
    return emb


def capture(key: str, half: str) -> None:
    folder, corpus = SETS[key]
    _worktree_data()
    emb = embedder()
    data = load_dataset(ROOT / "eval" / "datasets" / folder, half)
    got: dict[str, tuple[Evidence, np.ndarray]] = {}
    current: dict[str, object] = {}
    real_fuse = service.fuse

    def spy(evidence: Evidence, pipe):  # type: ignore[no-untyped-def]
        current["evidence"] = evidence
        return real_fuse(evidence, pipe)

    service.fuse = spy  # type: ignore[assignment]
    where = {"esco": IDX / "esco", "demo": Path("/tmp/esco/fi"), "cc": Path("/tmp/esco/fcc")}
    with open_index(data, emb, where[corpus], progress=False) as finder:
        original = finder._semantic

        def semantic(vector, pipe, filters, allowed, depth):  # type: ignore[no-untyped-def]
            current["vector"] = vector
            return original(vector, pipe, filters, allowed, depth)

        finder._semantic = semantic  # type: ignore[method-assign]
        ids = finder.ids()
        mentors = {m: finder.get(m) for m in ids}
        profiles = finder.layout.profiles.vectors(ids)
        rows = [r for m in ids for r in finder._versions[m].sentence_ids()]
        stored = finder.layout.sentences.vectors(rows)
        sentence_vectors = {m: np.stack([stored[r] for r in finder._versions[m].sentence_ids()])
                            for m in ids if finder._versions[m].sentences}
        ranked = {}
        t = time.time()
        for qid, text in data.queries.items():
            matches, _ = finder.ranked(text, k=100, pipeline=D)
            ranked[qid] = [m.mentor.id for m in matches]
            got[qid] = (current["evidence"], current["vector"])  # type: ignore[assignment]
        print(f"captured {len(got)} queries in {time.time() - t:.0f}s", flush=True)
    corpus_data = {"ids": ids, "mentors": mentors,
                   "P": np.stack([profiles[m] for m in ids]).astype(np.float32),
                   "S": sentence_vectors}
    with (OUT / f"{key}_{half}.pkl").open("wb") as handle:
        pickle.dump({"data": data, "got": got, "ranked": ranked, "corpus": corpus_data},
                    handle)


# -- offline fusion --------------------------------------------------------------------------


def metrics(data, ranked: dict[str, list[str]]) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """nDCG@10 (graded, exponential-free as ranx: linear gains), P@5, hit@5."""
    nd, p5, h5 = [], [], []
    for qid, docs in ranked.items():
        rel = data.qrels[qid]
        docs = [data.doc_id(m) for m in docs]
        gains = [rel.get(d, 0) for d in docs[:10]]
        dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
        ideal = sorted((g for g in rel.values() if g > 0), reverse=True)[:10]
        idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
        nd.append(dcg / idcg if idcg else 0.0)
        top5 = [rel.get(d, 0) > 0 for d in docs[:5]]
        p5.append(sum(top5) / 5)
        h5.append(float(any(top5)))
    return float(np.mean(nd)), float(np.mean(p5)), float(np.mean(h5))


def zscore(values: np.ndarray) -> np.ndarray:
    std = values.std() or 1.0
    return (values - values.mean()) / std


class Features:
    """Per-corpus extras: title vectors, a title BM25 and each vector's hubness."""

    def __init__(self, corpus: dict, emb: CachedEmbedder, k: int = 10) -> None:
        self.ids = corpus["ids"]
        self.row = {m: i for i, m in enumerate(self.ids)}
        mentors = corpus["mentors"]
        titles = [mentors[m].headline or mentors[m].name for m in self.ids]
        self.H = emb.encode(titles)
        self.P = corpus["P"]
        self.titles = KeywordIndex()
        self.titles.build(self.ids, titles, "titles")
        self.hub_p = self._hub(self.P, k)
        self.hub_h = self._hub(self.H, k)
        self.mu_p = self.P.mean(axis=0)
        S = corpus["S"]
        self.S = S
        allS = np.concatenate(list(S.values()))
        self.mu_s = allS.mean(axis=0)
        owner = np.concatenate([[self.row[m]] * len(v) for m, v in S.items()])
        self.S_owner = owner
        self.allS = allS
        sims = allS @ self.P.T  # sentence -> profiles: how central each sentence is
        self.hub_s_all = np.sort(sims, axis=1)[:, -k:].mean(axis=1)
        start = 0
        self.hub_s: dict[str, np.ndarray] = {}
        for m, v in S.items():
            self.hub_s[m] = self.hub_s_all[start:start + len(v)]
            start += len(v)
        self.hubk: dict[int, np.ndarray] = {}
        sims = self.P @ self.P.T
        np.fill_diagonal(sims, -1)
        srt = np.sort(sims, axis=1)
        for kk in (5, 10, 20, 50, 200):
            self.hubk[kk] = srt[:, -kk:].mean(axis=1)
        self.hubk[0] = sims.mean(axis=1)
        self.sd0 = sims.std(axis=1)

    @staticmethod
    def _hub(X: np.ndarray, k: int) -> np.ndarray:
        sims = X @ X.T
        np.fill_diagonal(sims, -1)
        return np.sort(sims, axis=1)[:, -k:].mean(axis=1)


def fuse_with(evidence: Evidence, pipe, extra: list[tuple[float, dict[str, float]]]
              ) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """``ranking.fuse`` with more z-scored signals (their candidates join the pool)."""
    if not extra:
        return fuse(evidence, pipe)
    from finder.search.ranking import _normalised, _semantic

    candidates = evidence.candidates()
    for _, sig in extra:
        candidates |= set(sig)
    signals = [(1.0, _semantic(evidence, pipe, candidates))]
    if pipe.keyword and evidence.keyword:
        signals.append((pipe.keyword, evidence.keyword))
    signals += [(w, s) for w, s in extra if s]
    total = dict.fromkeys(candidates, 0.0)
    for weight, raw in signals:
        norm = _normalised(raw, "zscore")
        floor = min(norm.values())
        for m in candidates:
            total[m] += weight * norm.get(m, floor)
    if pipe.skill_match and evidence.skills:
        best = max(evidence.skills.values())
        if best > 0:
            for m, score in evidence.skills.items():
                total[m] += pipe.skill_match * score / best
    return total


def refuse(evidence: Evidence, vector: np.ndarray, feats: Features, cfg: dict,
           query: str) -> list[str]:
    """The default fusion plus the extras of ``cfg``; returns mentor ids best first."""
    ev = Evidence(semantic={k: dict(v) for k, v in evidence.semantic.items()},
                  keyword=dict(evidence.keyword), skills=dict(evidence.skills),
                  reliability=evidence.reliability)
    pipe = D
    depth = 200
    if cfg.get("csls"):
        w = cfg["csls"]
        ev.semantic["profile"] = {m: s - w * feats.hub_p[feats.row[m]]
                                  for m, s in ev.semantic["profile"].items()}
    if cfg.get("csls_k"):
        kk, w = cfg["csls_k"]
        ev.semantic["profile"] = {m: s - w * feats.hubk[kk][feats.row[m]]
                                  for m, s in ev.semantic["profile"].items()}
    if cfg.get("center_p") is not None:
        w = cfg["center_p"]
        q = vector - feats.mu_p
        q = q / np.linalg.norm(q)
        out = {}
        for m, s in ev.semantic["profile"].items():
            d = feats.P[feats.row[m]] - feats.mu_p
            out[m] = (1 - w) * s + w * float(q @ d / np.linalg.norm(d))
        ev.semantic["profile"] = out
    if cfg.get("center_s") is not None or cfg.get("csls_s"):
        w = cfg.get("center_s") or 0.0
        c = cfg.get("csls_s") or 0.0
        q = vector - feats.mu_s
        q = q / np.linalg.norm(q)
        out = {}
        for m in ev.semantic["sentence"]:
            V = feats.S[m]
            raw = V @ vector
            cen = (V - feats.mu_s) @ q / np.linalg.norm(V - feats.mu_s, axis=1)
            val = (1 - w) * raw + w * cen - c * feats.hub_s[m]
            out[m] = float(val.max())
        ev.semantic["sentence"] = out
    title_cos = feats.H @ vector
    if cfg.get("tcsls"):
        title_cos = title_cos - cfg["tcsls"] * feats.hub_h
    extra: list[tuple[float, dict[str, float]]] = []
    if cfg.get("tkind"):  # title cosine as a 4th vector kind in the weighted mean
        top = np.argsort(-title_cos)[:depth]
        ev.semantic["headline"] = {feats.ids[i]: float(title_cos[i]) for i in top}
        pipe = replace(D, dense={**D.dense, "headline": cfg["tkind"]})
    if cfg.get("tsig"):  # title cosine as its own fused signal
        top = np.argsort(-title_cos)[:depth]
        extra.append((cfg["tsig"], {feats.ids[i]: float(title_cos[i]) for i in top}))
    if cfg.get("tbm25"):
        extra.append((cfg["tbm25"], dict(feats.titles.top(query, depth))))
    if cfg.get("kw") is not None:
        pipe = replace(pipe, keyword=cfg["kw"])
    if cfg.get("sent") is not None:
        pipe = replace(pipe, dense={**pipe.dense, "sentence": cfg["sent"]})
    fused = fuse_with(ev, pipe, extra)
    return sorted(fused, key=lambda m: (-fused[m], m))[:100]


def explore(key: str, half: str, configs: list[dict]) -> None:
    """Each config on one captured half; ``short`` limits a config to asks of < 4 words."""
    with (OUT / f"{key}_{half}.pkl").open("rb") as handle:
        blob = pickle.load(handle)
    data, got = blob["data"], blob["got"]
    feats = Features(blob["corpus"], embedder())
    real = metrics(data, blob["ranked"])
    print(f"real default: {real[0]:.4f} / {real[1]:.3f} / {real[2]:.3f}", flush=True)
    for cfg in configs:
        ranked = {q: refuse(ev, vec, feats, {} if cfg.get("short") and
                            len(data.queries[q].split()) >= 4 else cfg, data.queries[q])
                  for q, (ev, vec) in got.items()}
        m = metrics(data, ranked)
        print(f"{cfg!s:60s} {m[0]:.4f} / {m[1]:.3f} / {m[2]:.3f}", flush=True)


def grid() -> list[dict]:
    import json
    import os
    if os.environ.get("GRID"):
        return [json.loads(x) for x in os.environ["GRID"].split(";")]
    out: list[dict] = [{}]
    for w in (0.1, 0.2, 0.3):
        out.append({"csls": w})
    for w in (0.2, 0.3, 0.5):
        out.append({"tkind": w})
    for w in (0.1, 0.2, 0.3, 0.5):
        out.append({"tsig": w})
    for w in (0.05, 0.1, 0.2):
        out.append({"tbm25": w})
    return out


def table(half: str, keys: list[str], configs: list[dict]) -> None:
    """Each config on every captured set (nDCG@10 / P@5 / hit@5), one row per config."""
    loaded = {}
    for key in keys:
        with (OUT / f"{key}_{half}.pkl").open("rb") as handle:
            blob = pickle.load(handle)
        loaded[key] = (blob, Features(blob["corpus"], embedder()))
    for cfg in configs:
        cells = []
        for key, (blob, feats) in loaded.items():
            data = blob["data"]
            ranked = {q: refuse(ev, vec, feats, {} if cfg.get("short") and
                                len(data.queries[q].split()) >= 4 else cfg, data.queries[q])
                      for q, (ev, vec) in blob["got"].items()}
            m = metrics(data, ranked)
            cells.append(f"{key} {m[0]:.4f}/{m[1]:.3f}/{m[2]:.3f}")
        line = f"{json.dumps(cfg):50s} " + "  ".join(cells)
        print(line, flush=True)
        with (OUT / f"table_{half}.log").open("a") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    if sys.argv[1] == "capture":
        capture(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "report":
        # once, for the config chosen on the tune halves (session 7: see the README)
        table("report", sys.argv[2].split(","), [{}, CHOSEN])
    elif sys.argv[1] == "table":
        assert sys.argv[3] != "report", "tables are for tune halves only"
        table(sys.argv[3], sys.argv[2].split(","), grid())
    else:
        assert sys.argv[3] != "report", "explore is for tune halves only"
        explore(sys.argv[2], sys.argv[3], grid())
