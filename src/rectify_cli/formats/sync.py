"""`rectify import LEDGER --update`: a unit's returned ledger applied to the live plan files.

A unit fills in the exported 台账 (progress, state, done date, evidence,
notes) and sends it back. Each row is matched to its task by the hidden id
columns and compared with the ledger as it is now; what a unit may report is
applied through the same edit actions as `rectify progress` / `done` / `set`
(so every other byte of the files stays), what it may not change (ids,
titles, units, deadlines without an approved extension, a reopening or a
销号) refuses that row only, with the reason. The result is judged on the
whole repository like any edit; a row whose edit would add a problem is
refused with those problems. Files are written all or none, or committed as
the sending unit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .ledger import LedgerRow, ledger_rows
from .tables import Table, cell_text, section_title
from ..loader import display_path
from ..messages import Ref
from ..model import Status
from ..problems import Problem, ProblemError
from ..edit import commit as git, save
from ..edit.actions import Doc
from ..edit.ledger import new_problems, open_ledger
from ..workspace import Workspace
from ..edit.locate import Target
from ..edit.session import FileChange, encode, read
from .sync_row import Op, Refuse, plan_row


@dataclass(frozen=True, slots=True)
class RowResult:
    """One sheet row: applied (with what changed) or refused (with why)."""

    line: int
    task: str
    plan: str = ""
    changed: tuple[str, ...] = ()  # column keys
    key: str = ""  # refusal message key; "" when applied
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    subject: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.key)


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    rows: tuple[RowResult, ...]
    unchanged: int
    changes: tuple[FileChange, ...]
    written: bool = False
    commit: str | None = None

    @property
    def applied(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.rows if not r.refused)

    @property
    def refused(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.rows if r.refused)


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    target: Target
    ops: tuple[Op, ...]
    changed: tuple[str, ...]
    subject: str


def apply_ledger(paths: Sequence[Path], table: Table, plan_id: str | None, today: dt.date, *,
                 dry_run: bool = False, commit: bool = False, author: str | None = None,
                 source: str = "") -> SyncOutcome:
    """Apply the table's rows to the plan files under `paths`; see the module docstring."""
    if "task_id" not in table.columns.values():
        raise ProblemError("sync.no_id_column")
    ledger = open_ledger(paths)
    if plan_id is not None and ledger.repository.plan(plan_id) is None:
        raise ProblemError("report.unknown_plan", id=plan_id, hint="",
                           known=", ".join(p.id for p in ledger.repository.plans) or "—")
    current = {(r.plan, r.task_id): r for r in ledger_rows(ledger.repository, ledger.schedule)}
    tasks = {(t.plan, t.id): t for t in ledger.repository.tasks}
    states = {(s.item.plan, s.item.id): s for s in ledger.schedule.tasks}
    present = set(table.columns.values())
    results: list[RowResult] = []
    planned: list[_Row] = []
    seen: set[tuple[str, str]] = set()
    unchanged = 0
    for line, values in table.rows:
        values = {k: v for k, v in values.items() if v not in (None, "")}
        if not values or _heading(values):
            continue
        task_id = cell_text(values.get("task_id"))
        plan = cell_text(values.get("plan")) or plan_id or ""
        if not task_id:
            results.append(RowResult(line, "", key="sync.refused.no_id"))
            continue
        key = _match(current, plan, task_id)
        if key is None:
            results.append(RowResult(line, task_id, plan, key="sync.refused.unknown", params={"id": task_id}))
            continue
        if key in seen:
            results.append(RowResult(line, task_id, key[0], key="sync.refused.repeated", params={"id": task_id}))
            continue
        seen.add(key)
        task = tasks[key]
        try:
            ops, changed, subject = plan_row(values, present, current[key], task, states[key], today)
        except Refuse as exc:
            results.append(RowResult(line, task_id, key[0], key=exc.key, params=exc.params))
            continue
        if not ops:
            unchanged += 1
            continue
        if task.status is Status.CLOSED:  # struck off: frozen until the supervising office reopens it
            results.append(RowResult(line, task_id, key[0], key="sync.refused.closed", params={"id": task_id}))
            continue
        target = Target("task", task, key[0], ledger.path_of(task.source))
        planned.append(_Row(line, target, tuple(ops), tuple(changed), subject))
    originals: dict[Path, tuple[bytes, str]] = {}
    texts, done = _apply_all(ledger, planned, originals)
    results.extend(done)
    results.sort(key=lambda r: r.line)
    changes = tuple(
        FileChange(path, display, raw, encode(raw, texts[path]))
        for path, (raw, text) in originals.items()
        for display in [_display(path)]
        if texts[path] != text
    )
    outcome = SyncOutcome(tuple(results), unchanged, changes)
    if dry_run or not changes:
        return outcome
    plan = git.prepare([c.path for c in changes], author=_author(author)) if commit else None
    save.write([(c.path, c.after, c.before) for c in changes])
    sha = None
    if plan is not None:
        leads = {tasks[(r.plan, r.task)].lead for r in outcome.applied}
        unit = (author or "").split("<")[0].strip() or (leads.pop() if len(leads) == 1 else "")
        sha = git.commit_text(plan, message(outcome, source, unit))
    return dataclasses.replace(outcome, written=True, commit=sha)


