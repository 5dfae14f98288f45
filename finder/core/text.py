"""Text hygiene shared by validation and terminal output: no control characters, no escapes."""

from __future__ import annotations

import re

import ftfy

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


# Letters that UTF-8 read as Latin-1 or Windows-1252 leaves behind ("cafÃ©", "toÂ students",
# "â€œquotedâ€"): only a text holding one of them is given to ftfy.
_MOJIBAKE_HINT = re.compile("[\u00c2\u00c3\u00c5\u00e2][\u0080-\u00bf\u0152\u0153\u0160\u0161"
                            "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e"
                            "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def repair_encoding(text: str) -> str:
    """``text`` with mis-decoded UTF-8 repaired ("JosÃ© Ruiz" -> "José Ruiz") by ftfy's
    ``fix_encoding``, which changes a text only when the repair is unambiguous; correctly
    written text (quotes, dashes, any script) is returned as it is."""
    if text.isascii() or not _MOJIBAKE_HINT.search(text):
        return text
    return ftfy.fix_encoding(text)


def clean_text(text: str) -> str:
    """A mentor record's text as it is stored and shown: mis-decoded UTF-8 repaired first (its
    bytes may look like control characters), then controls stripped."""
    return strip_controls(repair_encoding(text))
