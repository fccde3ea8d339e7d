"""What the checks across files read of each issue, task, suggestion and outcome.

A row of plain values per entity (`Listed`): its plan, id and references, and where
each is written. The repository index keeps them (`indexed`), so that the checks across
files (`validate.validate_across`) run on a ledger's rows after an edit, without its models.
"""

from __future__ import annotations

from typing import NamedTuple

from typing import TYPE_CHECKING

from .values import Source

if TYPE_CHECKING:
    from .model import Entity, Plan

_LISTED = ("id", "plan", "issue", "parent", "tasks")


class Listed(NamedTuple):
    """What the checks across files read of an issue, task, suggestion or outcome:
    its plan, id and references, and where each is written (as `Entity.at` says)."""

    file: str
    line: int
    column: int
    plan: str
    id: str
    issue: str  # a task's or a suggestion's issue
    parent: str  # an issue's parent
    tasks: tuple[str, ...]  # the tasks an outcome closes
    positions: tuple[tuple[str, int, int], ...]  # (field, line, column) of the fields in `_LISTED` that are written

    def at(self, name: str) -> Source:
        for field, line, column in self.positions:
            if field == name:
                return Source(self.file, line, column)
        return Source(self.file, self.line, self.column)


def listed(entity: Entity) -> Listed:
    fields = entity.fields
    return Listed(
        entity.source.file, entity.source.line, entity.source.column, getattr(entity, "plan", ""), entity.id,
        getattr(entity, "issue", ""), getattr(entity, "parent", ""), tuple(getattr(entity, "tasks", ())),
        tuple((name, *fields[name]) for name in _LISTED if name in fields),
    )


class Listing:
    """The ledger as the checks across files read it: the plans themselves, and a
    `Listed` row for each issue, task, suggestion and outcome, in ledger order."""

    def __init__(self, plans: tuple[Plan, ...], issues: tuple[Listed, ...], tasks: tuple[Listed, ...],
                 suggestions: tuple[Listed, ...], outcomes: tuple[Listed, ...]) -> None:
        self.plans, self.issues, self.tasks = plans, issues, tasks
        self.suggestions, self.outcomes = suggestions, outcomes

    def issues_of(self, plan_id: str) -> tuple[Listed, ...]:
        return tuple(i for i in self.issues if i.plan == plan_id)

    def tasks_of(self, plan_id: str) -> tuple[Listed, ...]:
        return tuple(t for t in self.tasks if t.plan == plan_id)
