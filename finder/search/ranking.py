"""Ranking, pure and testable: the texts each mentor is embedded as, fusion, diversity, reasons."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from finder.search.lexical import (analyze, analyze_words, named_skills, skill_query_terms,
                                   skill_terms)
from finder.core.models import MatchReasons, Mentor, Signal
from finder.core.words import load_stop_words

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


def skills_text(mentor: Mentor) -> str:
    """The text of the skills vector: the headline and the skills, nothing else."""
    skills = "Skills: " + ", ".join(mentor.skills) + "."
    return f"{mentor.headline}. {skills}" if mentor.headline else skills


# How much of each signal a profile needs before that signal is fully trusted for it: a bio
# with fewer words in its sentences, or fewer skills, gets a proportionally smaller weight.
FULL_BIO_WORDS = 40
FULL_SKILLS = 3


def reliability(mentor: Mentor) -> dict[str, float]:
    """How far each vector kind can be trusted for this mentor, in [0, 1].

    A two-line bio with ten tags is ranked mostly by its tags and its profile, not by its one
    sentence; a mentor without skills has no skills vector at all.
    """
    words = sum(len(s.split()) for s in sentences(mentor.bio))
    return {"profile": 1.0, "sentence": min(1.0, words / FULL_BIO_WORDS),
            "skills": min(1.0, len(mentor.skills) / FULL_SKILLS)}


@dataclass(frozen=True)
class Pipeline:
    """One way of ranking.

    The semantic score of a mentor is a weighted mean of raw cosines, one per vector kind
    (``dense``), each kind's weight scaled by how reliable it is for that mentor (when
    ``reliable``); it is then normalised and fused with a weighted, normalised BM25 score and
    a bonus for skills the ask names (``skill_match``, on the scale of the best match).
    ``generic`` discounts a bio sentence by its similarity to generic bio sentences, and
    ``bridge`` expands situation-shaped asks with the expertise that answers them.
    """

    name: str
    dense: Mapping[str, float]
    keyword: float = 0.0
    normalise: str = "zscore"  # "zscore", "minmax" or "rrf"
    depth: int = 200
    skill_match: float = 0.0
    generic: float = 0.0
    reliable: bool = False
    bridge: float = 0.0
    bridge_threshold: float = 0.5
    bridge_margin: float = 0.0
    bridge_keyword: float = 0.3
    # An ask close to two situations that need different help, both above the threshold but
    # within the margin of each other, is moved towards both (else towards neither).
    bridge_both: bool = False
    # The move towards a situation whose help is the same in any field (``any_field`` in the
    # bridge file; 0: ``bridge``), whose people the mentee deals with are searched as "someone".
    bridge_field_free: float = 0.0
    title: float = 0.0  # weight of z(BM25 over the headline alone)
    # A mentor's sentence signal: the mean of its ``sentence_top`` best bio sentences (1: the
    # best one alone).
    sentence_top: int = 1
    # z-score each vector kind's cosines over its own list before the weighted mean (CombSUM of
    # z-scores), so a kind whose cosines spread more does not outweigh the others.
    kind_z: bool = False
    # Dense pseudo-relevance feedback (Rocchio): the first ``feedback_depth`` mentors are
    # re-scored by ``feedback`` times z(cosine of their profile vector to the centroid of the
    # first ``feedback_docs`` profile vectors), read back from the index (no model call).
    feedback: float = 0.0
    feedback_docs: int = 3
    feedback_depth: int = 30
    # RM3-style BM25 expansion: the ``rm3_terms`` best terms of the first ``rm3_docs`` mentors
    # (see ``lexical.feedback_terms``) searched with BM25, added to the keyword signal at
    # weight ``rm3``, and the candidates fused again.
    rm3: float = 0.0
    rm3_docs: int = 3
    rm3_terms: int = 10
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
    "previous": Pipeline(
        "previous", {"profile": 1.0, "sentence": 1.0}, keyword=0.3,
        description="z(profile cosine + best sentence cosine) + 0.3 z(BM25) (default until "
                    "issue 8)"),
    "default": Pipeline(
        "default", {"profile": 1.0, "sentence": 1.0, "skills": 1.0}, keyword=0.3,
        skill_match=0.6, reliable=True, bridge=0.6, bridge_threshold=0.45, bridge_margin=0.03,
        bridge_both=True, bridge_field_free=1.0,
        description="z(reliability-weighted profile + sentence + skills cosines) + 0.3 z(BM25) "
                    "+ 0.6 named skills; situation asks expanded with the expertise that "
                    "helps (bridge 0.6, from cosine 0.45 with a 0.03 margin; two close situations "
                    "that need different help: towards both; 1.0 for a situation whose help is "
                    "the same in any field)"),
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
    skills: dict[str, float] = field(default_factory=dict)  # id -> named-skill score
    title: dict[str, float] = field(default_factory=dict)  # id -> BM25 over the headline
    # kind -> id -> how far that kind can be trusted for that mentor (absent: fully)
    reliability: dict[str, dict[str, float]] = field(default_factory=dict)

    def candidates(self) -> set[str]:
        found = set(self.keyword) | set(self.skills) | set(self.title)
        for scores in self.semantic.values():
            found |= set(scores)
        return found


def _semantic(evidence: Evidence, pipeline: Pipeline, candidates: set[str]) -> dict[str, float]:
    """Per candidate, the reliability-weighted mean of its cosines, scaled by the weights' sum.

    A candidate that a list did not return gets that list's lowest score, so missing evidence
    never counts for more than the weakest evidence seen. With every reliability at 1 this is
    the plain weighted sum.
    """
    kinds = [k for k in pipeline.kinds if evidence.semantic.get(k)]
    scale = sum(pipeline.dense[k] for k in kinds)
    order = list(candidates)
    total = np.zeros(len(order))
    weight_sum = np.zeros(len(order))
    floor_sum = 0.0
    for kind in kinds:
        scores = evidence.semantic[kind]
        if pipeline.kind_z:
            scores = _normalised(scores, "zscore")
        floor = min(scores.values())
        floor_sum += pipeline.dense[kind] * floor
        cosine = np.fromiter((scores.get(m, floor) for m in order), np.float64, len(order))
        weight = np.full(len(order), pipeline.dense[kind])
        trust = evidence.reliability.get(kind) if pipeline.reliable else None
        if trust:
            weight *= np.fromiter((trust.get(m, 1.0) for m in order), np.float64, len(order))
        total += weight * cosine
        weight_sum += weight
    known = weight_sum > 0
    out = np.where(known, total / np.where(known, weight_sum, 1.0) * scale, floor_sum)
    return dict(zip(order, out.tolist()))


def fuse(evidence: Evidence, pipeline: Pipeline) -> dict[str, float]:
    """One score per candidate: normalised semantic score + weighted normalised BM25 + a
    bonus for named skills (0 to ``skill_match``, relative to the best candidate's)."""
    candidates = evidence.candidates()
    signals: list[tuple[float, dict[str, float]]] = []
    if pipeline.kinds and any(evidence.semantic.get(k) for k in pipeline.kinds):
        signals.append((1.0, _semantic(evidence, pipeline, candidates)))
    if pipeline.uses_keyword and evidence.keyword:
        signals.append((pipeline.keyword, evidence.keyword))
    if pipeline.title and evidence.title:
        signals.append((pipeline.title, evidence.title))
    total = dict.fromkeys(candidates, 0.0)
    for weight, raw in signals:
        norm = _normalised(raw, pipeline.normalise)
        floor = 0.0 if pipeline.normalise == "rrf" else min(norm.values())
        for mentor_id in candidates:
            total[mentor_id] += weight * norm.get(mentor_id, floor)
    if pipeline.skill_match and evidence.skills:
        best = max(evidence.skills.values())
        if best > 0:
            for mentor_id, score in evidence.skills.items():
                total[mentor_id] += pipeline.skill_match * score / best
    return total


def sentence_score(cosines: Sequence[float], top: int, count: int, floor: float) -> float:
    """A mentor's sentence signal: the mean of its ``top`` best sentence cosines.

    ``cosines`` are the ones the sentence search returned for this mentor, ``count`` how many
    sentences its bio has. A mentor with fewer sentences is averaged over those it has; a
    sentence the search did not return counts as ``floor`` (the lowest cosine it returned).
    """
    best = sorted(cosines, reverse=True)
    need = max(1, min(top, count)) if best else 0
    if not need:
        return floor
    taken = best[:need] + [floor] * max(0, need - len(best))
    return float(sum(taken) / need)


def feedback(fused: Mapping[str, float], vectors: Mapping[str, np.ndarray],
             pipeline: Pipeline) -> dict[str, float]:
    """Dense pseudo-relevance feedback (Rocchio) over the head of a ranking.

    The first ``feedback_docs`` mentors' profile vectors are taken as relevant; every mentor in
    the first ``feedback_depth`` gets ``feedback`` times the z-score (over that head) of its
    cosine to their normalised centroid added to its fused score; the rest get the head's
    lowest z-score, so their order is kept. Mentors without a vector count as the rest.
    """
    if pipeline.feedback <= 0 or len(fused) < 2:
        return dict(fused)
    order = sorted(fused, key=lambda m: (-fused[m], m))
    head = [m for m in order[:pipeline.feedback_depth] if m in vectors]
    relevant = head[:pipeline.feedback_docs]
    if len(head) < 2 or not relevant:
        return dict(fused)
    centroid = np.mean([vectors[m] for m in relevant], axis=0)
    norm = float(np.linalg.norm(centroid))
    if norm == 0:
        return dict(fused)
    centroid = centroid / norm
    cosine = {m: float(vectors[m] @ centroid) for m in head}
    z = _normalised(cosine, "zscore")
    floor = min(z.values())
    return {m: score + pipeline.feedback * z.get(m, floor) for m, score in fused.items()}


def generic_discount(cosine: float, genericity: float, weight: float) -> float:
    """A bio sentence's score: its cosine to the ask, less ``weight`` times how generic it is
    (its similarity to sentences any profile could hold), so "Ask me anything!" stops winning."""
    return cosine - weight * genericity


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
    "chat quick quickly career ask asking talk learn know like love really tips tip idea ideas "
    "better improve time today week month right much many lot something anything everything "
    "happy experience experienced job role team also could would should try trying feel "
    "find finding figure wonder wondering hope hoping sure able mentor mentors mentoring mentee"))
