"""Session 7: per-query feature matrices from captured evidence, then fast linear fusions
(research only; tune halves). See ``esco_session7.py`` for the capture.

    python eval/experiments/esco_session7_fast.py build esco tune
    python eval/experiments/esco_session7_fast.py search esco tune
"""

from __future__ import annotations

import json
import math
import os
import pickle
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.esco_session7 import OUT, Features, embedder


def _z(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    """z over the entries a list returned; the others get that list's lowest z."""
    if not present.any():
        return np.zeros_like(values)
    v = values[present]
    std = v.std() or 1.0
    z = (values - v.mean()) / std
    return np.where(present, z, z[present].min())


def char_grams(text: str, n: int = 3) -> dict[str, int]:
    t = f" {' '.join(text.lower().split())} "
    out: dict[str, int] = {}
    for i in range(len(t) - n + 1):
        out[t[i:i + n]] = out.get(t[i:i + n], 0) + 1
    return out


def build(key: str, half: str) -> None:
    with (OUT / f"{key}_{half}.pkl").open("rb") as handle:
        blob = pickle.load(handle)
    data, got = blob["data"], blob["got"]
    feats = Features(blob["corpus"], embedder())
    mentors = blob["corpus"]["mentors"]
    ids = feats.ids
    titles = [mentors[m].headline or mentors[m].name for m in ids]
    # char-trigram tf-idf of the titles
    grams = [char_grams(t) for t in titles]
    df: dict[str, int] = {}
    for g in grams:
        for k in g:
            df[k] = df.get(k, 0) + 1
    n = len(ids)
    idf = {k: math.log(n / v) for k, v in df.items()}

    def vec(g: dict[str, int]) -> dict[str, float]:
        v = {k: c * idf.get(k, math.log(n)) for k, c in g.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {k: x / norm for k, x in v.items()}

    gvec = [vec(g) for g in grams]
    inverted: dict[str, list[tuple[int, float]]] = {}
    for i, g in enumerate(gvec):
        for k, x in g.items():
            inverted.setdefault(k, []).append((i, x))
    words = np.array([len(mentors[m].bio.split()) for m in ids], dtype=np.float64)
    from finder.search.lexical import analyze
    doc_terms = [set(analyze(mentors[m].search_text())) for m in ids]
    title_terms = [set(analyze(t)) for t in titles]
    dfull: dict[str, int] = {}
    for ts in doc_terms:
        for t in ts:
            dfull[t] = dfull.get(t, 0) + 1
    queries = {}
    for qid, (ev, vector) in got.items():
        text = data.queries[qid]
        title_cos = feats.H @ vector
        top_t = np.argsort(-title_cos)[:200]
        cands = set(ev.candidates()) | {ids[i] for i in top_t}
        rows = np.array(sorted(feats.row[m] for m in cands))
        cid = [ids[i] for i in rows]
        prof, sent, kw = ev.semantic.get("profile", {}), ev.semantic.get("sentence", {}), ev.keyword
        rel = ev.reliability.get("sentence", {})
        pf, sf = min(prof.values()), min(sent.values())
        P, Pp = np.array([prof.get(m, pf) for m in cid]), np.array([m in prof for m in cid])
        S, Sp = np.array([sent.get(m, sf) for m in cid]), np.array([m in sent for m in cid])
        r = np.array([rel.get(m, 1.0) for m in cid])
        K, Kp = np.array([kw.get(m, 0.0) for m in cid]), np.array([m in kw for m in cid])
        tset = set(top_t.tolist())
        T, Tp = title_cos[rows], np.array([i in tset for i in rows])
        tb = dict(feats.titles.top(text, 200))
        TB, TBp = np.array([tb.get(m, 0.0) for m in cid]), np.array([m in tb for m in cid])
        qg = vec(char_grams(text))
        c3 = np.zeros(n)
        for k, x in qg.items():
            for i, y in inverted.get(k, ()):
                c3[i] += x * y
        C3 = c3[rows]
        qt = list(dict.fromkeys(analyze(text)))
        w = np.array([math.log(1 + n / (1 + dfull.get(t, 0))) for t in qt])
        total = w.sum() or 1.0
        COV = np.array([sum(wi for t, wi in zip(qt, w) if t in doc_terms[i])
                        for i in rows]) / total
        TCOV = np.array([sum(wi for t, wi in zip(qt, w) if t in title_terms[i])
                         for i in rows]) / total
        TLEN = np.array([len(title_terms[i]) for i in rows], dtype=float)
        queries[qid] = {"ids": cid, "P": P, "Pp": Pp, "S": S, "Sp": Sp, "r": r, "K": K, "Kp": Kp,
                        "T": T, "Tp": Tp, "TB": TB, "TBp": TBp, "hub10": feats.hub_p[rows],
                        "hub0": feats.hubk[0][rows], "sd0": feats.sd0[rows],
                        "hub5": feats.hubk[5][rows], "C3": C3, "COV": COV, "TCOV": TCOV,
                        "TLEN": TLEN, "W": words[rows], "words": len(text.split())}
    with (OUT / f"{key}_{half}_feats.pkl").open("wb") as handle:
        pickle.dump({"data": data, "queries": queries}, handle)


def score(data, qid: str, ids: list[str], s: np.ndarray) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    order = np.lexsort((np.array(ids), -s))[:10]
    rel = data.qrels[qid]
    docs = [data.doc_id(ids[i]) for i in order]
    gains = [rel.get(d, 0) for d in docs]
    dcg = sum(g / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted((g for g in rel.values() if g > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    top5 = [g > 0 for g in gains[:5]]
    return dcg / idcg if idcg else 0.0, sum(top5) / 5, float(any(top5))


def _minmax(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    if not present.any():
        return np.zeros_like(values)
    v = values[present]
    span = (v.max() - v.min()) or 1.0
    out = (values - v.min()) / span
    return np.where(present, out, 0.0)


def _rrf(values: np.ndarray, present: np.ndarray) -> np.ndarray:
    order = np.argsort(-np.where(present, values, -np.inf), kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    return np.where(present, 1.0 / (60 + ranks), 0.0)


def fused(q: dict, cfg: dict) -> np.ndarray:
    norm = {"z": _z, "minmax": _minmax, "rrf": _rrf}[cfg.get("norm", "z")]
    P = q["P"] - cfg.get("csls", 0.0) * q["hub10"] - cfg.get("csls0", 0.0) * q["hub0"] \
        - cfg.get("csls5", 0.0) * q["hub5"]
    ws = cfg.get("ws", 1.0)
    wt = cfg.get("tkind", 0.0)
    num = P + ws * q["r"] * q["S"] + wt * q["T"]
    den = 1.0 + ws * q["r"] + wt
    sem = num / den * (1 + ws + wt)
    if cfg.get("mp"):  # mutual proximity (Gaussian): P(a random profile is farther from m)
        from scipy.stats import norm as gauss
        P = (1 - cfg["mp"]) * P + cfg["mp"] * gauss.cdf((q["P"] - q["hub0"]) / q["sd0"])
        num = P + ws * q["r"] * q["S"] + wt * q["T"]
        sem = num / den * (1 + ws + wt)
    out = norm(sem, np.ones_like(q["Pp"]))
    kw = cfg.get("kw", 0.3)
    if cfg.get("kw_short") is not None and q["words"] < 4:
        kw = cfg["kw_short"]
    if cfg.get("kw_len"):  # query-side length normalisation of the BM25 weight
        kw = kw * (q["words"] / 3.0) ** cfg["kw_len"]
    out = out + kw * norm(q["K"], q["Kp"])
    if cfg.get("tsig"):
        out = out + cfg["tsig"] * _z(q["T"], q["Tp"])
    if cfg.get("tb"):
        out = out + cfg["tb"] * _z(q["TB"], q["TBp"])
    if cfg.get("c3"):
        out = out + cfg["c3"] * _z(q["C3"], np.ones_like(q["Pp"]))
    for name in ("COV", "TCOV"):
        if cfg.get(name):
            out = out + cfg[name] * _z(q[name], np.ones_like(q["Pp"]))
    return out


def evaluate(blob: dict, cfg: dict, short_only: bool = False) -> tuple[float, float, float]:
    data, queries = blob["data"], blob["queries"]
    rows = []
    for qid, q in queries.items():
        c = cfg if not (short_only and q["words"] >= 4) else {}
        rows.append(score(data, qid, q["ids"], fused(q, c)))
    a = np.array(rows)
    return tuple(a.mean(axis=0))  # type: ignore[return-value]


def search(key: str, half: str) -> None:
    with (OUT / f"{key}_{half}_feats.pkl").open("rb") as handle:
        blob = pickle.load(handle)
    grid = [json.loads(x) for x in os.environ.get("GRID", "{}").split(";")]
    for cfg in grid:
        m = evaluate(blob, cfg)
        print(f"{json.dumps(cfg):60s} {m[0]:.4f} / {m[1]:.3f} / {m[2]:.3f}", flush=True)


if __name__ == "__main__":
    assert sys.argv[3] != "report", "tune halves only"
    {"build": build, "search": search}[sys.argv[1]](sys.argv[2], sys.argv[3])
