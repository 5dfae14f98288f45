"""One index, several real processes: nothing lost, nothing stale, totals from the store.

Logic tests: the processes use the hashing embedder (tests/fakes.py), so each starts in about a
second; the model is not what is under test here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from finder import MentorNotFound
from finder.search.service import MentorFinder
from tests.fakes import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import json, sys
    from finder.search import service
    from finder.search.service import MentorFinder
    from finder.search.store import ChromaStore
    from tests.fakes import HashingEmbedder

    service.WRITE_CHUNK = 20
    service.ENCODE_GROUP = 20
    command, home = sys.argv[1], sys.argv[2]
    pause_at = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    profile_writes = 0
    original = ChromaStore.upsert

    def upsert(self, ids, *args, **kwargs):
        # Pause before the profile rows (the commit point) of write number ``pause_at``: the
        # sentence vectors of that chunk are stored, the mentors are not yet committed.
        global profile_writes
        if not self.name.endswith("-sentences"):
            profile_writes += 1
            if profile_writes == pause_at:
                print("paused", flush=True)
                sys.stdin.readline()
        return original(self, ids, *args, **kwargs)

    ChromaStore.upsert = upsert
    mf = MentorFinder.open(home, embedder=HashingEmbedder())
    if command == "ingest":
        report = mf.ingest(sys.argv[3], prune="--prune" in sys.argv)
        print("report " + report.model_dump_json(), flush=True)
    elif command == "read-then-ingest":
        print("read " + json.dumps({"stats": mf.stats(), "found": [
            m.mentor.id for m in mf.search("bakery tax returns", k=3)]}), flush=True)
        report = mf.ingest(sys.argv[3])
        print("report " + report.model_dump_json(), flush=True)
    elif command == "read":
        print("read " + json.dumps({"stats": mf.stats(), "found": [
            m.mentor.id for m in mf.search("bakery tax returns", k=3)]}), flush=True)
""")

TOPICS = ["pricing freelance design work", "negotiating a first salary",
          "tax returns for a bakery", "hiring a first engineer"]


def _write(path: Path, prefix: str, n: int) -> Path:
    records = [{"id": f"{prefix}-{i:03d}", "name": f"Mentor {prefix} {i}",
                "bio": f"I help with {TOPICS[i % 4]}. I did it for {i + 1} years. "
                       f"Ask me about case {prefix} {i}."}
               for i in range(n)]
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def _start(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False")
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)


def _line(child: subprocess.Popen[str], prefix: str) -> str:
    assert child.stdout is not None
    while True:
        line = child.stdout.readline()
        assert line, f"the child ended before printing {prefix!r} (exit {child.wait()})"
        if line.startswith(prefix):
            return line[len(prefix):].strip()


def _resume(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.write("\n")
    child.stdin.flush()


def _assert_whole(home: Path, expected: int) -> None:
    """A fresh process's view: every mentor with all of its sentence vectors, nothing else."""
    mf = MentorFinder.open(home, embedder=HashingEmbedder())
    assert mf.count() == expected
    assert mf._incomplete(mf.ids()) == set()
    rows = set(mf.layout.sentences.get(include=[])["ids"])
    assert rows == {r for i in mf.ids() for r in mf._versions[i].sentence_ids()}
    assert not mf._marker.left_behind


@pytest.mark.slow  # a second Python process writing while this one reads
def test_a_reader_opening_mid_write_deletes_nothing(tmp_path: Path) -> None:
    """The audit's reproduction: opening (even for `stats`) while another process writes."""
    home = tmp_path / "home"
    source = _write(tmp_path / "a.jsonl", "a", 60)
    writer = _start("ingest", str(home), str(source), "2")
    _line(writer, "paused")  # chunk 2's sentence vectors are stored, its profiles are not

    reader = _start("read", str(home))
    read = json.loads(_line(reader, "read "))
    assert reader.wait(timeout=120) == 0
    assert read["stats"]["mentors"] == 20  # the first chunk is committed
    in_process = MentorFinder.open(home, embedder=HashingEmbedder())
    assert in_process.count() == 20
    marker = home / "mentors-default.writing"
    assert json.loads(marker.read_text())["pid"] == writer.pid  # still the writer's

    _resume(writer)
    report = json.loads(_line(writer, "report "))
    assert writer.wait(timeout=120) == 0
    assert len(report["added"]) == 60 and report["total"] == 60
    _assert_whole(home, 60)
    # The reader that opened mid-write now sees the whole index without reopening.
    assert in_process.count() == 60
    assert in_process.search("case a 45", k=1)[0].mentor.id == "a-045"


@pytest.mark.slow  # two more Python processes ingesting and reading at once
def test_ingest_while_another_process_reads_and_ingests(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = _write(tmp_path / "a.jsonl", "a", 60)
    second = _write(tmp_path / "b.jsonl", "b", 40)
    long_running = MentorFinder.open(home, embedder=HashingEmbedder())  # like the web app
    assert long_running.search("bakery tax returns") == []

    writer = _start("ingest", str(home), str(first), "2")
    _line(writer, "paused")
    other = _start("read-then-ingest", str(home), str(second))
    read = json.loads(_line(other, "read "))  # reads do not wait for the writer
    assert read["stats"]["mentors"] == 20 and len(read["found"]) == 3
    assert long_running.count() == 0  # it reloads when a whole write has committed

    _resume(writer)  # the other ingest waits for the writer lock, then runs
    reports = [json.loads(_line(child, "report ")) for child in (writer, other)]
    assert writer.wait(timeout=120) == 0 and other.wait(timeout=120) == 0
    assert [len(r["added"]) for r in reports] == [60, 40]
    assert sorted(r["total"] for r in reports) == [60, 100]  # counted after each write
    _assert_whole(home, 100)
    assert long_running.count() == 100
    assert long_running.search("case b 7", k=1)[0].mentor.id == "b-007"

    # A prune in another process: the running process never shows a removed mentor again.
    assert long_running.search("case a 12", k=1)[0].mentor.id == "a-012"
    pruned = _start("ingest", str(home), str(second), "0", "--prune")
    report = json.loads(_line(pruned, "report "))
    assert pruned.wait(timeout=120) == 0
    assert len(report["removed"]) == 60 and report["total"] == 40
    found = {m.mentor.id for m in long_running.search("case a 12", k=10)}
    assert found and all(i.startswith("b-") for i in found)
    with pytest.raises(MentorNotFound):
        long_running.get("a-012")
    _assert_whole(home, 40)


def test_reingest_repairs_a_mentor_with_missing_vectors(tmp_path: Path) -> None:
    """The audit's aftermath: sentence vectors gone, yet the record's hash is unchanged."""
    home = tmp_path / "home"
    source = _write(tmp_path / "a.jsonl", "a", 10)
    mf = MentorFinder.open(home, embedder=HashingEmbedder())
    mf.ingest(source)
    lost = mf._versions["a-003"].sentence_ids()
    mf.layout.sentences.delete(ids=lost)  # as the old open-time sweep did to a live writer
    report = mf.ingest(source)
    assert report.repaired == ["a-003"] and len(report.unchanged) == 9
    assert "1 repaired" in report.summary() and report.total == 10
    _assert_whole(home, 10)
