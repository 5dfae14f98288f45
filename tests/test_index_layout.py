"""The skills collection and the layout version, on a real embedded Chroma with a fake model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from finder.search.bridge import Bridge, expand
from finder.search.indexing import LAYOUT
from finder.search.service import MentorFinder
from tests.fakes import HashingEmbedder

MENTORS = [
    dict(id="fe-1", name="Ana", headline="Frontend developer",
         bio="I build single page apps for online shops. I review pull requests for juniors.",
         skills=["reactjs", "redux", "css"]),
    dict(id="hr-1", name="Ben", headline="HR business partner",
         bio="I run pay reviews and help people negotiate their salary.", skills=[]),
]


def test_skills_rows_follow_the_mentor_and_reasons_name_skills(tmp_path: Path) -> None:
    finder = MentorFinder.open(tmp_path, index="t", embedder=HashingEmbedder())
    finder.ingest(MENTORS)
    assert finder.layout.skills.count() == 1  # only the mentor who lists skills
    top = finder.search("my React app with Redux state is a mess", k=2)[0]
    assert top.mentor.id == "fe-1"
    assert top.reasons.matched_skills == ["reactjs", "redux"]
    finder.ingest([dict(MENTORS[0], skills=["vue"])])  # new version: old skills row goes
    assert finder.layout.skills.count() == 1
    assert finder.stored_vectors("fe-1").skills is not None
    finder.delete(["fe-1"])
    assert finder.layout.skills.count() == 0


def test_an_index_of_an_older_layout_is_re_embedded_on_open(tmp_path: Path) -> None:
    finder = MentorFinder.open(tmp_path, index="t", embedder=HashingEmbedder())
    finder.ingest(MENTORS)
    # Make it look like a layout-1 index: no skills rows, no layout mark on the profiles.
    finder.layout.skills.delete(ids=finder.layout.skills.get(include=[])["ids"])
    got = finder.layout.profiles.get(include=["metadatas", "embeddings", "documents"])
    metas = [m | {"layout": 1, "generic": "[]"} for m in got["metadatas"]]
    finder.layout.profiles.upsert(got["ids"], np.asarray(got["embeddings"]), got["documents"],
                                  metas)
    reopened = MentorFinder.open(tmp_path, index="t", embedder=HashingEmbedder())
    assert {v.layout for v in reopened._versions.values()} == {LAYOUT}
    assert reopened.layout.skills.count() == 1
    assert reopened.layout.sentences.count() == finder.layout.sentences.count() > 0
    assert reopened.search("my React app with Redux state is a mess", k=1)[0].mentor.id == "fe-1"


def test_bridge_moves_a_situation_towards_its_expertise() -> None:
    bridge = Bridge.bundled()
    assert bridge.version >= 1 and len(bridge.asks) == len(bridge.expertise) >= 50
    data = json.loads(Path("data/expertise_bridge.json").read_text())
    assert all(e["ask"] and e["expertise"] for e in data["entries"])
    asks = np.eye(3, dtype=np.float32)
    helps = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0]], dtype=np.float32)
    query = np.array([0.9, 0.1, 0.0], dtype=np.float32)
    query /= np.linalg.norm(query)
    owners = np.arange(3)
    moved, hit = expand(query, query[None], asks, owners, helps, 0.6, 0.5)
    assert hit == 0 and moved[2] > 0 and np.isclose(np.linalg.norm(moved), 1.0)
    same, none = expand(query, query[None], asks, owners, helps, 0.6, 0.995)
    assert none is None and same is query
    assert expand(query, query[None], asks, owners, helps, 0.0, 0.5)[1] is None
