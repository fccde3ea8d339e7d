"""Reading a version of a tasks file through the one reader, all of it or only what changed.

History reads thousands of versions of the same files, and a version usually
differs from the one before in one task. Composing a whole file again for
each version cost most of an `audit`; so, once a version has been read whole
(`read_version`), the composed tree says where each task entry starts and
where the list ends (a `Layout`). The next version is compared with it
(common prefix and suffix, as a diff would find the changed lines): the
entries the change touches, and one unchanged neighbour on each side, are
cut out with the file's own header and trailer into a smaller document that
`yamlsafe.compose` and `reader.Reader` read like any file. That document is
used only if its tree has the same shape (a block list at the same column,
each entry on its own `- ` line, ending where the trailer starts); anything
else (a changed header, anchors, a syntax error, a different shape) is read
whole, so the answer is always what reading the whole file gives.

Each task node read cleanly is also remembered by (plan, column, exact source
text), so a task that reappears unchanged is not read again. `Parser` reads
each distinct (path, blob) at most once per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import yaml

from .. import textfile, yamlsafe
from ..memory import no_cyclic_gc
from ..model import Repository, Task
from ..problems import Problem
from ..reader import Reader
from .items import Core, Item, cores_of, fatal_problem, task_core

Memo = dict[tuple, Core]


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the task entries of a version read cleanly are (from its composed tree)."""

    text: str
    starts: tuple[int, ...]  # index of the line start of each entry's `- ` line
    items: tuple[Item | None, ...]  # each entry's item (None: no id, or not wanted)
    tail: int  # where the list ends: the trailer (keys after the list) starts here


class _ItemReader(Reader):
    """The one `Reader`, remembering every task node it read cleanly by
    (plan, column, exact source text): the same text at the same indentation
    reads the same, so it is read once and shifted to its line elsewhere."""

    def __init__(self, display: str, problems: list[Problem], text: str, memo: Memo | None, only: str | None) -> None:
        super().__init__(display, problems)
        self.source_text = text
        self.memo = memo
        self.only = only
        self.entries: list[tuple[yaml.Node, Item | None]] = []  # every task node, in file order

    def task(self, node: yaml.Node, plan: str, plan_position: tuple[int, int]) -> Task | None:
        start, end = node.start_mark, node.end_mark
        span = self.source_text[start.index:end.index]
        if self.only is not None and self.only not in span:
            self.entries.append((node, None))
            return None  # `history ID`: a task whose text does not name ID is not that task
        key = (plan, start.column, span) if self.memo is not None else None
        core = self.memo.get(key) if key is not None else None  # type: ignore[union-attr]
        if core is None:
            before = len(self.problems)
            task = super().task(node, plan, plan_position)
            if task is None or not task.id:
                self.entries.append((node, None))
                return None
            core = task_core(task, shift=start.line)  # lines relative to the node's first line (0-based)
            if key is not None and len(self.problems) == before:
                self.memo[key] = core  # type: ignore[index]
        self.entries.append((node, Item(core, self.display, start.line)))
        return None  # the Item stands for it: no Task is built twice


def _memo_safe(text: str) -> bool:
    """An alias can repeat an anchor defined elsewhere, a %TAG directive can
    change what a tag means, a second document changes everything: such texts
    are read whole and without the memo (rare; same result, only slower)."""
    return "&" not in text and not text.startswith(("%", "---")) and "\n%" not in text and "\n---" not in text


def _read(path: str, text: str, memo: Memo | None, only: str | None) -> tuple[list[Item], list[Problem], Any, _ItemReader | None]:
    problems: list[Problem] = []
    root, problem = yamlsafe.compose(text, path)
    if problem is not None:
        return [], [problem], None, None
    reader = _ItemReader(path, problems, text, memo if _memo_safe(text) else None, only)
    plans: list[Any] = []
    issues: list[Any] = []
    reader.document(root, plans, issues, [])
    items = [Item(core, path) for core in cores_of(Repository(tuple(plans), tuple(issues), (), (path,)))]
    items += [item for _, item in reader.entries if item is not None]
    return items, problems, root, reader


