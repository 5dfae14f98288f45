"""Text hygiene shared by validation and terminal output: no control characters, no escapes."""

from __future__ import annotations

import re

# ANSI escape sequences (CSI like "\x1b[2J", OSC like "\x1b]0;title\x07", and two-byte ones),
# then any other C0/C1 control character except tab and newline.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|"
                   r"\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without ANSI escape sequences and C0/C1 control characters (tab and newline
    stay): a mentor's name can't clear a terminal or retitle its window."""
    if text.isprintable():
        return text
    return _CONTROL.sub("", _ANSI.sub("", text))
