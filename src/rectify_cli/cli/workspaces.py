"""The ledger a read command works on: the work tree as of a day, or the tree as
committed at a revision (`--at`, `--since`), and git history in full.

Shared by `check`, `status`, `report` and the history commands; it sits above
`common` and below every command, so no command module imports another.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

from ..messages import text
from .common import EXIT_INVALID, err, fail_usage, fail_with, parse_date_option, paths_or_default

def open_or_exit(paths, as_of: Optional[str], lang: str, at: Optional[str] = None, allow_shallow: bool = False):
    """Open the workspace (as committed at `at`, if given), or stop with a pointer
    to `rectify check` when the files are invalid."""
    from ..workspace import open_workspace

    if at is not None:
        ws = workspace_at(paths_or_default(paths), as_of, at, lang, allow_shallow)
    else:
        ws = open_workspace(paths_or_default(paths), parse_date_option(as_of, "--as-of", lang))
    refuse_invalid(ws, lang)
    return ws


def refuse_invalid(opened, lang: str) -> None:
    """Say which sources were read; stop with a pointer to `rectify check` when the files
    are invalid. `opened`: a workspace, or what `status` shows (`standing.Standing`)."""
    source_notes(opened, lang, problems=True)
    if opened.invalid:
        from ..problems import Severity
        from ..render.check import problem_line

        errors = [p for p in opened.problems if p.severity is Severity.ERROR]
        for problem in errors[:20]:
            err(problem_line(problem, lang))
        err(f"rectify: {text('status.invalid', lang, n=len(errors))}")
        raise SystemExit(EXIT_INVALID)


def source_notes(opened, lang: str, problems: bool = False) -> None:
    """On stderr: which commit of each source was read, and (for commands that do
    not list problems themselves) each source that was not. `opened`: a workspace, what
    `check` found (`findings.Findings`) or what `status` shows (`standing.Standing`):
    anything with its ledger and problems."""
    if opened.ledger.mounts:  # most ledgers read no source: then nothing of git is imported
        from ..sources import redact

        for mount in opened.ledger.mounts:
            err(f"rectify: {text('source.reading', lang, label=mount.label, url=redact(mount.spec.url))}")
    if problems:
        for problem in source_problems(opened):
            err(f"rectify: {problem.render(lang)}")


def source_histories(paths: Optional[List[Path]], lang: str):
    """For the history commands: each fetched source as (label, Git of its cached
    clone, its plans folder, pinned commit). Those not fetched are said on stderr."""
    from ..config import read_config
    from ..gitread import Git
    from ..sources import open_sources
    from ..tree import WorkTree

    chosen = paths_or_default(paths)
    tree = WorkTree.of(chosen)
    config, _ = read_config(tree, chosen)
    mounts, problems = open_sources(config.sources, tree.top)
    for problem in problems:
        err(f"rectify: {problem.render(lang)}")
    return [(m.label, Git(m.tree.git.top), m.spec.path if m.spec.path != "." else "", m.sha) for m in mounts]


def source_problems(opened) -> list:
    return [p for p in opened.problems if p.key.startswith("source.")]


def workspace_at(paths: List[Path], as_of: Optional[str], at: str, lang: str, allow_shallow: bool = False):
    """The workspace as committed at `at` (REV or YYYY-MM-DD), for `check --at` / `status --at`.

    Without --as-of, items are judged as of that day: the DATE given, or the
    commit's date for a REV, so the answer is what `check` said back then.
    A note naming the commit goes to stderr.
    """
    from ..gitread import Git, GitError
    from ..workspace import open_workspace_at

    try:
        where = Path(paths[0]) if paths else Path.cwd()
        with Git.find(where) as git:
            full_history(git, allow_shallow, lang)
            commit = git.resolve(at)
        default = dt.date.fromisoformat(at.strip()) if _is_date(at) else commit.commit_date.date()
        date = parse_date_option(as_of, "--as-of", lang) if as_of else default
        ws = open_workspace_at(commit.sha, paths, date)
    except GitError as exc:
        fail_with(exc, lang)
    err(f"rectify: {text('history.at_note', lang, commit=commit.short, date=when(commit), author=commit.author)}")
    return ws


def git_of(paths: Optional[List[Path]], lang: str, allow_shallow: bool = False):
    """The repository of the plans paths (default ./plans) and those paths relative to its top."""
    from ..gitread import Git, GitError
    from ..history.timeline import repo_paths

    chosen = list(paths) if paths else [Path("plans")]
    try:
        git = Git.find(chosen[0])
        found = git, repo_paths(git, chosen)
        full_history(git, allow_shallow, lang)
        return found
    except GitError as exc:
        fail_with(exc, lang)


def full_history(git, allow_shallow: bool, lang: str) -> None:
    """A shallow clone (`actions/checkout` fetches one commit by default) makes
    its oldest commit look as if it wrote the whole ledger: refuse, or with
    --allow-shallow say which commits are used."""
    if git.head() is None:
        return
    start = git.shallow_start()
    if start is None:
        return
    if not allow_shallow:
        fail_usage(text("history.shallow", lang), lang)
    commit = git.resolve(start)
    err(f"rectify: {text('history.shallow_note', lang, commit=commit.short, date=when(commit))}")


def when(commit) -> str:
    return commit.author_date.strftime("%Y-%m-%d %H:%M")


def _is_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value.strip())
        return len(value.strip()) == 10
    except ValueError:
        return False
