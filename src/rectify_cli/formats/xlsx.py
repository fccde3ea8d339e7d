"""The ledger as an Excel workbook people can filter, sort and print as is.

openpyxl is the maintained library for writing .xlsx from Python. What makes
the sheet usable rather than a data dump: a frozen header row and an
auto-filter, real dates (so sorting and date filters work), wrapped text,
column widths that fit Chinese (a CJK character is two width units),
overdue rows filled red, the id columns hidden. Text cells that look like formulas are neutralised
with `escape.cell`, and written with an explicit string type: openpyxl would
otherwise store any text starting with "=" as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Sequence

from ..messages import text
from ..render import escape
from .ledger import COLUMNS, HIDDEN_COLUMNS, LedgerRow, cells, display_width, header
from .sheets import Sheet

DATE_FORMAT = "yyyy-mm-dd"
OVERDUE_FILL = "FFC7CE"  # Excel's own "bad" red
HEADER_FILL = "D9E1F2"
MAX_WIDTH = 48  # wider text wraps instead
MIN_WIDTH = 6


def to_xlsx(rows: Sequence[LedgerRow], lang: str, sheets: Sequence[Sheet] = ()) -> bytes:
    """The ledger sheet, then the detail sheets (`formats.sheets`) a lossless re-import needs."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = text("ledger.sheet", lang)[:31]
    values = [[cells(row, lang)[key] for key in COLUMNS] for row in rows]
    _fill(ws, header(lang), values, [row.overdue for row in rows])
    for key in HIDDEN_COLUMNS:  # ids are for `rectify import`, not for the reader
        ws.column_dimensions[get_column_letter(COLUMNS.index(key) + 1)].hidden = True
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for sheet in sheets:
        _fill(wb.create_sheet(sheet.title), sheet.header, sheet.rows, [False] * len(sheet.rows))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _fill(ws, titles: list[str], rows: Sequence[Sequence[Any]], overdue: Sequence[bool]) -> None:
    """A header row and data rows: real dates, text never a formula, widths that fit Chinese."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(titles)
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font, cell.fill = bold, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = [display_width(t) for t in titles]
    red = PatternFill("solid", fgColor=OVERDUE_FILL)
    for r, (row, late) in enumerate(zip(rows, overdue), start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
                width = 10
            elif isinstance(value, int):
                cell.value = value
                width = len(str(value))
            elif value:
                safe = escape.cell(value)
                cell.value = safe
                cell.data_type = "s"  # never a formula, whatever the text
                width = max(display_width(line) for line in str(safe).split("\n"))
            else:
                width = 0
            cell.alignment = wrap_top
            if late:
                cell.fill = red
            widths[c - 1] = max(widths[c - 1], width)
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(1, len(rows) + 1)}"
