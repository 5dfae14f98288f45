"""The audit's bad inputs, through the Python API and the CLI: one clear error of the right
class that names the field, never a traceback, and the index left as it was."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from finder import (
    ArgumentError,
    ConfigError,
    IngestError,
    MentorFinderError,
    QueryError,
    SearchFilters,
)
from finder.core.text import strip_controls
from finder.search.service import MentorFinder
from finder.ui.cli import main
from tests.fakes import HashingEmbedder

MENTORS = [
    {"id": i, "name": f"Mentor {i}", "bio": f"I help people price freelance work, case {i}.",
     "formats": ["video"]}
    for i in ("1", "2", "12")
]


@pytest.fixture
def finder(tmp_path: Path) -> MentorFinder:
    mf = MentorFinder.open(tmp_path / "home", embedder=HashingEmbedder())
    mf.ingest(MENTORS)
    return mf


def _snapshot(mf: MentorFinder) -> tuple[Any, ...]:
    fresh = MentorFinder.open(mf.home, embedder=HashingEmbedder())
    return (sorted((m.id, m.content_hash()) for m in fresh.mentors()),
            fresh.layout.count())


API_CASES: list[tuple[str, Callable[[MentorFinder], Any], type[Exception], str]] = [
    ("k as text", lambda mf: mf.search("pricing", k="5"), QueryError, "k"),
    ("k as bool", lambda mf: mf.search("pricing", k=True), QueryError, "k"),
    ("k negative", lambda mf: mf.search("pricing", k=-1), QueryError, "k"),
    ("query not text", lambda mf: mf.search(42), QueryError, "query"),
    ("only punctuation", lambda mf: mf.search("?!... ---"), QueryError, "letters or digits"),
    ("only emoji", lambda mf: mf.search("\U0001f600\U0001f680"), QueryError, "letters or digits"),
    ("filters as dict", lambda mf: mf.search("pricing", filters={"formats": ["video"]}),
     QueryError, "SearchFilters"),
    ("negative minutes", lambda mf: mf.search("pricing", filters=SearchFilters(max_minutes=-5)),
     QueryError, "max_minutes"),
    ("typo in a filter", lambda mf: mf.search("pricing", filters=SearchFilters(
        format=["video"])), QueryError, "format"),
    ("diversity as text", lambda mf: mf.search("pricing", diversity="lots"), QueryError,
     "diversity"),
    ("delete a number", lambda mf: mf.delete(12), ArgumentError, "mentor_ids"),
    ("delete numbers", lambda mf: mf.delete([1, 2]), ArgumentError, "ids are text"),
    ("ingest one dict", lambda mf: mf.ingest(MENTORS[0]), IngestError, "single"),
    ("strict with a bad record", lambda mf: mf.ingest(
        [dict(MENTORS[0], bio="changed"), {"id": "x", "name": "X", "bio": "b",
                                            "years_experience": True}], strict=True),
     IngestError, "years_experience"),
]


@pytest.mark.parametrize("call, error, field", [c[1:] for c in API_CASES],
                         ids=[c[0] for c in API_CASES])
def test_api_refuses_with_a_finder_error_naming_the_field(
        finder: MentorFinder, call: Callable[[MentorFinder], Any], error: type[Exception],
        field: str) -> None:
    before = _snapshot(finder)
    with pytest.raises(error, match=field) as caught:
        call(finder)
    assert isinstance(caught.value, MentorFinderError)
    assert _snapshot(finder) == before


def test_delete_takes_one_id_as_one_id(finder: MentorFinder) -> None:
    assert finder.delete("12") == ["12"]
    assert finder.ids() == ["1", "2"]
    assert finder.delete(iter(["1", "nope"])) == ["1"]


def test_open_on_a_file_is_a_config_error(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not an index")
    with pytest.raises(ConfigError, match="notes.txt"):
        MentorFinder.open(a_file, embedder=HashingEmbedder())
    with pytest.raises(ConfigError):
        MentorFinder.open(a_file / "below", embedder=HashingEmbedder())


BIG = "9" * 5000
RECORD_CASES = [
    ("years_experience: true", '{"id": "r1", "name": "R", "bio": "b", "years_experience": true}',
     "years_experience"),
    ("session_minutes: []", '{"id": "r2", "name": "R", "bio": "b", "session_minutes": []}',
     "session_minutes"),
    ("a 1 MB skill", json.dumps({"id": "r3", "name": "R", "bio": "b", "skills": ["s" * 10**6]}),
     "skills"),
    ("200 skills", json.dumps({"id": "r4", "name": "R", "bio": "b",
                               "skills": [f"s{i}" for i in range(200)]}), "skills"),
    ("a huge unknown field", json.dumps({"id": "r5", "name": "R", "bio": "b", "cv": "x" * 10**5}),
     "schema doesn't know"),
    ("a 5,000-digit number", '{"id": "r6", "name": "R", "bio": "b", "years_experience": '
     + BIG + "}", "5,000 digits"),
    ("nested 100,000 deep", '{"id": "r7", "name": "R", "bio": "b", "x": ' + "[" * 100_000
     + "]" * 100_000 + "}", "nested too deeply"),
    ("nested 20 deep", '{"id": "r8", "name": "R", "bio": "b", "x": ' + "[" * 20 + "]" * 20 + "}",
     "nested more than"),
]


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_each_bad_record_is_that_records_error(finder: MentorFinder, tmp_path: Path,
                                               suffix: str) -> None:
    good = json.dumps({"id": "ok", "name": "Ok \x1b[2J\x1b]0;owned\x07Mentor",
                       "bio": "I help people with bakery tax returns.\x07"})
    lines = [good] + [line for _, line, _ in RECORD_CASES]
    path = tmp_path / f"mixed{suffix}"
    text = "\n".join(lines) if suffix == ".jsonl" else "[" + ",\n".join(lines) + "]"
    path.write_text(text, encoding="utf-8")
    report = finder.ingest(path)
    assert report.added == ["ok"] and report.total == 4
    assert len(report.errors) == len(RECORD_CASES)
    for problem, (name, _, expected) in zip(report.errors, RECORD_CASES):
        assert expected in str(problem), name
    stored = finder.get("ok")
    assert stored.name == "Ok Mentor" and stored.bio.endswith("returns.")


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


@pytest.fixture
def cli_on_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI opens indexes with the test embedder (an index refuses another model)."""
    import finder.compose

    monkeypatch.setattr(finder.compose, "MiniLMEmbedder", HashingEmbedder)


