"""The plain values every layer names, apart from the ledger's entities.

Where a value was read (`Source`), the states of a task (`Status`), a deadline as written
(`Expr`) and the repository's settings (units, other repositories, a calendar, supervision):
what a run reads even when it builds no entity. A warm `check` or `status --format json` of
an unchanged ledger imports this and not `model`, whose seventeen entity classes cost 13 ms
to create (dataclasses compile their methods at import: a sixth of a warm run at 1,000
tasks). `model` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from enum import Enum
from operator import attrgetter
from types import MappingProxyType
from typing import Mapping, NamedTuple, TypeVar

_C = TypeVar("_C")


class Source(NamedTuple):
    """Where a value was read: 1-based line and column, as editors count.

    A named tuple rather than a dataclass: the loader makes one per field
    (over half a million for a large ledger), and a tuple is built three times
    faster than a frozen dataclass. Immutable, hashable and ordered all the same.
    """

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


NOWHERE = Source("<none>")


def frozen(cls: type[_C]) -> type[_C]:
    """A frozen, slotted dataclass that pickles as a call to its constructor.

    Unpickling calls `cls(*values)`, about twice as fast as the generated
    `__setstate__` that frozen slotted classes otherwise get (it looks the
    fields up again for every object): this is what makes the parse cache
    (see `cache`) worth having.
    """
    cls = dataclass(frozen=True, slots=True)(cls)
    names = [f.name for f in fields(cls)]
    values = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))
    cls.__reduce__ = lambda self: (cls, values(self))  # type: ignore[method-assign]
    cls.__field_index__ = {name: n for n, name in enumerate(names)}  # type: ignore[attr-defined]
    return cls


def replaced(entity: _C, **changes: object) -> _C:
    """`dataclasses.replace` for a `frozen` class: its values in field order, some of them
    changed, given to the constructor as unpickling gives them; a third of the time
    `replace` takes to look every field up by name (a large ledger's items dated after the
    day judged are each made again)."""
    cls = type(entity)
    values = list(cls.__reduce__(entity)[1])  # type: ignore[attr-defined]
    index = cls.__field_index__  # type: ignore[attr-defined]
    for name, value in changes.items():
        values[index[name]] = value
    return cls(*values)


class Status(str, Enum):
    """A state of a task or milestone, with everything the ledger means by it.

    Each member states its whole meaning in one row, so a new status word cannot
    be added without saying where it ranks, whether it is finished, and which
    Chinese words name it. Every module asks the member (`status.completed`,
    `Status.parse(word)`), never compares strings.

    - `rank`: the order of progress todo < doing < done < submitted < closed; None for the
      states off that line (ongoing, cancelled). Moving down it is going back.
    - `finished`: can no longer fall overdue (done, submitted, closed, cancelled).
    - `completed`: the work is reported finished: counts towards the completion
      rate, carries a `done` date, needs evidence where the plan asks for it.
    - `open`: has a deadline that can pass (todo, doing).
    - `reopenable`: `rectify reopen` may take it back to doing.
    - `words`: Chinese words found in real ledgers; the first is the one written
      into a file that already speaks Chinese.
    """

    #             value        rank  finished completed open   reopenable words
    TODO = (      "todo",      0,    False,   False,    True,  False,     ("未启动", "未整改", "待整改", "未开始"))
    DOING = (     "doing",     1,    False,   False,    True,  False,     ("推进中", "正在整改", "整改中", "进行中", "正在推进", "部分整改"))
    DONE = (      "done",      2,    True,    True,     False, True,      ("已完成", "已整改", "完成整改", "已办结"))
    # 申请销号: done, evidence attached, waiting for the reviewers (closing.requires)
    SUBMITTED = ( "submitted", 3,    True,    True,     False, True,      ("申请销号", "待审核"))
    CLOSED = (    "closed",    4,    True,    True,     False, True,      ("已销号",))
    ONGOING = (   "ongoing",   None, False,   False,    False, False,     ("长期坚持", "持续整改", "需要长期整改"))
    CANCELLED = ( "cancelled", None, True,    False,    False, True,      ("已取消",))

    rank: int | None
    finished: bool
    completed: bool
    open: bool
    reopenable: bool
    words: tuple[str, ...]

    def __new__(cls, value: str, rank: int | None, finished: bool, completed: bool, open_: bool,
                reopenable: bool, words: tuple[str, ...]) -> "Status":
        member = str.__new__(cls, value)
        member._value_ = value
        member.rank, member.finished, member.completed = rank, finished, completed
        member.open, member.reopenable, member.words = open_, reopenable, words
        return member

    @classmethod
    def parse(cls, word: str) -> "Status | None":
        """The state a word names (English, any case, or a Chinese alias); None when unknown."""
        word = word.strip()
        return STATUS_ALIASES.get(word) or STATUS_ALIASES.get(word.lower())

    def word(self, chinese: bool) -> str:
        """The word written into a file: Chinese when the file already speaks it."""
        return self.words[0] if chinese else self.value

    def goes_back_to(self, new: "Status") -> bool:
        """Whether moving to `new` undoes work recorded as finished (a reopening:
        done/closed/cancelled back to open work) or moves down the order of
        progress (closed back to done). Such a move needs a stated reason."""
        if self.reopenable and not new.reopenable:
            return True
        return self.rank is not None and new.rank is not None and new.rank < self.rank


def due_soon(status: Status, overdue: bool, working_days_left: int | None, within: int) -> bool:
    """Open, not overdue, and due within `within` working days: the one rule
    `check --fail-on due-soon`, `status --status due-soon` and `agenda` share."""
    return status.open and not overdue and working_days_left is not None and 0 <= working_days_left <= within


# Each state by its value (the word rows and kept parts hold), and every word that names a
# state, English values first: what files, filters and imports accept.
STATUS_VALUES: Mapping[str, Status] = MappingProxyType({s.value: s for s in Status})
STATUS_ALIASES: Mapping[str, Status] = MappingProxyType(
    {**STATUS_VALUES, **{w: s for s in Status for w in s.words}}
)


@frozen
class Expr:
    """A deadline or window as the user wrote it: a date, a rule, or `ongoing`.

    Kept unevaluated: the schedule resolves it against a calendar and the
    plan's events, so new rule forms never change the model or its callers.
    """

    text: str
    source: Source = NOWHERE

    def __str__(self) -> str:
        return self.text


@frozen
class Unit:
    """A unit in the repository's registry (rectify.yaml `units:`)."""

    name: str
    aliases: tuple[str, ...] = ()  # 简称 and other spellings
    leader: str = ""  # 分管领导
    contact: str = ""  # 联络员
    source: Source = NOWHERE
    progress_every: str = ""  # this unit's reporting cadence, over the plan's
    email: str = ""  # where `rectify notify` sends its reminders
    webhook: str = ""  # the NAME of the environment variable holding its robot's URL (a URL carries a key)
    webhook_kind: str = ""  # wecom | dingtalk | json


@frozen
class SourceSpec:
    """Another repository whose plans are read beside the local ones (rectify.yaml
    `sources:`), as last fetched by `rectify fetch`."""

    name: str
    url: str  # anything `git fetch` takes: a server, a bare repository, a path
    ref: str = "HEAD"
    path: str = "plans"  # where its plan files are, inside that repository
    source: Source = NOWHERE


@frozen
class CalendarSpec:
    """Which holiday calendar a plan counts working days on, plus local overrides."""

    country: str = "CN"
    subdiv: str | None = None
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()
    source: Source = NOWHERE


@frozen
class SupervisionSettings:
    """A plan's supervision settings: its own, over rectify.yaml's, over the defaults."""

    requires: tuple[str, ...] = ()  # roles that must approve a 销号
    review_after: Expr | None = None  # 回头看 rule, e.g. "6 months after closed"
    progress_every: str = ""  # reporting cadence, e.g. "1 month"
    blue_within: int = 3  # 蓝: due within this many working days
    interview_after: int | None = 5  # 约谈: overdue by more than this many working days
    reply_within: str = ""  # a 督办's reply_by when none is given, e.g. "3 working days after issued"
