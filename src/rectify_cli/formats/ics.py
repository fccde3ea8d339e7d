"""Deadlines as an iCalendar file (RFC 5545) for Outlook, WPS, phones.

Written by hand: the subset needed (all-day events with an alarm) is small,
and the rules that matter are easy to test here — CRLF line ends, lines
folded at 75 octets without splitting a UTF-8 character, TEXT escaping of
backslash, `;`, `,` and newlines. UIDs are `{plan}-{id}@rectify`, so
importing a newer export updates the events instead of duplicating them;
DTSTAMP is the as-of date, so the same ledger gives the same bytes.

The reminder fires N *working* days before the deadline on the plan's own
calendar (holidays and make-up workdays included), at 09:00 local time,
expressed relative to the all-day event so it follows the reader's zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from ..calendar import WorkCalendar
from ..messages import text
from ..model import Milestone, Plan, Task
from ..render import escape
from ..schedule import ItemState, Schedule

PRODID = "-//rectify//rectify-cli//ZH"
FOLD_AT = 75  # octets per line, CRLF excluded
REMIND_WORKING_DAYS = 3
REMIND_HOUR = 9


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: control characters made visible (TEXT may not hold them,
    and a calendar is read on terminals too), then backslash, `;` `,` and line breaks."""
    value = escape.terminal(value.replace("\r\n", "\n").replace("\r", "\n"))
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line at 75 octets (§3.1), never inside a UTF-8 sequence."""
    out: list[str] = []
    current, size, limit = [], 0, FOLD_AT
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, FOLD_AT
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def unfold(data: str) -> list[str]:
    """The content lines of an iCalendar text (the inverse of `fold`), for readers and tests."""
    lines: list[str] = []
    for raw in data.split("\r\n"):
        if raw.startswith((" ", "\t")) and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def trigger(due: dt.date, calendar: WorkCalendar, working_days: int = REMIND_WORKING_DAYS) -> str:
    """A TRIGGER value firing at 09:00 on the Nth working day before `due`.

    Relative to the event's start (00:00 of the due day): the reminder day
    is `days` calendar days earlier, so 09:00 that day is (days-1) days and
    15 hours before the start.
    """
    remind = calendar.add_working_days(due, -working_days)
    days = (due - remind).days
    hours = 24 - REMIND_HOUR
    return f"-P{days - 1}DT{hours}H" if days > 1 else f"-PT{hours}H"


def to_ics(
    schedule: Schedule,
    calendar_of: Callable[[Plan | None], WorkCalendar],
    lang: str,
    name: str = "",
    working_days: int = REMIND_WORKING_DAYS,
) -> str:
    """One VEVENT per dated deadline: every milestone, and every task still open."""
    stamp = f"{schedule.as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name or text('ics.calendar_name', lang))}",
    ]
    for state in _deadlines(schedule):
        lines.extend(_event(state, stamp, calendar_of, lang, working_days))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _deadlines(schedule: Schedule) -> Iterable[ItemState]:
    for state in (*schedule.milestones, *schedule.tasks):
        if state.due is None or state.due.kind != "date" or state.due_date is None:
            continue
        if isinstance(state.item, Task) and not state.item.status.open:
            continue
        yield state


def _event(state: ItemState, stamp: str, calendar_of, lang: str, working_days: int) -> list[str]:
    item = state.item
    plan_id = state.plan.id if state.plan else getattr(item, "plan", "")
    due = state.due_date
    assert due is not None
    lead = state.unit
    kind = text("ics.milestone" if isinstance(item, Milestone) else "ics.task", lang)
    details = [
        text("ics.kind", lang, kind=kind),
        text("ics.lead", lang, lead=lead),
    ]
    if isinstance(item, Task) and item.support:
        details.append(text("ics.support", lang, units="、".join(item.support)))
    details.append(text("ics.due", lang, date=due.isoformat()))
    details.append(text("ics.status", lang, status=text(f"status.{item.status.value}", lang)))
    if state.overdue:
        details.append(text("ics.overdue", lang, days=state.days_overdue))
    summary = f"{item.id} {item.title}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'{plan_id}-{item.id}@rectify')}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(details))}",
        f"CATEGORIES:{escape_text(plan_id)}",
        "TRANSP:TRANSPARENT",
    ]
    if not item.status.finished:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(text('ics.reminder', lang, n=working_days, title=summary))}",
            f"TRIGGER:{trigger(due, calendar_of(state.plan), working_days)}",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines
