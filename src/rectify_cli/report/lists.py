"""The three lists every rectification plan asks for, as report tables.

问题清单 (the issues and where each stands), 任务清单 (every measure with its
lead and support units, responsible leader, deadline and state) and 责任清单
(the same measures grouped by lead unit, so each unit sees its share).
"""

from __future__ import annotations

from typing import Sequence

from .. import overview
from ..messages import text
from ..model import Plan, Status, Task
from ..render.labels import due_label
from ..schedule import ItemState
from ..workspace import Workspace
from ..formats.ledger import column_title
from .blocks import Block, Heading, Table


def state_cell(state: ItemState, lang: str) -> str:
    label = text(f"status.{state.item.status.value}", lang)
    if state.overdue:
        label += text("report.list.overdue", lang, days=state.days_overdue)
    elif state.done_late:
        return text("status.done_late", lang) if state.item.status is Status.DONE else label + text("report.state.late", lang)
    return label


def list_blocks(ws: Workspace, plan: Plan, states: Sequence[ItemState], lang: str, first: int = 1) -> list[Block]:
    repo = ws.repository
    issues = repo.issues_of(plan.id)
    statuses = overview.issue_statuses(repo.issues, overview.task_issues(ws.schedule.tasks))
    counts: dict[str, int] = {}
    for state in states:
        counts[state.item.issue] = counts.get(state.item.issue, 0) + 1
    blocks: list[Block] = []

    blocks.append(Heading(1, text("report.h.appendix", lang, n=first, what=text("report.a.issues", lang)), appendix=True))
    header = (
        text("ledger.col.seq", lang), text("ledger.col.category", lang), text("col.id", lang),
        text("ledger.col.issue", lang), text("report.col.measures", lang), text("col.status", lang),
    )
    rows = tuple(
        (str(n), i.category, i.id, i.title, str(counts.get(i.id, 0)), text(f"status.{statuses[(i.plan, i.id)].value}", lang))
        for n, i in enumerate(issues, start=1)
    )
    blocks.append(Table(header, rows, numeric=frozenset({0, 4})))

    blocks.append(Heading(1, text("report.h.appendix", lang, n=first + 1, what=text("report.a.tasks", lang)), appendix=True))
    header = (
        text("ledger.col.seq", lang), text("col.id", lang), text("ledger.col.issue_id", lang),
        text("ledger.col.measure", lang), text("ledger.col.lead", lang), text("ledger.col.support", lang),
        text("ledger.col.owner", lang), text("ledger.col.due", lang), text("col.status", lang),
    )
    rows, marked = [], set()
    for n, state in enumerate(states, start=1):
        task = state.item
        assert isinstance(task, Task)
        if state.overdue:
            marked.add(n - 1)
        rows.append((
            str(n), task.id, task.issue, task.title, task.lead, "、".join(task.support), task.owner,
            due_label(state, lang), state_cell(state, lang),
        ))
    blocks.append(Table(header, tuple(rows), frozenset(marked), frozenset({0})))

    blocks.append(Heading(1, text("report.h.appendix", lang, n=first + 2, what=text("report.a.units", lang)), appendix=True))
    header = (
        text("ledger.col.lead", lang), text("col.id", lang), text("ledger.col.measure", lang),
        text("ledger.col.support", lang), text("ledger.col.due", lang), text("col.status", lang),
    )
    by_unit: dict[str, list[ItemState]] = {}
    for state in states:
        for unit in state.units:  # each joint lead answers for it
            by_unit.setdefault(unit, []).append(state)
    rows, marked = [], set()
    for unit, members in by_unit.items():
        for k, state in enumerate(members):
            task = state.item
            assert isinstance(task, Task)
            if state.overdue:
                marked.add(len(rows))
            rows.append((
                unit if k == 0 else "", task.id, task.title, "、".join(task.support), due_label(state, lang),
                state_cell(state, lang),
            ))
    blocks.append(Table(header, tuple(rows), frozenset(marked)))

    from .duban import list_table  # the 督办清单, when anything was issued

    n = first + 3
    table = list_table(states, lang)
    if table is not None:
        blocks.append(Heading(1, text("report.h.appendix", lang, n=n, what=text("duban.list.heading", lang)), appendix=True))
        blocks.append(table)
        n += 1
    for what, entries, columns in (
        ("suggestion", [e for e in repo.suggestions if e.plan == plan.id], SUGGESTION_COLUMNS),
        ("outcome", [e for e in repo.outcomes if e.plan == plan.id], OUTCOME_COLUMNS),
    ):
        if entries:  # the other lists, when the plan keeps them
            blocks.append(Heading(1, text("report.h.appendix", lang, n=n, what=text(f"report.a.{what}s", lang)), appendix=True))
            blocks.append(entry_table(what, entries, columns, lang))
            n += 1
    return blocks


# The columns of the other lists: fields of their schema kind, shown under the field's label.
SUGGESTION_COLUMNS = ("id", "title", "by", "lead", "support", "due", "status", "reply", "replied")
OUTCOME_COLUMNS = ("id", "title", "category", "number", "date", "issuer", "tasks")


def entry_table(kind: str, entries, columns: Sequence[str], lang: str) -> Table:
    header = (text("ledger.col.seq", lang), *(column_title(f"{kind}.{c}", lang) for c in columns))
    rows = tuple((str(n), *(entry_cell(e, c, lang) for c in columns)) for n, e in enumerate(entries, start=1))
    return Table(header, rows, numeric=frozenset({0}))


def entry_cell(entry, column: str, lang: str) -> str:
    value = getattr(entry, "leads" if column == "lead" else column)
    if isinstance(value, Status):
        return text(f"status.{value.value}", lang)
    if isinstance(value, tuple):
        return "、".join(value)
    if hasattr(value, "text"):  # a deadline as written
        return value.text
    return "" if value is None else str(value)
