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
from dataclasses import replace

from .model import Duban, Milestone, Plan, Repository, Status, Task


def as_of_view(repo: Repository, day: dt.date) -> Repository:
    """`repo` on `day`; the same object when nothing in it is dated after `day`."""
    plans = tuple(_plan(p, day) for p in repo.plans)
    tasks = tuple(_task(t, day) for t in repo.tasks)
    if all(a is b for a, b in zip(plans, repo.plans)) and all(a is b for a, b in zip(tasks, repo.tasks)):
        return repo
    return replace(repo, plans=plans, tasks=tasks)


def _later(date: dt.date | None, day: dt.date) -> bool:
    return date is not None and date > day


def _task(task: Task, day: dt.date) -> Task:
    progress = tuple(p for p in task.progress if not _later(p.date, day))
    extensions = tuple(e for e in task.extensions if not _later(e.date, day))
    reopened = tuple(r for r in task.reopened if not _later(r.date, day))
    reviews = tuple(r for r in task.reviews if not _later(r.date, day))
    lookbacks = tuple(b for b in task.lookbacks if not _later(b.date, day))
    duban = tuple(_duban(d, day) for d in task.duban if not _later(d.date, day))
    status, done, closed, closed_by = task.status, task.done, task.closed, task.closed_by
    if task.reviews and _replayed(task, day) is not None:
        # Went through 申请销号: every step is dated, so the status then is replayed.
        status = _replayed(task, day) or status
        if _later(done, day):
            done = None
        if status is not Status.CLOSED:
            closed, closed_by = None, ""
    elif len(reopened) < len(task.reopened):
        # Reopened after `day`: a task is reopened only once finished, and
        # what came after the reopening (doing again, done again) is later still;
        # one closed (销号) by `day` was closed then (a 回头看 finds it so).
        if task.closed is not None and not _later(task.closed, day) and task.closed_by:
            status = Status.CLOSED
        else:
            status, done, closed, closed_by = Status.DONE, None, None, ""
    elif _later(done, day):
        status = Status.DOING if progress or reopened else Status.TODO
        done, closed, closed_by = None, None, ""
    elif _later(closed, day) and status is Status.CLOSED:
        # Closed after `day`: waiting for review then, if it went through 申请销号.
        status, closed, closed_by = Status.SUBMITTED if task.reviews else Status.DONE, None, ""
    elif any(r.result == "reject" for r in task.reviews[len(reviews):]) and not status.finished:
        status = Status.SUBMITTED  # sent back after `day`: still in the reviewers' tray then
    unchanged = (
        len(progress) == len(task.progress) and len(extensions) == len(task.extensions)
        and len(reopened) == len(task.reopened) and status is task.status and done == task.done
        and closed == task.closed and len(reviews) == len(task.reviews)
        and len(lookbacks) == len(task.lookbacks) and duban == task.duban
    )
    if unchanged:
        return task
    return replace(task, progress=progress, extensions=extensions, reopened=reopened,
                   status=status, done=done, closed=closed, closed_by=closed_by,
                   reviews=reviews, lookbacks=lookbacks, duban=duban)


# Order of steps on one day: finished, applied, reviewed, struck off, reopened.
_STEP_ORDER = {"done": 0, "submit": 1, "approve": 2, "reject": 2, "closed": 3, "reopened": 4}


def _replayed(task: Task, day: dt.date) -> Status | None:
    """The status on `day` from the task's dated steps; None when no step is later than `day`."""
    steps: list[tuple[dt.date, int, Status | None]] = []
    if task.done is not None:
        steps.append((task.done, _STEP_ORDER["done"], Status.DONE))
    for review in task.reviews:
        if review.date is not None:
            new = {"submit": Status.SUBMITTED, "reject": Status.DOING}.get(review.result)
            steps.append((review.date, _STEP_ORDER.get(review.result, 2), new))
    if task.closed is not None and task.closed_by:
        steps.append((task.closed, _STEP_ORDER["closed"], Status.CLOSED))
    for again in task.reopened:
        if again.date is not None:
            steps.append((again.date, _STEP_ORDER["reopened"], Status.DOING))
    if not any(date > day for date, _, _ in steps):
        return None
    status = Status.DOING if any(p.date <= day for p in task.progress) else Status.TODO
    for date, _, new in sorted(steps, key=lambda s: (s[0], s[1])):
        if date <= day and new is not None:
            status = new
    return status


def _duban(duban: Duban, day: dt.date) -> Duban:
    """A 督办 issued by `day` whose reply came later: unanswered then."""
    if duban.reply and _later(duban.replied, day):
        return replace(duban, reply="", replied=None)
    return duban


def _milestone(milestone: Milestone, day: dt.date) -> Milestone:
    if not _later(milestone.done, day):
        return milestone
    return replace(milestone, status=Status.TODO, done=None)


def _plan(plan: Plan, day: dt.date) -> Plan:
    milestones = tuple(_milestone(m, day) for m in plan.milestones)
    if all(a is b for a, b in zip(milestones, plan.milestones)):
        return plan
    return replace(plan, milestones=milestones)
