"""Opening plan paths the way every command does: find, load, validate, evaluate.

Commands differ in what they show, never in how they read the ledger.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from . import cache, yamlsafe
from .load import CONFIG_NAME, discover, display_path, link_problem, load_texts, no_cyclic_gc
from .reader import Reader
from .model import CalendarSpec, Repository, Source
from .problems import Problem, Severity, error
from .schedule import Schedule, evaluate
from .validate import find_root, validate

DEFAULT_PLANS = Path("plans")
CONFIG_KEYS = {"calendar": False}


@dataclass(frozen=True, slots=True)
class Workspace:
    repository: Repository
    schedule: Schedule
    problems: tuple[Problem, ...]  # load, validation and rule problems, in file order
    roots: tuple[Path, ...]
    paths: tuple[Path, ...] = ()  # what was asked for
    files: Mapping[str, Path] = field(default_factory=dict)  # display name -> path read

    def count(self, severity: Severity) -> int:
        return sum(1 for p in self.problems if p.severity is severity)

    @property
    def invalid(self) -> bool:
        return any(p.severity is Severity.ERROR for p in self.problems)

    def path_of(self, source: Source) -> Path:
        """The file a value was read from (sources carry display names)."""
        return self.files.get(source.file, Path(source.file))

    def root_of(self, file: Path) -> Path:
        return root_for(file, self.roots)


def root_for(file: Path, roots: Sequence[Path]) -> Path:
    """The repository a file belongs to: the deepest known root holding it."""
    file = file.resolve()
    for root in sorted(roots, key=lambda r: len(r.parts), reverse=True):
        if root == file or root in file.parents:
            return root
    return find_root(file)


def open_workspace(
    paths: Sequence[Path], as_of: dt.date, overrides: Mapping[Path, str] | None = None
) -> Workspace:
    """Find, load, validate and evaluate. `overrides` (path -> text) stand in for
    files, or add new ones, without touching the disk: an edit is judged this way
    before it is written."""
    paths = tuple(paths) or (DEFAULT_PLANS,)
    files, problems = discover(paths)
    texts = {p.resolve(): t for p, t in (overrides or {}).items()}
    known = {f.resolve() for f in files}
    files += [p for p in texts if p not in known]
    if not files and not problems:
        problems.append(error(Source(display_path(paths[0])), "cli.no_files", path=display_path(paths[0])))
    roots = tuple(dict.fromkeys(find_root(p) for p in paths if p.exists())) or (find_root(Path.cwd()),)
    names = {display_path(f): f for f in files}

    def reader(path: Path, display: str):
        text = texts.get(path.resolve())
        if text is not None:
            return lambda: (text, None)
        return lambda: yamlsafe.read_text(path, display)

    with no_cyclic_gc():
        repo, load_problems = load_texts(((name, reader(path, name)) for name, path in names.items()), cache.configured())
        problems.extend(load_problems)
        problems.extend(validate(repo, lambda source: root_for(names.get(source.file, Path(source.file)), roots)))
        repo_calendar, config_problems = read_config(roots[0])
        problems.extend(config_problems)
        schedule = evaluate(repo, as_of, repo_calendar)
        problems.extend(schedule.problems)
    problems.sort(key=lambda p: (p.source.file, p.source.line, p.source.column))
    return Workspace(repo, schedule, tuple(problems), roots, paths, names)


def read_config(root: Path) -> tuple[CalendarSpec | None, list[Problem]]:
    """The repository's rectify.yaml: calendar overrides shared by every plan."""
    path = root / CONFIG_NAME
    if not path.is_file():
        return None, []
    display = display_path(path)
    if path.is_symlink():  # like a plan file: never read through a link out of the repository
        refused = link_problem(path, root.resolve())
        if refused is not None:
            return None, [refused]
    return parse_config(*yamlsafe.read_text(path, display), display)


def parse_config(text: str | None, problem: Problem | None, display: str) -> tuple[CalendarSpec | None, list[Problem]]:
    """rectify.yaml's content (from disk or from a git revision) read like any plan file."""
    node = None
    if problem is None:
        node, problem = yamlsafe.compose(text or "", display)
    if problem is not None:
        return None, [problem]
    problems: list[Problem] = []
    reader = Reader(display, problems)
    fields = reader.fields(node, CONFIG_KEYS, CONFIG_NAME) or {}
    spec = reader.calendar(fields["calendar"]) if "calendar" in fields else None
    return spec, problems


def open_workspace_at(repo_dir: Path, rev_or_date: str, paths: Sequence[Path], as_of: dt.date) -> Workspace:
    """The workspace as committed at a revision, or at the last commit on or before
    a YYYY-MM-DD date, read from git objects without touching the work tree.

    Raises `history.gitread.GitError` (a usage error) for a bad revision or date.
    """
    from .history.at import load_at

    snapshot = load_at(repo_dir, rev_or_date, list(paths) or [DEFAULT_PLANS])
    schedule = evaluate(snapshot.repository, as_of, snapshot.calendar)
    problems = [*snapshot.problems, *schedule.problems]
    problems.sort(key=lambda p: (p.source.file, p.source.line, p.source.column))
    return Workspace(snapshot.repository, schedule, tuple(problems), (snapshot.top,))
