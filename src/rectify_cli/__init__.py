"""rectify: rectification (整改) ledgers kept as YAML in git.

The library under the `rectify` command. Everything a command does can be
done from Python::

    import datetime as dt
    import rectify_cli

    ledger = rectify_cli.load("plans")            # or load("plans", at="HEAD~3")
    schedule = rectify_cli.evaluate(ledger, as_of=dt.date(2025, 12, 1))
    for state in schedule.tasks:
        print(state.item.id, state.due_date, state.unit, state.overdue, state.due_source)

Names are imported on first use, so `import rectify_cli` costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "load", "evaluate", "Ledger", "Schedule", "ItemState", "PhaseState", "Problem", "Severity",
    "Status", "Plan", "Issue", "Task", "Milestone", "Phase", "Repository", "Source",
]

_WHERE = {
    "load": "loader", "Ledger": "loader",
    "evaluate": "schedule", "Schedule": "schedule", "ItemState": "schedule", "PhaseState": "schedule",
    "Problem": "problems", "Severity": "problems",
    **{name: "model" for name in ("Status", "Plan", "Issue", "Task", "Milestone", "Phase", "Repository", "Source")},
}

if TYPE_CHECKING:  # pragma: no cover
    from .loader import Ledger, load
    from .model import Issue, Milestone, Phase, Plan, Repository, Source, Status, Task
    from .problems import Problem, Severity
    from .schedule import ItemState, PhaseState, Schedule, evaluate


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'rectify_cli' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
