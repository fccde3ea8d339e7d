"""Rules that span files: unique ids, references that resolve, evidence that exists.

Each check is a small named function over the whole repository returning
problems; `validate` runs them all. Severity says what a problem costs:
errors make the files invalid (exit 2), violations break a ledger rule (exit 1).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from .reader import suggest
from .messages import Ref
from .model import Entity, Repository, Source, Status
from .problems import Problem, error, violation, warning
from .tree import find_root  # noqa: F401  (where it was always found)

if TYPE_CHECKING:
    from .config import Config
    from .tree import Tree

URL_SCHEMES = ("http://", "https://")
# `C:\x`, `C:x`: a Windows drive, never inside the repository.
_DRIVE = re.compile(r"^[A-Za-z]:")
# Any other URL scheme (file:, ftp:, smb:, javascript:, data:, mailto: ...):
# not something the repository holds, and not a web page anyone can open.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def check_unique_plans(repo: Repository) -> Iterator[Problem]:
    yield from _duplicates(((p.id, p) for p in repo.plans), "plan")


def check_unique_ids(repo: Repository) -> Iterator[Problem]:
    """Within a plan, milestones, issues and tasks share one id space (commands find items by id)."""
    by_plan: dict[str, list[Entity]] = {p.id: list(p.milestones) for p in repo.plans}
    for item in (*repo.issues, *repo.tasks):  # one pass, not one scan of all items per plan
        by_plan.setdefault(item.plan, []).append(item)
    for entities in by_plan.values():
        yield from _duplicates(((e.id, e) for e in entities), "item")
    for plan in repo.plans:
        yield from _duplicates(((p.id, p) for p in plan.phases), "phase")


def _duplicates(pairs: Iterable[tuple[str, Entity]], what: str) -> Iterator[Problem]:
    first: dict[str, Entity] = {}
    for key, entity in pairs:
        if not key:
            continue
        if key in first:
            yield error(entity.at("id"), "val.duplicate_id", what=Ref(f"val.what.{what}"), id=key, other=str(first[key].at("id")))
        else:
            first[key] = entity


def check_references(repo: Repository) -> Iterator[Problem]:
    plan_ids = {p.id for p in repo.plans}
    issue_ids = {(i.plan, i.id) for i in repo.issues}
    reported: set[Source] = set()  # every item of a file shares its `plan:` line: say it once
    for item in (*repo.issues, *repo.tasks):
        if item.plan and item.plan not in plan_ids and item.at("plan") not in reported:
            reported.add(item.at("plan"))
            yield error(item.at("plan"), "val.unknown_plan", id=item.plan, hint=suggest(item.plan, plan_ids))
    for task in repo.tasks:
        if task.issue and task.plan in plan_ids and (task.plan, task.issue) not in issue_ids:
            known = [i.id for i in repo.issues_of(task.plan)]
            yield error(task.at("issue"), "val.unknown_issue", plan=task.plan, id=task.issue, hint=suggest(task.issue, known))


def check_parents(repo: Repository) -> Iterator[Problem]:
    """An issue's `parent` is another issue of the same plan, and following parents ends."""
    by_plan: dict[str, dict[str, object]] = {}
    for issue in repo.issues:
        by_plan.setdefault(issue.plan, {}).setdefault(issue.id, issue)
    for issue in repo.issues:
        if not issue.parent:
            continue
        issues = by_plan.get(issue.plan, {})
        if issue.parent not in issues:
            yield error(issue.at("parent"), "val.unknown_parent", plan=issue.plan, id=issue.parent,
                        hint=suggest(issue.parent, list(issues)))
            continue
        seen = [issue.id]
        current = issue
        while current.parent and current.parent in issues:
            if current.parent in seen:
                if current.parent == issue.id:  # report the cycle once, at each of its members
                    yield error(issue.at("parent"), "val.parent_cycle", cycle=" → ".join([*seen, issue.id]))
                break
            seen.append(current.parent)
            current = issues[current.parent]  # type: ignore[assignment]


def check_finished_items(repo: Repository) -> Iterator[Problem]:
    """Closing (销号) needs evidence and who closed it; finishing needs a date."""
    for task in repo.tasks:
        if task.status is Status.CLOSED:
            if not task.evidence:
                yield violation(task.at("status"), "val.closed_needs", id=task.id, key="evidence")
            if not task.closed_by:
                yield violation(task.at("status"), "val.closed_needs", id=task.id, key="closed_by")
        if task.status in (Status.DONE, Status.CLOSED) and task.done is None:
            yield warning(task.at("status"), "val.done_without_date", id=task.id, status=task.status.value)


def evidence_kind(item: str) -> tuple[str, str | None]:
    """What an evidence entry is before any file is looked at: a web link ("url"),
    a path that cannot be in the repository ("outside"), another URL scheme
    ("scheme", with its name), or a relative path to check ("path")."""
    if item.lower().startswith(URL_SCHEMES):
        return "url", None
    if os.path.isabs(item) or item.startswith(("/", "\\")) or _DRIVE.match(item):
        return "outside", None
    scheme = _SCHEME.match(item)
    if scheme:
        return "scheme", scheme.group()[:-1]
    return "path", None


def evidence_problems(entity: Entity, evidence: Iterable[str], tree: "Tree") -> Iterator[Problem]:
    """Evidence paths are relative to the file naming them and must stay in the repository."""
    file = Path(entity.source.file)
    for item in evidence:
        where = entity.at("evidence")
        kind, scheme = evidence_kind(item)
        if kind == "url":
            continue
        if kind == "outside":
            yield violation(where, "val.evidence_outside", path=item)
            continue
        if kind == "scheme":
            yield violation(where, "val.evidence_scheme", path=item, scheme=scheme)
            continue
        found, reason = tree.look_up(file, item)
        if found == "bad":
            yield violation(where, "val.evidence_bad_path", path=item, reason=reason)
        elif found == "outside":
            yield violation(where, "val.evidence_outside", path=item)
        elif found == "missing":
            yield violation(where, "val.evidence_missing", path=item)


def check_evidence(repo: Repository, tree: "Tree") -> Iterator[Problem]:
    items = (*repo.tasks, *(m for plan in repo.plans for m in plan.milestones))
    for item in items:
        if item.evidence:
            yield from evidence_problems(item, item.evidence, tree)


def check_units(repo: Repository, config: "Config") -> Iterator[Problem]:
    """Once a registry exists, every unit a plan names should be in it."""
    registry = config.registry
    if not registry:
        return
    items = (*repo.tasks, *(m for plan in repo.plans for m in plan.milestones))
    for item in items:
        for key, names in (("lead", item.leads), ("support", item.support)):
            for name in names:
                if registry.find(name) is None:
                    close = registry.suggestion(name)
                    hint = Ref("val.did_you_mean", suggestion=close) if close else ""
                    yield warning(item.at(key), "val.unknown_unit", name=name, hint=hint)


# The declared checks, in the order their problems are reported.
CHECKS: tuple[Callable[[Repository, "Tree", "Config"], Iterable[Problem]], ...] = (
    lambda repo, tree, config: check_unique_plans(repo),
    lambda repo, tree, config: check_unique_ids(repo),
    lambda repo, tree, config: check_references(repo),
    lambda repo, tree, config: check_parents(repo),
    lambda repo, tree, config: check_finished_items(repo),
    lambda repo, tree, config: check_evidence(repo, tree),
    lambda repo, tree, config: check_units(repo, config),
)


def validate(repo: Repository, tree: "Tree", config: "Config") -> list[Problem]:
    return [problem for check in CHECKS for problem in check(repo, tree, config)]
