"""The Mentor Finder web app: `python app.py` serves it on http://127.0.0.1:7860.

Reads settings (MENTOR_FINDER_HOME, _HOST, _PORT, _LLM, _INDEX, _CHROMA_URL, _DEMO_FILE,
_DB_URL),
opens the index and serves the page at once; the bundled demo mentors are written (from their
shipped vectors) and the model loaded behind it, and a visitor's first search waits for that,
with a banner on the page saying how far it has got. Never shared publicly.
"""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before gradio is imported anywhere
# Gradio's queue rebuilds a pandas table of its last 10,000 events after every event, for a
# monitoring page this app never enables: under load that was several percent of the CPU and
# grew with every event. Summarise every 1,000 events over the last 1,000 instead.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "1000")
os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")

import argparse
import logging
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from finder.core.errors import ConfigError, MentorFinderError
from finder.core.settings import Settings

log = logging.getLogger("mentor-finder")


def parse_args(argv: Sequence[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Serve the Mentor Finder web app.")
    parser.add_argument("--host", default=settings.host,
                        help=f"address to listen on (default {settings.host})")
    parser.add_argument("--port", type=int, default=settings.port,
                        help=f"port to listen on (default {settings.port})")
    parser.add_argument("--no-seed", action="store_true",
                        help="don't index the bundled demo mentors (use your own index)")
    return parser.parse_args(argv)


def get_ready(services: Any, web: Any, startup: Any, demo_file: Path | None) -> None:
    """Behind the served page: write the demo mentors (shipped vectors where they fit), load the
    model and run one turn, then let visitors' searches through."""
    from finder.search.demo import seed_demo

    try:
        if demo_file is not None:
            log.info("seeding demo mentors from %s: new or changed ones take the shipped "
                     "vectors where they fit exactly, the rest are embedded (minutes on a laptop "
                     "CPU); later runs only check them (seconds)", demo_file)
            started = time.monotonic()
            report = seed_demo(services.finder, progress=True, path=demo_file,
                               on_progress=startup.progress)
            log.info("demo mentors: %s in %.0f s; %d taken from shipped vectors, %d embedded",
                     report.summary(), time.monotonic() - started, report.from_shipped,
                     report.embedded)
        log.info("%d mentors in the index; loading the embedding model",
                 services.finder.count())
        web.warm_up()
    except MentorFinderError as exc:
        log.error("could not get the mentors ready: %s", exc)
        startup.finish(error=str(exc))
        return
    except Exception as exc:  # a thread's crash would otherwise leave visitors waiting
        log.exception("start-up failed")
        startup.finish(error=f"{type(exc).__name__}: {exc}")
        return
    log.info("ready: searches are answered")
    startup.finish()


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration is noise
    try:
        settings = Settings.from_env()
        args = parse_args(argv, settings)
        check_port(args.host, args.port)  # before minutes of seeding, not after
        from finder.compose import build
        from finder.search.demo import DEMO_FILE
        from finder.ui.desk import ProgrammeDesk
        from finder.ui.page import build_app, launch_options, serve_lightly
        from finder.ui.web import Startup, WebApp

        log.info("opening the index in %s", settings.chroma_url or settings.home)
        services = build(settings)  # a bad chat-model backend fails here, before seeding
        demo_file = None if args.no_seed else (settings.demo_file or DEMO_FILE)
        if demo_file is not None and not demo_file.exists():
            raise ConfigError(f"the demo mentors file {demo_file} does not exist; set "
                              "MENTOR_FINDER_DEMO_FILE to one, or start with --no-seed")
        startup = Startup("the demo mentors" if demo_file else "the mentor index")
        web = WebApp(services.programme, services.assistant,
                     requests=services.programme.requests, startup=startup)
        demo = build_app(web, ProgrammeDesk(services.programme))
    except MentorFinderError as exc:
        print(f"mentor-finder: {exc}", file=sys.stderr)
        return 2
    log.info("serving on http://%s:%d", args.host, args.port)
    try:
        demo.launch(server_name=args.host, server_port=args.port, share=False, footer_links=[],
                    show_error=True, prevent_thread_lock=True, **launch_options())
    except OSError as exc:  # the port was taken while we were starting
        print(f"mentor-finder: {port_message(args.host, args.port, exc)}", file=sys.stderr)
        return 2
    serve_lightly(demo)  # the page rendered once, sessions without Gradio's config copies
    # The page is served first; then the mentors are written and the model loaded behind it
    # (started earlier, that work would hold the interpreter while the page is being built),
    # and a visitor's first search waits for them, the page showing how far it has got.
    threading.Thread(target=get_ready, args=(services, web, startup, demo_file),
                     name="startup", daemon=True).start()
    demo.block_thread()  # until Ctrl+C, which closes the server
    return 0


def port_message(host: str, port: int, exc: OSError) -> str:
    return (f"can't listen on {host}:{port} ({exc.strerror or exc}); another program (or "
            f"another mentor-finder) uses it. Pick a free port with --port {port + 1}, or set "
            "MENTOR_FINDER_PORT")


def check_port(host: str, port: int) -> None:
    """ConfigError now if ``host:port`` can't be listened on (e.g. it is in use)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, _, _, _, address = infos[0]
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        raise ConfigError(port_message(host, port, exc)) from None


if __name__ == "__main__":
    sys.exit(main())
