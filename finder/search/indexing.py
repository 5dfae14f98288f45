"""How mentors are laid out in Chroma, and how they are written so that a crash loses nothing.

An index is three Chroma collections: ``mentors-<index>`` with one profile vector per mentor
(its id is the mentor's id; its metadata carries the whole record, its content hash, the
layout version and how generic each bio sentence is), ``mentors-<index>-sentences`` with one
vector per bio sentence, whose id ``<mentor id>|<n>|<content hash>`` names the version it
belongs to, and ``mentors-<index>-skills`` with one vector of headline + skills per mentor
that lists skills (id ``<mentor id>|0|<content hash>``).

A write puts the new sentence and skills vectors first, then the profile vectors (the commit
point: the profile row says which version is current), then deletes the old version's
sentence and skills rows. A crash at any point leaves each mentor wholly old or wholly new;
rows of another version are ignored by search and swept the next time the index is opened.

``LAYOUT`` names what a profile row promises about the other collections. Rows written under
an older layout (before skills vectors) are re-embedded when the index is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import json

import numpy as np

from finder.core.errors import StoreError
from finder.search.filters import row_metadata
from finder.core.models import Mentor
from finder.search.ranking import mentor_texts, skills_text
from finder.search.store import ChromaStore

SENTENCES = "sentences"
SKILLS = "skills"
LAYOUT = 2  # 1: profiles + sentences; 2: + skills vectors and sentence genericity


def sentence_id(mentor_id: str, position: int, content_hash: str) -> str:
    return f"{mentor_id}|{position}|{content_hash}"


def parse_sentence_id(row_id: str) -> tuple[str, int, str]:
    mentor_id, position, content_hash = row_id.rsplit("|", 2)
    return mentor_id, int(position), content_hash


@dataclass(frozen=True)
class Version:
    """What the index remembers of a stored mentor."""

    mentor: Mentor
    content_hash: str
    sentences: int
    generic: tuple[float, ...] = ()  # per sentence: similarity to generic bio sentences
    layout: int = LAYOUT

    def sentence_ids(self) -> list[str]:
        return [sentence_id(self.mentor.id, i, self.content_hash) for i in range(self.sentences)]

    def skills_ids(self) -> list[str]:
        return [sentence_id(self.mentor.id, 0, self.content_hash)] if self.mentor.skills else []


@dataclass(frozen=True)
class Embedded:
    """A mentor with its vectors: the profile, one per bio sentence, and headline + skills
    (None when the mentor lists no skills); ``generic`` says how generic each sentence is."""

    mentor: Mentor
    profile: np.ndarray
    sentences: np.ndarray
    skills: np.ndarray | None = None
    generic: tuple[float, ...] = ()


def genericity(sentences: np.ndarray, prototypes: np.ndarray | None) -> tuple[float, ...]:
    """Each sentence's highest cosine to the generic prototype sentences."""
    if prototypes is None or not len(sentences):
        return ()
    return tuple(round(float(v), 4) for v in (sentences @ prototypes.T).max(axis=1))


def embed(mentors: Sequence[Mentor], encode: Any, prototypes: np.ndarray | None = None, *,
          with_skills: bool = True) -> list[Embedded]:
    """Encode every text of these mentors in one batched call (without the skills vectors when
    ``with_skills`` is false: ``add_skills`` adds them later)."""
    fields = [mentor_texts(m) for m in mentors]
    wants = [with_skills and bool(m.skills) for m in mentors]
    texts = [t for m, f, w in zip(mentors, fields, wants)
             for t in f["profile"] + f["sentence"] + ([skills_text(m)] if w else [])]
    vectors = encode(texts)
    out, at = [], 0
    for mentor, f, w in zip(mentors, fields, wants):
        n = len(f["sentence"])
        sentences = vectors[at + 1:at + 1 + n]
        out.append(Embedded(mentor, vectors[at], sentences, vectors[at + 1 + n] if w else None,
                            genericity(sentences, prototypes)))
        at += 1 + n + (1 if w else 0)
    return out


def add_skills(items: Sequence[Embedded], encode: Any,
               prototypes: np.ndarray | None) -> list[Embedded]:
    """Complete mentors whose vectors came from elsewhere (shipped vectors made before skills
    vectors existed): encode the missing skills texts, fill in the sentences' genericity."""
    missing = [i for i, e in enumerate(items) if e.mentor.skills and e.skills is None]
    vectors = encode([skills_text(items[i].mentor) for i in missing]) if missing else []
    skills = dict(zip(missing, vectors))
    return [replace(e, skills=skills.get(i, e.skills),
                    generic=e.generic or genericity(e.sentences, prototypes))
            for i, e in enumerate(items)]


