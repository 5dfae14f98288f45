"""The ONNX Runtime backend of the packaged model: exported once from the packaged weights, the
same float32 vectors as torch (so an index written by one is read by the other, and the shipped
demo vectors stay valid), and torch when ONNX Runtime or the graph is missing."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")

from finder.core.errors import ModelError
from finder.search.embedding import MiniLMEmbedder, model_id
from finder.search.service import MentorFinder

ROOT = Path(__file__).resolve().parents[1]

# Asks in a mentee's own words (not from the eval sets), and real mentor bios beside them.
ASKS = [
    "my landlord kept the deposit and I don't know if I can fight it",
    "Thinking of leaving nursing for UX research - is that crazy at 41?",
    "how do i stop freezing up when the interviewer asks about my weaknesses",
    "need someone who has sold handmade jewellery online, etsy fees are eating me alive",
    "pitch deck",
]


@pytest.fixture(scope="module")
def bios() -> list[str]:
    from ingest.loaders import load_mentors

    mentors = load_mentors(ROOT / "data" / "demo_mentors.jsonl").mentors
    return [m.bio for m in mentors[:: max(1, len(mentors) // 40)][:40]]


@pytest.fixture(scope="module")
def onnx_embedder(tmp_path_factory: pytest.TempPathFactory) -> MiniLMEmbedder:
    """ONNX Runtime over a graph exported into a fresh folder by this very run."""
    model = MiniLMEmbedder(backend="onnx", graph_dir=tmp_path_factory.mktemp("graphs"))
    model.encode(["warm up"])  # exports the graph, checks it against torch
    return model


@pytest.mark.slow  # exports the graph from the model (about 25 s)
def test_the_graph_is_exported_once_into_the_cache_folder(onnx_embedder) -> None:  # type: ignore[no-untyped-def]
    assert onnx_embedder.runtime == "onnx"
    graph = onnx_embedder.graph_path
    assert graph.exists() and graph.parent == onnx_embedder.graph_dir
    assert [p.name for p in graph.parent.iterdir()] == [graph.name]  # no half-written leftovers
    written = graph.stat().st_mtime_ns
    again = MiniLMEmbedder(backend="auto", graph_dir=graph.parent)
    assert again.runtime == "onnx" and again.prepare_graph() == graph
    assert graph.stat().st_mtime_ns == written  # found, not exported again


@pytest.mark.slow  # exports the graph from the model (about 25 s)
def test_onnx_gives_torchs_vectors(onnx_embedder, torch_embedder, bios) -> None:  # type: ignore[no-untyped-def]
    assert torch_embedder.runtime == "torch"
    texts = ASKS + bios
    ours = onnx_embedder.encode(texts)
    theirs = torch_embedder.encode(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert float(np.abs(ours - theirs).max()) < 1e-5  # far below float16's rounding (~1e-4)
    assert float(np.min(np.sum(ours * theirs, axis=1))) > 0.99999
    # A query alone (no padding) gets the vector it gets in a batch.
    assert np.allclose(onnx_embedder.encode_query(ASKS[1]), ours[1], atol=1e-5)


@pytest.mark.slow  # exports the graph from the model (about 25 s)
def test_an_index_written_with_torch_is_searched_with_onnx(onnx_embedder, torch_embedder,
                                                           tmp_path) -> None:  # type: ignore[no-untyped-def]
    from finder.search.demo import DEMO_VECTORS
    from finder.search.shipped import ShippedVectors

    assert model_id(onnx_embedder) == model_id(torch_embedder) == "all-MiniLM-L6-v2/float32"
    shipped = ShippedVectors.load(DEMO_VECTORS)
    assert shipped is not None and shipped.fits(onnx_embedder)  # the demo's vectors stay valid
    written = MentorFinder.open(tmp_path, index="org", embedder=torch_embedder)
    written.ingest(ROOT / "tests" / "fixtures" / "mentors_small.jsonl", progress=False)
    ask = "I want to get better at negotiating my salary"
    before = [m.mentor.id for m in written.search(ask, k=5)]
    read = MentorFinder.open(tmp_path, index="org", embedder=onnx_embedder)
    assert [m.mentor.id for m in read.search(ask, k=5)] == before


def test_without_onnx_runtime_torch_encodes_and_says_so(monkeypatch, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    import finder.search.onnx_graph

    monkeypatch.setattr(finder.search.onnx_graph, "missing_runtime",
                        lambda: "pip install onnxruntime")
    with caplog.at_level(logging.INFO, logger="finder.search.embedding"):
        assert MiniLMEmbedder(graph_dir=tmp_path).runtime == "torch"
    assert "ONNX Runtime is not installed (pip install onnxruntime" in caplog.text
    with pytest.raises(ModelError, match="needs ONNX Runtime: pip install onnxruntime"):
        MiniLMEmbedder(backend="onnx", graph_dir=tmp_path).encode(["a goal"])


def test_without_a_graph_torch_encodes_and_nothing_is_exported(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.INFO, logger="finder.search.embedding"):
        model = MiniLMEmbedder(graph_dir=tmp_path)
        assert model.runtime == "torch"
    assert "python -m finder.search.onnx_graph" in caplog.text
    assert list(tmp_path.iterdir()) == []


def test_a_broken_graph_falls_back_to_torch_or_says_how_to_fix_it(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    broken = MiniLMEmbedder(graph_dir=tmp_path).graph_path
    broken.write_bytes(b"half a download")
    with caplog.at_level(logging.WARNING, logger="finder.search.embedding"):
        assert MiniLMEmbedder(graph_dir=tmp_path).runtime == "torch"
    assert "could not be loaded" in caplog.text
    with pytest.raises(ModelError, match="Delete it and run python -m finder.search.onnx_graph"):
        MiniLMEmbedder(backend="onnx", graph_dir=tmp_path).encode(["a goal"])


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(ValueError, match="choose from auto, onnx, torch"):
        MiniLMEmbedder(backend="tensorrt")
