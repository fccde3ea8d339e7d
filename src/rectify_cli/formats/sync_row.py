"""What one row of a returned ledger asks for: the edits a unit may make, or why not.

The row is compared with the ledger as it is now (`formats.ledger.cells`, the
values an export shows). Columns a unit reports on become edit operations on
the task (`actions.progress`, `actions.done`, `actions.set_field`, `Doc`
methods); a change to anything else raises `Refuse` with the message key and
parameters that say what and why. `formats.sync` runs the operations and judges them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Callable

from .ledger import EXTRA, LedgerRow, cells, column_message, progress_cell
from .tables import cell_text, parse_date, split_dated, split_list
from ..messages import Ref
from ..model import Status, Task
from ..edit import actions
from ..edit.actions import Doc
from ..workspace import Workspace

# A unit reports on progress, status, done, evidence and notes; these it may not change.
# An issue's further columns (its finding, its target...) are the plan's, not the unit's.
FIXED_TEXT = ("measure", "issue", "lead", "owner", "category", "closed_by", "issue_id") + tuple(
    f.column for kind, f in EXTRA if kind == "issue"
)

Op = Callable[[Doc, Workspace], None]


class Refuse(Exception):
    """The row changes what a unit may not: a message key and its parameters."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def plan_row(values: dict[str, Any], present: set[str], row: LedgerRow, task: Task, state, today: dt.date):
    """The edits a row asks for, or Refuse with the first thing a unit may not change."""
    shown = cells(row, "zh")
    for key in FIXED_TEXT:
        if key in present and _norm(values.get(key)) != _norm(shown[key]):
            raise Refuse("sync.refused.fixed", column=_col(key), old=_norm(shown[key]) or "—",
                         new=_norm(values.get(key)) or "—")
    if "support" in present and split_list(values.get("support")) != list(row.support):
        raise Refuse("sync.refused.fixed", column=_col("support"), old=shown["support"] or "—",
                     new=cell_text(values.get("support")) or "—")
    for key in ("due", "due_rule"):
        if key in present and not _same_deadline(values.get(key), shown[key], task, state):
            raise Refuse("sync.refused.due", column=_col(key), old=_shown(shown[key]), new=_shown(values.get(key)))
    if "closed" in present and parse_date(values.get("closed")) != task.closed:
        raise Refuse("sync.refused.fixed", column=_col("closed"), old=_shown(task.closed), new=_shown(values.get("closed")))
    ops: list[Op] = []
    changed: list[str] = []
    subject: list[str] = []
    if "progress" in present:
        added = _new_progress(values.get("progress"), task, today)
        for date, note in added:
            ops.append(lambda doc, ledger, d=date, n=note: actions.progress(doc, n, d))
        if added:
            changed.append("progress")
            subject.append(f"progress +{len(added)}")
    if "evidence" in present:
        listed = split_list(values.get("evidence"), ";；\n")
        missing = [e for e in task.evidence if e not in listed]
        if missing:
            raise Refuse("sync.refused.evidence_removed", paths=", ".join(missing))
        new = [e for e in dict.fromkeys(listed) if e not in task.evidence]
        for path in new:
            ops.append(lambda doc, ledger, p=path: doc.append("evidence", p))
        if new:
            changed.append("evidence")
    status = task.status
    if "status" in present and cell_text(values.get("status")):
        word = cell_text(values.get("status"))
        status = Status.parse(word)
        if status is None:
            raise Refuse("sync.refused.status_word", status=word)
    if status is not task.status and (task.status.finished or status in (Status.CLOSED, Status.CANCELLED)):
        raise Refuse(f"sync.refused.to_{status.value}" if status in (Status.CLOSED, Status.CANCELLED)
                     else "sync.refused.reopen", old=_status_word(task.status), new=_status_word(status))
    done = parse_date(values.get("done")) if "done" in present else None
    if done is not None and status is not Status.DONE and not (status is Status.CLOSED and task.status is Status.CLOSED):
        raise Refuse("sync.refused.done_not_done", date=done.isoformat(), status=_status_word(status))
    if status is not task.status:
        if status is Status.DONE:
            day = done or today
            ops.append(lambda doc, ledger, d=day: actions.done(doc, ledger, d, []))
            changed.append("done")
        else:
            ops.append(lambda doc, ledger, s=status: doc.set_status(s))
        changed.append("status")
        subject.append(f"{task.status.value} → {status.value}")
    elif done is not None and done != task.done:
        ops.append(lambda doc, ledger, d=done: actions.set_field(doc, "done", [d.isoformat()]))
        changed.append("done")
        subject.append(f"done {done.isoformat()}")
    if "notes" in present and _norm(values.get("notes")) != _norm(task.notes):
        note = "\n".join(line.strip() for line in _lines(values.get("notes"))).strip()
        ops.append(lambda doc, ledger, n=note: actions.set_field(doc, "notes", [n]))
        changed.append("notes")
    return ops, changed, ", ".join(subject) or ", ".join(changed)


def _new_progress(value: Any, task: Task, today: dt.date) -> list[tuple[dt.date, str]]:
    """Entries in the cell the ledger does not have yet; every recorded entry must still be there.

    The usual case: the exported lines, then the unit's own below them. Otherwise the
    cell is read as entries (in any order) that must include every recorded one. A line
    led by a date starts an entry, a line without one continues it (a note of several
    lines); a new line with no date before it is a note of `today`.
    """
    lines = _lines(value)
    recorded = _lines(progress_cell([(p.date, p.note) for p in task.progress]))
    if lines[: len(recorded)] == recorded:
        return [(d, n) for d, n in _entries(lines[len(recorded):], today) if n]
    found = Counter((d, _norm(n)) for d, n in _entries(lines, today))
    for p in task.progress:
        if found[(p.date, _norm(p.note))] <= 0:
            raise Refuse("sync.refused.progress_changed", date=p.date.isoformat(), note=_short(p.note))
        found[(p.date, _norm(p.note))] -= 1
    new = []
    for d, n in _entries(lines, today):
        if found[(d, _norm(n))] > 0 and n:
            found[(d, _norm(n))] -= 1
            new.append((d, n))
    return new


def _entries(lines: list[str], today: dt.date) -> list[tuple[dt.date, str]]:
    entries: list[list[Any]] = []
    for raw in lines:
        date, rest = split_dated(raw)
        if date is not None:
            entries.append([date, rest])
        elif entries:
            entries[-1][1] += "\n" + rest
        else:
            entries.append([today, rest])
    return [(d, n.strip()) for d, n in entries]


def _same_deadline(value: Any, shown: Any, task: Task, state) -> bool:
    """The deadline in the sheet is the one that counts, or one it replaced by an approved
    extension (a ledger exported before the extension was granted)."""
    known: list[Any] = [shown, task.due.text if task.due else ""]
    if state is not None and state.original_due is not None and state.original_due.due:
        known.append(state.original_due.due)
    known += [e.to.text for e in task.extensions]
    date = parse_date(value)
    for k in known:
        if date is not None and parse_date(k) == date:
            return True
        if date is None and _norm(k) == _norm(value):
            return True
    return False


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _norm(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return cell_text(value)
    return "\n".join(_lines(cell_text(value) if value is not None else ""))


def _shown(value: Any) -> str:
    return _norm(value) or "—"


def _short(note: str) -> str:
    note = " ".join(note.split())
    return note if len(note) <= 40 else note[:39] + "…"


def _col(key: str) -> Ref:
    return Ref(column_message(key))


def _status_word(status: Status) -> Ref:
    return Ref(f"status.{status.value}")
