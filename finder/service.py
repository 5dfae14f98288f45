"""MentorFinder: the typed Python API over one mentor index (Chroma vectors + BM25 keywords)."""

from __future__ import annotations

import json
import math
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from finder.embedding import Embedder, default_embedder
from finder.errors import MentorNotFound, QueryError
from finder.lexical import KeywordIndex, fingerprint
from finder.models import IngestReport, Match, Mentor, SearchFilters, utc_offsets
from finder.ranking import PIPELINES, Evidence, Pipeline, explain, fuse, mentor_texts, mmr
from finder.settings import Settings
from finder.store import ChromaStore

MAX_QUERY_CHARS = 2000
WRITE_CHUNK = 128  # mentors per Chroma write: one transaction each


def vector_id(mentor_id: str, kind: str, i: int = 0) -> str:
    return f"{mentor_id}|{kind}|{i}"


def row_metadata(mentor: Mentor, kind: str, content_hash: str) -> dict[str, Any]:
    """What every vector of a mentor carries, so that Chroma can filter on it."""
    meta: dict[str, Any] = {
        "mentor_id": mentor.id, "kind": kind, "hash": content_hash,
        "min_minutes": mentor.min_minutes, "languages": list(mentor.languages),
    }
    if mentor.formats:
        meta["formats"] = list(mentor.formats)
    if mentor.industries:
        meta["industries"] = [i.lower() for i in mentor.industries]
    if mentor.timezone:
        meta["tz_winter"], meta["tz_summer"] = utc_offsets(mentor.timezone)
    if mentor.years_experience is not None:
        meta["years"] = mentor.years_experience
    if mentor.organization:
        meta["organization"] = mentor.organization
    if mentor.country:
        meta["country"] = mentor.country
    return meta


def _any_of(key: str, values: Sequence[str]) -> dict[str, Any]:
    clauses = [{key: {"$contains": v}} for v in values]
    return clauses[0] if len(clauses) == 1 else {"$or": clauses}


