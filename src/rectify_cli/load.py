"""Finding plan files and loading them into the model.

Discovery reads only regular files inside the repository; each file's text
goes through `yamlsafe` (bytes to nodes, safely) and `reader` (nodes to the
model). Problems are collected across all files, never stopping at the first.
Cross-file rules (ids, references, evidence) live in `validate`.
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import parse_pool, yamlsafe
from .cache import ParseCache, Parsed
from .messages import Ref
from .model import Issue, Plan, Repository, Source, Task
from .problems import Problem, error
from .reader import Reader

PLAN_SUFFIXES = (".yaml", ".yml")
CONFIG_NAME = "rectify.yaml"

_BAD_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _visible_name(name: str) -> str:
    return "".join(repr(c)[1:-1] if _BAD_NAME.match(c) else c for c in name)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Plan files under each path, recursively, in a stable order; hidden entries skipped."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(_walk(path, problems))
        elif path.exists():  # a FIFO, a device, a socket: reading it could block or never end
            problems.append(error(Source(display_path(path)), "load.not_regular", kind=_file_kind(path)))
        else:
            problems.append(error(Source(str(path)), "cli.path_missing", path=str(path)))
    unique = list(dict.fromkeys(found))
    return unique, problems


def _walk(root: Path, problems: list[Problem]) -> Iterator[Path]:
    """Regular files only. os.walk does not enter symlinked directories
    (followlinks=False), so a link loop cannot make it spin; a file that is a
    FIFO or device, or a link leaving the repository, is reported, not read."""
    repo_root: Path | None = None
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(PLAN_SUFFIXES) and not name.startswith(".") and name != CONFIG_NAME:
                path = Path(dirpath) / name
                if _BAD_NAME.search(str(path)):  # a line break in a name would forge output lines
                    problems.append(error(Source(_visible_name(display_path(path))), "load.bad_name"))
                    continue
                if path.is_symlink():
                    if repo_root is None:
                        from .validate import find_root  # validate imports this module

                        repo_root = find_root(root)
                    problem = link_problem(path, repo_root)
                    if problem is not None:
                        problems.append(problem)
                        continue
                elif not path.is_file():
                    problems.append(error(Source(display_path(path)), "load.not_regular", kind=_file_kind(path)))
                    continue
                yield path


def link_problem(path: Path, repo_root: Path) -> Problem | None:
    """A plan file that is a symlink is read only when it leads to a regular file in the repository."""
    src = Source(display_path(path))
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):  # dangling, or a loop
        return error(src, "load.unreadable", reason=Ref("load.bad_link"))
    if target != repo_root and repo_root not in target.parents:
        return error(src, "load.link_outside", target=os.readlink(path))
    if not target.is_file():
        return error(src, "load.not_regular", kind=_file_kind(target))
    return None


def _file_kind(path: Path) -> str:
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return "?"
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "directory")):
        if test(mode):
            return name
    return "?"


def display_path(path: Path) -> str:
    """Paths as the user typed them relative to here: short, clickable in editors."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_files(files: Iterable[Path], cache: ParseCache | None = None) -> tuple[Repository, list[Problem]]:
    """Read plan files from disk."""
    return load_texts(
        ((display_path(path), lambda path=path: yamlsafe.read_text(path, display_path(path))) for path in files), cache
    )


def load_blobs(blobs: Iterable[tuple[str, bytes]], cache: ParseCache | None = None) -> tuple[Repository, list[Problem]]:
    """Read plan files from bytes (e.g. git blobs at some revision), named as given."""
    return load_texts(((name, lambda name=name, data=data: _decode_blob(name, data)) for name, data in blobs), cache)


def _decode_blob(name: str, data: bytes) -> tuple[str | None, Problem | None]:
    if len(data) > yamlsafe.MAX_FILE_BYTES:
        return None, error(Source(name), "load.too_large", size=len(data), limit=yamlsafe.MAX_FILE_BYTES)
    return yamlsafe.decode(data, name)


def load_texts(
    sources: Iterable[tuple[str, Callable[[], tuple[str | None, Problem | None]]]],
    cache: ParseCache | None = None,
) -> tuple[Repository, list[Problem]]:
    """Parse each (name, read) source; with a cache, a file read before is not
    parsed again; many files are parsed on every core (see `parse_pool`)."""
    names: list[str] = []
    problems: list[Problem] = []
    with no_cyclic_gc():
        texts: list[tuple[str, str]] = []
        results: list[tuple[Parsed, list[Problem]] | None] = []
        missing: list[int] = []  # indexes of texts neither unreadable nor cached
        for display, read in sources:
            names.append(display)
            text, problem = read()
            texts.append((display, text or ""))
            if problem is not None:
                results.append((([], [], []), [problem]))
                continue
            hit = cache.get(display, text or "") if cache is not None else None
            results.append((hit, []) if hit is not None else None)
            if hit is None:
                missing.append(len(texts) - 1)
        parsed_now = parse_pool.parse_all([texts[i] for i in missing], parse_text, cache)
        for index, result in zip(missing, parsed_now):
            results[index] = result
        plans: list[Plan] = []
        issues: list[Issue] = []
        tasks: list[Task] = []
        for (file_plans, file_issues, file_tasks), file_problems in results:  # type: ignore[misc]
            plans.extend(file_plans)
            issues.extend(file_issues)
            tasks.extend(file_tasks)
            problems.extend(file_problems)
    return Repository(tuple(plans), tuple(issues), tuple(tasks), tuple(names)), problems


def parse_text(display: str, text: str) -> tuple[Parsed, list[Problem]]:
    """One file's plans, issues and tasks, and the problems found reading it."""
    problems: list[Problem] = []
    parsed: Parsed = ([], [], [])
    root, problem = yamlsafe.compose(text, display)
    if problem is not None:
        return parsed, [problem]
    Reader(display, problems).document(root, *parsed)
    return parsed, problems


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Loading and judging a ledger only allocate, never make cycles worth
    collecting; the cyclic collector rescanning a growing model took half the
    time at 50,000 tasks."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
