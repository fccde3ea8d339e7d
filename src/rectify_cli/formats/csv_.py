"""The ledger as CSV that Excel opens correctly.

Excel guesses the encoding of a CSV file from its first bytes: without a BOM
it reads GBK on Chinese Windows and the text turns to mojibake, so the file
is UTF-8 *with* BOM. Every text cell goes through `escape.cell`, so a value
such as `=HYPERLINK(...)` is shown, never executed.
"""

from __future__ import annotations

import csv
import io
from typing import Sequence

from ..render import escape
from .ledger import CSV_COLUMNS, LedgerRow, cells, header

BOM = "\ufeff"


def to_csv(rows: Sequence[LedgerRow], lang: str) -> str:
    """The whole file as text, BOM included (write it as UTF-8, not utf-8-sig again)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(lang, CSV_COLUMNS))
    for row in rows:
        values = cells(row, lang)
        writer.writerow([_cell(values[key]) for key in CSV_COLUMNS])
    return BOM + buffer.getvalue()


def _cell(value: object) -> object:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[union-attr]
    return escape.cell(value)
