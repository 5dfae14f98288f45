"""Scripted conversations against the real Conversation (offline backend) over a mentor index.

Each line of the dialogues file is one conversation::

    {"id": "vague-01", "note": "...", "turns": [
        {"user": "I want career advice", "expect": {"kind": "question", "slot": "challenge"}},
        {"user": "how to negotiate my first salary offer", "expect": {"kind": "results"}}]}

``expect`` may hold:

- ``kind``: the reply kind, or a list of acceptable kinds;
- ``slot``: the slot a question asks about;
- ``satisfies``: SearchFilters fields (``formats``, ``max_minutes``, ``languages``, region as
  ``utc_offset_min``/``utc_offset_max``, ...) that every match shown (in results, in every planned
  session, or the mentor drafted to) must satisfy; a draft must also use an allowed format and
  a session no longer than ``max_minutes``;
- ``sessions``: the least number of planned sessions (a long-term goal split into micro-sessions);
- ``draft``: true when the reply must be a draft that passes
  ``finder.outreach.drafting.check_draft``;
- ``mentors_any``: lowercase keywords or regular expressions; at least one of the first five
  mentors shown (results; for a plan, the sessions' mentors in order) must match one of them in
  its headline or skills;
- ``texts_ok`` (true unless set to false): every text shown (the question, the results line
  with the goal summary, the plan, the draft's subject, body and suggested questions) passes
  ``eval.textcheck.problems``;
- ``draft_mentions``: words (or regular expressions) the draft's subject, body and questions
  must contain between them, e.g. ``["raise", "15"]``;
- ``format``: the draft's format (or a list of acceptable ones); ``minutes``: its length, a
  number or a ``[low, high]`` range.

Every conversation is also checked for never asking about the same slot twice. A dialogue may
carry a ``split`` (``tune`` or ``report``); ``--split`` runs one half.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eval.reports import write_report
from finder.dialogue.conversation import Conversation, Reply
from finder.outreach.drafting import check_draft
from finder.search.embedding import Embedder
from finder.core.models import Match, SearchFilters
from finder.search.service import MentorFinder

BEHAVIOURS = {
    "asks_when_vague": "asks a question when the goal is vague",
    "no_question_when_specific": "answers a specific goal without asking",
    "no_repeated_question": "never asks about the same slot twice",
    "honours_constraints": "every match satisfies the stated format / time / language / region",
    "draft_honours_constraints": "the draft uses the stated format, length and a fitting mentor",
    "splits_long_term_goal": "splits a long-term goal into 2-3 micro-sessions with mentors",
    "draft_rules": "drafts pass check_draft",
    "expected_reply": "other expected reply kinds (e.g. results after an answer)",
    "relevant_mentors": "a fitting mentor (by headline or skills) among the first five shown",
    "texts_read_well": "every text shown passes eval.textcheck (no fragments or garbling)",
    "draft_content": "the draft mentions what the mentee asked, in the format and length asked",
}
# Behaviours about meaning (issue 7); the others check the structure of the replies.
CONTENT_BEHAVIOURS = frozenset({"relevant_mentors", "texts_read_well", "draft_content"})


@dataclass
class Check:
    """One expectation about one turn."""

    dialogue: str
    turn: int
    behaviour: str
    passed: bool
    detail: str = ""


@dataclass
class Outcome:
    """What one conversation did, turn by turn, and the checks it passed or failed."""

    id: str
    checks: list[Check] = field(default_factory=list)
    transcript: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.passed for c in self.checks)


def load_dialogues(path: str | Path) -> list[dict[str, Any]]:
    """The scripted conversations, each with an id and a list of turns."""
    dialogues = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not record.get("id") or not record.get("turns"):
                raise ValueError(f"{path}, line {number}: a dialogue needs an id and turns")
            dialogues.append(record)
    return dialogues


def load_split(path: str | Path, split: str | None) -> list[dict[str, Any]]:
    """The dialogues of one split (``tune``/``report``), or all of them for ``None``/``all``."""
    records = load_dialogues(path)
    if split in (None, "", "all"):
        return records
    kept = [r for r in records if r.get("split") == split]
    if not kept:
        splits = sorted({str(r.get("split")) for r in records})
        raise ValueError(f"{path} has no dialogue in split {split!r}; its splits: "
                         f"{', '.join(splits)}")
    return kept


def _shown(reply: Reply) -> list[Match]:
    if reply.kind == "plan":
        return [m for session in reply.plan for m in session.matches]
    return list(reply.matches)


def shown_texts(reply: Reply) -> list[tuple[str, str]]:
    """Every text a person sees in this reply, each with its ``eval.textcheck`` kind."""
    texts: list[tuple[str, str]] = []
    if reply.kind == "question":
        texts.append(("question", reply.text))
    elif reply.kind == "results":
        texts.append(("summary", reply.text))
    elif reply.kind == "plan":
        texts.append(("plan", reply.text))
    else:
        texts.append(("body", reply.text))
    if reply.goal is not None and (reply.goal.topic or reply.goal.challenge):
        texts.append(("summary", reply.goal.summary()))
    if reply.draft is not None:
        texts.append(("subject", reply.draft.subject))
        texts.append(("body", reply.draft.body))
        texts += [("suggested_question", q) for q in reply.draft.questions]
    return texts


def text_problems(reply: Reply) -> list[str]:
    """What ``eval.textcheck`` finds wrong in the texts of one reply, each prefixed by kind."""
    from eval.textcheck import problems

    found: list[str] = []
    for kind, text in shown_texts(reply):
        found += [f"{kind}: {p}" for p in problems(text, kind)]
    return found


def mentor_matches(match: Match, keywords: Sequence[str]) -> bool:
    """Whether the mentor's headline or skills match one of the keywords (regular expressions)."""
    text = " | ".join([match.mentor.headline, *match.mentor.skills]).lower()
    return any(re.search(keyword, text) for keyword in keywords)


