"""The whole ledger as an edit sees it: loaded, validated, and loadable again
with edited texts in place of files, so an edit is judged before it is written.

The comparison of problems before and after lets errors that already existed
pass while new ones refuse the edit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

from ..problems import Problem, Severity
from ..workspace import Workspace, open_workspace

BLOCKING = (Severity.ERROR, Severity.VIOLATION)


def open_ledger(paths: Sequence[Path], overrides: Mapping[Path, str] | None = None,
                as_of: dt.date | None = None) -> Workspace:
    """Load and judge every plan file, as every command does; `overrides` (path ->
    text) replace or add files without touching the disk."""
    return open_workspace(paths, as_of or dt.date.today(), overrides, sources=False)


def _signature(problem: Problem) -> tuple:
    """What a problem is, without where it is: lines move when lines are inserted."""
    params = tuple(sorted((k, repr(v)) for k, v in problem.params.items() if k not in ("line", "other")))
    return problem.severity, problem.source.file, problem.key, params


def new_problems(before: Sequence[Problem], after: Sequence[Problem]) -> list[Problem]:
    """Errors and rule violations present after an edit that were not there before."""
    seen = Counter(_signature(p) for p in before)
    fresh = []
    for problem in after:
        sig = _signature(problem)
        if seen[sig]:
            seen[sig] -= 1
        elif problem.severity in BLOCKING:
            fresh.append(problem)
    return fresh
