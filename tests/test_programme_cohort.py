"""Cohort matching: the solver, both objectives, capacity, and bad cohort files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from finder.core.errors import CohortError
from finder.programme.cohort import greedy, read_mentees, solve
from finder.programme.service import Programme
from finder.search.service import MentorFinder
from tests.test_programme_capacity import PRICING


def test_the_solver_beats_greedy_where_greedy_is_short_sighted() -> None:
    # Both mentees like x best; y fits only the first. Greedy gives x to the first.
    scores = {("m1", "x"): 0.9, ("m1", "y"): 0.8, ("m2", "x"): 0.7, ("m2", "z"): 0.1}
    capacity = {"x": 1, "y": 1, "z": 1}
    assert sorted(solve(scores, 1, capacity)) == [("m1", "y"), ("m2", "x")]
    assert sorted(greedy(scores, ["m1", "m2"], 1, capacity)) == [("m1", "x"), ("m2", "z")]


def test_participation_spreads_mentees_over_more_mentors() -> None:
    scores = {("a", "x"): 0.9, ("a", "y"): 0.5, ("b", "x"): 0.8, ("b", "y"): 0.6}
    unlimited = {"x": None, "y": None}
    assert sorted(solve(scores, 1, unlimited, "score")) == [("a", "x"), ("b", "x")]
    assert sorted(solve(scores, 1, unlimited, "participation")) == [("a", "x"), ("b", "y")]


def test_capacity_and_per_mentee_are_respected() -> None:
    scores = {(f"m{i}", mentor): 1.0 - i / 10 for i in range(5) for mentor in "xyz"}
    chosen = solve(scores, 2, {"x": 1, "y": 2, "z": 0})
    assert sum(1 for _, mentor in chosen if mentor == "x") <= 1
    assert not any(mentor == "z" for _, mentor in chosen)
    assert len(chosen) == 3


@pytest.fixture
def programme(tmp_path: Path, hashing_embedder) -> Programme:  # type: ignore[no-untyped-def]
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    finder.ingest(PRICING)
    return Programme.open(finder, index="acme")


def test_match_cohort_gives_pairs_with_reasons_and_drafts(programme: Programme,
                                                          tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("id,name,goal,format\n"
                      "u1,Ana,pricing my freelance design work,\n"
                      "u2,Bo,how to price design projects and quotes,\n"
                      "u3,Cy,pricing freelance design rates,\n")
    result = programme.match_cohort(read_mentees(cohort), per_mentee=1)
    assert len(result.pairs) == 3 and not result.unmatched
    assert len({p.mentor_id for p in result.pairs}) == 3  # every pricing mentor takes one a week
    pair = result.pairs[0]
    assert pair.reason and pair.draft.body.startswith("Hi ") and pair.draft.mentor_id == pair.mentor_id
    programme.requests.record(result.pairs[0].mentor_id, "pricing", "earlier")
    full = programme.match_cohort(read_mentees(cohort), per_mentee=1, respect_capacity=True)
    assert result.pairs[0].mentor_id not in {p.mentor_id for p in full.pairs}
    assert programme.requests.counts() == {"sent": 1}  # matching records nothing


def test_bad_cohort_files_say_what_to_fix(tmp_path: Path) -> None:
    no_goal = tmp_path / "no_goal.csv"
    no_goal.write_text("id,name,question\nu1,Ana,pricing\n")
    with pytest.raises(CohortError, match="no goal column"):
        read_mentees(no_goal)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,goal,format\nu1,Ana,pricing my work,carrier pigeon\n"
                   "u2,Bo,sales help,\nu2,Cy,hiring help,email\n")
    with pytest.raises(CohortError) as caught:
        read_mentees(bad)
    message = str(caught.value)
    assert "row 2, formats" in message and "video" in message
    assert "row 4, id: 'u2' appears twice" in message
    with pytest.raises(CohortError, match="can't read"):
        read_mentees(tmp_path / "missing.csv")


def test_match_command(tmp_path: Path, capsys, cli_embedder) -> None:  # type: ignore[no-untyped-def]
    from tests.test_cli import CSV, _run

    mentors = tmp_path / "mentors.csv"
    mentors.write_text(CSV, encoding="utf-8")
    assert _run(capsys, "ingest", str(mentors))[0] == 0
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("id,name,goal,format,length\n"
                      "u1,Ana,how should I price my freelance design work,,\n"
                      "u2,Bo,tax return for my cafe,email,20\n", encoding="utf-8")
    code, out, _ = _run(capsys, "match", str(cohort), "--per-mentee", "1", "--json")
    assert code == 0
    pairs = {p["mentee_id"]: p for p in json.loads(out)["pairs"]}
    assert pairs["u1"]["mentor_id"] == "pr-1" and pairs["u2"]["mentor_id"] == "pr-4"
    assert pairs["u1"]["draft"]["body"].startswith("Hi Ada")
    code, out, _ = _run(capsys, "match", str(cohort))
    assert code == 0 and "Ana → Ada Moss" in out and "total score" in out
    cohort.write_text("id,name,question\nu1,Ana,pricing\n", encoding="utf-8")
    code, out, err = _run(capsys, "match", str(cohort))
    assert code == 1 and "no goal column" in err and not out

    code, out, _ = _run(capsys, "requests", "sent", "pr-1", "cli-session", "price my design work")
    assert code == 0 and "sent" in out and "pr-1" in out
    code, out, err = _run(capsys, "requests", "status", "1", "done")
    assert code == 1 and "is sent; it can't become done" in err
    assert _run(capsys, "requests", "status", "1", "accepted")[0] == 0
    assert _run(capsys, "requests", "rate", "1", "yes")[0] == 0
    code, out, _ = _run(capsys, "requests", "--json")
    assert [(r["status"], r["fit"]) for r in json.loads(out)] == [("done", "yes")]
    code, out, _ = _run(capsys, "requests", "export", str(tmp_path / "fb"))
    assert code == 0 and "1 graded judgment written" in out
    code, _, err = _run(capsys, "requests", "sent", "nobody", "s", "pricing")
    assert code == 1 and "nobody" in err


def test_cohort_benchmark_on_a_small_index(tmp_path: Path, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    from eval.cohort import generate_mentees, run, table

    mentees, origin = generate_mentees(40, seed=3)
    assert generate_mentees(40, seed=3)[0] == mentees  # seeded: the same cohort every run
    assert len({m.goal for m in mentees}) > 20 and set(origin) == {m.id for m in mentees}
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    finder.ingest([{**r, "formats": ["video", "email", "phone"]} for r in PRICING])
    report = run(finder, 40, 2, seed=3)
    by = {r["method"]: r for r in report["results"]}
    assert by["optimal: score"]["total_score"] >= by["greedy"]["total_score"]
    assert by["optimal: participation"]["mentors_used"] >= by["optimal: score"]["mentors_used"]
    assert all(r["mentors_over_capacity"] == 0 for r in report["results"])
    assert "| greedy |" in table(report)


def test_exposure_replay_on_a_small_index(tmp_path: Path, hashing_embedder) -> None:  # type: ignore[no-untyped-def]
    from eval.exposure import choose_margin, ndcg, run, sessions, table

    assert ndcg(["a", "b"], {"a": 2, "b": 1}) == pytest.approx(1.0)
    assert ndcg(["b", "a"], {"a": 2, "b": 1}) < 1.0
    tune, tune_origin, _ = sessions("tune", 200, seed=5)
    _, report_origin, _ = sessions("report", 200, seed=5)
    assert not set(tune_origin.values()) & set(report_origin.values())  # disjoint halves
    assert {a[:2] for a in tune_origin.values()} == {"g0", "g1", "g2", "g3", "g4", "g5", "g6",
                                                      "pa"}  # both goal sets, mixed
    assert len({m.goal for m in tune}) > 100
    finder = MentorFinder.open(tmp_path / "index", index="acme", embedder=hashing_embedder)
    many = [{**r, "id": f"{r['id']}-{n}", "formats": ["video", "email", "phone"],
             "session_minutes": [15, 30]} for r in PRICING for n in range(4)]
    finder.ingest(many)  # 16 mentors, 10 shown per session
    result = run(finder, 30, 5, "tune", [0.05, 1.0], tmp_path / "work")
    by = {r["run"]: r for r in result["results"]}
    assert set(by) == {"relevance", "capacity", "capacity + fairness (margin 0.05)",
                       "capacity + fairness (margin 1)"}
    assert by["relevance"]["mentors_over_capacity"] >= 1  # everyone asks the same top mentor
    assert all(r["mentors_over_capacity"] == 0 for r in result["results"][1:])
    # A wide margin rotates who is shown: impressions spread out.
    assert by["capacity + fairness (margin 1)"]["impression_gini"] < \
        by["capacity"]["impression_gini"]
    assert "| relevance |" in table(result)
    fake = {"results": [
        {"margin": None, "ndcg_loss": 0.0, "mentors_over_capacity": 0, "impression_gini": 0.9},
        {"margin": 0.05, "ndcg_loss": 0.004, "mentors_over_capacity": 0, "impression_gini": 0.8},
        {"margin": 0.1, "ndcg_loss": 0.02, "mentors_over_capacity": 0, "impression_gini": 0.6}]}
    assert choose_margin(fake) == 0.05 and choose_margin(fake, max_loss=0.05) == 0.1


def test_requests_listing_reads_as_a_programme_manager_would(tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                             cli_embedder) -> None:
    """An empty listing says so (it printed nothing); a long ask ends on a whole word with
    an ellipsis (it was cut mid-word at 60 characters); one judgment is one, not 'judgments'."""
    from tests.test_cli import CSV, _run

    mentors = tmp_path / "mentors.csv"
    mentors.write_text(CSV, encoding="utf-8")
    assert _run(capsys, "ingest", str(mentors))[0] == 0
    code, out, _ = _run(capsys, "requests")
    assert code == 0 and "No requests" in out
    ask = ("I run a tiny ceramics studio and want to know how to price commissioned dinner "
           "sets for restaurants")
    assert _run(capsys, "requests", "sent", "pr-1", "studio-7", ask)[0] == 0
    code, out, _ = _run(capsys, "requests")
    shown = out.strip().split("  ")[-1]
    assert shown.endswith("…"), out
    assert ask.startswith(shown.removesuffix("…").rstrip()), out
    assert ask[len(shown.removesuffix("…").rstrip())] == " ", out  # ends on a whole word
    assert _run(capsys, "requests", "status", "1", "accepted")[0] == 0
    assert _run(capsys, "requests", "rate", "1", "yes")[0] == 0
    code, out, _ = _run(capsys, "requests", "export", str(tmp_path / "fb"))
    assert code == 0 and "1 graded judgment written" in out
