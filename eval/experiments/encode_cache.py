"""An embedder that keeps every vector it computes on disk, keyed by the text (research only).

Experiments and repeated eval runs encode the same corpora again and again; on a shared 2-core
machine that is minutes each time. ``CachedEmbedder`` wraps the product embedder, answers from
``<folder>/vectors.npy`` + ``texts.json`` when it can, and appends what it had to encode.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from finder.search.embedding import FixedSets, MiniLMEmbedder


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """The packaged MiniLM, with a persistent text -> vector cache in ``folder``."""

    dimension = 384

    def __init__(self, folder: str | Path, inner: MiniLMEmbedder | None = None,
                 seeds: tuple[str | Path, ...] = ()) -> None:
        self.inner = inner or MiniLMEmbedder()
        self.name = self.inner.name
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._fixed = FixedSets()
        self._row: dict[str, int] = {}
        self._vectors = np.zeros((0, self.dimension), dtype=np.float32)
        keys = self.folder / "keys.json"
        if keys.exists():
            self._vectors = np.load(self.folder / "vectors.npy")
            self._row = {k: i for i, k in enumerate(json.loads(keys.read_text()))}
        # Read-only caches with the same layout (e.g. vectors read back from an index).
        self._seed: dict[str, np.ndarray] = {}
        for seed in seeds:
            seed = Path(seed)
            if (seed / "keys.json").exists():
                vectors = np.load(seed / "vectors.npy")
                for i, k in enumerate(json.loads((seed / "keys.json").read_text())):
                    self._seed[k] = vectors[i]

    def _save(self) -> None:
        np.save(self.folder / "vectors.tmp.npy", self._vectors)
        (self.folder / "keys.tmp.json").write_text(json.dumps(list(self._row)))
        (self.folder / "vectors.tmp.npy").replace(self.folder / "vectors.npy")
        (self.folder / "keys.tmp.json").replace(self.folder / "keys.json")

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        keys = [_key(t) for t in texts]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys
                                         if k not in self._row and k not in self._seed))
        if missing:
            by_key = {k: t for k, t in zip(keys, texts)}
            fresh = []
            for start in range(0, len(missing), 256):
                part = missing[start:start + 256]
                fresh.append(self.inner.encode([by_key[k] for k in part],
                                               show_progress=show_progress))
                with self._lock:
                    base = len(self._vectors)
                    self._vectors = np.concatenate([self._vectors, fresh[-1]])
                    for i, k in enumerate(part):
                        self._row[k] = base + i
                    self._save()
        with self._lock:
            if not keys:
                return np.zeros((0, self.dimension), dtype=np.float32)
            return np.stack([self._vectors[self._row[k]] if k in self._row else self._seed[k]
                             for k in keys]).astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        return self._fixed.get(self, name, texts)
