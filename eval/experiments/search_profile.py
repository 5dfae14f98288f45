"""Where one search spends its time (research only): warm searches on an existing index, wall and
CPU time per search, and optionally a cProfile of them.

    python eval/experiments/search_profile.py HOME INDEX [N] [--profile]

On a shared machine compare code versions by alternating processes (base, new, base, new) and
by ratios, and read CPU time next to wall time: the load average is printed.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from eval.bench import UncachedQueries, bench_queries
from finder.search.embedding import MiniLMEmbedder
from finder.search.service import MentorFinder


def main() -> None:
    home, index = Path(sys.argv[1]), sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3].isdigit() else 60
    model = UncachedQueries(MiniLMEmbedder())
    finder = MentorFinder.open(home, index=index, embedder=model)
    warm, timed = bench_queries(n)
    for q in warm:
        finder.search(q, k=5)
    wall, cpu = [], []
    for q in timed:
        start, start_cpu = time.perf_counter(), time.process_time()
        finder.search(q, k=5)
        wall.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
    wall.sort()
    print(f"load {os.getloadavg()[0]:.1f} mentors {finder.count()} wall median "
          f"{statistics.median(wall):.1f} p95 {wall[int(0.95 * (len(wall) - 1))]:.1f} ms, "
          f"cpu median {statistics.median(cpu):.1f} ms", flush=True)
    if "--profile" in sys.argv:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for q in timed:
            finder.search(q, k=5)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
