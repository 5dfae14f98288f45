"""One query is encoded on one CPU thread (no spinning thread pool on a busy machine)."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import numpy as np
import pytest


class ThreadPool:
    """Stands in for torch's thread-pool setting (get/set_num_threads), so that the fast run
    checks the embedder's use of it without importing torch (~3 s); the tests marked slow
    below run the same checks on torch itself."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads

    def get_num_threads(self) -> int:
        return self.threads

    def set_num_threads(self, threads: int) -> None:
        self.threads = threads


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> ThreadPool:
    """A two-thread pool where the embedder looks for torch's."""
    pool = ThreadPool(2)
    fake = types.ModuleType("torch")
    fake.get_num_threads = pool.get_num_threads  # type: ignore[attr-defined]
    fake.set_num_threads = pool.set_num_threads  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "torch", fake)
    return pool


@pytest.fixture
def torch_pool() -> Iterator[types.ModuleType]:
    """torch itself, from a two-thread pool; the pool is left as the test run had it."""
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    yield torch
    torch.set_num_threads(before)


def _one_text_runs_on_one_thread_and_restores_the_pool(pool: ThreadPool | types.ModuleType) -> None:
    from finder.search.embedding import _one_thread

    with _one_thread(True):
        assert pool.get_num_threads() == 1
    assert pool.get_num_threads() == 2
    with _one_thread(False):
        assert pool.get_num_threads() == 2
    with pytest.raises(RuntimeError), _one_thread(True):
        raise RuntimeError("the model failed")
    assert pool.get_num_threads() == 2


def test_one_text_runs_on_one_thread_and_restores_the_pool(pool: ThreadPool) -> None:
    _one_text_runs_on_one_thread_and_restores_the_pool(pool)


@pytest.mark.slow  # imports torch (~3 s), which nothing else in the fast run needs
def test_torchs_own_pool_goes_to_one_thread_and_back(torch_pool: types.ModuleType) -> None:
    _one_text_runs_on_one_thread_and_restores_the_pool(torch_pool)


class CountsThreads:
    """Stands in for the torch model: records the size of the thread pool at each call."""

    def __init__(self, pool: ThreadPool) -> None:
        self.pool = pool
        self.seen: list[int] = []

    def encode(self, texts, **kwargs):  # type: ignore[no-untyped-def]
        self.seen.append(self.pool.get_num_threads())
        return np.ones((len(texts), 384), dtype=np.float32)


def test_one_text_is_encoded_on_one_thread_and_a_batch_on_the_pool(pool: ThreadPool) -> None:
    from finder.search.embedding import MiniLMEmbedder

    embedder = MiniLMEmbedder(backend="torch")
    embedder._model = model = CountsThreads(pool)  # type: ignore[assignment]
    embedder.encode(["pricing my freelance design work"])
    embedder.encode(["pricing my freelance design work", "a second text"])
    embedder.encode_query("a query alone")
    assert model.seen == [1, 2, 1] and pool.get_num_threads() == 2


# The same through the real torch model, whose vector must not change with the thread count:
# slow only because it loads torch and its model (~8 s), which no other fast test needs now
# that the run's model encodes on ONNX Runtime; the test above covers the threads in the fast
# run.
@pytest.mark.slow
def test_a_query_gets_the_same_vector_on_one_thread(torch_pool, torch_embedder) -> None:  # type: ignore[no-untyped-def]
    torch = torch_pool
    seen: list[int] = []
    embedder = torch_embedder
    model = embedder.model
    original = model.encode

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(torch.get_num_threads())
        return original(*args, **kwargs)

    model.encode = spy
    try:
        alone = embedder.encode(["pricing my freelance design work"])[0]
        batch = embedder.encode(["pricing my freelance design work", "a second text"])[0]
    finally:
        del model.encode
    assert seen == [1, 2] and torch.get_num_threads() == 2
    assert float(alone @ batch) == pytest.approx(1.0, abs=1e-5)
    assert np.allclose(alone, batch, atol=1e-4)


def test_queries_encoded_in_one_batch_fill_the_query_cache() -> None:
    from finder.search.embedding import MiniLMEmbedder

    model = MiniLMEmbedder(query_cache_size=2)
    calls: list[int] = []
    encode = model.encode

    def counting(texts, *, show_progress=False):  # type: ignore[no-untyped-def]
        calls.append(len(texts))
        return encode(texts, show_progress=show_progress)

    model.encode = counting  # type: ignore[method-assign]
    asks = ["price my design work", "Price my  design work", "set up bookkeeping",
            "negotiate a salary"]
    model.encode_queries(asks)
    assert calls == [3]  # one batch; the same ask spelt twice is encoded once
    single = encode(["negotiate a salary"])[0]
    assert np.allclose(model.encode_query("negotiate a salary"), single, atol=1e-4)
    assert calls == [3]  # answered from the cache
    model.encode_query("price my design work")  # the oldest: evicted by the cache size (2)
    assert calls == [3, 1]
