"""Session 8 (issue 8, ESCO report half): learning to rank over the evidence ``default`` computes.

``capture`` runs the real ``default`` pipeline (``esco_session7.capture``: Chroma + BM25 + bridge,
the ``python -m eval retrieval`` code path) over one half of a set and keeps each query's
``Evidence``. ``cv`` trains LightGBM lambdarank re-rankers on the tune halves only, with grouped
k-fold cross-validation over queries, and prints the CV figures (``GRID``: configurations as
JSON, ``;``-separated). ``report`` trains the two candidates chosen on the tune halves (A*, B*:
see ``eval/results/ltr_session8.md``) on all five tune halves and scores them once on the report
halves; it was run once, after the decision rule was written down. Deterministic (LightGBM
``deterministic``, one thread, fixed seeds). Needs ``pip install lightgbm`` (not a dependency
of the package: nothing from this experiment ships).

    python eval/experiments/esco_ltr.py capture esco tune     # each of KEYS, tune and report
    GRID='{"pool": 30, "alphas": [null, 1.0]}' python eval/experiments/esco_ltr.py cv
    python eval/experiments/esco_ltr.py report
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import eval.experiments.esco_session7 as s7
from finder.search.ranking import PIPELINES, Evidence, Pipeline, _semantic, fuse

OUT = Path("/tmp/ltr8")
KEYS = ("esco", "goals", "problems", "fits", "cc")
D = PIPELINES["default"]
FOLDS = 5


# The two candidates of the decision rule (eval/results/ltr_session8.md), chosen on tune CV.
A_STAR = {"pool": 30, "objective": "rank_xendcg", "leaves": 4, "min_child": 200, "trees": 150,
          "drop": ["hub10", "profile_csls", "title_cos", "title_cos_rank", "title_cos_gap",
                   "title_bm25", "title_bm25_rank", "coverage", "title_coverage", "bio_words",
                   "title_terms"], "alpha": 1.0}
B_STAR = {"pool": 30, "extra": 1, "bag": 5, "subsample": 0.7, "colsample": 0.7, "alpha": 1.0}


# -- features ----------------------------------------------------------------------------------

# The features a re-ranker reads per (query, candidate), in this order; all come from the
# evidence ``fuse`` gets and the fused scores, so they need no other index or model call.
# ``_rank``: rank in that list (0 = first; a candidate the list did not return gets the list's
# length); ``_gap``: its score less the list's best; query-level ones are the same for all.
RERANK_FEATURES = (
    "fused", "fused_rank", "fused_gap", "semantic", "semantic_rank",
    "profile", "profile_rank", "profile_gap",
    "sentence", "sentence_rank", "sentence_gap", "sentence_trust",
    "skills", "skills_rank", "skills_found", "skills_trust",
    "bm25", "bm25_rank", "bm25_found", "bm25_share", "named",
    "query_words", "top_profile", "top_sentence", "top_bm25", "bm25_hits",
)


def _list_features(scores: Mapping[str, float], order: Sequence[str]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Per candidate: score (the list's lowest when absent), rank, found; and the list's best."""
    if not scores:
        zero = np.zeros(len(order))
        return zero, zero, zero, 0.0
    ranked = sorted(scores, key=lambda m: (-scores[m], m))
    rank = {m: i for i, m in enumerate(ranked)}
    floor = scores[ranked[-1]]
    values = np.fromiter((scores.get(m, floor) for m in order), np.float64, len(order))
    ranks = np.fromiter((rank.get(m, len(ranked)) for m in order), np.float64, len(order))
    found = np.fromiter((m in scores for m in order), np.float64, len(order))
    return values, ranks, found, scores[ranked[0]]


