"""Shipped (precomputed) vectors: used only where they fit exactly, re-embedded otherwise; the
index refuses a model variant other than the one that wrote it; the progress bar keeps moving."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from finder.core.errors import ModelError
from finder.core.models import Mentor
from finder.search.demo import build_vectors, texts_by_kind
from finder.search.service import PROGRESS_STEP, MentorFinder
from finder.search.shipped import ShippedVectors
from tests.fakes import HashingEmbedder

RECORDS = [
    {"id": f"m-{i:03d}", "name": f"Mentor {i}", "headline": f"Adviser number {i}",
     "bio": f"I help people with topic {i}. I have done it for {i % 20 + 1} years. Ask me.",
     "skills": [f"skill {i}"], "formats": ["video"], "session_minutes": [30]}
    for i in range(40)
]


class Fingerprinted(HashingEmbedder):
    """The hashing embedder with a model fingerprint and variant, counting what it encodes."""

    def __init__(self, fingerprint: str = "model-a", variant: str = "float32") -> None:
        super().__init__()
        self.fingerprint = fingerprint
        self.variant = variant
        self.encoded: list[str] = []

    def encode(self, texts, *, show_progress=False):  # type: ignore[no-untyped-def]
        self.encoded += list(texts)
        return super().encode(texts)


def _mentors(records: list[dict]) -> list[Mentor]:
    return [Mentor.model_validate(r) for r in records]


def _shipped(tmp_path: Path, embedder: Fingerprinted) -> ShippedVectors:
    path = tmp_path / "vectors.npz"
    build_vectors(_mentors(RECORDS), embedder, path)
    embedder.encoded.clear()
    shipped = ShippedVectors.load(path)
    assert shipped is not None
    return shipped


def _mentor_texts(encoded: list[str]) -> list[str]:
    """What was encoded for mentors (not the fixed generic sentences, encoded once)."""
    from finder.search.ranking import GENERIC_SENTENCES

    return [t for t in encoded if t not in GENERIC_SENTENCES]


def _open(tmp_path: Path, embedder: Fingerprinted, name: str = "index") -> MentorFinder:
    return MentorFinder.open(tmp_path / name, embedder=embedder)


def test_shipped_vectors_are_used_and_equal_fresh_ones(tmp_path: Path) -> None:
    embedder = Fingerprinted()
    shipped = _shipped(tmp_path, embedder)
    assert set(shipped.kinds) == {"profile", "sentence", "skills"}
    mf = _open(tmp_path, embedder)
    report = mf.ingest(RECORDS, shipped=shipped)
    assert (report.from_shipped, report.embedded) == (len(RECORDS), 0)
    assert _mentor_texts(embedder.encoded) == []
    for mentor in _mentors(RECORDS)[:5]:
        stored = mf.stored_vectors(mentor.id)
        fresh = embedder.encode(texts_by_kind([mentor])["profile"])[0]
        assert np.allclose(stored.profile, fresh, atol=2e-3)
    assert mf.search("topic 7", k=1)[0].mentor.id == "m-007"


def test_a_changed_bio_is_embedded_afresh(tmp_path: Path) -> None:
    embedder = Fingerprinted()
    shipped = _shipped(tmp_path, embedder)
    records = [dict(r) for r in RECORDS]
    records[3]["bio"] = "Now I only talk about beekeeping in cold climates. Nothing else."
    mf = _open(tmp_path, embedder)
    report = mf.ingest(records, shipped=shipped)
    assert (report.from_shipped, report.embedded) == (len(RECORDS) - 1, 1)
    assert any("beekeeping" in text for text in embedder.encoded)
    stored = mf.stored_vectors("m-003")
    fresh = HashingEmbedder().encode(["Now I only talk about beekeeping in cold climates."])[0]
    assert any(np.allclose(row, fresh, atol=1e-6) for row in stored.sentences)
    assert mf.search("beekeeping in cold climates", k=1)[0].mentor.id == "m-003"


def test_another_model_gets_everything_embedded(tmp_path: Path) -> None:
    shipped = _shipped(tmp_path, Fingerprinted("model-a"))
    other = Fingerprinted("model-b")
    mf = _open(tmp_path, other)
    report = mf.ingest(RECORDS, shipped=shipped)
    assert (report.from_shipped, report.embedded) == (0, len(RECORDS))
    assert len(other.encoded) >= len(RECORDS)


def test_a_missing_or_broken_file_means_embedding(tmp_path: Path) -> None:
    assert ShippedVectors.load(tmp_path / "absent.npz") is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    assert ShippedVectors.load(broken) is None


def test_an_index_refuses_another_model_variant(tmp_path: Path) -> None:
    mf = _open(tmp_path, Fingerprinted(variant="float32"))
    mf.ingest(RECORDS[:3])
    with pytest.raises(ModelError, match="written with the embedding model hashing/float32"):
        _open(tmp_path, Fingerprinted(variant="onnx-int8"))
    assert _open(tmp_path, Fingerprinted(variant="float32")).count() == 3


def test_progress_moves_at_least_every_step(tmp_path: Path) -> None:
    class Bar:
        def __init__(self) -> None:
            self.steps: list[int] = []

        def update(self, n: int) -> None:
            self.steps.append(n)

    mf = _open(tmp_path, Fingerprinted())
    bar = Bar()
    mentors = 300
    texts = [f"text number {i} " * (i % 7 + 1) for i in range(mentors * 4)]
    out = mf._encode_in_steps(texts, mentors, bar)
    assert out.shape == (len(texts), 384)
    assert np.allclose(out[5], HashingEmbedder().encode([texts[5]])[0])
    assert sum(bar.steps) == mentors
    assert max(bar.steps) <= PROGRESS_STEP


def test_vectors_shipped_before_skills_vectors_still_seed(tmp_path: Path) -> None:
    from finder.search.ranking import skills_text
    from finder.search.shipped import text_key

    embedder = Fingerprinted()
    shipped = _shipped(tmp_path, embedder)
    skills = {text_key(skills_text(m)) for m in _mentors(RECORDS)}
    old = ShippedVectors(shipped.fingerprint, shipped.model,
                         {k: v for k, v in shipped._vectors.items() if k not in skills})
    mf = _open(tmp_path, embedder)
    report = mf.ingest(RECORDS, shipped=old)
    assert (report.from_shipped, report.embedded) == (len(RECORDS), 0)
    assert sorted(_mentor_texts(embedder.encoded)) == sorted(skills_text(m)
                                                             for m in _mentors(RECORDS))
    assert mf.layout.skills.count() == len(RECORDS)


def test_a_rebuild_reusing_the_old_file_encodes_only_changed_texts(tmp_path: Path) -> None:
    embedder = Fingerprinted()
    old = tmp_path / "old.npz"
    build_vectors(_mentors(RECORDS), embedder, old)
    changed = [dict(r) for r in RECORDS]
    changed[3]["skills"] = ["a new skill"]
    embedder.encoded.clear()
    reused = tmp_path / "reused.npz"
    build_vectors(_mentors(changed), embedder, reused, ShippedVectors.load(old))
    mentor = _mentors(changed)[3]
    from finder.search.ranking import mentor_texts, skills_text

    assert sorted(embedder.encoded) == sorted([*mentor_texts(mentor)["profile"],
                                               skills_text(mentor)])
    full = tmp_path / "full.npz"
    build_vectors(_mentors(changed), embedder, full)
    with np.load(reused) as a, np.load(full) as b:
        assert sorted(a.files) == sorted(b.files)
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name
    # Vectors of another model are never reused: everything is encoded again.
    other = Fingerprinted("model-b")
    build_vectors(_mentors(changed), other, tmp_path / "other.npz", ShippedVectors.load(old))
    assert len(other.encoded) == sum(len(t) for t in texts_by_kind(_mentors(changed)).values())
