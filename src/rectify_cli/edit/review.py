"""The supervising office's edits: 申请销号, review, 督办, reply, 回头看.

Like the other actions (see `actions`), each checks what the ledger requires
and then edits only the task's own keys; the entries are lists that only
grow (`reviews`, `duban`, `lookbacks`), so git keeps who signed what when.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Sequence

import yaml

from ..model import Status
from ..problems import ProblemError
from ..reader import DUBAN_LEVELS, LOOKBACK_RESULTS
from ..supervision import settings_for
from ..validate import evidence_kind
from . import yamledit as ye
from .actions import Doc, Result, _go_back, _require_key, _status, clear_finished, evidence_path, said
from ..workspace import Workspace

SUBMITTABLE = (Status.TODO, Status.DOING, Status.DONE, Status.ONGOING)


def _text(value: str | None, option: str) -> str:
    if value is None or not value.strip():
        raise ProblemError("edit.empty_value", option=option)
    return value.strip()


def submit(doc: Doc, ledger: Workspace, evidence: Sequence[str], note: str | None, date: dt.date,
           by: str | None = None, cwd: Path | None = None) -> Result:
    """申请销号: the unit says it is finished; evidence must exist (given now or before).
    The application is the first entry of the review record, dated, by the unit."""
    target = doc.target
    _require_key(target, "reviews", "submit")
    old, task = _status(target), target.entity
    if old not in SUBMITTABLE:
        raise ProblemError("edit.submit_refused", id=task.id, status=said(old))
    root = ledger.root_of(target.path)
    paths = [evidence_path(e, target.path, root, cwd) for e in evidence if e.strip()]
    if not paths and not task.evidence:
        raise ProblemError("edit.submit_refused_evidence", id=task.id)
    doc.set_status(Status.SUBMITTED)
    if task.done is None:
        doc.set("done", date.isoformat(), ye.DATE)
    have = set(task.evidence)
    for path in paths:
        if path not in have:
            have.add(path)
            doc.append("evidence", path)
    if note and note.strip():
        doc.append("progress", [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("note", note.strip())])
    applicant = (by or "").strip() or task.lead or "—"
    doc.append("reviews", [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("by", applicant), ye.Field("result", "submit")])
    files = tuple(target.path.resolve().parent / p for p in paths if evidence_kind(p)[0] != "url")
    return Result(doc.text, "submit", old, Status.SUBMITTED, (note or "").strip(), files=files)


def review(doc: Doc, approve: bool, by: str, reason: str | None, date: dt.date) -> Result:
    """One reviewer's decision; a rejection sends the task back to `doing` with the reason."""
    target = doc.target
    _require_key(target, "reviews", "review")
    old = _status(target)
    by = _text(by, "--by")
    if old is not Status.SUBMITTED:
        raise ProblemError("edit.review_refused", id=target.entity.id, status=said(old))
    reason = _text(reason, "--reason") if not approve else (reason or "").strip()
    fields = [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("by", by),
              ye.Field("result", "approve" if approve else "reject")]
    if reason:
        fields.append(ye.Field("reason", reason))
    doc.append("reviews", fields)
    if approve:
        return Result(doc.text, "approve", old, old, by, reason)
    doc.set_status(Status.DOING)
    notes, _ = clear_finished(doc, Status.DOING)  # sent back: the application's date stays in `reviews`
    return Result(doc.text, "reject", old, Status.DOING, by, reason, notes=notes)


def duban(doc: Doc, ledger: Workspace, level: str, by: str, note: str | None, reply_by: str | None, date: dt.date) -> Result:
    """A 督办单: one entry per issue, never edited afterwards except for the reply. Without
    --reply-by, rectify.yaml's `escalation: {reply_within: RULE}` sets when the answer is due."""
    target = doc.target
    if not (reply_by or "").strip():
        plan = ledger.ledger.repository.plan(target.plan)
        reply_by = settings_for(plan, ledger.config.supervision).reply_within
    _require_key(target, "duban", "duban")
    level = _text(level, "--level")
    if level not in DUBAN_LEVELS:
        raise ProblemError("edit.bad_level", value=level, allowed=", ".join(DUBAN_LEVELS))
    fields = [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("level", level), ye.Field("by", _text(by, "--by"))]
    if note and note.strip():
        fields.append(ye.Field("note", note.strip()))
    if reply_by and reply_by.strip():
        fields.append(ye.Field("reply_by", reply_by.strip(), ye.EXPR))
    doc.append("duban", fields)
    status = _status(target)
    return Result(doc.text, "duban", status, status, level, (note or "").strip())


def reply(doc: Doc, text: str, date: dt.date) -> Result:
    """The unit's answer to its latest unanswered 督办, with the day it came."""
    target = doc.target
    _require_key(target, "duban", "reply")
    text = _text(text, "text")
    node = doc.value("duban")
    entries = list(node.value) if isinstance(node, yaml.SequenceNode) else []
    waiting = [n for n, entry in enumerate(entries) if not _reply_of(entry)]
    if not waiting:
        raise ProblemError("edit.reply_refused", id=target.entity.id)
    index = waiting[-1]
    for key, value, tags in (("reply", text, ye.TEXT), ("replied", date.isoformat(), ye.DATE)):
        entry = doc.value("duban").value[index]  # fresh spans after each edit
        doc.text = ye.set_scalar(doc.text, entry, key, value, tags=tags, order=list(DUBAN_ORDER))
    status = _status(target)
    return Result(doc.text, "reply", status, status, text)


DUBAN_ORDER = ("date", "level", "by", "note", "reply_by", "reply", "replied")


def _reply_of(entry: yaml.Node) -> str:
    if not isinstance(entry, yaml.MappingNode):
        return "?"  # not an entry this command can answer
    pair = ye.get(entry, "reply")
    return str(pair[1].value or "").strip() if pair and isinstance(pair[1], yaml.ScalarNode) else ""


def lookback(doc: Doc, result: str, by: str, note: str | None, date: dt.date) -> Result:
    """回头看 of a closed task; 反弹 (rebound) reopens it with the reason."""
    target = doc.target
    _require_key(target, "lookbacks", "lookback")
    old = _status(target)
    result = _text(result, "--result")
    if result not in LOOKBACK_RESULTS:
        raise ProblemError("edit.bad_result", value=result, allowed=", ".join(LOOKBACK_RESULTS))
    if old is not Status.CLOSED:
        raise ProblemError("edit.lookback_refused", id=target.entity.id, status=said(old))
    by = _text(by, "--by")
    fields = [ye.Field("date", date.isoformat(), ye.DATE), ye.Field("result", result), ye.Field("by", by)]
    if note and note.strip():
        fields.append(ye.Field("note", note.strip()))
    doc.append("lookbacks", fields)
    reason = (note or "").strip()
    if result != "反弹":
        return Result(doc.text, "lookback", old, old, result, reason)
    doc.set_status(Status.DOING)  # rebounded: reopened, as `reopen` does it
    reason = reason or "回头看：反弹"
    notes = _go_back(doc, Status.DOING, reason, by, date)
    return Result(doc.text, "lookback", old, Status.DOING, result, reason, notes=notes)