class Layout:
    """The three collections of one index, and the write and read paths over them."""

    def __init__(self, profiles: ChromaStore) -> None:
        self.profiles = profiles
        self.sentences = profiles.sibling(SENTENCES)
        self.skills = profiles.sibling(SKILLS)

    def load(self) -> dict[str, Version]:
        """Every stored mentor, from the profile collection."""
        got = self.profiles.get(include=["metadatas"])
        versions: dict[str, Version] = {}
        for row_id, meta in zip(got["ids"], got["metadatas"] or []):
            try:
                mentor = Mentor.model_validate_json(meta["record"])
                generic = tuple(float(v) for v in json.loads(str(meta.get("generic", "[]"))))
                versions[mentor.id] = Version(mentor, str(meta["hash"]),
                                              int(meta["n_sentences"]), generic,
                                              int(meta.get("layout", 1)))
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreError(
                    f"the collection {self.profiles.name} at {self.profiles.where} holds a row "
                    f"({row_id!r}) that this version of mentor-finder can't read ({exc}); it was "
                    "written by another version or program. Re-create the index: delete that "
                    "folder (or collection) and ingest again."
                ) from exc
        return versions

    def write(self, items: Sequence[Embedded], previous: dict[str, Version]) -> list[Version]:
        """Upsert these mentors (sentences and skills, then profiles, then old rows out)."""
        versions = [Version(e.mentor, e.mentor.content_hash(), len(e.sentences), e.generic)
                    for e in items]
        s_ids, s_vectors, s_texts, s_metas = [], [], [], []
        for item, version in zip(items, versions):
            meta = row_metadata(item.mentor)
            texts = mentor_texts(item.mentor)["sentence"]
            s_ids += version.sentence_ids()
            s_texts += texts
            s_metas += [meta] * len(texts)
            s_vectors += list(item.sentences)
        if s_ids:
            self.sentences.upsert(s_ids, np.stack(s_vectors), s_texts, s_metas)
        k_items = [(item, version) for item, version in zip(items, versions)
                   if item.skills is not None and version.skills_ids()]
        if k_items:
            self.skills.upsert([v.skills_ids()[0] for _, v in k_items],
                               np.stack([item.skills for item, _ in k_items]),
                               [skills_text(v.mentor) for _, v in k_items],
                               [row_metadata(v.mentor) for _, v in k_items])
        p_metas = []
        for version in versions:
            meta = row_metadata(version.mentor)
            meta.update(hash=version.content_hash, n_sentences=version.sentences,
                        record=version.mentor.model_dump_json(), layout=LAYOUT,
                        generic=json.dumps(list(version.generic)))
            p_metas.append(meta)
        self.profiles.upsert([v.mentor.id for v in versions],
                             np.stack([item.profile for item in items]),
                             [mentor_texts(v.mentor)["profile"][0] for v in versions], p_metas)
        written = set(s_ids)  # a repaired mentor is rewritten under the same row ids
        stale = [row for v in versions if v.mentor.id in previous
                 for row in previous[v.mentor.id].sentence_ids() if row not in written]
        if stale:
            self.sentences.delete(ids=stale)
        stale_skills = [row for v in versions if v.mentor.id in previous
                        for row in previous[v.mentor.id].skills_ids()
                        if row not in v.skills_ids()]
        if stale_skills:
            self.skills.delete(ids=stale_skills)
        return versions

    def remove(self, mentor_ids: Sequence[str]) -> None:
        """Profiles first (the commit point), then their sentences."""
        for start in range(0, len(mentor_ids), 500):
            part = list(mentor_ids[start:start + 500])
            self.profiles.delete(ids=part)
            self.sentences.delete(where={"mentor_id": {"$in": part}})
            self.skills.delete(where={"mentor_id": {"$in": part}})

    def sweep(self, current: dict[str, Version]) -> int:
        """Delete sentence and skills vectors that belong to no current version; returns how
        many."""
        swept = 0
        for store, ids_of in ((self.sentences, Version.sentence_ids),
                              (self.skills, Version.skills_ids)):
            got = store.get(include=[])
            orphans = []
            for row_id in got["ids"]:
                version = current.get(parse_sentence_id(row_id)[0])
                if version is None or row_id not in ids_of(version):
                    orphans.append(row_id)
            if orphans:
                store.delete(ids=orphans)
            swept += len(orphans)
        return swept

    def count(self) -> int:
        return self.profiles.count() + self.sentences.count() + self.skills.count()
