"""The ledger actions (progress, done, close, reopen, extend, set) as text edits.

Each action checks what the ledger requires of it (closing needs a done task
with evidence that exists, reopening needs a finished one...), then edits only
the item's own keys through `yamledit`, so every other byte of the file stays.
Whether the result is still a valid ledger is judged afterwards, on the whole
repository, by the session.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from .. import schema
from ..reader import is_extension_key
from ..messages import Ref
from ..model import Plan, Status, Task
from ..problems import ProblemError
from ..shown import shown_of
from ..supervision import missing_approvals, settings_for
from ..validate import evidence_kind, evidence_problems
from . import yamledit as ye
from ..workspace import Workspace
from .locate import KEYS, Target, item_node


def _of_type(*types: str) -> set[str]:
    return {f.name for kind in ("task", "issue", "milestone") for f in schema.fields(kind) if f.type in types}


# How `set` writes a field follows its type in the schema.
DATE_FIELDS = _of_type(schema.DATE)
EXPR_FIELDS = _of_type(schema.EXPR)
LIST_FIELDS = _of_type(schema.TEXTS)


@dataclass(frozen=True, slots=True)
class Result:
    """The new text, and what the commit message and the user are told."""

    text: str
    action: str
    old_status: Status | None
    new_status: Status | None
    detail: str = ""
    reason: str = ""  # becomes the Rectify-Reason trailer
    files: tuple[Path, ...] = ()  # other files the edit names (evidence): --commit commits them too
    notes: tuple[Ref, ...] = ()  # what else the edit did, told after it
    warnings: tuple[Ref, ...] = ()  # written anyway, but `audit` or a plan's rule will ask about it


class Doc:
    """One item of one file under edit; each step re-composes the current text,
    so every span used is fresh."""

    def __init__(self, text: str, display: str, target: Target) -> None:
        self.text = text
        self.display = display
        self.target = target
        self.order = list(KEYS[target.kind])

    def root(self) -> yaml.MappingNode:
        return ye.compose(self.text, self.display)

    def item(self, root: yaml.MappingNode | None = None) -> yaml.MappingNode:
        root = root if root is not None else self.root()
        return item_node(root, self.target.kind, self.target.entity.id, self.target.entity.source.line)

    def value(self, key: str) -> yaml.Node | None:
        pair = ye.get(self.item(), key)
        return pair[1] if pair else None

    def set(self, key: str, value: str, tags=ye.TEXT) -> None:
        self.text = ye.set_scalar(self.text, self.item(), key, value, tags=tags, order=self.order)

    def set_list(self, key: str, values: Sequence[str]) -> None:
        self.text = ye.set_list(self.text, self.item(), key, values, order=self.order)

    def append(self, key: str, item, tags=ye.TEXT) -> None:
        root = self.root()
        self.text = ye.append(self.text, root, self.item(root), key, item, tags=tags, order=self.order)

    def remove(self, key: str) -> None:
        self.text = ye.remove_key(self.text, self.item(), key)

    def set_status(self, status: Status) -> None:
        node = self.value("status")
        old = node.value.strip() if isinstance(node, yaml.ScalarNode) and node.value else ""
        self.set("status", status.word(chinese=bool(old) and not old.isascii()))


def _require_key(target: Target, key: str, action: str) -> None:
    if key not in KEYS[target.kind]:
        raise ProblemError("edit.not_for_kind", action=action, kind=Ref(f"edit.kind.{target.kind}"), id=target.entity.id)


def said(status: Status) -> Ref:
    """A status as messages name it: 未启动 to a Chinese reader, todo to an English one."""
    return Ref(f"status.{status.value}")


def _status(target: Target) -> Status:
    return getattr(target.entity, "status", Status.TODO)


def progress(doc: Doc, note: str, date: dt.date) -> Result:
    """Append {date, note}; work reported on a task not started means it has started."""
    _require_key(doc.target, "progress", "progress")
    if not note.strip():
        raise ProblemError("edit.empty_value", option="note")
    doc.append("progress", [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("note", note.strip())])
    old = _status(doc.target)
    if old is not Status.TODO:
        return Result(doc.text, "progress", old, old, note.strip())
    doc.set_status(Status.DOING)
    moved = Ref("edit.note.started", id=doc.target.entity.id, old=said(old), new=said(Status.DOING))
    return Result(doc.text, "progress", old, Status.DOING, note.strip(), notes=(moved,))


def done(doc: Doc, ledger: Workspace, date: dt.date | None, evidence: Sequence[str], cwd: Path | None = None) -> Result:
    """Status done, the `done:` date, and evidence typed from the cwd (see `evidence_path`)."""
    target = doc.target
    root = ledger.root_of(target.path)
    evidence = [evidence_path(e, target.path, root, cwd) for e in evidence if e.strip()]
    if target.occurrence is not None:
        return _done_occurrence(doc, date, evidence)
    _require_key(target, "done", "done")
    old = _status(target)
    if old in (Status.CLOSED, Status.CANCELLED):
        raise ProblemError("edit.done_refused", id=target.entity.id, status=said(old))
    if old is not Status.DONE:
        doc.set_status(Status.DONE)
    if date is not None or getattr(target.entity, "done", None) is None:
        doc.set("done", (date or dt.date.today()).isoformat(), ye.DATE)
    have = set(getattr(target.entity, "evidence", ()))
    for path in evidence:
        if path not in have:
            have.add(path)
            doc.append("evidence", path)
    files = tuple(target.path.resolve().parent / path for path in evidence if evidence_kind(path)[0] != "url")
    # `audit` reports a finished item without evidence, and a plan with
    # `require_evidence: done` makes it a rule (then `check_after` refuses).
    warnings = () if have else (Ref("edit.warn.no_evidence", id=target.entity.id),)
    return Result(doc.text, "done", old, Status.DONE, files=files, warnings=warnings)


def _done_occurrence(doc: Doc, date: dt.date | None, evidence: Sequence[str]) -> Result:
    """One occurrence of a recurring item, done: a run {on, status: done, done, evidence}."""
    target, on = doc.target, doc.target.occurrence
    assert on is not None
    for run in getattr(target.entity, "runs", ()):
        if run.on == on:
            raise ProblemError("edit.occurrence_recorded", id=target.shown_id, where=str(run.source))
    fields = [ye.Field("on", on.isoformat(), ye.DATE), ye.Field("status", Status.DONE.value),
              ye.Field("done", (date or dt.date.today()).isoformat(), ye.DATE)]
    if evidence:
        fields.append(ye.Field("evidence", "[" + ", ".join(ye.render(e, flow=True) for e in evidence) + "]", raw=True))
    doc.append("runs", fields)
    files = tuple(target.path.resolve().parent / path for path in evidence if evidence_kind(path)[0] != "url")
    warnings = () if evidence else (Ref("edit.warn.no_evidence", id=target.shown_id),)
    return Result(doc.text, "done", Status.TODO, Status.DONE, files=files, warnings=warnings)


def close(doc: Doc, ledger: Workspace, by: str, date: dt.date) -> Result:
    target = doc.target
    _require_key(target, "closed_by", "close")
    old, entity = _status(target), target.entity
    if not by.strip():
        raise ProblemError("edit.empty_value", option="--by")
    if old is Status.CLOSED:
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.already_closed", status=said(old)))
    if old not in (Status.DONE, Status.SUBMITTED):
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.not_done", status=said(old)))
    if not entity.evidence:
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.no_evidence", status=said(old)))
    bad = list(evidence_problems(entity, entity.evidence, ledger.ledger.tree))
    if bad:
        paths = ", ".join(str(p.params.get("path")) for p in bad)
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.bad_evidence", status=said(old), paths=paths))
    missing = missing_approvals(shown_of(entity).reviews, required_roles(ledger, entity))  # closing.requires
    if missing:
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.unapproved", roles="、".join(missing)))
    doc.set_status(Status.CLOSED)
    doc.set("closed_by", by.strip())
    doc.set("closed", date.isoformat(), ye.DATE)
    return Result(doc.text, "close", old, Status.CLOSED, by.strip())


def required_roles(ledger: Workspace, task: Task) -> tuple[str, ...]:
    """Who must approve this task's 销号: its plan's `closing.requires`, else rectify.yaml's."""
    plan: Plan | None = ledger.ledger.repository.plan(task.plan)
    return settings_for(plan, ledger.config.supervision).requires


def reopen(doc: Doc, reason: str, by: str | None, date: dt.date) -> Result:
    target = doc.target
    _require_key(target, "reopened", "reopen")
    old = _status(target)
    if not reason.strip():
        raise ProblemError("edit.empty_value", option="--reason")
    if not old.reopenable:
        raise ProblemError("edit.reopen_refused", id=target.entity.id, status=said(old))
    doc.set_status(Status.DOING)
    notes = _go_back(doc, Status.DOING, reason, by, date)
    return Result(doc.text, "reopen", old, Status.DOING, reason.strip(), reason.strip(), notes=notes)


def _go_back(doc: Doc, new: Status, reason: str, by: str | None, date: dt.date) -> tuple[Ref, ...]:
    """Record a move back (a reopening) under `reopened`, and clear what said the
    work was finished (see `clear_finished`)."""
    notes, cleared = clear_finished(doc, new)
    fields = [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("reason", reason.strip())]
    if by and by.strip():
        fields.append(ye.Field("by", by.strip()))
    undone = dict(cleared)
    for key in ("done", "closed", "closed_by"):  # the finish undone, so `--as-of` an earlier day still sees it
        if key not in undone:
            continue
        value = undone[key]
        is_date = isinstance(value, dt.date)
        fields.append(ye.Field(key, value.isoformat() if is_date else str(value), ye.DATE if is_date else ye.TEXT))
    doc.append("reopened", fields)
    return notes


