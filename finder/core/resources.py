"""Files that ship with mentor-finder (prompts, demo mentors), found the same way in a checkout
and in an installed wheel: ``importlib.resources`` over ``finder/_bundled``, which the wheel
maps from the top-level ``prompts/`` and ``data/`` folders."""

from __future__ import annotations

import importlib.resources
from importlib.resources.abc import Traversable
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def bundled(folder: str) -> Traversable:
    """The shipped folder ``prompts`` or ``data``: from the wheel, or the checkout's own."""
    try:
        packaged = importlib.resources.files(f"finder._bundled.{folder}")
    except ModuleNotFoundError:
        packaged = None
    if packaged is not None and packaged.is_dir():
        return packaged
    return _CHECKOUT / folder


def bundled_file(folder: str, name: str) -> Path:
    """A shipped file as a real path (the demo data is read by path)."""
    item = bundled(folder) / name
    if not item.is_file() and (_CHECKOUT / folder / name).is_file():
        return _CHECKOUT / folder / name  # a file newer than the installed package's copy
    with importlib.resources.as_file(item) as path:
        return Path(path)