def _draft_text(reply: Reply) -> str:
    draft = reply.draft
    return "" if draft is None else "\n".join([draft.subject, draft.body, *draft.questions])


def _kind_behaviour(expected: str | list[str], turn: int) -> str:
    kinds = [expected] if isinstance(expected, str) else list(expected)
    if kinds == ["question"]:
        return "asks_when_vague"
    if turn == 0 and "question" not in kinds:
        return "no_question_when_specific"
    if kinds == ["plan"]:
        return "splits_long_term_goal"
    return "expected_reply"


def check_turn(dialogue: str, turn: int, reply: Reply, expect: dict[str, Any],
               conversation: Conversation) -> list[Check]:
    """The checks that ``expect`` asks of one reply."""
    checks: list[Check] = []

    def add(behaviour: str, passed: bool, detail: str = "") -> None:
        checks.append(Check(dialogue, turn, behaviour, passed, "" if passed else detail))

    if "kind" in expect:
        kinds = [expect["kind"]] if isinstance(expect["kind"], str) else list(expect["kind"])
        add(_kind_behaviour(expect["kind"], turn), reply.kind in kinds,
            f"expected {'/'.join(kinds)}, got {reply.kind}: {reply.text[:120]!r}")
    if "slot" in expect and reply.kind == "question":
        add("asks_when_vague", reply.slot == expect["slot"],
            f"asked about {reply.slot}, expected {expect['slot']}")
    if "sessions" in expect:
        sessions = reply.plan if reply.kind == "plan" else []
        ok = (expect["sessions"] <= len(sessions) <= 3
              and all(s.goal.challenge and s.matches for s in sessions))
        add("splits_long_term_goal", ok,
            f"{reply.kind} with {len(sessions)} sessions "
            f"({[len(s.matches) for s in sessions]} matches each)")
    if "satisfies" in expect:
        wanted = SearchFilters(**expect["satisfies"])
        shown = _shown(reply)
        if reply.kind == "draft" and reply.draft is not None:
            fmt, minutes = reply.draft.format, reply.draft.minutes
            bad = []
            if wanted.formats and fmt not in wanted.formats:
                bad.append(f"format {fmt} not in {wanted.formats}")
            if (wanted.max_minutes is not None and fmt != "email"
                    and (minutes is None or minutes > wanted.max_minutes)):
                bad.append(f"{minutes} minutes > {wanted.max_minutes}")
            bad += [f"drafted to {m.mentor.id}, which does not satisfy the filters"
                    for m in shown if not wanted.accepts(m.mentor)]
            add("draft_honours_constraints", not bad, "; ".join(bad))
        else:
            failing = [m.mentor.id for m in shown if not wanted.accepts(m.mentor)]
            add("honours_constraints", bool(shown) and not failing,
                f"no matches shown ({reply.kind})" if not shown else
                f"{len(failing)}/{len(shown)} matches break {expect['satisfies']}: "
                f"{failing[:5]}")
    if expect.get("draft"):
        if reply.kind != "draft" or reply.draft is None or not reply.matches:
            add("draft_rules", False, f"expected a draft, got {reply.kind}: {reply.text[:100]!r}")
        else:
            mentor = reply.matches[0].mentor
            goal = reply.goal or conversation.state.goal
            problems = check_draft(reply.draft, mentor, goal, conversation.state.user_texts)
            problems += [p for p in reply.draft_problems if p not in problems]
            add("draft_rules", not problems, "; ".join(problems))
    if "mentors_any" in expect:
        first = _shown(reply)[:5]
        hits = [m.mentor.id for m in first if mentor_matches(m, expect["mentors_any"])]
        add("relevant_mentors", bool(hits),
            f"none of {len(first)} mentors shown matches {expect['mentors_any']}: "
            + "; ".join(f"{m.mentor.headline[:40]}" for m in first))
    if expect.get("texts_ok", True):
        problems = text_problems(reply)
        add("texts_read_well", not problems, "; ".join(problems[:6]))
    if any(key in expect for key in ("draft_mentions", "format", "minutes")):
        bad: list[str] = []
        if reply.kind != "draft" or reply.draft is None:
            bad.append(f"expected a draft, got {reply.kind}")
        else:
            text = _draft_text(reply).lower()
            bad += [f"draft does not mention {word!r}" for word in expect.get("draft_mentions", [])
                    if not re.search(word.lower(), text)]
            formats = expect.get("format")
            if formats is not None:
                formats = [formats] if isinstance(formats, str) else list(formats)
                if reply.draft.format not in formats:
                    bad.append(f"draft format {reply.draft.format}, expected {'/'.join(formats)}")
            minutes = expect.get("minutes")
            if minutes is not None:
                low, high = (minutes, minutes) if isinstance(minutes, int) else minutes
                got = reply.draft.minutes
                if got is None or not low <= got <= high:
                    bad.append(f"draft proposes {got} minutes, expected {minutes}")
        add("draft_content", not bad, "; ".join(bad))
    return checks


