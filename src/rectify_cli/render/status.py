"""The status view: plan headers, group counts and item rows, as rich tables or plain data.

Rich renderables are built here; whether they get colour is the console's
business (colour on a terminal only, never with NO_COLOR).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, Sequence

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich import box

from ..messages import text
from . import escape
from ..model import Milestone, Plan, Status, Task
from ..overview import Counts, is_due_soon
from ..schedule import ItemState, Schedule

TITLE_CELLS = 36
UNIT_CELLS = 18
GROUP_CELLS = 44
BAR_CELLS = 10


def trim(value: str, cells: int) -> str:
    """Cut to a display width, counting a CJK character as two cells; control characters escaped."""
    value = escape.terminal(value)
    if cell_len(value) <= cells:
        return value
    out, used = [], 0
    for ch in value:
        width = cell_len(ch)
        if used + width > cells - 1:
            break
        out.append(ch)
        used += width
    return "".join(out) + "…"


def status_label(status: Status, lang: str) -> str:
    return text(f"status.{status.value}", lang)


def due_label(state: ItemState, lang: str) -> str:
    """The deadline as a reader wants it: a date, "was X → Y", no deadline, or pending."""
    due = state.due
    if due is None:
        return text("status.no_deadline", lang)
    if due.kind == "ongoing":
        return text("status.ongoing", lang)
    if due.kind == "pending":
        return text("status.pending", lang)
    current = due.due.isoformat() if due.due else ""
    original = state.original_due
    if original is not None and original.due and original.due != due.due:
        return text("status.extended", lang, original=original.due.isoformat(), current=current)
    return current


def status_cell(state: ItemState, lang: str) -> str:
    label = status_label(state.item.status, lang)
    if state.done_late:
        label += f" ({text('status.done_late', lang)})"
    return label


def bar(fraction: float, cells: int = BAR_CELLS) -> str:
    filled = round(fraction * cells)
    return "█" * filled + "░" * (cells - filled) + f" {fraction * 100:3.0f}%"


def row_style(state: ItemState, within: int) -> str | None:
    if state.overdue:
        return "bold red"
    if is_due_soon(state, within):
        return "yellow"
    if state.item.status.finished:
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
        mark, extra, style = "✓", text("status.milestone_done", lang, date=milestone.done or ""), "green"
    elif state.overdue:
        mark, extra, style = "✗", text("status.milestone_overdue", lang, days=state.days_overdue), "bold red"
    elif state.working_days_left is not None:
        mark, extra, style = "○", text("status.milestone_left", lang, left=state.working_days_left), None
    else:
        mark, extra, style = "○", "", None
    line = text("status.milestone", lang, mark=mark, title=milestone.title, due=due_label(state, lang), state=extra)
    return Text(escape.terminal(line), style=style or "")


def counts_table(groups: Sequence[Counts], totals: Counts, by: str, within: int, lang: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_footer=len(groups) > 1)
    table.add_column(text(f"col.group.{by}", lang), footer=text("all_groups", lang), no_wrap=True)
    numeric = [
        ("col.total", lambda c: c.total),
        *((f"status.{s.value}", (lambda s: lambda c: c.of(s))(s)) for s in Status
          if s is not Status.CANCELLED and (s is not Status.SUBMITTED or totals.of(s))),
        ("col.overdue", lambda c: c.overdue),
    ]
    for key, value in numeric:
        table.add_column(text(key, lang), footer=str(value(totals)), justify="right")
    table.add_column(text("col.due_soon", lang, n=within), footer=str(totals.due_soon), justify="right")
    table.add_column(text("col.completion", lang), footer=bar(totals.completion), no_wrap=True)
    for group in groups:
        style = "red" if group.overdue else None
        cells = [trim(group.label or "—", GROUP_CELLS)]
        cells += [str(value(group)) for _, value in numeric]
        cells += [str(group.due_soon), bar(group.completion)]
        table.add_row(*cells, style=style)
    return table


def items_table(states: Sequence[ItemState], within: int, lang: str, show_plan: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(text("col.id", lang), no_wrap=True)
    if show_plan:
        table.add_column(text("col.plan", lang), no_wrap=True)
    table.add_column(text("col.title", lang), no_wrap=True)
    table.add_column(text("col.lead", lang), no_wrap=True)
    table.add_column(text("col.due", lang), no_wrap=True)
    table.add_column(text("col.left", lang), justify="right", no_wrap=True)
    table.add_column(text("col.status", lang), no_wrap=True)
    for state in states:
        task = state.item
        assert isinstance(task, Task)
        left = "" if state.working_days_left is None or task.status.finished else str(state.working_days_left)
        cells = [escape.terminal(task.id)]
        if show_plan:
            cells.append(task.plan)
        cells += [
            trim(task.title, TITLE_CELLS), trim(task.lead, UNIT_CELLS), due_label(state, lang), left,
            status_cell(state, lang),
        ]
        table.add_row(*cells, style=row_style(state, within))
    return table


def status_view(
    plans: Iterable[Plan], schedule: Schedule, groups: Sequence[Counts], totals: Counts,
    states: Sequence[ItemState], by: str, within: int, lang: str,
) -> Group:
    parts: list[Any] = [Text(text("status.as_of", lang, date=schedule.as_of.isoformat()), style="dim")]
    plans = list(plans)
    for plan in plans:
        parts.extend(plan_header(plan, schedule, lang))
    parts.append(counts_table(groups, totals, by, within, lang))
    if states:
        parts.append(items_table(states, within, lang, show_plan=len(plans) > 1))
    else:
        parts.append(Text(text("status.no_items", lang)))
    return Group(*parts)


# -- machine-readable ------------------------------------------------------------
def item_record(state: ItemState, issue_titles: dict[tuple[str, str], str] | None = None) -> dict[str, Any]:
    task = state.item
    record: dict[str, Any] = {
        "id": task.id,
        "plan": state.plan.id if state.plan else getattr(task, "plan", ""),
        "issue": getattr(task, "issue", ""),
        "title": task.title,
        "lead": getattr(task, "lead", ""),
        "support": list(getattr(task, "support", ())),
        "owner": getattr(task, "owner", ""),
        "due": state.due_date.isoformat() if state.due_date else None,
        "due_kind": state.due.kind if state.due else None,
        "due_rule": state.rule.text if state.rule else None,  # the rule that counts, as in the ledger export
        "original_due_rule": task.due.text if state.extended and task.due else None,
        "original_due": state.original_due.due.isoformat() if state.original_due and state.original_due.due else None,
        "working_days_left": state.working_days_left,
        "status": task.status.value,
        "overdue": state.overdue,
        "days_overdue": state.days_overdue,
        "done": task.done.isoformat() if task.done else None,
        "done_late": state.done_late,
        "file": task.source.file,
        "line": task.source.line,
    }
    if isinstance(task, Task):
        from .supervision import supervision_record

        record["supervision"] = supervision_record(state)
    return record


def counts_record(c: Counts) -> dict[str, Any]:
    return {
        "key": c.key,
        "label": c.label,
        "total": c.total,
        **{s.value: c.of(s) for s in Status},
        "overdue": c.overdue,
        "due_soon": c.due_soon,
        "done_late": c.done_late,
        "completion": round(c.completion, 4),
    }


def plan_record(plan: Plan, schedule: Schedule) -> dict[str, Any]:
    return {
        "id": plan.id,
        "title": plan.title,
        "owner": plan.owner,
        "current_phases": [
            {"id": p.phase.id, "title": p.phase.title, "start": _iso(p.start), "end": _iso(p.end), "working_days_left": p.working_days_left}
            for p in schedule.phases
            if p.plan.id == plan.id and p.current
        ],
        "milestones": [item_record(m) for m in schedule.milestones if m.plan and m.plan.id == plan.id],
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


CSV_COLUMNS = (
    "plan", "issue", "id", "title", "lead", "support", "owner", "due", "original_due",
    "working_days_left", "status", "overdue", "days_overdue", "done", "done_late",
)


def to_csv(states: Sequence[ItemState]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for state in states:
        record = item_record(state)
        record["support"] = ";".join(record["support"])
        writer.writerow([escape.cell("" if record[c] is None else record[c]) for c in CSV_COLUMNS])
    return buffer.getvalue()
