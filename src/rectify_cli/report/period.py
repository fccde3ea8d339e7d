"""What changed in a period (本期), for the periodic 通报: `report --since DATE|REV`.

The ledger as committed at the start of the period (from git) is compared
with the ledger now, task by task: newly finished and struck off (销号),
newly overdue, extensions granted, 督办 issued and answered, reopened, and the
progress notes written in the period, and who has not reported (未按时报送) at its
end; each counted per category and per unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Sequence

from ..messages import text
from ..model import Expr, Status, Task
from ..schedule import ItemState
from ..workspace import Workspace
from .blocks import Block, Heading, Paragraph, Table

KINDS = ("finished", "closed", "overdue", "extended", "duban", "answered", "reopened", "progress", "missing")


@dataclass
class Period:
    since: dt.date
    until: dt.date
    changes: dict[str, list[tuple[ItemState, str]]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def count(self, kind: str) -> int:
        return len(self.changes[kind])


def _key(entry) -> tuple:
    """An entry without its source positions: an edit above it moves it, it does not change it."""
    values = (getattr(entry, f.name) for f in fields(entry) if f.name != "source")
    return tuple(v.text if isinstance(v, Expr) else v for v in values)


def _fresh(now: Sequence, before: Sequence) -> list:
    """Entries of a grow-only list that were not there before (as values, not positions)."""
    remaining = [_key(e) for e in before]
    out = []
    for entry in now:
        key = _key(entry)
        if key in remaining:
            remaining.remove(key)
        else:
            out.append(entry)
    return out


def compare(before: Workspace, now: Workspace, plan_id: str) -> Period:
    """The changes to `plan_id`'s tasks between the two workspaces (each judged on its own day)."""
    period = Period(before.schedule.as_of, now.schedule.as_of)
    old = {s.item.id: s for s in before.schedule.tasks if s.item.plan == plan_id}
    for state in now.schedule.tasks:
        task = state.item
        if task.plan != plan_id or not isinstance(task, Task):
            continue
        was = old.get(task.id)
        prev: Task | None = was.item if was is not None else None  # type: ignore[assignment]
        add = lambda kind, detail="": period.changes[kind].append((state, detail))  # noqa: E731
        was_status = prev.status if prev is not None else Status.TODO
        if task.status.completed and not was_status.completed:
            add("finished", str(task.done or ""))
        if task.status is Status.CLOSED and was_status is not Status.CLOSED:
            add("closed", str(task.closed or ""))
        if state.overdue and not (was is not None and was.overdue):
            add("overdue", str(state.due_date or ""))
        fresh = lambda name: _fresh(getattr(task, name), getattr(prev, name, ()) if prev is not None else ())  # noqa: E731

        for ext in fresh("extensions"):
            add("extended", ext.to.text)
        for duban in fresh("duban"):
            if prev is None or not any(d.date == duban.date and d.level == duban.level for d in prev.duban):
                add("duban", f"{duban.date} {duban.level}")
            if duban.reply:
                add("answered", f"{duban.replied or ''} {duban.reply}".strip())
        for again in fresh("reopened"):
            add("reopened", again.reason)
        for note in fresh("progress"):
            add("progress", f"{note.date} {note.note}")
        if state.supervision is not None and state.supervision.missing_progress:  # as `status --status missing-progress`
            add("missing", str(state.supervision.progress_due or ""))
    return period


def blocks(period: Period, ws: Workspace, lang: str) -> list[Block]:
    """本期情况: one paragraph per kind of change, then the counts per category and per unit."""
    out: list[Block] = [Heading(1, text("period.heading", lang, since=period.since, until=period.until))]
    for kind in KINDS:
        items = period.changes[kind]
        if not items:
            out.append(Paragraph(text("period.none", lang, what=text(f"period.{kind}", lang))))
            continue
        listed = text("period.sep", lang).join(
            text("period.item", lang, id=s.item.id, title=s.item.title, lead=s.unit, detail=detail) for s, detail in items
        )
        out.append(Paragraph(text("period.line", lang, what=text(f"period.{kind}", lang), count=len(items), items=listed)))
    issues = {(i.plan, i.id): i for i in ws.repository.issues}
    for by in ("category", "unit"):
        groups: dict[str, dict[str, int]] = {}
        for kind in KINDS:
            for state, _ in period.changes[kind]:
                if by == "unit":
                    keys = state.units or ("",)
                else:
                    issue = issues.get((state.item.plan, state.item.issue))
                    keys = (issue.category if issue else "",)
                for key in keys:
                    groups.setdefault(key, {k: 0 for k in KINDS})[kind] += 1
        if not groups:
            continue
        header = (text(f"col.group.{by}", lang), *(text(f"period.{k}", lang) for k in KINDS))
        rows = tuple((key or "—", *(str(counts[k]) for k in KINDS)) for key, counts in groups.items())
        out.append(Table(header, rows, frozenset(), frozenset(range(1, len(header)))))
    return out
