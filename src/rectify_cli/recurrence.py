"""Recurring work: a series event (每季度的活动日) and the items counted from each occurrence.

A plan's event may be a series: the dates it falls on (`dates:`), or every N
months from its `date` (`every: quarter`, up to `until`). A milestone or task
with `each: 活动日` is a template: as of a day, it stands for one item per
occurrence that has come, and for the next one, each with its deadline counted
from that occurrence ("活动日前4个工作日") and its own state from `runs:`
(`{on: 2024-06-20, status: done, done: 2024-06-14}`). Occurrences in the past
are judged like any item, so a quarter nobody reported on is overdue; later
ones do not exist yet. The made item's id is the template's with `@` and the
occurrence's date (`T-02@2024-06-20`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Iterator

from . import schema
from .model import Event, Milestone, Plan, Repository, Run, Status, Task

# A generated series stops here, whatever `until` says: a typo must not make a million items.
MAX_OCCURRENCES = 1000
_OCCURRENCE_ID = re.compile(r"^(?P<base>.+)@(?P<on>\d{4}-\d{2}-\d{2})$")


def occurrence_id(item_id: str, day: dt.date) -> str:
    """The id of the item a template stands for on `day`: T-02@2024-06-20."""
    return f"{item_id}@{day.isoformat()}"


def split_occurrence(item_id: str) -> tuple[str, dt.date] | None:
    """(template id, day) of an occurrence id; None for any other id."""
    found = _OCCURRENCE_ID.match(item_id)
    if found is None:
        return None
    try:
        return found["base"], dt.date.fromisoformat(found["on"])
    except ValueError:  # 2024-02-30
        return None


def occurrences(event: Event, through: dt.date | None = None) -> tuple[dt.date, ...]:
    """The series' dates, in order: up to `through` and the first one after it
    (the next occurrence), or all of them when `through` is None."""
    return tuple(_occurrences(event, through))


def _occurrences(event: Event, through: dt.date | None) -> Iterator[dt.date]:
    if event.dates:
        candidates: Iterator[dt.date] = iter(event.dates)
    elif event.every and event.date is not None:
        candidates = _generated(event)
    else:
        return
    for day in candidates:
        yield day
        if through is not None and day > through:
            return


def _generated(event: Event) -> Iterator[dt.date]:
    """Every N months from the first date; a 31st falls on the month's last day
    (relativedelta clips it, as the Civil Code counts months)."""
    from dateutil.relativedelta import relativedelta  # only plans with a series of every N months need it

    months = schema.EVERY_MONTHS[event.every]
    for n in range(MAX_OCCURRENCES):
        day = event.date + relativedelta(months=n * months)  # type: ignore[operator]
        if event.until is not None and day > event.until:
            return
        yield day
        if event.until is None and n >= MAX_OCCURRENCES - 1:
            return


def series_of(plan: Plan | None, name: str) -> Event | None:
    """The series event a template's `each` names (by its name or another name)."""
    if plan is None or not name:
        return None
    for event in plan.events:
        if event.series and (event.name == name or name in event.names):
            return event
    return None


def run_status(run: Run | None) -> Status:
    """A run's state: as said; else done when it gives a done date; else todo."""
    if run is None:
        return Status.TODO
    if run.status is not None:
        return run.status
    return Status.DONE if run.done is not None else Status.TODO


def expand(repo: Repository, as_of: dt.date) -> Repository:
    """`repo` with each template replaced by its items up to the next occurrence
    after `as_of`; the same object when no plan has a series."""
    if not any(e.series for p in repo.plans for e in p.events):
        return repo
    plans = {p.id: p for p in reversed(repo.plans)}
    new_plans = tuple(
        replace(p, milestones=tuple(_items(p.milestones, p, as_of))) if any(m.each for m in p.milestones) else p
        for p in repo.plans
    )
    tasks = tuple(_items(repo.tasks, None, as_of, plans))
    return replace(repo, plans=new_plans, tasks=tasks)


def _items(items, plan: Plan | None, as_of: dt.date, plans: dict[str, Plan] | None = None):
    for item in items:
        if not item.each:
            yield item
        else:
            yield from items_for(item, plan if plan is not None else (plans or {}).get(item.plan), as_of)


def items_for(item: Task | Milestone, plan: Plan | None, as_of: dt.date) -> Iterator[Task | Milestone]:
    """What one item of `plan` stands for as of a day: itself, or a template's items."""
    event = series_of(plan, item.each) if item.each else None
    if event is None:  # no template, or validate says so; the template stands as written
        yield item
        return
    runs = {run.on: run for run in item.runs}
    for day in occurrences(event, as_of):
        yield made_for(item, day, runs.get(day))


def made_for(item: Task | Milestone, day: dt.date, run: Run | None):
    """The item a template stands for on one occurrence."""
    own = {}
    if isinstance(item, Task):  # the template's records are about the template, not this occurrence
        own = dict(notes=run.notes or item.notes if run else item.notes, progress=(), extensions=(), reopened=(),
                   reviews=(), duban=(), lookbacks=(), closed=None, closed_by="")
    return replace(
        item, id=occurrence_id(item.id, day), occurrence=day, runs=(), status=run_status(run),
        done=run.done if run else None, evidence=run.evidence if run else (),
        source=run.source if run is not None else item.source, **own,
    )
