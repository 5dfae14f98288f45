"""The bundled demo mentors: 298 Coding Coach profiles and 3,007 ESCO occupations."""

from __future__ import annotations

from pathlib import Path

from finder.core.models import IngestReport
from finder.core.resources import bundled_file
from finder.search.service import MentorFinder

DEMO_FILE = bundled_file("data", "demo_mentors.jsonl")


def seed_demo(mf: MentorFinder, *, progress: bool = False, path: Path = DEMO_FILE) -> IngestReport:
    """Index the demo mentors; unchanged ones are skipped, so a second run costs seconds."""
    if not path.exists():
        from finder.core.errors import IngestError

        raise IngestError(f"the demo data is missing at {path}; rebuild it with "
                          "`python -m ingest.build_demo`")
    return mf.ingest(path, progress=progress)
