"""The status view: plan headers, group counts and item rows, as rich tables.

Rich renderables are built here; whether they get colour is the console's
business (colour on a terminal only, never with NO_COLOR). The same items as
JSON or CSV are `records`; their labels (state, deadline) are `labels`.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..messages import text
from . import escape, fit
from ..model import Milestone, Plan, Status
from ..overview import Counts, is_due_soon
from ..schedule import ItemState, Schedule
from .labels import due_label, status_cell

BAR_CELLS = 10


def bar(fraction: float, cells: int = BAR_CELLS) -> str:
    filled = round(fraction * cells)
    return "█" * filled + "░" * (cells - filled) + f" {fraction * 100:3.0f}%"


def row_style(state: ItemState, within: int) -> str | None:
    if state.overdue:
        return "bold red"
    if is_due_soon(state, within):
        return "yellow"
    if state.status.finished:
        return "green"
    return None


def plan_header(plan: Plan, schedule: Schedule, lang: str) -> list[Text]:
    lines = [Text(escape.terminal(text("status.heading", lang, title=plan.title, id=plan.id)), style="bold")]
    phases = [p for p in schedule.phases if p.plan.id == plan.id and p.current]
    for phase in phases:
        lines.append(
            Text(escape.terminal(text("status.phase", lang, title=phase.phase.title, left=phase.working_days_left, end=phase.end)))
        )
    for state in (m for m in schedule.milestones if m.plan and m.plan.id == plan.id):
        lines.append(_milestone_line(state, lang))
    return lines


def _milestone_line(state: ItemState, lang: str) -> Text:
    milestone = state.item
    assert isinstance(milestone, Milestone)
    if milestone.status.finished:
        done = text("status.milestone_done", lang, date=milestone.done) if milestone.done else text("status.milestone_done_undated", lang)
        mark, extra, style = "✓", done, "green"
    elif state.overdue:
        mark, extra, style = "✗", text("status.milestone_overdue", lang, days=state.days_overdue), "bold red"
    elif state.working_days_left is not None:
        mark, extra, style = "○", text("status.milestone_left", lang, left=state.working_days_left), None
    else:
        mark, extra, style = "○", "", None
    title = milestone.title
    if milestone.occurrence is not None:  # one of a series: say which
        title = text("status.occurrence", lang, title=title, event=milestone.each, date=milestone.occurrence.isoformat())
    line = text("status.milestone", lang, mark=mark, title=title, due=due_label(state, lang), state=extra)
    return Text(escape.terminal(line), style=style or "")


def counts_table(groups: Sequence[Counts], totals: Counts, by: str, within: int, lang: str,
                 width: int | None = None) -> list[Table]:
    """One table of counts; on a narrow terminal two (the per-state counts fold into the
    second) rather than columns that vanish."""
    many = len(groups) > 1
    label = fit.Column(text(f"col.group.{by}", lang), fit.FLEX, footer=text("all_groups", lang) if many else "",
                       cells=[escape.terminal(g.label or "—") for g in groups])

    def numeric(key: str, value, **params) -> fit.Column:
        return fit.Column(text(key, lang, **params), justify="right", footer=str(value(totals)) if many else "",
                          cells=[str(value(g)) for g in groups])

    total = numeric("col.total", lambda c: c.total)
    states = [numeric(f"status.{s.value}", (lambda s: lambda c: c.of(s))(s)) for s in Status
              if s is not Status.CANCELLED and (s is not Status.SUBMITTED or totals.of(s))]
    late = numeric("col.overdue", lambda c: c.overdue)
    soon = numeric("col.due_soon", lambda c: c.due_soon, n=within)
    done = fit.Column(text("col.completion", lang), footer=bar(totals.completion) if many else "",
                      cells=[bar(g.completion) for g in groups])
    styles = ["red" if g.overdue else None for g in groups]
    whole = [label, total, *states, late, soon, done]
    sizes = fit.widths(whole, width)
    if sizes is not None:
        return [fit.table(whole, sizes, styles, many)]
    tables = []
    for part in ([label, total, late, soon, done], [label, *states]):
        sizes = fit.widths(part, width) or [c.natural() for c in part]
        tables.append(fit.table(part, sizes, styles, many))
    return tables


def items_table(states: Sequence[ItemState], within: int, lang: str, show_plan: bool = False,
                width: int | None = None) -> Table:
    """Ids, plans, deadlines, days left and states whole; titles and units share the rest
    and wrap. Too narrow for a unit column: the unit goes under the title. From the
    items' rows (`facts`): a long list builds no task's model."""
    rows = [s.facts for s in states]
    ident = fit.Column(text("col.id", lang), cells=[escape.terminal(r.id) for r in rows])
    plan = fit.Column(text("col.plan", lang), cells=[escape.terminal(r.plan) for r in rows])
    title = fit.Column(text("col.title", lang), fit.FLEX, minimum=12, share=2, cells=[escape.terminal(r.title) for r in rows])
    lead = fit.Column(text("col.lead", lang), fit.FLEX, minimum=10, cells=[escape.terminal("、".join(r.leads)) for r in rows])
    due = fit.Column(text("col.due", lang), fit.BREAK, cells=[escape.terminal(due_label(s, lang)) for s in states])
    left = fit.Column(text("col.left", lang), justify="right", wrap_header=True, cells=[
        "" if s.working_days_left is None or s.status.finished else str(s.working_days_left) for s in states
    ])
    status = fit.Column(text("col.status", lang), cells=[status_cell(s, lang) for s in states])
    styles = [row_style(s, within) for s in states]
    columns = [ident, *([plan] if show_plan else []), title, lead, due, left, status]
    sizes = fit.widths(columns, width)
    if sizes is None:
        stacked = fit.Column(title.header, fit.FLEX, minimum=12, cells=[
            f"{t}\n{text('status.stacked_lead', lang, lead=u)}" if u else t for t, u in zip(title.cells, lead.cells)
        ])
        columns = [ident, *([plan] if show_plan else []), stacked, due, left, status]
        sizes = fit.widths(columns, width) or [max(c.minimum, 1) if c.kind != fit.KEEP else c.natural() for c in columns]
    return fit.table(columns, sizes, styles)


def status_view(
    plans: Iterable[Plan], schedule: Schedule, groups: Sequence[Counts], totals: Counts,
    states: Sequence[ItemState], by: str, within: int, lang: str, width: int | None = None,
) -> Group:
    """Everything `status` shows. `width`: the terminal's; None when piped (nothing cut or wrapped)."""
    parts: list[Any] = [Text(text("status.as_of", lang, date=schedule.as_of.isoformat()), style="dim")]
    plans = list(plans)
    for plan in plans:
        parts.extend(plan_header(plan, schedule, lang))
    parts.extend(counts_table(groups, totals, by, within, lang, width))
    if states:
        parts.append(items_table(states, within, lang, show_plan=len(plans) > 1, width=width))
    else:
        parts.append(Text(text("status.no_items", lang)))
    return Group(*parts)
