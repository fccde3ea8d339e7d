"""Reading someone else's Excel or CSV ledger as a table: find the header row, name the columns,
read the cells as dates, lists and text.

Real ledgers are untidy: a title row above the header, merged cells for an
issue spanning several measures, section rows such as "一、政策环境方面",
dates typed as 2025.12.31 or stored as Excel serial numbers, CSV saved by
Excel as GBK. This module turns all of that into plain rows keyed by the
ledger column names of `formats.ledger`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..messages import LANGS
from ..render.escape import FORMULA_START
from .bounds import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LEDGER_BYTES, MAX_ROWS, LedgerError  # noqa: F401  (importers name them here)
from .ledger import COLUMNS, column_title
from .workbook import read_workbook

# Header words found in real ledgers, per column (besides the zh/en headers rectify writes).
HEADER_VARIANTS: dict[str, tuple[str, ...]] = schema.header_words()
HEADER_SEARCH_ROWS = 12
EXCEL_EPOCH = dt.date(1899, 12, 30)

_PARENS = re.compile(r"[（(][^）)]*[）)]")
_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:前|之前|止)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*(?:前|之前|止)?$"),
)
_LEADING_DATE = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?)\s*[：:，,、]?\s*")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])\s*(?:关于)?(.+?)(?:方面)?(?:的问题)?$")


@dataclass
class Table:
    """The data rows below the header, each a dict of ledger column key → raw cell value."""

    columns: dict[int, str]  # cell index → ledger column key
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (1-based line, cells)
    title: str = ""  # a title row above the header, e.g. "xx整改台账"
    unknown_headers: list[tuple[str, str]] = field(default_factory=list)  # (header, the x- key its cells keep)
    header_line: int = 0
    headers: list[str] = field(default_factory=list)  # the header row as written
    notes: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)  # (line, key, params): what was clipped


def header_map() -> dict[str, str]:
    """Normalised header word → column key, from the variants and rectify's own headers."""
    mapping: dict[str, str] = {}
    for key, words in HEADER_VARIANTS.items():
        for word in words:
            mapping[_norm(word)] = key
    for key in COLUMNS:
        for lang in LANGS:
            mapping[_norm(column_title(key, lang))] = key
    return mapping


def _norm(value: Any) -> str:
    word = _PARENS.sub("", str(value or ""))
    return re.sub(r"[\s*＊:：]", "", word).lower()


def read_table(path: Path) -> Table:
    """Read a .xlsx or .csv ledger; LedgerError when the file or its header cannot be found."""
    suffix = path.suffix.lower()
    notes: list[tuple[int, str, dict[str, Any]]] = []
    if suffix in (".xlsx", ".xlsm"):

        grid, notes = read_workbook(path, lambda grid: _find_header(grid) is not None)
    elif suffix in (".csv", ".txt"):
        grid = _csv_grid(path)
    else:
        raise LedgerError("import.bad_type", path=str(path))
    table = _table(grid)
    table.notes.extend(notes)
    return table


