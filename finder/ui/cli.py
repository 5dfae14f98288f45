"""The ``mentor-finder`` command: ingest, search and inspect an index from a terminal or script."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from finder.core.errors import ConfigError, MentorFinderError
from finder.core.text import strip_controls
from finder.core.models import FORMATS, SearchFilters


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentor-finder",
        description="Find the right few mentors for one focused question.",
    )
    parser.add_argument("--home", type=Path, default=None,
                        help="index folder (default: MENTOR_FINDER_HOME or the user data dir)")
    parser.add_argument("--index", default=None,
                        help="index name, e.g. one per organisation (default: MENTOR_FINDER_INDEX "
                             "or 'default')")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="validate and index mentors from a file")
    ingest.add_argument("path", help="a .jsonl, .json or .csv file of mentor records")
    ingest.add_argument("--strict", action="store_true",
                        help="reject the whole file if any record is invalid")
    ingest.add_argument("--prune", action="store_true",
                        help="remove mentors that are not in the file")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")

    search = commands.add_parser("search", help="search the index")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5, help="how many mentors (default 5)")
    search.add_argument("--format", action="append", choices=FORMATS, dest="formats",
                        help="session format; repeat for any of several")
    search.add_argument("--max-minutes", type=int, help="longest session you want")
    search.add_argument("--language", action="append", dest="languages",
                        help="ISO 639-1 code, e.g. en; repeat for any of several")
    search.add_argument("--industry", action="append", dest="industries")
    search.add_argument("--organization")
    search.add_argument("--diversity", type=float, default=0.3,
                        help="0 = relevance only, 1 = as varied as possible (default 0.3)")
    search.add_argument("--pipeline", default="default", help=argparse.SUPPRESS)
    search.add_argument("--json", action="store_true", help="print the matches as JSON")

    stats = commands.add_parser("stats", help="what the index holds")
    stats.add_argument("--json", action="store_true")

    seed = commands.add_parser("seed", help="index the bundled demo mentors (if not yet there)")
    seed.add_argument("--json", action="store_true")

    match = commands.add_parser("match", help="assign mentors to a cohort of mentees (CSV)")
    match.add_argument("path", help="a CSV with columns id, name, goal (+ format, length, "
                                    "language)")
    match.add_argument("--per-mentee", type=int, default=2,
                       help="mentors per mentee (default 2)")
    match.add_argument("--respect-capacity", action="store_true",
                       help="count this week's requests against each mentor's capacity")
    match.add_argument("--objective", choices=["score", "participation"], default="score",
                       help="highest total score, or as many mentors as possible taking part")
    match.add_argument("--json", action="store_true",
                       help="print the pairs with their drafts as JSON")

    requests = commands.add_parser("requests", help="list or update requests to mentors")
    requests.add_argument("action", nargs="?", default="list",
                          choices=["list", "sent", "status", "rate", "export"],
                          help="list (default); sent MENTOR_ID SESSION GOAL; status ID STATUS; "
                               "rate ID yes|partly|no; export DIR (graded judgments)")
    requests.add_argument("args", nargs="*")
    requests.add_argument("--session", help="only this mentee session's requests")
    requests.add_argument("--mentor", help="only this mentor's requests")
    requests.add_argument("--json", action="store_true")
    return parser


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from finder.compose import open_finder
    from finder.core.settings import Settings

    settings = Settings.from_env()
    overrides = {"index": args.index} if args.index else {}
    if args.home is not None:
        overrides["home"] = args.home.expanduser()
    settings = settings.model_copy(update=overrides)
    home = settings.home
    if home.exists() and not home.is_dir():
        raise ConfigError(f"--home {home} is a file, not a folder; point --home / "
                          "MENTOR_FINDER_HOME at the folder that holds the index")
    new = settings.chroma_url is None and not (home / "chroma").is_dir()
    if new and args.command in {"search", "stats", "match"}:
        raise ConfigError(f"there is no index in {home}; check --home / MENTOR_FINDER_HOME, or "
                          f"create one with `mentor-finder --home {home} ingest FILE`")
    args.created = home if new else None
    return open_finder(settings)


def _say(text: str = "", **kwargs: object) -> None:
    """Print text from the index (mentor names, bios) without terminal control sequences."""
    print(strip_controls(text), **kwargs)  # type: ignore[call-overload]


def _print_matches(matches: Sequence, width: int) -> None:  # type: ignore[type-arg]
    if not matches:
        _say("No mentor matches that. Try fewer filters or other words.")
        return
    for rank, match in enumerate(matches, 1):
        mentor = match.mentor
        _say(f"{rank}. {mentor.name} — {mentor.headline or mentor.industries[:1]}  "
             f"[{mentor.id}, score {match.score:.2f}]")
        details = [", ".join(mentor.formats) or "format not stated",
                   "/".join(str(m) for m in mentor.session_minutes) + " min",
                   "speaks " + ", ".join(mentor.languages)]
        if mentor.timezone:
            details.append(mentor.timezone)
        _say("   " + " · ".join(details))
        for line in textwrap.wrap("Why: " + match.reasons.summary(), width - 3):
            _say("   " + line)
        _say()


def run(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    width = min(100, max(60, os.get_terminal_size().columns if sys.stdout.isatty() else 100))
    mf = _open(args)
    if args.command == "ingest":
        report = mf.ingest(args.path, strict=args.strict, prune=args.prune,
                           progress=sys.stderr.isatty())
        if args.json:
            _say(report.model_dump_json(indent=2))
        else:
            for problem in report.errors:
                _say(f"rejected: {problem}", file=sys.stderr)
            _say(report.summary() + f". The index now holds {report.total} mentors.")
    elif args.command == "search":
        filters = SearchFilters(formats=args.formats, max_minutes=args.max_minutes,
                                languages=args.languages, industries=args.industries,
                                organization=args.organization)
        from finder.search.service import dump_matches

        matches = mf.search(args.query, k=args.k, filters=filters, diversity=args.diversity,
                            pipeline=args.pipeline)
        if args.json:
            _say(dump_matches(matches))
        else:
            _print_matches(matches, width)
    elif args.command == "stats":
        stats = mf.stats()
        if args.json:
            _say(json.dumps(stats, indent=2))
        else:
            for key, value in stats.items():
                _say(f"{key:>14}: {value}")
    elif args.command == "match":
        _match(args, mf, width)
    elif args.command == "requests":
        _requests(args, mf)
    elif args.command == "seed":
        from finder.core.settings import Settings
        from finder.search.demo import DEMO_FILE, seed_demo

        report = seed_demo(mf, progress=sys.stderr.isatty(),
                           path=Settings.from_env().demo_file or DEMO_FILE)
        _say(report.model_dump_json(indent=2) if args.json else
             report.summary() + f". The index now holds {report.total} mentors.")
    if args.created is not None:
        print(f"mentor-finder: created a new index in {args.created}", file=sys.stderr)
    return 0


def _programme(args: argparse.Namespace, mf):  # type: ignore[no-untyped-def]
    from finder.compose import open_programme
    from finder.core.settings import Settings

    settings = Settings.from_env()
    if args.home is not None:
        settings = settings.model_copy(update={"home": args.home})
    if args.index:
        settings = settings.model_copy(update={"index": args.index})
    return open_programme(settings, mf)


def _requests(args: argparse.Namespace, mf) -> None:  # type: ignore[no-untyped-def]
    from finder.core.errors import RequestError

    book = _programme(args, mf).requests
    wanted = {"sent": 3, "status": 2, "rate": 2, "export": 1, "list": 0}[args.action]
    if len(args.args) != wanted:
        raise RequestError(f"'requests {args.action}' takes {wanted} argument(s), got "
                           f"{len(args.args)}; see mentor-finder requests --help")
    if args.action == "export":
        count = book.export_judgments(args.args[0])
        print(f"{count} graded judgment{'' if count == 1 else 's'} written to {args.args[0]}")
        return
    if args.action == "sent":
        changed = [book.record(args.args[0], args.args[2], args.args[1])]
    elif args.action == "status":
        changed = [book.set_status(_request_id(args.args[0]), args.args[1])]
    elif args.action == "rate":
        changed = [book.rate(_request_id(args.args[0]), args.args[1])]
    else:
        changed = book.list(session_id=args.session, mentor_id=args.mentor)
    if args.json:
        print(json.dumps([r.model_dump(mode="json") for r in changed], indent=2))
        return
    if not changed:
        print("No requests yet." if not (args.session or args.mentor)
              else "No requests for this " + ("session." if args.session else "mentor."))
    for r in changed:
        print(f"#{r.id} {r.status:<9} {r.mentor_id}  session {r.session_id}  "
              f"sent {r.sent_at:%Y-%m-%d %H:%M}" + (f"  fit {r.fit}" if r.fit else "")
              + f"  {_shorten(r.goal_summary, 60)}")


def _shorten(text: str, width: int) -> str:
    """``text`` within ``width`` characters, ending on a whole word and '…' when cut."""
    if len(text) <= width:
        return text
    return textwrap.shorten(text, width, placeholder="…").removesuffix("…").rstrip(" ,;:") + "…"


def _request_id(text: str) -> int:
    from finder.core.errors import RequestError

    try:
        return int(text.lstrip("#"))
    except ValueError:
        raise RequestError(f"{text!r} is not a request id; use the number from "
                           "'mentor-finder requests'") from None


def _match(args: argparse.Namespace, mf, width: int) -> None:  # type: ignore[no-untyped-def]
    from finder.programme.cohort import read_mentees

    mentees = read_mentees(args.path)  # a bad file fails before anything else happens
    result = _programme(args, mf).match_cohort(
        mentees, per_mentee=args.per_mentee, respect_capacity=args.respect_capacity,
        objective=args.objective)
    if args.json:
        _say(result.model_dump_json(indent=2))
        return
    for pair in result.pairs:
        _say(f"{pair.mentee_name} → {pair.mentor_name} [{pair.mentor_id}, "
             f"score {pair.score:.2f}]")
        for line in textwrap.wrap("Why: " + pair.reason, width - 3):
            _say("   " + line)
        _say(f"   Draft: {pair.draft.subject}")
    _say(f"{len(result.pairs)} pairs, total score {result.total_score:.2f}, "
         f"{result.mentors_used} mentors taking part"
         + (f"; no mentor for: {', '.join(result.unmatched)}" if result.unmatched else ""))


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: errors become one line on stderr and a non-zero exit code."""
    try:
        code = run(argv)
    except MentorFinderError as exc:
        print(f"mentor-finder: error: {strip_controls(str(exc))}", file=sys.stderr)
        code = 1
    except BrokenPipeError:
        code = 0
    except OSError as exc:  # a full disk, a folder we may not write to, a lock we can't take
        print(f"mentor-finder: error: {strip_controls(str(exc))}", file=sys.stderr)
        code = 1
    except KeyboardInterrupt:
        print("mentor-finder: interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
