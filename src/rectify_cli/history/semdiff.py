"""What changed in the ledger between two revisions, item by item.

A line diff of YAML tells a reviewer that line 212 changed; the question is
which tasks were added or dropped and whose status, deadline or lead unit
moved. Items are matched by (plan id, item id), so moving a task to another
file is not reported as a removal and an addition.

Both sides are read as `check` reads a tree (regular files only, no link out
of the repository, the same size limit). A side that cannot be read whole is
an error, never a diff: its items would otherwise all look removed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Sequence

from ..problems import Problem
from ..tree import GitTree, WorkTree
from ..gitread import Git
from .items import Item
from .versions import Parser
from .timeline import FieldChange, field_changes, tree_texts


class Unreadable(Exception):
    """A side of a diff holds a file that cannot be read (syntax, a FIFO, a
    link out of the repository...): `problems` say where and why."""

    def __init__(self, rev: str | None, problems: Sequence[Problem]) -> None:
        super().__init__(rev)
        self.rev = rev
        self.problems = tuple(problems)

WORKTREE = None  # the second side of a diff when no revision is given


@dataclass(frozen=True, slots=True)
class ItemDiff:
    key: tuple[str, str]
    before: Item | None
    after: Item | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def title(self) -> str:
        item = self.after or self.before
        return str(item.get("title") or "") if item else ""


@dataclass(frozen=True, slots=True)
class SemanticDiff:
    added: tuple[ItemDiff, ...]
    removed: tuple[ItemDiff, ...]
    changed: tuple[ItemDiff, ...]

    def with_field(self, name: str) -> tuple[ItemDiff, ...]:
        return tuple(d for d in self.changed if any(f.name == name for f in d.fields))

    def to_json(self) -> dict[str, Any]:
        def item(d: ItemDiff) -> dict[str, Any]:
            where = d.after or d.before
            assert where is not None
            return {
                "plan": d.key[0], "id": d.key[1], "kind": where.kind, "title": d.title,
                "status": where.get("status"), "file": where.file, "line": where.line,
            }

        return {
            "added": [item(d) for d in self.added],
            "removed": [item(d) for d in self.removed],
            "changed": [
                {**item(d), "changes": {f.name: {"old": f.old, "new": f.new} for f in d.fields}}
                for d in self.changed
            ],
        }


def items_at(git: Git, rev: str | None, roots: Sequence[str], parser: Parser) -> dict[tuple[str, str], Item]:
    """Every item under `roots` at a revision, or in the work tree when `rev` is
    None, read through the same `Tree` as `check`; Unreadable when any plan file
    there is refused or cannot be read."""
    tree = GitTree(git, rev) if rev is not None else WorkTree([git.top])
    sources, problems, shown = tree_texts(tree, roots)
    items = parser.parse_many(sources)
    for (path, blob, _), found in zip(sources, items):
        problem = parser.problem(path, blob)
        if found is None and problem is not None:
            problems.append(dataclasses.replace(problem, source=problem.source._replace(file=shown.get(path, path))))
    if problems:
        raise Unreadable(rev, problems)
    found_items: dict[tuple[str, str], Item] = {}
    for found in items:
        for item in found or ():
            found_items.setdefault(item.key, item)
    return found_items


def semantic_diff(git: Git, old_rev: str, new_rev: str | None, roots: Sequence[str]) -> SemanticDiff:
    parser = Parser()
    old = items_at(git, old_rev, roots, parser)
    new = items_at(git, new_rev, roots, parser)
    added = tuple(ItemDiff(k, None, new[k]) for k in new if k not in old)
    removed = tuple(ItemDiff(k, old[k], None) for k in old if k not in new)
    changed = tuple(
        ItemDiff(k, old[k], new[k], field_changes(old[k], new[k]))
        for k in new
        if k in old and old[k].values != new[k].values
    )
    return SemanticDiff(added, removed, changed)
