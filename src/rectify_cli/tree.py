"""Where plan files are read from: the work tree, or a git revision, either with
in-memory overrides.

Every command reads the ledger through a `Tree`, so every kind of tree refuses
the same things the same way: only regular files, nothing reached through a link
that leads out of the repository, nothing larger than `textfile.MAX_FILE_BYTES`.
A tree hands out `Path`s under its top directory; a git tree's paths name blobs,
never files on disk, so the work tree (and anybody's uncommitted edits in it)
is never touched when reading a revision.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from pathlib import Path, PurePosixPath
from typing import Iterator, Mapping, Protocol, Sequence

from . import textfile
from .messages import Ref
from .values import Source
from .problems import Problem, error

PLAN_SUFFIXES = (".yaml", ".yml")
CONFIG_NAME = "rectify.yaml"  # the repository's settings; never a plan file
TEMP_MARK = ".rectify-tmp"  # atomic writes' temporaries are never plan files

_BAD_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Tree(Protocol):
    """What the loader needs of a place that holds plan files."""

    top: Path  # the repository's top directory

    def plan_files(self, paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
        """Plan files under each path, in a stable order, and what was refused."""

    def read(self, path: Path) -> tuple[str | None, Problem | None]:
        """A file's text, or one problem saying why it cannot be read."""

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        """Where a relative path named in `file` leads: ("found" | "missing" |
        "outside" | "bad", reason). Only paths inside the file's repository count."""

    def config_file(self, paths: Sequence[Path]) -> Path | None:
        """The rectify.yaml that governs `paths`: nearest at or above the first one."""


def display_path(path: Path) -> str:
    """Paths as the user typed them relative to here: short, clickable in editors."""
    if isinstance(path, PurePosixPath) and os.sep == "/":
        text = str(path)
        # a relative pure path is already normal (pathlib drops "." parts and repeated
        # slashes), and relpath is lexical: without ".." it gives the same text back
        if not text.startswith("/") and ".." not in text:
            return text
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def visible_name(name: str) -> str:
    return "".join(repr(c)[1:-1] if _BAD_NAME.match(c) else c for c in name)


def is_plan_name(name: str) -> bool:
    return name.endswith(PLAN_SUFFIXES) and not name.startswith(".") and name != CONFIG_NAME


def find_root(path: Path) -> Path:
    """The repository a plans path belongs to: nearest ancestor with rectify.yaml or .git."""
    start = path.resolve()
    if start.is_file():
        start = start.parent
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_NAME).is_file() or (candidate / ".git").exists():
            return candidate
    cwd = Path.cwd().resolve()
    return cwd if start == cwd or cwd in start.parents else start


