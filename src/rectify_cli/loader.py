"""The one loader: a tree's plan files into a validated `Ledger`.

`load` is what every command calls, whatever the files are read from (the
work tree, a git revision, in-memory overrides for an edit being judged; see
`tree`). Each file's bytes go through `textfile` and `yamlsafe` (bytes to nodes, safely) and
`reader` (nodes to the model); then the declared list of cross-file checks in
`validate` runs. Problems are collected across all files, never stopping at
the first. Judging the ledger as of a date is separate: `schedule.evaluate`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from . import cache as parse_cache, incremental, problems as problem_list, textfile
from .cache import ParseCache, Parsed
from .index import BoundIndex, RepositoryIndex
from .config import Config, read_config
from .facts import Columns, ModelColumns
from .memory import no_cyclic_gc
from .values import Source
from .messages import Ref
from .problems import Problem, Severity, error, warning
from .tree import CONFIG_NAME, PLAN_SUFFIXES, Mounted, Tree, WorkTree, display_path, overlay

if TYPE_CHECKING:  # a warm run builds no entity (see `values`)
    from .model import Repository

DEFAULT_PLANS = Path("plans")
__all__ = ["CONFIG_NAME", "PLAN_SUFFIXES", "DEFAULT_PLANS", "Ledger", "load", "load_tree", "display_path"]


@dataclass(frozen=True, slots=True)
class Ledger:
    """Plan files as read and validated: the model, every problem found in
    it (in file order), the repository's settings, and the tree it came from."""

    columns: Columns  # what the judge reads (see `facts`); the model is built from it when asked
    problems: tuple[Problem, ...]
    config: Config
    tree: Tree
    paths: tuple[Path, ...]
    files: Mapping[str, Path]  # display name -> path in the tree
    mounts: tuple = ()  # the other repositories read beside this one (`sources.Mount`)

    @property
    def invalid(self) -> bool:
        return problem_list.invalid(self.problems)

    @property
    def repository(self) -> Repository:
        """The whole model: built when first asked for, when the ledger was read through the index."""
        return self.columns.repository


def load(
    paths: Sequence[Path | str] | Path | str = (),
    *,
    at: str | None = None,
    overrides: Mapping[Path, str] | None = None,
    sources: bool = True,
) -> Ledger:
    """Read and validate the plan files under `paths` (default ./plans): from
    the work tree, or as committed at revision `at` (a revision, or YYYY-MM-DD
    for the last commit on or before that day). `overrides` (path -> text)
    stand in for files, or add new ones, without touching the disk.
    With `sources`, the work tree's plans are read with every source of
    rectify.yaml as last fetched (see `sources`); a revision is read alone.

    Raises `gitread.GitError` for a bad revision or a path outside any
    repository (only with `at`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    chosen = tuple(Path(p) for p in paths) or (DEFAULT_PLANS,)
    if at is None:
        ledger = load_tree(overlay(WorkTree.of(chosen), overrides), chosen)
        return with_sources(ledger) if sources and ledger.config.sources else ledger
    from .gitread import Git
    from .tree import GitTree

    with Git.find(chosen[0]) as git:
        commit = git.resolve(at)
        return load_tree(overlay(GitTree(git, commit.sha), overrides), chosen)


def load_tree(tree: Tree, paths: Sequence[Path]) -> Ledger:
    """The one pipeline: list, read, parse (cached), validate, read settings."""
    files, problems = tree.plan_files(paths)
    if not files and not problems:
        problems.append(error(Source(display_path(paths[0])), "cli.no_files", path=display_path(paths[0])))
    names = {display_path(f): f for f in files}
    cache = parse_cache.configured()
    index = _index(tree, cache)
    bound = index.bound(names, tree.stat_key) if index is not None else None
    with no_cyclic_gc():
        config, config_problems = read_config(tree, paths)
        found = None
        if bound is not None:
            found = incremental.load_indexed(bound, list(names), config, tree, lambda name: tree.read(names[name]),
                                             partial(parse_sources, cache=cache), _reparse(bound, tree, names))
        if found is not None:
            columns: Columns = found[0]
            problems.extend(config_problems)
            problems.extend(found[1])
        else:  # no index, or a file with a problem: read everything, so that every message comes from here
            from .validate import validate  # a run through the index imports it only to validate again

            repo, load_problems = load_texts(
                ((name, lambda path=path: tree.read(path)) for name, path in names.items()), cache)
            problems.extend(load_problems)
            problems.extend(config_problems)
            problems.extend(validate(repo, tree, config))
            columns = ModelColumns(repo)
        if index is not None:
            index.save(names)
            index.release_rows()
    problems.sort(key=lambda p: (p.source.file, p.source.line, p.source.column))
    return Ledger(columns, tuple(problems), config, tree, tuple(paths), names)


def _reparse(index: BoundIndex | None, tree: Tree, names: Mapping[str, Path]) -> Callable[[str], Parsed]:
    """A file's parse, as the index names it; read and parsed again if the cache lost it."""
    def parse(name: str) -> Parsed:
        kept = index.parsed(name) if index is not None else None
        if kept is not None:
            return kept
        text, _ = tree.read(names[name])
        return parse_text(name, text or "")[0]

    return parse


