"""Integrity checks over the ledger's history: who quietly changed what.

The files are the ledger and git is the audit trail, so whatever a ledger
edit should have been accompanied by (an approved extension, evidence, a
reason for reopening) can be checked commit by commit. Each check is a small
function over one item change; findings carry the commit, its author and the
file:line of the value, and are message keys, rendered at the edge.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..model import CalendarSpec, Status
from ..problems import ProblemError
from ..gitread import Commit, Git, GitError
from .timeline import CommitStep, ItemChange, Replay, evidence_path

BACKDATE_DAYS = 7


@dataclass(frozen=True, slots=True)
class Finding:
    """One integrity finding; `key` is a message key under history.audit.*."""

    key: str
    commit: Commit
    file: str
    line: int
    plan: str
    id: str
    params: Mapping[str, Any] = field(default_factory=dict)


def status_of(item) -> Status | None:
    """An item's state as the ledger means it (history keeps the canonical word)."""
    word = item.get("status") if item is not None else None
    return Status.parse(word) if isinstance(word, str) else None


def _finding(key: str, step: CommitStep, item, line_field: str | None, **params: Any) -> Finding:
    line = item.line_of(line_field) if line_field else item.line
    return Finding(f"history.audit.{key}", step.commit, item.file, line, item.key[0], item.key[1], params)


@lru_cache(maxsize=4096)
def due_date(text: str | None, year: int) -> dt.date | None:
    """A deadline text as a date when it names one without plan context (dates,
    Chinese dates, windows); None for rules that need the plan's events."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        from ..calendar import calendar_for
        from ..rules import Resolver

        resolution = Resolver(calendar_for(CalendarSpec()), year, {}, {}).resolve(text)
    except ProblemError:  # a rule the date engine cannot place without the plan's context
        return None
    return resolution.due if resolution.kind == "date" else None


def counted_from_one_event(old: str, new: str, stand_in: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Two rules counted from the same event, whose date the audit does not
    know ("30 working days after notice" -> "20 working days after notice"):
    compared from one stand-in date for it. Anything else cannot be compared."""
    from ..calendar import calendar_for
    from ..rule_parser import NameRef, Relative, parse_rule
    from ..rules import Resolver

    try:
        rules = parse_rule(old), parse_rule(new)
    except ProblemError:
        return None, None
    anchors = {rule.anchor for rule in rules if isinstance(rule, Relative)}
    if len(anchors) != 1 or not all(isinstance(rule, Relative) for rule in rules):
        return None, None
    (anchor,) = anchors
    if not isinstance(anchor, NameRef):
        return None, None
    resolver = Resolver(calendar_for(CalendarSpec()), stand_in.year, {name: stand_in for name in anchor.names}, {})
    try:
        return resolver.resolve(old).due, resolver.resolve(new).due
    except ProblemError:
        return None, None


def has_reason(change: ItemChange, commit: Commit) -> bool:
    """A new `reopened` entry with a reason, or a reopen commit that gives one."""
    before = change.before.get("reopened") or () if change.before else ()
    after = change.after.get("reopened") or () if change.after else ()
    if any(entry.get("reason") for entry in after[len(before):]):
        return True
    trailers = commit.trailers
    if trailers.get("rectify-action", "").lower() != "reopen":
        return False
    target = trailers.get("rectify-id")
    if target and target not in (change.key[1], "/".join(change.key)):
        return False
    return bool(trailers.get("rectify-reason") or commit.body)


