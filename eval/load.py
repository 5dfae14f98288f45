"""``python -m eval load``: many mentees at once against the real web app, and the first-run time.

``load`` starts ``app.py`` on a free loopback port (its own data folder, the demo mentors seeded
from the shipped vectors) and drives it with ``gradio_client`` exactly as the page does: each
message is the page's echo event followed by its send event, with the chat history the browser
would hold (and the page's turn claim and release around them, where it has them).
``--sessions`` workers each run conversations back to back (a new browser session
for each): a vague start, an answer, one or two refinements, a draft request, with 1-4 s of
think time between turns. No turn starts after ``--duration`` seconds; every call has a timeout.

Reported: turn latency p50/p95/p99 (echo + send, what the mentee waits for), errors, turns/s,
the app's RSS at the start and end, and cross-talk: every reply must show this session's own
messages and nothing of another session's (each session says something only it says), and the
draft must go to a mentor this session was shown.

``firstrun`` measures a fresh start: a new data folder each run, ``app.py`` started, the time
until the page is served.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Generator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

VAGUE = ["I want career advice", "I need a mentor", "help with marketing",
         "business advice please", "can someone help me with my startup",
         "I'd like some guidance", "looking for help with my job", "hi, I need some help"]
ANSWERS = [
    "how do I negotiate my first salary offer as a junior analyst",
    "how to plan a launch campaign for our new skincare line on Instagram",
    "reviewing my pitch deck before our seed round next month",
    "whether to register my bakery as a sole trader or a limited company",
    "how to price our B2B SaaS for small accounting firms",
    "moving from teaching into UX design and building a first portfolio",
    "scaling our Postgres database as traffic doubles every month",
    "preparing for my first performance review as a new nurse manager",
    "writing a grant proposal for a community garden",
    "hiring our first backend engineer for a two person startup",
    "switching from accounting to data analysis with Python",
    "getting better at public speaking for conference talks",
    "setting up bookkeeping for my freelance photography business",
    "designing a safety plan for a small construction crew",
    "how to negotiate a raise after two years as a software developer",
    "planning the menu and costs for opening a small cafe",
]
REFINEMENTS = ["I'd prefer a video call", "30 minutes is enough", "someone who speaks Spanish",
               "email would suit me better", "a short phone call would be great",
               "any format is fine, just show me mentors", "someone with at least 10 years "
               "experience", "just show me mentors"]
# Answers to the questions the app asks before it shows mentors (role, then how to meet).
CONTEXT_ANSWERS = ["I'm a junior analyst, two years in", "I run a small shop on my own",
                   "mid-career, about eight years as an engineer", "final-year student",
                   "I just became a team lead"]
FORMAT_ANSWERS = ["a 30 minute video call", "a short phone call", "email is best for me",
                  "no preference"]
DRAFTS = ["draft a message to the first one", "draft a message to the second one",
          "write to the first one", "draft an intro to #1"]
SSL_CONTEXT = ssl.create_default_context()
UNIQUE = re.compile(r"I have been at this for (\d+) months")


def answer_to(question: str, rng: random.Random) -> str | None:
    """What a mentee says to the app's question before any mentor is shown (None: no question
    asked, e.g. the app showed results or said something else)."""
    if "role and experience" in question:
        return rng.choice(CONTEXT_ANSWERS)
    if "How would you like to meet" in question:
        return rng.choice(FORMAT_ANSWERS)
    if question.rstrip().endswith("?"):
        return "just show me mentors"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (all its threads)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclass
class App:
    process: subprocess.Popen[bytes]
    url: str
    log: Path
    seconds_to_page: float


def start_app(home: Path, *, chroma_url: str | None = None, timeout: float = 900,
              extra_env: dict[str, str] | None = None) -> App:
    """``app.py`` on a free loopback port with its data in ``home``; waits for the page."""
    port = free_port()
    env = dict(os.environ, MENTOR_FINDER_HOME=str(home), HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               ANONYMIZED_TELEMETRY="False", PYTHONUNBUFFERED="1", **(extra_env or {}))
    env.pop("MENTOR_FINDER_CHROMA_URL", None)
    if chroma_url:
        env["MENTOR_FINDER_CHROMA_URL"] = chroma_url
    home.mkdir(parents=True, exist_ok=True)
    log = home / "app.log"
    app = Path(__file__).resolve().parents[1] / "app.py"
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, str(app), "--port", str(port)], env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited ({process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200 and b"Mentor Finder" in response.read():
                    return App(process, url, log, time.monotonic() - started)
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the app did not serve its page within {timeout:.0f} s; see {log}")


def stop_app(app: App) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.process.kill()
        app.process.wait()


# -- one session -------------------------------------------------------------------------------


@dataclass
class Turn:
    session: int
    kind: str
    started: float  # seconds since the run began
    seconds: float
    ok: bool
    error: str = ""


@dataclass
class Session:
    """One mentee: a conversation in a fresh browser session, checking every reply."""

    number: int
    url: str
    run_started: float
    deadline: float
    rng: random.Random
    turns: list[Turn] = field(default_factory=list)
    crosstalk: list[str] = field(default_factory=list)
    drafts_missing: int = 0
    timeout: float = 60.0
    think: tuple[float, float] = (1.0, 4.0)  # seconds between turns
    client: Any = None
    fresh: bool = False  # the client's session is new and unused

    def script(self, conversation: int) -> list[tuple[str, str]]:
        token = self.number * 1000 + conversation  # said by this session only
        answer = (f"{self.rng.choice(ANSWERS)}. I have been at this for {token} months")
        steps = [("vague", self.rng.choice(VAGUE)), ("answer", answer)]
        for refinement in self.rng.sample(REFINEMENTS, self.rng.randint(1, 3)):
            steps.append(("refine", refinement))
        steps.append(("draft", self.rng.choice(DRAFTS)))
        return steps

    def steps(self, conversation: int) -> Generator[tuple[str, str], tuple[str, bool], None]:
        """The script's turns, answering the app's questions first: refinements and the draft
        request wait until mentors are shown. ``send`` it the app's reply and whether mentor
        cards are shown."""
        reply, shown, extra = "", False, 0
        for kind, text in self.script(conversation):
            while kind in ("refine", "draft") and not shown and extra < 3:
                answer = answer_to(reply, self.rng)
                if answer is None:
                    break
                extra += 1
                reply, shown = yield ("answer", answer)
            reply, shown = yield (kind, text)

    def run(self) -> None:
        conversation = 0
        try:
            while time.monotonic() < self.deadline:
                self.conversation(conversation)
                conversation += 1
        finally:
            self.close()

    def connect(self) -> None:
        """The client, made before the clock starts: it reads the app's config and API
        description (/config, /info: ~0.1 s of the app's CPU each, which a browser never asks
        for; it gets the config inside the page)."""
        from gradio_client import Client

        # One SSL context for every connection: otherwise httpx builds one (loading the CA
        # bundle, ~20 ms of CPU) for each request, on the same cores as the app.
        self.client = Client(self.url, verbose=False, analytics_enabled=False,
                             download_files=False, max_workers=2, ssl_verify=SSL_CONTEXT,
                             httpx_kwargs={"timeout": self.timeout})
        self.fresh = True

    def browser(self) -> Any:
        """A fresh browser session: the page fetched again and a new session (the client and
        its connections are reused, as a browser reuses its own)."""
        if self.client is None:
            self.connect()
        if not self.fresh:
            self.client.reset_session()
        self.fresh = False
        with urllib.request.urlopen(self.url + "/", timeout=self.timeout) as response:
            response.read()
        return self.client

    def conversation(self, number: int) -> None:
        try:
            client = self.browser()
        except Exception as exc:  # the app did not answer: one failed turn
            self.turns.append(Turn(self.number, "connect", self.now(), 0.0, False, repr(exc)))
            time.sleep(1)
            return
        chat: list[Any] = []
        sent: list[str] = []
        shown: list[str] = []
        token = self.number * 1000 + number
        script = self.steps(number)
        step: tuple[str, str] | None = next(script)
        while step is not None:
            kind, text = step
            if time.monotonic() >= self.deadline:
                break
            started = time.monotonic()
            try:
                result = _turn(client, chat, text)
                seconds = time.monotonic() - started
            except Exception as exc:
                self.turns.append(Turn(self.number, kind, started - self.run_started,
                                       time.monotonic() - started, False, repr(exc)[:300]))
                break
            sent.append(text)
            chat = result[0]
            self.turns.append(Turn(self.number, kind, started - self.run_started, seconds, True))
            self.check(result, sent, shown, token, kind)
            time.sleep(self.rng.uniform(*self.think))
            reply = _text(chat[-1]) if chat and isinstance(chat[-1], dict) else ""
            step = _next(script, reply, bool(shown))

    def close(self) -> None:
        if self.client is not None:
            try:
                _close(self.client)
            except Exception:
                pass
            self.client = None

    def check(self, result: Sequence[Any], sent: list[str], shown: list[str], token: int,
              kind: str) -> None:
        """No reply may carry another session's words, mentors or draft."""
        chat, cards = result[0], result[1]
        users = [_text(m) for m in chat if isinstance(m, dict) and m.get("role") == "user"]
        if users != sent:
            self.crosstalk.append(f"session {self.number}: chat shows {users[-2:]!r}, "
                                  f"sent {sent[-2:]!r}")
        everything = json.dumps(result, default=str)
        for found in UNIQUE.findall(everything):
            if int(found) != token:
                self.crosstalk.append(f"session {self.number}: saw session token {found}")
        names = re.findall(r'class="mf-name">([^<]+)<', str(cards))
        if names:
            shown[:] = names
        if kind == "draft":
            title = str(result[5] or "")
            if "Draft to" in title:
                name = title.split("Draft to", 1)[1].strip()
                if name not in shown:
                    self.crosstalk.append(f"session {self.number}: draft to {name!r}, who was "
                                          f"not among its mentors {shown!r}")
            else:
                self.drafts_missing += 1

    def now(self) -> float:
        return time.monotonic() - self.run_started


