"""Escaping user text for every place it is shown: terminal, spreadsheet cells.

Plan files come from many hands; their text must never act as terminal
control sequences or as spreadsheet formulas.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(line: str) -> str:
    """Control characters (escape sequences, bidi overrides) shown as visible escapes."""
    return _CONTROL.sub(_visible, line)


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def _visible(match: re.Match[str]) -> str:
    # C0 as \x1b; DEL, C1 and bidi controls as \u009b: also a valid escape
    # inside a JSON string (`\x9b` made `check --format json` unparseable).
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def cell(value: object) -> object:
    """A spreadsheet cell that can never execute: text starting like a formula gets a
    quote, and control characters are shown as escapes (a CSV is often read on a terminal)."""
    if isinstance(value, str):
        value = _CONTROL.sub(_visible, value) if has_control(value) else value
        if value.startswith(FORMULA_START):
            return "'" + value
    return value
