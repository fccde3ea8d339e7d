"""Reading a git repository with a few long-running processes.

History commands must stay fast on repositories with thousands of commits, so
git is never started once per commit: one `git log --raw -z` streams every
commit with the blob ids of the files it changed, and one `git cat-file
--batch` serves all blob contents. git always gets an argument list (never a
shell), `core.quotepath=off` so Chinese paths come through as they are, and
`GIT_OPTIONAL_LOCKS=0` so reading never takes locks or rewrites the index of
a work tree someone is editing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from .problems import MessageError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRAILER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$")
_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = _RECORD + _FIELD.join(["%H", "%P", "%an", "%ae", "%aI", "%cI", "%B"]) + _FIELD
NULL_SHA = "0" * 40


class GitError(MessageError):
    """A git problem the user can fix (not a repository, unknown revision...)."""


@dataclass(frozen=True, slots=True)
class FileChange:
    """One line of `git log --raw`: what happened to one path in one commit."""

    status: str  # A, M, D, T (renames are off: a move is a delete plus an add)
    path: str
    blob: str  # the new blob; NULL_SHA when deleted
    mode: str = "100644"  # the new mode: 120000 is a symbolic link, 160000 a submodule



@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    author_date: dt.datetime
    commit_date: dt.datetime
    message: str
    changes: tuple[FileChange, ...] = ()
    trailers: Mapping[str, str] = field(default_factory=dict)

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0]

    @property
    def body(self) -> str:
        """The message without subject and trailers: free text a person wrote."""
        paragraphs = self.message.strip().split("\n\n")[1:]
        if paragraphs and all(_TRAILER.match(line) for line in paragraphs[-1].splitlines()):
            paragraphs = paragraphs[:-1]
        return "\n\n".join(paragraphs).strip()


def parse_trailers(message: str) -> dict[str, str]:
    """`Key: value` lines of the message's last paragraph (git's trailer block)."""
    paragraphs = message.strip().split("\n\n")
    if len(paragraphs) < 2:
        return {}
    found: dict[str, str] = {}
    for line in paragraphs[-1].splitlines():
        match = _TRAILER.match(line.strip())
        if not match:
            return {}
        found.setdefault(match[1].lower(), match[2].strip())
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env.setdefault("LC_ALL", "C")  # git's own messages are parsed, never shown
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


class Git:
    """One repository: its top directory and the git processes that read it."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self._blobs: BlobReader | None = None
        self._shallow: bool | None = None

    @classmethod
    def find(cls, start: Path) -> "Git":
        """The repository containing `start`, or GitError("history.not_a_repo")."""
        start = start.resolve()
        where = start if start.is_dir() else start.parent
        while not where.exists():
            where = where.parent
        try:
            out = _run(["rev-parse", "--show-toplevel"], where)
        except GitError:
            raise GitError("history.not_a_repo", path=str(start)) from None
        return cls(Path(out.decode("utf-8", "replace").strip()))

    def run(self, *args: str) -> bytes:
        return _run(list(args), self.top)

    # -- revisions ------------------------------------------------------
    def verify(self, rev: str) -> str:
        """The full commit id of `rev`, or GitError("history.bad_rev")."""
        if not rev or rev.startswith("-"):
            raise GitError("history.bad_rev", rev=rev)
        try:
            return self.run("rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}").decode().strip()
        except GitError:
            raise GitError("history.bad_rev", rev=rev) from None

    def resolve(self, rev_or_date: str) -> Commit:
        """A revision, or for YYYY-MM-DD the last commit of HEAD's first-parent
        line committed on or before that day (in the committer's own time zone,
        which is the date people see in `git log`)."""
        text = rev_or_date.strip()
        if _DATE.match(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise GitError("history.bad_rev", rev=text) from None
            for commit in self.log(["HEAD"], paths=(), raw=False, reverse=False):
                if commit.commit_date.date() <= day:
                    return commit
            raise GitError("history.no_commit_before", date=text)
        sha = self.verify(text)
        return next(iter(self.log([sha, "-1"], paths=(), raw=False, reverse=False)))

    def head(self) -> str | None:
        try:
            return self.verify("HEAD")
        except GitError:
            return None

    # -- trees and blobs ------------------------------------------------
    def tree(self, rev: str, paths: Iterable[str] = ()) -> dict[str, str]:
        """path → blob id of every file at `rev` (under `paths` when given)."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", rev, "--", *_pathspecs(paths))
        files: dict[str, str] = {}
        for entry in out.split(b"\0"):
            if not entry:
                continue
            meta, _, path = entry.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                files[path.decode("utf-8", "surrogateescape")] = parts[2].decode()
        return files

    def entries(self, rev: str) -> dict[str, tuple[str, str]]:
        """path → (mode, blob id) of every blob at `rev`: links (120000) included,
        so a tree reader can follow them inside the revision or refuse them."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", rev)
        files: dict[str, tuple[str, str]] = {}
        for entry in out.split(b"\0"):
            meta, _, path = entry.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                files[path.decode("utf-8", "surrogateescape")] = (parts[0].decode(), parts[2].decode())
        return files

    def is_shallow(self) -> bool:
        """Whether this clone holds only part of the history (`git clone --depth`):
        its oldest commits then look as if they had created the whole ledger."""
        if self._shallow is None:
            self._shallow = self.run("rev-parse", "--is-shallow-repository").strip() == b"true"
        return self._shallow

    def shallow_start(self, rev: str = "HEAD") -> str | None:
        """In a shallow clone, the oldest commit of `rev`'s first-parent line
        that is here (its parents were not fetched); None in a full clone."""
        if not self.is_shallow():
            return None
        roots = self.run("rev-list", "--first-parent", "--max-parents=0", rev, "--").split()
        return roots[-1].decode() if roots else None

    def blob(self, sha: str) -> bytes:
        if self._blobs is None:
            self._blobs = BlobReader(self.top)
        return self._blobs.read(sha)

    def blobs(self, shas: Iterable[str], limit: int | None = None) -> dict[str, bytes]:
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return {}
        if self._blobs is None:
            self._blobs = BlobReader(self.top)
        return self._blobs.read_many(wanted, limit)

    def close(self) -> None:
        if self._blobs is not None:
            self._blobs.close()
            self._blobs = None

    def __enter__(self) -> "Git":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- history --------------------------------------------------------
    def log(
        self, revs: list[str], paths: Iterable[str] = (), raw: bool = True, reverse: bool = True
    ) -> Iterator[Commit]:
        """Commits of the first-parent line, streamed from one `git log` process.

        First parent only: the ledger's history is what the main line said
        from one commit to the next; a merge counts as one change against the
        line it was merged into (so its author is whoever merged it).
        """
        args = ["-c", "core.quotepath=off", "log", "--first-parent", "-z", f"--format={_FORMAT}"]
        if raw:
            args += ["--raw", "--no-abbrev", "--no-renames", "--diff-merges=first-parent"]
        if reverse:
            args.append("--reverse")
        args += [*revs, "--", *_pathspecs(paths)]
        proc = subprocess.Popen(
            ["git", *args], cwd=self.top, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert proc.stdout is not None
        pending = b""
        try:
            while True:
                chunk = proc.stdout.read(1 << 16)
                if not chunk:
                    break
                records = (pending + chunk).split(_RECORD.encode())
                pending = records.pop()
                for record in records:
                    if record:
                        yield _parse_record(record)
            if pending:
                yield _parse_record(pending)
        finally:
            proc.stdout.close()
            stderr = proc.stderr.read() if proc.stderr else b""
            code = proc.wait()
        if code != 0:
            raise GitError("history.git_failed", reason=_first_line(stderr))


def _pathspecs(paths: Iterable[str]) -> list[str]:
    """Repository-relative paths as literal pathspecs anchored at the top."""
    return [f":(top,literal){p}" if p not in ("", ".") else ":(top)" for p in paths]


def _first_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "git failed"


def _run(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=_env(), capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("history.no_git") from None
    if done.returncode != 0:
        raise GitError("history.git_failed", reason=_first_line(done.stderr))
    return done.stdout


def _parse_record(record: bytes) -> Commit:
    fields = record.split(_FIELD.encode(), 7)
    sha, parents, author, email, adate, cdate, message = (f.decode("utf-8", "replace") for f in fields[:7])
    rest = fields[7] if len(fields) > 7 else b""
    changes: list[FileChange] = []
    tokens = rest.lstrip(b"\0\n").split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].strip(b"\n")
        if token.startswith(b":") and i + 1 < len(tokens):
            meta = token[1:].split()
            status = meta[4][:1].decode()
            path = tokens[i + 1].decode("utf-8", "surrogateescape")
            changes.append(FileChange(status, path, meta[3].decode(), meta[1].decode()))
            i += 2
        else:
            i += 1
    return Commit(
        sha=sha, parents=tuple(parents.split()), author=author, email=email,
        author_date=dt.datetime.fromisoformat(adate), commit_date=dt.datetime.fromisoformat(cdate),
        message=message, changes=tuple(changes), trailers=parse_trailers(message),
    )


class Oversize(bytes):
    """Stands for a blob too large to read; `size` says how large."""

    def __new__(cls, size: int) -> "Oversize":
        made = super().__new__(cls)
        made.size = size  # type: ignore[attr-defined]
        return made


class BlobReader:
    """One `git cat-file --batch` process answering blob requests one by one."""

    def __init__(self, top: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=top, env=_env(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )

    def read(self, sha: str) -> bytes:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(sha.encode() + b"\n")
        self.proc.stdin.flush()
        header = self.proc.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            raise GitError("history.git_failed", reason=f"missing object {sha}")
        size = int(header[2])
        data = self.proc.stdout.read(size)
        self.proc.stdout.read(1)  # the newline after each object
        return data

    def read_many(self, shas: list[str], limit: int | None = None) -> dict[str, bytes]:
        """Many blobs at once: requests are written by a thread while answers are
        read, so the cost is git's throughput, not one round trip per blob.
        A blob over `limit` bytes is skipped unread and answered as `Oversize`."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        stdin, stdout = self.proc.stdin, self.proc.stdout

        def write() -> None:
            stdin.write(b"".join(sha.encode() + b"\n" for sha in shas))
            stdin.flush()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        found: dict[str, bytes] = {}
        for sha in shas:
            header = stdout.readline().split()
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            if limit is not None and size > limit:
                while size > 0:
                    size -= len(stdout.read(min(size, 1 << 20)) or b"\0" * size)
                found[sha] = Oversize(int(header[2]))
            else:
                found[sha] = stdout.read(size)
            stdout.read(1)
        writer.join()
        return found

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        if self.proc.stdout:
            self.proc.stdout.close()
        self.proc.wait()
