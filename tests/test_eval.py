"""The evaluation commands on small fixtures, through the real model, index and dialogue."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eval.__main__ import main as eval_main
from eval.dialogue import evaluate_dialogues, load_dialogues
from eval.retrieval import evaluate_dataset, load_dataset, mentor_id_for, read_qrels

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "fixtures" / "beir_tiny"
SMALL_MENTORS = Path(__file__).resolve().parent / "fixtures" / "mentors_small.jsonl"


def test_graded_qrels_are_read_with_their_grades() -> None:
    qrels = read_qrels(TINY / "qrels" / "test.tsv")
    assert len(qrels) == 10
    assert qrels["dev-0663"] == {"occ 7/a": 2, "7127.1": 1}


def test_doc_ids_that_are_not_mentor_ids_are_mapped_and_mapped_back() -> None:
    dataset = load_dataset(TINY, "test")
    assert dataset.mentors is not None and len(dataset.mentors) == 30
    mapped = next(r["id"] for r in dataset.mentors if r["source_doc_id"] == "occ 7/a")
    assert mapped != "occ 7/a" and dataset.doc_id(mapped) == "occ 7/a"
    assert mentor_id_for("2654.1.7", set()) == "2654.1.7"
    assert mentor_id_for("2654.1.7", {"2654.1.7"}) != "2654.1.7"  # never a clash
    record = dataset.mentors[1]
    assert record["name"] == record["headline"] and record["bio"]
    assert "isco_group" in record  # metadata kept as an extra field


def test_retrieval_command_writes_json_table_plot_and_misses(tmp_path: Path, embedder,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    import eval.retrieval as retrieval

    index = tmp_path / "index"
    report, worst = evaluate_dataset(TINY, "test", pipelines=["default", "dense", "bm25"],
                                     embedder=embedder, index_dir=index, progress=False)
    assert report["queries"] == 10 and report["corpus"] == 30 and report["graded"]
    assert set(report["pipelines"]) == {"default", "dense", "bm25"}
    for name, scores in report["pipelines"].items():
        assert set(scores) >= {"ndcg@10", "mrr@10", "recall@10", "recall@100", "precision@10"}
        assert all(0.0 <= scores[m] <= 1.0 for m in ("ndcg@10", "mrr@10", "recall@10"))
        if name != "bm25":  # BM25 returns only documents that share a word with the query
            assert scores["recall@100"] == 1.0  # a 30-doc corpus is all within the top 100
    # Near-synonymous job titles: the real model finds most of them in a 30-doc corpus.
    assert report["pipelines"]["dense"]["mrr@10"] > 0.6
    assert report["pipelines"]["default"]["ndcg@10"] > 0.5
    assert all(row["ndcg"] < 1.0 and row["expected"] and row["got"] for row in worst)

    # The CLI end to end, reusing the session's model for speed.
    original = retrieval.evaluate_dataset

    def with_model(*args, **kwargs):  # type: ignore[no-untyped-def]
        return original(*args, embedder=embedder, **kwargs)

    retrieval.evaluate_dataset = with_model  # type: ignore[assignment]
    try:
        out, plot, misses = tmp_path / "r.json", tmp_path / "r.png", tmp_path / "m.jsonl"
        assert eval_main(["retrieval", "--dataset", str(TINY), "--split", "test",
                          "--pipelines", "default,bm25", "--index-dir", str(index),
                          "--json", str(out), "--plot",
                          str(plot), "--misses", str(misses), "--quiet"]) == 0
    finally:
        retrieval.evaluate_dataset = original  # type: ignore[assignment]
    data = json.loads(out.read_text())
    assert data["dataset"] == "beir_tiny" and data["split"] == "test" and data["queries"] == 10
    assert set(data["pipelines"]) == {"default", "bm25"}
    assert plot.stat().st_size > 5000 and plot.read_bytes()[:4] == b"\x89PNG"
    rows = [json.loads(line) for line in misses.read_text().splitlines()]
    assert all({"query", "expected", "got"} <= set(row) for row in rows)
    assert "| default |" in capsys.readouterr().out


def test_mentor_corpus_datasets_ingest_the_records(tmp_path: Path, embedder) -> None:
    folder = tmp_path / "goals"
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.ref").write_text("corpus: tests/fixtures/mentors_small.jsonl\n")
    mentors = [json.loads(line) for line in SMALL_MENTORS.read_text().splitlines() if line]
    target = mentors[0]
    (folder / "queries.jsonl").write_text(json.dumps(
        {"_id": "q1", "text": target["headline"] or target["bio"][:80]}) + "\n")
    (folder / "qrels" / "test.tsv").write_text(f"query-id\tcorpus-id\tscore\nq1\t{target['id']}\t2\n")
    report, _ = evaluate_dataset(folder, "test", pipelines=["default"], embedder=embedder,
                                 progress=False)
    assert report["corpus"] == len(mentors)
    assert report["pipelines"]["default"]["recall@10"] == 1.0


def test_the_shipped_goal_set_is_graded_and_its_queries_are_not_indexed() -> None:
    dataset = load_dataset(ROOT / "eval" / "datasets" / "goals", "test")
    assert len(dataset.queries) >= 60 and dataset.mentors_path is not None
    grades = [g for docs in dataset.qrels.values() for g in docs.values()]
    assert {1, 2} <= set(grades)
    assert all(any(g == 2 for g in docs.values()) for docs in dataset.qrels.values())
    bios = dataset.mentors_path.read_text(encoding="utf-8").lower()
    assert not [q for q in dataset.queries.values() if q.lower() in bios]


GRADED_SETS = {"goals": 60, "coding-coach-goals": 50, "problem-asks": 60}
SPLIT_SETS = {**GRADED_SETS, "esco-occupations": 2000}


def _rows(path: Path) -> list[tuple[str, str, int]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["query-id", "corpus-id", "score"], path
    rows = [line.split("\t") for line in lines[1:] if line.strip()]
    assert all(len(row) == 3 for row in rows), path
    return [(q, d, int(s)) for q, d, s in rows]


@pytest.mark.parametrize("name", sorted(SPLIT_SETS))
def test_shipped_sets_are_well_formed_and_split_into_disjoint_halves(name: str) -> None:
    folder = ROOT / "eval" / "datasets" / name
    queries = {json.loads(line)["_id"] for line in
               (folder / "queries.jsonl").read_text(encoding="utf-8").splitlines() if line}
    full = _rows(folder / "qrels" / ("dev.tsv" if name == "esco-occupations" else "test.tsv"))
    tune, report = _rows(folder / "qrels" / "tune.tsv"), _rows(folder / "qrels" / "report.tsv")
    judged = {q for q, _, _ in full}
    assert len(judged) >= SPLIT_SETS[name] and judged <= queries
    tune_q, report_q = {q for q, _, _ in tune}, {q for q, _, _ in report}
    assert not tune_q & report_q and tune_q | report_q == judged
    assert sorted(tune + report) == sorted(full)  # the halves are the whole set, nothing more
    assert abs(len(tune_q) - len(report_q)) <= max(2, len(judged) // 20)  # about half each
    if name == "esco-occupations":
        corpus = {json.loads(line)["_id"] for line in
                  (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if line}
    else:
        corpus = set(load_dataset(folder, "tune").titles)  # the mentors corpus.ref names
    assert {d for _, d, _ in full} <= corpus
    if name in GRADED_SETS:
        assert {s for _, _, s in full} == {1, 2}
        best = {q: max(s for q2, _, s in full if q2 == q) for q in judged}
        assert all(grade == 2 for grade in best.values())  # every goal has a direct fit
        assert len({(q, d) for q, d, _ in full}) == len(full)  # one grade per pair


def test_a_coding_coach_corpus_ref_indexes_only_the_coding_coach_mentors() -> None:
    dataset = load_dataset(ROOT / "eval" / "datasets" / "coding-coach-goals", "report")
    assert dataset.mentors is not None and len(dataset.mentors) == 298
    assert {r["source"] for r in dataset.mentors} == {"coding-coach"}
    assert set(dataset.titles) == {r["id"] for r in dataset.mentors}
    demo = load_dataset(ROOT / "eval" / "datasets" / "problem-asks", "report")
    assert demo.mentors is None and len(demo.titles) == 3305  # the whole demo file


def test_shipped_dialogues_cover_every_behaviour() -> None:
    dialogues = load_dialogues(ROOT / "eval" / "datasets" / "dialogues.jsonl")
    assert len(dialogues) >= 40
    expects = [t.get("expect", {}) for d in dialogues for t in d["turns"]]
    assert any(e.get("kind") == "question" for e in expects)
    assert any("satisfies" in e for e in expects)
    assert any(e.get("draft") for e in expects)
    assert any(e.get("sessions") for e in expects)


def test_dialogue_runner_on_a_handful_of_conversations(tmp_path: Path, embedder) -> None:
    script = tmp_path / "dialogues.jsonl"
    records = [
        {"id": "vague", "turns": [
            {"user": "I want career advice", "expect": {"kind": "question", "slot": "challenge"}},
            {"user": "how do I negotiate my first salary offer",
             "expect": {"kind": ["question", "results"]}},
            {"user": "just show me mentors", "expect": {"kind": "results"}}]},
        {"id": "email-draft", "turns": [
            {"user": "email only: how should I price my freelance design work",
             "expect": {"kind": "results", "satisfies": {"formats": ["email"]}}},
            {"user": "draft a message to the first one",
             "expect": {"kind": "draft", "draft": True, "satisfies": {"formats": ["email"]}}}]},
        {"id": "impossible", "turns": [
            {"user": "how should I price my freelance design work",
             "expect": {"kind": "draft"}}]},
    ]
    script.write_text("".join(json.dumps(r) + "\n" for r in records))
    summary = evaluate_dialogues(script, SMALL_MENTORS, embedder=embedder, progress=False)
    assert summary["dialogues"] == 3
    behaviours = summary["behaviours"]
    assert behaviours["asks_when_vague"]["checks"] >= 2
    assert {"honours_constraints", "draft_rules", "draft_honours_constraints",
            "no_repeated_question"} <= set(behaviours)
    # The third script expects the wrong thing: the runner must report it, not pass it.
    assert any(f["dialogue"] == "impossible" for f in summary["failures"])
    assert summary["transcripts"]["email-draft"][1]["kind"] == "draft"


def test_bench_on_a_tiny_size_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    result = subprocess.run(
        [sys.executable, "-m", "eval", "bench", "--sizes", "20,60", "--mentors",
         str(SMALL_MENTORS), "--queries", "10", "--json", str(out), "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    assert report["ingest"]["mentors"] == 30 and report["ingest"]["ingest_s"] > 0
    assert 0 <= report["ingest"]["outside_encoding_share"] < 1
    assert [row["mentors"] for row in report["sizes"]] == [20, 60]
    assert report["sizes"][1]["replicas"] == 30
    for row in report["sizes"]:
        assert row["latency_ms"]["default"]["p50"] > 0 and row["peak_rss_mb"] > 100
        assert row["latency_ms"]["langchain"]["p50"] > 0 and row["disk_mb"] > 0
    table = out.with_suffix(".md").read_text()
    assert "| 60 |" in table and "LangChain" in table
    assert out.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"


def test_chat_scores_are_precision_hit_and_ndcg_at_five() -> None:
    from eval.chat import score
    from eval.retrieval import Dataset

    dataset = Dataset(name="t", split="test", queries={"q1": "a", "q2": "b"},
                      qrels={"q1": {"a": 2, "b": 1}, "q2": {"c": 1}})
    means, per_goal = score(dataset, {"q1": ["x", "a", "b"], "q2": []})
    assert per_goal["precision@5"]["q1"] == pytest.approx(0.4)
    assert per_goal["hit_rate@5"] == {"q1": 1.0, "q2": 0.0}
    assert means["hit_rate@5"] == pytest.approx(0.5)
    assert means["hit_rate@5-l2"] == pytest.approx(0.5)
    assert 0 < means["ndcg@5"] < 0.5


def test_chat_command_compares_the_chat_with_search(tmp_path: Path, embedder,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import eval.chat as chat
    from finder.search.service import MentorFinder

    finder = MentorFinder.open(tmp_path / "small", embedder=embedder)
    finder.ingest(SMALL_MENTORS, progress=False)
    ids, kinds = chat.through_chat(finder, "career advice")
    assert kinds[0] == "question" and kinds[-1] in ("results", "plan") and 0 < len(ids) <= 5

    real_evaluate = chat.evaluate_chat

    def with_model(*args, **kwargs):  # type: ignore[no-untyped-def]
        return real_evaluate(*args, **dict(kwargs, embedder=embedder))

    monkeypatch.setattr(chat, "evaluate_chat", with_model)
    assert eval_main(["chat", "--dataset", str(TINY), "--out", str(tmp_path / "out"),
                      "--quiet"]) == 0
    report = json.loads((tmp_path / "out" / "chat_beir_tiny_test.json").read_text())
    assert (tmp_path / "out" / "chat_beir_tiny_test.md").read_text().count("|") > 10
    assert report["goals"] == 10 and len(report["per_goal"]) == 10
    assert report["rejected_records"] == []
    for side in ("chat", "search"):
        assert set(report[side]) == set(chat.METRICS)
        assert all(0.0 <= v <= 1.0 for v in report[side].values())
    assert all(len(g["chat"]) <= 5 and len(g["search"]) == 5 for g in report["per_goal"])
    # Job titles against a 30-occupation corpus: plain search finds most of them.
    assert report["search"]["hit_rate@5"] >= 0.7


def test_mentee_dialogues_are_many_split_and_achievable_on_the_demo_mentors() -> None:
    from eval.dialogue import load_split
    from finder.core.models import SearchFilters
    from ingest.loaders import load_mentors

    path = ROOT / "eval" / "datasets" / "dialogues_mentee.jsonl"
    dialogues = load_dialogues(path)
    assert len(dialogues) >= 64
    report, tune = load_split(path, "report"), load_split(path, "tune")
    assert len(report) + len(tune) == len(dialogues)
    assert abs(len(report) - len(tune)) <= 2
    assert len(load_split(path, None)) == len(dialogues)
    with pytest.raises(ValueError, match="no dialogue in split"):
        load_split(path, "dev")
    expects = [t["expect"] for d in dialogues for t in d["turns"]]
    users = " ".join(t["user"] for d in dialogues for t in d["turns"])
    assert sum("mentors_any" in e for e in expects) >= 60
    assert any("draft_mentions" in e for e in expects) and any("minutes" in e for e in expects)
    assert any(e.get("kind") == "plan" for e in expects)
    assert "<script>" in users and "raise" in users and "just show me" in users
    assert any(e.get("satisfies", {}).get("languages") == ["es"] for e in expects)
    mentors = load_mentors(ROOT / "data" / "demo_mentors.jsonl").mentors
    assert len(mentors) > 3000
    for dialogue in dialogues:
        for turn in dialogue["turns"]:
            expect = turn["expect"]
            if "mentors_any" not in expect:
                continue
            wanted = SearchFilters(**expect.get("satisfies", {}))
            fitting = [m for m in mentors if wanted.accepts(m) and any(
                re.search(k, " | ".join([m.headline, *m.skills]).lower())
                for k in expect["mentors_any"])]
            assert fitting, f"{dialogue['id']}: no demo mentor can meet {expect}"


def test_text_and_content_checks_of_one_turn() -> None:
    from eval.dialogue import check_turn
    from finder.dialogue.conversation import Reply
    from finder.outreach.drafting import OutreachDraft
    from finder.core.models import Match, Mentor

    mentor = Mentor(id="m1", name="Ana Ruiz", headline="Human resources manager",
                    bio="I run HR.", skills=["salary negotiation"], formats=["phone"],
                    session_minutes=[15])
    draft = OutreachDraft(mentor_id="m1", subject="Question on show me",
                          body="Hi Ana,\n\nI'd love your advice on asking for a raise? I'd prefer.",
                          questions=["What would you avoid saying?"] * 3, format="phone",
                          minutes=15)
    reply = Reply(kind="draft", text="Here is a draft to Ana.", draft=draft,
                  matches=[Match(mentor=mentor, score=0.5)])
    checks = check_turn("d", 1, reply, {"draft_mentions": ["raise", "15"], "format": "phone",
                                         "minutes": 15, "mentors_any": ["human resources"]},
                        conversation=None)  # type: ignore[arg-type]
    by = {c.behaviour: c for c in checks}
    assert by["relevant_mentors"].passed
    assert not by["texts_read_well"].passed and "show me" in by["texts_read_well"].detail
    assert not by["draft_content"].passed and "'15'" in by["draft_content"].detail
    ok = check_turn("d", 1, reply, {"texts_ok": False, "mentors_any": ["plumber"]},
                    conversation=None)  # type: ignore[arg-type]
    assert [c.behaviour for c in ok] == ["relevant_mentors"] and not ok[0].passed
