"""Writing an evaluation's figures: the JSON report and its Markdown table beside it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def write_report(path: str | Path, report: Mapping[str, Any], rendered: str) -> None:
    """``report`` as JSON at ``path`` and ``rendered`` (its table) at the same path in .md."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(rendered + "\n", encoding="utf-8")