# Function, number and light-verb words ("out", "two", "cut", "report"): never a reason.
_REASON_STOP_STEMS = frozenset(analyze(" ".join(sorted(load_stop_words().reasons()))))
RARE_TERM_SHARE = 0.05  # a term used by more mentors than this is too common to be a reason


def explain(mentor: Mentor, query: str, *, best_sentence: str, semantic_rank: int | None,
            keyword_rank: int | None,
            term_share: Callable[[str], float] | None = None,
            expertise: str = "") -> MatchReasons:
    """Why ``mentor`` matched ``query``: the skills the ask names, the rarer words they share,
    the closest sentence and which signals ranked it.

    A word most profiles use ("career", "quick", "ask") is never a reason; ``term_share``
    gives the share of mentors whose text uses a stemmed term; ``expertise`` is what the bridge
    added to a situation-shaped ask, whose skills count as named.
    """
    matched_skills = named_skills(skill_query_terms(query) | set(analyze(expertise)),
                                  mentor.skills + mentor.industries)
    # A tag that is only a word every ask and bio use ("career") names nothing to the mentee.
    matched_skills = [s for s in matched_skills if not skill_terms(s) <= _GENERIC_STEMS]
    shown = {t for s in matched_skills for t in skill_terms(s)}
    text_terms: dict[str, str] = {}
    for stem, word in analyze_words(mentor.search_text()):
        text_terms.setdefault(stem, word)
    matched_terms = [text_terms[t] for t in dict.fromkeys(analyze(query))
                     if t in text_terms and t not in _GENERIC_STEMS and t not in _REASON_STOP_STEMS
                     and t not in shown
                     and (term_share is None or term_share(t) <= RARE_TERM_SHARE)]
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