def _next(script: Generator[tuple[str, str], tuple[str, bool], None], reply: str,
          shown: bool) -> tuple[str, str] | None:
    try:
        return script.send((reply, shown))
    except StopIteration:
        return None


def _turn(client: Any, chat: list[Any], text: str) -> Any:
    """One message as the page sends it: echo (with the turn's claim, where the page has it as
    a step of its own), send, release."""
    names = getattr(client, "_mf_names", None)
    if names is None:
        names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
        client._mf_names = names
    if "/on_claim" in names:
        _call(client, "/on_claim")
    chat = _call(client, "/on_echo", chat, text)[0]
    result = _call(client, "/on_send", chat)
    if "/on_done" in names:
        _call(client, "/on_done")
    return result


def _call(client: Any, api_name: str, *data: Any) -> Any:
    """An event as the browser sends it: a queued one joins the queue and reads its result from
    the event stream (``predict``); an unqueued one (``queue=False``) is one plain POST, which is
    what the page's own client does for those (two requests fewer per event)."""
    unqueued = getattr(client, "_mf_unqueued", None)
    if unqueued is None:
        unqueued = {"/" + d["api_name"] for d in client.config.get("dependencies", [])
                    if d.get("api_name") and d.get("queue") is False}
        client._mf_unqueued = unqueued
    if api_name not in unqueued:
        return client.predict(*data, api_name=api_name)
    http = getattr(client, "_mf_http", None)
    if http is None:
        import httpx

        http = client._mf_http = httpx.Client(verify=SSL_CONTEXT,
                                              timeout=client.httpx_kwargs.get("timeout", 60))
    response = http.post(f"{client.src_prefixed}run{api_name}",
                         json={"data": list(data), "session_hash": client.session_hash})
    body = response.json()
    if response.status_code != 200 or "error" in body:
        raise RuntimeError(f"{api_name} failed ({response.status_code}): "
                           f"{body.get('error', body)!r:.200}")
    return body["data"]


