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

from ..reader import is_extension_key
from ..messages import Ref
from ..model import STATUS_ALIASES, Status
from ..problems import ProblemError
from ..validate import evidence_kind, evidence_problems
from . import yamledit as ye
from .ledger import Ledger
from .locate import KEYS, Target, item_node

# Written when the file already speaks Chinese for this item's status.
CHINESE_STATUS = {
    Status.TODO: "未启动", Status.DOING: "推进中", Status.DONE: "已完成",
    Status.SUBMITTED: "申请销号", Status.CLOSED: "已销号", Status.ONGOING: "长期坚持", Status.CANCELLED: "已取消",
}
DATE_FIELDS = {"done", "closed"}
EXPR_FIELDS = {"due"}
LIST_FIELDS = {"support", "evidence"}
HISTORY_FIELDS = {
    "progress": "progress", "extensions": "extend", "reopened": "reopen",
    "reviews": "review", "duban": "duban", "lookbacks": "lookback",
}


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

    def set_status(self, status: Status) -> None:
        node = self.value("status")
        old = node.value.strip() if isinstance(node, yaml.ScalarNode) and node.value else ""
        word = CHINESE_STATUS[status] if old and not old.isascii() else status.value
        self.set("status", word)


def _require_key(target: Target, key: str, action: str) -> None:
    if key not in KEYS[target.kind]:
        raise ProblemError("edit.not_for_kind", action=action, kind=Ref(f"edit.kind.{target.kind}"), id=target.entity.id)


def _status(target: Target) -> Status:
    return getattr(target.entity, "status", Status.TODO)


def progress(doc: Doc, note: str, date: dt.date) -> Result:
    _require_key(doc.target, "progress", "progress")
    if not note.strip():
        raise ProblemError("edit.empty_value", option="note")
    doc.append("progress", [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("note", note.strip())])
    status = _status(doc.target)
    return Result(doc.text, "progress", status, status, note.strip())


def done(doc: Doc, ledger: Ledger, date: dt.date | None, evidence: Sequence[str], cwd: Path | None = None) -> Result:
    """Status done, the `done:` date, and evidence typed from the cwd (see `evidence_path`)."""
    target = doc.target
    root = ledger.root_of(target.path)
    evidence = [evidence_path(e, target.path, root, cwd) for e in evidence if e.strip()]
    _require_key(target, "done", "done")
    old = _status(target)
    if old in (Status.CLOSED, Status.CANCELLED):
        raise ProblemError("edit.done_refused", id=target.entity.id, status=old.value)
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
    return Result(doc.text, "done", old, Status.DONE, files=files)


def close(doc: Doc, ledger: Ledger, by: str, date: dt.date) -> Result:
    target = doc.target
    _require_key(target, "closed_by", "close")
    old, entity = _status(target), target.entity
    if not by.strip():
        raise ProblemError("edit.empty_value", option="--by")
    if old is Status.CLOSED:
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.already_closed", status=old.value))
    if old not in (Status.DONE, Status.SUBMITTED):
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.not_done", status=old.value))
    if not entity.evidence:
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.no_evidence", status=old.value))
    bad = list(evidence_problems(entity, entity.evidence, ledger.ledger.tree))
    if bad:
        paths = ", ".join(str(p.params.get("path")) for p in bad)
        raise ProblemError("edit.close_refused", id=entity.id, reason=Ref("edit.reason.bad_evidence", status=old.value, paths=paths))
    from .review import close_check  # the required approvals (closing.requires)

    close_check(ledger, entity)
    doc.set_status(Status.CLOSED)
    doc.set("closed_by", by.strip())
    doc.set("closed", date.isoformat(), ye.DATE)
    return Result(doc.text, "close", old, Status.CLOSED, by.strip())


def reopen(doc: Doc, reason: str, by: str | None, date: dt.date) -> Result:
    target = doc.target
    _require_key(target, "reopened", "reopen")
    old = _status(target)
    if not reason.strip():
        raise ProblemError("edit.empty_value", option="--reason")
    if old not in (Status.DONE, Status.CLOSED, Status.CANCELLED):
        raise ProblemError("edit.reopen_refused", id=target.entity.id, status=old.value)
    doc.set_status(Status.DOING)
    fields = [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("reason", reason.strip())]
    if by and by.strip():
        fields.append(ye.Field("by", by.strip()))
    doc.append("reopened", fields)
    return Result(doc.text, "reopen", old, Status.DOING, reason.strip(), reason.strip())


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


def set_field(doc: Doc, field: str, values: Sequence[str]) -> Result:
    """`rectify set`: one key, validated afterwards exactly like the file."""
    target = doc.target
    allowed = KEYS[target.kind]
    if field in HISTORY_FIELDS:
        raise ProblemError("edit.use_command", field=field, command=HISTORY_FIELDS[field])
    if field == "id":
        raise ProblemError("edit.no_rename")
    if field not in allowed and not is_extension_key(field):
        raise ProblemError("edit.unknown_field", field=field, kind=Ref(f"edit.kind.{target.kind}"),
                           allowed=", ".join(k for k in allowed if k != "id" and k not in HISTORY_FIELDS))
    old = _status(target)
    new = old
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
            new = STATUS_ALIASES.get(value) or STATUS_ALIASES.get(value.lower()) or old
        doc.set(field, value, tags)
    return Result(doc.text, "set", old, new, field)


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