# -- the work tree --------------------------------------------------------
class WorkTree:
    """Files on disk, as `check` has always read them. Several plans paths may
    belong to several repositories: each file belongs to the deepest one."""

    def __init__(self, roots: Sequence[Path]) -> None:
        self.roots = tuple(dict.fromkeys(r.resolve() for r in roots))
        self.top = self.roots[0]

    @classmethod
    def of(cls, paths: Sequence[Path]) -> "WorkTree":
        roots = [find_root(p) for p in paths if p.exists()] or [find_root(Path.cwd())]
        return cls(roots)

    def root_of(self, file: Path) -> Path:
        file = file.resolve()
        for root in sorted(self.roots, key=lambda r: len(r.parts), reverse=True):
            if root == file or root in file.parents:
                return root
        return find_root(file)

    def plan_files(self, paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
        found: list[Path] = []
        problems: list[Problem] = []
        for path in paths:
            if path.is_symlink() and path.suffix in PLAN_SUFFIXES:
                refused = link_problem(path, self.root_of(path.parent))
                if refused is not None:
                    problems.append(refused)
                    continue
            if path.is_file():
                found.append(path)
            elif path.is_dir():
                found.extend(self._walk(path, problems))
            elif path.exists():  # a FIFO, a device, a socket: reading it could block or never end
                problems.append(error(Source(display_path(path)), "load.not_regular", kind=file_kind(path)))
            else:
                problems.append(error(Source(str(path)), "cli.path_missing", path=str(path)))
        return list(dict.fromkeys(found)), problems

    def _walk(self, root: Path, problems: list[Problem]) -> Iterator[Path]:
        """Regular files only, in name order, each directory's files before its
        subdirectories (as `os.walk` lists them). A symlinked directory is never
        entered, so a link loop cannot make it spin, and a stack, not recursion, goes
        down, so no depth can; a file that is a FIFO or device, or a link leaving the
        repository, is reported, not read. A directory entry says what it is without
        a system call per file on most file systems."""
        stack = [root]
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as listing:
                    entries = sorted(listing, key=lambda entry: entry.name)
            except OSError:  # unreadable, or gone: as os.walk, nothing to list
                continue
            below = []
            for entry in entries:
                try:
                    is_directory = entry.is_dir()
                except OSError:
                    is_directory = False
                if is_directory:
                    if not entry.name.startswith(".") and not entry.is_symlink():
                        below.append(directory / entry.name)
                    continue
                if not is_plan_name(entry.name) or TEMP_MARK in entry.name:
                    continue
                path = directory / entry.name
                if _BAD_NAME.search(str(path)):  # a line break in a name would forge output lines
                    problems.append(error(Source(visible_name(display_path(path))), "load.bad_name"))
                    continue
                if entry.is_symlink():
                    problem = link_problem(path, self.root_of(root))
                    if problem is not None:
                        problems.append(problem)
                        continue
                elif not entry.is_file(follow_symlinks=False):
                    problems.append(error(Source(display_path(path)), "load.not_regular", kind=file_kind(path)))
                    continue
                yield path
            stack.extend(reversed(below))

    def read(self, path: Path) -> tuple[str | None, Problem | None]:
        return textfile.read_text(path, display_path(path))

    def stat_key(self, path: Path) -> tuple[int, ...] | None:
        """A file's stat data for the repository index (only the work tree has one)."""
        from .index import stat_key

        return stat_key(path)

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        root = self.root_of(file)
        try:
            target = (file.parent / entry).resolve()
            inside = target == root or root in target.parents
            exists = inside and target.exists()
        except (OSError, ValueError, RuntimeError) as exc:  # NUL byte, name too long, symlink loop
            reason = "symlink loop" if isinstance(exc, RuntimeError) else getattr(exc, "strerror", None) or str(exc)
            return "bad", reason
        return ("found" if exists else "missing", None) if inside else ("outside", None)

    def config_file(self, paths: Sequence[Path]) -> Path | None:
        path = self.top / CONFIG_NAME
        return path if path.is_file() or path.is_symlink() else None

    def config_problem(self, path: Path) -> Problem | None:
        """rectify.yaml is never read through a link out of the repository."""
        return link_problem(path, self.top) if path.is_symlink() else None


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
        return error(src, "load.not_regular", kind=file_kind(target))
    return None


def file_kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "?"
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"), (stat.S_ISDIR, "directory")):
        if test(mode):
            return name
    return "?"


# -- a git revision -------------------------------------------------------
_LINK_MODE = "120000"
_MAX_LINK_HOPS = 40


class GitTree:
    """The files of one commit, read from git objects (`git cat-file --batch`).

    A symlink committed to git is followed inside the revision's own tree, the
    way the work tree's would be, and refused when it leads out of it; a
    submodule or anything else that is not a blob is not a file.
    """

    def __init__(self, git, sha: str) -> None:  # git: gitread.Git
        self.git = git
        self.sha = sha
        self.top = git.top.resolve()
        self.entries: dict[str, tuple[str, str]] = git.entries(sha)  # path -> (mode, blob)
        self._dirs = {d for p in self.entries for d in _parents(p)}

    def _rel(self, path: Path) -> str:
        rel = Path(os.path.abspath(path)).relative_to(self.top).as_posix()
        return "" if rel == "." else rel

    def plan_files(self, paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
        found: list[Path] = []
        problems: list[Problem] = []
        for path in paths:
            try:
                root = self._rel(path)
            except ValueError:
                problems.append(error(Source(str(path)), "cli.path_missing", path=str(path)))
                continue
            if root in self.entries:
                found.append(self.top / root)
                continue
            if root and root not in self._dirs:
                problems.append(error(Source(str(path)), "cli.path_missing", path=str(path)))
                continue
            prefix = root + "/" if root else ""
            for name in sorted(self.entries):
                if not name.startswith(prefix):
                    continue
                parts = name[len(prefix):].split("/")
                if any(p.startswith(".") for p in parts[:-1]) or not is_plan_name(parts[-1]) or TEMP_MARK in parts[-1]:
                    continue
                if _BAD_NAME.search(name):
                    problems.append(error(Source(visible_name(display_path(self.top / name))), "load.bad_name"))
                    continue
                found.append(self.top / name)
        return list(dict.fromkeys(found)), problems

    def _blob(self, rel: str, shown: str) -> tuple[str | None, Problem | None]:
        """The blob a path names, following links within the revision."""
        for _ in range(_MAX_LINK_HOPS):
            entry = self.entries.get(rel)
            if entry is None:
                return None, error(Source(shown), "load.unreadable", reason=Ref("load.bad_link"))
            mode, sha = entry
            if mode != _LINK_MODE:
                if not mode.startswith("100"):
                    return None, error(Source(shown), "load.not_regular", kind="?")
                return sha, None
            target = self.git.blob(sha).decode("utf-8", "surrogateescape")
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))
            if target.startswith("/") or joined == ".." or joined.startswith("../"):
                return None, error(Source(shown), "load.link_outside", target=target)
            rel = joined
        return None, error(Source(shown), "load.unreadable", reason=Ref("load.bad_link"))

    def read(self, path: Path) -> tuple[str | None, Problem | None]:
        shown = display_path(path)
        sha, problem = self._blob(self._rel(path), shown)
        if problem is not None:
            return None, problem
        return textfile.from_bytes(self.git.blob(sha), shown)

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        if "\0" in entry:
            return "bad", "NUL"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self._rel(file)), entry))
        if target == ".." or target.startswith("../"):
            return "outside", None
        return ("found" if target in self.entries or target in self._dirs or target == "." else "missing"), None

    def config_file(self, paths: Sequence[Path]) -> Path | None:
        try:
            base = self._rel(paths[0]) if paths else ""
        except ValueError:
            base = ""
        for directory in (base, *_parents(base)):
            candidate = posixpath.join(directory, CONFIG_NAME) if directory else CONFIG_NAME
            if candidate in self.entries:
                return self.top / candidate
        return None

    def config_problem(self, path: Path) -> Problem | None:
        return self._blob(self._rel(path), display_path(path))[1]


