"""Send each generated mentee message through the chat up to a draft; check every text shown.

``python -m eval messages`` runs the corpus of ``eval/datasets/generated_messages.py`` against
the offline ``Conversation`` over the demo mentors: the message, "skip" for any question (at most
three), then a draft to the first mentor shown (for a plan, the first session's first mentor).
Every text shown passes through ``eval.textcheck.problems``; the report lists the messages with
a problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from eval.reports import write_report
from eval.dialogue import mentor_index, shown_texts
from eval.textcheck import problems
from finder.dialogue.conversation import Conversation, Reply
from finder.dialogue.assistant import OfflineAssistant
from finder.search.service import MentorFinder


def _first_mentor(reply: Reply) -> str | None:
    if reply.kind == "plan":
        for session in reply.plan:
            if session.matches:
                return session.matches[0].mentor.id
        return None
    return reply.matches[0].mentor.id if reply.matches else None


def check_message(finder: MentorFinder, text: str,
                  offline: OfflineAssistant | None = None) -> dict[str, Any]:
    """One message up to a draft: the replies' kinds and every problem in the texts shown."""
    conversation = Conversation(finder, offline=offline)
    replies = [conversation.send(text)]
    while replies[-1].kind == "question" and len(replies) < 4:
        replies.append(conversation.send("skip"))
    mentor = _first_mentor(replies[-1])
    if mentor is not None:
        replies.append(conversation.draft_for(mentor))
    found: list[str] = []
    shown: list[tuple[str, str]] = []
    for reply in replies:
        for kind, shown_text in shown_texts(reply):
            shown.append((kind, shown_text))
            found += [f"{kind}: {p}" for p in problems(shown_text, kind)]
    return {"text": text, "kinds": [r.kind for r in replies],
            "problems": list(dict.fromkeys(found)), "shown": shown}


def check_messages(finder: MentorFinder, texts: Sequence[str]) -> list[dict[str, Any]]:
    """``check_message`` for each text, sharing one offline assistant."""
    offline = OfflineAssistant(finder.embedder)
    return [check_message(finder, text, offline) for text in texts]


def summarise(results: Sequence[dict[str, Any]], ids: Sequence[str]) -> dict[str, Any]:
    """How many messages showed a text with a problem, and which problems were most common."""
    failing = [dict(r, id=i) for r, i in zip(results, ids, strict=True) if r["problems"]]
    kinds: Counter[str] = Counter()
    for result in failing:
        kinds.update({p.split(":")[0] + ": " + p.split(":")[1].strip() for p in result["problems"]})
    return {"messages": len(results), "failing": len(failing),
            "problem_kinds": dict(kinds.most_common()),
            "failures": [{"id": f["id"], "text": f["text"], "kinds": f["kinds"],
                          "problems": f["problems"]} for f in failing]}


def table(summary: dict[str, Any]) -> str:
    lines = [f"{summary['failing']}/{summary['messages']} generated messages show at least one "
             "text with a problem", "", "| problem | messages |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in summary["problem_kinds"].items()]
    if summary["failures"]:
        lines += ["", "First failures:"]
        lines += [f"- {f['id']} {f['text']!r}: {'; '.join(f['problems'][:3])}"
                  for f in summary["failures"][:15]]
    return "\n".join(lines)


def main(args: Any) -> int:
    """``python -m eval messages``."""
    from eval.datasets.generated_messages import messages

    corpus = [m for m in messages() if args.split in (None, "all", m.split)]
    with mentor_index(args.mentors, index_dir=args.index_dir, progress=not args.quiet) as finder:
        results = check_messages(finder, [m.text for m in corpus])
    summary = summarise(results, [m.id for m in corpus])
    rendered = table(summary)
    print(rendered)
    if args.json:
        write_report(args.json, summary, rendered)
    return 0 if not summary["failing"] else 1