def _index(tree: Tree, cache: ParseCache | None) -> RepositoryIndex | None:
    """The repository index of the work tree as it is on disk; None for anything else (a
    revision, an edit judged in memory, other repositories mounted beside it)."""
    if cache is None or type(tree) is not WorkTree:
        return None
    return RepositoryIndex.open(cache, (str(tree.top), os.getcwd()))


def with_sources(ledger: Ledger) -> Ledger:
    """The ledger read again with each source beside it. A source that cannot be
    read, or whose own files are invalid, is one warning naming it and is left
    out; the rest is still read, and checked together (a plan id in two
    sources is an error naming both files)."""
    from .sources import open_sources

    mounts, problems = open_sources(ledger.config.sources, ledger.tree.top)
    good = []
    for mount in mounts:
        alone = load_tree(mount.tree, [mount.plans])
        errors = [p for p in alone.problems if p.severity is Severity.ERROR]
        if errors:
            first = errors[0]
            problems.append(warning(mount.spec.source, "source.invalid", name=mount.label, n=len(errors),
                                    where=str(first.source), first=Ref(first.key, **first.params)))
        else:
            good.append(mount)
    if good:
        tree = Mounted(ledger.tree, {m.top: m.tree for m in good})
        ledger = load_tree(tree, (*ledger.paths, *(m.plans for m in good)))
    ordered = sorted((*ledger.problems, *problems), key=lambda p: (p.source.file, p.source.line, p.source.column))
    return replace(ledger, problems=tuple(ordered), paths=ledger.paths[: len(ledger.paths) - len(good)], mounts=tuple(good))


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Plan files under each path on disk, with the work tree's refusals."""
    paths = list(paths)
    return WorkTree.of(paths).plan_files(paths)


def load_files(files: Iterable[Path], cache: ParseCache | None = None) -> tuple[Repository, list[Problem]]:
    """Read plan files from disk."""
    return load_texts(
        ((display_path(path), lambda path=path: textfile.read_text(path, display_path(path))) for path in files), cache
    )


def load_blobs(blobs: Iterable[tuple[str, bytes]], cache: ParseCache | None = None) -> tuple[Repository, list[Problem]]:
    """Read plan files from bytes (e.g. git blobs at some revision), named as given."""
    return load_texts(((name, lambda name=name, data=data: _decode_blob(name, data)) for name, data in blobs), cache)


def _decode_blob(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    return textfile.from_bytes(data, name)


def load_texts(
    sources: Iterable[tuple[str, Callable[[], tuple[str | None, Problem | None]]]],
    cache: ParseCache | None = None,
) -> tuple[Repository, list[Problem]]:
    """Parse each (name, read) source into one repository; with a cache, a file read
    before is not parsed again; many files are parsed on every core (see `parse_pool`)."""
    names: list[str] = []
    problems: list[Problem] = []
    parts: tuple[list, ...] = parse_cache.empty()
    for display, _, parsed, file_problems, _ in parse_sources(sources, cache):
        names.append(display)
        for part, found in zip(parts, parsed):
            part.extend(found)
        problems.extend(file_problems)
    plans, issues, tasks, suggestions, outcomes = (tuple(part) for part in parts)
    from .model import Repository

    return Repository(plans, issues, tasks, tuple(names), suggestions, outcomes), problems


def parse_sources(
    sources: Iterable[tuple[str, Callable[[], tuple[str | None, Problem | None]]]],
    cache: ParseCache | None = None,
    rows: Callable[[str, Parsed], bytes] | None = None,
    decode: bool = True,
) -> list[tuple[str, str, Parsed, list[Problem], bytes | None]]:
    """Each (name, read) source as (name, text, parse, problems, rows), in order. `rows`:
    what to make of each clean parse where it is parsed (see `parse_pool`); a parse the
    cache kept has none (None), and neither has a file with problems. `decode`: see
    `parse_pool.parse_all` (a parse may then be bytes)."""
    with no_cyclic_gc():
        texts: list[tuple[str, str]] = []
        results: list[tuple[Parsed, list[Problem], bytes | None] | None] = []
        missing: list[int] = []  # indexes of texts neither unreadable nor cached
        for display, read in sources:
            text, problem = read()
            texts.append((display, text or ""))
            if problem is not None:
                results.append((parse_cache.empty(), [problem], None))
                continue
            hit = cache.get(display, text or "") if cache is not None else None
            results.append((hit, [], None) if hit is not None else None)
            if hit is None:
                missing.append(len(texts) - 1)
        parsed_now = []
        if missing:  # a warm run reads every file from the cache: no pool, not even its imports
            from . import parse_pool

            parsed_now = parse_pool.parse_all([texts[i] for i in missing], parse_text, cache, rows=rows, decode=decode)
        for position, result in zip(missing, parsed_now):
            results[position] = result
    return [(display, text, *result) for (display, text), result in zip(texts, results)]  # type: ignore[misc]


def parse_text(display: str, text: str) -> tuple[Parsed, list[Problem]]:
    """One file's plans, issues, tasks and list entries, and the problems found reading it."""
    problems: list[Problem] = []
    parsed: Parsed = parse_cache.empty()
    from . import yamlsafe  # only when a file is read: a warm run imports no YAML library
    from .reader import Reader

    root, problem = yamlsafe.compose(text, display)
    if problem is not None:
        return parsed, [problem]
    Reader(display, problems).document(root, *parsed)
    return parsed, problems


