"""Words as data: the YAML files that hold the dialogue's and the drafts' patterns, word lists and
example sentences, read once and validated, with errors that name the file and the key.

A word file has a ``version``, an ``about`` and, optionally, ``fragments``: pieces of pattern
that other patterns use as ``{{name}}``. A pattern is a string, or a list of strings joined with
nothing in between (so a long one can be written a line per alternative); every pattern is
compiled ignoring case, and ``(?-i:...)`` keeps a part of one case-sensitive. A set of words
may be written as one string of words separated by spaces.
"""

from __future__ import annotations

import importlib.resources
import re
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator,
                      ValidationError, model_validator)

from finder.core.errors import WordFileError

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# libyaml's parser when PyYAML was built with it: the same data, ten times faster to read.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _pattern(value: object) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    if isinstance(value, list) and all(isinstance(piece, str) for piece in value):
        value = "".join(value)
    if not isinstance(value, str) or not value:
        raise ValueError("a pattern is a non-empty string or a list of strings")
    if left := _PLACEHOLDER.search(value):
        raise ValueError(f"{left.group(0)} is not a fragment of this file")
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"the pattern does not compile: {exc}") from None


Regex = Annotated[re.Pattern[str], PlainValidator(_pattern)]
"""A pattern read from a word file, compiled ignoring case."""


def _split(value: object) -> object:
    return frozenset(value.split()) if isinstance(value, str) else value


WordSet = Annotated[frozenset[str], BeforeValidator(_split)]
"""A set of words, written as a list or as one string of words separated by spaces."""


def _joined(value: object) -> object:
    return "".join(value) if isinstance(value, list) else value


def _fill(value: Any, fragments: dict[str, str]) -> Any:
    """``value`` with every ``{{name}}`` replaced by its fragment, in strings at any depth."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: fragments.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [_fill(item, fragments) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, fragments) for key, item in value.items()}
    return value


class WordFile(BaseModel):
    """What every word file has: a version, a note on what it holds, and pattern fragments."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = Field(ge=1)
    about: str = ""
    fragments: dict[str, str] = Field(default_factory=dict)

    @classmethod
    def derived_fragments(cls, data: dict[str, Any]) -> dict[str, str]:
        """Fragments built from the file's word lists (an alternation of its country names)."""
        return {}

    @model_validator(mode="before")
    @classmethod
    def _fill_fragments(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        own = data.get("fragments") or {}
        if not isinstance(own, dict):
            return data
        own = {name: _joined(piece) for name, piece in own.items()}
        fragments = {**own, **cls.derived_fragments(data)}
        rest = {key: _fill(value, fragments) for key, value in data.items()
                if key not in ("fragments", "about")}
        return {**data, **rest, "fragments": own}


W = TypeVar("W", bound=WordFile)


def _key(loc: tuple[int | str, ...]) -> str:
    """'levels.beginner' for pydantic's ('levels', 'beginner', '[key]')."""
    return ".".join(str(part) for part in loc if part != "[key]") or "(top)"


def load_word_file(package: str, name: str, model: type[W]) -> W:
    """Read ``name`` from ``package`` and validate it as ``model``; a :class:`WordFileError`
    names the file, the key and what is wrong when it doesn't fit."""
    where = f"{package.replace('.', '/')}/{name}"
    try:
        text = importlib.resources.files(package).joinpath(name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise WordFileError(f"{where} is missing: it ships with the package; reinstall "
                            "mentor-finder or restore the file from git") from exc
    return parse_word_file(text, where, model)


def parse_word_file(text: str, where: str, model: type[W]) -> W:
    """Validate the YAML ``text`` of the word file ``where`` as ``model``."""
    try:
        data = yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise WordFileError(f"{where}{line} is not valid YAML: {problem}") from exc
    if not isinstance(data, dict):
        raise WordFileError(f"{where}: expected a mapping with 'version' at the top, "
                            f"got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"key '{_key(error['loc'])}': "
            f"{error['msg'].removeprefix('Value error, ')}" for error in exc.errors())
        raise WordFileError(f"{where}: {problems}. Fix that key in the file; its 'about' "
                            "says what the file holds.") from exc
