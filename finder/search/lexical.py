"""Keyword search: BM25 (bm25s) with the project's stop words (``finder/core/stopwords.yaml``)
and Snowball stemming, saved to disk."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import shutil
import threading
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


_PER_THREAD = threading.local()


def _stemmer():  # type: ignore[no-untyped-def]
    """One Snowball stemmer per thread: a PyStemmer object must not be shared between threads
    (its word cache is not locked), and the web app searches from several at once."""
    stemmer = getattr(_PER_THREAD, "stemmer", None)
    if stemmer is None:
        import Stemmer

        stemmer = _PER_THREAD.stemmer = Stemmer.Stemmer("english")
    return stemmer


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from finder.core.words import load_stop_words

    return load_stop_words().search()


def analyze(text: str) -> list[str]:
    """Lower-cased, stop words out, stemmed: the terms BM25 and match reasons compare."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _stopwords()]
    return list(_stemmer().stemWords(words))


def analyze_words(text: str) -> list[tuple[str, str]]:
    """``analyze`` that keeps each term's word: (stem, lower-cased word), in text order."""
    words = [w for w in _TOKEN.findall(text.lower()) if w not in _stopwords()]
    return list(zip(_stemmer().stemWords(words), words))


def fingerprint(pairs: Sequence[tuple[str, str]]) -> str:
    """A digest of (id, content hash) pairs: equal digests mean the same corpus."""
    digest = hashlib.sha256()
    for mentor_id, content in sorted(pairs):
        digest.update(f"{mentor_id}\t{content}\n".encode())
    return digest.hexdigest()[:24]


_JS_SUFFIX = re.compile(r"(?<=[a-z])\.?js\b")


def skill_terms(skill: str) -> frozenset[str]:
    """The stemmed terms of a skill or tag, with a "js" suffix dropped (reactjs, node.js -> react,
    node), so that an ask that says "React" names the tag "reactjs"."""
    return frozenset(analyze(_JS_SUFFIX.sub("", skill.lower())))


# A skill whose one word is also an everyday verb is named only as the thing: "golang", or "Go"
# with its capital after another word ("learn Go"), never by the verb ("going to uni", "go back
# to work", which stem to the same term).
_VERB_SKILLS = {"go": re.compile(r"\bgolang\b|(?<=[\w,;:] )(?-i:Go)\b", re.IGNORECASE)}


def skill_query_terms(text: str) -> frozenset[str]:
    """The stemmed terms of an ask that can name a skill (see ``_VERB_SKILLS``)."""
    terms = set(analyze(_JS_SUFFIX.sub("", text.lower())))
    for term, named in _VERB_SKILLS.items():
        terms.discard(term)
        if named.search(text):
            terms.add(term)
    return frozenset(terms)


def named_skills(query_terms: set[str] | frozenset[str], skills: Sequence[str]) -> list[str]:
    """The skills whose every term the ask uses (stemmed), each distinct term set once."""
    seen: set[frozenset[str]] = set()
    out = []
    for skill in skills:
        terms = skill_terms(skill)
        if terms and terms <= query_terms and terms not in seen:
            seen.add(terms)
            out.append(skill)
    return out


