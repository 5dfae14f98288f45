"""How long a Chroma query takes beside a busy Python thread, by the interpreter's switch
interval (research only: whether a shorter interval than Python's 5 ms helps turns that run
side by side; not adopted, the runs on a shared machine were inconclusive).

    python eval/experiments/gil_convoy.py HOME [SWITCH_INTERVAL_S ...]

HOME is a data folder with the demo mentors (e.g. the one eval/experiments/turn_profile.py
seeds). Each query releases and re-takes the interpreter lock; beside a thread that never
waits, every re-take waits up to the switch interval.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from finder.compose import build
from finder.core.settings import Settings

QUERIES = 60


def _spin(stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        n += 1


def main() -> None:
    home = Path(sys.argv[1])
    intervals = [float(a) for a in sys.argv[2:]] or [0.005, 0.001]
    finder = build(Settings(home=home)).finder
    vector = finder.embedder.encode_query("how to price my SaaS product")
    store = finder.layout.sentences

    def queries() -> float:
        started = time.perf_counter()
        for _ in range(QUERIES):
            store.query(vector, 600, None)
        return (time.perf_counter() - started) / QUERIES

    queries()
    for interval in intervals:
        sys.setswitchinterval(interval)
        alone = queries()
        stop = threading.Event()
        busy = threading.Thread(target=_spin, args=(stop,))
        busy.start()
        beside = queries()
        stop.set()
        busy.join()
        print(f"switch interval {interval * 1000:.1f} ms (load {os.getloadavg()[0]:.1f}): a "
              f"600-row sentence query {alone * 1000:.1f} ms alone, {beside * 1000:.1f} ms "
              "beside a busy thread", flush=True)


if __name__ == "__main__":
    main()
