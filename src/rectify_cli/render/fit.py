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
from typing import Iterable, Sequence

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
          show_footer: bool = False, show_header: bool = True, shape: box.Box = box.SIMPLE_HEAD) -> Table | OneLineRows:
    """A rich table with the given widths; keep columns never wrap, the others wrap at spaces or fold.
    When every cell fits its column on one line, the same table written a row at a time (`OneLineRows`)."""
    out = Table(box=shape, pad_edge=False, show_footer=show_footer, show_header=show_header)
    for column, size in zip(columns, sizes):
        keep = column.kind == KEEP
        out.add_column(
            column.header, footer=column.footer, justify=column.justify, width=size,  # type: ignore[arg-type]
            no_wrap=keep, overflow="fold",
        )
    count = max((len(c.cells) for c in columns), default=0)
    rows = OneLineRows(out, [column.cells for column in columns],
                       [rows_style[n] if n < len(rows_style) else None for n in range(count)])
    if not show_footer and all(_one_line(value, size) for column, size in zip(columns, sizes)
                               for value in ((column.header,) if show_header else ()) + tuple(column.cells)):
        return rows
    return rows.as_table()


def _one_line(value: str, size: int) -> bool:
    return "\n" not in value and value == value.strip() and cell_len(value) <= size


class OneLineRows:
    """A table (`table`) whose every cell fits its column on one line, written as rich draws it,
    segment for segment, a row at a time. Rich lays out each cell of a table as a renderable of
    its own (a third of a millisecond a row): `status` of 1,000 tasks took half a second to
    draw. A console too narrow for it (rich would shrink columns) gets the table itself, and a
    test holds the two to the same output."""

    def __init__(self, table: Table, columns: list[list[str]], styles: list[str | None]) -> None:
        self.table, self.columns, self.styles = table, columns, styles
        self._filled = False

    def as_table(self) -> Table:
        """The rich table itself, its rows in it."""
        if not self._filled:
            for n, style in enumerate(self.styles):
                self.table.add_row(*(Text(cells[n]) for cells in self.columns), style=style)
            self._filled = True
        return self.table

    def __rich_measure__(self, console, options):
        return self.as_table().__rich_measure__(console, options)

    def __rich_console__(self, console, options):
        from rich.segment import Segment
        from rich.style import Style

        sizes = [column.width for column in self.table.columns]
        last = len(sizes) - 1
        if not sizes or sum(sizes) + overhead(len(sizes)) > options.max_width:
            yield self.as_table()
            return
        shape = self.table.box.substitute(options, safe=self.table.safe_box)  # type: ignore[union-attr]
        spans = [size + (n > 0) + (n < last) for n, size in enumerate(sizes)]  # with the padding between columns
        plain, new_line = Style(), Segment.line()
        justify = ["right" if column.justify == "right" else "left" for column in self.table.columns]

        def row(cells: Sequence[str], style: Style | None, edges: tuple[str, str, str]) -> Iterable[Segment]:
            padding = style or plain
            yield Segment(edges[0], plain)
            for n, (value, size) in enumerate(zip(cells, sizes)):
                if n:
                    yield Segment(" ", padding)
                room = " " * (size - cell_len(value))
                yield Segment(room + value if justify[n] == "right" else value + room, style)
                if n < last:
                    yield Segment(" ", padding)
                    yield Segment(edges[1], plain)
            yield Segment(edges[2], plain)
            yield new_line

        yield Segment(shape.get_top(spans), plain)
        yield new_line
        if self.table.show_header:
            headers = [str(column.header) for column in self.table.columns]
            yield from row(headers, console.get_style("table.header"), (shape.head_left, shape.head_vertical, shape.head_right))
            yield Segment(shape.get_row(spans, "head", edge=True), plain)
            yield new_line
        known: dict[str | None, Style | None] = {None: None}
        edges = (shape.mid_left, shape.mid_vertical, shape.mid_right)
        for n, name in enumerate(self.styles):
            style = known.get(name)
            if name not in known:
                style = known[name] = console.get_style(name)
            yield from row([cells[n] for cells in self.columns], style, edges)
        yield Segment(shape.get_bottom(spans), plain)
        yield new_line
