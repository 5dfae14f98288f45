"""How mentors are laid out in Chroma, and how they are written so that a crash loses nothing.

An index is two Chroma collections: ``mentors-<index>`` with one profile vector per mentor
(its id is the mentor's id; its metadata carries the whole record and its content hash), and
``mentors-<index>-sentences`` with one vector per bio sentence, whose id
``<mentor id>|<n>|<content hash>`` names the version it belongs to.

A write puts the new sentence vectors first, then the profile vectors (the commit point: the
profile row says which version is current), then deletes the old version's sentences. A crash
at any point leaves each mentor wholly old or wholly new; sentence vectors of another version
are ignored by search and swept the next time the index is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from finder.core.errors import StoreError
from finder.search.filters import row_metadata
from finder.core.models import Mentor
from finder.search.ranking import mentor_texts
from finder.search.store import ChromaStore

SENTENCES = "sentences"


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

    def sentence_ids(self) -> list[str]:
        return [sentence_id(self.mentor.id, i, self.content_hash) for i in range(self.sentences)]


@dataclass(frozen=True)
class Embedded:
    """A mentor with its vectors: the profile, and one per bio sentence."""

    mentor: Mentor
    profile: np.ndarray
    sentences: np.ndarray


def embed(mentors: Sequence[Mentor], encode: Any) -> list[Embedded]:
    """Encode every text of these mentors in one batched call."""
    fields = [mentor_texts(m) for m in mentors]
    texts = [t for f in fields for t in f["profile"] + f["sentence"]]
    vectors = encode(texts)
    out, at = [], 0
    for mentor, f in zip(mentors, fields):
        n = len(f["sentence"])
        out.append(Embedded(mentor, vectors[at], vectors[at + 1:at + 1 + n]))
        at += 1 + n
    return out


class Layout:
    """The two collections of one index, and the write and read paths over them."""

    def __init__(self, profiles: ChromaStore) -> None:
        self.profiles = profiles
        self.sentences = profiles.sibling(SENTENCES)

    def load(self) -> dict[str, Version]:
        """Every stored mentor, from the profile collection."""
        got = self.profiles.get(include=["metadatas"])
        versions: dict[str, Version] = {}
        for row_id, meta in zip(got["ids"], got["metadatas"] or []):
            try:
                mentor = Mentor.model_validate_json(meta["record"])
                versions[mentor.id] = Version(mentor, str(meta["hash"]),
                                              int(meta["n_sentences"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise StoreError(
                    f"the collection {self.profiles.name} at {self.profiles.where} holds a row "
                    f"({row_id!r}) that this version of mentor-finder can't read ({exc}); it was "
                    "written by another version or program. Re-create the index: delete that "
                    "folder (or collection) and ingest again."
                ) from exc
        return versions

    def write(self, items: Sequence[Embedded], previous: dict[str, Version]) -> list[Version]:
        """Upsert these mentors (sentences, then profiles, then old sentences out)."""
        versions = [Version(e.mentor, e.mentor.content_hash(), len(e.sentences)) for e in items]
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
        p_metas = []
        for version in versions:
            meta = row_metadata(version.mentor)
            meta.update(hash=version.content_hash, n_sentences=version.sentences,
                        record=version.mentor.model_dump_json())
            p_metas.append(meta)
        self.profiles.upsert([v.mentor.id for v in versions],
                             np.stack([item.profile for item in items]),
                             [mentor_texts(v.mentor)["profile"][0] for v in versions], p_metas)
        written = set(s_ids)  # a repaired mentor is rewritten under the same row ids
        stale = [row for v in versions if v.mentor.id in previous
                 for row in previous[v.mentor.id].sentence_ids() if row not in written]
        if stale:
            self.sentences.delete(ids=stale)
        return versions

    def remove(self, mentor_ids: Sequence[str]) -> None:
        """Profiles first (the commit point), then their sentences."""
        for start in range(0, len(mentor_ids), 500):
            part = list(mentor_ids[start:start + 500])
            self.profiles.delete(ids=part)
            self.sentences.delete(where={"mentor_id": {"$in": part}})

    def sweep(self, current: dict[str, Version]) -> int:
        """Delete sentence vectors that belong to no current version; returns how many."""
        got = self.sentences.get(include=[])
        orphans = []
        for row_id in got["ids"]:
            mentor_id, position, content_hash = parse_sentence_id(row_id)
            version = current.get(mentor_id)
            if (version is None or version.content_hash != content_hash
                    or position >= version.sentences):
                orphans.append(row_id)
        if orphans:
            self.sentences.delete(ids=orphans)
        return len(orphans)

    def count(self) -> int:
        return self.profiles.count() + self.sentences.count()
