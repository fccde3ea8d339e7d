"""The ledger as it stood on a day: what was true then, from what the files say now.

`--as-of 2025-10-20` must not count work finished on 10-22. Each dated entry
says when it happened, so the ledger of an earlier day is the ledger of
today without what is dated after that day: a `done` or `closed` dated later
is still open then, and a progress note, extension or reopening dated later
has not happened yet; so have reviews, 督办 (and replies), and look-backs
dated later. Undated entries are taken as always true (nothing
says otherwise). Positions are kept, so messages still point at the files.
"""

from __future__ import annotations

import datetime as dt
from .model import Duban, Milestone, Plan, Repository, Status, Task
from .values import replaced


def as_of_view(repo: Repository, day: dt.date) -> Repository:
    """`repo` on `day`; the same object when nothing in it is dated after `day`."""
    plans = tuple(_plan(p, day) for p in repo.plans)
    tasks = tuple(_task(t, day) for t in repo.tasks)
    if all(a is b for a, b in zip(plans, repo.plans)) and all(a is b for a, b in zip(tasks, repo.tasks)):
        return repo
    return replaced(repo, plans=plans, tasks=tasks)


def _later(date: dt.date | None, day: dt.date) -> bool:
    return date is not None and date > day


def _dates(item: Task | Milestone) -> list[dt.date]:
    """Every date the item records: what decides whether a day's view of it differs.
    Made for every item of a ledger read afresh: a list, most entry lists being empty."""
    found = [item.done] if item.done is not None else []
    if isinstance(item, Task):
        if item.closed is not None:
            found.append(item.closed)
        for entries in (item.progress, item.extensions, item.reopened, item.reviews, item.lookbacks):
            if entries:
                found += [entry.date for entry in entries if entry.date is not None]
        for duban in item.duban:
            found += [date for date in (duban.date, duban.replied) if date is not None]
    return found


def last_dated(item: Task | Milestone) -> int:
    """The ordinal of the last day anything the item records happened (0: nothing is
    dated): the view of any later day is the item as written (most items, most days)."""
    dates = _dates(item)
    return max(dates).toordinal() if dates else 0


def dated_after(item: Task | Milestone, day: dt.date) -> bool:
    """Whether anything the item records happened after `day` (most items: nothing)."""
    return any(date > day for date in _dates(item))


def on(item: Task | Milestone, day: dt.date) -> Task | Milestone:
    """One task or milestone as it stood on `day`."""
    return _task(item, day) if isinstance(item, Task) else _milestone(item, day)


def _task(task: Task, day: dt.date) -> Task:
    if not dated_after(task, day):
        return task
    progress = tuple(p for p in task.progress if not _later(p.date, day))
    extensions = tuple(e for e in task.extensions if not _later(e.date, day))
    reopened = tuple(r for r in task.reopened if not _later(r.date, day))
    reviews = tuple(r for r in task.reviews if not _later(r.date, day))
    lookbacks = tuple(b for b in task.lookbacks if not _later(b.date, day))
    duban = tuple(_duban(d, day) for d in task.duban if not _later(d.date, day))
    status, done, closed, closed_by = task.status, task.done, task.closed, task.closed_by
    then = _replayed(task, day)
    if then is not None:
        status, done, closed, closed_by = then
    unchanged = (
        len(progress) == len(task.progress) and len(extensions) == len(task.extensions)
        and len(reopened) == len(task.reopened) and status is task.status and done == task.done
        and closed == task.closed and len(reviews) == len(task.reviews)
        and len(lookbacks) == len(task.lookbacks) and duban == task.duban
    )
    if unchanged:
        return task
    return replaced(task, progress=progress, extensions=extensions, reopened=reopened,
                   status=status, done=done, closed=closed, closed_by=closed_by,
                   reviews=reviews, lookbacks=lookbacks, duban=duban)


# Order of steps on one day: finished, applied, reviewed, struck off, reopened.
_DONE, _SUBMIT, _REVIEW, _CLOSED, _REOPENED = range(5)
_State = tuple[Status, "dt.date | None", "dt.date | None", str]  # status, done, closed, closed_by


def _replayed(task: Task, day: dt.date) -> _State | None:
    """The task on `day` from its dated steps: its finish (`done`, `closed`), each
    review, and each reopening with the finish it undid; None when no step is
    later than `day` (the files then say how it stood)."""
    steps: list[tuple[dt.date, int, str]] = []  # (date, order, closed_by for a closing)
    if task.done is not None:
        steps.append((task.done, _DONE, ""))
    for review in task.reviews:
        if review.date is not None and review.result in ("submit", "reject"):
            steps.append((review.date, _SUBMIT if review.result == "submit" else _REVIEW, ""))
    if task.closed is not None and task.closed_by:
        steps.append((task.closed, _CLOSED, task.closed_by))
    legacy = False  # a reopening that did not keep the finish it undid
    for again in task.reopened:
        if again.done is not None:
            steps.append((again.done, _DONE, ""))
        if again.closed is not None and again.closed_by:
            steps.append((again.closed, _CLOSED, again.closed_by))
        if again.date is not None:
            steps.append((again.date, _REOPENED, ""))
            legacy = legacy or (again.date > day and again.done is None and again.closed is None)
    if not any(date > day for date, _, _ in steps):
        return None
    status = Status.DOING if any(p.date is not None and p.date <= day for p in task.progress) else Status.TODO
    done: dt.date | None = None
    closed: dt.date | None = None
    closed_by = ""
    for date, order, by in sorted(steps, key=lambda s: (s[0], s[1])):
        if date > day:
            break
        if order == _DONE:
            status, done = Status.DONE, date
        elif order == _SUBMIT:
            status, done = Status.SUBMITTED, done or date
        elif order == _CLOSED:
            status, closed, closed_by = Status.CLOSED, date, by
        elif order == _REVIEW:  # sent back
            status, done = Status.DOING, None
        else:  # reopened
            status, done, closed, closed_by = Status.DOING, None, None, ""
    if legacy and not status.completed:
        status = Status.DONE  # reopened later, so finished by then; when, the file no longer says
    return status, done, closed, closed_by


def _duban(duban: Duban, day: dt.date) -> Duban:
    """A 督办 issued by `day` whose reply came later: unanswered then."""
    if duban.reply and _later(duban.replied, day):
        return replaced(duban, reply="", replied=None)
    return duban


def _milestone(milestone: Milestone, day: dt.date) -> Milestone:
    if not dated_after(milestone, day):
        return milestone
    return replaced(milestone, status=Status.TODO, done=None)


def _plan(plan: Plan, day: dt.date) -> Plan:
    milestones = tuple(_milestone(m, day) for m in plan.milestones)
    if all(a is b for a, b in zip(milestones, plan.milestones)):
        return plan
    return replaced(plan, milestones=milestones)
