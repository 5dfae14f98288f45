"""MentorFinder: the typed Python API over one mentor index (Chroma vectors + BM25 keywords)."""

from __future__ import annotations

import json
import logging
import math
import numbers
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from finder.search.bridge import (
    MAX_CLAUSES,
    Bridge,
    choose,
    choose_both,
    clauses,
    entry_scores,
    move,
    names_a_situation,
    towards,
)
from finder.search.senses import bundled_senses
from finder.search.embedding import Embedder, MiniLMEmbedder, model_id
from finder.core.errors import (ArgumentError, ConfigError, IngestError, MentorNotFound,
                                ModelError, QueryError)
from finder.search.filters import chroma_where, is_empty
from finder.search.coordination import Generation, WriteMarker, WriterLock
from finder.search.indexing import (LAYOUT, Embedded, Layout, Version, add_skills, embed,
                                    parse_sentence_id)
from finder.search.lexical import KeywordIndex, SkillIndex, analyze, feedback_terms, fingerprint
from finder.core.models import IngestReport, Match, MatchReasons, Mentor, SearchFilters
from finder.search.ranking import (GENERIC_SENTENCES, PIPELINES, Evidence, Pipeline, explain,
                                   feedback, fuse, generic_discount, mentor_texts, mmr,
                                   reliability, restates_headline, sentence_score)
from finder.core.settings import default_home
from finder.search.shipped import ShippedVectors, split
from finder.search.store import ChromaStore, Hit

if TYPE_CHECKING:
    from finder.search.retriever import MentorRetriever

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 2000
WRITE_CHUNK = 128  # mentors per write: one Chroma transaction per collection
ENCODE_GROUP = 1024  # mentors whose texts are sorted by length together before encoding
PROGRESS_STEP = 64  # the progress bar moves at least this often (in mentors)
POST_FILTER_SHARE = 0.25  # filters that keep more than this are applied after the ANN search
IDS_FILTER_SHARE = 0.15  # filters that keep less than this go to Chroma as a list of ids
CLAUSE_CACHE = 512  # distinct queries whose clause vectors are kept (see MentorFinder._expand)
RANKING_CACHE = 1024  # searches whose rankings are kept until the index changes (see _Ranking)
HITS_CACHE = 96  # Chroma answers kept until the index changes (see _query; up to ~0.3 MB each)
_UNSEEN = object()


class _Progress:
    """The terminal's progress bar, and whoever else wants to hear how far a write has got."""

    def __init__(self, bar: Any, total: int,
                 listener: Callable[[int, int], None] | None) -> None:
        self.bar, self.total, self.listener, self.done = bar, total, listener, 0

    def update(self, count: int) -> None:
        self.bar.update(count)
        self.done += count
        if self.listener is not None:
            self.listener(self.done, self.total)


