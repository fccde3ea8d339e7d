"""Items of one plan file at one revision, as plain comparable values.

How versions are read (through the project's one reader, each distinct blob
at most once, a version that changed a few tasks without reading the rest
again) is `versions`; what history compares of each item is here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .. import schema
from ..model import Milestone, Repository, Task
from ..problems import Problem, Severity

FIELDS = {kind: schema.history_fields(kind) for kind in ("task", "milestone", "issue")}



@dataclass(frozen=True, slots=True)
class Core:
    """An item's values with line numbers relative to where its text starts."""

    kind: str  # task, milestone or issue
    plan: str
    id: str
    line: int
    values: Mapping[str, Any]
    lines: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Item:
    """An item as found in one file at one revision."""

    core: Core
    file: str  # repository-relative path
    offset: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.core.plan, self.core.id)

    @property
    def kind(self) -> str:
        return self.core.kind

    @property
    def values(self) -> Mapping[str, Any]:
        return self.core.values

    @property
    def line(self) -> int:
        return self.core.line + self.offset

    def line_of(self, name: str) -> int:
        return self.core.lines.get(name, self.core.line) + self.offset

    def get(self, name: str, default: Any = None) -> Any:
        return self.core.values.get(name, default)


def task_core(task: Task, shift: int = 0) -> Core:
    lines = {name: line - shift for name, (line, _) in task.fields.items() if name != "plan"}  # the plan line is the file's
    return Core("task", task.plan, task.id, task.source.line - shift, schema.plain("task", task), lines)


def milestone_core(plan_id: str, m: Milestone) -> Core:
    lines = {n: line for n, (line, _) in m.fields.items()}
    return Core("milestone", plan_id, m.id, m.source.line, schema.plain("milestone", m), lines)


def cores_of(repo: Repository, shift: int = 0) -> list[Core]:
    out: list[Core] = []
    for plan in repo.plans:
        out.extend(milestone_core(plan.id, m) for m in plan.milestones if m.id)
    for issue in repo.issues:
        if issue.id:
            lines = {n: line - shift for n, (line, _) in issue.fields.items()}
            out.append(Core("issue", issue.plan, issue.id, issue.source.line - shift, schema.plain("issue", issue), lines))
    out.extend(task_core(t, shift) for t in repo.tasks if t.id)
    return out


def fatal_problem(problems: Iterable[Problem]) -> Problem | None:
    """The problem that kept a file from being read at all (syntax, encoding...), if any."""
    return next(
        (p for p in problems if p.severity is Severity.ERROR and p.key.startswith("load.") and p.key != "load.duplicate_key"),
        None,
    )
