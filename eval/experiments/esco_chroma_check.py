"""Check the recommended recipe through real Chroma top-N queries + query latency.

Builds in-memory Chroma collections (cosine HNSW) for the 'headline. bio' vectors and the bio
sentence vectors, runs the recipe with candidate depth N from Chroma + bm25s top-N, and
reports ranx metrics and single-query latency (query encode + 2 Chroma queries + BM25 + fusion).
Run:  HF_HUB_OFFLINE=1 .venv/bin/python eval/experiments/esco_chroma_check.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from esco_common import encode, load, model  # noqa: E402
from esco_encode import doc_texts  # noqa: E402

N_FULL, N_SENT, N_BM25, W_BM25, NORM_N = 200, 200, 200, 0.3, 200


def z(d: dict[str, float]) -> tuple[dict[str, float], float]:
    v = np.array(sorted(d.values(), reverse=True)[:NORM_N])
    mu, sd = v.mean(), max(v.std(), 1e-9)
    return {k: (x - mu) / sd for k, x in d.items()}, (v.min() - mu) / sd


def main() -> None:
    import bm25s
    import chromadb
    import Stemmer
    from ranx import Qrels, Run, evaluate

    docs, queries, qrels = load()
    texts, owner = doc_texts(docs)
    ids = [d["_id"] for d in docs]
    Vf = encode("d_full", texts["d_full"])
    Vs = encode("d_sent", texts["d_sent"])
    Qv = encode("q_raw", [q["text"] for q in queries])

    client = chromadb.EphemeralClient()
    cf = client.create_collection("full", metadata={"hnsw:space": "cosine"})
    cs = client.create_collection("sent", metadata={"hnsw:space": "cosine"})
    for i in range(0, len(ids), 1000):
        cf.add(ids=ids[i:i + 1000], embeddings=Vf[i:i + 1000].tolist())
    sids = [f"{ids[o]}#{j}" for j, o in enumerate(owner)]
    for i in range(0, len(sids), 1000):
        cs.add(ids=sids[i:i + 1000], embeddings=Vs[i:i + 1000].tolist(),
               metadatas=[{"doc": ids[o]} for o in owner[i:i + 1000]])

    stem = Stemmer.Stemmer("english")
    bm = bm25s.BM25()
    bm.index(bm25s.tokenize([f"{d['title']} {d['text']}" for d in docs], stopwords="en",
                            stemmer=stem, show_progress=False), show_progress=False)

    def search(qtext: str, qvec: np.ndarray | None = None) -> dict[str, float]:
        if qvec is None:
            qvec = model().encode([qtext], normalize_embeddings=True)[0]
        rf = cf.query(query_embeddings=[qvec.tolist()], n_results=N_FULL, include=["distances"])
        rs = cs.query(query_embeddings=[qvec.tolist()], n_results=N_SENT,
                      include=["distances", "metadatas"])
        full = {i: 1 - d for i, d in zip(rf["ids"][0], rf["distances"][0])}
        sent: dict[str, float] = {}
        for m, d in zip(rs["metadatas"][0], rs["distances"][0]):
            sent[m["doc"]] = max(sent.get(m["doc"], -1.0), 1 - d)
        ffloor, sfloor = min(full.values()), 1 - max(rs["distances"][0])
        dense = {k: full.get(k, ffloor) + sent.get(k, sfloor) for k in set(full) | set(sent)}
        qt = bm25s.tokenize([qtext], stopwords="en", stemmer=stem, return_ids=False,
                            show_progress=False)[0]
        lex: dict[str, float] = {}
        if bm.get_tokens_ids(qt):
            sc = bm.get_scores(qt)
            top = np.argpartition(-sc, N_BM25 - 1)[:N_BM25]
            lex = {ids[j]: float(sc[j]) for j in top}
        zd, dfloor = z(dense)
        out = dict(zd)
        if lex:
            zl, lfloor = z(lex)
            for k in set(out) | set(zl):
                out[k] = zd.get(k, dfloor) + W_BM25 * zl.get(k, lfloor)
        return out

    run = {}
    for q, v in zip(queries, Qv):
        s = search(q["text"], v)
        run[q["_id"]] = dict(sorted(s.items(), key=lambda kv: -kv[1])[:100])
    print(evaluate(Qrels(qrels), Run(run), ["ndcg@10", "mrr@10", "recall@10", "recall@100"]))

    for q in queries[:5]:  # warm-up (model load, first-call overheads)
        search(q["text"])
    lat = []
    for q in queries[:200]:
        t0 = time.perf_counter()
        search(q["text"])
        lat.append((time.perf_counter() - t0) * 1000)
    lat = np.array(lat)
    print(f"latency ms (incl. query encode): p50={np.percentile(lat, 50):.1f} "
          f"p95={np.percentile(lat, 95):.1f}")


if __name__ == "__main__":
    main()
