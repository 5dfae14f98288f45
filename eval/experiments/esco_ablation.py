"""ESCO dev ablation: BM25 / multi-field dense / fusion variants (research only).

Run:  HF_HUB_OFFLINE=1 .venv/bin/python eval/experiments/esco_ablation.py
Encodes once (cache: /tmp/esco_cache), then prints a markdown table (ranx metrics) and writes
eval/experiments/ablation_table.md.  All scoring is exact numpy over the full corpus unless a
row says "top-N": then every signal only contributes for its own top-N candidates (as a
Chroma/BM25 top-N query would return), other docs get that signal's N-th score (floor), and
docs outside the union of candidates are dropped.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from esco_common import CACHE, TIMINGS, encode, load  # noqa: E402
from esco_encode import QUERY_TEMPLATES, doc_texts  # noqa: E402

METRICS = ["ndcg@10", "mrr@10", "recall@10", "recall@100"]


# ----------------------------------------------------------------------------- data / signals
docs, queries, qrels = load()
doc_ids = [d["_id"] for d in docs]
did2i = {d: i for i, d in enumerate(doc_ids)}
qids = [q["_id"] for q in queries]
rel = np.array([did2i[next(iter(qrels[q]))] for q in qids])
NQ, ND = len(qids), len(doc_ids)

texts, owner = doc_texts(docs)
owner = np.asarray(owner)
Q = {name: encode(f"q_{name}", [tpl.format(q=q["text"]) for q in queries])
     for name, tpl in QUERY_TEMPLATES.items()}
D = {k: encode(k, v) for k, v in texts.items()}
sent_starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
assert len(sent_starts) == ND


def dense(field: str, qt: str = "raw") -> np.ndarray:
    if field == "d_sent":
        return np.maximum.reduceat(Q[qt] @ D["d_sent"].T, sent_starts, axis=1)
    return Q[qt] @ D[field].T


def bm25(field_texts: list[str], stem: bool, k1: float = 1.5, b: float = 0.75) -> np.ndarray:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english") if stem else None
    tok = bm25s.tokenize(field_texts, stopwords="en", stemmer=stemmer, show_progress=False)
    r = bm25s.BM25(k1=k1, b=b)
    r.index(tok, show_progress=False)
    qtok = bm25s.tokenize([q["text"] for q in queries], stopwords="en", stemmer=stemmer,
                          return_ids=False, show_progress=False)
    out = np.zeros((NQ, ND), dtype=np.float32)
    for i, t in enumerate(qtok):
        if r.get_tokens_ids(t):
            out[i] = r.get_scores(t)
    return out


# ----------------------------------------------------------------------------- normalisation
def topn_mask(s: np.ndarray, n: int | None) -> np.ndarray:
    if n is None or n >= s.shape[1]:
        return np.ones_like(s, dtype=bool)
    idx = np.argpartition(-s, n - 1, axis=1)[:, :n]
    m = np.zeros_like(s, dtype=bool)
    np.put_along_axis(m, idx, True, axis=1)
    return m


def normalise(s: np.ndarray, how: str, n: int | None = 200) -> np.ndarray:
    """how: raw | minmax | z (statistics over each query's top-n of this signal)."""
    if how == "raw":
        return s
    m = topn_mask(s, n)
    masked = np.where(m, s, np.nan)
    if how == "minmax":
        lo, hi = np.nanmin(masked, 1, keepdims=True), np.nanmax(masked, 1, keepdims=True)
        return (s - lo) / np.maximum(hi - lo, 1e-9)
    if how == "z":
        mu, sd = np.nanmean(masked, 1, keepdims=True), np.nanstd(masked, 1, keepdims=True)
        return (s - mu) / np.maximum(sd, 1e-9)
    raise ValueError(how)


def fuse(signals: list[np.ndarray], weights: list[float], how: str = "raw",
         norm_n: int | None = 200, cand_n: int | None = None) -> np.ndarray:
    """Weighted sum of normalised signals.  cand_n=None: exact over the full corpus; else each
    signal only known for its top-cand_n docs (others: floor = its N-th score), and docs
    outside the union of candidates get -inf."""
    total = np.zeros((NQ, ND), dtype=np.float64)
    union = np.zeros((NQ, ND), dtype=bool)
    for s, w in zip(signals, weights):
        if w == 0:
            continue
        z = normalise(s, how, norm_n)
        if cand_n is not None:
            m = topn_mask(s, cand_n)
            floor = np.min(np.where(m, z, np.inf), axis=1, keepdims=True)
            z = np.where(m, z, floor)
            union |= m
        total += w * z
    if cand_n is not None:
        total[~union] = -np.inf
    return total


def rrf(signals: list[np.ndarray], k: int = 60, weights=None) -> np.ndarray:
    weights = weights or [1.0] * len(signals)
    total = np.zeros((NQ, ND))
    for s, w in zip(signals, weights):
        ranks = np.argsort(np.argsort(-s, axis=1), axis=1) + 1
        total += w / (k + ranks)
    return total


# ----------------------------------------------------------------------------- metrics
def fast_ndcg(s: np.ndarray, rows: np.ndarray | None = None) -> float:
    """nDCG@10 with one relevant doc (pessimistic on ties); used for weight grids."""
    if rows is not None:
        s, r = s[rows], rel[rows]
    else:
        r = rel
    rs = s[np.arange(len(r)), r][:, None]
    rank = (s > rs).sum(1) + (s == rs).sum(1)  # includes itself
    g = np.where((rank <= 10) & np.isfinite(rs[:, 0]), 1.0 / np.log2(rank + 1), 0.0)
    return float(g.mean())


def ranx_eval(s: np.ndarray) -> dict[str, float]:
    from ranx import Qrels, Run, evaluate

    k = 100
    top = np.argpartition(-s, k - 1, axis=1)[:, :k]
    run = {}
    for qi, q in enumerate(qids):
        cand = top[qi]
        vals = s[qi, cand]
        ok = np.isfinite(vals)
        run[q] = {doc_ids[d]: float(v) for d, v in zip(cand[ok], vals[ok])}
    res = evaluate(Qrels(qrels), Run(run), METRICS, make_comparable=True)
    return {m: float(res[m]) for m in METRICS}


ROWS: list[tuple[str, dict[str, float]]] = []


def row(name: str, s: np.ndarray) -> dict[str, float]:
    r = ranx_eval(s)
    ROWS.append((name, r))
    print(f"| {name} | " + " | ".join(f"{r[m]:.4f}" for m in METRICS) + " |", flush=True)
    return r


def two_fold(grid: list[tuple], make) -> tuple[float, list[tuple]]:
    """Pick weights on one half of the queries, score on the other (and vice versa)."""
    halves = [np.arange(NQ) % 2 == 0, np.arange(NQ) % 2 == 1]
    scores = {w: make(w) for w in grid}
    out, picked = [], []
    for a, b in [(0, 1), (1, 0)]:
        best = max(grid, key=lambda w: fast_ndcg(scores[w], np.flatnonzero(halves[a])))
        picked.append(best)
        out.append(fast_ndcg(scores[best], np.flatnonzero(halves[b])))
    return float(np.mean(out)), picked


# ----------------------------------------------------------------------------- recipe
def recipe(wb: float = 0.3, cand_n: int | None = None, sent_n: int | None = None,
           norm_n: int = 200, Bs: np.ndarray | None = None) -> np.ndarray:
    """z@norm_n(cos_full + max_sentence_cos) + wb * z@norm_n(BM25 stem, headline+bio).

    cand_n/sent_n: simulate Chroma top-N: full-vector top-cand_n docs, sentence top-sent_n
    sentences (doc score = max of its returned sentences), BM25 top-cand_n; a missing value is
    the signal's N-th score (floor); docs outside the union are dropped."""
    sims = Q["raw"] @ D["d_sent"].T
    F = Q["raw"] @ D["d_full"].T
    if cand_n is None:
        S = np.maximum.reduceat(sims, sent_starts, axis=1)
        return fuse([F + S, Bs], [1.0, wb], "z", norm_n)
    mF = topn_mask(F, cand_n)
    Fc = np.where(mF, F, np.min(np.where(mF, F, np.inf), 1, keepdims=True))
    ms = topn_mask(sims, sent_n)
    Sc = np.maximum.reduceat(np.where(ms, sims, -np.inf), sent_starts, axis=1)
    mS = np.isfinite(Sc)
    Sc = np.where(mS, Sc, np.min(np.where(ms, sims, np.inf), 1, keepdims=True))
    mB = topn_mask(Bs, cand_n)
    Bc = np.where(mB, Bs, np.min(np.where(mB, Bs, np.inf), 1, keepdims=True))
    total = normalise(Fc + Sc, "z", norm_n) + wb * normalise(Bc, "z", norm_n)
    total[~(mF | mS | mB)] = -np.inf
    return total


def recipe_section(F, S, Bs, H) -> None:
    g = {wb: fast_ndcg(recipe(wb, Bs=Bs)) for wb in (0.1, 0.2, 0.3, 0.4, 0.5)}
    print("recipe BM25 weight grid:", {k: round(v, 4) for k, v in g.items()}, flush=True)
    cv, picked = two_fold([(wb,) for wb in (0.1, 0.2, 0.3, 0.4, 0.5)],
                          lambda w: recipe(w[0], Bs=Bs))
    print(f"recipe 2-fold CV over w_bm25: {cv:.4f} picked={picked}", flush=True)
    for wb in (0.2, 0.5):
        row(f"7  recipe, w_bm25={wb} (sensitivity)", recipe(wb, Bs=Bs))
    R = recipe(0.3, Bs=Bs)
    row("7a RECIPE z@200(cos_full+maxcos_sent) + 0.3*z@200(BM25 stem), exact", R)
    row("7b recipe variant: z(full)+z(sent)+0.3 z(BM25) separately", fuse([F, S, Bs], [1, 1, .3], "z"))
    for cn, sn in ((100, 100), (100, 300), (200, 200), (200, 500)):
        row(f"7c recipe, top-{cn} full / top-{sn} sentences / top-{cn} BM25",
            recipe(0.3, cand_n=cn, sent_n=sn, Bs=Bs))
    from ranx import Qrels, Run, compare

    def to_run(s, name):
        top = np.argpartition(-s, 99, axis=1)[:, :100]
        return Run({q: {doc_ids[d]: float(s[i, d]) for d in top[i]} for i, q in enumerate(qids)},
                   name=name)
    rep = compare(Qrels(qrels), [to_run(F, "dense_full"), to_run(F + S, "full+sent"),
                                 to_run(R, "recipe")], metrics=["ndcg@10", "mrr@10"],
                  stat_test="student", max_p=0.01)
    print(rep, flush=True)
    # per-query wins/losses vs dense baseline
    def ranks(s):
        rs = s[np.arange(NQ), rel][:, None]
        return (s > rs).sum(1) + 1
    rb, rr = ranks(F), ranks(R)
    print(f"recipe vs dense: rank better {int((rr < rb).sum())}, worse {int((rr > rb).sum())}, "
          f"same {int((rr == rb).sum())}", flush=True)


# ----------------------------------------------------------------------------- experiments
def main() -> None:
    t0 = time.time()
    print("| run | " + " | ".join(METRICS) + " |\n|---|" + "---|" * len(METRICS))

    # 1. BM25
    headbio = [f"{d['title']} {d['text']}" for d in docs]
    B = {
        "bm25_hb": bm25(headbio, stem=False),
        "bm25_hb_stem": bm25(headbio, stem=True),
        "bm25_h_stem": bm25([d["title"] for d in docs], stem=True),
    }
    row("1a BM25 headline+bio, stopwords", B["bm25_hb"])
    row("1b BM25 headline+bio, stopwords+Snowball", B["bm25_hb_stem"])
    row("1c BM25 headline only, stopwords+Snowball", B["bm25_h_stem"])

    # 2/3. dense
    F, H, Bi, S = dense("d_full"), dense("d_head"), dense("d_bio"), dense("d_sent")
    row("2  dense 'headline. bio' (baseline)", F)
    row("3a dense headline", H)
    row("3b dense bio", Bi)
    row("3c dense max over bio sentences", S)
    row("3d dense full + headline (1:1, raw cos)", F + H)
    row("3e dense full + sent-max (1:1, raw cos)", F + S)
    row("3f dense full + headline + sent-max (1:1:1)", F + H + S)

    # coarse grid over (w_head, w_sent), w_full = 1, raw cosine
    grid = [(wh, ws) for wh in (0, 0.25, 0.5, 0.75, 1.0, 1.5) for ws in (0, 0.25, 0.5, 1.0)]
    res = {w: fast_ndcg(F + w[0] * H + w[1] * S) for w in grid}
    best_d = max(res, key=res.get)
    print("dense grid (w_head, w_sent) -> nDCG@10:",
          {f"{k[0]},{k[1]}": round(v, 4) for k, v in sorted(res.items())}, flush=True)
    cv, picked = two_fold(grid, lambda w: F + w[0] * H + w[1] * S)
    print(f"dense grid best={best_d} ({res[best_d]:.4f}); 2-fold CV nDCG@10={cv:.4f} "
          f"picked={picked}", flush=True)
    wh, ws = best_d
    Dn = F + wh * H + ws * S
    row(f"3g dense full + {wh}*headline + {ws}*sent-max (grid)", Dn)

    # 4. + BM25 with normalisation
    Bs = B["bm25_hb_stem"]
    row("4a RRF(dense full, BM25 stem) k=60", rrf([F, Bs]))
    row("4b RRF(full, head, sent, BM25)", rrf([F, H, S, Bs]))
    for how in ("minmax", "z"):
        g = {}
        for wb in (0.05, 0.1, 0.2, 0.3, 0.5):
            g[wb] = fast_ndcg(fuse([Dn, Bs], [1.0, wb], how))
        wb = max(g, key=g.get)
        print(f"{how} fused dense-multi + w*BM25 grid:", {k: round(v, 4) for k, v in g.items()})
        row(f"4c {how}@200(dense F+{wh}*H+{ws}*S) + {wb}*{how}@200(BM25 stem)", fuse([Dn, Bs], [1, wb], how))
        g = {}
        for wb in (0.05, 0.1, 0.2, 0.3, 0.5):
            g[wb] = fast_ndcg(fuse([F, Bs], [1.0, wb], how))
        wb1 = max(g, key=g.get)
        row(f"4d {how}@200(dense full) + {wb1}*{how}@200(BM25 stem)", fuse([F, Bs], [1, wb1], how))
    # per-signal normalisation of every field (z over top-200) + BM25 headline field
    Bh = B["bm25_h_stem"]
    for wbh in (0.05, 0.1, 0.2):
        print(f"  z multi + {wbh}*z BM25-headline: "
              f"{fast_ndcg(fuse([Dn, Bh], [1, wbh], 'z')):.4f}; + both BM25: "
              f"{fast_ndcg(fuse([Dn, Bs, Bh], [1, wbh, wbh], 'z')):.4f}", flush=True)

    # 5. industry label
    G, HG, FG = dense("d_ind"), dense("d_head_ind"), dense("d_full_ind")
    row("5a dense industry label alone", G)
    row("5b dense 'headline (industry)'", HG)
    row("5c dense 'headline. bio Industry: label.'", FG)
    for wg in (0.1, 0.25, 0.5):
        print(f"  multi + {wg}*industry vec: {fast_ndcg(Dn + wg * G):.4f}; "
              f"HG instead of H: {fast_ndcg(F + wh * HG + ws * S):.4f}", flush=True)

    # 6. query template
    Fi, Hi, Si = dense("d_full", "iwork"), dense("d_head", "iwork"), dense("d_sent", "iwork")
    Hii = Q["iwork"] @ D["d_head_iwork"].T
    row("6a dense full, query 'I work as a {q}'", Fi)
    row("6b multi (3g weights), query 'I work as a {q}'", Fi + wh * Hi + ws * Si)
    row("6c headline, both sides 'I work as a ...'", Hii)

    # 7. recommended recipe: robustness, candidate depth, significance, latency
    recipe_section(F, S, Bs, H)

    print(f"# elapsed {time.time() - t0:.0f}s")
    (HERE / "ablation_table.md").write_text(
        "| run | " + " | ".join(METRICS) + " |\n|---|" + "---|" * len(METRICS) + "\n"
        + "\n".join(f"| {n} | " + " | ".join(f"{r[m]:.4f}" for m in METRICS) + " |"
                    for n, r in ROWS) + "\n")
    print(json.dumps(json.loads(TIMINGS.read_text()), indent=1))


if __name__ == "__main__":
    main()
