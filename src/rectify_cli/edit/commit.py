"""`--commit`: one edit, one commit, holding only the file(s) the edit touched.

The message is structured for people and for the history module:
`rectify: T-04-1 doing → done`, then git trailers (`Rectify-Id`,
`Rectify-Action`, `Rectify-Plan`) that `git interpret-trailers --parse` reads.

Everything that can be known before writing is checked before writing
(`prepare`): the files are in one git repository and carry no other changes
(which the commit would sweep in under our message), git knows who commits,
named evidence is not ignored by git, and git's own `index.lock` is free
(waited for, bounded). After writing, `commit` retries while another git
process holds that lock, and a failure says the file was written and the exact
command that commits it. The commit hash is read from `git commit`'s own
summary line, never from HEAD afterwards (someone else may have committed).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from ..tree import display_path
from ..problems import ProblemError
from . import lock

_AUTHOR = re.compile(r"^\s*([^<>]*[^<>\s])\s*<([^<>\s]*)>\s*$")  # an empty address is allowed
_SUMMARY = re.compile(r"^\[.*? ([0-9a-f]{40}|[0-9a-f]{64})\] ", re.M)
_BUSY = ("index.lock", "cannot lock ref", "unable to lock")
# Stable output to parse; git's own words still reach the user as the reason.
_ENV = {"LC_ALL": "C", "LANGUAGE": "C"}


class GitError(ProblemError):
    """A git command failed: `stderr` is its whole complaint."""

    def __init__(self, command: str, reason: str, stderr: str) -> None:
        super().__init__("edit.git_failed", command=command, reason=reason)
        self.command = command
        self.reason = reason
        self.stderr = stderr


def _git(top: Path, *args: str, check: bool = True, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=top, capture_output=True, text=True,
            encoding="utf-8", errors="replace", env={**os.environ, **_ENV, **(env or {})},
        )
    except OSError as exc:
        raise ProblemError("edit.git_failed", command=args[0], reason=exc.strerror or str(exc)) from None
    if check and result.returncode != 0:
        raise GitError(args[0], _last_line(result.stderr), result.stderr)
    return result


def parse_author(text: str | None) -> tuple[str, str] | None:
    """`--author "Name <email>"` as (name, email); a usage error for anything else
    (git would otherwise search existing authors for a pattern)."""
    if text is None:
        return None
    match = _AUTHOR.match(text)
    if not match:
        raise ProblemError("edit.bad_author", value=text)
    return match.group(1), match.group(2)


@dataclass(frozen=True, slots=True)
class Plan:
    """What `commit` needs, all checked before the first byte is written."""

    top: Path
    names: tuple[str, ...]  # repository-relative, ledger files then evidence
    author: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


def toplevel(path: Path) -> Path:
    where = path.resolve().parent
    while not where.exists():
        where = where.parent
    result = _git(where, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise ProblemError("edit.not_git", file=str(path))
    return Path(result.stdout.strip()).resolve()


def precheck(paths: Sequence[Path]) -> Path:
    """The repository to commit in; refuses when the files have changes of their own."""
    tops = {toplevel(p) for p in paths}
    if len(tops) != 1:
        raise ProblemError("edit.many_repos", files=", ".join(str(p) for p in paths))
    top = tops.pop()
    names = [_relative(top, p) for p in paths]
    staged = _git(top, "diff", "--cached", "--name-only", "--", *names).stdout.split("\n")
    unstaged = _git(top, "diff", "--name-only", "--", *names).stdout.split("\n")
    dirty = [n for n in dict.fromkeys([*staged, *unstaged]) if n.strip()]
    if dirty:
        raise ProblemError("edit.dirty", files=", ".join(dirty))
    return top


def prepare(paths: Sequence[Path], evidence: Sequence[Path] = (), author: str | None = None) -> Plan:
    """Everything `commit` will need, checked now: nothing is written yet."""
    top = precheck(paths)
    extra = [_relative(top, p) for p in evidence]
    ignored = [n for n in extra if _git(top, "check-ignore", "-q", "--", n, check=False).returncode == 0]
    if ignored:
        raise ProblemError("edit.evidence_ignored", files=", ".join(ignored))
    env = _identity(top, parse_author(author))
    wait_for_index(top)
    names = tuple(dict.fromkeys([*(_relative(top, p) for p in paths), *extra]))
    return Plan(top, names, author.strip() if author else None, env)


def _identity(top: Path, author: tuple[str, str] | None) -> dict[str, str]:
    """Refuse now if git could not say who commits. A given author commits too when
    git knows nobody (a fresh machine, a CI runner): that is who is sending the edit."""
    env: dict[str, str] = {}
    committer = _git(top, "var", "GIT_COMMITTER_IDENT", check=False)
    if committer.returncode != 0:
        if author is None:
            raise ProblemError("edit.no_identity", reason=_last_line(committer.stderr))
        env = {"GIT_COMMITTER_NAME": author[0], "GIT_COMMITTER_EMAIL": author[1]}
    if author is None:
        writer = _git(top, "var", "GIT_AUTHOR_IDENT", check=False)
        if writer.returncode != 0:
            raise ProblemError("edit.no_identity", reason=_last_line(writer.stderr))
    return env


def wait_for_index(top: Path) -> None:
    """Wait (bounded) while another git process holds the index; refuse if it stays."""
    path = Path(_git(top, "rev-parse", "--git-path", "index.lock").stdout.strip())
    path = path if path.is_absolute() else top / path
    wait = lock.timeout()
    deadline = time.monotonic() + wait
    attempt = 0
    while os.path.lexists(path):
        if time.monotonic() >= deadline:
            raise ProblemError("edit.git_locked", lock=display_path(path), seconds=f"{wait:g}")
        lock.pause(attempt)
        attempt += 1


def message(item: str, plan: str, action: str, subject: str, reason: str = "") -> str:
    return _subject(item, subject) + "\n\n" + "".join(f"{k}: {v}\n" for k, v in _trailers(item, plan, action, reason))


def _subject(item: str, subject: str) -> str:
    return " ".join(f"rectify: {item} {subject}".split())


def _trailers(item: str, plan: str, action: str, reason: str) -> list[tuple[str, str]]:
    trailers = [("Rectify-Id", item), ("Rectify-Plan", plan), ("Rectify-Action", action)]
    if reason.strip():
        trailers.append(("Rectify-Reason", " ".join(reason.split())))
    return trailers


def commit(plan: Plan, item: str, plan_id: str, action: str, subject: str, reason: str = "") -> str:
    """Stage and commit exactly the plan's files (`git commit -- paths` leaves the rest
    of the index alone); the full hash of the commit made. The files are already
    written: a failure says so, and what to run."""
    text = message(item, plan_id, action, subject, reason)
    return commit_text(plan, text, fix_command(plan, item, plan_id, action, subject, reason))


def commit_text(plan: Plan, text: str, fix: str | None = None) -> str:
    """Commit the plan's files with the message `text`; `fix` is the command a
    failure tells the user to run (by default, a plain add and commit)."""
    author = ["--author", plan.author] if plan.author else []
    try:
        _retrying(plan, "add", "--", *plan.names)
        done = _retrying(plan, "-c", "core.abbrev=no", "commit", "--no-edit", *author, "-m", text, "--", *plan.names)
    except GitError as exc:
        raise ProblemError("edit.not_committed", files=", ".join(plan.names), command=exc.command,
                           reason=exc.reason, fix=fix or _plain_fix(plan)) from None
    found = _SUMMARY.search(done.stdout)
    if found is None:  # a hook or a git that prints no summary: the commit exists, its hash is unknown
        raise ProblemError("edit.commit_unknown", files=", ".join(plan.names))
    return found.group(1)


def _retrying(plan: Plan, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git, again while another git process holds a lock it needs (bounded)."""
    command = next(a for a in args if not a.startswith("-") and "=" not in a)
    deadline = time.monotonic() + lock.timeout()
    attempt = 0
    while True:
        result = _git(plan.top, *args, check=False, env=plan.env)
        if result.returncode == 0:
            return result
        if not any(mark in result.stderr for mark in _BUSY) or time.monotonic() >= deadline:
            raise GitError(command, _last_line(result.stderr), result.stderr)
        lock.pause(attempt)
        attempt += 1