def _display(path: Path) -> str:
    return display_path(path)


def _heading(values: dict[str, Any]) -> bool:
    """A section row such as 一、关于政策环境方面 (one text across the row): not a task."""
    texts = {cell_text(v) for v in values.values()}
    return "task_id" not in values and len(texts) == 1 and section_title(texts.pop()) is not None


def _match(current: dict[tuple[str, str], LedgerRow], plan: str, task_id: str) -> tuple[str, str] | None:
    if plan:
        return (plan, task_id) if (plan, task_id) in current else None
    hits = [k for k in current if k[1] == task_id]
    return hits[0] if len(hits) == 1 else None


def _apply_all(ledger: Workspace, rows: list[_Row], originals: dict[Path, tuple[bytes, str]]):
    """Every row's edits on the current texts, judged on the whole repository."""
    for row in rows:
        if row.target.path not in originals:
            originals[row.target.path] = read(row.target.path, _display(row.target.path))
    results: list[RowResult] = []
    texts = _settle(ledger, rows, {path: text for path, (_, text) in originals.items()}, results)
    return texts, results


def _settle(ledger: Workspace, rows: list[_Row], texts: dict[Path, str], results: list[RowResult]) -> dict[Path, str]:
    """Accept the rows whose edits add no problem: a group at once when it is clean, else
    its halves in turn, so one bad row among many costs a few loads, not one per row.
    Each row ends up in `results` exactly once."""
    trial, ok = dict(texts), []
    for row in rows:
        try:
            trial[row.target.path] = _edit(ledger, row, trial[row.target.path])
            ok.append(row)
        except ProblemError as exc:
            results.append(_refused(row, exc.key, exc.params))
    if not ok:
        return texts
    fresh = _fresh(ledger, trial)
    if not fresh:
        results.extend(_applied(r) for r in ok)
        return trial
    if len(ok) == 1:
        refused = _refused(ok[0], "sync.refused.invalid", {"count": len(fresh)})
        results.append(dataclasses.replace(refused, problems=tuple(fresh)))
        return texts
    half = len(ok) // 2
    texts = _settle(ledger, ok[:half], texts, results)
    return _settle(ledger, ok[half:], texts, results)


def _edit(ledger: Workspace, row: _Row, text: str) -> str:
    doc = Doc(text, _display(row.target.path), row.target)
    for op in row.ops:
        op(doc, ledger)
    return doc.text


def _fresh(ledger: Workspace, texts: dict[Path, str]) -> list[Problem]:
    return new_problems(ledger.problems, open_ledger(ledger.paths, texts).problems)


def _applied(row: _Row) -> RowResult:
    return RowResult(row.line, row.target.entity.id, row.target.plan, row.changed, subject=row.subject)


def _refused(row: _Row, key: str, params: dict[str, Any]) -> RowResult:
    return RowResult(row.line, row.target.entity.id, row.target.plan, key="sync.refused.edit",
                     params={"what": Ref(key, **params)})


# -- commit ------------------------------------------------------------------------
def _author(author: str | None) -> str | None:
    """`--author 市人社局` is enough: git wants `Name <email>`, an empty address is allowed."""
    if not author or not author.strip():
        return None
    return author.strip() if "<" in author else f"{author.strip()} <>"


def message(outcome: SyncOutcome, source: str, unit: str) -> str:
    """One commit for the returned ledger: who sent it, then each task's change, then trailers."""
    applied = outcome.applied
    who = f" from {unit}" if unit else ""
    subject = f"rectify: ledger{who} ({source}): {len(applied)} tasks" if len(applied) != 1 else \
        f"rectify: ledger{who} ({source}): {applied[0].task} {applied[0].subject}"
    body = "\n".join(f"- {r.task}: {r.subject}" for r in applied)
    trailers = "".join(f"Rectify-Id: {r.task}\n" for r in applied)
    trailers += "".join(f"Rectify-Plan: {p}\n" for p in dict.fromkeys(r.plan for r in applied))
    trailers += "Rectify-Action: import\n"
    if unit:
        trailers += f"Rectify-Unit: {unit}\n"
    return " ".join(subject.split()) + "\n\n" + body + "\n\n" + trailers