class ReadWriteLock:
    """Searches run side by side; a write (ingest, delete) waits for them and runs alone.
    Both are re-entrant in the thread that holds the write side."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._depth = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
            else:
                while self._writer is not None:
                    self._cond.wait()
                self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                if self._writer == me:
                    self._depth -= 1
                else:
                    self._readers -= 1
                    if not self._readers:
                        self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
            else:
                while self._writer is not None or self._readers:
                    self._cond.wait()
                self._writer, self._depth = me, 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if not self._depth:
                    self._writer = None
                    self._cond.notify_all()


class MentorFinder:
    """Open an index, ingest mentors into it, search it. One index per organisation."""

    def __init__(self, store: ChromaStore, embedder: Embedder, home: Path, *,
                 lock_timeout: float = 600.0) -> None:
        self.store = store
        self.layout = Layout(store)
        self.embedder = embedder
        self.home = home
        self._lock = ReadWriteLock()
        self._versions: dict[str, Version] = {}
        self._masks: dict[str, tuple[np.ndarray, frozenset[str]]] = {}
        self._keyword = KeywordIndex()
        self._skills = SkillIndex()
        self._reliability: dict[str, dict[str, float]] = {}
        self._any_skills = False
        self._bridge: Bridge | None = None
        # The clauses of recent queries, encoded: a turn searches the same words more than once
        # (the results, then the mentors a format filter keeps out), and so do later turns.
        self._clauses: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self._clauses_lock = threading.Lock()
        self._rankings: OrderedDict[tuple[Any, ...], _Ranking] = OrderedDict()
        self._rankings_lock = threading.Lock()
        self._hits: OrderedDict[tuple[Any, ...], list[Hit]] = OrderedDict()  # see _query
        # Sentence and skills rows read by searches (see _row), until the index changes.
        self._rows: dict[str, dict[str, tuple[str, int] | None]] = {"sentence": {},
                                                                     "skills": {}}
        self._keyword_dir = home / f"keyword-{store.name}"
        self._marker = WriteMarker(home / f"{store.name}.writing")
        self._writer = WriterLock(home / f"{store.name}.lock", self._marker, lock_timeout)
        self._generation = Generation(home / f"{store.name}.generation")
        self._seen = ""
        self._check_model()
        self._recover()
        self._load()

    def _check_model(self) -> None:
        """Refuse an index written with another model or variant: its vectors and this
        embedder's query vectors would not be comparable."""
        written = self.store.metadata().get("model")
        wanted = model_id(self.embedder)
        if written and written != wanted:
            raise ModelError(
                f"the index {self.store.name} at {self.store.where} was written with the "
                f"embedding model {written}, but this run uses {wanted}; their vectors can't be "
                f"compared. Use {written} again, or re-create the index with {wanted} (delete "
                "it and ingest again).")

    def _record_model(self) -> None:
        if not self.store.metadata().get("model"):
            self.store.set_metadata({"model": model_id(self.embedder)})

    @classmethod
    def open(cls, path: str | Path | None = None, *, index: str = "default",
             chroma_url: str | None = None, embedder: Embedder | None = None) -> MentorFinder:
        """Open (or create) the index in ``path``; ``None`` means the per-user data folder.

        With ``chroma_url`` the vectors live on that Chroma server; ``path`` then only holds
        the keyword index, which is rebuilt when missing. Without ``embedder`` the packaged
        all-MiniLM-L6-v2 is loaded on first use; share one embedder between indexes.
        """
        home = Path(path).expanduser() if path is not None else default_home()
        url = chroma_url
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"the index folder {home} can't be used ({exc.strerror or exc}); "
                              "point --home / MENTOR_FINDER_HOME at a folder you can write "
                              "to") from None
        if not os.access(home, os.W_OK | os.X_OK):
            raise ConfigError(f"the index folder {home} is not writable; point --home / "
                              "MENTOR_FINDER_HOME at a folder you can write to")
        store = (ChromaStore.server(url, index) if url
                 else ChromaStore.persistent(home / "chroma", index))
        return cls(store, embedder or MiniLMEmbedder(), home)

    # -- reading ---------------------------------------------------------------------------

    def _recover(self) -> None:
        """At open: sweep what a writer that died mid-write left behind. Only with the writer
        lock free, i.e. nobody is writing: a live writer's marker and vectors are left alone."""
        if not self._marker.left_behind:
            return
        with self._writer.try_hold() as got:
            if got:
                self._sweep_left_behind(self.layout.load())

    def _sweep_left_behind(self, versions: dict[str, Version]) -> None:
        """With the writer lock held: sweep the vectors of an unfinished write, if any."""
        if not self._marker.left_behind:
            return
        if self._marker.owner_elsewhere():
            log.warning("the write marker %s was left by another machine; not sweeping",
                        self._marker.path)
            return
        swept = self.layout.sweep(versions)
        log.info("an earlier write was interrupted; swept %d stale vectors", swept)
        self._marker.clear()
        self._generation.bump()  # what it did commit is news to every reader

    def _load(self) -> None:
        self._seen = self._generation.read()
        self._versions = self.layout.load()
        self._masks.clear()
        self._forget_rankings()
        old = [v.mentor for v in self._versions.values() if v.layout < LAYOUT]
        if old:
            with self._writer.try_hold() as got:  # only a writer re-embeds
                if got:
                    log.warning("%d mentors were stored by an older index layout (no skills "
                                "vectors); re-embedding them", len(old))
                    self._write_mentors(old, None)
                    self._committed()
        saved = KeywordIndex.load(self._keyword_dir)
        if saved is not None and saved.fingerprint == self._fingerprint():
            self._keyword = saved
            self._rebuild_signals()
        else:
            with self._writer.try_hold() as got:  # only a writer saves it
                self._rebuild_keyword(save=got)

    def _refresh(self) -> None:
        """Reload if another process committed a write since we last looked (cheap: one small
        file read when nothing changed)."""
        if self._generation.read() == self._seen:
            return
        self.store = self.store.fresh()
        self.layout = Layout(self.store)
        self._load()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Read alongside other searches; first reload (alone) if another process wrote."""
        if self._generation.read() != self._seen:
            with self._lock.write():
                self._refresh()
        with self._lock.read():
            yield

    def _committed(self) -> None:
        self._seen = self._generation.bump()
        self._forget_rankings()

    def _forget_rankings(self) -> None:
        """The index changed: no kept ranking may answer a search any more."""
        with self._rankings_lock:
            self._rankings.clear()
            self._hits.clear()
        self._rows = {"sentence": {}, "skills": {}}

    def _fingerprint(self) -> str:
        return fingerprint([(i, v.content_hash) for i, v in self._versions.items()])

    def _rebuild_keyword(self, save: bool = True) -> None:
        ids = sorted(self._versions)
        keyword = KeywordIndex()
        keyword.build(ids, [self._versions[i].mentor.search_text() for i in ids],
                      self._fingerprint())
        self._keyword = keyword
        if save:  # only the writer saves; readers keep their rebuilt copy in memory
            self._keyword.save(self._keyword_dir)
        self._rebuild_signals()
        self._masks.clear()
        self._forget_rankings()

    def _rebuild_signals(self) -> None:
        """The in-memory skill index and per-mentor signal reliabilities."""
        ids = sorted(self._versions)
        self._skills.build(ids, [self._versions[i].mentor.skills for i in ids])
        self._any_skills = any(self._versions[i].mentor.skills for i in ids)
        self._reliability = {"sentence": {}, "skills": {}}
        for mentor_id in ids:
            for kind, value in reliability(self._versions[mentor_id].mentor).items():
                if kind in self._reliability:
                    self._reliability[kind][mentor_id] = value

    def count(self) -> int:
        """How many mentors the index holds."""
        with self._reading():
            return len(self._versions)

    def ids(self) -> list[str]:
        with self._reading():
            return sorted(self._versions)

    def get(self, mentor_id: str) -> Mentor:
        """The mentor with this id; MentorNotFound if there is none."""
        with self._reading():
            version = self._versions.get(mentor_id)
        if version is None:
            raise MentorNotFound(f"no mentor with id {mentor_id!r} in this index")
        return version.mentor

    def mentors(self) -> list[Mentor]:
        with self._reading():
            return [self._versions[i].mentor for i in sorted(self._versions)]

    def stored_vectors(self, mentor_id: str) -> Embedded:
        """The vectors stored for a mentor (for benchmarks and tools)."""
        version = self._versions.get(mentor_id)
        if version is None:
            raise MentorNotFound(f"no mentor with id {mentor_id!r} in this index")
        profile = self.layout.profiles.vectors([mentor_id])[mentor_id]
        found = self.layout.sentences.vectors(version.sentence_ids())
        sentences = np.stack([found[i] for i in version.sentence_ids()]) if found else \
            np.zeros((0, profile.shape[0]), dtype=np.float32)
        skills = self.layout.skills.vectors(version.skills_ids())
        return Embedded(version.mentor, profile, sentences,
                        next(iter(skills.values())) if skills else None, version.generic)

    # -- writing ---------------------------------------------------------------------------

    def ingest(self, source: str | Path | Iterable[dict[str, Any] | Mentor], *,
               strict: bool = False, prune: bool = False,
               progress: bool | None = None,
               shipped: ShippedVectors | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Validate and upsert mentors from a file (JSONL, JSON, CSV) or from records.

        Unchanged mentors are not re-embedded. With ``strict`` any invalid record rejects the
        whole source and the index is left as it was. With ``prune`` mentors missing from the
        source are removed. ``shipped`` vectors are used for every mentor they fit exactly
        (same model, same texts); the others are embedded. ``on_progress(done, total)`` hears
        about the mentors written so far, as often as the progress bar moves.
        """
        from ingest.loaders import load_mentors

        loaded = load_mentors(source, strict=strict)
        with self._lock.write(), self._writer.hold():
            self._refresh()  # another process may have written since we last looked
            self._sweep_left_behind(self._versions)
            if prune and not loaded.mentors and self._versions:
                raise IngestError(f"{loaded.source}: no valid mentors, so --prune would empty "
                                  "the index; nothing was changed", loaded.problems)
            report = IngestReport(errors=list(loaded.problems))
            same = [m for m in loaded.mentors if m.id in self._versions
                    and self._versions[m.id].content_hash == m.content_hash()]
            broken = self._incomplete([m.id for m in same])
            changed: list[Mentor] = []
            for mentor in loaded.mentors:
                old = self._versions.get(mentor.id)
                if old is None:
                    report.added.append(mentor.id)
                elif mentor.id in broken:
                    report.repaired.append(mentor.id)
                elif old.content_hash != mentor.content_hash():
                    report.updated.append(mentor.id)
                else:
                    report.unchanged.append(mentor.id)
                    continue
                changed.append(mentor)
            report.from_shipped, report.embedded = self._write_mentors(
                changed, progress, shipped, on_progress)
            if prune:
                keep = {m.id for m in loaded.mentors}
                keep |= {p.mentor_id for p in loaded.problems if p.mentor_id}
                report.removed = self._remove([i for i in self._versions if i not in keep])
            if changed or report.removed:
                self._rebuild_keyword()
                self._committed()
            report.total = self.layout.profiles.count()
        return report

    def _incomplete(self, mentor_ids: Sequence[str]) -> set[str]:
        """Mentors whose stored sentence vectors don't all match their stored version (left
        so by a crash or by another program); ingesting them again repairs them."""
        expected = [row for m in mentor_ids for row in self._versions[m].sentence_ids()]
        if not expected:
            return set()
        found = set(self.layout.sentences.get(ids=expected, include=[])["ids"])
        return {parse_sentence_id(row)[0] for row in expected if row not in found}

    def _write_mentors(self, mentors: Sequence[Mentor], progress: bool | None,
                       shipped: ShippedVectors | None = None,
                       on_progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """Write these mentors; returns (how many came from shipped vectors, how many were
        embedded)."""
        if not mentors:
            return 0, 0
        from tqdm.auto import tqdm

        ready, fresh = split(mentors, shipped, self.embedder)
        ready = add_skills(ready, self.embedder.encode, self._prototypes())
        show = progress if progress is not None else (len(mentors) > 200 and sys.stderr.isatty())
        self._record_model()
        with self._marker, tqdm(
                total=len(mentors), desc="Indexing mentors", unit="mentor", smoothing=0.1,
                disable=not show) as shown:
            bar = _Progress(shown, len(mentors), on_progress)
            for start in range(0, len(ready), PROGRESS_STEP):
                chunk = ready[start:start + PROGRESS_STEP]
                self._write_chunk(chunk)
                bar.update(len(chunk))
            # Encoding many texts sorted by length lets the model batch similar lengths together
            # (about 10% faster than per write chunk); it runs in steps so the bar keeps moving.
            for group in range(0, len(fresh), ENCODE_GROUP):
                part = fresh[group:group + ENCODE_GROUP]
                embedded = embed(part, partial(self._encode_in_steps, mentors=len(part),
                                               bar=bar), self._prototypes())
                for start in range(0, len(embedded), WRITE_CHUNK):
                    self._write_chunk(embedded[start:start + WRITE_CHUNK])
        return len(ready), len(fresh)

    def _encode_in_steps(self, texts: Sequence[str], mentors: int,
                         bar: _Progress) -> np.ndarray:
        """Encode ``texts`` (of ``mentors`` mentors) shortest first, in slices of about
        PROGRESS_STEP mentors' worth, moving the bar after each."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        step = max(16, math.ceil(len(texts) * PROGRESS_STEP / max(1, mentors)))
        out = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        shown = 0
        for start in range(0, len(texts), step):
            rows = order[start:start + step]
            out[rows] = self.embedder.encode([texts[i] for i in rows])
            done = round(mentors * min(len(texts), start + step) / max(1, len(texts)))
            bar.update(done - shown)
            shown = done
        return out

    def _prototypes(self) -> np.ndarray:
        return self.embedder.encode_fixed("generic-bio-sentences", GENERIC_SENTENCES)

    def _write_chunk(self, items: Sequence[Embedded]) -> None:
        self._forget_rankings()
        for version in self.layout.write(items, self._versions):
            self._versions[version.mentor.id] = version

    def write_embedded(self, items: Sequence[Embedded]) -> None:
        """Upsert mentors whose vectors are already computed, through the same write path.

        For benchmarks and migrations; ``ingest`` is the way in for everything else.
        """
        with self._lock.write(), self._writer.hold():
            self._refresh()
            self._sweep_left_behind(self._versions)
            with self._marker:
                if items:
                    self._record_model()
                for start in range(0, len(items), WRITE_CHUNK):
                    self._write_chunk(items[start:start + WRITE_CHUNK])
            self._rebuild_keyword()
            self._committed()

    def _remove(self, mentor_ids: Sequence[str]) -> list[str]:
        present = [i for i in mentor_ids if i in self._versions]
        if present:
            self._forget_rankings()
            with self._marker:
                self.layout.remove(present)
            for mentor_id in present:
                self._versions.pop(mentor_id, None)
            self._committed()  # readers reload before their next search: the mentor is gone
        return present

    def delete(self, mentor_ids: str | Iterable[str]) -> list[str]:
        """Remove one mentor (an id) or several (ids); returns the ids that were there."""
        if isinstance(mentor_ids, str):
            wanted = [mentor_ids]  # "12" is one id, not the ids "1" and "2"
        elif isinstance(mentor_ids, Iterable) and not isinstance(mentor_ids, (bytes, dict)):
            wanted = list(mentor_ids)
        else:
            raise ArgumentError(f"delete(mentor_ids=...) takes an id or a list of ids, got "
                                f"{type(mentor_ids).__name__}")
        wrong = [i for i in wanted if not isinstance(i, str)]
        if wrong:
            raise ArgumentError(f"delete(mentor_ids=...): ids are text, got "
                                f"{type(wrong[0]).__name__} {wrong[0]!r:.40}")
        with self._lock.write(), self._writer.hold():
            self._refresh()
            self._sweep_left_behind(self._versions)
            removed = self._remove(wanted)
            if removed:
                self._rebuild_keyword()
                self._committed()
        return removed

    # -- searching -------------------------------------------------------------------------

    def _allowed(self, filters: SearchFilters | None) -> tuple[np.ndarray, frozenset[str]] | None:
        """The filter as a mask over the keyword index, and as a set of ids (cached)."""
        if filters is None or is_empty(filters):
            return None
        key = filters.model_dump_json()
        found = self._masks.get(key)
        if found is None:
            ids = self._keyword.ids
            mask = np.array([filters.accepts(self._versions[i].mentor) for i in ids], dtype=bool)
            found = (mask, frozenset(ids[i] for i in np.flatnonzero(mask)))
            if len(self._masks) > 256:
                self._masks.clear()
            self._masks[key] = found
        return found

    def _nearest(self, store: ChromaStore, vector: np.ndarray, n: int,
                 filters: SearchFilters | None, allowed: frozenset[str] | None,
                 mentor_of: Any) -> list[tuple[str, str, float]]:
        """(row id, mentor id, cosine) of the ``n`` nearest rows that pass the filters.

        A broad filter is applied after an over-fetched search (cheap); a narrow one inside
        Chroma (exact, but metadata filtering costs more than the search itself).
        """
        share = 1.0 if allowed is None else len(allowed) / max(1, len(self._versions))
        if allowed is None or share >= POST_FILTER_SHARE:
            fetch = n if allowed is None else math.ceil(n / share * 1.5)
            hits = self._query(store, vector, fetch, None)
        elif share < IDS_FILTER_SHARE:
            # The same rows named by id: Chroma finds a short list of ids far faster than rows
            # matching the conditions (3-6 times at 3-12% of the mentors), and answers alike.
            hits = self._query(store, vector, n, {"mentor_id": {"$in": sorted(allowed)}})
        else:
            hits = self._query(store, vector, n, chroma_where(filters))
        rows: list[tuple[str, str, float]] = []
        for row_id, similarity in hits:
            mentor_id = mentor_of(row_id)
            if mentor_id is not None and (allowed is None or mentor_id in allowed):
                rows.append((row_id, mentor_id, similarity))
                if len(rows) == n:
                    break
        return rows

    def _query(self, store: ChromaStore, vector: np.ndarray, n: int,
               where: dict[str, Any] | None) -> list[Hit]:
        """``store.query``, remembered until the index changes: searches of the same words
        under other filters (a turn's results and the mentors a format keeps out, the next
        turn's refinement) often ask Chroma exactly the same again."""
        key = (store.name, vector.tobytes(), n, json.dumps(where, sort_keys=True))
        with self._rankings_lock:
            hits = self._hits.get(key)
            if hits is not None:
                self._hits.move_to_end(key)
                return hits
        hits = store.query(vector, n, where)
        with self._rankings_lock:
            self._hits[key] = hits
            while len(self._hits) > HITS_CACHE:
                self._hits.popitem(last=False)
        return hits

    def _row(self, kind: str, row_id: str) -> tuple[str, int] | None:
        """A sentence or skills row's mentor and position; None for a vector of another
        version, left by an interrupted write. Remembered until the index changes: a search
        reads hundreds of rows, and the same ones come back search after search."""
        known = self._rows[kind]
        found = known.get(row_id, _UNSEEN)
        if found is not _UNSEEN:
            return found  # type: ignore[return-value]
        mentor_id, position, content_hash = parse_sentence_id(row_id)
        version = self._versions.get(mentor_id)
        valid = version is not None and version.content_hash == content_hash and (
            position < version.sentences if kind == "sentence" else bool(version.mentor.skills))
        known[row_id] = row = (mentor_id, position) if valid else None
        return row

    def _sentence_owner(self, row_id: str) -> str | None:
        row = self._rows["sentence"].get(row_id, _UNSEEN)
        if row is _UNSEEN:
            row = self._row("sentence", row_id)
        return None if row is None else row[0]  # type: ignore[index]

    def _skills_owner(self, row_id: str) -> str | None:
        row = self._rows["skills"].get(row_id, _UNSEEN)
        if row is _UNSEEN:
            row = self._row("skills", row_id)
        return None if row is None else row[0]  # type: ignore[index]

    def _semantic(self, vector: np.ndarray, pipe: Pipeline, filters: SearchFilters | None,
                  allowed: frozenset[str] | None, depth: int) -> tuple[Evidence, dict[str, int]]:
        evidence = Evidence()
        best_sentence: dict[str, int] = {}
        if "profile" in pipe.kinds:
            rows = self._nearest(self.layout.profiles, vector, depth, filters, allowed,
                                 lambda row: row if row in self._versions else None)
            evidence.semantic["profile"] = {mentor_id: sim for _, mentor_id, sim in rows}
        if "sentence" in pipe.kinds:
            scores: dict[str, float] = {}
            found: dict[str, list[float]] = {}
            for row_id, mentor_id, sim in self._nearest(self.layout.sentences, vector, 3 * depth,
                                                        filters, allowed, self._sentence_owner):
                position = self._rows["sentence"][row_id][1]  # type: ignore[index]
                if pipe.generic:
                    generic = self._versions[mentor_id].generic
                    sim = generic_discount(sim, generic[position] if position < len(generic)
                                           else 0.0, pipe.generic)
                if pipe.sentence_top > 1:
                    found.setdefault(mentor_id, []).append(sim)
                if sim > scores.get(mentor_id, -2.0):
                    scores[mentor_id] = sim
                    best_sentence[mentor_id] = position
            if found:
                floor = min(min(sims) for sims in found.values())
                scores = {m: sentence_score(sims, pipe.sentence_top, self._versions[m].sentences,
                                            floor) for m, sims in found.items()}
            evidence.semantic["sentence"] = scores
        if "skills" in pipe.kinds and self._any_skills:
            rows = self._nearest(self.layout.skills, vector, depth, filters, allowed,
                                 self._skills_owner)
            evidence.semantic["skills"] = {mentor_id: sim for _, mentor_id, sim in rows}
        if pipe.reliable:
            evidence.reliability = self._reliability
        return evidence, best_sentence

    def _best_sentences(self, vector: np.ndarray, mentor_ids: Sequence[str],
                        found: dict[str, int], versions: dict[str, Version]) -> dict[str, str]:
        texts = {m: mentor_texts(versions[m].mentor)["sentence"] for m in mentor_ids}

        def says_why(mentor_id: str, at: int) -> bool:
            # "Akira Kim has worked as an advertising manager for 6 years." is who they are,
            # not why they fit: never the reason shown.
            parts = texts[mentor_id]
            return 0 <= at < len(parts) and not restates_headline(parts[at],
                                                                  versions[mentor_id].mentor)

        best = {m: (2.0, found[m]) for m in mentor_ids if m in found and says_why(m, found[m])}
        missing = [row for m in mentor_ids if m not in best
                   for row in versions[m].sentence_ids()]
        for row_id, stored in self.layout.sentences.vectors(missing).items():
            mentor_id, position, _ = parse_sentence_id(row_id)
            similarity = float(stored @ vector)
            if (similarity > best.get(mentor_id, (-2.0, 0))[0]
                    and says_why(mentor_id, position)):
                best[mentor_id] = (similarity, position)
        out: dict[str, str] = {}
        for mentor_id in mentor_ids:
            parts = texts[mentor_id]
            at = best.get(mentor_id, (0.0, -1))[1]
            out[mentor_id] = parts[at] if 0 <= at < len(parts) else ""
        return out

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               diversity: float = 0.0, pipeline: str | Pipeline = "default") -> list[Match]:
        """The ``k`` best mentors for ``query`` that satisfy ``filters``, each with reasons.

        ``diversity`` (0..1) trades relevance for variety among the results (MMR over the
        profiles' vectors); 0 ranks by relevance alone.
        """
        matches, explain = self.ranked(query, k, filters, diversity=diversity, pipeline=pipeline)
        return explain(matches)

    def ranked(self, query: str, k: int = 5, filters: SearchFilters | None = None, *,
               diversity: float = 0.0, pipeline: str | Pipeline = "default"
               ) -> tuple[list[Match], Callable[[Sequence[Match]], list[Match]]]:
        """``search`` in two steps: the ``k`` best mentors, scored and in order but without
        reasons, and a function that gives any of them (changed or reordered) their reasons.
        Reasons cost more than the ranking, so a caller that reorders many and shows a few
        (the programme) explains only those it shows; they are the reasons ``search`` gives."""
        if not isinstance(query, str):
            raise QueryError(f"query must be text, got {type(query).__name__}")
        query = " ".join(query.split())
        if not query:
            raise QueryError("the search query is empty: describe what you need help with")
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(f"the search query is {len(query)} characters; "
                             f"keep it under {MAX_QUERY_CHARS}")
        if not any(ch.isalnum() for ch in query):
            raise QueryError("the search query has no letters or digits; describe in words what "
                             "you need help with, e.g. 'pricing my freelance design work'")
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise QueryError(f"k must be a whole number from 1 to 100, got {type(k).__name__} "
                             f"{k!r:.20}")
        if not 1 <= k <= 100:
            raise QueryError(f"k must be between 1 and 100, got {k}")
        k = int(k)
        if isinstance(diversity, bool) or not isinstance(diversity, numbers.Real) \
                or not 0.0 <= diversity <= 1.0:
            raise QueryError(f"diversity must be a number between 0 and 1, got {diversity!r:.20}")
        if filters is not None and not isinstance(filters, SearchFilters):
            raise QueryError(f"filters must be a SearchFilters, got {type(filters).__name__}; "
                             "e.g. SearchFilters(formats=['video']) or SearchFilters(**your_dict)")
        pipe = pipeline if isinstance(pipeline, Pipeline) else PIPELINES.get(pipeline)
        if pipe is None:
            raise QueryError(f"unknown pipeline {pipeline!r}; choose one of "
                             f"{', '.join(PIPELINES)}")
        key = (query, k, filters.model_dump_json() if filters is not None else "",
               float(diversity), repr(pipe))
        with self._reading():
            restriction = self._allowed(filters)
            if not self._versions or (restriction is not None and not restriction[1]):
                return [], list
            with self._rankings_lock:
                ranking = self._rankings.get(key)
                if ranking is not None:
                    self._rankings.move_to_end(key)
            if ranking is None:
                ranking = self._rank(query, k, filters, restriction, diversity, pipe)
                with self._rankings_lock:
                    self._rankings[key] = ranking
                    while len(self._rankings) > RANKING_CACHE:
                        self._rankings.popitem(last=False)
        # Built without validating again: the mentors are valid already, and validating them
        # again runs every Mentor validator for each of the 30 a search ranks.
        matches = [Match.model_construct(mentor=ranking.versions[m].mentor,
                                         score=ranking.scores[m]) for m in ranking.top]

        def explain(chosen: Sequence[Match]) -> list[Match]:
            missing = [m.mentor.id for m in chosen if m.mentor.id not in ranking.sentences]
            if missing:
                with self._reading():
                    ranking.sentences.update(self._best_sentences(
                        ranking.vector, missing, ranking.found, ranking.versions))
            return [m.model_copy(update={"reasons": self._reasons(
                        m.mentor, query, ranking.ranks[m.mentor.id],
                        ranking.sentences[m.mentor.id], ranking.expertise)})
                    for m in chosen]

        return matches, explain

    def _rank(self, query: str, k: int, filters: SearchFilters | None,
              restriction: tuple[np.ndarray, frozenset[str]] | None, diversity: float,
              pipe: Pipeline) -> _Ranking:
        """The ``k`` best mentors and what explaining them needs (under the read lock)."""
        mask, allowed = restriction if restriction else (None, None)
        depth = max(pipe.depth, 5 * k)
        # "our Airflow pipelines" is data work: with the bridge, the words of an ask (not of a
        # job title, as for the bridge) are read in the sense the ask gives them (senses.yaml)
        searched = (bundled_senses().read(query) if pipe.bridge and names_a_situation(query)
                    else query)
        vector = self.embedder.encode_query(searched)
        vector, expertise, searched = self._expand(vector, searched, pipe)
        evidence, best_sentence = Evidence(), dict[str, int]()
        if pipe.kinds:
            evidence, best_sentence = self._semantic(vector, pipe, filters, allowed, depth)
        if pipe.uses_keyword:
            # Candidates that only BM25 found get each semantic list's lowest score (in
            # fuse): as good as their exact cosines on ESCO dev, and 8 ms faster.
            evidence.keyword = dict(self._keyword.top(searched, depth, mask))
            if expertise and pipe.bridge_keyword:
                for mentor_id, score in self._keyword.top(expertise, depth, mask):
                    evidence.keyword[mentor_id] = (evidence.keyword.get(mentor_id, 0.0)
                                                   + pipe.bridge_keyword * score)
        if pipe.skill_match:
            named = f"{searched} {expertise}" if expertise and pipe.bridge_keyword else searched
            evidence.skills = self._skills.scores(named, allowed)
        fused = fuse(evidence, pipe)
        if pipe.rm3 and pipe.uses_keyword:
            head = sorted(fused, key=lambda m: (-fused[m], m))[:pipe.rm3_docs]
            terms = feedback_terms([self._versions[m].mentor.search_text() for m in head],
                                   self._keyword.doc_freq, len(self._keyword.ids),
                                   set(analyze(searched)), pipe.rm3_terms)
            for mentor_id, score in self._keyword.weighted_top(terms, depth, mask):
                evidence.keyword[mentor_id] = (evidence.keyword.get(mentor_id, 0.0)
                                               + pipe.rm3 * score)
            fused = fuse(evidence, pipe)
        if pipe.feedback:
            head = sorted(fused, key=lambda m: (-fused[m], m))[:pipe.feedback_depth]
            fused = feedback(fused, self.layout.profiles.vectors(head), pipe)
        ranked = sorted(fused, key=lambda m: (-fused[m], m))
        if diversity > 0:
            pool = ranked[: max(4 * k, 20)]
            vectors = self.layout.profiles.vectors(pool)
            ranked = mmr(pool, _cosine_scaled(pool, fused, vectors, vector), vectors, k,
                         diversity)
        top = ranked[:k]
        semantic = evidence.semantic.get("profile") or next(iter(evidence.semantic.values()), {})
        semantic_ranks, keyword_ranks = _ranks(semantic, top), _ranks(evidence.keyword, top)
        return _Ranking(
            top=top, scores={m: _relative(fused[m]) for m in top},
            versions={m: self._versions[m] for m in top}, vector=vector, expertise=expertise,
            ranks={m: (semantic_ranks[m], keyword_ranks[m]) for m in top},
            found={m: best_sentence[m] for m in top if m in best_sentence})

    def _expand(self, vector: np.ndarray, query: str, pipe: Pipeline
                ) -> tuple[np.ndarray, str, str]:
        """The query vector moved towards the expertise a situation-shaped ask needs, that
        expertise ("" when the ask matches no known situation or the pipeline has no bridge),
        and the words to search by keyword. A message of several sentences is matched as a
        whole and sentence by sentence."""
        if not pipe.bridge or not names_a_situation(query):
            return vector, "", query
        if self._bridge is None:
            self._bridge = Bridge.bundled()
        bridge = self._bridge
        phrasings = self.embedder.encode_fixed(bridge.key + "-phrasings", bridge.phrasings)
        helps = self.embedder.encode_fixed(bridge.key + "-expertise", bridge.expertise)
        parts = clauses(query, bridge.breaks)
        # "I clean houses on my own and I've got more work than I can handle. Should I take on
        # a helper?": the own trade's words outweigh the situation when compared whole.
        if rest := bridge.without_trade(query):
            parts = list(dict.fromkeys([*parts, rest]))[:MAX_CLAUSES]
        units = np.vstack([vector, self._clause_vectors(parts)]) if parts else vector[None, :]
        scores = entry_scores(units, phrasings, bridge.owners, len(helps))
        if pipe.bridge_both:
            hits = choose_both(scores, helps, pipe.bridge_threshold, pipe.bridge_margin)
        else:
            hit = choose(scores, helps, pipe.bridge_threshold, pipe.bridge_margin)
            hits = () if hit is None else (hit,)
        if not hits:
            return vector, "", query
        expertise = ", ".join(bridge.expertise[h] for h in hits)
        # "How should I set my rates?" from someone who says "I translate ...": the expertise
        # within their own trade.
        trade = bridge.trade_of(query) if bridge.needs_trade(hits) else ""
        own = self._clause_vectors([trade])[0] if trade else None
        field_free = bool(pipe.bridge_field_free) and bridge.field_free(hits)
        if field_free or bridge.needs_trade(hits):
            # "How do I set limits with my supervisor?": the help is a known situation's, or
            # the mentee's own trade's; the supervisor (a student, a co-founder) is who the ask
            # is about, and supervisors of every trade are not the help.
            plain = bridge.without_counterparts(query)
            if plain != query:
                query, vector = plain, self.embedder.encode_query(plain)
        weight = pipe.bridge_field_free if field_free else pipe.bridge
        return (move(vector, towards(helps[list(hits)], own), weight),
                f"{expertise}, {trade}" if trade else expertise, query)

    def _clause_vectors(self, parts: list[str]) -> np.ndarray:
        """The clauses' vectors, encoded together (as ever) once per distinct list."""
        key = tuple(parts)
        with self._clauses_lock:
            found = self._clauses.get(key)
            if found is not None:
                self._clauses.move_to_end(key)
                return found
        vectors = self.embedder.encode(parts)
        with self._clauses_lock:
            self._clauses[key] = vectors
            while len(self._clauses) > CLAUSE_CACHE:
                self._clauses.popitem(last=False)
        return vectors

    def _reasons(self, mentor: Mentor, query: str, ranks: tuple[int | None, int | None],
                 sentence: str, expertise: str = "") -> MatchReasons:
        semantic_rank, keyword_rank = ranks
        return explain(mentor, query, best_sentence=sentence, semantic_rank=semantic_rank,
                       keyword_rank=keyword_rank, term_share=self._keyword.share,
                       expertise=expertise)

    def as_retriever(self, k: int = 5, filters: SearchFilters | None = None,
                     diversity: float = 0.3) -> MentorRetriever:
        """This index as a LangChain retriever (``invoke``, ``batch``, ``ainvoke``); each
        ``Document`` holds a profile's text, with the mentor, score and reasons as metadata."""
        # Imported here so that opening an index does not pay for importing LangChain.
        from finder.search.retriever import MentorRetriever

        return MentorRetriever(finder=self, k=k, filters=filters, diversity=diversity)

    def stats(self) -> dict[str, Any]:
        """Counts and where things are, for ``mentor-finder stats``."""
        with self._reading():
            versions = dict(self._versions)
        formats: dict[str, int] = {}
        for version in versions.values():
            for fmt in version.mentor.formats:
                formats[fmt] = formats.get(fmt, 0) + 1
        return {
            "mentors": len(versions), "vectors": self.layout.count(), "store": self.store.where,
            "collection": self.store.name, "embedder": self.embedder.name,
            "formats": dict(sorted(formats.items())),
            "organizations": len({v.mentor.organization for v in versions.values()
                                  if v.mentor.organization}),
        }

    def __repr__(self) -> str:
        return f"MentorFinder({self.store.where!r}, mentors={len(self._versions)})"


@dataclass
class _Ranking:
    """One search's ranking and what explaining its mentors needs; kept, so that the same
    search again (a turn searches the same words under other filters, and the next turn the
    same again) is answered without asking Chroma, BM25 and the model once more."""

    top: list[str]
    scores: dict[str, float]  # each mentor's relative score
    versions: dict[str, Version]
    vector: np.ndarray
    expertise: str
    ranks: dict[str, tuple[int | None, int | None]]  # semantic and keyword rank
    found: dict[str, int]  # the best sentence the search itself found, by position
    sentences: dict[str, str] = field(default_factory=dict)  # best sentences explained so far


def _ranks(scores: dict[str, float], ids: Sequence[str]) -> dict[str, int | None]:
    """Each id's rank in ``scores`` (1 + how many score higher; None if absent or no scores)."""
    ordered = sorted(scores.values())
    return {i: None if i not in scores else 1 + len(ordered) - bisect_right(ordered, scores[i])
            for i in ids}


def _relative(fused: float) -> float:
    """Map a fused score (a weighted sum of z-scores) into (0, 1), keeping the order; the
    scale leaves room between a clear best match (z about 4, 0.98) and a good one (z 2, 0.76)."""
    return round(0.5 * (1.0 + math.erf(fused / 4.0)), 4)


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
