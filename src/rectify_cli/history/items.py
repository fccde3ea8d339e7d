"""Items of one plan file at one revision, as plain comparable values.

History compares thousands of versions of the same files, and a version
usually differs from the one before in a single task. Parsing every version
whole would cost most of the run, so a tasks or issues file in the usual
block layout is cut into its list items and each item's text is parsed once
(through the ordinary loader, so the values are exactly what `check` reads)
and reused wherever that text appears again, shifted to its current line.
Files in any other layout are parsed whole; either way a distinct blob is
parsed at most once per run.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

import yaml

from .. import yamlsafe
from ..loader import load_texts
from ..model import Expr, Milestone, Repository, Task
from ..problems import Problem, Severity

TASK_FIELDS = (
    "title", "issue", "lead", "support", "owner", "due", "status", "done", "closed_by",
    "closed", "evidence", "extensions", "reopened", "progress", "notes",
    "reviews", "duban", "lookbacks",
)
MILESTONE_FIELDS = ("title", "due", "status", "done", "evidence")
ISSUE_FIELDS = ("title", "category", "description")
FIELDS = {"task": TASK_FIELDS, "milestone": MILESTONE_FIELDS, "issue": ISSUE_FIELDS}

_LIST_KEY = re.compile(r"^(tasks|issues):[ \t]*(?:#[^\n]*)?\r?$", re.M)
_CONTENT_LINE = re.compile(r"^( *)([^ \r\n#][^\n]*)$", re.M)


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


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _expr(value: Expr | None) -> str | None:
    return value.text if value is not None and value.text else None


def task_core(task: Task, shift: int = 0) -> Core:
    values = {
        "title": task.title, "issue": task.issue, "lead": task.lead, "support": task.support,
        "owner": task.owner, "due": _expr(task.due), "status": task.status.value,
        "done": _iso(task.done), "closed_by": task.closed_by, "closed": _iso(task.closed),
        "evidence": task.evidence,
        "extensions": tuple(
            {"to": e.to.text, "approved_by": e.approved_by, "date": _iso(e.date), "reason": e.reason}
            for e in task.extensions
        ),
        "reopened": tuple({"date": _iso(r.date), "reason": r.reason, "by": r.by} for r in task.reopened),
        "progress": tuple({"date": _iso(p.date), "note": p.note} for p in task.progress),
        "notes": task.notes,
        "reviews": tuple({"date": _iso(r.date), "by": r.by, "result": r.result, "reason": r.reason} for r in task.reviews),
        "duban": tuple(
            {"date": _iso(d.date), "level": d.level, "by": d.by, "note": d.note, "reply_by": _expr(d.reply_by),
             "reply": d.reply, "replied": _iso(d.replied)}
            for d in task.duban
        ),
        "lookbacks": tuple({"date": _iso(b.date), "result": b.result, "by": b.by, "note": b.note} for b in task.lookbacks),
    }
    lines = {name: line - shift for name, (line, _) in task.fields.items()}
    return Core("task", task.plan, task.id, task.source.line - shift, values, lines)


def milestone_core(plan_id: str, m: Milestone) -> Core:
    values = {"title": m.title, "due": _expr(m.due), "status": m.status.value, "done": _iso(m.done), "evidence": m.evidence}
    return Core("milestone", plan_id, m.id, m.source.line, values, {n: line for n, (line, _) in m.fields.items()})


def cores_of(repo: Repository, shift: int = 0) -> list[Core]:
    out: list[Core] = []
    for plan in repo.plans:
        out.extend(milestone_core(plan.id, m) for m in plan.milestones if m.id)
    for issue in repo.issues:
        if issue.id:
            values = {"title": issue.title, "category": issue.category, "description": issue.description}
            lines = {n: line - shift for n, (line, _) in issue.fields.items()}
            out.append(Core("issue", issue.plan, issue.id, issue.source.line - shift, values, lines))
    out.extend(task_core(t, shift) for t in repo.tasks if t.id)
    return out


def _fatal(problems: Iterable[Problem]) -> bool:
    """A problem that kept the file from being read at all (syntax, encoding...)."""
    return any(p.severity is Severity.ERROR and p.key.startswith("load.") and p.key != "load.duplicate_key" for p in problems)


class Parser:
    """Parses plan-file blobs into items, each distinct text at most once.

    `only` (an item id) skips list items whose text does not mention it:
    `history` of one item then parses almost nothing but that item.
    """

    def __init__(self, only: str | None = None) -> None:
        self.only = only
        self._files: dict[tuple[str, str], tuple[Item, ...] | None] = {}
        self._chunks: dict[tuple[str, str, str], tuple[Core, ...] | None] = {}
        self._headers: dict[str, tuple[str, str] | None] = {}

    def parse(self, path: str, blob: str, read: Callable[[], bytes]) -> tuple[Item, ...] | None:
        """The items of `path` at blob `blob`; None when that version cannot be read."""
        key = (path, blob)
        if key not in self._files:
            self._files[key] = self.parse_bytes(path, read())
        return self._files[key]

    def known(self, path: str, blob: str) -> bool:
        return (path, blob) in self._files

    def parse_bytes(self, path: str, data: bytes) -> tuple[Item, ...] | None:
        text, problem = yamlsafe.decode(data, path) if len(data) <= yamlsafe.MAX_FILE_BYTES else (None, True)
        if text is None or problem is not None:
            return None
        if self.only is not None and self.only not in text:
            return ()  # nothing wanted here (the file is not read for anything else)
        fast = self._by_chunks(path, text)
        if fast is not None:
            return fast
        repo, problems = load_texts([(path, lambda: (text, None))])
        if _fatal(problems):
            return None
        return tuple(Item(core, path) for core in cores_of(repo) if self._wanted(core))

    def _wanted(self, core: Core) -> bool:
        return self.only is None or core.id == self.only

    # -- the fast path: a block list of tasks or issues ------------------------
    def _by_chunks(self, path: str, text: str) -> tuple[Item, ...] | None:
        if "&" in text or "\t" in text:
            return None  # anchors may span items; tabs are a syntax error: parse whole
        found = _split(text)
        if found is None:
            return None
        list_key, header, chunks = found
        head = self._header(list_key, header)
        if head is None:
            return None
        plan = head
        items: list[Item] = []
        for start_line, chunk in chunks:
            if self.only is not None and self.only not in chunk:
                continue
            cores = self._chunk(list_key, plan, chunk)
            if cores is None:
                return None
            items.extend(Item(core, path, start_line) for core in cores if self._wanted(core))
        return tuple(items)

    def _header(self, list_key: str, header: str) -> str | None:
        """The plan id of a tasks/issues file, from its text without the list items."""
        if header not in self._headers:
            self._headers[header] = _read_header(list_key, header)
        found = self._headers[header]
        return found if found is None else found[1]

    def _chunk(self, list_key: str, plan: str, chunk: str) -> tuple[Core, ...] | None:
        key = (list_key, plan, chunk)
        if key not in self._chunks:
            prefix = f"kind: {list_key}\nplan: {json.dumps(plan, ensure_ascii=False)}\n{list_key}:\n"
            doc = prefix + chunk
            repo, problems = load_texts([("", lambda: (doc, None))])
            # the chunk starts on line 4 of the document: line 1 of the chunk, offset by its place in the file
            self._chunks[key] = None if _fatal(problems) else tuple(cores_of(repo, shift=3))
        return self._chunks[key]


def _read_header(list_key: str, header: str) -> tuple[str, str] | None:
    node, problem = yamlsafe.compose(header, "")
    if problem is not None or not isinstance(node, yaml.MappingNode):
        return None
    values = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    kind, plan = values.get("kind"), values.get("plan")
    if not isinstance(kind, yaml.ScalarNode) or kind.value.strip() != list_key:
        return None
    if not isinstance(plan, yaml.ScalarNode) or not plan.value.strip():
        return None
    items = values.get(list_key)
    if not isinstance(items, yaml.ScalarNode) or items.tag != "tag:yaml.org,2002:null":
        return None
    return list_key, plan.value.strip()


def _split(text: str) -> tuple[str, str, list[tuple[int, str]]] | None:
    """(list key, the file without its items, [(first line - 1, item text)]), or
    None when the layout is not a plain block list (then the file is parsed whole)."""
    match = _LIST_KEY.search(text)
    if match is None:
        return None
    body_start = match.end() + 1
    first = _CONTENT_LINE.search(text, body_start)
    if first is None or not _is_item(first[2]):
        return None
    indent = len(first[1])
    starts: list[int] = []
    end = len(text)
    # only lines starting at or left of the items' dash matter; deeper ones belong to an item
    for line in _shallow(indent).finditer(text, first.start()):
        width, rest = len(line[1]), line[2]
        if width == indent and _is_item(rest):
            starts.append(line.start())
        elif width == 0:
            end = line.start()
            break
        else:
            return None
    header = text[:body_start] + text[end:]
    chunks: list[tuple[int, str]] = []
    line_no = text.count("\n", 0, starts[0])
    bounds = [*starts, end]
    for a, b in zip(bounds, bounds[1:]):
        chunk = text[a:b]
        chunks.append((line_no, chunk))
        line_no += chunk.count("\n")
    return match[1], header, chunks


def _is_item(rest: str) -> bool:
    return rest.startswith("- ") or rest.rstrip("\r") == "-"


@lru_cache(maxsize=16)
def _shallow(indent: int) -> re.Pattern[str]:
    return re.compile(r"^( {0,%d})([^ \r\n#][^\n]*)$" % indent, re.M)
