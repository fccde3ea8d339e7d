"""Escaping user text for every place it is shown: terminal, files, spreadsheet cells.

Plan files come from many hands; their text must never act as terminal
control sequences (in any output: a report or an export is read on a
terminal too, with `cat` or `less -R`), as Markdown links or images, or as
spreadsheet formulas. One implementation for every output.
"""

from __future__ import annotations

import re

# C0 but tab and line feed, DEL and C1, bidi embeddings, overrides and isolates
_CONTROL_RANGES = ((0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))
_CONTROL = re.compile("[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _CONTROL_RANGES) + "]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def terminal(line: str) -> str:
    """Control characters (escape sequences, bidi overrides) shown as visible escapes."""
    return _CONTROL.sub(_visible, line)


def clean(text: str) -> bool:
    """No control character in it: it can go to a terminal as it is."""
    return _CONTROL.search(text) is None


def one_line(text: str) -> str:
    """`terminal`, and line breaks shown as `\\n`: a value that cannot start a line of its own."""
    return terminal(text).replace("\n", "\\n")


def _raw_in_json() -> dict[int, tuple[int, frozenset[bytes]]]:
    """The controls a JSON encoder leaves as they are (all but C0), by the first byte of
    their UTF-8 encoding: (the length of each, every encoding)."""
    found: dict[int, tuple[int, set[bytes]]] = {}
    for low, high in _CONTROL_RANGES:
        for code in range(max(low, 0x20), high + 1):
            encoded = chr(code).encode("utf-8")
            found.setdefault(encoded[0], (len(encoded), set()))[1].add(encoded)
    return {first: (length, frozenset(encodings)) for first, (length, encodings) in found.items()}


_RAW_IN_JSON = _raw_in_json()


def json_has_control(document: bytes) -> bool:
    """Whether an encoded JSON document (UTF-8, C0 escaped as every encoder does) holds a
    control `terminal` would show as an escape. Told from the bytes: each first byte such
    a control can start with is found at C speed (these bytes are rare in text), so a
    30 MB document is neither decoded nor scanned character by character."""
    for first, (length, encodings) in _RAW_IN_JSON.items():
        at = document.find(first)
        while at >= 0:
            if document[at:at + length] in encodings:
                return True
            at = document.find(first, at + 1)
    return False


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
