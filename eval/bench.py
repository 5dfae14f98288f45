"""Speed and size: ingest throughput against raw encoding, search latency at several index sizes
next to a plain LangChain Chroma baseline, peak memory and index size on disk.

Each measurement runs in its own subprocess so that peak RSS is per size. The first one ingests
the base mentors through ``MentorFinder.ingest`` (timed, with the time spent inside the model
recorded) and encodes the same texts with the model alone. Each size is then built in its own
process from a copy of that index: trimmed, or grown with replicas of the base mentors under new
ids (their stored vectors, from ``MentorFinder.stored_vectors``, with a little noise and
renormalised; their bios lightly perturbed) written through ``MentorFinder.write_embedded``, the
service's own write path and keyword rebuild. A fresh process then opens it as the product does
and times searches, so peak RSS is that of serving, per size.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from finder.search.embedding import Embedder, MiniLMEmbedder
from finder.search.indexing import Embedded
from finder.core.models import Mentor
from finder.search.ranking import mentor_texts
from finder.search.service import MentorFinder

ROOT = Path(__file__).resolve().parent.parent
GOAL_QUERIES = ROOT / "eval" / "datasets" / "goals" / "queries.jsonl"
ESCO_QUERIES = ROOT / "eval" / "datasets" / "esco-occupations" / "queries.jsonl"
WARM_UP_MAX_S = 180.0
NOISE = 0.015  # per dimension: a replica's vector keeps a cosine of about 0.96 to its original
INDEX = "bench"


class TimedEmbedder:
    """Any embedder, with the seconds spent in ``encode`` counted."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.variant = getattr(inner, "variant", None)  # the index records name and variant
        self.dimension = inner.dimension
        self.seconds = 0.0
        self.texts = 0

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        start = time.perf_counter()
        try:
            return self.inner.encode(texts, show_progress=show_progress)
        finally:
            self.seconds += time.perf_counter() - start
            self.texts += len(texts)

    def encode_query(self, text: str) -> np.ndarray:
        return self.inner.encode_query(text)

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_fixed(name, texts)


class UncachedQueries:
    """An embedder whose every query is encoded afresh: latency includes encoding the query."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.variant = getattr(inner, "variant", None)  # the index records name and variant
        self.dimension = inner.dimension

    def encode(self, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
        return self.inner.encode(texts, show_progress=show_progress)

    def encode_query(self, text: str) -> np.ndarray:
        return self.inner.encode([text])[0]

    def encode_fixed(self, name: str, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_fixed(name, texts)


class LangChainEmbeddings(Embeddings):
    """Our embedder as LangChain ``Embeddings``; no query cache, like a plain integration."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.encode([text])[0].tolist()


def machine() -> dict[str, Any]:
    """Date, CPU and software versions, for the report header."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import chromadb

    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu, "python": platform.python_version(), "chromadb": chromadb.__version__,
        "load_average_1min_at_start": round(load, 2) if load is not None else None,
    }


def read_mentors(path: str | Path, limit: int | None) -> list[Mentor]:
    mentors = []
    with Path(path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                mentors.append(Mentor.model_validate_json(line))
            if limit is not None and len(mentors) >= limit:
                break
    return mentors


def bench_queries(n: int) -> tuple[list[str], list[str]]:
    """(warm-up queries, timed queries): goal-set goals first, then ESCO job titles."""
    texts: list[str] = []
    for path in (GOAL_QUERIES, ESCO_QUERIES):
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                texts += [json.loads(line)["text"] for line in handle if line.strip()]
    texts = list(dict.fromkeys(texts)) or ["pricing my freelance design work"]
    timed = texts[:n]
    warm = texts[n:n + 20] or texts[:5]
    return warm, timed


def disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(seconds) * 1000
    return {f"p{q}": round(float(np.percentile(ms, q)), 1) for q in (50, 95, 99)} | {
        "mean": round(float(ms.mean()), 1)}


# -- workers (one per subprocess) -------------------------------------------------------------

def ingest_worker(mentors_path: str, limit: int | None, home: Path) -> dict[str, Any]:
    """Ingest the base mentors through the product, then encode the same texts raw."""
    mentors = read_mentors(mentors_path, limit)
    model = MiniLMEmbedder()
    model.encode(["warm up the model"] * 8)
    timed = TimedEmbedder(model)
    finder = MentorFinder.open(home, index=INDEX, embedder=timed)
    start = time.perf_counter()
    report = finder.ingest(mentors, progress=False)
    ingest_s = time.perf_counter() - start
    texts = [t for m in mentors for kind in mentor_texts(m).values() for t in kind]
    start = time.perf_counter()
    model.encode(texts)
    encode_s = time.perf_counter() - start
    return {
        "mentors": len(mentors), "added": len(report.added), "texts": len(texts),
        "vectors": finder.layout.count(),
        "ingest_s": round(ingest_s, 2), "mentors_per_s": round(len(mentors) / ingest_s, 1),
        "encode_inside_ingest_s": round(timed.seconds, 2),
        "outside_encoding_share": round(1 - timed.seconds / ingest_s, 4),
        "raw_encode_s": round(encode_s, 2),
        "raw_mentors_per_s": round(len(mentors) / encode_s, 1),
        "raw_texts_per_s": round(len(texts) / encode_s, 1),
        "ingest_over_raw_encode": round(ingest_s / encode_s, 3),
        "peak_rss_mb": peak_rss_mb(),
    }


def _perturb(bio: str, rng: random.Random) -> str:
    """Swap two neighbouring words inside a sentence; keep the bio's sentence split."""
    words = bio.split(" ")
    inner = [i for i in range(len(words) - 1)
             if words[i].isalpha() and words[i + 1].isalpha()]
    if not inner:
        return bio
    i = rng.choice(inner)
    words[i], words[i + 1] = words[i + 1], words[i]
    changed = " ".join(words)
    return changed if len(mentor_texts(Mentor(id="x", name="x", bio=changed))["sentence"]) == \
        len(mentor_texts(Mentor(id="x", name="x", bio=bio))["sentence"]) else bio


