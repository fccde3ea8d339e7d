"""The ledger row: one rectification measure as the familiar Excel ledger shows it.

Units keep their 整改台账 in Excel with the same handful of columns. csv, xlsx
and json exports all come from `ledger_rows`, and `rectify import` reads the
same columns back, so export → import → export is stable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Sequence

from .. import schema
from ..messages import has, text
from ..model import Repository, Status, Task
from ..schedule import Schedule

# Column keys in ledger order; headers come from messages (`ledger.col.<key>`).
# The first ten are the columns people expect; the rest let an export be read back:
# more of the ledger, any other issue or task field the schema gives a column
# (headed by its label), and the ids.
# `due_rule` (the deadline as written, beside the computed date) is in the workbook
# only: a CSV file cannot carry the events a rule is counted from, so it keeps the date.
_SHOWN = (
    "seq", "issue", "measure", "lead", "support", "owner", "due", "due_rule", "progress", "status",
    "evidence", "done", "days_overdue", "notes", "category", "closed_by", "closed",
)
_IDS = ("plan", "issue_id", "task_id")
EXTRA = tuple((kind, f) for kind in ("issue", "task") for f in schema.columns(kind) if f.column not in _SHOWN + _IDS)
COLUMNS = _SHOWN + tuple(f.column for _, f in EXTRA) + _IDS
_TITLE = {f.column: f.label for _, f in EXTRA}
CSV_COLUMNS = tuple(key for key in COLUMNS if key != "due_rule")
HIDDEN_COLUMNS = ("plan", "issue_id", "task_id")  # hidden in the workbook, read back by import
DATE_COLUMNS = ("due", "done", "closed")
# Separators used when a list is written into one cell.
SUPPORT_SEP = "、"
LINE_SEP = "\n"


@dataclass(frozen=True, slots=True)
class LedgerRow:
    seq: int
    plan: str
    issue_id: str
    category: str
    issue: str
    task_id: str
    measure: str
    lead: str
    support: tuple[str, ...]
    owner: str
    due: dt.date | None  # the deadline that counts, when it is a date
    due_text: str  # otherwise the rule as written (长期坚持, a pending rule)
    rule: str  # the deadline that counts as written, date or rule
    progress: tuple[tuple[dt.date, str], ...]
    status: Status
    done: dt.date | None
    overdue: bool
    days_overdue: int
    evidence: tuple[str, ...]
    notes: str
    closed_by: str = ""
    closed: dt.date | None = None
    extra: tuple[tuple[str, Any], ...] = ()  # (column, plain value) of the EXTRA columns


def column_message(key: str) -> str:
    """The message key of a column's header: `ledger.col.<key>`, or the label of the field it shows."""
    if "." in key:  # kind.field: a column of one of the other lists, under its own header or the field's label
        kind, _, name = key.partition(".")
        own = f"list.{kind}.{name}"
        return own if has(own) else "col.id" if name == "id" else f"field.{name}"
    return _TITLE.get(key, f"ledger.col.{key}")


def column_title(key: str, lang: str) -> str:
    return text(column_message(key), lang)


def header(lang: str, columns: Sequence[str] = COLUMNS) -> list[str]:
    return [column_title(key, lang) for key in columns]


def _extra(issue: Any, task: Task) -> tuple[tuple[str, Any], ...]:
    owners = {"issue": issue, "task": task}
    return tuple(
        (f.column, schema.plain_value(f, getattr(owners[kind], f.name)) if owners[kind] is not None else None)
        for kind, f in EXTRA
    )


def ledger_rows(repo: Repository, schedule: Schedule, plan_id: str | None = None) -> list[LedgerRow]:
    """Task rows in ledger order: plan, then the issue's place on the problem list, then the file."""
    issues = {(i.plan, i.id): i for i in repo.issues}
    issue_rank = {(i.plan, i.id): n for n, i in enumerate(repo.issues)}
    plan_rank = {p.id: n for n, p in enumerate(repo.plans)}
    states = [s for s in schedule.tasks if plan_id is None or s.item.plan == plan_id]
    order = sorted(
        range(len(states)),
        key=lambda n: (
            plan_rank.get(states[n].item.plan, len(plan_rank)),
            issue_rank.get((states[n].item.plan, states[n].item.issue), len(issue_rank)),
            n,
        ),
    )
    rows = []
    for seq, n in enumerate(order, start=1):
        state = states[n]
        task = state.item
        assert isinstance(task, Task)
        issue = issues.get((task.plan, task.issue))
        due = state.due_date if state.due is not None and state.due.kind == "date" else None
        rows.append(
            LedgerRow(
                seq=seq, plan=task.plan, issue_id=task.issue,
                category=issue.category if issue else "", issue=issue.title if issue else "",
                task_id=task.id, measure=task.title, lead=task.lead, support=task.support,
                owner=task.owner, due=due, due_text="" if due or state.rule is None else state.rule.text,
                rule=state.rule.text if state.rule is not None else "",
                progress=tuple((p.date, p.note) for p in task.progress), status=task.status,
                done=task.done, overdue=state.overdue, days_overdue=state.days_overdue,
                evidence=task.evidence, notes=task.notes, closed_by=task.closed_by, closed=task.closed,
                extra=_extra(issue, task),
            )
        )
    return rows


def progress_cell(progress: Sequence[tuple[dt.date, str]]) -> str:
    return LINE_SEP.join(f"{d.isoformat()} {note}".strip() for d, note in progress)


def cells(row: LedgerRow, lang: str) -> dict[str, Any]:
    """The row as cell values: str, int, date or None (the writer decides how a date looks)."""
    return {
        "seq": row.seq,
        "issue": row.issue,
        "measure": row.measure,
        "lead": row.lead,
        "support": SUPPORT_SEP.join(row.support),
        "owner": row.owner,
        "due": row.due if row.due else row.due_text,
        "due_rule": row.rule,
        "progress": progress_cell(row.progress),
        "status": text(f"status.{row.status.value}", lang),
        "evidence": LINE_SEP.join(row.evidence),
        "done": row.done,
        "days_overdue": row.days_overdue if row.overdue else None,
        "notes": row.notes,
        "category": row.category,
        "closed_by": row.closed_by,
        "closed": row.closed,
        "plan": row.plan,
        "issue_id": row.issue_id,
        "task_id": row.task_id,
        **{key: _extra_cell(value) for key, value in row.extra},
    }


def _extra_cell(value: Any) -> Any:
    if isinstance(value, tuple):
        return SUPPORT_SEP.join(str(v) for v in value)
    return value if value not in (None, "") else None


def record(row: LedgerRow) -> dict[str, Any]:
    """The row for JSON: English keys, ISO dates, lists kept as lists."""
    return {
        "seq": row.seq, "plan": row.plan, "issue_id": row.issue_id, "category": row.category,
        "issue": row.issue, "task_id": row.task_id, "measure": row.measure, "lead": row.lead,
        "support": list(row.support), "owner": row.owner,
        "due": row.due.isoformat() if row.due else None, "due_rule": row.due_text or None,
        "progress": [{"date": d.isoformat(), "note": note} for d, note in row.progress],
        "status": row.status.value, "done": row.done.isoformat() if row.done else None,
        "overdue": row.overdue, "days_overdue": row.days_overdue,
        "evidence": list(row.evidence), "notes": row.notes,
        **{key: list(value) if isinstance(value, tuple) else value for key, value in row.extra},
    }


def display_width(value: str) -> int:
    """Width in Excel character units: a CJK (wide) character counts as two."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in ("W", "F") else 1 for ch in value)
