"""``python -m eval retrieval`` on every set's report half, with the vectors cached on disk.

Same code path as the command (a real index, every pipeline), except that the embedder keeps
what it encodes in /tmp/ranking/cache, so the slow encode happens once per corpus.

    python eval/experiments/ranking_report.py goals,cc,problems,esco
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from eval.experiments.ranking_data import embedder  # noqa: E402
from eval.retrieval import ALL_PIPELINES, evaluate_dataset, plot, table  # noqa: E402

RESULTS = Path(__file__).resolve().parents[1] / "results"
SETS = {"esco": ("esco-occupations", "esco_report"), "goals": ("goals", "goals_report"),
        "cc": ("coding-coach-goals", "coding_coach_report"),
        "problems": ("problem-asks", "problem_asks_report")}


def _worktree_data() -> None:
    """In a worktree whose installed package points at another checkout's data folder, read
    the bridge file from this checkout."""
    import finder.search.bridge as bridge

    here = Path(__file__).resolve().parents[2] / "data"
    if not bridge.bundled_file("data", bridge.BRIDGE_FILE).exists():
        bridge.bundled_file = lambda folder, name: here / name  # type: ignore[assignment]


def main() -> None:
    _worktree_data()
    keys = sys.argv[1].split(",")
    pipelines = sys.argv[2].split(",") if len(sys.argv) > 2 else ALL_PIPELINES
    emb = embedder()
    for key in keys:
        folder, out = SETS[key]
        report, worst = evaluate_dataset(Path("eval/datasets") / folder, "report",
                                         pipelines=pipelines, embedder=emb, progress=False)
        (RESULTS / f"{out}.json").write_text(json.dumps(report, indent=2) + "\n")
        (RESULTS / f"{out}.md").write_text(table(report) + "\n")
        if key != "esco":
            plot(report, RESULTS / f"{out}.png")
            with (RESULTS / f"{out}_misses.jsonl").open("w", encoding="utf-8") as handle:
                for row in worst:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(table(report), flush=True)


if __name__ == "__main__":
    main()
