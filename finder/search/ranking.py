"""Ranking, pure and testable: the texts each mentor is embedded as, fusion, diversity, reasons."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from finder.search.lexical import analyze
from finder.core.models import MatchReasons, Mentor, Signal

MAX_SENTENCES = 8
NEAR_DUPLICATE = 0.95  # cosine between two profiles that say the same thing
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def sentences(text: str) -> list[str]:
    """The bio's sentences (at most MAX_SENTENCES), each with at least three words."""
    parts = [" ".join(p.split()) for p in _SENTENCE.split(text.strip())]
    return [p for p in parts if len(p.split()) >= 3][:MAX_SENTENCES]


def mentor_texts(mentor: Mentor) -> dict[str, list[str]]:
    """What gets a vector: the whole profile, and each bio sentence (see the README ablation)."""
    profile = f"{mentor.headline}. {mentor.bio}" if mentor.headline else mentor.bio
    if mentor.skills:
        profile += " Skills: " + ", ".join(mentor.skills) + "."
    return {"profile": [profile], "sentence": sentences(mentor.bio)}


@dataclass(frozen=True)
class Pipeline:
    """One way of ranking.

    The semantic score of a mentor is a weighted sum of raw cosines, one per vector kind
    (``dense``); it is then normalised and fused with a weighted, normalised BM25 score.
    """

    name: str
    dense: Mapping[str, float]
    keyword: float = 0.0
    normalise: str = "zscore"  # "zscore", "minmax" or "rrf"
    depth: int = 200
    description: str = ""

    @property
    def kinds(self) -> list[str]:
        return [kind for kind, weight in self.dense.items() if weight]

    @property
    def uses_keyword(self) -> bool:
        return bool(self.keyword)


PIPELINES: dict[str, Pipeline] = {
    "dense": Pipeline("dense", {"profile": 1.0},
                      description="MiniLM over the whole profile (one vector per mentor)"),
    "bm25": Pipeline("bm25", {}, keyword=1.0,
                     description="BM25 over headline, bio, skills and industries, stemmed"),
    "rrf": Pipeline("rrf", {"profile": 1.0}, keyword=1.0, normalise="rrf",
                    description="plain reciprocal-rank fusion of dense and BM25"),
    "dense-sentences": Pipeline("dense-sentences", {"profile": 1.0, "sentence": 1.0},
                                description="profile cosine + best bio-sentence cosine"),
    "default": Pipeline(
        "default", {"profile": 1.0, "sentence": 1.0}, keyword=0.3,
        description="z(profile cosine + best sentence cosine) + 0.3 z(BM25)"),
}


def _normalised(scores: Mapping[str, float], how: str) -> dict[str, float]:
    if not scores:
        return {}
    values = np.fromiter(scores.values(), dtype=np.float64)
    if how == "rrf":
        order = sorted(scores, key=lambda k: -scores[k])
        return {k: 1.0 / (60 + rank) for rank, k in enumerate(order, 1)}
    if how == "minmax":
        low, high = float(values.min()), float(values.max())
        span = high - low or 1.0
        return {k: (v - low) / span for k, v in scores.items()}
    mean, std = float(values.mean()), float(values.std()) or 1.0
    return {k: (v - mean) / std for k, v in scores.items()}


@dataclass
class Evidence:
    """What each signal said about the candidates of one query."""

    semantic: dict[str, dict[str, float]] = field(default_factory=dict)  # kind -> id -> cosine
    keyword: dict[str, float] = field(default_factory=dict)  # id -> BM25

    def candidates(self) -> set[str]:
        found = set(self.keyword)
        for scores in self.semantic.values():
            found |= set(scores)
        return found


def fuse(evidence: Evidence, pipeline: Pipeline) -> dict[str, float]:
    """One score per candidate: normalised semantic score + weighted normalised BM25.

    A candidate that a signal did not return gets that signal's lowest returned score, so
    missing evidence never counts for more than the weakest evidence seen.
    """
    candidates = evidence.candidates()
    semantic = dict.fromkeys(candidates, 0.0)
    for kind in pipeline.kinds:
        raw = evidence.semantic.get(kind, {})
        if not raw:
            continue
        floor = min(raw.values())
        for mentor_id in candidates:
            semantic[mentor_id] += pipeline.dense[kind] * raw.get(mentor_id, floor)
    signals: list[tuple[float, dict[str, float]]] = []
    if pipeline.kinds:
        signals.append((1.0, semantic))
    if pipeline.uses_keyword and evidence.keyword:
        signals.append((pipeline.keyword, evidence.keyword))
    total = dict.fromkeys(candidates, 0.0)
    for weight, raw in signals:
        if not raw:
            continue
        norm = _normalised(raw, pipeline.normalise)
        floor = 0.0 if pipeline.normalise == "rrf" else min(norm.values())
        for mentor_id in candidates:
            total[mentor_id] += weight * norm.get(mentor_id, floor)
    return total


def mmr(ranked: Sequence[str], relevance: Mapping[str, float],
        vectors: Mapping[str, np.ndarray], k: int, diversity: float) -> list[str]:
    """Maximal marginal relevance: trade relevance (in [0, 1]) for being unlike the picked."""
    if diversity <= 0 or len(ranked) <= 1:
        return list(ranked[:k])
    pool = [m for m in ranked if m in vectors]
    rest = [m for m in ranked if m not in vectors]
    rel = {m: relevance[m] for m in pool}
    picked: list[str] = []
    while pool and len(picked) < k:
        def gain(m: str) -> float:
            if not picked:
                return rel[m]
            similarity = max(float(vectors[m] @ vectors[p]) for p in picked)
            # A near-copy of a picked profile adds no new perspective at any diversity.
            duplicate = 1.0 if similarity >= NEAR_DUPLICATE else 0.0
            return (1 - diversity) * rel[m] - diversity * similarity - duplicate
        best = max(pool, key=gain)
        picked.append(best)
        pool.remove(best)
    return (picked + rest)[:k]


# Words every ask and every bio use: sharing them is no reason to pick a mentor.
_GENERIC_STEMS = frozenset(analyze(
    "work worked help helping call calls minute minutes need want advice get make use new first "
    "look way thing good best start year years people someone question session video phone email "
    "chat"))


def explain(mentor: Mentor, query: str, *, best_sentence: str, semantic_rank: int | None,
            keyword_rank: int | None) -> MatchReasons:
    """Why ``mentor`` matched ``query``: shared skills and terms, the closest sentence, signals."""
    query_terms = set(analyze(query))
    matched_skills = [s for s in mentor.skills + mentor.industries
                      if (terms := set(analyze(s))) and terms <= query_terms]
    text_terms: dict[str, str] = {}
    for word in re.findall(r"(?u)\b\w\w+\b", mentor.search_text()):
        for stem in analyze(word):
            text_terms.setdefault(stem, word.lower())
    matched_terms = [text_terms[t] for t in dict.fromkeys(analyze(query))
                     if t in text_terms and t not in _GENERIC_STEMS]
    signals: list[Signal] = []
    if semantic_rank is not None and semantic_rank <= 20:
        signals.append("semantic")
    if keyword_rank is not None and keyword_rank <= 20:
        signals.append("keyword")
    if not signals:
        signals.append("semantic" if semantic_rank is not None else "keyword")
    return MatchReasons(
        matched_skills=matched_skills[:6], matched_terms=matched_terms[:8],
        best_sentence=best_sentence, signals=signals,
        semantic_rank=semantic_rank, keyword_rank=keyword_rank,
    )
