"""The `mentor-finder` command as a user and a script would use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from finder.ui.cli import main

CSV = """id,name,headline,bio,skills,formats,session_minutes,languages,timezone
pr-1,Ada Moss,Freelance pricing coach,I help designers price freelance work and write proposals.,pricing;proposals,video;email,15;30,en;de,Europe/Berlin
pr-2,Bea Lund,Payroll specialist,I run payroll for small shops and explain payslips.,payroll,phone,30,en,Europe/Oslo
pr-3,Cal Ortiz,Bad record,This row has a format nobody offers.,x,zoom,30,en,Europe/Madrid
pr-4,Dee Park,Tax adviser,I prepare tax returns for bakeries and cafes.,tax;bookkeeping,email,20,en,Asia/Seoul
"""


@pytest.fixture
def mentors_csv(tmp_path: Path) -> Path:
    path = tmp_path / "mentors.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


def test_ingest_search_stats(mentors_csv: Path, capsys, cli_embedder) -> None:  # type: ignore[no-untyped-def]
    code, out, err = _run(capsys, "ingest", str(mentors_csv))
    assert code == 0
    assert "3 added" in out and "1 rejected" in out
    assert "mentors.csv, row 4" in err and "formats" in err and "zoom" in err

    code, out, _ = _run(capsys, "search", "how should I price my freelance design work", "-k", "2")
    assert code == 0
    assert out.startswith("1. Ada Moss")
    assert "Why:" in out and "video, email" in out

    code, out, _ = _run(capsys, "search", "tax help", "--format", "email", "--max-minutes", "20",
                        "--json")
    assert code == 0
    matches = json.loads(out)
    assert [m["mentor"]["id"] for m in matches] == ["pr-4", "pr-1"]  # pr-2: phone, 30 min
    assert matches[0]["reasons"]["signals"]

    code, out, _ = _run(capsys, "stats", "--json")
    assert code == 0 and json.loads(out)["mentors"] == 3


def test_strict_and_prune(mentors_csv: Path, tmp_path: Path, capsys, cli_embedder) -> None:  # type: ignore[no-untyped-def]
    code, _, err = _run(capsys, "ingest", str(mentors_csv), "--strict")
    assert code == 1
    assert err.startswith("mentor-finder: error:") and "strict" in err
    code, out, _ = _run(capsys, "stats", "--json")
    assert json.loads(out)["mentors"] == 0

    _run(capsys, "ingest", str(mentors_csv))
    smaller = tmp_path / "smaller.csv"
    smaller.write_text("\n".join(CSV.splitlines()[:2]) + "\n", encoding="utf-8")
    code, out, _ = _run(capsys, "ingest", str(smaller), "--prune", "--json")
    report = json.loads(out)
    assert code == 0 and report["unchanged"] == ["pr-1"] and sorted(report["removed"]) == [
        "pr-2", "pr-4"]


# A real process (python -m, its exit code, nothing on stderr but the error): slow only for the
# second interpreter it starts; tests/test_bad_input.py::test_cli_errors_are_one_line reads the
# same error in-process in the fast run.
@pytest.mark.slow
def test_errors_are_one_line_and_non_zero(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTOR_FINDER_")}
    env.update(MENTOR_FINDER_HOME=str(tmp_path / "home"), HF_HUB_OFFLINE="1")
    result = subprocess.run([sys.executable, "-m", "finder.ui.cli", "ingest",
                             str(tmp_path / "missing.jsonl")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("mentor-finder: error:") and "missing.jsonl" in lines[-1]
    assert "not found" in lines[-1]
    assert "Traceback" not in result.stderr
