"""Vectors computed ahead of time and shipped with data (the demo mentors), used only where they
provably fit.

The file (``.npz``) holds, for each kind of embedded text (profile, sentence, ... whatever
``indexing.embed`` asks the model for), the sha256 of every text and its float16 vector, and the
fingerprint of the model that made them (a hash of its files and variant). A mentor is taken
from the file only when the embedder's fingerprint is the file's and every text that ``embed``
would encode for that mentor is in it; anything else is embedded afresh. So an edited bio, a new
kind of vector or another model can make shipped vectors useless, never wrong.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from finder.core.models import Mentor
from finder.search.embedding import Embedder, model_id
from finder.search.indexing import Embedded, embed

log = logging.getLogger(__name__)

FORMAT = 1


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint_of(embedder: Embedder) -> str | None:
    """The embedder's model fingerprint, or None if it has none (then nothing is shipped)."""
    value = getattr(embedder, "fingerprint", None)
    return str(value) if value else None


class _Missing(Exception):
    pass


class ShippedVectors:
    """Precomputed vectors by text hash, for one model fingerprint."""

    def __init__(self, fingerprint: str, model: str, vectors: Mapping[str, np.ndarray],
                 kinds: Mapping[str, int] | None = None) -> None:
        self.fingerprint = fingerprint
        self.model = model
        self._vectors = dict(vectors)
        self.kinds = dict(kinds or {})

    def __len__(self) -> int:
        return len(self._vectors)

    @classmethod
    def load(cls, path: Path) -> ShippedVectors | None:
        """The vectors in ``path``; None (and a log line) if it is missing or unreadable."""
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != FORMAT:
                    log.warning("%s has format %s, this version reads %s; not using it",
                                path, int(data["format"]), FORMAT)
                    return None
                vectors: dict[str, np.ndarray] = {}
                kinds: dict[str, int] = {}
                for kind in [str(k) for k in data["kinds"]]:
                    keys, rows = data[f"{kind}.sha256"], data[f"{kind}.vectors"]
                    kinds[kind] = len(keys)
                    for key, row in zip(keys, rows):
                        vectors[str(key)] = row
                return cls(str(data["fingerprint"]), str(data["model"]), vectors, kinds)
        except (OSError, KeyError, ValueError) as exc:
            log.warning("could not read the shipped vectors in %s (%s); embedding instead",
                        path, exc)
            return None

    @staticmethod
    def save(path: Path, embedder: Embedder, kinds: Mapping[str, tuple[Sequence[str], np.ndarray]]
             ) -> None:
        """Write ``{kind: (texts, vectors)}`` made by ``embedder`` (vectors stored as float16)."""
        fingerprint = fingerprint_of(embedder)
        if fingerprint is None:
            raise ValueError(f"the embedder {embedder.name} has no fingerprint")
        arrays: dict[str, np.ndarray] = {
            "format": np.array(FORMAT), "fingerprint": np.array(fingerprint),
            "model": np.array(model_id(embedder)), "kinds": np.array(sorted(kinds))}
        for kind, (texts, vectors) in kinds.items():
            arrays[f"{kind}.sha256"] = np.array([text_key(t) for t in texts])
            arrays[f"{kind}.vectors"] = np.asarray(vectors, dtype=np.float16)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, **arrays)  # type: ignore[arg-type]
        tmp.replace(path)

    def stored(self, text: str) -> np.ndarray | None:
        """The stored float16 row for this exact text, as written, or None."""
        return self._vectors.get(text_key(text))

    def fits(self, embedder: Embedder) -> bool:
        """True if these vectors were made by this very model (files and variant)."""
        return fingerprint_of(embedder) == self.fingerprint

    def _lookup(self, texts: Sequence[str]) -> np.ndarray:
        rows = []
        for text in texts:
            row = self._vectors.get(text_key(text))
            if row is None:
                raise _Missing(text)
            rows.append(row)
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        out = np.stack(rows).astype(np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

    def embedded(self, mentor: Mentor) -> Embedded | None:
        """The mentor with shipped vectors for every text it needs, or None."""
        try:
            return embed([mentor], self._lookup)[0]
        except _Missing:
            pass
        try:  # vectors shipped before skills vectors: the skills vector is added on write
            return embed([mentor], self._lookup, with_skills=False)[0]
        except _Missing:
            return None


def split(mentors: Sequence[Mentor], shipped: ShippedVectors | None,
          embedder: Embedder) -> tuple[list[Embedded], list[Mentor]]:
    """(mentors ready from shipped vectors, mentors to embed)."""
    if shipped is None or not mentors:
        return [], list(mentors)
    if not shipped.fits(embedder):
        log.info("the shipped vectors were made by another model or variant (%s); embedding "
                 "every mentor", shipped.model)
        return [], list(mentors)
    ready: list[Embedded] = []
    fresh: list[Mentor] = []
    for mentor in mentors:
        found = shipped.embedded(mentor)
        if found is None:
            fresh.append(mentor)
        else:
            ready.append(found)
    return ready, fresh
