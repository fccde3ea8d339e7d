"""Items of one plan file at one revision, as plain comparable values.

Every version of a file is read through the project's one YAML reader
(`yamlsafe.compose`, then `reader.Reader`), so history sees exactly what
`check` sees: the same syntax errors, values and line numbers. A distinct
blob is read at most once per run; how a version that differs from the one
before in a few tasks is read without reading the rest again is `versions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from .. import schema, yamlsafe
from ..loader import no_cyclic_gc
from ..model import Milestone, Repository, Source, Task
from ..problems import Problem, Severity, error

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


Blob = tuple[str, "str | None", "bytes | str"]  # (repository path, blob id or None for the work tree, bytes or text)


class Parser:
    """Parses plan-file blobs into items, each distinct (path, blob) at most once.

    `only` (an item id) skips blobs whose text does not mention it: `history`
    of one item then parses only the versions that can hold that item.
    """

    def __init__(self, only: str | None = None) -> None:
        self.only = only
        self._files: dict[tuple[str, str | None], tuple[Item, ...] | None] = {}
        self.problems: dict[tuple[str, str | None], Problem] = {}
        self._memo: dict[tuple, Core] = {}
        self._layouts: dict[str, Any] = {}  # path -> where the tasks of its last version read are

    def parse(self, path: str, blob: str, read: Callable[[], bytes]) -> tuple[Item, ...] | None:
        """The items of `path` at blob `blob`; None when that version cannot be read."""
        key = (path, blob)
        if key not in self._files:
            self.parse_many([(path, blob, read())])
        return self._files[key]

    def known(self, path: str, blob: str) -> bool:
        return (path, blob) in self._files

    def problem(self, path: str, blob: str | None) -> Problem | None:
        """Why that version could not be read (file:line:column), or None."""
        return self.problems.get((path, blob))

    def parse_bytes(self, path: str, data: bytes) -> tuple[Item, ...] | None:
        """A file's items from bytes with no blob id (the work tree)."""
        self._files.pop((path, None), None)
        return self.parse_many([(path, None, data)])[0]

    def parse_many(self, blobs: Sequence[Blob]) -> list[tuple[Item, ...] | None]:
        """Read every blob not read yet; None for a version that cannot be read."""
        todo: list[tuple[tuple[str, str | None], str]] = []
        for path, blob, data in blobs:
            key = (path, blob)
            if key in self._files and blob is not None:
                continue
            self._files[key] = None
            text, problem = (data, None) if isinstance(data, str) else _decode(path, data)
            if problem is not None:
                self.problems[key] = problem
            elif self.only is not None and self.only not in (text or ""):
                self._files[key] = ()  # nothing wanted here (the file is not read for anything else)
            else:
                todo.append((key, text or ""))
        with no_cyclic_gc():
            for key, text in todo:
                found, problem = self._read(key[0], text)
                if problem is not None:
                    self.problems[key] = problem
                else:
                    self._files[key] = found
        return [self._files[(path, blob)] for path, blob, _ in blobs]

    def _read(self, path: str, text: str) -> tuple[tuple[Item, ...], Problem | None]:
        """Read from the last version of this path when only some tasks changed,
        else whole; either way through the one reader (see `versions`)."""
        from .versions import read_changed, read_version

        base = self._layouts.get(path)
        found = read_changed(base, path, text, self._memo, self.only) if base is not None else None
        if found is None:
            items, problems, layout = read_version(path, text, self._memo, self.only)
            fatal = fatal_problem(problems)
            if fatal is not None:
                return (), fatal
        else:
            items, layout = found
        if layout is not None:
            self._layouts[path] = layout
        return tuple(i for i in items if self._wanted(i.core)), None

    def _wanted(self, core: Core) -> bool:
        return self.only is None or core.id == self.only


def _decode(path: str, data: bytes) -> tuple[str | None, Problem | None]:
    size = getattr(data, "size", len(data))  # gitread.Oversize: not even read
    if size > yamlsafe.MAX_FILE_BYTES:
        return None, error(Source(path), "load.too_large", size=size, limit=yamlsafe.MAX_FILE_BYTES)
    return yamlsafe.decode(data, path)