def fix_command(plan: Plan, item: str, plan_id: str, action: str, subject: str, reason: str = "") -> str:
    """One shell line that commits the written files as rectify would have."""
    names = " ".join(shlex.quote(n) for n in plan.names)
    git = "git" if Path.cwd().resolve() == plan.top else f"git -C {shlex.quote(str(plan.top))}"
    author = f" --author {shlex.quote(plan.author)}" if plan.author else ""
    trailers = "".join(f" --trailer {shlex.quote(f'{k}: {v}')}" for k, v in _trailers(item, plan_id, action, reason))
    return (f"{git} add -- {names} && {git} commit{author} -m {shlex.quote(_subject(item, subject))}"
            f"{trailers} -- {names}")


def _plain_fix(plan: Plan) -> str:
    names = " ".join(shlex.quote(n) for n in plan.names)
    git = "git" if Path.cwd().resolve() == plan.top else f"git -C {shlex.quote(str(plan.top))}"
    author = f" --author {shlex.quote(plan.author)}" if plan.author else ""
    return f"{git} add -- {names} && {git} commit{author} -- {names}"


def _last_line(stderr: str) -> str:
    """git's own one-line reason: its first `fatal:`/`error:` line (advice follows it),
    else the last line it printed."""
    lines = [line.strip() for line in stderr.strip().splitlines() if line.strip()] or ["?"]
    for line in lines:
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line[len(prefix):]
    return lines[-1]


def _relative(top: Path, path: Path) -> str:
    real = path.resolve()
    try:
        return real.relative_to(top).as_posix()
    except ValueError:
        raise ProblemError("edit.not_git", file=str(path)) from None
