"""Session 7 probe (tune half only): BM25 query expansion with MiniLM word vectors.

Each word of an ESCO title is encoded alone and expanded with the corpus words (stems, shown by
their commonest surface form) whose vectors are nearest (up to n per word, cosine >= th); the
expansion's BM25, weighted by cosine, is z-scored and added at weight beta to the ``default``
fusion (from ``esco_session7_fast.py build esco tune``).

    python eval/experiments/esco_session7_expansion.py
"""
import pickle
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.esco_session7 import embedder
from eval.experiments.esco_session7_fast import fused, score, _z
from finder.search.lexical import KeywordIndex, analyze_words
half = "tune"
blob = pickle.load(open(f"/tmp/esco7/esco_{half}.pkl", "rb"))
fb = pickle.load(open(f"/tmp/esco7/esco_{half}_feats.pkl", "rb"))
data, Q = fb["data"], fb["queries"]
mentors = blob["corpus"]["mentors"]
ids = blob["corpus"]["ids"]
texts = [mentors[m].search_text() for m in ids]
kw = KeywordIndex()
kw.build(ids, texts, "x")
row = {m: i for i, m in enumerate(ids)}
surface = {}
cnt: Counter = Counter()
for t in texts:
    for stem, word in analyze_words(t):
        cnt[(stem, word)] += 1
for (stem, word), _count in cnt.most_common():
    surface.setdefault(stem, word)
stems = sorted(surface)
emb = embedder()
V = emb.encode([surface[s] for s in stems])
print("vocab", len(stems), flush=True)
qwords = {}
for q in Q:
    qwords[q] = analyze_words(data.queries[q])
allw = sorted({w for ws in qwords.values() for _, w in ws})
W = emb.encode(allw)
wrow = {w: i for i, w in enumerate(allw)}
sims = W @ V.T


def expansion(q, n, th):
    out = {}
    own = {s for s, _ in qwords[q]}
    for _stem, w in qwords[q]:
        row_ = sims[wrow[w]]
        for j in np.argsort(-row_)[:n + 3]:
            if stems[j] in own:
                continue
            if row_[j] < th:
                break
            out[stems[j]] = max(out.get(stems[j], 0), float(row_[j]))
            if len(out) >= n * len(own):
                break
    return out


grid = [(3, 0.6), (3, 0.7), (5, 0.6), (3, 0.8)]
qids = sorted(Q)
base = np.array([score(data, q, Q[q]["ids"], fused(Q[q], {}))[0] for q in qids])
print("base", base.mean().round(4))
for n, th in grid:
    X = {q: kw.weighted_scores(expansion(q, n, th)) for q in qids}
    for beta in (0.1, 0.2, 0.3):
        res = []
        for q in qids:
            f = Q[q]
            rows = np.array([row[m] for m in f["ids"]])
            x = X[q][rows]
            s = fused(f, {}) + beta * _z(x, np.ones(len(x), bool))
            res.append(score(data, q, f["ids"], s)[0])
        res = np.array(res)
        print(n, th, beta, res.mean().round(4), "up", (res > base).sum(),
              "down", (res < base).sum(), flush=True)
for x in qids[:8]:
    print(data.queries[x], list(expansion(x, 3, 0.7).items())[:6])
