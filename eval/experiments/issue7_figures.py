"""Issue 7's figures from the JSON files of one run, as markdown (used for issue7_before.md).

    python eval/experiments/issue7_figures.py eval/results/issue7_before

reads dialogue_old.json, dialogue_mentee.json, messages.json and chat_goals_*.json from that
folder and prints the tables; re-run it on an "after" folder to compare.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

CONTENT = {"relevant_mentors", "texts_read_well", "draft_content"}


def dialogue_rows(summary: dict, ids: list[str] | None = None) -> dict:
    transcripts = summary["transcripts"]
    ids = ids if ids is not None else list(transcripts)
    failed: dict[str, set[str]] = {i: set() for i in ids}
    for failure in summary["failures"]:
        if failure["dialogue"] in failed:
            failed[failure["dialogue"]].add(failure["behaviour"])
    return {
        "dialogues": len(ids),
        "pass_all": sum(not b for b in failed.values()),
        "pass_structure": sum(not (b - CONTENT) for b in failed.values()),
        "pass_without_texts": sum(not (b - {"texts_read_well"}) for b in failed.values()),
        "fail_by_behaviour": Counter(x for b in failed.values() for x in b),
    }


def main(folder: str) -> None:
    root = Path(folder)
    old = json.loads((root / "dialogue_old.json").read_text())
    new = json.loads((root / "dialogue_mentee.json").read_text())
    splits: dict[str, list[str]] = {"tune": [], "report": []}
    for line in Path("eval/datasets/dialogues_mentee.jsonl").read_text().splitlines():
        record = json.loads(line)
        splits[record["split"]].append(record["id"])
    print("## Dialogue sets\n")
    print("| set | dialogues | pass every check | pass structure checks only | "
          "pass all but the text checks |")
    print("|---|---|---|---|---|")
    rows = [("old dialogues.jsonl", dialogue_rows(old)),
            ("mentee set, all", dialogue_rows(new)),
            ("mentee set, tune", dialogue_rows(new, splits["tune"])),
            ("mentee set, report", dialogue_rows(new, splits["report"]))]
    for name, row in rows:
        print(f"| {name} | {row['dialogues']} | {row['pass_all']} | {row['pass_structure']} | "
              f"{row['pass_without_texts']} |")
    print("\nChecks per behaviour (mentee set, all):\n")
    print("| behaviour | passed | checks |\n|---|---|---|")
    for name, row in new["behaviours"].items():
        print(f"| {name} | {row['passed']} | {row['checks']} |")
    print("\nConversations failing each behaviour:\n")
    print("| behaviour | old set | mentee tune | mentee report |\n|---|---|---|---|")
    names = sorted(set(rows[0][1]["fail_by_behaviour"]) | set(rows[1][1]["fail_by_behaviour"]))
    for name in names:
        print(f"| {name} | {rows[0][1]['fail_by_behaviour'].get(name, 0)} | "
              f"{rows[2][1]['fail_by_behaviour'].get(name, 0)} | "
              f"{rows[3][1]['fail_by_behaviour'].get(name, 0)} |")
    messages_path = root / "messages.json"
    if messages_path.exists():
        messages = json.loads(messages_path.read_text())
        print(f"\n## Generated messages\n\n{messages['failing']}/{messages['messages']} "
              "messages show at least one text with a problem.\n")
        print("| problem (kind: first words) | messages |\n|---|---|")
        for name, count in list(messages["problem_kinds"].items())[:15]:
            print(f"| {name} | {count} |")
    for path in sorted(root.glob("chat_*.json")):
        chat = json.loads(path.read_text())
        print(f"\n## eval chat: {chat['dataset']} / {chat['split']} ({chat['goals']} goals)\n")
        metrics = list(chat["chat"])
        print("| | " + " | ".join(metrics) + " |\n|---|" + "---|" * len(metrics))
        for side in ("chat", "search"):
            print(f"| {side} | " + " | ".join(f"{chat[side][m]:.4f}" for m in metrics) + " |")
        print(f"\nFirst replies: {chat['reply_kinds']}; goals where only search reaches a "
              f"relevant mentor: {len(chat['chat_worse'])}, only the chat: "
              f"{len(chat['chat_better'])}.")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "eval/results/issue7_before")
