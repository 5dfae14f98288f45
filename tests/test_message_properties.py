"""Issue 7, item 2: every text the chat shows for 312 generated mentee messages reads well.

Each message goes through the real offline Conversation over the real demo index and model:
the message, "skip" for any question, then a draft to the first mentor shown. Every question,
results line, goal summary, plan, subject line, draft body and suggested question must pass
``eval.textcheck.problems``.

Before the understanding rewrite 245 of the 312 messages showed at least one such text (see
eval/results/issue7_before.md); after it, none does (eval/results/messages.json).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eval.datasets.generated_messages import JSONL, messages, write
from eval.messages import check_messages, summarise, table


def test_the_corpus_is_deterministic_varied_and_matches_its_jsonl(tmp_path: Path) -> None:
    corpus = messages()
    assert len(corpus) >= 300
    assert [m.text for m in corpus] == [m.text for m in messages()]
    out = tmp_path / "messages.jsonl"
    write(out)
    assert out.read_text(encoding="utf-8") == JSONL.read_text(encoding="utf-8"), (
        "generated_messages.jsonl is stale; run python -m eval.datasets.generated_messages")
    rows = [json.loads(line) for line in JSONL.read_text(encoding="utf-8").splitlines()]
    assert len({r["text"] for r in rows}) == len(rows)
    assert {r["position"] for r in rows} >= {"start", "middle", "end", None}
    assert {r["form"] for r in rows} == {"question", "statement"}
    assert len({r["field"] for r in rows}) >= 30
    assert sum(bool(r["filler"]) for r in rows) >= 50
    assert sum(bool(r["typo"]) for r in rows) >= 10
    assert sum(r["text"].count(". ") >= 2 for r in rows) >= 100
    assert {r["split"] for r in rows} == {"tune", "report"}
    assert any(r["text"].startswith("Hi!") for r in rows)
    assert any(r["text"].startswith("Hey there,") for r in rows)


@pytest.mark.slow
def test_every_text_shown_for_generated_messages_reads_well(demo_finder: Any) -> None:
    corpus = messages()
    results = check_messages(demo_finder, [m.text for m in corpus])
    summary = summarise(results, [m.id for m in corpus])
    assert all(r["kinds"][-1] == "draft" for r in results), "every message should reach a draft"
    assert summary["failing"] == 0, table(summary)
