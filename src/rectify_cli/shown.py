"""What a task's record shows, and what supervision reads, as one row of plain values.

`facts.Facts` is what judging a deadline reads; this is the rest of what a
task's JSON record prints (`render.records.item_record`) and what the
supervising office's rules read (`supervision.judge`): its issue, owner and
term, its line, its progress dates, 销号 reviews, 督办 and 回头看. Kept per
file by the repository index beside the facts and read only by the commands
that show every task (`status --format json`), so those print 50,000
records without building a million model objects. `shown_of` is the one way
a row is made, from the model; dates are ordinals (0: none), a rule its text.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .model import Milestone, Task

Review = tuple[int, str, str, str]  # (date, by, result, reason)
Duban = tuple[int, str, str, str, str, str, int]  # (date, level, by, note, reply_by rule, reply, replied)
Lookback = tuple[int, str, str, str]  # (date, result, by, note)


class Shown(NamedTuple):
    issue: str
    lead: str  # the lead unit(s) as written, as one line
    owner: str
    term: str
    line: int  # where the item starts
    progress: tuple[int, ...]  # the dates of its progress notes
    reviews: tuple[Review, ...]
    duban: tuple[Duban, ...]
    closed: int
    review_after: str  # its own 回头看 rule; "" when the plan's applies
    lookbacks: tuple[Lookback, ...]


def ordinal(day: dt.date | None) -> int:
    return day.toordinal() if day is not None else 0


def day_of(value: int) -> dt.date | None:
    return dt.date.fromordinal(value) if value else None


_task: type | None = None  # `model.Task`, bound when a row is first made from a model (a warm run makes none)


def shown_of(item: Task | Milestone) -> Shown:
    """The row of one task or milestone (a milestone has no issue, owner or records)."""
    global _task
    if _task is None:
        from .model import Task

        _task = Task
    if not isinstance(item, _task):
        return Shown("", item.lead, "", "", item.source.line, (), (), (), 0, "", ())
    progress, reviews, duban, lookbacks = item.progress, item.reviews, item.duban, item.lookbacks
    return Shown(  # made for every task shown: the records most tasks lack cost nothing
        item.issue, item.lead, item.owner, item.term, item.source.line,
        tuple([p.date.toordinal() for p in progress]) if progress else (),
        tuple([(ordinal(r.date), r.by, r.result, r.reason) for r in reviews]) if reviews else (),
        tuple([(ordinal(d.date), d.level, d.by, d.note, d.reply_by.text if d.reply_by is not None else "",
                d.reply, ordinal(d.replied)) for d in duban]) if duban else (),
        ordinal(item.closed),
        item.review_after.text if item.review_after is not None else "",
        tuple([(ordinal(b.date), b.result, b.by, b.note) for b in lookbacks]) if lookbacks else (),
    )
