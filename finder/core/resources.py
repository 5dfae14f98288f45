"""Files that ship with mentor-finder (prompts, demo mentors), read through
``importlib.resources`` from ``finder._bundled``: in a checkout its folders are symlinks to the
top-level ``prompts/`` and ``data/``; in an installed wheel they are copies."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path


def bundled(folder: str) -> Traversable:
    """The shipped folder ``prompts`` or ``data``."""
    return importlib.resources.files("finder._bundled") / folder


def bundled_file(folder: str, name: str) -> Path:
    """A shipped file as a real path (the demo data is read by path)."""
    with importlib.resources.as_file(bundled(folder) / name) as path:
        return Path(path)
