"""An ingest killed mid-way leaves the index searchable and consistent (a real SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from finder.search.ranking import mentor_texts
import pytest

from finder.search.service import MentorFinder

pytestmark = pytest.mark.slow

TOPICS = ["pricing freelance design work", "negotiating a first salary", "tax returns for a bakery",
          "hiring a first engineer", "writing a grant proposal", "running a farmers market stall"]


def _records(n: int, version: int) -> list[dict]:
    return [
        {"id": f"m-{i:04d}", "name": f"Mentor {i}", "headline": f"Adviser on {TOPICS[i % 6]}",
         "bio": f"Version {version} of my story. I have helped people with {TOPICS[i % 6]} "
                f"for {i % 30 + 1} years. Ask me about case number {i}.",
         "formats": ["video"], "session_minutes": [15, 30]}
        for i in range(n)
    ]


CHILD = textwrap.dedent("""
    import sys
    from finder.search import service
    from finder.search.service import MentorFinder
    service.WRITE_CHUNK = 20
    service.ENCODE_GROUP = 20
    original = MentorFinder._write_chunk
    def announced(self, chunk):
        original(self, chunk)
        print("chunk", flush=True)
    MentorFinder._write_chunk = announced
    mf = MentorFinder.open(sys.argv[1])
    mf.ingest(sys.argv[2])
    print("done", flush=True)
""")


def _kill_after_chunks(home: Path, source: Path, chunks: int) -> None:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(home), str(source)],
                             stdout=subprocess.PIPE, text=True, env=env)
    seen = 0
    deadline = time.monotonic() + 300
    assert child.stdout is not None
    while seen < chunks and time.monotonic() < deadline:
        line = child.stdout.readline()
        assert line, "the ingest ended before it could be interrupted"
        assert line.strip() != "done", "the ingest finished before it could be interrupted"
        seen += line.strip() == "chunk"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def _assert_consistent(mf: MentorFinder, expected_versions: set[int]) -> None:
    """Every mentor wholly one version: its profile row, its sentence rows, and nothing else."""
    profiles = mf.layout.profiles.get(include=["metadatas"])
    assert sorted(profiles["ids"]) == mf.ids()
    current = {mentor_id: mf.stored_vectors(mentor_id) for mentor_id in mf.ids()}
    for meta in profiles["metadatas"]:
        assert meta["hash"] == current[meta["mentor_id"]].mentor.content_hash()
    sentence_rows = set(mf.layout.sentences.get(include=[])["ids"])
    expected_rows = {row for mentor_id in mf.ids()
                     for row in mf._versions[mentor_id].sentence_ids()}
    assert sentence_rows == expected_rows  # no row of an interrupted version is left
    for mentor in mf.mentors():
        assert int(mentor.bio.split()[1]) in expected_versions
        assert len(current[mentor.id].sentences) == len(mentor_texts(mentor)["sentence"])
    matches = mf.search("pricing freelance design work", k=10)
    assert matches and all(m.mentor.id in current for m in matches)
    for match in matches:
        assert match.reasons.best_sentence in mentor_texts(match.mentor)["sentence"]


def test_killed_first_ingest_leaves_a_usable_partial_index(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "mentors.jsonl"
    records = _records(200, version=1)
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    _kill_after_chunks(tmp_path / "home", source, chunks=2)

    mf = MentorFinder.open(tmp_path / "home", embedder=embedder)
    assert 40 <= mf.count() < 200
    _assert_consistent(mf, {1})
    written = mf.count()
    report = mf.ingest(source)
    assert len(report.unchanged) == written and len(report.added) == 200 - written
    assert mf.count() == 200
    _assert_consistent(mf, {1})


def test_killed_update_leaves_each_mentor_wholly_old_or_new(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    mf = MentorFinder.open(home, embedder=embedder)
    mf.ingest(_records(150, version=1))
    del mf
    source = tmp_path / "v2.jsonl"
    v2 = _records(150, version=2)
    for record in v2:  # fewer sentences than before, so stale sentence vectors must not leak
        record["bio"] = record["bio"].split(". Ask me")[0] + "."
    source.write_text("\n".join(json.dumps(r) for r in v2), encoding="utf-8")
    _kill_after_chunks(home, source, chunks=2)

    reopened = MentorFinder.open(home, embedder=embedder)
    assert reopened.count() == 150
    versions = {int(m.bio.split()[1]) for m in reopened.mentors()}
    assert versions == {1, 2}
    _assert_consistent(reopened, {1, 2})
    report = reopened.ingest(source)
    assert report.updated and not report.added
    _assert_consistent(reopened, {2})
