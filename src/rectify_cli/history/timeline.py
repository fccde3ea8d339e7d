"""Replaying the ledger commit by commit: which items changed, and how.

Items are identified by (plan id, item id), never by path, so an item that
moves to another file (or a plan directory that is renamed) is one item
whose location changed, not a deletion plus an addition. A version of a file
that cannot be read is skipped: its items keep their last readable values
rather than appearing deleted and re-added.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from ..loader import CONFIG_NAME, PLAN_SUFFIXES
from ..textfile import MAX_FILE_BYTES
from ..gitread import Commit, Git, GitError
from .items import FIELDS, Item
from .versions import Parser

Key = tuple[str, str]
NOT_READ = ("120000", "160000")  # symbolic links and submodules: `check` reads neither as a plan file


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item in one commit: added (before None), removed (after None), changed or moved."""

    key: Key
    before: Item | None
    after: Item | None
    fields: tuple[FieldChange, ...] = ()

    @property
    def action(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed" if self.fields else "moved"

    @property
    def moved(self) -> bool:
        return self.before is not None and self.after is not None and self.before.file != self.after.file

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class CommitStep:
    """A commit and what it did to the ledger."""

    commit: Commit
    changes: tuple[ItemChange, ...]
    deleted_files: tuple[str, ...] = ()


def field_changes(before: Item | None, after: Item | None) -> tuple[FieldChange, ...]:
    if before is None or after is None or before.values == after.values:
        return ()
    names = FIELDS.get(after.kind, tuple(after.values))
    return tuple(
        FieldChange(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)
    )


def is_plan_file(path: str, roots: Sequence[str]) -> bool:
    """Whether a repository path is a plan file under one of `roots` (as `discover` finds them)."""
    if not path.endswith(PLAN_SUFFIXES):
        return False
    parts = path.split("/")
    if parts[-1] == CONFIG_NAME or any(p.startswith(".") for p in parts):
        return False
    return any(r in ("", ".") or path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def repo_paths(git: Git, paths: Iterable[Path]) -> list[str]:
    """User paths (relative to here) as paths relative to the repository's top."""
    out = []
    for p in paths:
        resolved = Path(p).resolve()
        try:
            rel = resolved.relative_to(git.top.resolve())
        except ValueError:
            raise GitError("history.outside_repo", path=str(p), top=str(git.top)) from None
        out.append(rel.as_posix() if str(rel) != "." else "")
    return out


@dataclass
class ReplayState:
    """The current state while replaying: each file's items by key, and each item's files.

    Finding an item is a dictionary look-up per file that holds it, so
    replaying or counting a file of n items costs n, not n².
    """

    files: dict[str, dict[Key, Item]] = field(default_factory=dict)
    where: dict[Key, list[str]] = field(default_factory=dict)

    def item(self, key: Key) -> Item | None:
        for path in self.where.get(key, ()):
            found = self.files[path].get(key)
            if found is not None:
                return found
        return None

    def file_items(self, path: str) -> Iterable[Item]:
        return self.files.get(path, {}).values()

    def set_file(self, path: str, items: tuple[Item, ...] | None) -> None:
        for key in self.files.pop(path, {}):
            paths = self.where.get(key)
            if paths and path in paths:
                paths.remove(path)
                if not paths:
                    del self.where[key]
        if items:
            by_key: dict[Key, Item] = {}
            for item in items:
                by_key.setdefault(item.key, item)  # a duplicate id: the first one, as `check` reports it
            self.files[path] = by_key
            for key in by_key:
                self.where.setdefault(key, []).append(path)

    def items(self) -> Iterator[Item]:
        for key in self.where:
            item = self.item(key)
            if item is not None:
                yield item


class Replay:
    """Walks the first-parent history of `revs`, yielding each commit's item changes.

    `roots` are the plan directories (repository-relative); `log_roots` limit
    what git lists (None: the whole repository, needed when deletions of
    evidence files elsewhere matter).
    """

    def __init__(
        self, git: Git, roots: Sequence[str], only: str | None = None,
        log_roots: Sequence[str] | None = None,
    ) -> None:
        self.git = git
        self.roots = list(roots)
        self.log_roots = self.roots if log_roots is None else list(log_roots)
        self.parser = Parser(only)
        self.ledger = ReplayState()

    def _items(self, path: str, blob: str) -> tuple[Item, ...] | None:
        return self.parser.parse(path, blob, lambda: self.git.blob(blob))

    def start_at(self, rev: str) -> None:
        """Load the ledger as it was at `rev` (the start of a range) without reporting it."""
        from ..tree import GitTree

        sources, _, _ = tree_texts(GitTree(self.git, rev), self.roots)  # what check refuses is not read
        for (path, blob, _), items in zip(sources, self.parser.parse_many(sources)):
            self.ledger.set_file(path, items)

    def steps(self, revs: list[str], batch: int = 500) -> Iterator[CommitStep]:
        """Each commit's step, oldest first; blobs are fetched a batch of commits at a time.

        In a shallow clone, the oldest commit here is where the replay starts
        (its ledger is the starting state, yielded as a step with no changes),
        not a commit that added every item."""
        start = self.git.shallow_start(revs[-1]) if len(revs) == 1 and ".." not in revs[0] else None
        if start is not None:
            self.start_at(start)
            yield CommitStep(next(iter(self.git.log([start, "-1"], paths=(), raw=False))), ())
            revs = [f"{start}..{revs[0]}"]
        pending: list[Commit] = []
        for commit in self.git.log(revs, self.log_roots):
            pending.append(commit)
            if len(pending) >= batch:
                yield from self._apply_batch(pending)
                pending = []
        yield from self._apply_batch(pending)

    def _apply_batch(self, commits: list[Commit]) -> Iterator[CommitStep]:
        """Fetch the batch's new blobs with one request, parse them together, then replay."""
        needed = dict.fromkeys(  # in commit order: each version is read against the one before
            (c.path, c.blob) for commit in commits for c in commit.changes
            if c.status != "D" and c.mode not in NOT_READ and is_plan_file(c.path, self.roots)
            and not self.parser.known(c.path, c.blob)
        )
        fetched = self.git.blobs((blob for _, blob in needed), limit=MAX_FILE_BYTES)
        self.parser.parse_many([(path, blob, fetched[blob]) for path, blob in needed if blob in fetched])
        for commit in commits:
            yield self.apply(commit)

    def apply(self, commit: Commit) -> CommitStep:
        ledger = self.ledger
        touched: dict[Key, Item | None] = {}
        deleted: list[str] = []
        for change in commit.changes:
            if change.status == "D":
                deleted.append(change.path)
            if not is_plan_file(change.path, self.roots):
                continue
            if change.status == "D":
                new: tuple[Item, ...] | None = ()
            elif change.mode in NOT_READ:
                continue  # a link (or submodule) is never read as a plan file: its last readable version stays
            else:
                new = self._items(change.path, change.blob)
                if new is None:
                    continue  # unreadable version: keep the last readable one
            for item in (*ledger.file_items(change.path), *new):
                if item.key not in touched:
                    touched[item.key] = ledger.item(item.key)
            ledger.set_file(change.path, new)
        changes = []
        for key, before in touched.items():
            after = ledger.item(key)
            if before is None and after is None:
                continue
            if before is not None and after is not None and before.values == after.values and before.file == after.file:
                continue
            changes.append(ItemChange(key, before, after, field_changes(before, after)))
        return CommitStep(commit, tuple(changes), tuple(deleted))


def tree_texts(tree: Any, roots: Sequence[str]) -> tuple[list[tuple[str, str | None, str]], list[Any], dict[str, str]]:
    """The plan files under `roots` of a `tree.WorkTree` or `tree.GitTree`, found
    and read as `check` finds and reads them (no FIFO, no link out of the
    repository, the size limit): [(repository path, blob id or None, text)],
    the problems of what was refused, and each path's name in messages."""
    from ..tree import display_path

    top = tree.top
    files, problems = tree.plan_files([top / r if r else top for r in roots])
    problems = [p for p in problems if p.key != "cli.path_missing"]  # no plans there: no items
    entries = getattr(tree, "entries", {})
    sources: list[tuple[str, str | None, str]] = []
    shown: dict[str, str] = {}
    for path in files:
        rel = Path(os.path.abspath(path)).relative_to(top).as_posix()
        if not is_plan_file(rel, roots):
            continue
        shown[rel] = display_path(path)
        text, problem = tree.read(path)
        if problem is not None:
            problems.append(problem)
            continue
        mode, blob = entries.get(rel, ("", None))
        sources.append((rel, blob if mode.startswith("100") else None, text or ""))
    return sorted(sources, key=lambda s: s[0]), problems, shown


def evidence_path(item: Item, evidence: str) -> str | None:
    """A repository-relative path for an evidence entry; None for URLs and paths outside."""
    if "://" in evidence or evidence.startswith("/"):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(item.file), evidence))
    return None if path.startswith("../") or path == ".." else path


def item_filter(plan: str | None) -> Callable[[Item], bool]:
    return (lambda item: True) if plan is None else (lambda item: item.key[0] == plan)
