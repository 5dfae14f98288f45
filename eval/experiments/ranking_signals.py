"""Ranking signals on real profiles and problem-shaped asks: exact numpy, product fusion code.

Replays what ``MentorFinder.search`` sees (profile top-200, sentence top-600, skills top-200,
BM25 top-200, named skills) from cached vectors, fuses with ``finder.search.ranking.fuse`` and
scores with ranx. Research only; tune on the tune halves, report on the report halves.

    python eval/experiments/ranking_signals.py grid     # tune halves
    python eval/experiments/ranking_signals.py report   # chosen settings on both halves
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.ranking_data import SETS, embedder, load_set, skills_text  # noqa: E402
from finder.search.lexical import KeywordIndex, SkillIndex  # noqa: E402
from finder.search.ranking import (  # noqa: E402
    GENERIC_SENTENCES, PIPELINES, Evidence, Pipeline, fuse, mentor_texts, reliability)

BRIDGE = Path(__file__).resolve().parents[2] / "data" / "expertise_bridge.json"


@dataclass
class Prepared:
    name: str
    ids: list[str]
    doc_of: dict[str, str]
    P: np.ndarray
    S: np.ndarray
    s_owner: np.ndarray
    s_generic: dict[str, np.ndarray]  # variant -> genericity per sentence
    K: np.ndarray
    k_owner: np.ndarray
    rel: dict[str, dict[str, float]]
    keyword: KeywordIndex
    skills: SkillIndex
    queries: dict[str, str]
    halves: dict[str, dict[str, dict[str, int]]]


def prepare(key: str) -> Prepared | None:
    s = load_set(key)
    if s is None:
        return None
    emb = embedder()
    ms = s.mentors
    ids = [m.id for m in ms]
    texts = [mentor_texts(m) for m in ms]
    P = emb.encode([t["profile"][0] for t in texts])
    sent, owner = [], []
    for i, t in enumerate(texts):
        sent += t["sentence"]
        owner += [i] * len(t["sentence"])
    S = emb.encode(sent)
    with_skills = [i for i, m in enumerate(ms) if m.skills]
    K = emb.encode([skills_text(ms[i]) for i in with_skills])
    proto = emb.encode(list(GENERIC_SENTENCES))
    centroid = S.mean(axis=0)
    centroid /= np.linalg.norm(centroid)
    generic = {"proto": (S @ proto.T).max(axis=1) if len(S) else np.zeros(0),
               "centroid": S @ centroid}
    rel: dict[str, dict[str, float]] = {"sentence": {}, "skills": {}}
    for m in ms:
        r = reliability(m)
        rel["sentence"][m.id] = r["sentence"]
        rel["skills"][m.id] = r["skills"]
    kw = KeywordIndex()
    kw.build(ids, [m.search_text() for m in ms], "x")
    sk = SkillIndex()
    sk.build(ids, [m.skills for m in ms])
    return Prepared(s.name, ids, s.doc_of, P, S, np.array(owner), generic, K,
                    np.array(with_skills, dtype=int), rel, kw, sk, s.queries, s.halves)


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    idx = np.argpartition(-scores, n - 1)[:n]
    return idx[np.argsort(-scores[idx])]


def bridge_vectors():
    data = json.loads(BRIDGE.read_text())
    emb = embedder()
    asks = emb.encode([e["ask"] for e in data["entries"]])
    expertise = emb.encode([e["expertise"] for e in data["entries"]])
    return asks, expertise, [e["expertise"] for e in data["entries"]]


def expand(q: np.ndarray, bridge, weight: float, threshold: float) -> tuple[np.ndarray, str]:
    asks, expertise, texts = bridge
    sims = asks @ q
    best = int(np.argmax(sims))
    if weight <= 0 or sims[best] < threshold:
        return q, ""
    v = q + weight * expertise[best]
    return v / np.linalg.norm(v), texts[best]


def evidence(p: Prepared, q: np.ndarray, text: str, pipe: Pipeline, variant: str,
             bridge=None, threshold: float = 0.5, kw_expand: float = 0.0) -> Evidence:
    extra = ""
    if pipe.bridge and bridge is not None:
        q, extra = expand(q, bridge, pipe.bridge, threshold)
    ev = Evidence()
    depth = pipe.depth
    if "profile" in pipe.kinds:
        sims = p.P @ q
        top = _top(sims, depth)
        ev.semantic["profile"] = {p.ids[i]: float(sims[i]) for i in top}
    if "sentence" in pipe.kinds and len(p.S):
        sims = p.S @ q
        top = _top(sims, 3 * depth)
        adj = sims[top] - pipe.generic * p.s_generic[variant][top]
        best: dict[str, float] = {}
        for row, v in zip(top, adj):
            mid = p.ids[p.s_owner[row]]
            if v > best.get(mid, -9):
                best[mid] = float(v)
        ev.semantic["sentence"] = best
    if "skills" in pipe.kinds and len(p.K):
        sims = p.K @ q
        top = _top(sims, depth)
        ev.semantic["skills"] = {p.ids[p.k_owner[i]]: float(sims[i]) for i in top}
    if pipe.uses_keyword:
        ev.keyword = dict(p.keyword.top(text, depth))
        if kw_expand and extra:
            for mid, sc in p.keyword.top(extra, depth):
                ev.keyword[mid] = ev.keyword.get(mid, 0.0) + kw_expand * sc
    if pipe.skill_match:
        ev.skills = p.skills.scores(text + (" " + extra if extra and kw_expand else ""))
    if pipe.reliable:
        ev.reliability = p.rel
    return ev


_QV: dict[str, np.ndarray] = {}


def qvec(text: str) -> np.ndarray:
    if text not in _QV:
        _QV[text] = embedder().encode([text])[0]
    return _QV[text]


def run(p: Prepared, pipe: Pipeline, half: str, variant: str = "proto", bridge=None,
        threshold: float = 0.5, kw_expand: float = 0.0) -> dict[str, float]:
    from ranx import Qrels, Run, evaluate

    qrels = p.halves[half]
    out = {}
    for qid in qrels:
        text = p.queries[qid]
        fused = fuse(evidence(p, qvec(text), text, pipe, variant, bridge, threshold, kw_expand),
                     pipe)
        ranked = sorted(fused, key=lambda m: (-fused[m], m))[:100]
        out[qid] = {p.doc_of.get(m, m): float(100 - i) for i, m in enumerate(ranked)}
    means = evaluate(Qrels.from_dict(qrels), Run.from_dict(out),
                     ["ndcg@10", "precision@5", "hit_rate@5"], make_comparable=True)
    return {k: round(float(v), 4) for k, v in means.items()}


CANDIDATES: dict[str, Pipeline] = {}


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "grid"
    keys = sys.argv[2].split(",") if len(sys.argv) > 2 else list(SETS)
    prepared = {k: prepare(k) for k in keys}
    prepared = {k: v for k, v in prepared.items() if v is not None}
    base = PIPELINES["previous"]
    configs = {
        "dense": (PIPELINES["dense"], {}),
        "previous": (base, {}),
    }
    if mode == "grid":
        for ws in (0.5, 1.0):
            configs[f"+skillsvec{ws}"] = (replace(base, dense={"profile": 1, "sentence": 1,
                                                               "skills": ws}), {})
            configs[f"+skillsvec{ws}+rel"] = (replace(base, dense={"profile": 1, "sentence": 1,
                                                                   "skills": ws},
                                                      reliable=True), {})
        for sm in (0.3, 0.6, 1.0):
            configs[f"+skillmatch{sm}"] = (replace(base, skill_match=sm), {})
        for g in (0.3, 0.6):
            for var in ("proto", "centroid"):
                configs[f"+generic{g}-{var}"] = (replace(base, generic=g), {"variant": var})
        configs["+rel"] = (replace(base, reliable=True), {})
    if mode == "grid2":
        sv = replace(base, dense={"profile": 1, "sentence": 1, "skills": 1.0}, reliable=True)
        configs["sv1+rel"] = (sv, {})
        for sm in (0.3, 0.6):
            configs[f"sv1+rel+sm{sm}"] = (replace(sv, skill_match=sm), {})
        for ws in (1.5, 2.0):
            configs[f"sv{ws}+rel"] = (replace(sv, dense={"profile": 1, "sentence": 1,
                                                         "skills": ws}), {})
        configs["sv1+rel sent0.5"] = (replace(sv, dense={"profile": 1, "sentence": 0.5,
                                                         "skills": 1.0}), {})
        for kw in (0.15, 0.5):
            configs[f"sv1+rel kw{kw}"] = (replace(sv, keyword=kw), {})
        configs["sv1+rel+gen0.3c"] = (replace(sv, generic=0.3), {"variant": "centroid"})
    if mode == "grid3":
        sv = replace(base, dense={"profile": 1, "sentence": 1, "skills": 1.0}, reliable=True,
                     skill_match=0.6)
        configs["sv1+rel+sm0.6"] = (sv, {})
        configs["sv1.5+rel+sm0.6"] = (replace(sv, dense={"profile": 1, "sentence": 1,
                                                         "skills": 1.5}), {})
        configs["sv1+sm0.6 (no rel)"] = (replace(sv, reliable=False), {})
        bridge = bridge_vectors()
        for lam in (0.3, 0.6):
            for tau in (0.45, 0.55):
                configs[f"sv1+rel+sm0.6+bridge{lam}@{tau}"] = (
                    replace(sv, bridge=lam), {"bridge": bridge, "threshold": tau})
        configs["sv1+rel+sm0.6+bridge0.6@0.45+kw"] = (
            replace(sv, bridge=0.6), {"bridge": bridge, "threshold": 0.45, "kw_expand": 0.3})
    if mode == "grid4":
        sv = replace(base, dense={"profile": 1, "sentence": 1, "skills": 1.0}, reliable=True,
                     skill_match=0.6)
        configs["sv1+rel+sm0.6"] = (sv, {})
        bridge = bridge_vectors()
        for lam, tau, kwx in ((0.45, 0.45, 0.3), (0.6, 0.5, 0.3), (0.45, 0.5, 0.3),
                              (0.6, 0.45, 0.15), (0.8, 0.5, 0.3)):
            configs[f"bridge{lam}@{tau} kw{kwx}"] = (
                replace(sv, bridge=lam), {"bridge": bridge, "threshold": tau, "kw_expand": kwx})
    half = "tune"
    if mode in ("ablation", "ablation-tune"):
        half = "report" if mode == "ablation" else "tune"
        bridge = bridge_vectors()
        step = replace(base, dense={"profile": 1, "sentence": 1, "skills": 1.0})
        configs["+ skills vector"] = (step, {})
        step = replace(step, reliable=True)
        configs["+ reliability weights"] = (step, {})
        step = replace(step, skill_match=0.6)
        configs["+ named skills (0.6)"] = (step, {})
        final = PIPELINES["default"]
        configs["+ bridge = default"] = (final, {"bridge": bridge, "threshold": 0.5,
                                                 "kw_expand": 0.3})
        configs["default without reliability"] = (replace(final, reliable=False), {
            "bridge": bridge, "threshold": 0.5, "kw_expand": 0.3})
        configs["default + generic discount 0.3"] = (replace(final, generic=0.3), {
            "bridge": bridge, "threshold": 0.5, "kw_expand": 0.3})
    rows = {}
    for name, (pipe, kw) in configs.items():
        row = {k: run(p, pipe, half, **kw) for k, p in prepared.items()}
        rows[name] = row
        print(f"{name:28s} " + "  ".join(
            f"{k}: {r['ndcg@10']:.4f}/{r['precision@5']:.3f}/{r['hit_rate@5']:.3f}"
            for k, r in row.items()), flush=True)
    if mode.startswith("ablation"):
        out = Path(__file__).parent / f"ranking_{mode}_{'_'.join(prepared)}.json"
        out.write_text(json.dumps({"half": half, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