def replicas(finder: MentorFinder, base: Sequence[Mentor], total: int, seed: int = 0
             ) -> list[Embedded]:
    """Copies of ``base`` under new ids, until the index would hold ``total`` mentors."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    stored = {m.id: finder.stored_vectors(m.id) for m in base}
    need = total - finder.count()
    out: list[Embedded] = []
    copy = 0
    while len(out) < need:
        copy += 1
        for original in base[:need - len(out)]:
            mentor = Mentor.model_validate(original.model_dump() | {
                "id": f"{original.id}.r{copy}", "bio": _perturb(original.bio, rng)})
            vectors = stored[original.id]
            skills = [] if vectors.skills is None else [vectors.skills[None, :]]
            matrix = np.vstack([vectors.profile[None, :], vectors.sentences, *skills])
            matrix = matrix + noise.normal(0.0, NOISE, matrix.shape).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            n = 1 + len(vectors.sentences)
            out.append(Embedded(mentor, matrix[0], matrix[1:n],
                                matrix[n] if skills else None, vectors.generic))
    return out


def time_searches(search: Any, queries: Sequence[str]) -> list[float]:
    seconds = []
    for query in queries:
        start = time.perf_counter()
        search(query)
        seconds.append(time.perf_counter() - start)
    return seconds


def build_worker(size: int, mentors_path: str, limit: int | None, base_home: Path,
                 home: Path) -> dict[str, Any]:
    """An index of ``size`` mentors: the base index, trimmed or grown with replicas."""
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(base_home, home)
    base = read_mentors(mentors_path, limit)
    finder = MentorFinder.open(home, index=INDEX, embedder=MiniLMEmbedder())
    start = time.perf_counter()
    added = 0
    if size < finder.count():
        finder.delete(finder.ids()[size:])
    elif size > finder.count():
        items = replicas(finder, base, size)
        added = len(items)
        # The service's own write path for precomputed vectors (same layout, keyword rebuild).
        finder.write_embedded(items)
    return {"replicas": added, "write_s": round(time.perf_counter() - start, 2),
            "build_peak_rss_mb": peak_rss_mb()}




def search_worker(size: int, home: Path, n_queries: int) -> dict[str, Any]:
    """Open the index as the product does, then time warm searches against a LangChain baseline."""
    model = UncachedQueries(MiniLMEmbedder())
    model.encode(["warm up the model"])
    start = time.perf_counter()
    finder = MentorFinder.open(home, index=INDEX, embedder=model)  # loads records, BM25 index
    open_s = time.perf_counter() - start

    import chromadb
    from chromadb.config import Settings
    from langchain_chroma import Chroma

    # The same settings as finder.search.store, so Chroma shares the one open instance of this path.
    client = chromadb.PersistentClient(
        path=str(home / "chroma"), settings=Settings(anonymized_telemetry=False, allow_reset=False))
    baseline = Chroma(client=client, collection_name=finder.store.name,
                      embedding_function=LangChainEmbeddings(model))
    warm, timed = bench_queries(n_queries)
    # Warm the model, Chroma's segment caches and the BM25 index. A freshly written Chroma
    # index may still be settling (loading and merging its segments) after it is opened: repeat
    # the warm-up round until it stops getting faster, for at most WARM_UP_MAX_S.
    warm_start = time.perf_counter()
    rounds: list[float] = []
    while True:
        round_start = time.perf_counter()
        for query in warm:
            finder.search(query, k=5)
            finder.search(query, k=5, pipeline="dense")
            baseline.similarity_search(query, k=5)
        rounds.append(time.perf_counter() - round_start)
        settled = len(rounds) >= 2 and rounds[-1] > 0.9 * min(rounds[:-1])
        if settled or time.perf_counter() - warm_start > WARM_UP_MAX_S:
            break
    warm_up_s = time.perf_counter() - warm_start
    runs = {
        "default": time_searches(lambda q: finder.search(q, k=5), timed),
        "langchain": time_searches(lambda q: baseline.similarity_search(q, k=5), timed),
        "dense": time_searches(lambda q: finder.search(q, k=5, pipeline="dense"), timed),
    }
    latency = {name: percentiles(seconds) for name, seconds in runs.items()}
    return {
        "size": size, "mentors": finder.count(), "vectors": finder.layout.count(),
        "open_s": round(open_s, 2), "queries": len(timed), "latency_ms": latency,
        "warm_up_s": round(warm_up_s, 1), "warm_up_rounds": len(rounds),
        "default_over_langchain_p50": round(latency["default"]["p50"]
                                            / latency["langchain"]["p50"], 2),
        "default_over_langchain_p95": round(latency["default"]["p95"]
                                            / latency["langchain"]["p95"], 2),
        "peak_rss_mb": peak_rss_mb(), "disk_mb": round(disk_bytes(home) / 2**20, 1),
    }


# -- the parent: one subprocess per measurement ------------------------------------------------

def _spawn(worker: str, args: Any, out: Path, work: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "eval", "bench", "--worker", worker,
               "--mentors", str(args.mentors), "--queries", str(args.queries),
               "--work-dir", str(work), "--json", str(out)]
    if args.limit:
        command += ["--limit", str(args.limit)]
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false")
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bench worker {worker} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(out.read_text()))


def run(args: Any) -> dict[str, Any]:
    """Every measurement, each in a fresh process."""
    sizes = [int(s) for s in str(args.sizes).split(",") if s.strip()]
    report: dict[str, Any] = {"machine": machine(), "sizes": []}
    with tempfile.TemporaryDirectory(prefix="mf-bench-") as tmp:
        work = Path(args.work_dir) if args.work_dir else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        say = (lambda *_: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
        if args.work_dir and (work / "ingest.json").exists() and (work / "base").exists():
            say("bench: reusing the base index and ingest timing in the work dir")
            report["ingest"] = json.loads((work / "ingest.json").read_text())
        else:
            say("bench: ingesting the base mentors ...")
            report["ingest"] = _spawn("ingest", args, work / "ingest.json", work)
        for size in sizes:
            if args.work_dir and (work / f"build-{size}.json").exists() and \
                    (work / f"size-{size}").exists():
                built = json.loads((work / f"build-{size}.json").read_text())
            else:
                say(f"bench: building {size} mentors ...")
                built = _spawn(f"build:{size}", args, work / f"build-{size}.json", work)
            say(f"bench: searching {size} mentors ...")
            row = _spawn(f"search:{size}", args, work / f"search-{size}.json", work)
            shutil.rmtree(work / f"size-{size}", ignore_errors=True)
            report["sizes"].append(row | built)
    return report


def targets(report: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for the report."""
    rows: list[tuple[str, str, bool]] = []
    ingest = report["ingest"]
    share = ingest["outside_encoding_share"]
    rows.append(("share of ingest time outside encoding <= 20%", f"{share:.1%}", share <= 0.2))
    rows.append((f"seed the {ingest['mentors']} base mentors <= 90 s",
                 f"{ingest['ingest_s']:.1f} s", ingest["ingest_s"] <= 90))
    for row in report["sizes"]:
        limit = 100 if row["size"] <= 5000 else 250 if row["size"] >= 100000 else None
        p95 = row["latency_ms"]["default"]["p95"]
        if limit:
            rows.append((f"search p95 <= {limit} ms at {row['size']:,}", f"{p95} ms", p95 <= limit))
        rows.append((f"default <= 3x LangChain baseline at {row['size']:,} (p50 / p95)",
                     f"{row['default_over_langchain_p50']}x / {row['default_over_langchain_p95']}x",
                     max(row["default_over_langchain_p50"],
                         row["default_over_langchain_p95"]) <= 3))
    return rows