def rerank_features(evidence: Evidence, pipeline: Pipeline, fused: Mapping[str, float],
                    order: Sequence[str], query_words: int) -> np.ndarray:
    """One row of ``RERANK_FEATURES`` per mentor of ``order`` (candidates of ``fused``)."""
    n = len(order)
    columns: dict[str, np.ndarray] = {}
    values, ranks, _, best = _list_features(fused, order)
    columns.update(fused=values, fused_rank=ranks, fused_gap=values - best)
    semantic = _semantic(evidence, pipeline, set(fused)) if pipeline.kinds else {}
    values, ranks, _, _ = _list_features(semantic, order)
    columns.update(semantic=values, semantic_rank=ranks)
    tops = {}
    for kind in ("profile", "sentence", "skills"):
        values, ranks, found, best = _list_features(evidence.semantic.get(kind, {}), order)
        columns.update({kind: values, f"{kind}_rank": ranks, f"{kind}_gap": values - best,
                        f"{kind}_found": found})
        trust = evidence.reliability.get(kind, {})
        columns[f"{kind}_trust"] = np.fromiter((trust.get(m, 1.0) for m in order), np.float64, n)
        tops[kind] = best
    keyword = evidence.keyword
    values, ranks, found, best = _list_features(keyword, order)
    raw = np.fromiter((keyword.get(m, 0.0) for m in order), np.float64, n)
    columns.update(bm25=raw, bm25_rank=ranks, bm25_found=found,
                   bm25_share=raw / best if best > 0 else np.zeros(n))
    named_best = max(evidence.skills.values(), default=0.0)
    columns["named"] = (np.fromiter((evidence.skills.get(m, 0.0) for m in order), np.float64, n)
                        / named_best if named_best > 0 else np.zeros(n))
    columns.update(query_words=np.full(n, float(query_words)),
                   top_profile=np.full(n, tops["profile"]),
                   top_sentence=np.full(n, tops["sentence"]), top_bm25=np.full(n, best),
                   bm25_hits=np.full(n, float(len(keyword))))
    return np.column_stack([columns[name] for name in RERANK_FEATURES])



def capture(key: str, half: str) -> None:
    s7.OUT = OUT  # the evidence goes to this session's folder; the indexes stay where they are
    s7.capture(key, half)


class Query:
    """One captured query: its candidates in ``default`` order, features and graded labels."""

    def __init__(self, key: str, qid: str, text: str, evidence, data, pool: int) -> None:  # type: ignore[no-untyped-def]
        self.key, self.qid = key, qid
        fused = fuse(evidence, D)
        self.order = sorted(fused, key=lambda m: (-fused[m], m))[:100]
        self.pool = self.order[:pool]
        self.X = rerank_features(evidence, D, fused, self.pool, len(text.split()))
        rel = data.qrels[qid]
        self.y = np.array([rel.get(data.doc_id(m), 0) for m in self.pool], dtype=int)
        self.fold = int(hashlib.sha1(f"{key}/{qid}".encode()).hexdigest(), 16) % FOLDS

    def reranked(self, scores: np.ndarray) -> list[str]:
        """The pool in the model's order (ties: ``default``'s), then the rest as ``default``."""
        order = sorted(range(len(self.pool)), key=lambda i: (-scores[i], i))
        return [self.pool[i] for i in order] + self.order[len(self.pool):]


EXTRA = ("hub10", "profile_csls", "title_cos", "title_cos_rank", "title_cos_gap", "title_bm25",
         "title_bm25_rank", "coverage", "title_coverage", "bio_words", "title_terms")


