"""The agenda view: per unit, what must be delivered next."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from rich import box

from ..messages import text
from ..problems import ProblemError
from ..schedule import ItemState, Schedule
from . import escape, fit
from .records import item_record


def when(state: ItemState, lang: str) -> str:
    if state.overdue:
        return text("agenda.overdue", lang, days=state.days_overdue)
    if state.working_days_left == 0:
        return text("agenda.today", lang)
    return text("agenda.left", lang, left=state.working_days_left)


def agenda_view(schedule: Schedule, entries: dict[str, list[ItemState]], days: int, lang: str,
                width: int | None = None) -> Group:
    """Per unit: due date, how late or how soon, id and title. Titles wrap on a terminal; piped, nothing is cut."""
    parts: list[Any] = [Text(text("agenda.heading", lang, days=days, date=schedule.as_of, until=_until(schedule, days)), style="bold")]
    if not entries:
        parts.append(Text(text("agenda.nothing", lang, days=days)))
    for unit, states in entries.items():
        parts.append(Text(""))
        parts.append(Text(escape.terminal(text("agenda.unit", lang, unit=unit or "—", n=len(states))), style="bold"))
        columns = [
            fit.Column("", cells=[s.due_date.isoformat() if s.due_date else "" for s in states]),
            fit.Column("", cells=[when(s, lang) for s in states]),
            fit.Column("", cells=[escape.terminal(s.id) for s in states]),  # from rows: no task's model is built
            fit.Column("", fit.FLEX, minimum=12, cells=[escape.terminal(s.title) for s in states]),
        ]
        sizes = fit.widths(columns, width) or [c.natural() if c.kind == fit.KEEP else c.minimum for c in columns]
        parts.append(fit.table(columns, sizes, ["bold red" if s.overdue else None for s in states],
                               show_header=False, shape=box.SIMPLE))
    return Group(*parts)


def _until(schedule: Schedule, days: int) -> str:
    from ..calendar import calendar_for
    from ..model import CalendarSpec

    plans = {s.plan.id: s.plan for s in (*schedule.milestones, *schedule.tasks) if s.plan}
    spec = next(iter(plans.values())).calendar if plans else CalendarSpec()
    try:
        return calendar_for(spec).add_working_days(schedule.as_of, days).isoformat()
    except ProblemError:  # e.g. an unknown calendar code, already reported by check
        return ""


def to_csv(entries: dict[str, list[ItemState]]) -> str:
    """One row per item, its unit first: the agenda as a spreadsheet reads it (formulas neutralised)."""
    import csv
    import io

    from .records import CSV_COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("unit", *CSV_COLUMNS))
    for unit, states in entries.items():
        for state in states:
            record = item_record(state)
            record["support"] = ";".join(record["support"])
            writer.writerow([escape.cell(unit), *(escape.cell("" if record[c] is None else record[c]) for c in CSV_COLUMNS)])
    return buffer.getvalue()


def agenda_record(schedule: Schedule, entries: dict[str, list[ItemState]], days: int) -> dict[str, Any]:
    return {
        "as_of": schedule.as_of.isoformat(),
        "days": days,
        "until": _until(schedule, days),
        "units": [{"unit": unit, "items": [item_record(s) for s in states]} for unit, states in entries.items()],
    }