def markdown(report: dict[str, Any]) -> str:
    m, ingest = report["machine"], report["ingest"]
    lines = [
        f"# Benchmark, {m['date']}", "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, chromadb "
        f"{m['chromadb']}; 1-minute load average at start {m['load_average_1min_at_start']}.",
        "Each row ran in its own process; latencies are warm (rounds of 20 warm-up queries until "
        "a round is no faster than the best before, at most 180 s: a freshly written Chroma "
        "index settles for a few seconds after it is opened), over "
        f"{report['sizes'][0]['queries'] if report['sizes'] else 0} distinct queries "
        "(goal set + ESCO job titles), k=5, each query encoded afresh. Peak RSS is the serving "
        "process (open + searches); index build runs in a separate process.", "",
        "## Ingest", "",
        "| mentors | texts embedded | ingest s | mentors/s | raw encode s | raw mentors/s | "
        "ingest / raw | time outside encoding |", "|---|---|---|---|---|---|---|---|",
        f"| {ingest['mentors']:,} | {ingest['texts']:,} | {ingest['ingest_s']} | "
        f"{ingest['mentors_per_s']} | {ingest['raw_encode_s']} | {ingest['raw_mentors_per_s']} | "
        f"{ingest['ingest_over_raw_encode']}x | {ingest['outside_encoding_share']:.1%} |", "",
        "## Search", "",
        "| mentors | vectors | default p50 / p95 / p99 ms | dense p50 / p95 / p99 ms | "
        "LangChain Chroma p50 / p95 / p99 ms | default / LangChain (p50, p95) | "
        "open s | peak RSS MB | disk MB |", "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["sizes"]:
        lat = row["latency_ms"]

        def cell(name: str, lat: dict[str, Any] = lat) -> str:
            return f"{lat[name]['p50']} / {lat[name]['p95']} / {lat[name]['p99']}"

        lines.append(
            f"| {row['mentors']:,} | {row['vectors']:,} | {cell('default')} | {cell('dense')} | "
            f"{cell('langchain')} | {row['default_over_langchain_p50']}x, "
            f"{row['default_over_langchain_p95']}x | {row['open_s']} | {row['peak_rss_mb']} | "
            f"{row['disk_mb']} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {v} | {'yes' if ok else '**no**'} |" for t, v, ok in targets(report)]
    return "\n".join(lines)


def plot(report: dict[str, Any], out: str | Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row["mentors"] for row in report["sizes"]]
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for name, style in (("default", "-o"), ("dense", "--s"), ("langchain", ":^")):
        for q, alpha in (("p50", 1.0), ("p95", 0.55)):
            values = [row["latency_ms"][name][q] for row in report["sizes"]]
            ax.plot(sizes, values, style, alpha=alpha, label=f"{name} {q}")
    ax.set_xscale("log")
    ax.set_xlabel("mentors in the index")
    ax.set_ylabel("search latency, ms (k=5)")
    ax.set_title(f"Search latency, {report['machine']['nproc']} CPUs, {report['machine']['date']}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)


def main(args: Any) -> int:
    """``python -m eval bench``."""
    if args.worker:
        work = Path(args.work_dir)
        kind, _, number = args.worker.partition(":")
        if kind == "ingest":
            result = ingest_worker(args.mentors, args.limit, work / "base")
        elif kind == "build":
            result = build_worker(int(number), args.mentors, args.limit, work / "base",
                                  work / f"size-{number}")
        else:
            result = search_worker(int(number), work / f"size-{number}", args.queries)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0
    report = run(args)
    rendered = markdown(report)
    print(rendered)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    markdown_out = args.markdown or (str(Path(args.json).with_suffix(".md")) if args.json else None)
    if markdown_out:
        Path(markdown_out).write_text(rendered + "\n", encoding="utf-8")
    plot_out = args.plot or (str(Path(args.json).with_suffix(".png")) if args.json else None)
    if plot_out:
        plot(report, plot_out)
    return 0
