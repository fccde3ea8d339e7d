"""Reading the worksheets of an untrusted .xlsx in bounded memory and time.

openpyxl's ordinary reading is unbounded on hostile input: a full load makes
an object for every cell of a merged range (`A3:XFD1048576` is 17 billion of
them); read-only rows are padded up to each row's number (one cell at
XFD1048576 is a million empty rows); its parser builds a whole row element,
however many cells it holds, before looking at it, and keeps every element it
has read. Here the archive's sizes are checked before anything is unpacked,
each sheet's XML is streamed element by element and every element dropped once
read, and each cell is turned into a value by openpyxl's own cell parser
(types, shared strings, dates), so memory follows the rows kept.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Callable, Container, Iterator

from .bounds import MAX_CELL_CHARS, MAX_COLUMNS, MAX_LEDGER_BYTES, MAX_ROWS, LedgerError

MAX_MERGES = 100_000
MAX_PARTS = 10_000
EXCEL_MAX_COLUMNS = 16_384  # XFD: a row holding more cells than this is not a worksheet
_MAX_DEPTH = 32  # a worksheet's XML nests about six levels deep
_MAX_CELL_PARTS = 10_000  # elements inside one cell (rich-text runs)


Note = tuple[int, str, dict[str, Any]]  # (row, message key, params) for the import report


def read_workbook(path: Path, wanted: Callable[[list[list[Any]]], bool]) -> tuple[list[list[Any]], list[Note]]:
    """The grid of the first sheet `wanted` accepts (else of the first sheet that has
    rows), merged cells filled in, and notes on what was clipped; LedgerError when
    the file is unreadable or over a bound."""
    first: tuple[list[list[Any]], list[Note]] = ([], [])
    for _, grid, notes in sheets(path):
        if wanted(grid):
            return grid, notes
        first = first if first[0] else (grid, notes)
    return first


def sheets(path: Path, titles: Container[str] | None = None) -> Iterator[tuple[str, list[list[Any]], list[Note]]]:
    """(title, grid, notes) of each worksheet in order (only those titled in `titles`
    when given), each read when asked for; LedgerError when the file is unreadable
    or over a bound."""
    from openpyxl import load_workbook

    name = str(path)
    _check_archive(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)  # cached values, never formulas
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise LedgerError("import.unreadable", path=name, reason=str(exc) or type(exc).__name__) from None
    try:
        for ws in wb.worksheets:
            if titles is not None and ws.title not in titles:
                continue
            try:
                grid, merges = _read_sheet(ws, name)
                notes = _fill_merges(grid, merges, name)
            except LedgerError:
                raise
            except Exception as exc:  # a damaged part: bad XML, a bad reference, a truncated stream
                raise LedgerError("import.unreadable", path=name, reason=str(exc) or type(exc).__name__) from None
            yield ws.title, grid, notes
    finally:
        wb.close()


def _check_archive(path: Path) -> None:
    """Refuse before unpacking: the declared sizes bound what zipfile will inflate
    (a part that inflates past its declared size fails its check)."""
    try:
        size = path.stat().st_size
        if size > MAX_LEDGER_BYTES:
            raise LedgerError("import.too_large", path=str(path), size=size, limit=MAX_LEDGER_BYTES)
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LedgerError("import.unreadable", path=str(path), reason=str(exc) or type(exc).__name__) from None
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_LEDGER_BYTES:
        raise LedgerError("import.xlsx_too_large", path=str(path), size=unpacked, limit=MAX_LEDGER_BYTES)


def _read_sheet(ws, name: str) -> tuple[list[list[Any]], list[str]]:
    """(rows, merged range references) of one read-only worksheet."""
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG, WorkSheetParser
    from openpyxl.xml.functions import iterparse

    merge_tag = CELL_TAG[:-1] + "mergeCell"
    wb = ws.parent
    # Only its cell parser is used: what a value is (shared string, number, date, error).
    cells = WorkSheetParser(
        None, ws._shared_strings, data_only=True, epoch=wb.epoch,
        date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats,
    )
    grid: list[list[Any]] = []
    merges: list[str] = []
    stack: list[Any] = []
    rows = in_row = inside_cell = 0
    with ws._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if inside_cell:
                    inside_cell += 1
                    if inside_cell > _MAX_CELL_PARTS:
                        raise LedgerError("import.xlsx_malformed", path=name, sheet=ws.title, what="cell")
                elif element.tag == CELL_TAG:
                    inside_cell = 1
                    in_row += 1
                    if in_row > EXCEL_MAX_COLUMNS:
                        raise LedgerError("import.xlsx_malformed", path=name, sheet=ws.title, what="row")
                elif element.tag == ROW_TAG:
                    rows += 1
                    number = _row_number(element.get("r"), cells.row_counter)
                    if number > MAX_ROWS or rows > MAX_ROWS:
                        raise LedgerError("import.too_many_rows", path=name, row=max(number, rows), limit=MAX_ROWS)
                    cells.row_counter, cells.col_counter, in_row = number, 0, 0
                if len(stack) > _MAX_DEPTH:
                    raise LedgerError("import.xlsx_malformed", path=name, sheet=ws.title, what="nesting")
                continue
            stack.pop()
            if element.tag == CELL_TAG:
                inside_cell = 0
                _keep(grid, cells.parse_cell(element), name)
            elif inside_cell:
                continue  # part of a cell: read with the cell
            elif element.tag == merge_tag:
                if len(merges) >= MAX_MERGES:
                    raise LedgerError("import.xlsx_malformed", path=name, sheet=ws.title, what="mergeCell")
                merges.append(str(element.get("ref") or ""))
            element.clear()
            if stack:
                stack[-1].remove(element)  # read: nothing keeps it (its parent holds no other child)
    return grid, merges


def _row_number(text: str | None, previous: int) -> int:
    if not text:
        return previous + 1
    number = float(text)  # "5" or "5.0", as openpyxl reads it
    if not number.is_integer() or number < 1:
        raise ValueError(f"{text} is not a row number")
    return int(number)


def _keep(grid: list[list[Any]], cell: dict[str, Any], name: str) -> None:
    row, column, value = cell["row"], cell["column"], cell["value"]
    if value is None or column > MAX_COLUMNS or not 1 <= row <= MAX_ROWS:
        return  # columns past the bound are not read (a ledger's columns are at the left)
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        from openpyxl.utils import get_column_letter

        raise LedgerError("import.cell_too_large", path=name, where=f"{get_column_letter(column)}{row}", limit=MAX_CELL_CHARS)
    while len(grid) < row:
        grid.append([])
    cells = grid[row - 1]
    if len(cells) < column:
        cells.extend([None] * (column - len(cells)))
    cells[column - 1] = value


def _fill_merges(grid: list[list[Any]], merges: list[str], name: str) -> list[Note]:
    """A merged issue cell belongs to every row it spans. Ranges are clipped to the
    rows and columns read (a note says so when one reaches past the bounds);
    overlapping ranges, which Excel never saves, are refused."""
    from openpyxl.utils.cell import range_boundaries

    notes: list[Note] = []
    width = max((len(row) for row in grid), default=0)
    budget = len(grid) * width  # disjoint ranges cannot fill more than every cell once
    for ref in merges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue  # not a range: nothing to fill
        if None in (min_col, min_row, max_col, max_row):
            continue
        if max_row > MAX_ROWS or max_col > MAX_COLUMNS:
            notes.append((min_row, "import.note.merge_clipped", {"ref": ref, "rows": MAX_ROWS, "columns": MAX_COLUMNS}))
        if min_row > len(grid) or min_col > width:
            continue
        last_row, last_col = min(max_row, len(grid)), min(max_col, width)
        budget -= (last_row - min_row + 1) * (last_col - min_col + 1)
        if budget < 0:
            raise LedgerError("import.merges_overlap", path=name)
        top = grid[min_row - 1]
        value = top[min_col - 1] if min_col <= len(top) else None
        for r in range(min_row, last_row + 1):
            cells = grid[r - 1]
            if len(cells) < last_col:
                cells.extend([None] * (last_col - len(cells)))
            cells[min_col - 1 : last_col] = [value] * (last_col - min_col + 1)
    return notes
