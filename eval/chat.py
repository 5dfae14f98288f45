"""End-to-end retrieval through the chat, next to plain search (issue 7, item 9).

``python -m eval chat --dataset eval/datasets/goals`` sends each goal of a graded goal set (a
BEIR folder with ``qrels/SPLIT.tsv``) through the offline ``Conversation``, answers any question
with "skip", and takes the first five mentors shown: the results, or for a plan the mentors of
its sessions in order. The same goal text also goes straight to ``MentorFinder.search(text,
k=5)``. Both rankings are scored against the judgments with P@5, hit@5 and nDCG@5 (a mentor
judged 1 or 2 counts as relevant; the ``-l2`` columns count only grade 2).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.reports import write_report
from eval.retrieval import Dataset, load_dataset
from finder.dialogue.conversation import Conversation, Reply
from finder.search.embedding import Embedder
from finder.dialogue.assistant import OfflineAssistant
from finder.search.service import MentorFinder

K = 5
METRICS = ["precision@5", "hit_rate@5", "ndcg@5", "precision@5-l2", "hit_rate@5-l2"]
LABELS = {"precision@5": "P@5", "hit_rate@5": "hit@5", "ndcg@5": "nDCG@5",
          "precision@5-l2": "P@5 (grade 2)", "hit_rate@5-l2": "hit@5 (grade 2)"}
MAX_SKIPS = 3


def shown_ids(reply: Reply) -> list[str]:
    """The mentors a reply shows, in order: results, or each planned session's in turn."""
    if reply.kind == "plan":
        return [m.mentor.id for session in reply.plan for m in session.matches]
    return [m.mentor.id for m in reply.matches]


def through_chat(finder: MentorFinder, text: str,
                 offline: OfflineAssistant | None = None) -> tuple[list[str], list[str]]:
    """The first five mentors the chat shows for ``text``, and the kinds of its replies."""
    conversation = Conversation(finder, offline=offline)
    reply = conversation.send(text)
    kinds = [reply.kind]
    while reply.kind == "question" and len(kinds) <= MAX_SKIPS:
        reply = conversation.send("skip")
        kinds.append(reply.kind)
    return shown_ids(reply)[:K], kinds


def default_split(folder: str | Path) -> str:
    """The report half when the set has one, else its only judged split."""
    qrels = Path(folder) / "qrels"
    for name in ("report", "test", "dev"):
        if (qrels / f"{name}.tsv").exists():
            return name
    found = sorted(p.stem for p in qrels.glob("*.tsv"))
    if not found:
        raise FileNotFoundError(f"{qrels} holds no SPLIT.tsv judgments")
    return found[0]


def score(dataset: Dataset, ranked: dict[str, list[str]]) -> tuple[dict[str, float],
                                                                   dict[str, dict[str, float]]]:
    """Mean and per-goal metrics of one ranking per goal."""
    from ranx import Qrels, Run, evaluate

    qrels = Qrels.from_dict(dataset.qrels)
    run = Run.from_dict({q: ({d: float(len(docs) - i) for i, d in enumerate(docs)} or
                             {"__nothing__": 0.0})
                         for q, docs in ranked.items()})
    means = evaluate(qrels, run, METRICS, make_comparable=True)
    per_goal = {name: {q: float(v) for q, v in run.scores[name].items()} for name in METRICS}
    return {name: round(float(means[name]), 4) for name in METRICS}, per_goal


def compare(finder: MentorFinder, dataset: Dataset, *, progress: bool = True) -> dict[str, Any]:
    """The chat's first five mentors and plain search's, scored side by side."""
    from tqdm.auto import tqdm

    offline = OfflineAssistant(finder.embedder)
    chat: dict[str, list[str]] = {}
    search: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for qid, text in tqdm(dataset.queries.items(), desc=f"{dataset.name} chat", unit="goal",
                          disable=not progress):
        ids, kinds[qid] = through_chat(finder, text, offline)
        chat[qid] = [dataset.doc_id(i) for i in ids]
        search[qid] = [dataset.doc_id(m.mentor.id) for m in finder.search(text, k=K)]
    chat_means, chat_per = score(dataset, chat)
    search_means, search_per = score(dataset, search)
    goals = []
    for qid, text in dataset.queries.items():
        relevant = dataset.qrels[qid]
        goals.append({
            "id": qid, "text": text, "replies": kinds[qid],
            "chat": [{"id": d, "grade": relevant.get(d, 0), "title": dataset.titles.get(d, "")}
                     for d in chat[qid]],
            "search": [{"id": d, "grade": relevant.get(d, 0),
                        "title": dataset.titles.get(d, "")} for d in search[qid]],
            "chat_hit": chat_per["hit_rate@5"].get(qid, 0.0),
            "search_hit": search_per["hit_rate@5"].get(qid, 0.0)})
    return {"dataset": dataset.name, "split": dataset.split, "goals": len(dataset.queries),
            "chat": chat_means, "search": search_means,
            "chat_worse": [g["id"] for g in goals if g["chat_hit"] < g["search_hit"]],
            "chat_better": [g["id"] for g in goals if g["chat_hit"] > g["search_hit"]],
            "reply_kinds": {kind: sum(g["replies"][0] == kind for g in goals)
                            for kind in ("question", "results", "plan")},
            "per_goal": goals}


def table(report: dict[str, Any]) -> str:
    lines = [f"{report['dataset']} / {report['split']}: {report['goals']} goals, first 5 "
             "mentors shown by the chat (questions answered 'skip') vs search(goal, k=5)", "",
             "| | " + " | ".join(LABELS[m] for m in METRICS) + " |",
             "|---|" + "---|" * len(METRICS)]
    for side, label in (("chat", "chat (Conversation)"), ("search", "search(message, k=5)")):
        lines.append(f"| {label} | " + " | ".join(f"{report[side][m]:.4f}" for m in METRICS)
                     + " |")
    lines += ["", f"First replies: {report['reply_kinds']}. Goals where the chat misses a "
              f"relevant mentor that search finds: {len(report['chat_worse'])}; the reverse: "
              f"{len(report['chat_better'])}."]
    return "\n".join(lines)


def evaluate_chat(folder: str | Path, split: str | None = None, *,
                  embedder: Embedder | None = None, index_dir: str | Path | None = None,
                  corpus_mentors: str | Path | None = None,
                  progress: bool = True) -> dict[str, Any]:
    """Index the set's corpus and compare the chat with plain search on its goals."""
    dataset = load_dataset(folder, split or default_split(folder), corpus_mentors=corpus_mentors)
    with tempfile.TemporaryDirectory(prefix="mf-chat-") as tmp:
        finder = MentorFinder.open(Path(index_dir) if index_dir else Path(tmp), index="eval",
                                   embedder=embedder)
        source: Any = dataset.mentors if dataset.mentors is not None else dataset.mentors_path
        ingested = finder.ingest(source, prune=True, progress=progress)
        report = compare(finder, dataset, progress=progress)
        # A record the index rejects can't be shown by either side; say so rather than stop.
        report["rejected_records"] = [str(p) for p in ingested.errors]
        return report


def main(args: Any) -> int:
    """``python -m eval chat``."""
    folders: Sequence[str] = args.dataset or ["eval/datasets/goals"]
    for folder in folders:
        report = evaluate_chat(folder, args.split, index_dir=args.index_dir,
                               corpus_mentors=args.corpus_mentors, progress=not args.quiet)
        rendered = table(report)
        print(rendered + "\n")
        write_report(Path(args.out) / f"chat_{report['dataset']}_{report['split']}.json",
                     report, rendered)
    return 0
