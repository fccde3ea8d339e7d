"""A ledger judged as of a date: what every command opens.

`load` reads and validates; `schedule.evaluate` judges as of a date. A
workspace is the pair, so commands differ in what they show, never in how
they read the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .config import Config
from .loader import DEFAULT_PLANS, Ledger, load
from .model import Repository, Source
from . import problems as problem_list
from .problems import Problem, Severity
from .schedule import Schedule, evaluate

__all__ = ["DEFAULT_PLANS", "Workspace", "open_workspace", "open_workspace_at"]


@dataclass(frozen=True, slots=True)
class Workspace:
    ledger: Ledger  # as the files say
    schedule: Schedule  # judged as of schedule.as_of
    problems: tuple[Problem, ...]  # load, validation and rule problems, in file order

    @property
    def repository(self) -> Repository:
        """The ledger as it stood on the as-of day (see `schedule.as_of_view`)."""
        return self.schedule.repository

    @property
    def config(self) -> Config:
        return self.ledger.config

    @property
    def paths(self) -> tuple[Path, ...]:
        return self.ledger.paths

    @property
    def files(self) -> Mapping[str, Path]:
        return self.ledger.files

    def count(self, severity: Severity) -> int:
        return problem_list.count(self.problems, severity)

    @property
    def invalid(self) -> bool:
        return problem_list.invalid(self.problems)

    def path_of(self, source: Source) -> Path:
        """The file a value was read from (sources carry display names)."""
        return self.files.get(source.file, Path(source.file))

    def root_of(self, file: Path) -> Path:
        root_of = getattr(self.ledger.tree, "root_of", None)
        return root_of(file) if root_of is not None else self.ledger.tree.top


def judge(ledger: Ledger, as_of: dt.date) -> Workspace:
    schedule = evaluate(ledger, as_of)
    problems = sorted((*ledger.problems, *schedule.problems), key=lambda p: (p.source.file, p.source.line, p.source.column))
    return Workspace(ledger, schedule, tuple(problems))


def open_workspace(
    paths: Sequence[Path], as_of: dt.date, overrides: Mapping[Path, str] | None = None, sources: bool = True
) -> Workspace:
    """Load and judge the work tree's plan files. `overrides` (path -> text)
    stand in for files, or add new ones, without touching the disk: an edit
    is judged this way before it is written. `sources`: read rectify.yaml's
    sources beside them, as last fetched (edits never do: they write only here)."""
    return judge(load(tuple(paths), overrides=overrides, sources=sources), as_of)


def open_workspace_at(rev_or_date: str, paths: Sequence[Path], as_of: dt.date) -> Workspace:
    """The workspace as committed at a revision, or at the last commit on or
    before a YYYY-MM-DD date, read from git objects without touching the work tree.

    Raises `gitread.GitError` (a usage error) for a bad revision or date.
    """
    return judge(load(tuple(paths), at=rev_or_date), as_of)