# Words a sentence that only restates who the mentor is may hold beyond their name and headline
# ("Akira Kim has worked as an advertising manager for 6 years.").
_RESTATING = frozenset(analyze("has have worked working work works as an a the for over since "
                               "years year experience experienced been is was"))


def restates_headline(sentence: str, mentor: Mentor) -> bool:
    """Whether ``sentence`` says nothing beyond the mentor's name, headline and years: no
    reason why they fit an ask, only who they are."""
    said = {t for t in analyze(sentence) if not t.isdigit()}
    return bool(said) and said <= set(analyze(f"{mentor.name} {mentor.headline}")) | _RESTATING


# Sentences any profile could hold. A bio sentence close to these says little about what its
# mentor can help with (see ``generic_discount``); written by hand, never from an eval set.
GENERIC_SENTENCES = (
    "Ask me anything!",
    "Happy to help.",
    "Feel free to reach out to me.",
    "I love helping people grow.",
    "I enjoy mentoring and sharing what I know.",
    "I am passionate about helping others succeed.",
    "Hi, I'm happy to chat.",
    "I have many years of experience in the industry.",
    "Long career, lots of experience.",
    "Let's talk about anything you need.",
    "I can help with your career.",
    "I like to learn new things every day.",
    "Looking forward to meeting you.",
    "I believe in lifelong learning.",
)