def _parents(path: str) -> Iterator[str]:
    while path:
        path = posixpath.dirname(path)
        yield path


# -- overrides ------------------------------------------------------------
class Overlay:
    """Another tree with some files replaced or added in memory: an edit is
    judged this way before anything is written."""

    def __init__(self, base: Tree, texts: Mapping[Path, str]) -> None:
        self.base = base
        self.top = base.top
        self.texts = {Path(os.path.abspath(p)): t for p, t in texts.items()}

    def plan_files(self, paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
        files, problems = self.base.plan_files(paths)
        known = {Path(os.path.abspath(f)) for f in files}
        return files + [p for p in self.texts if p not in known], problems

    def read(self, path: Path) -> tuple[str | None, Problem | None]:
        text = self.texts.get(Path(os.path.abspath(path)))
        return (text, None) if text is not None else self.base.read(path)

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        return self.base.look_up(file, entry)

    def config_file(self, paths: Sequence[Path]) -> Path | None:
        return self.base.config_file(paths)

    def config_problem(self, path: Path) -> Problem | None:
        return self.base.config_problem(path)


def overlay(base: Tree, texts: Mapping[Path, str] | None) -> Tree:
    return Overlay(base, texts) if texts else base


# -- other repositories beside this one -------------------------------------
class Mounted:
    """The local tree with other trees shown under folders of their own (each
    source's `name@commit`): one ledger read from several repositories. Each
    path is served by the tree it is under, with that tree's refusals."""

    def __init__(self, base: Tree, mounts: Mapping[Path, Tree]) -> None:
        self.base = base
        self.top = base.top
        self.mounts = dict(mounts)

    def _tree(self, path: Path) -> Tree:
        path = Path(os.path.abspath(path))
        for top, tree in self.mounts.items():
            if path == top or top in path.parents:
                return tree
        return self.base

    def plan_files(self, paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
        found: list[Path] = []
        problems: list[Problem] = []
        for path in paths:
            files, refused = self._tree(path).plan_files([path])
            found.extend(files)
            problems.extend(refused)
        return list(dict.fromkeys(found)), problems

    def read(self, path: Path) -> tuple[str | None, Problem | None]:
        return self._tree(path).read(path)

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        return self._tree(file).look_up(file, entry)

    def config_file(self, paths: Sequence[Path]) -> Path | None:
        return self.base.config_file(paths)

    def config_problem(self, path: Path) -> Problem | None:
        return self.base.config_problem(path)

    def root_of(self, file: Path) -> Path:
        tree = self._tree(file)
        root_of = getattr(tree, "root_of", None)
        return root_of(file) if root_of is not None else tree.top
