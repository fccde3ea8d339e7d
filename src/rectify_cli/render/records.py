"""Items, counts and plans as plain records: the JSON and CSV of `status`, the JSON of
`agenda` and of the report. Built from rows (see `shown`), never from a model, and
without the terminal's libraries, so that a machine-readable run imports none of them."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any, Sequence

from ..overview import Counts
from ..shown import day_of
from ..values import Status
from . import escape

if TYPE_CHECKING:  # counts and kept records are written without importing the judge or the model
    from ..model import Plan
    from ..schedule import ItemState, Schedule


def item_record(state: ItemState, issue_titles: dict[tuple[str, str], str] | None = None) -> dict[str, Any]:
    """A task's or milestone's JSON record: from its rows (`facts`, `shown`), never its model,
    so `status --format json` prints every task of a large ledger without building one."""
    facts, shown, due, original, due_date = state.facts, state.shown, state.due, state.original_due, state.due_date
    record: dict[str, Any] = {
        "id": facts.id,
        "plan": state.plan.id if state.plan else facts.plan,
        "issue": shown.issue,
        "title": facts.title,
        "lead": shown.lead,
        "support": list(facts.support),
        "owner": shown.owner,
        "due": due_date.isoformat() if due_date else None,
        "term": shown.term or None,  # 立行立改 | 集中 | 长期
        "due_kind": due.kind if due else None,
        "due_rule": state.rule_text or None,  # the rule that counts, as in the ledger export
        "original_due_rule": facts.due or None if state.extended else None,
        "original_due": original.due.isoformat() if original and original.due else None,
        "working_days_left": state.working_days_left,
        "status": facts.status,
        "overdue": state.overdue,
        "days_overdue": state.days_overdue,
        "done": _iso(day_of(facts.done)),
        "done_late": state.done_late,
        "file": facts.file,
        "line": shown.line,
    }
    if facts.kind == "task":
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
