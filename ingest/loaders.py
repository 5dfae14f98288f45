"""Read mentor bios from JSONL, JSON or CSV files (or Python records) and validate them."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from finder.core.errors import IngestError
from finder.core.models import Mentor, RecordProblem
from ingest.problems import Unit, check_record, describe_type, parse_int, raw_id

Source = str | PathLike[str] | Iterable[Mapping[str, Any] | Mentor]

JSONL_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv",)
SUPPORTED_SUFFIXES = JSONL_SUFFIXES + JSON_SUFFIXES + CSV_SUFFIXES

REQUIRED_COLUMNS = ("id", "name", "bio")
CSV_LIST_COLUMNS = frozenset({"skills", "industries", "languages", "formats", "session_minutes"})
CSV_INT_COLUMNS = frozenset({"years_experience", "max_requests_per_week"})
CSV_SEPARATOR = ";"

STRICT_SHOWN = 5
_BOM = b"\xef\xbb\xbf"


@dataclass
class LoadResult:
    """The mentors that validated, and every record that did not (with where and why)."""

    mentors: list[Mentor] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)
    source: str = "<input>"

    @property
    def ok(self) -> bool:
        """True when every record validated."""
        return not self.problems

    def summary(self) -> str:
        """One line: how many mentors loaded and how many records were skipped."""
        return f"{self.source}: {len(self.mentors)} mentors loaded, {len(self.problems)} skipped"


def load_mentors(source: Source, *, strict: bool = False, name: str | None = None) -> LoadResult:
    """Load and validate mentors from a .jsonl/.ndjson/.json/.csv path or an iterable of records.

    Bad records are skipped and reported in ``problems``; with ``strict=True`` any problem raises
    `IngestError` instead. ``name`` labels an in-memory source in messages (default "<input>").
    """
    if isinstance(source, (str, PathLike)):
        path = Path(source)
        label = name or str(source)
        records, unit = _read_file(path, label)
    elif isinstance(source, (Mapping, bytes)):
        raise IngestError(
            f"load_mentors() got a single {describe_type(source)}; pass a file path or a list "
            "of mentor records"
        )
    elif not isinstance(source, Iterable):
        raise IngestError(
            f"load_mentors() got {describe_type(source)}; pass a file path or a list of mentor "
            "records"
        )
    else:
        label = name or "<input>"
        records, unit = enumerate(source, start=1), "item"
    result = _validate_all(records, source=label, unit=unit)
    if strict and result.problems:
        raise IngestError(_strict_message(result), result.problems)
    return result


def _strict_message(result: LoadResult) -> str:
    count = len(result.problems)
    records = len({problem.location for problem in result.problems})
    lines = [(
        f"{result.source}: {records} invalid record{'s' if records != 1 else ''} "
        f"({count} problem{'s' if count != 1 else ''}); nothing was loaded (strict mode). "
        "Fix these, or load without strict to skip them:"
    )]
    lines += [f"  - {problem}" for problem in result.problems[:STRICT_SHOWN]]
    if count > STRICT_SHOWN:
        lines.append(f"  ... and {count - STRICT_SHOWN} more")
    return "\n".join(lines)


def _validate_all(records: Iterable[tuple[int, Any]], *, source: str, unit: Unit) -> LoadResult:
    result = LoadResult(source=source)
    first_seen: dict[str, int] = {}
    for location, record in records:
        if isinstance(record, RecordProblem):
            result.problems.append(record)
            continue
        mentor, problems = check_record(record, source=source, location=location, unit=unit)
        mentor_id = mentor.id if mentor is not None else (
            raw_id(record) if isinstance(record, Mapping) else None)
        if mentor_id is not None:
            if mentor_id in first_seen:
                problems.insert(0, RecordProblem(
                    source=source, location=location, unit=unit, field="id", mentor_id=mentor_id,
                    reason=f"duplicate id {mentor_id!r}: already used on {unit} "
                           f"{first_seen[mentor_id]}; give each mentor its own id or remove "
                           "one of the two",
                ))
            else:
                first_seen[mentor_id] = location
        if problems:
            result.problems.extend(problems)
        elif mentor is not None:
            result.mentors.append(mentor)
    return result


def _read_file(path: Path, label: str) -> tuple[Iterator[tuple[int, Any]], Unit]:
    text = _read_text(path, label)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return _check_nonempty(_jsonl_records(text, label), label), "line"
    if suffix in JSON_SUFFIXES:
        return _check_nonempty(_json_records(text, label), label), "item"
    return _check_nonempty(_csv_records(text, label), label), "row"


def _read_text(path: Path, label: str) -> str:
    suffix = path.suffix.lower()
    if not path.exists():
        raise IngestError(f"{label}: file not found; check the path (working directory: "
                          f"{Path.cwd()})")
    if path.is_dir():
        raise IngestError(f"{label}: is a directory; pass one .jsonl, .json or .csv file")
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"{label}: unsupported file type {suffix or '(no extension)'!r}; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{label}: can't be read ({exc.strerror or exc}); check its "
                          "permissions") from exc
    skipped = len(_BOM) if data.startswith(_BOM) else 0
    try:
        text = data[skipped:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + skipped
        line = data[:offset].count(b"\n") + 1
        raise IngestError(
            f"{label}: not UTF-8 text: byte 0x{data[offset]:02x} at byte offset {offset} "
            f"(line {line}) can't be decoded; save the file as UTF-8 and try again"
        ) from exc
    if not text.strip():
        raise IngestError(f"{label}: file is empty; it holds no mentor records")
    return text


def _check_nonempty(records: Iterator[tuple[int, Any]], label: str) -> Iterator[tuple[int, Any]]:
    # Read the first record eagerly so that an empty source fails before anything is returned.
    first = next(records, None)
    if first is None:
        raise IngestError(f"{label}: file is empty; it holds no mentor records, add at least one")

    def chained() -> Iterator[tuple[int, Any]]:
        yield first
        yield from records

    return chained()


def _jsonl_records(text: str, label: str) -> Iterator[tuple[int, Any]]:
    # Split on newlines only: str.splitlines() would also split on U+2028 inside a JSON string
    # and put every later line number out of step with the editor.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_int=parse_int)
        except json.JSONDecodeError as exc:
            yield number, RecordProblem(
                source=label, location=number, unit="line",
                reason=f"not valid JSON ({exc.msg} at column {exc.colno}); each line must be "
                       "one complete JSON object",
            )
            continue
        except RecursionError:
            yield number, RecordProblem(source=label, location=number, unit="line",
                                        reason=TOO_DEEP)
            continue
        if not isinstance(record, dict):
            yield number, RecordProblem(
                source=label, location=number, unit="line",
                reason=f"expected a JSON object {{...}} on this line, got "
                       f"{describe_type(record)}",
            )
            continue
        yield number, record


def _json_records(text: str, label: str) -> Iterator[tuple[int, Any]]:
    try:
        document = json.loads(text, parse_int=parse_int)
    except RecursionError:
        yield from _items_one_by_one(text, label)
        return
    except json.JSONDecodeError as exc:
        raise IngestError(
            f"{label}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); "
            "a .json file must hold one array of mentor objects (use .jsonl for one object "
            "a line)"
        ) from exc
    if not isinstance(document, list):
        raise IngestError(
            f"{label}: a .json file must hold an array [...] of mentor objects, got "
            f"{describe_type(document)}; wrap the records in [ ] or use .jsonl"
        )
    yield from enumerate(document, start=1)


TOO_DEEP = ("the record is nested too deeply to read; flatten it (mentor fields are text, "
            "lists and numbers)")


def _items_one_by_one(text: str, label: str) -> Iterator[tuple[int, Any]]:
    """A JSON array too deep to parse whole: find its items' edges (skipping strings) and parse
    each alone, so that only the deep ones are rejected."""
    depth, start, number = 0, None, 0
    for token in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{},]', text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth == 1 and char == "[":
                start = token.end()
            continue
        if char in "]}":
            depth -= 1
        if (depth == 1 and char == ",") or (depth == 0 and char == "]"):
            piece = text[start:token.start()] if start is not None else ""
            start = token.end()
            if not piece.strip():
                continue
            number += 1
            try:
                yield number, json.loads(piece, parse_int=parse_int)
            except RecursionError:
                yield number, RecordProblem(source=label, location=number, unit="item",
                                            reason=TOO_DEEP)
            except json.JSONDecodeError as exc:
                yield number, RecordProblem(source=label, location=number, unit="item",
                                            reason=f"not valid JSON ({exc.msg})")
            if depth == 0:
                return
    if number == 0:
        raise IngestError(f"{label}: a .json file must hold an array [...] of mentor objects")


def _csv_records(text: str, label: str) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    for number, row in enumerate(reader, start=1):
        if header is None:
            header = _csv_header(row, label)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            yield number, RecordProblem(
                source=label, location=number, unit="row",
                reason=f"row has {len(row)} cells but the header has {len(header)} columns; "
                       "quote cells that contain commas",
            )
            continue
        yield number, _csv_record(header, row)


def _csv_header(row: list[str], label: str) -> list[str]:
    header = [cell.strip() for cell in row]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        found = ", ".join(repr(c) for c in header if c) or "none"
        raise IngestError(
            f"{label}: CSV has no {' / '.join(repr(m) for m in missing)} column"
            f"{'s' if len(missing) > 1 else ''} (columns found: {found}); the first row must "
            f"name the columns, including {', '.join(REQUIRED_COLUMNS)}"
        )
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        raise IngestError(
            f"{label}: CSV column {', '.join(repr(c) for c in repeated)} appears more than "
            "once in the header row; rename or remove the copy"
        )
    return header


def _csv_record(header: list[str], row: list[str]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for column, cell in zip(header, row):
        value = cell.strip()
        if not column or not value:
            continue  # an empty cell means "not given"
        if column in CSV_LIST_COLUMNS:
            record[column] = [part.strip() for part in value.split(CSV_SEPARATOR) if part.strip()]
        elif column in CSV_INT_COLUMNS:
            record[column] = _to_int(value)
        else:
            record[column] = value
    return record


def _to_int(value: str) -> int | str:
    # Unparseable text is passed on so that validation reports it with the field name.
    try:
        return int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else value
