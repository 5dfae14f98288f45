"""Encode every text variant used by esco_ablation.py once (cached in /tmp/esco_cache)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from esco_common import encode, load, split_sentences  # noqa: E402

QUERY_TEMPLATES = {
    "raw": "{q}",
    "iwork": "I work as a {q}",
}


def doc_texts(docs):
    title = [d["title"] for d in docs]
    bio = [d["text"] for d in docs]
    ind = [d["metadata"]["isco_group_label"] for d in docs]
    sents, owner = [], []
    for i, d in enumerate(docs):
        for s in split_sentences(d["text"]):
            sents.append(s)
            owner.append(i)
    return {
        "d_head": title,
        "d_full": [f"{t}. {b}" for t, b in zip(title, bio)],
        "d_bio": bio,
        "d_sent": sents,
        "d_ind": ind,
        "d_head_ind": [f"{t} ({g})" for t, g in zip(title, ind)],
        "d_full_ind": [f"{t}. {b} Industry: {g}." for t, b, g in zip(title, bio, ind)],
        "d_head_iwork": [f"I work as a {t}" for t in title],
    }, owner


def main():
    docs, queries, _ = load()
    qtexts = [q["text"] for q in queries]
    for name, tpl in QUERY_TEMPLATES.items():
        encode(f"q_{name}", [tpl.format(q=q) for q in qtexts])
    texts, _ = doc_texts(docs)
    # cheapest first so partial results are usable early
    for key in ["d_head", "d_full", "d_bio", "d_sent", "d_ind", "d_head_ind", "d_head_iwork",
                "d_full_ind"]:
        encode(key, texts[key])


if __name__ == "__main__":
    main()