@pytest.mark.usefixtures("cli_on_hashing")
def test_cli_errors_are_one_line(finder: MentorFinder, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    home = str(finder.home)
    before = _snapshot(finder)
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    cases = [
        (["--home", home, "search", "pricing", "--max-minutes", "-5"], "max_minutes"),
        (["--home", home, "search", "?!?!"], "letters or digits"),
        (["--home", home, "search", "pricing", "-k", "500"], "k must be"),
        (["--home", str(a_file), "stats"], "is a file"),
        (["--home", str(a_file / "below"), "ingest", "x.jsonl"], "can't be used"),
        (["--home", str(tmp_path / "typo"), "search", "pricing"], "no index"),
        (["--home", str(tmp_path / "typo"), "stats"], "no index"),
        (["--home", home, "ingest", str(tmp_path / "missing.jsonl")], "file not found"),
    ]
    for argv, expected in cases:
        code, out, err = _cli(capsys, *argv)
        lines = [line for line in err.splitlines() if line.strip()]
        assert code == 1 and len(lines) == 1, (argv, err)
        assert lines[0].startswith("mentor-finder: error:") and expected in lines[0], argv
        assert "Traceback" not in err and not out
    assert not (tmp_path / "typo").exists()  # a mistyped --home creates nothing
    assert _snapshot(finder) == before


@pytest.mark.usefixtures("cli_on_hashing")
def test_cli_says_when_it_creates_an_index(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "m.jsonl"
    source.write_text(json.dumps(MENTORS[0]), encoding="utf-8")
    code, out, err = _cli(capsys, "--home", str(tmp_path / "new"), "ingest", str(source))
    assert code == 0 and "created a new index in" in err and "holds 1 mentors" in out


def test_busy_port_says_use_port(capsys: pytest.CaptureFixture[str]) -> None:
    import app

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert app.main(["--port", str(port), "--no-seed"]) == 2
    err = capsys.readouterr().err
    assert "--port" in err and "GRADIO_SERVER_PORT" not in err and "Traceback" not in err


def test_control_characters_are_stripped() -> None:
    assert strip_controls("Ana\x1b[2J\x1b]0;title\x07 Ruiz\x9b31m\x85!") == "Ana Ruiz!"
    assert strip_controls("line one\nline\ttwo") == "line one\nline\ttwo"


# Session 8 read-through: eight ESCO bios came with UTF-8 read as Latin-1 upstream ("education
# toÂ students"), and the cards and drafts showed it.
def test_text_decoded_with_the_wrong_encoding_is_repaired() -> None:
    from finder.core.models import Mentor
    mentor = Mentor(id="m-1", name="JosÃ© Ruiz", headline="Music teacher",
                    bio="Music teachers provide education toÂ\xa0students.",
                    skills=["cafÃ© management"])
    assert mentor.name == "José Ruiz"
    assert mentor.bio == "Music teachers provide education to\xa0students."
    assert mentor.skills == ["café management"]


def test_text_in_the_right_encoding_is_left_as_written() -> None:
    from finder.core.models import Mentor
    mentor = Mentor(id="m-2", name="Zoë Šimić", headline="“Quoted” – 東京 design",
                    bio="Naïve café owner. Ça va? Ä, Ö and Ü are letters; Â too.")
    assert (mentor.name, mentor.headline, mentor.bio) == (
        "Zoë Šimić", "“Quoted” – 東京 design",
        "Naïve café owner. Ça va? Ä, Ö and Ü are letters; Â too.")
