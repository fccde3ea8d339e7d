"""The ledger as committed at a revision or on a date, read without a checkout.

"What did the ledger say on the day the report was sent?" is answered from
git objects alone, so the work tree (and anybody's uncommitted edits in it)
is never touched. Evidence is checked against the files of that revision,
not against today's work tree.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .. import cache
from ..load import CONFIG_NAME, display_path, load_blobs
from ..model import CalendarSpec, Entity, Repository, Source
from ..problems import Problem, error, violation
from ..validate import check_finished_items, evidence_kind, check_references, check_unique_ids, check_unique_plans
from .. import yamlsafe
from ..workspace import parse_config
from .gitread import Commit, Git
from .timeline import is_plan_file, repo_paths


@dataclass(frozen=True, slots=True)
class Snapshot:
    commit: Commit
    repository: Repository
    problems: tuple[Problem, ...]
    calendar: CalendarSpec | None
    top: Path


def load_at(repo_dir: Path, rev_or_date: str, paths: Sequence[Path]) -> Snapshot:
    """Load and validate the plan files under `paths` as of a revision or date.

    Raises GitError for a bad revision, a date before the first commit, or a
    directory outside any repository.
    """
    with Git.find(repo_dir) as git:
        commit = git.resolve(rev_or_date)
        roots = repo_paths(git, paths)
        tree = git.tree(commit.sha)
        files = sorted(p for p in tree if is_plan_file(p, roots))
        display = {p: display_path(git.top / p) for p in files}
        problems: list[Problem] = []
        if not files:
            where = display_path(Path(paths[0])) if paths else "plans"
            problems.append(error(Source(where), "cli.no_files", path=where))
        repo, load_problems = load_blobs(((display[p], git.blob(tree[p])) for p in files), cache.configured())
        problems.extend(load_problems)
        for check in (check_unique_plans, check_unique_ids, check_references, check_finished_items):
            problems.extend(check(repo))
        by_display = {d: p for p, d in display.items()}
        problems.extend(_evidence(repo, by_display, set(tree)))
        calendar, config_problems = _config(git, tree, roots)
        problems.extend(config_problems)
        return Snapshot(commit, repo, tuple(problems), calendar, git.top)


def _evidence(repo: Repository, by_display: dict[str, str], tree: set[str]) -> Iterator[Problem]:
    """Evidence must exist in the same revision and stay inside the repository."""
    dirs = {posixpath.dirname(p) for p in tree}
    dirs |= {d for p in dirs for d in _parents(p)}
    entities: list[tuple[Entity, tuple[str, ...]]] = [(t, t.evidence) for t in repo.tasks]
    entities += [(m, m.evidence) for p in repo.plans for m in p.milestones]
    for entity, evidence in entities:
        file = by_display.get(entity.source.file)
        if file is None:
            continue
        for entry in evidence:
            kind, scheme = evidence_kind(entry)
            if kind == "url":
                continue
            where = entity.at("evidence")
            if kind == "scheme":
                yield violation(where, "val.evidence_scheme", path=entry, scheme=scheme)
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(file), entry))
            if kind == "outside" or target == ".." or target.startswith("../"):
                yield violation(where, "val.evidence_outside", path=entry)
            elif target not in tree and target not in dirs:
                yield violation(where, "val.evidence_missing", path=entry)


def _parents(path: str) -> Iterator[str]:
    while path:
        path = posixpath.dirname(path)
        yield path


def _config(git: Git, tree: dict[str, str], roots: Sequence[str]) -> tuple[CalendarSpec | None, list[Problem]]:
    """rectify.yaml of that revision: the nearest one at or above the first plans path."""
    base = roots[0] if roots else ""
    candidates = [posixpath.join(d, CONFIG_NAME) if d else CONFIG_NAME for d in (base, *_parents(base))]
    found = next((c for c in candidates if c in tree), None)
    if found is None:
        return None, []
    display = display_path(git.top / found)
    return parse_config(*yamlsafe.decode(git.blob(tree[found]), display), display)
