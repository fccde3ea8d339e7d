"""Fitting a table into a terminal's width without cutting what must stay whole.

Rich, left to itself, shrinks every column of a table that is too wide, ids
and dates included (`T…`, `2025-…`). Here the columns say what they hold:
`keep` columns (ids, dates, days left, states) get their full width, `flex`
columns (titles, units) share what is left and wrap. When the terminal is too
narrow even for that, the caller decides what to fold (a second table, a
second line) before anything is cut. Without a width (output piped to a file
or another program) every column takes its natural width: nothing is wrapped
and nothing is cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

KEEP, FLEX, BREAK = "keep", "flex", "break"  # BREAK: may wrap at spaces, never inside a word


@dataclass
class Column:
    header: str
    kind: str = KEEP
    justify: str = "left"
    footer: str = ""
    minimum: int = 8  # a flex column narrower than this is no longer readable
    share: int = 1  # how flex columns split the room they are given
    wrap_header: bool = False  # a long header over short values may take two lines when room is short
    cells: list[str] = field(default_factory=list)

    def natural(self) -> int:
        return max([_longest_line(self.header), cell_len(self.footer), *(_longest_line(c) for c in self.cells)] or [1])

    def two_lines(self) -> int:
        """The width at which every cell takes at most two lines, split at its last space."""
        def split(value: str) -> int:
            head, _, tail = value.rpartition(" ")
            return max(cell_len(head), cell_len(tail)) if head else cell_len(value)

        return max([split(self.header), cell_len(self.footer), *(split(c) for c in self.cells)] or [1])

    def unbreakable(self) -> int:
        """The widest word: a BREAK column never gets less (a date is one word)."""
        words = [w for text in (self.header, self.footer, *self.cells) for w in text.split()]
        return max([cell_len(w) for w in words] or [1])


def _longest_line(value: str) -> int:
    return max((cell_len(line) for line in value.split("\n")), default=0)


def overhead(columns: int) -> int:
    """Cells a SIMPLE_HEAD table without edge padding spends on edges and gaps."""
    return 3 * columns - 1


def natural_width(columns: Sequence[Column]) -> int:
    return sum(c.natural() for c in columns) + overhead(len(columns))


def widths(columns: Sequence[Column], width: int | None) -> list[int] | None:
    """Each column's width within `width` cells, or None when the flex columns would
    fall below their minimum (the caller folds something then). No width: natural widths."""
    natural = [c.natural() for c in columns]
    if width is None or sum(natural) + overhead(len(columns)) <= width:
        return natural
    room = width - overhead(len(columns))
    sized = list(natural)
    flex = [i for i, c in enumerate(columns) if c.kind == FLEX]
    need = sum(columns[i].minimum for i in flex)

    def left() -> int:
        return room - sum(sized[i] for i in range(len(columns)) if i not in flex)

    # Before titles get too thin: an extended deadline on two lines, a long header
    # over a short number on two lines, then deadlines broken at every space.
    for step in ("two_lines", "headers", "words"):
        if left() >= need:
            break
        for i, column in enumerate(columns):
            if step == "two_lines" and column.kind == BREAK:
                sized[i] = max(column.two_lines(), 10)
            elif step == "headers" and column.wrap_header and " " in column.header:
                column.header = column.header.replace(" ", "\n")
                sized[i] = column.natural()
            elif step == "words" and column.kind == BREAK:
                sized[i] = max(column.unbreakable(), 10)
    if not flex or left() < need:
        return None
    left_over = left()
    for i, size in zip(flex, share([natural[i] for i in flex], [columns[i].minimum for i in flex],
                                   [columns[i].share for i in flex], left_over)):
        sized[i] = size
    return sized


def share(natural: Sequence[int], minimum: Sequence[int], weight: Sequence[int], room: int) -> list[int]:
    """Widths that fill `room`: each column capped at weight × cap (never below its minimum,
    never above its natural width), the cap as large as fits; spare cells to the first columns."""
    def sizes(cap: int) -> list[int]:
        return [min(n, max(m, cap * w)) for n, m, w in zip(natural, minimum, weight)]

    low, high = 0, max(natural, default=0)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(sizes(middle)) <= room:
            low = middle
        else:
            high = middle - 1
    result = sizes(low)
    spare = room - sum(result)
    for i, n in enumerate(natural):
        extra = max(0, min(spare, n - result[i]))
        result[i] += extra
        spare -= extra
    return result


def table(columns: Sequence[Column], sizes: Sequence[int], rows_style: Sequence[str | None] = (),
          show_footer: bool = False) -> Table:
    """A rich table with the given widths; keep columns never wrap, the others wrap at spaces or fold."""
    out = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=show_footer)
    for column, size in zip(columns, sizes):
        keep = column.kind == KEEP
        out.add_column(
            column.header, footer=column.footer, justify=column.justify, width=size,  # type: ignore[arg-type]
            no_wrap=keep, overflow="fold",
        )
    count = max((len(c.cells) for c in columns), default=0)
    for n in range(count):
        style = rows_style[n] if n < len(rows_style) else None
        out.add_row(*(Text(c.cells[n]) for c in columns), style=style)
    return out
