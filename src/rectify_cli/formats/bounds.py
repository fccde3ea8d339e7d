"""What an import reads at most, and the error that says a file is past it or unreadable.

Shared by the CSV reader (`reading`) and the worksheet reader (`workbook`);
SECURITY.md, "Resource bounds", lists each promise.
"""

from __future__ import annotations

from ..problems import MessageError

# What an import reads at most (SECURITY.md, "Resource bounds"). Real ledgers have
# hundreds of rows and a few dozen columns; Excel itself holds 32,767 characters a cell.
MAX_ROWS = 50_000  # sheet rows or CSV records, the header and rows above it included
MAX_COLUMNS = 128  # columns further right are not read
MAX_CELL_CHARS = 1_000_000
MAX_LEDGER_BYTES = 32 * 1024 * 1024  # a CSV file; an .xlsx file and what it unpacks to


class LedgerError(MessageError):
    """The file cannot be read as a ledger at all."""
