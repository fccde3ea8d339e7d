"""Escaping user text for every place it is shown: terminal, files, spreadsheet cells.

Plan files come from many hands; their text must never act as terminal
control sequences (in any output: a report or an export is read on a
terminal too, with `cat` or `less -R`), as Markdown links or images, or as
spreadsheet formulas. One implementation for every output.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(line: str) -> str:
    """Control characters (escape sequences, bidi overrides) shown as visible escapes."""
    return _CONTROL.sub(_visible, line)


def one_line(text: str) -> str:
    """`terminal`, and line breaks shown as `\\n`: a value that cannot start a line of its own."""
    return terminal(text).replace("\n", "\\n")


def json_text(document: str) -> str:
    """An encoded JSON document with DEL, C1 and bidi controls as `\\uXXXX` escapes
    (JSON encoders escape only C0); they can only occur inside strings, where the
    escape decodes back to the same character."""
    return terminal(document) if has_control(document) else document


_MARKDOWN = re.compile(r"[\\`*_\[\]~]")
_HTML_IN_MARKDOWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def markdown(text: str) -> str:
    """Text from files as Markdown text that stays text: controls shown as escapes, `<` `>` `&`
    as entities (no raw HTML, no `<https://...>` autolink), and the characters of links,
    images, emphasis and code backslash-escaped, so `[x](javascript:...)` and `![](https://...)`
    are shown, never followed or fetched."""
    return _MARKDOWN.sub(r"\\\g<0>", terminal(text).translate(_HTML_IN_MARKDOWN))


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