def clear_finished(doc: Doc, new: Status) -> tuple[tuple[Ref, ...], list[tuple[str, object]]]:
    """Remove what said the work was finished before a move back to `new` (a
    reopening, a rejected 销号, a 反弹): a task finished again later must not read
    as finished on its first `done` date. Returns the note that says what was
    cleared, and the (key, value) pairs cleared."""
    entity = doc.target.entity
    stale = []
    if not new.completed:
        stale.append("done")
    if new is not Status.CLOSED:
        stale += ["closed_by", "closed"]
    cleared: list[tuple[str, object]] = []
    for key in stale:
        value = getattr(entity, key, None)
        if key in KEYS[doc.target.kind] and doc.value(key) is not None:
            doc.remove(key)
            if value:
                cleared.append((key, value))
    shown = ", ".join(f"{k}: {v.isoformat() if isinstance(v, dt.date) else v}" for k, v in cleared)
    return ((Ref("edit.note.cleared", id=entity.id, values=shown),) if cleared else ()), cleared


def extend(doc: Doc, to: str, approved_by: str, reason: str, date: dt.date) -> Result:
    _require_key(doc.target, "extensions", "extend")
    for option, value in (("--to", to), ("--approved-by", approved_by), ("--reason", reason)):
        if not value.strip():
            raise ProblemError("edit.empty_value", option=option)
    doc.append("extensions", [
        ye.Field("to", to.strip(), ye.EXPR), ye.Field("approved_by", approved_by.strip()),
        ye.Field("date", date.isoformat(), ye.DATE), ye.Field("reason", reason.strip()),
    ])
    status = _status(doc.target)
    return Result(doc.text, "extend", status, status, to.strip(), reason.strip())


def set_field(doc: Doc, field: str, values: Sequence[str], reason: str = "", by: str | None = None,
              date: dt.date | None = None) -> Result:
    """`rectify set`: one key, validated afterwards exactly like the file.

    A status moved back (a finished task made open again, or closed back to
    done) is a reopening: it needs `reason`, recorded as `reopen` records it."""
    target = doc.target
    spec = schema.field(target.kind, field)
    if spec is not None and spec.verb not in (None, schema.SET):
        raise ProblemError("edit.use_command", field=field, command=spec.verb)
    if field == "id":
        raise ProblemError("edit.no_rename")
    if spec is None and not is_extension_key(field):
        raise ProblemError("edit.unknown_field", field=field, kind=Ref(f"edit.kind.{target.kind}"),
                           allowed=", ".join(schema.settable(target.kind)))
    old = _status(target)
    new = old
    going_back = False
    if field in LIST_FIELDS:
        doc.set_list(field, [v.strip() for v in values if v.strip()])
    else:
        if len(values) != 1:
            raise ProblemError("edit.one_value", field=field, count=len(values))
        value = values[0].strip()
        tags = ye.DATE if field in DATE_FIELDS else ye.EXPR if field in EXPR_FIELDS else ye.TEXT
        if field in DATE_FIELDS and value:
            try:
                value = dt.date.fromisoformat(value).isoformat()
            except ValueError:
                raise ProblemError("edit.bad_date", field=field, value=value) from None
        if field == "status":
            new = Status.parse(value) or old
            going_back = old.goes_back_to(new) and schema.field(target.kind, "reopened") is not None
            if going_back and not reason.strip():
                raise ProblemError("edit.reason_required", id=target.entity.id, old=said(old), new=said(new))
        doc.set(field, value, tags)
    if reason.strip() and not going_back:
        raise ProblemError("edit.reason_not_needed", field=field)
    if going_back:
        notes = _go_back(doc, new, reason, by, date or dt.date.today())
        return Result(doc.text, "set", old, new, field, reason.strip(), notes=notes)
    warnings = ()
    if field == "status" and new.completed and not old.completed and not getattr(target.entity, "evidence", ()):
        warnings = (Ref("edit.warn.no_evidence", id=target.entity.id),)
    return Result(doc.text, "set", old, new, field, warnings=warnings)


def evidence_path(raw: str, yaml_file: Path, root: Path, cwd: Path | None = None) -> str:
    """A path typed from the cwd, as the file must name it: relative to the file's
    directory, inside the repository, existing. URLs are kept as they are."""
    raw = raw.strip()
    kind, _ = evidence_kind(raw)
    if kind == "url":
        return raw
    if kind == "scheme" or "\0" in raw:  # typed paths may be absolute: checked against the root below
        raise ProblemError("edit.evidence_outside", path=raw, root=str(root))
    target = ((cwd or Path.cwd()) / raw).resolve()
    root = root.resolve()
    if target != root and root not in target.parents:
        raise ProblemError("edit.evidence_outside", path=raw, root=str(root))
    if not target.exists():
        raise ProblemError("edit.evidence_missing", path=raw)
    return Path(os.path.relpath(target, yaml_file.resolve().parent)).as_posix()
