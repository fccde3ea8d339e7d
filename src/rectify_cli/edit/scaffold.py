"""`rectify new`: a plan, issue or task with the next free id and the required keys.

New items are appended to the plan's existing issues/tasks file in the style
of the items already there (see `yamledit.append`); a missing file is created
next to the plan. Ids follow the conventions of the examples: I-NN for issues,
T-<issue number>-<n> for tasks; the plan's whole id space is checked.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import yaml

from .. import schema, textfile, yamlsafe
from ..reader import ISSUE_KEYS, TASK_KEYS
from ..messages import Ref
from ..model import Status
from ..problems import ProblemError
from ..rules import Ongoing, parse_rule
from . import yamledit as ye
from ..workspace import Workspace
from .locate import find

_ID = re.compile(r"^[^\s:/\\]+$")


@dataclass(frozen=True, slots=True)
class NewFile:
    """A file to write: `before` None means it is created."""

    path: Path
    before: str | None
    after: str


@dataclass(frozen=True, slots=True)
class Created:
    id: str
    plan: str
    files: tuple[NewFile, ...]


def _scalar(value: str) -> str:
    return ye.render(value, flow=False)


def new_plan(ledger: Workspace, plan_id: str, title: str, owner: str | None, directory: Path | None) -> Created:
    plan_id = plan_id.strip()
    if not _ID.match(plan_id):
        raise ProblemError("val.bad_id", value=plan_id)
    if not title.strip():
        raise ProblemError("edit.empty_value", option="--title")
    if ledger.repository.plan(plan_id) is not None:
        raise ProblemError("edit.exists", id=plan_id, where=str(ledger.repository.plan(plan_id).source))
    base = ledger.paths[0] if ledger.paths else Path("plans")
    base = base.parent if base.is_file() else base
    directory = directory or base / plan_id
    head = schema_comment(directory, ledger.root_of(directory / "plan.yaml"))
    lines = [head, "kind: plan", f"id: {_scalar(plan_id)}", f"title: {_scalar(title.strip())}"]
    if owner and owner.strip():
        lines.append(f"owner: {_scalar(owner.strip())}")
    texts = {
        "plan.yaml": "\n".join(lines) + "\n",
        "issues.yaml": f"{head}\nkind: issues\nplan: {_scalar(plan_id)}\nissues: []\n",
        "tasks.yaml": f"{head}\nkind: tasks\nplan: {_scalar(plan_id)}\ntasks: []\n",
    }
    files = []
    for name, text in texts.items():
        path = directory / name
        if path.exists():
            raise ProblemError("edit.file_exists", file=str(path))
        files.append(NewFile(path, None, text))
    return Created(plan_id, plan_id, tuple(files))


def schema_comment(directory: Path, root: Path) -> str:
    """The first line that lets the YAML language server check and complete the file
    against the JSON Schema `rectify schema --out .rectify/schema.json` writes."""
    target = os.path.relpath(root.resolve() / schema.SCHEMA_PATH, directory.resolve())
    return f"# yaml-language-server: $schema={Path(target).as_posix()}"


def new_issue(ledger: Workspace, plan_id: str, title: str, category: str | None,
              more: Sequence[tuple[str, str | None]] = ()) -> Created:
    """`more`: further (key, text) pairs such as the finding, the target or the parent issue."""
    plan = ledger.repository.plan(plan_id.strip())
    if plan is None:
        known = ", ".join(p.id for p in ledger.repository.plans) or "-"
        raise ProblemError("edit.no_plan", plan=plan_id, known=known)
    if not title.strip():
        raise ProblemError("edit.empty_value", option="--title")
    used = _used_ids(ledger, plan.id)
    numbers = [m for m in (re.fullmatch(r"I-(\d+)", i) for i in used) if m]
    width = max([2, *(len(m[1]) for m in numbers)])
    n = max([0, *(int(m[1]) for m in numbers)]) + 1
    while f"I-{n:0{width}d}" in used:
        n += 1
    new_id = f"I-{n:0{width}d}"
    fields = [ye.Field("id", new_id)]
    if category and category.strip():
        fields.append(ye.Field("category", category.strip()))
    fields.append(ye.Field("title", title.strip()))
    fields += [ye.Field(key, value.strip()) for key, value in more if value and value.strip()]
    change = _append(ledger, plan.id, "issues", fields, ISSUE_KEYS)
    return Created(new_id, plan.id, (change,))


def new_task(ledger: Workspace, issue_ref: str, title: str, leads: Sequence[str], due: str | None,
             support: Sequence[str], owner: str | None) -> Created:
    """`leads`: one unit, or several leading jointly (联合牵头)."""
    target = find(ledger, issue_ref)
    if target.kind != "issue":
        raise ProblemError("edit.not_an_issue", ref=issue_ref, kind=Ref(f"edit.kind.{target.kind}"))
    leads = [u.strip() for u in leads if u.strip()]
    for option, value in (("--title", title), ("--lead", "、".join(leads))):
        if not value.strip():
            raise ProblemError("edit.empty_value", option=option)
    issue_id = target.entity.id
    digits = re.findall(r"\d+", issue_id)
    prefix = f"T-{digits[-1] if digits else issue_id}-"
    used = _used_ids(ledger, target.plan)
    taken = [int(m[1]) for m in (re.fullmatch(re.escape(prefix) + r"(\d+)", i) for i in used) if m]
    n = max([0, *taken]) + 1
    while f"{prefix}{n}" in used:
        n += 1
    new_id = f"{prefix}{n}"
    fields = [ye.Field("id", new_id), ye.Field("issue", issue_id), ye.Field("title", title.strip()),
              ye.Field("lead", leads[0]) if len(leads) == 1 else ye.Field("lead", ye.flow_list(leads), raw=True)]
    units = [s.strip() for s in support if s.strip()]
    if units:
        fields.append(ye.Field("support", ye.flow_list(units), raw=True))
    if owner and owner.strip():
        fields.append(ye.Field("owner", owner.strip()))
    if due and due.strip():
        fields.append(ye.Field("due", due.strip(), ye.EXPR))
    fields.append(ye.Field("status", initial_status(due).value))
    change = _append(ledger, target.plan, "tasks", fields, TASK_KEYS)
    return Created(new_id, target.plan, (change,))


def initial_status(due: str | None) -> Status:
    """A task due `长期坚持` / `ongoing` is ongoing from the start: it has no
    deadline to be late for, and `todo` would wait for a start that never comes."""
    if due and due.strip():
        try:
            if isinstance(parse_rule(due.strip()), Ongoing):
                return Status.ONGOING
        except ProblemError:  # an unreadable deadline is refused when the edit is validated
            pass
    return Status.TODO


def _used_ids(ledger: Workspace, plan_id: str) -> set[str]:
    repo = ledger.ledger.repository  # as written: a recurring task's own id is taken
    plan = repo.plan(plan_id)
    return {*(m.id for m in (plan.milestones if plan else ())), *(i.id for i in repo.issues_of(plan_id)),
            *(t.id for t in repo.tasks_of(plan_id))}


def _append(ledger: Workspace, plan_id: str, kind: str, fields: list[ye.Field], keys) -> NewFile:
    """Append to the plan's `kind` file (the one beside plan.yaml first), or create it."""
    plan = ledger.repository.plan(plan_id)
    plan_dir = ledger.path_of(plan.source).resolve().parent if plan else None
    found = []
    for display, path in ledger.files.items():
        text, problem = textfile.read_text(path, display)
        if problem is not None or not text:
            continue
        root, problem = yamlsafe.compose(text, display)
        if problem is not None or not isinstance(root, yaml.MappingNode):
            continue
        k, p = ye.get(root, "kind"), ye.get(root, "plan")
        if k and p and getattr(k[1], "value", None) == kind and getattr(p[1], "value", "").strip() == plan_id:
            found.append((path.resolve().parent != plan_dir, display, path, text))
    if not found:
        if plan_dir is None:  # pragma: no cover - plans always have a file
            raise ProblemError("edit.no_plan", plan=plan_id, known="-")
        text = f"kind: {kind}\nplan: {_scalar(plan_id)}\n{kind}: []\n"
        path, before = plan_dir / f"{kind}.yaml", None
        if path.exists():
            raise ProblemError("edit.file_exists", file=str(path))
    else:
        _, display, path, text = sorted(found, key=lambda f: f[:2])[0]
        before = text
    root = ye.compose(text, str(path))
    after = ye.append(text, root, root, kind, fields, order=list(keys), block_items=True)
    return NewFile(path, before, after)
