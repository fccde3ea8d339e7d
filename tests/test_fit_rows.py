"""A table whose cells each fit their column on one line is written a row at a time
(`fit.OneLineRows`): it must draw what rich's own table draws, character for character
and colour for colour, or leave the drawing to it."""

from __future__ import annotations

import io

from hypothesis import given, settings, strategies as st
from rich import box
from rich.console import Console

from rectify_cli.render import fit

WORDS = ["T-01", "甲乙丙", "市司法局", "2025-01-03", "-475", "推进中", "a b", "x", "长期坚持", "🙂", "é", "Ａ"]
STYLES = [None, "red", "bold red", "dim"]


class _Output(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self.encoding_name = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]  # what rich reads to choose its box characters
        return self.encoding_name


def _draw(renderable, width: int, colour: bool, ascii_only: bool = False) -> str:
    out = _Output("ascii" if ascii_only else "utf-8")
    console = Console(file=out, width=width, force_terminal=colour, no_color=not colour,
                      color_system="truecolor" if colour else None, markup=False, highlight=False,
                      soft_wrap=False, legacy_windows=False, _environ={"TERM": "xterm-256color"})
    console.print(renderable)
    return out.getvalue()


tables = st.integers(min_value=1, max_value=5).flatmap(lambda ncols: st.tuples(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["left", "right"]), st.sampled_from([fit.KEEP, fit.FLEX])),
             min_size=ncols, max_size=ncols),
    st.lists(st.tuples(st.lists(st.sampled_from([*WORDS, ""]), min_size=ncols, max_size=ncols), st.sampled_from(STYLES)),
             max_size=6),
    st.integers(min_value=0, max_value=3),  # cells of room beyond the widest value
))


@settings(max_examples=200, deadline=None)
@given(tables, st.booleans(), st.integers(min_value=10, max_value=120), st.booleans(), st.booleans(),
       st.sampled_from([box.SIMPLE_HEAD, box.SIMPLE]))
def test_rows_written_one_at_a_time_are_what_rich_draws(spec, colour, width, ascii_only, show_header, shape):
    heads, rows, room = spec
    columns = [fit.Column(header, kind, justify=justify, cells=[cells[n] for cells, _ in rows])
               for n, (header, justify, kind) in enumerate(heads)]
    sizes = [column.natural() + room for column in columns]
    drawn = fit.table(columns, sizes, [style for _, style in rows], show_header=show_header, shape=shape)
    assert isinstance(drawn, fit.OneLineRows)
    fast = _draw(drawn, width, colour, ascii_only)
    assert fast == _draw(drawn.as_table(), width, colour, ascii_only)


def test_a_cell_that_does_not_fit_on_one_line_is_left_to_rich():
    for cells in (["甲乙丙丁戊"], ["a\nb"], [" padded"]):
        columns = [fit.Column("编号", fit.FLEX, cells=cells)]
        assert not isinstance(fit.table(columns, [4]), fit.OneLineRows)
    assert not isinstance(fit.table([fit.Column("编号", footer="合计", cells=["1"])], [4], show_footer=True),
                          fit.OneLineRows)