def _read_bounded(path: Path) -> bytes:
    """At most MAX_LEDGER_BYTES of a regular file (never a FIFO's endless stream)."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise LedgerError("import.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LedgerError("import.unreadable", path=str(path), reason="not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(MAX_LEDGER_BYTES + 1)
    except OSError as exc:
        raise LedgerError("import.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_LEDGER_BYTES:
        raise LedgerError("import.too_large", path=str(path), size=max(st.st_size, len(raw)), limit=MAX_LEDGER_BYTES)
    return raw


def _csv_grid(path: Path) -> list[list[Any]]:
    raw = _read_bounded(path)
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
        try:
            data = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise LedgerError("import.unreadable", path=str(path), reason="encoding")
    try:
        dialect = csv.Sniffer().sniff(data[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    del raw
    grid: list[list[Any]] = []
    reader = csv.reader(io.StringIO(data, newline=""), dialect)
    limit = csv.field_size_limit(MAX_CELL_CHARS)  # process-wide: set for this read only
    try:
        for row in reader:
            if len(grid) == MAX_ROWS:
                raise LedgerError("import.too_many_rows", path=str(path), row=reader.line_num, limit=MAX_ROWS)
            grid.append(row[:MAX_COLUMNS])  # columns further right are not read
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise LedgerError("import.field_too_large", path=str(path), line=reader.line_num, limit=MAX_CELL_CHARS) from None
        raise LedgerError("import.unreadable", path=str(path), reason=f"line {reader.line_num}: {exc}") from None
    finally:
        csv.field_size_limit(limit)
    return grid


def _find_header(grid: list[list[Any]]) -> int | None:
    known = header_map()
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        keys = {known.get(_norm(cell)) for cell in row if cell is not None}
        if ("measure" in keys or "issue" in keys) and len(keys - {None}) >= 2:
            return index
    return None


def _table(grid: list[list[Any]]) -> Table:
    index = _find_header(grid)
    if index is None:
        raise LedgerError("import.no_header")
    known = header_map()
    columns: dict[int, str] = {}
    unknown: list[tuple[str, str]] = []
    for c, cell in enumerate(grid[index]):
        key = known.get(_norm(cell))
        if key and key not in columns.values():
            columns[c] = key
        elif cell not in (None, ""):  # a column rectify has no field for, or a second one for a field
            columns[c] = _extension_key(str(cell), set(columns.values()))
            unknown.append((str(cell).strip(), columns[c]))
    title = ""
    for row in grid[:index]:
        values = {str(v).strip() for v in row if v not in (None, "")}
        if len(values) == 1:
            title = values.pop()
    table = Table(columns, title=title, unknown_headers=unknown, header_line=index + 1,
                  headers=[str(c).strip() for c in grid[index] if c not in (None, "")])
    for line, row in enumerate(grid[index + 1 :], start=index + 2):
        cells = {key: _clean(row[c]) for c, key in columns.items() if c < len(row)}
        table.rows.append((line, cells))
    return table


def _extension_key(header: str, taken: set[str]) -> str:
    """`x-` and the header as written (spaces and line breaks left out): the file keeps the
    column's cells under a key the format carries along unchecked."""
    base = "x-" + (re.sub(r"\s+", "", header) or "column")
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _clean(value: Any) -> Any:
    """Strings stripped and un-neutralised (the quote `escape.cell` added goes away)."""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_START):
            value = value[1:]
        return value
    return value


def section_title(value: str) -> str | None:
    """"一、关于政策环境方面" → "政策环境"; None when the text is not a section heading."""
    match = _SECTION.match(value.strip())
    return match.group(1).strip() if match else None


def parse_date(value: Any, serials: bool = True) -> dt.date | None:
    """A cell as a date: an Excel date, a serial number, ISO, 2025.12.31, 2025年12月31日(前)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value) if serials else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if serials and re.fullmatch(r"\d{5}(?:\.0+)?", value):
        return _serial(float(value))
    for form in _DATE_FORMS:
        match = form.match(value)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


def _serial(number: float) -> dt.date | None:
    if not 20000 <= number <= 80000:  # 1954..2119: anything else is not a deadline
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def split_dated(line: str) -> tuple[dt.date | None, str]:
    """"2025-12-01 已印发方案" → (date, "已印发方案"); (None, line) when no date leads."""
    match = _LEADING_DATE.match(line.strip())
    if match:
        date = parse_date(match.group(1), serials=False)
        if date is not None:
            return date, line.strip()[match.end():].strip()
    return None, line.strip()


def split_list(value: Any, separators: str = "、，,;；\n") -> list[str]:
    if value in (None, ""):
        return []
    parts = re.split("[" + re.escape(separators) + "]", str(value))
    return [p.strip() for p in parts if p.strip()]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value).isoformat()  # type: ignore[union-attr]
    return str(value).strip()
