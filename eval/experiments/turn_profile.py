"""Where one chat turn spends its CPU (research only), in process, without Gradio's transport.

Builds the app as ``app.py`` does (``finder.compose.build``, ``WebApp`` over the programme) on a
data folder seeded once from the shipped demo vectors, then runs the load test's conversation
scripts (``eval.load.Session.script``) through ``WebApp.send`` and ``finder.ui.page.outputs``,
the functions the page's send event calls, timing CPU (``time.process_time``) per turn kind.

    python eval/experiments/turn_profile.py HOME [--conversations N] [--profile] [--dump FILE]

``--dump`` writes every reply (chat text, mentor ids, draft) as JSON lines, to compare two code
versions turn by turn. On a shared machine read CPU time, and alternate versions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from eval.load import Session  # noqa: E402
from finder.compose import build  # noqa: E402
from finder.core.settings import Settings  # noqa: E402
from finder.search.demo import seed_demo  # noqa: E402
from finder.ui.web import WebApp  # noqa: E402


def make_app(home: Path) -> WebApp:
    services = build(Settings(home=home))
    if services.finder.count() == 0:
        seed_demo(services.finder)
    web = WebApp(services.programme, services.assistant, requests=services.programme.requests)
    web.warm_up()
    return web


def scripts(n: int, seed: int = 7) -> list[tuple[int, Session, int]]:
    """``n`` conversations as the load test runs them (sessions 0.. with their own rng)."""
    out = []
    per = 5
    for number in range(n // per + 1):
        session = Session(number, "", 0.0, 0.0, random.Random(seed * 1000 + number))
        out += [(number * 1000 + conversation, session, conversation)
                for conversation in range(per)]
    return out[:n]


def run(web: WebApp, convs: list[tuple[int, Session, int]],
        dump: list[dict[str, Any]] | None = None, outputs: bool = True) -> dict[str, list[float]]:
    """Each conversation from a fresh copy of its session's rng, so repeated runs match."""
    from finder.ui.page import outputs as page_outputs

    cpu: dict[str, list[float]] = {}
    for token, original, number in convs:
        session = Session(original.number, "", 0.0, 0.0, random.Random(token))
        saved: Any = None
        chat: list[Any] = web.welcome().chat
        script = session.steps(number)
        step: tuple[str, str] | None = next(script)
        while step is not None:
            kind, text = step
            chat = chat + [{"role": "user", "content": text}]
            started = time.process_time()
            view = web.send(saved, chat, text, echoed=True, session_id=f"prof-{token}")
            if outputs:
                page_outputs(view)
            cpu.setdefault(kind, []).append(time.process_time() - started)
            saved, chat = view.state, view.chat
            if dump is not None:
                dump.append({"token": token, "kind": kind, "text": text,
                             "reply": chat[-1]["content"], "cards": view.cards,
                             "chips": view.chips, "draft_title": view.draft_title,
                             "draft": None if view.draft is None else view.draft.model_dump(),
                             "questions": view.questions})
            try:
                step = script.send((chat[-1]["content"], 'class="mf-name"' in view.cards))
            except StopIteration:
                step = None
    return cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("home", type=Path)
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    web = make_app(args.home)
    convs = scripts(args.conversations)
    run(web, convs[:2])  # warm
    load = os.getloadavg()[0]
    rounds = []
    for i in range(args.rounds):
        dump: list[dict[str, Any]] | None = [] if (args.dump and i == 0) else None
        started = time.perf_counter()
        cpu = run(web, convs, dump)
        wall = time.perf_counter() - started
        if dump is not None and args.dump:
            args.dump.write_text("\n".join(json.dumps(d, sort_keys=True) for d in dump) + "\n")
        turns = sum(len(v) for v in cpu.values())
        rounds.append({k: statistics.median(v) * 1000 for k, v in cpu.items()})
        total = sum(sum(v) for v in cpu.values())
        print(f"round {i}: {turns} turns, wall {wall:.1f} s, cpu/turn mean "
              f"{1000 * total / turns:.1f} ms; median ms by kind: "
              + ", ".join(f"{k} {statistics.median(v) * 1000:.1f}" for k, v in cpu.items()),
              flush=True)
    print(f"load average at start {load:.2f}, at end {os.getloadavg()[0]:.2f}")
    if args.profile:
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        run(web, convs)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
