"""Turn one raw record into a `Mentor`, or into plain-language problems that say what to fix."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import ValidationError

from finder.core.models import BIO_MAX_CHARS, Mentor, RecordProblem

Unit = Literal["line", "row", "item"]

MAX_DEPTH = 16  # objects and lists inside a record, e.g. {"links": [{"url": ...}]} is 3
MAX_INT_DIGITS = 30


class TooLargeNumber(str):
    """A JSON integer with more digits than any field needs (kept as its text)."""


def parse_int(text: str) -> int | TooLargeNumber:
    """For ``json.loads(parse_int=...)``: a huge integer becomes a marker, not an error for the
    whole file (Python refuses to convert integers of more than 4,300 digits)."""
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else TooLargeNumber(text)


def shape_problem(record: Any) -> str | None:
    """Why a record is too deep or holds a too-large number, or None if it is fine."""
    stack = [(record, 1, "")]
    while stack:
        value, depth, where = stack.pop()
        if isinstance(value, TooLargeNumber):
            digits = len(value.lstrip("-"))
            return (f"{where or 'a value'} is a number with {digits:,} digits; numbers have at "
                    f"most {MAX_INT_DIGITS}")
        if isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                return (f"the record is nested more than {MAX_DEPTH} levels deep; "
                        "flatten it (mentor fields are text, lists and numbers)")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                stack.append((item, depth + 1, where or str(key)))
    return None

_TYPE_NAMES = {
    "str": "text", "int": "a number", "float": "a number", "bool": "true/false",
    "list": "a list", "dict": "an object", "NoneType": "null",
}


def describe_type(value: Any) -> str:
    """A short, non-Python name for the type of a JSON/CSV value, e.g. 'a list'."""
    return _TYPE_NAMES.get(type(value).__name__, type(value).__name__)


def _shorten(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _reason(field: str, error: Mapping[str, Any]) -> str:
    """One human sentence for one pydantic error on ``field``."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"required field '{field}' is missing; add it"
    if kind == "string_too_short":
        return f"{field} is empty; give it some text"
    if kind == "string_too_long":
        length = len(value.strip()) if isinstance(value, str) else 0
        limit = ctx.get("max_length", BIO_MAX_CHARS)
        return f"{field} is {length} characters long, over the limit of {limit}; shorten it"
    if kind == "string_type":
        return f"{field} must be text, got {describe_type(value)} {_shorten(value)}"
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return f"{field} must be a whole number, got {_shorten(value)}"
    if kind == "greater_than_equal":
        return f"{field} must be at least {ctx.get('ge')}, got {_shorten(value)}"
    if kind == "less_than_equal":
        return f"{field} must be at most {ctx.get('le')}, got {_shorten(value)}"
    if kind == "literal_error":
        return f"{field} has an unknown value {_shorten(value)}; allowed: {ctx.get('expected')}"
    if kind == "list_type":
        return f"{field} must be a list, got {describe_type(value)}"
    if kind == "value_error":
        message = str(ctx.get("error") or error["msg"].removeprefix("Value error, "))
        return message
    message = str(error["msg"])
    return f"{field}: {message[:1].lower() + message[1:]} (got {_shorten(value)})"


def raw_id(data: Mapping[str, Any]) -> str | None:
    """The record's id as the loader compares it (stripped text), or None if it has none."""
    value = data.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def problems_from_validation_error(
    exc: ValidationError,
    *,
    source: str = "<input>",
    location: int | None = None,
    unit: Unit = "item",
    mentor_id: str | None = None,
) -> list[RecordProblem]:
    """One `RecordProblem` per failing field of a `Mentor` validation, in plain words."""
    by_field: dict[str, list[str]] = {}
    for error in exc.errors():
        loc = error.get("loc") or ()
        field = str(loc[0]) if loc else "record"
        reason = _reason(field, error)
        if reason not in by_field.setdefault(field, []):
            by_field[field].append(reason)
    return [
        RecordProblem(
            source=source, location=location, unit=unit, field=field,
            mentor_id=mentor_id, reason="; ".join(reasons),
        )
        for field, reasons in by_field.items()
    ]


def check_record(
    data: Any,
    *,
    source: str = "<input>",
    location: int | None = None,
    unit: Unit = "item",
) -> tuple[Mentor | None, list[RecordProblem]]:
    """Validate one raw record: the mentor and no problems, or None and every problem found."""
    if isinstance(data, Mentor):
        return data, []
    if not isinstance(data, Mapping):
        problem = RecordProblem(
            source=source, location=location, unit=unit,
            reason=f"expected a mentor object like {{\"id\": ..., \"name\": ..., \"bio\": ...}}, "
                   f"got {describe_type(data)}",
        )
        return None, [problem]
    shape = shape_problem(dict(data))
    if shape is not None:
        return None, [RecordProblem(source=source, location=location, unit=unit,
                                    mentor_id=raw_id(data), reason=shape)]
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        problem = RecordProblem(
            source=source, location=location, unit=unit,
            reason=f"field names must be text, got {_shorten(bad_keys[0])}",
        )
        return None, [problem]
    try:
        return Mentor.model_validate(dict(data)), []
    except ValidationError as exc:
        return None, problems_from_validation_error(
            exc, source=source, location=location, unit=unit, mentor_id=raw_id(data))
