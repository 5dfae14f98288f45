"""Retrieval quality of the ranking pipelines on a BEIR-format dataset, through the real index.

A dataset folder holds ``queries.jsonl`` (``_id``, ``text``), ``qrels/<split>.tsv`` (header row,
then ``query-id  corpus-id  score``; graded scores allowed) and a corpus, one of:

- ``corpus.jsonl``: BEIR documents (``_id``, ``title``, ``text``, optional ``metadata``); each
  becomes a mentor with name and headline = title, bio = text, metadata kept as extra fields;
- ``mentors.jsonl``: mentor records, ingested as they are;
- ``corpus.ref``: one line ``corpus: demo`` (the bundled ``data/demo_mentors.jsonl``),
  ``corpus: coding-coach`` (only the demo mentors whose ``source`` is ``coding-coach``) or
  ``corpus: <path>`` (mentor records, relative to the repository root).

Queries are never indexed. Every pipeline is run at depth ``max(100, k)`` and scored with ranx.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.reports import write_report
from finder.search.embedding import Embedder
from finder.core.models import BIO_MAX_CHARS, ID_PATTERN, Mentor
from finder.search.ranking import PIPELINES
from finder.search.service import MentorFinder
from finder.search.shipped import ShippedVectors

ROOT = Path(__file__).resolve().parent.parent
DEMO_MENTORS = ROOT / "data" / "demo_mentors.jsonl"
DEMO_VECTORS = ROOT / "data" / "demo_vectors.npz"
ALL_PIPELINES = ("default", "previous", "dense", "bm25", "rrf", "dense-sentences")
MAX_DEPTH = 100  # MentorFinder.search returns at most 100 matches
# Named corpora a corpus.ref may give: the demo file, and the `source` its records must have.
NAMED_CORPORA: dict[str, tuple[Path, str | None]] = {
    "demo": (DEMO_MENTORS, None),
    "coding-coach": (DEMO_MENTORS, "coding-coach"),
}


class DatasetError(ValueError):
    """A dataset folder is missing a file or holds a malformed line."""


@dataclass
class Dataset:
    """Queries, graded judgments and the mentors to index, with ids mapped both ways."""

    name: str
    split: str
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    mentors: list[dict[str, Any]] | None = None  # records to ingest, or None for `mentors_path`
    mentors_path: Path | None = None  # the file the mentor records came from, when one did
    doc_of: dict[str, str] = field(default_factory=dict)  # mentor id -> dataset doc id
    titles: dict[str, str] = field(default_factory=dict)  # doc id -> title, for the misses file

    def doc_id(self, mentor_id: str) -> str:
        return self.doc_of.get(mentor_id, mentor_id)


def _read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path}, line {number}: not JSON ({exc.msg})") from exc
            if not isinstance(record, dict):
                raise DatasetError(f"{path}, line {number}: expected a JSON object")
            yield number, record


def mentor_id_for(doc_id: str, taken: set[str]) -> str:
    """A valid, unique mentor id for a dataset doc id (kept as it is when already valid)."""
    if ID_PATTERN.match(doc_id) and doc_id not in taken:
        return doc_id
    digest = hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:16]
    candidate, n = f"doc-{digest}", 0
    while candidate in taken:
        n += 1
        candidate = f"doc-{digest}-{n}"
    return candidate


def beir_mentor(doc: dict[str, Any], mentor_id: str) -> dict[str, Any]:
    """One BEIR document as a mentor record: title -> name and headline, text -> bio."""
    title = " ".join(str(doc.get("title") or "").split())
    text = " ".join(str(doc.get("text") or "").split()) or title or str(doc["_id"])
    record: dict[str, Any] = {
        "id": mentor_id, "name": (title or str(doc["_id"]))[:200], "headline": title[:300],
        "bio": text[:BIO_MAX_CHARS], "source_doc_id": str(doc["_id"]),
    }
    metadata = doc.get("metadata") or {}
    if isinstance(metadata, dict):
        for key, value in metadata.items():
            # Metadata never overrides a mentor field: it would change what gets ranked.
            name = key if key not in Mentor.model_fields and key not in record else f"meta_{key}"
            record[name] = value
    return record


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """``query-id  corpus-id  score`` rows after a header row; graded scores kept."""
    if not path.exists():
        raise DatasetError(f"{path} is missing; a split NAME needs qrels/NAME.tsv")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        for number, row in enumerate(rows, 1):
            if number == 1 or not row or not "".join(row).strip():
                continue  # the header row
            if len(row) < 3:
                raise DatasetError(f"{path}, line {number}: expected query-id, corpus-id, score")
            try:
                score = int(float(row[2]))
            except ValueError:
                raise DatasetError(f"{path}, line {number}: score {row[2]!r} is not a number"
                                   ) from None
            qrels.setdefault(row[0].strip(), {})[row[1].strip()] = score
    return qrels


def _corpus_reference(folder: Path, override: Path | None) -> tuple[Path | None, str | None]:
    """The mentor records to index, and the ``source`` they must have (None: all of them)."""
    if override is not None:
        return override, None
    if (folder / "mentors.jsonl").exists():
        return folder / "mentors.jsonl", None
    ref = folder / "corpus.ref"
    if ref.exists():
        for line in ref.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "corpus" and value.strip():
                value = value.strip()
                return NAMED_CORPORA.get(value, (ROOT / value, None))
        raise DatasetError(f"{ref}: expected a line 'corpus: demo', 'corpus: coding-coach' or "
                           "'corpus: <path>'")
    return None, None


def load_dataset(folder: str | Path, split: str, *,
                 corpus_mentors: str | Path | None = None, sample: int | None = None,
                 seed: int = 13) -> Dataset:
    """Read a BEIR-format folder (or one whose corpus is mentor records).

    ``sample`` keeps a seeded random subset of the judged queries, for quick runs.
    """
    folder = Path(folder)
    queries_path = folder / "queries.jsonl"
    if not queries_path.exists():
        raise DatasetError(f"{queries_path} is missing")
    qrels = read_qrels(folder / "qrels" / f"{split}.tsv")
    queries = {str(r["_id"]): str(r.get("text", "")) for _, r in _read_jsonl(queries_path)}
    judged = {q: docs for q, docs in qrels.items() if any(s > 0 for s in docs.values())}
    unknown = sorted(set(judged) - set(queries))
    if unknown:
        raise DatasetError(f"{folder}: qrels name queries not in queries.jsonl: {unknown[:5]}")
    kept = [q for q in queries if q in judged]
    if sample is not None and sample < len(kept):
        kept = sorted(random.Random(seed).sample(kept, sample))
        judged = {q: judged[q] for q in kept}
    dataset = Dataset(name=folder.name, split=split, queries={q: queries[q] for q in kept},
                      qrels=judged)
    mentors_path, source = _corpus_reference(folder,
                                             Path(corpus_mentors) if corpus_mentors else None)
    if mentors_path is not None:
        if not mentors_path.exists():
            raise DatasetError(f"mentor corpus {mentors_path} is missing")
        dataset.mentors_path = mentors_path
        kept_records: list[dict[str, Any]] = []
        for _, record in _read_jsonl(mentors_path):
            if source is not None and record.get("source") != source:
                continue
            kept_records.append(record)
            dataset.titles[str(record.get("id"))] = str(record.get("headline") or
                                                        record.get("name") or "")
        if source is not None:
            if not kept_records:
                raise DatasetError(f"{mentors_path} holds no mentors whose source is {source!r}")
            dataset.mentors = kept_records
        return dataset
    corpus_path = folder / "corpus.jsonl"
    if not corpus_path.exists():
        raise DatasetError(f"{folder} has neither corpus.jsonl, mentors.jsonl nor corpus.ref")
    taken: set[str] = set()
    records: list[dict[str, Any]] = []
    for number, doc in _read_jsonl(corpus_path):
        if "_id" not in doc:
            raise DatasetError(f"{corpus_path}, line {number}: no _id")
        mentor_id = mentor_id_for(str(doc["_id"]), taken)
        taken.add(mentor_id)
        dataset.doc_of[mentor_id] = str(doc["_id"])
        dataset.titles[str(doc["_id"])] = str(doc.get("title") or "")
        records.append(beir_mentor(doc, mentor_id))
    dataset.mentors = records
    return dataset


@contextmanager
def open_index(dataset: Dataset, embedder: Embedder | None, index_dir: str | Path | None,
               progress: bool = True, shipped: str | Path | None = None
               ) -> Iterator[MentorFinder]:
    """A MentorFinder holding exactly the dataset's corpus (a temporary one unless asked).

    ``shipped``: a shipped-vector file (``data/demo_vectors.npz``) whose vectors are taken for
    the mentors they fit exactly, as seeding the demo does; the rest are embedded."""

    with tempfile.TemporaryDirectory(prefix="mf-eval-") as tmp:
        home = Path(index_dir) if index_dir else Path(tmp)
        finder = MentorFinder.open(home, index="eval", embedder=embedder)
        source: Any = dataset.mentors if dataset.mentors is not None else dataset.mentors_path
        # Demo mentors (and the Coding Coach ones among them) take the shipped vectors when
        # they fit exactly; any other corpus is embedded, unless a vector file is given.
        if shipped:
            vectors = ShippedVectors.load(Path(shipped))
        else:
            vectors = ShippedVectors.load(DEMO_VECTORS) \
                if dataset.mentors_path == DEMO_MENTORS else None
        report = finder.ingest(source, prune=True, progress=progress, shipped=vectors)
        if report.errors:
            raise DatasetError(f"{len(report.errors)} corpus records were rejected, e.g. "
                               f"{report.errors[0]}")
        yield finder


def run_pipeline(finder: MentorFinder, dataset: Dataset, pipeline: str, depth: int,
                 progress: bool = True) -> tuple[dict[str, list[str]], list[float]]:
    """Ranked doc ids per query, and each query's latency in seconds."""
    from tqdm.auto import tqdm

    ranked: dict[str, list[str]] = {}
    latencies: list[float] = []
    for qid, text in tqdm(dataset.queries.items(), desc=f"{dataset.name} {pipeline}",
                          unit="query", disable=not progress):
        start = time.perf_counter()
        matches = finder.search(text, k=depth, pipeline=pipeline)
        latencies.append(time.perf_counter() - start)
        ranked[qid] = [dataset.doc_id(m.mentor.id) for m in matches]
    return ranked, latencies