def _close(client: Any) -> None:
    http = getattr(client, "_mf_http", None)
    if http is not None:
        http.close()
    client.close()


def _text(message: dict[str, Any]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(str(part.get("text", part)) if isinstance(part, dict) else str(part)
                        for part in content)
    return str(content)


# -- the runs ----------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def drive(url: str, pid: int, sessions: int, duration: float, seed: int = 7) -> dict[str, Any]:
    """Run ``sessions`` mentees for ``duration`` seconds against the app at ``url``."""
    workers = [Session(i, url, 0.0, 0.0, random.Random(seed * 1000 + i))
               for i in range(sessions)]
    for worker in workers:
        worker.connect()
    run_started = time.monotonic()
    deadline = run_started + duration
    rss: list[tuple[float, float]] = [(0.0, rss_mb(pid))]
    app_cpu, client_cpu, load = cpu_seconds(pid), time.process_time(), os.getloadavg()[0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(2.0):
            rss.append((time.monotonic() - run_started, rss_mb(pid)))

    monitor = threading.Thread(target=sample, daemon=True)
    monitor.start()
    for worker in workers:
        worker.run_started, worker.deadline = run_started, deadline
    threads = []
    for worker in workers:
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        threads.append(thread)
        time.sleep(min(0.1, duration / max(1, sessions) / 10))  # a ramp of a few seconds
    for thread in threads:
        thread.join(timeout=duration + 300)
    elapsed = time.monotonic() - run_started
    done.set()
    rss.append((elapsed, rss_mb(pid)))
    app_cpu, client_cpu = cpu_seconds(pid) - app_cpu, time.process_time() - client_cpu
    turns = [t for w in workers for t in w.turns]
    ok = [t.seconds for t in turns if t.ok]
    return {
        "sessions": sessions, "duration_s": duration, "elapsed_s": round(elapsed, 1),
        "turns": len(turns), "ok_turns": len(ok), "errors": len(turns) - len(ok),
        "error_samples": [t.error for t in turns if not t.ok][:5],
        "turns_per_s": round(len(ok) / elapsed, 2),
        "p50_s": round(percentile(ok, 50), 3), "p95_s": round(percentile(ok, 95), 3),
        "p99_s": round(percentile(ok, 99), 3), "max_s": round(max(ok, default=float("nan")), 3),
        "rss_start_mb": round(rss[0][1], 1), "rss_end_mb": round(rss[-1][1], 1),
        "rss_max_mb": round(max(v for _, v in rss), 1),
        "crosstalk": sum(len(w.crosstalk) for w in workers),
        "crosstalk_samples": [c for w in workers for c in w.crosstalk][:5],
        "stuck_threads": sum(t.is_alive() for t in threads),
        # CPU seconds per completed turn: the app's (all its threads), and this driver's own
        # (the clients share the machine with the app); the load average when the run began.
        "app_cpu_per_turn_s": round(app_cpu / max(1, len(ok)), 3),
        "client_cpu_per_turn_s": round(client_cpu / max(1, len(ok)), 3),
        "load_average_start": round(load, 2),
        "draft_turns_without_draft": sum(w.drafts_missing for w in workers),
        "by_kind": {kind: round(percentile([t.seconds for t in turns if t.ok and t.kind == kind],
                                           95), 3)
                    for kind in ("vague", "answer", "refine", "draft")},
        "timeline": [asdict(t) for t in turns], "rss_timeline": rss,
    }


def warm(url: str) -> None:
    """One conversation before the clock starts (prototype vectors, first search)."""
    from gradio_client import Client

    client = Client(url, verbose=False, analytics_enabled=False, download_files=False,
                    max_workers=2, ssl_verify=SSL_CONTEXT)
    chat: list[Any] = []
    for text in ("I need a mentor", ANSWERS[0], "just show me mentors", DRAFTS[0]):
        chat = _turn(client, chat, text)[0]
    _close(client)


def start_chroma(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = free_port()
    log = open(folder / "chroma.log", "wb")
    process = subprocess.Popen([chroma, "run", "--path", str(folder / "db"), "--port", str(port),
                                "--host", "127.0.0.1"], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                return process, url
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"chroma run did not start; see {folder / 'chroma.log'}")


def plot(results: list[dict[str, Any]], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(results), 1, figsize=(9, 3.2 * len(results)), squeeze=False)
    for ax, result in zip(axes[:, 0], results):
        turns = [t for t in result["timeline"] if t["ok"]]
        xs = [t["started"] + t["seconds"] for t in turns]
        ys = [t["seconds"] for t in turns]
        ax.scatter(xs, ys, s=6, alpha=0.45, label="turn")
        window = 10.0
        edges = range(0, int(max(xs, default=0)) + 1, 5)
        roll = [(e, percentile([y for x, y in zip(xs, ys) if e - window < x <= e], 95))
                for e in edges]
        ax.plot([e for e, v in roll if v == v], [v for e, v in roll if v == v], color="C3",
                label="p95 over the last 10 s")
        ax.axhline(2.0, color="grey", linestyle=":", label="2 s target")
        ax.set_title(f"{result['label']}: {result['sessions']} sessions, "
                     f"p95 {result['p95_s']:.2f} s, {result['errors']} errors")
        ax.set_xlabel("seconds into the run")
        ax.set_ylabel("turn latency (s)")
        ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def run_load(args: Any) -> int:
    results = []
    targets = ["embedded"] + (["server"] if args.server else [])
    for target in targets:
        work = Path(tempfile.mkdtemp(prefix=f"mf-load-{target}-"))
        chroma = None
        try:
            url = None
            if target == "server":
                chroma, url = start_chroma(work)
            extra = {"MENTOR_FINDER_DEMO_FILE": args.mentors} if args.mentors else None
            app = start_app(work / "home", chroma_url=url, extra_env=extra)
            print(f"[{target}] page served after {app.seconds_to_page:.1f} s; warming up",
                  file=sys.stderr)
            warm(app.url)
            result = drive(app.url, app.process.pid, args.sessions, args.duration)
            result.update(label=f"{target} Chroma", seconds_to_page=round(app.seconds_to_page, 1))
            stop_app(app)
        finally:
            if chroma is not None:
                chroma.terminate()
                chroma.wait(timeout=30)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        results.append(result)
        print(summary(result), file=sys.stderr)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=1))
    if args.plot:
        plot(results, args.plot)
    print(table(results))
    return 0 if all(r["errors"] == 0 and r["crosstalk"] == 0 for r in results) else 1


def summary(r: dict[str, Any]) -> str:
    return (f"{r['label']}: {r['ok_turns']} turns ({r['turns_per_s']}/s), p50 {r['p50_s']} s, "
            f"p95 {r['p95_s']} s, p99 {r['p99_s']} s, errors {r['errors']}, cross-talk "
            f"{r['crosstalk']}, RSS {r['rss_start_mb']} -> {r['rss_end_mb']} MB, CPU per turn: "
            f"app {r['app_cpu_per_turn_s']} s, clients {r['client_cpu_per_turn_s']} s, "
            f"drafts missing {r['draft_turns_without_draft']}, load average at start "
            f"{r['load_average_start']}")


def table(results: list[dict[str, Any]]) -> str:
    rows = ["| store | sessions | turns | turns/s | p50 s | p95 s | p99 s | errors | cross-talk "
            "| RSS start → end MB |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        rows.append(f"| {r['label']} | {r['sessions']} | {r['ok_turns']} | {r['turns_per_s']} | "
                    f"{r['p50_s']:.2f} | {r['p95_s']:.2f} | {r['p99_s']:.2f} | {r['errors']} | "
                    f"{r['crosstalk']} | {r['rss_start_mb']:.0f} → {r['rss_end_mb']:.0f} |")
    return "\n".join(rows)


FIRST_QUESTION = "How do I prepare for my first conference talk? I get nervous on stage"


def _log_seconds(lines: Sequence[str], marker: str, started_wall: float) -> float:
    """Seconds from the app's start (wall clock) to the log line holding ``marker``."""
    stamp = next(line[:23] for line in lines if marker in line)
    seconds, millis = stamp.split(",")
    at = time.mktime(time.strptime(seconds, "%Y-%m-%d %H:%M:%S")) + int(millis) / 1000
    return at - started_wall


def run_firstrun(args: Any) -> int:
    """Fresh data folder each run: seconds until the page is served, until the mentors are in
    (the app's "ready" log line), and until a first question is answered with mentors."""
    from gradio_client import Client

    times, ready, answered, logs = [], [], [], []
    for _ in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="mf-firstrun-"))
        try:
            app = start_app(work / "home")
            started = time.monotonic() - app.seconds_to_page
            started_wall = time.time() - app.seconds_to_page
            times.append(app.seconds_to_page)
            client = Client(app.url, verbose=False, analytics_enabled=False,
                            download_files=False)
            cards = _turn(client, [], FIRST_QUESTION)[1]
            answered.append(time.monotonic() - started)
            _close(client)
            if 'class="mf-name"' not in str(cards):
                raise RuntimeError(f"the first question got no mentors; see {app.log}")
            lines = app.log.read_text().splitlines()
            ready.append(_log_seconds(lines, "ready: searches are answered", started_wall))
            seeded = [line for line in lines if "demo mentors:" in line]
            logs.append(seeded[-1] if seeded else "")
            stop_app(app)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"page served after {times[-1]:.1f} s, mentors in after {ready[-1]:.1f} s, first "
              f"question answered after {answered[-1]:.1f} s: {logs[-1]}", file=sys.stderr)
    result = {"runs": [round(t, 1) for t in times], "median_s": round(statistics.median(times), 1),
              "ready_runs": [round(t, 1) for t in ready],
              "ready_median_s": round(statistics.median(ready), 1),
              "first_answer_runs": [round(t, 1) for t in answered],
              "first_answer_median_s": round(statistics.median(answered), 1),
              "first_question": FIRST_QUESTION, "seed_log": logs}
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    return 0