def read_version(path: str, text: str, memo: Memo | None = None, only: str | None = None) -> tuple[list[Item], list[Problem], Layout | None]:
    """A whole version's items and problems, and its layout when the next version may be read by difference."""
    items, problems, root, reader = _read(path, text, memo, only)
    layout = None
    if reader is not None and fatal_problem(problems) is None and _memo_safe(text):
        found = _entries(root, text, reader)
        if found is not None:
            layout = Layout(text, found[0], tuple(item for _, item in reader.entries), found[1])
    return items, problems, layout


def _entries(root: yaml.Node, text: str, reader: _ItemReader) -> tuple[tuple[int, ...], int] | None:
    """(line start of each entry, end of the list) of a tasks file whose list is
    a block list with each entry on its own `- ` line; None for any other shape."""
    if not isinstance(root, yaml.MappingNode):
        return None
    values = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    kind, seq = values.get("kind"), values.get("tasks")
    if not isinstance(kind, yaml.ScalarNode) or kind.value.strip() != "tasks":
        return None
    if not isinstance(seq, yaml.SequenceNode) or seq.flow_style or not seq.value or len(reader.entries) != len(seq.value):
        return None
    dash = " " * seq.start_mark.column + "-"
    starts = []
    for node, _ in reader.entries:
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            return None
        line_start = text.rfind("\n", 0, node.start_mark.index) + 1
        lead = text[line_start:node.start_mark.index]
        if not lead.startswith(dash) or lead[len(dash):].strip(" ") or not lead[len(dash):]:
            return None
        if starts and line_start <= starts[-1]:
            return None
        starts.append(line_start)
    tail = seq.end_mark.index
    if tail != len(text) and (tail == 0 or text[tail - 1] != "\n"):
        return None
    return tuple(starts), tail


def read_changed(base: Layout, path: str, text: str, memo: Memo, only: str | None) -> tuple[list[Item], Layout] | None:
    """The items of `text`, a later version of `base`, reading only the entries
    that changed; None when that cannot be done safely (then read it whole)."""
    old = base.text
    if not _memo_safe(text):
        return None
    same_head = _common_prefix(old, text)
    same_tail = _common_suffix(old, text, min(len(old), len(text)) - same_head)
    changed_end = len(old) - same_tail  # the change is old[same_head:changed_end]
    starts, n = base.starts, len(base.starts)
    if same_head < starts[0] or changed_end > base.tail:
        return None  # the header or the trailer changed
    ends = (*starts[1:], base.tail)
    touched = [i for i in range(n) if starts[i] <= changed_end and ends[i] >= same_head]
    if not touched:
        return None
    first, last = max(0, touched[0] - 1), min(n - 1, touched[-1] + 1)
    delta = len(text) - len(old)
    head = text[: starts[0]]
    region = text[starts[first] : ends[last] + delta]
    small = head + region + text[base.tail + delta :]
    items, problems, root, reader = _read(path, small, memo, only)
    if reader is None or fatal_problem(problems) is not None:
        return None
    found = _entries(root, small, reader)
    if found is None:
        return None
    small_starts, small_tail = found
    if small_starts[0] != len(head) or small_tail != len(head) + len(region):
        return None  # the changed entries did not read as whole entries of the list
    cut = old.count("\n", starts[0], starts[first])  # lines left out before the region
    shift = text.count("\n", starts[first], ends[last] + delta) - old.count("\n", starts[first], ends[last])
    new_items: list[Item | None] = list(base.items[:first])
    new_items += [_moved(item, cut) for _, item in reader.entries]
    new_items += [_moved(item, shift) for item in base.items[last + 1 :]]
    new_starts = starts[:first] + tuple(s - len(head) + starts[first] for s in small_starts) + tuple(s + delta for s in starts[last + 1 :])
    plain = [i for i in items if i.kind != "task"]  # a tasks file has none; kept for the same shape as read_version
    return plain + [i for i in new_items if i is not None], Layout(text, new_starts, tuple(new_items), base.tail + delta)


def _moved(item: Item | None, lines: int) -> Item | None:
    return item if item is None or not lines else Item(item.core, item.file, item.offset + lines)


def _common_prefix(a: str, b: str) -> int:
    """Length of the common prefix, by halving (string comparisons run in C)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, max(0, limit)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


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
    return textfile.from_bytes(data, path)
