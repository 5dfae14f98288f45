"""``python -m eval {retrieval,dialogue,messages,chat,bench,load,firstrun,cohort,exposure}``:
evaluation."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

RESULTS = "eval/results"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    retrieval = commands.add_parser(
        "retrieval", help="nDCG/MRR/recall of each ranking pipeline on a BEIR-format dataset")
    retrieval.add_argument("--dataset", required=True,
                           help="folder with queries.jsonl, qrels/SPLIT.tsv and a corpus")
    retrieval.add_argument("--split", default="dev", help="qrels/NAME.tsv to score (default dev)")
    retrieval.add_argument("--pipelines", default="default,previous,dense,bm25,rrf,dense-sentences",
                           help="comma-separated pipeline names")
    retrieval.add_argument("--k", type=int, default=10, help="metric cut-off (default 10)")
    retrieval.add_argument("--json", help="write the metrics here (and a .md table beside it)")
    retrieval.add_argument("--plot", help="write a bar chart (PNG) here")
    retrieval.add_argument("--misses", help="write the default pipeline's worst queries (JSONL)")
    retrieval.add_argument("--corpus-mentors",
                           help="index these mentor records instead of the dataset's corpus")
    retrieval.add_argument("--shipped",
                           help="take document vectors from this shipped-vector file where "
                                "they fit exactly (e.g. data/demo_vectors.npz), as seeding does")
    retrieval.add_argument("--index-dir",
                           help="keep the index here and reuse it (default: a temporary one)")
    retrieval.add_argument("--sample", type=int,
                           help="score a seeded random sample of N queries (quick runs)")
    retrieval.add_argument("--quiet", action="store_true", help="no progress bars")

    dialogue = commands.add_parser(
        "dialogue", help="scripted conversations against the offline Conversation")
    dialogue.add_argument("--dialogues", "--dataset", dest="dialogues",
                          default="eval/datasets/dialogues.jsonl",
                          help="the dialogues (JSONL), e.g. eval/datasets/dialogues_mentee.jsonl")
    dialogue.add_argument("--split", default=None,
                          help="run only the dialogues of this split (tune or report)")
    dialogue.add_argument("--mentors", default="data/demo_mentors.jsonl",
                          help="mentor records to index")
    dialogue.add_argument("--index-dir", help="keep the index here and reuse it")
    dialogue.add_argument("--json", help="write the results here")
    dialogue.add_argument("--only", help="comma-separated dialogue ids to run")
    dialogue.add_argument("--quiet", action="store_true")

    messages = commands.add_parser(
        "messages", help="generated mentee messages through the chat; every shown text checked")
    messages.add_argument("--mentors", default="data/demo_mentors.jsonl")
    messages.add_argument("--index-dir", help="keep the index here and reuse it")
    messages.add_argument("--split", default=None, help="tune, report or all (default all)")
    messages.add_argument("--json", help="write the results here (and a .md beside it)")
    messages.add_argument("--quiet", action="store_true")

    chat = commands.add_parser(
        "chat", help="P@5/hit@5/nDCG@5 of the mentors the chat shows vs plain search, per goal set")
    chat.add_argument("--dataset", action="append",
                      help="a graded goal set (BEIR folder); repeat for several "
                           "(default eval/datasets/goals)")
    chat.add_argument("--split", default=None,
                      help="qrels/NAME.tsv to score (default: report if present, else test/dev)")
    chat.add_argument("--corpus-mentors", help="index these mentor records instead")
    chat.add_argument("--index-dir", help="keep the index here and reuse it")
    chat.add_argument("--out", default=RESULTS, help=f"where to write (default {RESULTS})")
    chat.add_argument("--quiet", action="store_true")

    bench = commands.add_parser("bench", help="ingest throughput, search latency, memory")
    bench.add_argument("--sizes", default="3300,33000,100000",
                       help="index sizes in mentors (comma-separated)")
    bench.add_argument("--mentors", default="data/demo_mentors.jsonl",
                       help="the base mentor records")
    bench.add_argument("--limit", type=int, default=None,
                       help="use only the first N base mentors (for quick runs)")
    bench.add_argument("--queries", type=int, default=200, help="timed queries per size")
    bench.add_argument("--work-dir", help="where the indexes are built (default: temporary)")
    bench.add_argument("--json", help="write the results here")
    bench.add_argument("--markdown", help="write the markdown table here")
    bench.add_argument("--plot", help="write the latency plot (PNG) here")
    bench.add_argument("--quiet", action="store_true")
    bench.add_argument("--worker", help=argparse.SUPPRESS)  # one size, in a subprocess

    load = commands.add_parser(
        "load", help="many concurrent sessions against the real web app (gradio_client)")
    load.add_argument("--sessions", type=int, default=50, help="concurrent mentees (default 50)")
    load.add_argument("--duration", type=float, default=120.0,
                      help="seconds during which turns start (default 120)")
    load.add_argument("--server", action="store_true",
                      help="run it again with the vectors on a Chroma server (`chroma run`)")
    load.add_argument("--json", help="write the results here")
    load.add_argument("--plot", help="write the latency-over-time plot (PNG) here")
    load.add_argument("--keep", action="store_true", help="keep the app's data folder")
    load.add_argument("--mentors", help="seed these mentor records instead of the demo set")

    firstrun = commands.add_parser(
        "firstrun", help="seconds from starting app.py on a fresh data folder to a served page")
    firstrun.add_argument("--runs", type=int, default=3)
    firstrun.add_argument("--json", help="write the results here")
    cohort = commands.add_parser("cohort", help="cohort matching vs greedy on generated mentees")
    cohort.add_argument("--mentees", type=int, default=500)
    cohort.add_argument("--per-mentee", type=int, default=2)
    cohort.add_argument("--seed", type=int, default=7)
    cohort.add_argument("--mentors", default="data/demo_mentors.jsonl")
    cohort.add_argument("--index-dir", help="keep the index here and reuse it")
    cohort.add_argument("--json", help="write the results here (and a .md table beside it)")
    cohort.add_argument("--plot", help="write the load curves (PNG) here")
    cohort.add_argument("--quiet", action="store_true")

    exposure = commands.add_parser("exposure", help="fair exposure: a week of mentee sessions")
    exposure.add_argument("--sessions", type=int, default=2000)
    exposure.add_argument("--split", choices=["tune", "tuning", "report", "all"],
                          default="report", help="asks of the goal sets' tune or report halves")
    exposure.add_argument("--margins", default="",
                          help="fairness margins to run (comma-separated; choose on --split tune)")
    exposure.add_argument("--tuned", help="a tune run's JSON: also run the margin it chose")
    exposure.add_argument("--replot", help="a finished run's JSON: only mark the margin "
                          "--tuned chose, print the table and plot (nothing is replayed)")
    exposure.add_argument("--seed", type=int, default=11)
    exposure.add_argument("--mentors", default="data/demo_mentors.jsonl")
    exposure.add_argument("--index-dir", help="keep the index here and reuse it")
    exposure.add_argument("--json", help="write the results here (and a .md table beside it)")
    exposure.add_argument("--plot", help="write the load curves (PNG) here")
    exposure.add_argument("--quiet", action="store_true")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    # Evaluation always builds its own embedded index, never one on a configured server.
    os.environ.pop("MENTOR_FINDER_CHROMA_URL", None)
    args = parser().parse_args(argv)
    if args.command == "retrieval":
        from eval.retrieval import main as run
    elif args.command == "dialogue":
        from eval.dialogue import main as run
    elif args.command == "load":
        from eval.load import run_load as run
    elif args.command == "firstrun":
        from eval.load import run_firstrun as run
    elif args.command == "cohort":
        from eval.cohort import main as run
    elif args.command == "exposure":
        from eval.exposure import main as run
    elif args.command == "messages":
        from eval.messages import main as run
    elif args.command == "chat":
        from eval.chat import main as run
    else:
        from eval.bench import main as run
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
