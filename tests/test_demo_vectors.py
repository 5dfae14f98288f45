"""The demo mentors' shipped vectors (data/demo_vectors.npz) fit the packaged model and the demo
data; rebuild them with `make demo-vectors` when this fails."""

from __future__ import annotations

import numpy as np
import pytest

from finder.search.demo import DEMO_FILE, DEMO_VECTORS
from finder.search.indexing import embed
from finder.search.shipped import ShippedVectors


@pytest.mark.slow  # reads and checks all 3,305 demo mentors against the real model
def test_the_shipped_demo_vectors_fit_the_packaged_model(embedder) -> None:  # type: ignore[no-untyped-def]
    """Fails when the demo data, the model or what gets embedded changed without
    `make demo-vectors`: the app would still be right, but the first run slow."""
    from ingest.loaders import load_mentors

    shipped = ShippedVectors.load(DEMO_VECTORS)
    assert shipped is not None, f"{DEMO_VECTORS} is missing: run `make demo-vectors`"
    assert shipped.fits(embedder), "the model changed: run `make demo-vectors`"
    mentors = load_mentors(DEMO_FILE).mentors
    fitting = [m for m in mentors if shipped.embedded(m) is not None]
    assert len(fitting) >= 0.95 * len(mentors), "the demo data changed: run `make demo-vectors`"
    sample = fitting[:: max(1, len(fitting) // 12)][:12]
    for mentor in sample:
        ready = shipped.embedded(mentor)
        assert ready is not None
        again = embed([mentor], embedder.encode)[0]
        fresh = np.vstack([again.profile[None, :], again.sentences])
        got = np.vstack([ready.profile[None, :], ready.sentences])
        assert got.shape == fresh.shape
        assert float(np.abs(got - fresh).max()) < 3e-3  # float16 rounding
