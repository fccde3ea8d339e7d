"""The schema table told to others: a JSON Schema for editors, a key table for the README.

`json_schema` describes the file format v1 (plan, issues and tasks files, and
rectify.yaml) as JSON Schema draft 2020-12, for the YAML language server and
any validator. It is as strict as the reader about structure (unknown keys,
missing required keys, wrong types) and looser about meaning: a deadline is
any text, because only the rule engine can tell whether it reads. Dates are
strings, as YAML 1.2 editors read `2025-12-31`.
"""

from __future__ import annotations

import re
from typing import Any

from . import schema
from .messages import text
from .model import STATUS_ALIASES
from .schema import Field

DRAFT = "https://json-schema.org/draft/2020-12/schema"
# A YAML date as the reader takes it: YYYY-MM-DD, an ignored time part, or blank (none).
DATE_PATTERN = (
    r"^\s*$|^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?\s*$"
)
ID_PATTERN = r"^[^\s:/\\]+$"
EXTENSION_KEYS = "^x[-_]"  # reader.is_extension_key
_SCALAR = ["string", "number", "boolean", "null"]


def _status() -> dict[str, Any]:
    """Every status word; English ones in any case, as the reader accepts them."""
    def any_case(word: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if c.isascii() and c.isalpha() else re.escape(c) for c in word)

    words = list(STATUS_ALIASES)
    return {
        "anyOf": [
            {"enum": words},
            {"type": "string", "pattern": r"^\s*(?:" + "|".join(any_case(w) for w in words) + r")\s*$"},
            {"type": "null"},
        ]
    }


def _value(f: Field) -> dict[str, Any]:
    date = {"type": ["string", "null"], "pattern": DATE_PATTERN}
    if f.type == schema.KIND:
        return {"type": "string"}
    if f.type == schema.ID:
        return {"type": ["string", "number"], "pattern": ID_PATTERN}
    if f.type == schema.TEXT and f.choices:
        return {"enum": list(f.choices)}
    if f.type == schema.TEXT:
        return {"type": _SCALAR}
    if f.type == schema.DATE:
        return date
    if f.type == schema.EXPR:
        return {"type": ["string", "number", "null"]}
    if f.type == schema.STATUS:
        return _status()
    if f.type in (schema.TEXTS, schema.UNITS):
        return {"type": [*_SCALAR, "array"], "items": {"type": _SCALAR}}
    if f.type == schema.DATES:
        return {"type": ["array", "null"], "items": date}
    if f.type == schema.RECORDS:
        return {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{f.of}"}}
    if f.type == schema.RECORD:
        return {"anyOf": [{"$ref": f"#/$defs/{f.of}"}, {"type": "null"}]}
    if f.type == schema.CALENDAR:
        return {"anyOf": [{"type": ["string", "null"]}, {"$ref": "#/$defs/calendar"}]}
    if f.type == schema.EVENTS:
        return {"type": ["object", "null"], "additionalProperties": {"anyOf": [date, {"$ref": "#/$defs/event"}]}}
    raise ValueError(f"no JSON Schema for field type {f.type!r}")  # a new type must say how it looks


def _kind(name: str, lang: str) -> dict[str, Any]:
    properties = {}
    for f in schema.fields(name):
        value = _value(f)
        if f.type == schema.KIND:
            value = {**value, "const": name}
        properties[f.name] = {"title": text(f.label, lang), **value}
    out: dict[str, Any] = {"type": "object", "properties": properties}
    required = [f.name for f in schema.fields(name) if f.required]
    if required:
        out["required"] = required
    out["patternProperties"] = {EXTENSION_KEYS: True}
    out["additionalProperties"] = False
    return out


def json_schema(lang: str = "en") -> dict[str, Any]:
    """The file format v1 as one JSON Schema: a file with `kind` is a plan file, one without is rectify.yaml."""
    dispatch = [
        {"if": {"properties": {"kind": {"const": kind}}}, "then": {"$ref": f"#/$defs/{kind}"}} for kind in schema.FILE_KINDS
    ]
    return {
        "$schema": DRAFT,
        "title": text("schema.title", lang),
        "type": "object",
        "if": {"required": ["kind"]},
        "then": {"properties": {"kind": {"enum": list(schema.FILE_KINDS)}}, "allOf": dispatch},
        "else": {"$ref": f"#/$defs/{schema.CONFIG}"},
        "$defs": {name: _kind(name, lang) for name in schema.KINDS},
    }


def markdown_table() -> str:
    """The README's key table: each file kind's keys, required ones in bold, nested records in brackets."""
    rows = ["| kind | keys (required in bold) |", "|---|---|"]
    for kind in schema.FILE_KINDS:
        rows.append(f"| `{kind}` | {_keys(kind, top=True)} |")
    rows.append(f"| `rectify.yaml` | {_keys(schema.CONFIG, top=True)} |")
    return "\n".join(rows) + "\n"


def _keys(kind: str, top: bool = False) -> str:
    parts: list[tuple[bool, str]] = []
    each = ""
    for f in schema.fields(kind):
        shown = f"`{f.name}`"
        if f.type == schema.RECORDS and top and f.name == kind:  # the file's list: issues, tasks, suggestions …
            each = f"; each {f.of}: {_keys(f.of)}"
        elif f.type in (schema.RECORDS, schema.RECORD):
            shown += f" ({_keys(f.of)})"
        elif f.choices:
            shown += " (" + " \\| ".join(f.choices) + ")"
        elif f.type == schema.EVENTS:
            shown += f" (name: a date, null, or {_keys('event')})"
        elif f.type == schema.CALENDAR:
            shown += f" (a code, or {_keys('calendar')})"
        parts.append((f.required, shown))
    return _bold_runs(parts) + each


def _bold_runs(parts: list[tuple[bool, str]]) -> str:
    """Consecutive required keys share one bold run: **`id`, `title`**, `owner`."""
    out: list[str] = []
    run: list[str] = []
    for required, shown in parts:
        if required:
            run.append(shown)
            continue
        if run:
            out.append("**" + ", ".join(run) + "**")
            run = []
        out.append(shown)
    if run:
        out.append("**" + ", ".join(run) + "**")
    return ", ".join(out)