def run_dialogue(searcher: MentorFinder, record: dict[str, Any]) -> Outcome:
    """Play one scripted conversation and check every turn."""
    outcome = Outcome(id=record["id"])
    conversation = Conversation(searcher)
    asked: list[str] = []
    for turn, step in enumerate(record["turns"]):
        try:
            reply = conversation.send(step["user"])
        except Exception as exc:
            outcome.error = f"turn {turn}: {type(exc).__name__}: {exc}"
            outcome.checks.append(Check(record["id"], turn, "expected_reply", False,
                                        outcome.error))
            return outcome
        outcome.transcript.append({
            "user": step["user"], "kind": reply.kind, "slot": reply.slot,
            "text": reply.text[:300], "matches": [m.mentor.id for m in _shown(reply)],
            "draft": reply.draft.model_dump() if reply.draft else None})
        if reply.kind == "question" and reply.slot:
            repeated = reply.slot in asked
            outcome.checks.append(Check(record["id"], turn, "no_repeated_question",
                                        not repeated,
                                        f"asked about {reply.slot} again" if repeated else ""))
            asked.append(reply.slot)
        outcome.checks += check_turn(record["id"], turn, reply, step.get("expect", {}),
                                     conversation)
    return outcome


def summarise(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Pass rate per behaviour, per conversation, and the failures."""
    per: dict[str, list[bool]] = defaultdict(list)
    for outcome in outcomes:
        for check in outcome.checks:
            per[check.behaviour].append(check.passed)
    behaviours = {name: {"description": BEHAVIOURS.get(name, name), "checks": len(results),
                         "passed": sum(results),
                         "rate": round(sum(results) / len(results), 4)}
                  for name, results in sorted(per.items())}
    failures = [{"dialogue": c.dialogue, "turn": c.turn, "behaviour": c.behaviour,
                 "detail": c.detail}
                for o in outcomes for c in o.checks if not c.passed]
    total = sum(len(v) for v in per.values())
    structural = sum(o.error is None and all(c.passed for c in o.checks
                                             if c.behaviour not in CONTENT_BEHAVIOURS)
                     for o in outcomes)
    return {
        "dialogues": len(outcomes),
        "dialogues_passed": sum(o.passed for o in outcomes),
        "structure": {"dialogues_passed": structural},
        "checks": total, "checks_passed": sum(sum(v) for v in per.values()),
        "behaviours": behaviours, "failures": failures,
        "transcripts": {o.id: o.transcript for o in outcomes},
    }


def table(summary: dict[str, Any]) -> str:
    structure = summary.get("structure", {})
    lines = [f"{summary['dialogues_passed']}/{summary['dialogues']} conversations pass; "
             f"{summary['checks_passed']}/{summary['checks']} checks"
             + (f" ({summary.get('dataset')}, split {summary.get('split')})"
                if summary.get("dataset") else ""),
             f"Structure checks only (no content checks): {structure.get('dialogues_passed')}/"
             f"{summary['dialogues']} conversations pass" if structure else "", "",
             "| behaviour | passed | checks | rate |", "|---|---|---|---|"]
    for name, row in summary["behaviours"].items():
        lines.append(f"| {name} | {row['passed']} | {row['checks']} | {row['rate']:.0%} |")
    if summary["failures"]:
        lines += ["", "Failures:"]
        lines += [f"- {f['dialogue']} turn {f['turn']} [{f['behaviour']}]: {f['detail']}"
                  for f in summary["failures"]]
    return "\n".join(lines)


@contextmanager
def mentor_index(mentors: str | Path, embedder: Embedder | None = None,
                 index_dir: str | Path | None = None,
                 progress: bool = True) -> Iterator[MentorFinder]:
    """A MentorFinder holding exactly these mentor records.

    Mentors whose texts are in the shipped demo vectors (same model, same texts) take them, as
    the app's seeding does; the rest are embedded.
    """
    from finder.search.demo import DEMO_VECTORS
    from finder.search.shipped import ShippedVectors

    shipped = ShippedVectors.load(DEMO_VECTORS) if DEMO_VECTORS.exists() else None
    with tempfile.TemporaryDirectory(prefix="mf-dialogue-") as tmp:
        finder = MentorFinder.open(Path(index_dir) if index_dir else Path(tmp), index="eval",
                                   embedder=embedder)
        finder.ingest(mentors, prune=True, progress=progress, shipped=shipped)
        yield finder


def evaluate_dialogues(dialogues: str | Path, mentors: str | Path, *,
                       embedder: Embedder | None = None, index_dir: str | Path | None = None,
                       only: Sequence[str] | None = None, split: str | None = None,
                       progress: bool = True) -> dict[str, Any]:
    """Run every scripted conversation (of one split); the summary of what passed."""
    from tqdm.auto import tqdm

    records = load_split(dialogues, split)
    if only:
        records = [r for r in records if r["id"] in set(only)]
    with mentor_index(mentors, embedder, index_dir, progress) as finder:
        outcomes = [run_dialogue(finder, record)
                    for record in tqdm(records, desc="dialogues", disable=not progress)]
    summary = summarise(outcomes)
    summary["dataset"], summary["split"] = Path(dialogues).name, split or "all"
    return summary


def main(args: Any) -> int:
    """``python -m eval dialogue``."""
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    summary = evaluate_dialogues(args.dialogues, args.mentors, index_dir=args.index_dir,
                                 only=only, split=args.split, progress=not args.quiet)
    rendered = table(summary)
    print(rendered)
    if args.json:
        write_report(args.json, summary, rendered)
    return 0 if summary["dialogues_passed"] == summary["dialogues"] else 1
