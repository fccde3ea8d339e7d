"""Supervision as text and records: 回头看 and 未按时报送 lines for `check`,
the `supervision` part of an item's JSON, and the 督办 agenda (`agenda --escalate`)."""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from ..calendar import calendar_for
from ..messages import text
from ..model import CalendarSpec, Duban as ModelDuban
from ..deadlines import merged_spec
from ..schedule import ItemState, Schedule
from ..shown import Duban, day_of
from ..supervision import LEVEL_NAMES, approvals, rank, reply_due
from .check import breaks_escaped


def flagged(schedule: Schedule, what: str) -> tuple[ItemState, ...]:
    """Tasks `check --fail-on lookback-due|missing-progress` fails on."""
    if what == "lookback-due":
        return tuple(s for s in schedule.tasks if s.supervision.lookback_due)
    if what == "missing-progress":
        return tuple(s for s in schedule.tasks if s.supervision.missing_progress)
    return ()


def flag_message(state: ItemState, what: str, lang: str) -> str:
    item, sup = state.item, state.supervision
    if what == "lookback-due":
        return text("check.lookback_due", lang, id=item.id, title=item.title, date=sup.lookback_date, lead=state.unit)
    return text("check.missing_progress", lang, id=item.id, title=item.title, date=sup.progress_due, lead=state.unit)


def flag_lines(states: Sequence[ItemState], what: str, lang: str) -> Iterator[str]:
    for state in states:
        yield breaks_escaped(f"{state.item.source}: {flag_message(state, what, lang)}")


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def duban_record(duban: Duban, unanswered: bool | None = None) -> dict[str, Any]:
    """One 督办 (a `shown` row) as JSON; `unanswered`: past its reply date without a reply."""
    date, level, by, note, reply_by, reply, replied = duban
    record: dict[str, Any] = {
        "date": _iso(day_of(date)), "level": level, "level_name": LEVEL_NAMES.get(level, ""),
        "by": by, "note": note, "reply_by": reply_by or None, "reply": reply, "replied": _iso(day_of(replied)),
    }
    if unanswered is not None:
        record["unanswered"] = unanswered
    return record


def supervision_record(state: ItemState) -> dict[str, Any]:
    """The supervision part of a task's JSON record: from its row (see `shown`), not its model."""
    task, sup = state.shown, state.supervision
    escalation, unanswered = sup.escalation, sup.unanswered
    reviews, duban, lookbacks = task.reviews, task.duban, task.lookbacks  # most tasks have none of them
    return {
        "escalation": escalation or None,
        "escalation_name": LEVEL_NAMES.get(escalation),
        "duban_level": sup.issued or None,
        "escalate": sup.escalate,
        "approvals": list(approvals(reviews)) if reviews else [],
        "missing_approvals": list(sup.missing_approvals),
        "reviews": [{"date": _iso(day_of(date)), "by": by, "result": result, "reason": reason}
                    for date, by, result, reason in reviews] if reviews else [],
        "duban": [duban_record(d, n in unanswered) for n, d in enumerate(duban)] if duban else [],
        "lookback_date": _iso(sup.lookback_date),
        "lookback_due": sup.lookback_due,
        "lookbacks": [{"date": _iso(day_of(date)), "result": result, "by": by, "note": note}
                      for date, result, by, note in lookbacks] if lookbacks else [],
        "progress_due": _iso(sup.progress_due),
        "missing_progress": sup.missing_progress,
    }


def escalations(schedule: Schedule, unit: str | None = None) -> list[ItemState]:
    """What the rules call for (a stronger 督办 than the last issued) and what is unanswered,
    strongest level first."""
    from ..overview import matches_unit

    states = [
        s for s in schedule.tasks
        if (s.supervision.escalate or s.supervision.unanswered)
        and (not unit or matches_unit(s, unit, schedule.registry))
    ]
    return sorted(states, key=lambda s: (-rank(s.supervision.escalation), s.item.plan, s.item.id))


def level_label(level: str, lang: str) -> str:
    return text(f"duban.level.{LEVEL_NAMES[level]}", lang) if level in LEVEL_NAMES else level


def escalation_lines(schedule: Schedule, states: Sequence[ItemState], lang: str) -> Iterator[str]:
    yield text("status.as_of", lang, date=schedule.as_of)
    if not states:
        yield text("escalate.none", lang)
    for state in states:
        sup, item = state.supervision, state.item
        if sup.escalate:
            yield breaks_escaped(text(
                "escalate.call", lang, level=level_label(sup.escalation, lang), id=item.id, title=item.title, lead=state.unit,
                issued=level_label(sup.issued, lang) if sup.issued else text("escalate.never", lang), due=state.due_date or "—",
            ))
        for n in sup.unanswered:
            duban = item.duban[n]
            yield breaks_escaped(text(
                "escalate.unanswered", lang, id=item.id, title=item.title, lead=state.unit, level=level_label(duban.level, lang),
                date=duban.date, due=reply_date(duban, state),
            ))


def reply_date(duban: ModelDuban, state: ItemState):
    """When a 督办 of this task must be answered: counted on the calendar its supervision was
    judged on (the plan's days over rectify.yaml's), so the date printed is the one judged."""
    supervising = state.supervising
    if supervising is not None:
        calendar = supervising.calendar
    else:
        calendar = calendar_for(merged_spec(state.plan.calendar if state.plan else CalendarSpec(), None))
    return reply_due(duban.date, duban.reply_by.text if duban.reply_by else "", calendar)


def escalation_record(schedule: Schedule, states: Sequence[ItemState]) -> dict[str, Any]:
    return {
        "as_of": schedule.as_of.isoformat(),
        "items": [
            {
                "plan": s.item.plan, "id": s.item.id, "title": s.item.title, "lead": s.unit,
                "due": _iso(s.due_date), "overdue": s.overdue, "working_days_left": s.working_days_left,
                **supervision_record(s),
            }
            for s in states
        ],
    }