def extras(blob: dict, queries: list[Query]) -> None:
    """Session 7's signals (need title vectors, a title BM25 and per-mentor hubness, which the
    index does not hold): appended to each query's features, for the CV only."""
    import math

    from finder.search.lexical import analyze

    feats = s7.Features(blob["corpus"], s7.embedder())
    mentors, ids = blob["corpus"]["mentors"], feats.ids
    titles = [mentors[m].headline or mentors[m].name for m in ids]
    doc_terms = [set(analyze(mentors[m].search_text())) for m in ids]
    title_terms = [set(analyze(t)) for t in titles]
    df: dict[str, int] = {}
    for terms in doc_terms:
        for t in terms:
            df[t] = df.get(t, 0) + 1
    n = len(ids)
    data = blob["data"]
    for q in queries:
        text = data.queries[q.qid]
        vector = blob["got"][q.qid][1]
        rows = np.array([feats.row[m] for m in q.pool])
        cos = feats.H @ vector
        rank_all = np.empty(n)
        rank_all[np.argsort(-cos, kind="stable")] = np.arange(n)
        tb = dict(feats.titles.top(text, 200))
        tb_rank = {m: i for i, m in enumerate(sorted(tb, key=lambda m: -tb[m]))}
        qt = list(dict.fromkeys(analyze(text)))
        w = np.array([math.log(1 + n / (1 + df.get(t, 0))) for t in qt])
        total = w.sum() or 1.0
        cov = np.array([sum(wi for t, wi in zip(qt, w) if t in doc_terms[i]) for i in rows]) / total
        tcov = np.array([sum(wi for t, wi in zip(qt, w) if t in title_terms[i])
                         for i in rows]) / total
        prof = q.X[:, RERANK_FEATURES.index("profile")]
        cols = [feats.hub_p[rows], prof - 0.1 * feats.hub_p[rows], cos[rows], rank_all[rows],
                cos[rows] - cos.max(), np.array([tb.get(m, 0.0) for m in q.pool]),
                np.array([tb_rank.get(m, 200) for m in q.pool], dtype=float), cov, tcov,
                np.array([len(mentors[m].bio.split()) for m in q.pool], dtype=float),
                np.array([len(title_terms[i]) for i in rows], dtype=float)]
        q.X = np.column_stack([q.X, *cols])


def load(half: str, pool: int, extra: bool = False) -> dict[str, tuple[object, list[Query]]]:
    out = {}
    for key in KEYS:
        with (OUT / f"{key}_{half}.pkl").open("rb") as handle:
            blob = pickle.load(handle)
        data = blob["data"]
        queries = [Query(key, qid, data.queries[qid], ev, data, pool)
                   for qid, (ev, _) in blob["got"].items()]
        for q in queries:  # the re-fused order is the real run's
            assert q.order[:10] == blob["ranked"][q.qid][:10], (key, q.qid)
        if extra:
            extras(blob, queries)
        out[key] = (data, queries)
    return out


def columns(params: dict, width: int) -> np.ndarray:
    """The feature columns a config uses (``drop``: names left out)."""
    names = list(RERANK_FEATURES) + list(EXTRA)
    drop = set(params.get("drop", ()))
    return np.array([i for i in range(width) if names[i] not in drop])


def train(queries: list[Query], params: dict, weights: dict[str, int]):  # type: ignore[no-untyped-def]
    """LightGBM lambdarank on these queries; a set's queries repeated ``weights[key]`` times."""
    import lightgbm as lgb

    chosen = [q for q in queries for _ in range(weights.get(q.key, 1)) if q.y.any()]
    use = columns(params, chosen[0].X.shape[1])
    X = np.vstack([q.X[:, use] for q in chosen])
    y = np.concatenate([q.y for q in chosen])
    group = [len(q.pool) for q in chosen]
    top = int(y.max())
    model = lgb.LGBMRanker(
        objective=params.get("objective", "lambdarank"), n_estimators=params.get("trees", 200),
        learning_rate=params.get("lr", 0.05), num_leaves=params.get("leaves", 15),
        min_child_samples=params.get("min_child", 50), subsample=params.get("subsample", 1.0),
        subsample_freq=1 if params.get("subsample") else 0,
        colsample_bytree=params.get("colsample", 1.0),
        reg_lambda=params.get("l2", 1.0), label_gain=list(range(top + 1)),
        lambdarank_truncation_level=params.get("trunc", 20), num_threads=1, verbose=-1,
        deterministic=True, force_row_wise=True, random_state=params.get("seed", 8))
    model.fit(X, y, group=group)
    return model


def blend(q: Query, model_scores: np.ndarray, alpha: float | None) -> np.ndarray:
    """The model's scores alone (``alpha`` None) or the fused score plus ``alpha`` × them."""
    if alpha is None:
        return model_scores
    return q.X[:, RERANK_FEATURES.index("fused")] + alpha * model_scores


def cv(params: dict, pool: int, weights: dict[str, int], alphas: list[float | None],
       loaded: dict) -> dict:
    """Grouped k-fold over queries (all sets' tune halves pooled, folds by query id)."""
    everything = [q for _, qs in loaded.values() for q in qs]
    predicted: dict[tuple[str, str], np.ndarray] = {}
    for fold in range(FOLDS):
        models = [train([q for q in everything if q.fold != fold], dict(params, seed=8 + b),
                        weights) for b in range(params.get("bag", 1))]
        for q in everything:
            if q.fold == fold:
                use = columns(params, q.X.shape[1])
                predicted[(q.key, q.qid)] = np.mean([m.predict(q.X[:, use]) for m in models],
                                                    axis=0)
    rows = {}
    for alpha in alphas:
        for key, (data, qs) in loaded.items():
            base = s7.metrics(data, {q.qid: q.order for q in qs})
            ltr = s7.metrics(data, {q.qid: q.reranked(blend(q, predicted[(key, q.qid)], alpha))
                                    for q in qs})
            rows[(str(alpha), key)] = (base, ltr)
            if key == "esco":  # paired standard error of the gain over titles
                gain = np.array([
                    s7.metrics(data, {q.qid: q.reranked(blend(q, predicted[(key, q.qid)],
                                                              alpha))})[0]
                    - s7.metrics(data, {q.qid: q.order})[0] for q in qs])
                rows[(str(alpha), "esco_se")] = (float(gain.std() / np.sqrt(len(gain))),
                                                 int((gain > 0).sum()), int((gain < 0).sum()))
    return rows


def run_cv() -> None:
    grid = [json.loads(x) for x in os.environ.get("GRID", "{}").split(";")]
    cache: dict[tuple[int, bool], dict] = {}
    for cfg in grid:
        pool = cfg.get("pool", 30)
        extra = bool(cfg.get("extra"))
        if (pool, extra) not in cache:
            cache[(pool, extra)] = load("tune", pool, extra)
        t = time.time()
        alphas = cfg.get("alphas", [None])
        rows = cv(cfg, pool, cfg.get("weights", {}), alphas, cache[(pool, extra)])
        for alpha in alphas:
            cells = []
            for key in KEYS:
                base, ltr = rows[(str(alpha), key)]
                cells.append(f"{key} {ltr[0]:.4f}({ltr[0] - base[0]:+.4f})/{ltr[1]:.3f}"
                             f"/{ltr[2]:.3f}")
            se, up, down = rows[(str(alpha), "esco_se")]
            cells.append(f"(ESCO paired SE {se:.4f}; {up} titles up, {down} down)")
            line = f"{json.dumps(cfg)} alpha={alpha} [{time.time() - t:.0f}s] " + "  ".join(cells)
            print(line, flush=True)
            with (OUT / "cv_tune.log").open("a") as handle:
                handle.write(line + "\n")


def _fmt(m: tuple[float, float, float]) -> str:
    return f"{m[0]:.4f} / {m[1]:.3f} / {m[2]:.3f}"


def report() -> None:
    """Once: A* and B* trained on every tune half, scored on every report half."""
    tune = load("tune", 30, extra=True)
    train_on = [q for _, qs in tune.values() for q in qs]
    models = {name: [train(train_on, dict(cfg, seed=8 + b), {}) for b in range(cfg.get("bag", 1))]
              for name, cfg in (("A*", A_STAR), ("B*", B_STAR))}
    held = load("report", 30, extra=True)
    lines = []
    for key, (data, qs) in held.items():
        cells = [f"default {_fmt(s7.metrics(data, {q.qid: q.order for q in qs}))}"]
        for name, cfg in (("A*", A_STAR), ("B*", B_STAR)):
            ranked = {}
            for q in qs:
                use = columns(cfg, q.X.shape[1])
                scores = np.mean([m.predict(q.X[:, use]) for m in models[name]], axis=0)
                ranked[q.qid] = q.reranked(blend(q, scores, cfg["alpha"]))
            cells.append(f"{name} {_fmt(s7.metrics(data, ranked))}")
        lines.append(f"{key} ({len(qs)} queries): " + "  ".join(cells))
        print(lines[-1], flush=True)
    (OUT / "report_once.log").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    if sys.argv[1] == "capture":
        capture(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "cv":
        run_cv()
    elif sys.argv[1] == "report":
        assert not (OUT / "report_once.log").exists(), "the report halves are scored once"
        report()