def metric_names(k: int) -> list[str]:
    # P@5 and hit@5 beside the cut-off: a mentee sees five cards, not ten ranks.
    names = [f"ndcg@{k}", f"mrr@{k}", f"recall@{k}", "recall@100", f"precision@{k}",
             "precision@5", "hit_rate@5"]
    return list(dict.fromkeys(names))


def score_run(dataset: Dataset, ranked: dict[str, list[str]], k: int
              ) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Mean metrics, and per-query scores, from ranx."""
    from ranx import Qrels, Run, evaluate

    qrels = Qrels.from_dict(dataset.qrels)
    # Scores from ranks, not from Match.score: rounded scores can tie and reorder.
    run = Run.from_dict({q: {d: float(len(docs) - i) for i, d in enumerate(docs)}
                         for q, docs in ranked.items()})
    names = metric_names(k)
    means = evaluate(qrels, run, names, make_comparable=True)
    per_query = {name: {q: float(v) for q, v in run.scores[name].items()} for name in names}
    return {name: round(float(means[name]), 4) for name in names}, per_query


def misses(dataset: Dataset, ranked: dict[str, list[str]], per_query: dict[str, float],
           limit: int) -> list[dict[str, Any]]:
    """The queries the pipeline served worst: what was expected, and what came first."""
    rows: list[dict[str, Any]] = []
    for qid, docs in ranked.items():
        relevant = dataset.qrels[qid]
        position = {d: i + 1 for i, d in enumerate(docs)}
        first = min((position[d] for d in relevant if d in position and relevant[d] > 0),
                    default=None)
        rows.append({
            "query_id": qid, "query": dataset.queries[qid],
            "ndcg": round(per_query.get(qid, 0.0), 4), "first_relevant_rank": first,
            "expected": [{"id": d, "title": dataset.titles.get(d, ""), "grade": g,
                          "rank": position.get(d)}
                         for d, g in sorted(relevant.items(), key=lambda x: -x[1]) if g > 0],
            "got": [{"id": d, "title": dataset.titles.get(d, ""), "grade": relevant.get(d, 0)}
                    for d in docs[:3]],
        })
    rows.sort(key=lambda r: (r["ndcg"], -(r["first_relevant_rank"] or 10**6), r["query_id"]))
    return [r for r in rows if r["ndcg"] < 1.0][:limit]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def evaluate_dataset(folder: str | Path, split: str, *, pipelines: Sequence[str] = ALL_PIPELINES,
                     k: int = 10, embedder: Embedder | None = None,
                     corpus_mentors: str | Path | None = None, index_dir: str | Path | None = None,
                     misses_limit: int = 100, progress: bool = True,
                     sample: int | None = None, shipped: str | Path | None = None
                     ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Metrics per pipeline (the JSON report) and the default pipeline's worst misses."""
    unknown = [p for p in pipelines if p not in PIPELINES]
    if unknown:
        raise ValueError(f"unknown pipeline(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(PIPELINES)}")
    if not 1 <= k <= MAX_DEPTH:
        raise ValueError(f"--k must be between 1 and {MAX_DEPTH}")
    dataset = load_dataset(folder, split, corpus_mentors=corpus_mentors, sample=sample)
    depth = max(MAX_DEPTH, k)
    report: dict[str, Any] = {
        "dataset": dataset.name, "split": split, "queries": len(dataset.queries),
        "k": k, "depth": depth, "sample": sample, "pipelines": {},
    }
    worst: list[dict[str, Any]] = []
    with open_index(dataset, embedder, index_dir, progress, shipped) as finder:
        report["corpus"] = finder.count()
        report["judgments"] = sum(len(v) for v in dataset.qrels.values())
        report["graded"] = any(s > 1 for v in dataset.qrels.values() for s in v.values())
        for name in pipelines:
            ranked, latencies = run_pipeline(finder, dataset, name, depth, progress)
            means, per_query = score_run(dataset, ranked, k)
            means["latency_p50_ms"] = round(1000 * percentile(latencies, 50), 1)
            means["latency_p95_ms"] = round(1000 * percentile(latencies, 95), 1)
            report["pipelines"][name] = means
            if name == "default" or (not worst and name == pipelines[0]):
                worst = misses(dataset, ranked, per_query[f"ndcg@{k}"], misses_limit)
                report["misses_pipeline"] = name
    return report, worst


