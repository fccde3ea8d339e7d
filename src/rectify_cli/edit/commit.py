"""`--commit`: one edit, one commit, holding only the file(s) the edit touched.

The message is structured for people and for the history module:
`rectify: T-04-1 doing → done`, then git trailers (`Rectify-Id`,
`Rectify-Action`, `Rectify-Plan`) that `git interpret-trailers --parse` reads.
Checked before anything is written: the files must be in one git repository
and must not carry other changes (staged or not), which the commit would
otherwise sweep in under our message.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Sequence

from ..problems import ProblemError


def _git(top: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=top, capture_output=True, text=True,
            encoding="utf-8", errors="replace",
        )
    except OSError as exc:
        raise ProblemError("edit.git_failed", command=args[0], reason=exc.strerror or str(exc)) from None
    if check and result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["?"])[-1]
        raise ProblemError("edit.git_failed", command=args[0], reason=reason)
    return result


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


def message(item: str, plan: str, action: str, subject: str, reason: str = "") -> str:
    trailers = f"Rectify-Id: {item}\nRectify-Plan: {plan}\nRectify-Action: {action}\n"
    if reason.strip():
        trailers += f"Rectify-Reason: {' '.join(reason.split())}\n"
    return " ".join(f"rectify: {item} {subject}".split()) + "\n\n" + trailers


def commit(top: Path, paths: Sequence[Path], text: str, author: str | None = None) -> str:
    """Stage and commit exactly `paths` (`git commit -- paths` leaves the rest of the index alone);
    `author` ("Name <email>") records who sent the change, e.g. the unit that returned a ledger."""
    names = [_relative(top, p) for p in paths]
    _git(top, "add", "--", *names)
    who = ["--author", author] if author else []
    _git(top, "commit", "--quiet", "--no-edit", *who, "-m", text, "--", *names)
    return _git(top, "rev-parse", "HEAD").stdout.strip()


def _relative(top: Path, path: Path) -> str:
    real = path.resolve()
    try:
        return real.relative_to(top).as_posix()
    except ValueError:
        raise ProblemError("edit.not_git", file=str(path)) from None
