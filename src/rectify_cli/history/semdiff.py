"""What changed in the ledger between two revisions, item by item.

A line diff of YAML tells a reviewer that line 212 changed; the question is
which tasks were added or dropped and whose status, deadline or lead unit
moved. Items are matched by (plan id, item id), so moving a task to another
file is not reported as a removal and an addition.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..gitread import Git
from .items import Item, Parser
from .timeline import FieldChange, field_changes, is_plan_file

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
    """Every item under `roots` at a revision, or in the work tree when `rev` is None."""
    found: dict[tuple[str, str], Item] = {}
    if rev is not None:
        files = [(p, (lambda b=b: git.blob(b)), b) for p, b in git.tree(rev, roots).items() if is_plan_file(p, roots)]
    else:
        files = [(p, (lambda p=p: (git.top / p).read_bytes()), None) for p in _work_files(git.top, roots)]
    for path, read, blob in sorted(files, key=lambda f: f[0]):
        items = parser.parse(path, blob, read) if blob else parser.parse_bytes(path, read())
        for item in items or ():
            found.setdefault(item.key, item)
    return found


def _work_files(top: Path, roots: Sequence[str]) -> list[str]:
    out: list[str] = []
    for root in roots:
        base = top / root
        if base.is_file():
            out.append(root)
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                rel = (Path(dirpath) / name).relative_to(top).as_posix()
                if is_plan_file(rel, roots):
                    out.append(rel)
    return sorted(set(out))


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
