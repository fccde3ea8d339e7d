"""The whole ledger as an edit sees it: loaded, validated, and loadable again
with edited texts in place of files, so an edit is judged before it is written.

This mirrors `workspace.open_workspace` (discover, load, validate, config,
schedule) but reads some files from memory; the comparison of problems before
and after lets errors that already existed pass while new ones refuse the edit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from .. import yamlsafe
from ..load import discover, display_path, load_texts
from ..model import Repository, Source
from ..problems import Problem, Severity
from ..schedule import evaluate
from ..validate import find_root, validate
from ..workspace import DEFAULT_PLANS, read_config

BLOCKING = (Severity.ERROR, Severity.VIOLATION)


@dataclass(frozen=True, slots=True)
class Ledger:
    paths: tuple[Path, ...]
    repository: Repository
    problems: tuple[Problem, ...]
    roots: tuple[Path, ...]
    files: Mapping[str, Path] = field(default_factory=dict)  # display name -> path

    def path_of(self, source: Source) -> Path:
        return self.files.get(source.file, Path(source.file))

    def root_of(self, file: Path) -> Path:
        file = file.resolve()
        for root in sorted(self.roots, key=lambda r: len(r.parts), reverse=True):
            if root == file or root in file.parents:
                return root
        return find_root(file)


def open_ledger(paths: Sequence[Path], overrides: Mapping[Path, str] | None = None,
                as_of: dt.date | None = None) -> Ledger:
    """Load and judge every plan file; `overrides` (resolved path -> text) replace
    or add files without touching the disk."""
    overrides = {p.resolve(): t for p, t in (overrides or {}).items()}
    paths = tuple(paths) or (DEFAULT_PLANS,)
    files, problems = discover(paths)
    known = {f.resolve() for f in files}
    files += [p for p in overrides if p not in known]
    names = {display_path(f): f for f in files}

    def reader(path: Path, display: str):
        text = overrides.get(path.resolve())
        if text is not None:
            return lambda: (text, None)
        return lambda: yamlsafe.read_text(path, display)

    repo, load_problems = load_texts((name, reader(path, name)) for name, path in names.items())
    problems.extend(load_problems)
    roots = tuple(dict.fromkeys(find_root(p) for p in paths if p.exists())) or (find_root(Path.cwd()),)
    ledger = Ledger(paths, repo, (), roots, names)
    problems.extend(validate(repo, lambda s: ledger.root_of(ledger.path_of(s))))
    calendar, config_problems = read_config(roots[0])
    problems.extend(config_problems)
    problems.extend(evaluate(repo, as_of or dt.date.today(), calendar).problems)
    return Ledger(paths, repo, tuple(problems), roots, names)


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
