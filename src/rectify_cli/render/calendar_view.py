"""A month grid of the working calendar: holidays (休), make-up workdays (班), today."""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich import box

from ..calendar import DayKind, WorkCalendar
from ..messages import text

WEEKDAY_KEYS = tuple(f"cal.wd.{i}" for i in range(7))


def day_cell(cal: WorkCalendar, day: dt.date, today: dt.date, lang: str) -> Text:
    """The day number with a visible mark, so the grid reads the same without colour."""
    kind = cal.kind(day)
    mark, style = "", ""
    if kind is DayKind.HOLIDAY:
        mark, style = text("cal.mark.holiday", lang), "bold red"
    elif kind is DayKind.MAKEUP_WORKDAY:
        mark, style = text("cal.mark.makeup", lang), "bold yellow"
    elif kind is DayKind.WEEKEND:
        style = "dim"
    label = f"{day.day}{mark}"
    if day == today:
        label, style = f"[{label}]", style + " reverse"
    return Text(label, style=style.strip())


def month_view(cal: WorkCalendar, year: int, month: int, today: dt.date, lang: str) -> Group:
    table = Table(title=text("cal.month_title", lang, year=year, month=month), box=box.SIMPLE, pad_edge=False)
    for key in WEEKDAY_KEYS:
        table.add_column(text(key, lang), justify="right", no_wrap=True)
    for week in _stdcal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        table.add_row(*(day_cell(cal, d, today, lang) if d.month == month else Text("") for d in week))
    notes: list[Any] = [table]
    first = dt.date(year, month, 1)
    last = dt.date(year, month, _stdcal.monthrange(year, month)[1])
    before = first - dt.timedelta(days=1)
    for info in cal.holidays_between(before, last):
        name = info.name if lang == "zh" else (info.name_en or info.name)
        notes.append(Text(text("cal.note.holiday", lang, date=info.date.isoformat(), name=name or "—")))
    for info in cal.makeup_workdays_between(before, last):
        notes.append(Text(text("cal.note.makeup", lang, date=info.date.isoformat())))
    if cal.is_provisional(year):
        notes.append(Text(text("cal.note.provisional", lang, year=year), style="yellow"))
    return Group(*notes)


def months(spec: str | None, today: dt.date) -> list[tuple[int, int]]:
    """`YYYY-MM` → that month; `YYYY` → its twelve months; nothing → this month."""
    if not spec:
        return [(today.year, today.month)]
    spec = spec.strip()
    if len(spec) == 4 and spec.isdigit():
        return [(int(spec), m) for m in range(1, 13)]
    year, _, month = spec.partition("-")
    if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(spec)
    return [(int(year), int(month))]