class SkillIndex:
    """Which mentors list a skill the ask names (exactly or stemmed), scored by how rare the
    skill's terms are among the mentors' skills (IDF). In memory; rebuilt with the keywords.

    Built once per corpus: the distinct skills (as term sets) with their mean IDF, which terms
    each skill needs, and which mentors list each skill; a query then only touches the skills
    its terms complete, and sums their weights per mentor with numpy.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._skill_terms: list[frozenset[str]] = []  # distinct skill -> its terms
        self._weight = np.zeros(0, dtype=np.float64)  # distinct skill -> mean IDF of its terms
        self._by_term: dict[str, list[int]] = {}  # term -> distinct skills using it
        self._mentors: list[np.ndarray] = []  # distinct skill -> mentors listing it

    def build(self, ids: Sequence[str], skills: Sequence[Sequence[str]]) -> None:
        self.ids = list(ids)
        number: dict[frozenset[str], int] = {}
        listed: list[list[int]] = []
        term_mentors: dict[str, set[int]] = {}
        for i, mentor in enumerate(skills):
            for terms in dict.fromkeys(skill_terms(s) for s in mentor):
                if not terms:
                    continue
                at = number.setdefault(terms, len(number))
                if at == len(listed):
                    listed.append([])
                listed[at].append(i)
                for term in terms:
                    term_mentors.setdefault(term, set()).add(i)
        n = max(1, len(self.ids))
        idf = {t: float(np.log(1 + n / len(found))) for t, found in term_mentors.items()}
        self._skill_terms = list(number)
        self._weight = np.array([sum(idf[t] for t in terms) / len(terms)
                                 for terms in self._skill_terms], dtype=np.float64)
        self._by_term = {}
        for at, terms in enumerate(self._skill_terms):
            for term in terms:
                self._by_term.setdefault(term, []).append(at)
        self._mentors = [np.asarray(found, dtype=np.int64) for found in listed]

    def scores(self, query: str, allowed: frozenset[str] | None = None) -> dict[str, float]:
        """Mentor id -> the summed IDF of the distinct skills the ask names (only those > 0)."""
        terms = skill_query_terms(query)
        named = {at for term in terms for at in self._by_term.get(term, ())
                 if self._skill_terms[at] <= terms}
        if not named:
            return {}
        order = sorted(named)
        rows = np.concatenate([self._mentors[at] for at in order])
        weights = np.repeat(self._weight[order], [len(self._mentors[at]) for at in order])
        total = np.bincount(rows, weights=weights, minlength=len(self.ids))
        out: dict[str, float] = {}
        for i in np.flatnonzero(total > 0):
            mentor_id = self.ids[i]
            if allowed is None or mentor_id in allowed:
                out[mentor_id] = float(total[i])
        return out


def feedback_terms(texts: Sequence[str], doc_freq: Mapping[str, int], documents: int,
                   exclude: set[str] | frozenset[str], top: int) -> dict[str, float]:
    """RM3-style query expansion: the ``top`` terms of the feedback documents ``texts``.

    A term's weight is, summed over the documents, its share of the document's terms times
    its IDF over the corpus (``doc_freq`` of ``documents``), so that what the first results
    have in common and few other mentors say counts most. Terms in ``exclude`` (the ask's own)
    are left out; the weights of the kept terms sum to 1.
    """
    weights: dict[str, float] = {}
    for text in texts:
        terms = analyze(text)
        if not terms:
            continue
        for term, count in Counter(terms).items():
            if term in exclude:
                continue
            idf = math.log(1 + documents / (1 + doc_freq.get(term, 0)))
            weights[term] = weights.get(term, 0.0) + count / len(terms) * idf
    best = sorted(weights, key=lambda t: (-weights[t], t))[:top]
    total = sum(weights[t] for t in best)
    return {t: weights[t] / total for t in best} if total > 0 else {}


class KeywordIndex:
    """BM25 over one text per mentor; rebuilt whole when the corpus changes (fast: ~0.1 s/1k)."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.position: dict[str, int] = {}
        self.fingerprint = ""
        self.doc_freq: dict[str, int] = {}
        self._bm25 = None

    def build(self, ids: Sequence[str], texts: Sequence[str], fingerprint_: str) -> None:
        import bm25s

        self.ids = list(ids)
        self.position = {mentor_id: i for i, mentor_id in enumerate(self.ids)}
        self.fingerprint = fingerprint_
        if not self.ids:
            self._bm25 = None
            return
        model = bm25s.BM25()
        corpus = [analyze(text) or ["__empty__"] for text in texts]
        self.doc_freq = {}
        for terms in corpus:
            for term in set(terms):
                self.doc_freq[term] = self.doc_freq.get(term, 0) + 1
        model.index(corpus, show_progress=False)
        self._bm25 = model

    def share(self, term: str) -> float:
        """The share of mentors whose text uses this (stemmed) term."""
        return self.doc_freq.get(term, 0) / max(1, len(self.ids))

    def scores(self, query: str, mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every mentor (aligned with ``ids``); masked-out mentors score 0."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        terms = [t for t in analyze(query) if t in vocab]
        if not terms:
            return np.zeros(len(self.ids), dtype=np.float32)
        scores = np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
        if mask is not None:
            scores = np.where(mask, scores, 0.0).astype(np.float32)
        return scores

    def weighted_scores(self, weights: Mapping[str, float],
                        mask: np.ndarray | None = None) -> np.ndarray:
        """Sum over already analysed terms of weight x BM25 of the term alone (aligned with
        ``ids``; masked-out mentors score 0)."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        total = np.zeros(len(self.ids), dtype=np.float32)
        for term, weight in weights.items():
            if term in vocab and weight:
                total += np.float32(weight) * np.asarray(self._bm25.get_scores([term]),
                                                         dtype=np.float32)
        if mask is not None:
            total = np.where(mask, total, 0.0).astype(np.float32)
        return total

    def weighted_top(self, weights: Mapping[str, float], n: int,
                     mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """``top`` for weighted, already analysed terms (see ``weighted_scores``)."""
        return self._best(self.weighted_scores(weights, mask), n)

    def top(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The ``n`` best (id, score) pairs with a positive score."""
        return self._best(self.scores(query, mask), n)

    def _best(self, scores: np.ndarray, n: int) -> list[tuple[str, float]]:
        if scores.size == 0:
            return []
        n = min(n, scores.size)
        best = np.argpartition(-scores, n - 1)[:n]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in best if scores[i] > 0]

    def save(self, folder: Path) -> None:
        """Write to ``folder`` atomically: a crash leaves the old copy or the new one."""
        folder = Path(folder)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp / "bm25"), show_progress=False)
        (tmp / "manifest.json").write_text(
            json.dumps({"fingerprint": self.fingerprint, "ids": self.ids,
                        "doc_freq": self.doc_freq}), encoding="utf-8"
        )
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        """The saved index, or None if there is none or it can't be read (it is then rebuilt)."""
        import bm25s

        folder = Path(folder)
        manifest = folder / "manifest.json"
        if not manifest.exists():
            return None
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            index = cls()
            index.ids = list(data["ids"])
            index.position = {mentor_id: i for i, mentor_id in enumerate(index.ids)}
            index.fingerprint = str(data["fingerprint"])
            if "doc_freq" not in data:
                return None  # written before reasons needed term frequencies: rebuild
            index.doc_freq = {str(t): int(n) for t, n in data["doc_freq"].items()}
            if index.ids:
                index._bm25 = bm25s.BM25.load(str(folder / "bm25"), show_progress=False)
            return index
        except Exception as exc:
            log.warning("keyword index at %s is unreadable (%s); it will be rebuilt", folder, exc)
            return None