def table(report: dict[str, Any]) -> str:
    """The report as a markdown table, one row per pipeline."""
    names = metric_names(int(report.get("k", 10))) + ["latency_p50_ms"]
    lines = [f"{report['dataset']} / {report['split']}: {report['queries']} queries, "
             f"{report.get('corpus', '?')} mentors indexed"
             + (f" (seeded sample of {report['sample']} queries)" if report.get("sample") else ""),
             "",
             "| pipeline | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    best = {n: max(p.get(n, 0) for p in report["pipelines"].values()) for n in names[:-1]}
    for pipeline, scores in report["pipelines"].items():
        cells = []
        for n in names:
            value = scores.get(n)
            text = "" if value is None else (f"{value:.4f}" if n in best else f"{value:.0f}")
            cells.append(f"**{text}**" if n in best and value == best[n] else text)
        lines.append(f"| {pipeline} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot(report: dict[str, Any], out: str | Path) -> None:
    """A grouped bar chart: one group per metric, one bar per pipeline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    names = metric_names(int(report.get("k", 10)))
    pipelines = list(report["pipelines"])
    width = 0.8 / max(1, len(pipelines))
    x = np.arange(len(names))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    for i, pipeline in enumerate(pipelines):
        values = [report["pipelines"][pipeline].get(n, 0.0) for n in names]
        bars = ax.bar(x + (i - (len(pipelines) - 1) / 2) * width, values, width, label=pipeline)
        ax.bar_label(bars, fmt="%.2f", fontsize=6, padding=1)
    ax.set_xticks(x, names)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title(f"{report['dataset']} / {report['split']} ({report['queries']} queries)")
    ax.legend(fontsize=8, ncols=min(5, len(pipelines)), loc="upper left")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(args: Any) -> int:
    """``python -m eval retrieval``."""
    pipelines = [p.strip() for p in args.pipelines.split(",") if p.strip()]
    report, worst = evaluate_dataset(
        args.dataset, args.split, pipelines=pipelines, k=args.k,
        corpus_mentors=args.corpus_mentors, index_dir=args.index_dir,
        progress=not args.quiet, sample=args.sample, shipped=args.shipped)
    if args.shipped:
        report["shipped_vectors"] = str(args.shipped)
    rendered = table(report)
    print(rendered)
    if args.json:
        write_report(args.json, report, rendered)
    if args.plot:
        Path(args.plot).parent.mkdir(parents=True, exist_ok=True)
        plot(report, args.plot)
    if args.misses:
        Path(args.misses).parent.mkdir(parents=True, exist_ok=True)
        with Path(args.misses).open("w", encoding="utf-8") as handle:
            for row in worst:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0
