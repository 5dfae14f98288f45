"""Load and validate mentor bios from files or Python records; build the bundled demo data."""

from __future__ import annotations

from ingest.loaders import LoadResult, Source, load_mentors
from ingest.problems import check_record, problems_from_validation_error

__all__ = ["LoadResult", "Source", "check_record", "load_mentors", "problems_from_validation_error"]