# -- the checks ---------------------------------------------------------------
def check_due_moved(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    """A deadline moved later without an approved extension to the new date."""
    moved = change.field("due")
    if moved is None or change.before is None or change.after is None or not moved.old or not moved.new:
        return
    year = step.commit.commit_date.year
    old, new = due_date(moved.old, year), due_date(moved.new, year)
    if old is None or new is None:
        old, new = counted_from_one_event(moved.old, moved.new, step.commit.commit_date.date())
    if old is not None and new is not None and new <= old:
        return  # brought forward: nobody needs permission to finish earlier
    for ext in change.after.get("extensions") or ():
        to = (ext.get("to") or "").strip()
        if ext.get("approved_by") and to and (to == moved.new.strip() or (new and due_date(to, year) == new)):
            return
    yield _finding("due_moved", step, change.after, "due", old=moved.old, new=moved.new)


def check_finished_without_evidence(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    """Marked done or closed with no evidence, or evidence emptied after finishing."""
    after, before = change.after, change.before
    status = status_of(after)
    if after is None or after.kind == "issue" or status is None or not status.completed or after.get("evidence"):
        return
    if before is not None and status_of(before) is status and not before.get("evidence"):
        return  # already reported when it got there
    yield _finding("no_evidence", step, after, "status", status=status.value)


def check_closed_edited(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    """A closed (销号) item changed without a recorded reason (backward moves are `status_backwards`)."""
    before, after = change.before, change.after
    if before is None or after is None or status_of(before) is not Status.CLOSED or not change.fields:
        return
    new = status_of(after)
    if (new is not None and Status.CLOSED.goes_back_to(new)) or has_reason(change, step.commit):
        return
    yield _finding("closed_edited", step, after, change.fields[0].name, fields=", ".join(f.name for f in change.fields))


def check_deleted(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    """Items leave a ledger by being cancelled, never by disappearing."""
    if change.after is None and change.before is not None:
        yield _finding("deleted", step, change.before, None, kind=change.before.kind)


def check_backdated(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    """A `done` date recorded long after the fact is worth a second look."""
    after = change.after
    done = after.get("done") if after is not None else None
    if not done or (change.before is not None and change.before.get("done") == done):
        return
    recorded = step.commit.commit_date.date()
    days = (recorded - dt.date.fromisoformat(done)).days
    if days > BACKDATE_DAYS:
        yield _finding("backdated", step, after, "done", done=done, recorded=recorded.isoformat(), days=days)


def check_status_backwards(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    before, after = change.before, change.after
    if before is None or after is None:
        return
    old, new = status_of(before), status_of(after)
    if old is not None and new is not None and old.goes_back_to(new) and not has_reason(change, step.commit):
        yield _finding("status_backwards", step, after, "status", old=old.value, new=new.value)


HISTORY_ENTRIES = {
    "progress": "note", "extensions": "to", "reopened": "reason",
    "reviews": "by", "duban": "level", "lookbacks": "result",
}
# A 督办's reply is filled in afterwards: the entry is the same 督办 without it.
ANSWERED_LATER = {"duban": ("reply", "replied")}


def check_entries_removed(step: CommitStep, change: ItemChange) -> Iterator[Finding]:
    """A progress, extension or reopen entry an earlier commit recorded is gone: the
    lists are a record that only grows, and an edit made from a stale copy of the
    file (a lost update) shows exactly this way."""
    if change.before is None or change.after is None:
        return
    for name, text in HISTORY_ENTRIES.items():
        later = ANSWERED_LATER.get(name, ())
        remaining = Counter(_entry_key(e, later) for e in change.after.get(name) or ())
        for entry in change.before.get(name) or ():
            key = _entry_key(entry, later)
            if remaining[key]:
                remaining[key] -= 1
                continue
            yield _finding("entry_removed", step, change.after, name, field=name,
                           date=entry.get("date") or "?", text=entry.get(text) or "")


def _entry_key(entry: Mapping[str, Any], ignore: Sequence[str] = ()) -> tuple:
    return tuple(sorted((k, str(v)) for k, v in entry.items() if k not in ignore))


def check_closed_unapproved(step: CommitStep, change: ItemChange, requires: Mapping[str, Sequence[str]]) -> Iterator[Finding]:
    """Closed (销号) without every approval `closing.requires` names, since the last application or rejection."""
    after, before = change.after, change.before
    if after is None or after.kind != "task" or after.get("status") != "closed":
        return
    if before is not None and before.get("status") == "closed":
        return  # judged when it was closed
    roles = requires.get(after.key[0]) or ()
    approved: set[str] = set()
    for review in after.get("reviews") or ():
        if review.get("result") in ("reject", "submit"):
            approved.clear()
        elif review.get("result") == "approve":
            approved.add(review.get("by") or "")
    missing = [role for role in roles if role not in approved]
    if missing:
        yield _finding("closed_unapproved", step, after, "status", roles="、".join(missing))


CHANGE_CHECKS: Sequence[Callable[[CommitStep, ItemChange], Iterator[Finding]]] = (
    check_due_moved, check_finished_without_evidence, check_closed_edited,
    check_deleted, check_backdated, check_status_backwards, check_entries_removed,
)


def check_evidence_deleted(step: CommitStep, replay: Replay) -> Iterator[Finding]:
    """An evidence file of a finished item deleted from the repository."""
    if not step.deleted_files:
        return
    gone = set(step.deleted_files)
    for item in replay.ledger.items():
        status = status_of(item)
        if item.kind == "issue" or status is None or not status.completed:
            continue
        for entry in item.get("evidence") or ():
            path = evidence_path(item, entry)
            if path in gone:
                yield _finding("evidence_deleted", step, item, "evidence", path=entry)


# -- running ------------------------------------------------------------------
def parse_range(git: Git, spec: str | None) -> tuple[str | None, str]:
    """`A..B`, `A..` or `B` as (start or None, end); GitError on anything else."""
    spec = (spec or "HEAD").strip()
    if "..." in spec:
        raise GitError("history.bad_range", range=spec)
    if ".." in spec:
        start, _, end = spec.partition("..")
        return git.verify(start or "HEAD"), git.verify(end or "HEAD")
    return None, git.verify(spec)


def audit(git: Git, roots: Sequence[str], range_spec: str | None = None,
          requires: Mapping[str, Sequence[str]] | None = None) -> list[Finding]:
    """All findings in the first-parent history of the range, oldest first.
    `requires` (plan id -> roles): the approvals a 销号 needs, per plan."""
    start, end = parse_range(git, range_spec)
    replay = Replay(git, roots, log_roots=())  # whole repository: evidence may live anywhere
    revs = [f"{start}..{end}"] if start else [end]
    if start:
        replay.start_at(start)
    findings: list[Finding] = []
    for step in replay.steps(revs):
        for change in step.changes:
            for check in CHANGE_CHECKS:
                findings.extend(check(step, change))
            if requires:
                findings.extend(check_closed_unapproved(step, change, requires))
        findings.extend(check_evidence_deleted(step, replay))
    return findings