def chroma_where(filters: SearchFilters | None, kind: str | None = None) -> dict[str, Any] | None:
    """The Chroma ``where`` clause for a kind of vector under ``filters``."""
    clauses: list[dict[str, Any]] = [{"kind": kind}] if kind else []
    f = filters or SearchFilters()
    if f.formats:
        clauses.append(_any_of("formats", f.formats))
    if f.max_minutes is not None:
        clauses.append({"min_minutes": {"$lte": f.max_minutes}})
    if f.languages:
        clauses.append(_any_of("languages", f.languages))
    if f.industries:
        clauses.append(_any_of("industries", f.industries))
    if f.utc_offset_min is not None or f.utc_offset_max is not None:
        low = -12.0 if f.utc_offset_min is None else f.utc_offset_min
        high = 14.0 if f.utc_offset_max is None else f.utc_offset_max
        clauses.append({"$or": [
            {"$and": [{season: {"$gte": low}}, {season: {"$lte": high}}]}
            for season in ("tz_winter", "tz_summer")
        ]})
    if f.organization is not None:
        clauses.append({"organization": f.organization})
    if f.min_years_experience is not None:
        clauses.append({"years": {"$gte": f.min_years_experience}})
    if f.countries:
        clauses.append({"country": {"$in": list(f.countries)}})
    if f.exclude_ids:
        clauses.append({"mentor_id": {"$nin": list(f.exclude_ids)}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class MentorFinder:
    """Open an index, ingest mentors into it, search it. One index per organisation."""

    def __init__(self, store: ChromaStore, embedder: Embedder, home: Path) -> None:
        self.store = store
        self.embedder = embedder
        self.home = home
        self._lock = threading.RLock()
        self._mentors: dict[str, Mentor] = {}
        self._hashes: dict[str, str] = {}
        self._sentences: dict[str, int] = {}
        self._masks: dict[str, np.ndarray] = {}
        self._keyword = KeywordIndex()
        self._keyword_dir = home / f"keyword-{store.name}"
        self._load()

    @classmethod
    def open(cls, path: str | Path | None = None, *, index: str = "default",
             chroma_url: str | None = None, embedder: Embedder | None = None) -> MentorFinder:
        """Open (or create) the index in ``path``; ``None`` means MENTOR_FINDER_HOME.

        With ``chroma_url`` (or MENTOR_FINDER_CHROMA_URL) the vectors live on that Chroma
        server; ``path`` then only holds the keyword index, which is rebuilt when missing.
        """
        settings = Settings.from_env()
        home = Path(path).expanduser() if path is not None else settings.home
        url = chroma_url or settings.chroma_url
        home.mkdir(parents=True, exist_ok=True)
        store = (ChromaStore.server(url, index) if url
                 else ChromaStore.persistent(home / "chroma", index))
        return cls(store, embedder or default_embedder(), home)

    # -- reading ---------------------------------------------------------------------------

    def _load(self) -> None:
        got = self.store.get(where={"kind": "profile"}, include=["metadatas"])
        for meta in got["metadatas"] or []:
            mentor = Mentor.model_validate_json(meta["record"])
            self._mentors[mentor.id] = mentor
            self._hashes[mentor.id] = str(meta["hash"])
            self._sentences[mentor.id] = int(meta.get("n_sentences", 0))
        saved = KeywordIndex.load(self._keyword_dir)
        if saved is not None and saved.fingerprint == self._fingerprint():
            self._keyword = saved
        else:
            self._rebuild_keyword()

    def _fingerprint(self) -> str:
        return fingerprint(list(self._hashes.items()))

    def _rebuild_keyword(self) -> None:
        ids = sorted(self._mentors)
        self._keyword.build(ids, [self._mentors[i].search_text() for i in ids],
                            self._fingerprint())
        self._keyword.save(self._keyword_dir)
        self._masks.clear()

    def count(self) -> int:
        """How many mentors the index holds."""
        return len(self._mentors)

    def ids(self) -> list[str]:
        return sorted(self._mentors)

    def get(self, mentor_id: str) -> Mentor:
        """The mentor with this id; MentorNotFound if there is none."""
        try:
            return self._mentors[mentor_id]
        except KeyError:
            raise MentorNotFound(f"no mentor with id {mentor_id!r} in this index") from None

    def mentors(self) -> list[Mentor]:
        return [self._mentors[i] for i in sorted(self._mentors)]

    # -- writing ---------------------------------------------------------------------------

    def ingest(self, source: str | Path | Iterable[dict[str, Any] | Mentor], *,
               strict: bool = False, prune: bool = False,
               progress: bool | None = None) -> IngestReport:
        """Validate and upsert mentors from a file (JSONL, JSON, CSV) or from records.

        Unchanged mentors are not re-embedded. With ``strict`` any invalid record rejects the
        whole source and the index is left as it was. With ``prune`` mentors missing from the
        source are removed.
        """
        from ingest.loaders import load_mentors

        loaded = load_mentors(source, strict=strict)
        if prune and not loaded.mentors and self._mentors:
            from finder.errors import IngestError

            raise IngestError(f"{loaded.source}: no valid mentors, so --prune would empty the "
                              "index; nothing was changed", loaded.problems)
        report = IngestReport(errors=list(loaded.problems))
        changed: list[tuple[Mentor, str]] = []
        for mentor in loaded.mentors:
            content = mentor.content_hash()
            old = self._hashes.get(mentor.id)
            if old is None:
                report.added.append(mentor.id)
            elif old != content:
                report.updated.append(mentor.id)
            else:
                report.unchanged.append(mentor.id)
                continue
            changed.append((mentor, content))
        with self._lock:
            self._write(changed, progress)
            if prune:
                keep = {m.id for m in loaded.mentors}
                keep |= {p.mentor_id for p in loaded.problems if p.mentor_id}
                report.removed = self._remove([i for i in self._mentors if i not in keep])
            if changed or report.removed:
                self._rebuild_keyword()
        return report

    def _write(self, changed: Sequence[tuple[Mentor, str]], progress: bool | None) -> None:
        if not changed:
            return
        from tqdm.auto import tqdm

        show = progress if progress is not None else (len(changed) > 200 and sys.stderr.isatty())
        with tqdm(total=len(changed), desc="Embedding mentors", unit="mentor",
                  disable=not show) as bar:
            for start in range(0, len(changed), WRITE_CHUNK):
                chunk = changed[start:start + WRITE_CHUNK]
                self._write_chunk(chunk)
                bar.update(len(chunk))

    def _write_chunk(self, chunk: Sequence[tuple[Mentor, str]]) -> None:
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        stale: list[str] = []
        for mentor, content in chunk:
            fields = mentor_texts(mentor)
            for kind, kind_texts in fields.items():
                for i, text in enumerate(kind_texts):
                    meta = row_metadata(mentor, kind, content)
                    if kind == "profile":
                        meta["record"] = mentor.model_dump_json()
                        meta["n_sentences"] = len(fields["sentence"])
                    ids.append(vector_id(mentor.id, kind, i))
                    texts.append(text)
                    metas.append(meta)
            old = self._sentences.get(mentor.id, 0)
            stale += [vector_id(mentor.id, "sentence", i)
                      for i in range(len(fields["sentence"]), old)]
        vectors = self.embedder.encode(texts)
        # One upsert per chunk: a crash leaves each mentor wholly old or wholly new.
        self.store.upsert(ids, vectors, texts, metas)
        if stale:
            self.store.delete(ids=stale)
        for mentor, content in chunk:
            self._mentors[mentor.id] = mentor
            self._hashes[mentor.id] = content
            self._sentences[mentor.id] = len(mentor_texts(mentor)["sentence"])

    def _remove(self, mentor_ids: Sequence[str]) -> list[str]:
        present = [i for i in mentor_ids if i in self._mentors]
        for start in range(0, len(present), 500):
            part = present[start:start + 500]
            self.store.delete(where={"mentor_id": {"$in": part}})
        for mentor_id in present:
            self._mentors.pop(mentor_id, None)
            self._hashes.pop(mentor_id, None)
            self._sentences.pop(mentor_id, None)
        return present

    def delete(self, mentor_ids: Sequence[str]) -> list[str]:
        """Remove these mentors; returns the ids that were there (others are ignored)."""
        with self._lock:
            removed = self._remove(list(mentor_ids))
            if removed:
                self._rebuild_keyword()
        return removed

    # -- searching -------------------------------------------------------------------------

    def _keyword_mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        if filters is None or filters == SearchFilters():
            return None
        key = filters.model_dump_json()
        mask = self._masks.get(key)
        if mask is None:
            mask = np.array([filters.accepts(self._mentors[i]) for i in self._keyword.ids],
                            dtype=bool)
            if len(self._masks) > 256:
                self._masks.clear()
            self._masks[key] = mask
        return mask

    def _semantic(self, vector: np.ndarray, pipe: Pipeline, filters: SearchFilters | None,
                  depth: int) -> tuple[dict[str, dict[str, float]], dict[str, tuple[float, int]]]:
        """Per kind, the best similarity of each candidate mentor; and each best sentence."""
        semantic: dict[str, dict[str, float]] = {}
        best_sentence: dict[str, tuple[float, int]] = {}
        for kind in pipe.kinds:
            n = depth * (3 if kind == "sentence" else 1)
            scores: dict[str, float] = {}
            for hit in self.store.query(vector, n, chroma_where(filters, kind)):
                mentor_id = str(hit.metadata.get("mentor_id"))
                if self._hashes.get(mentor_id) != hit.metadata.get("hash"):
                    continue  # a vector left behind by an interrupted write
                if hit.similarity > scores.get(mentor_id, -2.0):
                    scores[mentor_id] = hit.similarity
                    if kind == "sentence":
                        best_sentence[mentor_id] = (hit.similarity, int(hit.id.rsplit("|", 1)[1]))
            semantic[kind] = scores
        return semantic, best_sentence

    def _fill_missing(self, vector: np.ndarray, evidence: Evidence) -> None:
        """Exact similarities for candidates a field's nearest-neighbour list did not reach."""
        candidates = evidence.candidates()
        for kind in ("profile",):
            if kind not in evidence.semantic:
                continue
            scores = evidence.semantic[kind]
            missing = [vector_id(m, kind) for m in candidates if m not in scores]
            for row_id, stored in self.store.vectors(missing).items():
                scores[row_id.split("|", 1)[0]] = float(stored @ vector)

    def _best_sentences(self, vector: np.ndarray, mentor_ids: Sequence[str],
                        found: dict[str, tuple[float, int]]) -> dict[str, str]:
        missing = [vector_id(m, "sentence", i) for m in mentor_ids if m not in found
                   for i in range(self._sentences.get(m, 0))]
        best = dict(found)
        for row_id, stored in self.store.vectors(missing).items():
            mentor_id, _, position = row_id.split("|")
            similarity = float(stored @ vector)
            if similarity > best.get(mentor_id, (-2.0, 0))[0]:
                best[mentor_id] = (similarity, int(position))
        out: dict[str, str] = {}
        for mentor_id in mentor_ids:
            if mentor_id in best:
                parts = mentor_texts(self._mentors[mentor_id])["sentence"]
                at = best[mentor_id][1]
                out[mentor_id] = parts[at] if at < len(parts) else ""
            else:
                out[mentor_id] = ""
        return out

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               diversity: float = 0.0, pipeline: str | Pipeline = "default") -> list[Match]:
        """The ``k`` best mentors for ``query`` that satisfy ``filters``, each with reasons.

        ``diversity`` (0..1) trades relevance for variety among the results (MMR over the
        profiles' vectors); 0 ranks by relevance alone.
        """
        query = " ".join(str(query).split())
        if not query:
            raise QueryError("the search query is empty: describe what you need help with")
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(f"the search query is {len(query)} characters; "
                             f"keep it under {MAX_QUERY_CHARS}")
        if not 1 <= k <= 100:
            raise QueryError(f"k must be between 1 and 100, got {k}")
        if not 0.0 <= diversity <= 1.0:
            raise QueryError(f"diversity must be between 0 and 1, got {diversity}")
        pipe = pipeline if isinstance(pipeline, Pipeline) else PIPELINES.get(pipeline)
        if pipe is None:
            raise QueryError(f"unknown pipeline {pipeline!r}; choose one of "
                             f"{', '.join(PIPELINES)}")
        if not self._mentors:
            return []
        with self._lock:
            depth = max(pipe.depth, 5 * k)
            vector = self.embedder.encode_query(query)
            evidence = Evidence()
            best_sentence: dict[str, tuple[float, int]] = {}
            if pipe.kinds:
                evidence.semantic, best_sentence = self._semantic(vector, pipe, filters, depth)
            if pipe.uses_keyword:
                mask = self._keyword_mask(filters)
                evidence.keyword = dict(self._keyword.top(query, depth, mask))
            if pipe.kinds and pipe.uses_keyword:
                self._fill_missing(vector, evidence)
            fused = fuse(evidence, pipe)
            ranked = sorted(fused, key=lambda m: (-fused[m], m))
            if diversity > 0:
                pool = ranked[: max(4 * k, 20)]
                vectors = {row.split("|", 1)[0]: v for row, v in
                           self.store.vectors([vector_id(m, "profile") for m in pool]).items()}
                ranked = mmr(pool, _cosine_scaled(pool, fused, vectors, vector), vectors, k,
                             diversity)
            top = ranked[:k]
            sentences = self._best_sentences(vector, top, best_sentence)
            return [self._match(m, fused[m], query, evidence, sentences[m]) for m in top]

    def _match(self, mentor_id: str, score: float, query: str, evidence: Evidence,
               sentence: str) -> Match:
        def rank(scores: dict[str, float]) -> int | None:
            if mentor_id not in scores:
                return None
            return 1 + sum(1 for v in scores.values() if v > scores[mentor_id])

        semantic = evidence.semantic.get("profile") or next(iter(evidence.semantic.values()), {})
        reasons = explain(self._mentors[mentor_id], query, best_sentence=sentence,
                          semantic_rank=rank(semantic) if semantic else None,
                          keyword_rank=rank(evidence.keyword) if evidence.keyword else None)
        return Match(mentor=self._mentors[mentor_id], score=self._relative(score),
                     reasons=reasons)

    @staticmethod
    def _relative(fused: float) -> float:
        """Map a fused score (a weighted sum of z-scores) into (0, 1), keeping the order."""
        return round(0.5 * (1.0 + math.erf(fused / 2.0)), 4)

    def stats(self) -> dict[str, Any]:
        """Counts and where things are, for ``mentor-finder stats``."""
        formats: dict[str, int] = {}
        for mentor in self._mentors.values():
            for fmt in mentor.formats:
                formats[fmt] = formats.get(fmt, 0) + 1
        return {
            "mentors": self.count(), "vectors": self.store.count(), "store": self.store.where,
            "collection": self.store.name, "embedder": self.embedder.name,
            "formats": dict(sorted(formats.items())),
            "organizations": len({m.organization for m in self._mentors.values()
                                  if m.organization}),
        }

    def __repr__(self) -> str:
        return f"MentorFinder({self.store.where!r}, mentors={self.count()})"


def _cosine_scaled(pool: Sequence[str], fused: dict[str, float],
                   vectors: dict[str, np.ndarray], query: np.ndarray) -> dict[str, float]:
    """Fused relevance on the cosine scale of the pool, so MMR weighs it against similarity."""
    present = [m for m in pool if m in vectors]
    if not present:
        return {}
    cosines = [float(vectors[m] @ query) for m in present]
    low, high = min(cosines), max(cosines)
    f_low = min(fused[m] for m in present)
    f_span = (max(fused[m] for m in present) - f_low) or 1.0
    return {m: low + (high - low) * (fused[m] - f_low) / f_span for m in present}


def dump_matches(matches: Sequence[Match]) -> str:
    """Matches as JSON, for scripts."""
    return json.dumps([m.model_dump(mode="json") for m in matches], ensure_ascii=False, indent=2)
