"""Finding an item by id across the repository, then its node in its file.

Ids are unique within a plan (milestones, issues and tasks share one id
space), not across plans: `PLAN:ID` (or `PLAN/ID`) says which plan; a bare id that several
plans use is refused with the candidates, never guessed.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..reader import ISSUE_KEYS, MILESTONE_KEYS, TASK_KEYS
from ..messages import Ref
from ..model import Entity, ItemRef
from ..problems import ProblemError
from ..recurrence import occurrence_id, split_occurrence
from ..workspace import Workspace
from .yamledit import get

LIST_KEY = {"task": "tasks", "issue": "issues", "milestone": "milestones"}
KEYS = {"task": TASK_KEYS, "issue": ISSUE_KEYS, "milestone": MILESTONE_KEYS}


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # task | issue | milestone
    entity: Entity
    plan: str
    path: Path
    occurrence: dt.date | None = None  # one occurrence of a recurring item (`entity` is the item as written)

    @property
    def shown_id(self) -> str:
        return occurrence_id(self.entity.id, self.occurrence) if self.occurrence else self.entity.id

    @property
    def ref(self) -> str:
        return f"{self.plan}:{self.shown_id}"


def candidates(ledger: Workspace):
    """Every item as the files write it: a recurring task is one item (its occurrences
    are made when judging, see `recurrence`), and an edit changes what is written."""
    repo = ledger.ledger.repository
    for plan in repo.plans:
        for milestone in plan.milestones:
            yield "milestone", milestone, plan.id
    for issue in repo.issues:
        yield "issue", issue, issue.plan
    for task in repo.tasks:
        yield "task", task, task.plan


def find(ledger: Workspace, ref: str, occurrences: bool = False) -> Target:
    """The item `ref` names. With `occurrences`, `T-02@2024-06-20` is that occurrence of
    recurring item T-02 (only `done` records one); otherwise it is refused with a pointer."""
    parsed = ItemRef.parse(ref)
    if parsed is None:
        raise ProblemError("edit.bad_ref", ref=ref)
    plan, item = parsed
    everything = list(candidates(ledger))
    hits = [(k, e, p) for k, e, p in everything if e.id == item and (plan is None or p == plan)]
    if not hits:
        occurrence = split_occurrence(item)
        template = next(((k, e, p) for k, e, p in everything if occurrence and e.id == occurrence[0]
                         and getattr(e, "each", "") and (plan is None or p == plan)), None)
        if template is not None and occurrences:
            kind, entity, plan_id = template
            return Target(kind, entity, plan_id, ledger.path_of(entity.source), occurrence[1])
        if template is not None:  # T-02@2024-06-20: one occurrence of a recurring item
            raise ProblemError("edit.occurrence", ref=ref, base=template[1].id, on=occurrence[1].isoformat(),
                               where=str(template[1].source))
        known = [f"{p}:{e.id}" if plan else e.id for _, e, p in everything]
        close = difflib.get_close_matches(ref.strip(), known, n=3, cutoff=0.6)
        unreadable = any(p.severity.value == "error" and p.key.startswith("load.") for p in ledger.problems)
        hint = Ref("edit.hint.unreadable") if unreadable else Ref("edit.hint.close", close=", ".join(close)) if close else ""
        raise ProblemError("edit.not_found", ref=ref, hint=hint)
    if len(hits) > 1:
        listed = ", ".join(f"{p}:{e.id} ({e.source})" for _, e, p in hits)
        raise ProblemError("edit.ambiguous", ref=ref, candidates=listed)
    kind, entity, plan_id = hits[0]
    return Target(kind, entity, plan_id, ledger.path_of(entity.source))


def item_node(root: yaml.MappingNode, kind: str, item_id: str, line: int | None = None) -> yaml.MappingNode:
    """The item's mapping in a composed file: by id, the one on `line` when ids repeat."""
    pair = get(root, LIST_KEY[kind])
    seq = pair[1] if pair else None
    found = []
    if isinstance(seq, yaml.SequenceNode):
        for node in seq.value:
            if isinstance(node, yaml.MappingNode):
                id_pair = get(node, "id")
                if id_pair and isinstance(id_pair[1], yaml.ScalarNode) and id_pair[1].value.strip() == item_id:
                    found.append(node)
    if not found:
        raise ProblemError("edit.not_found", ref=item_id, hint="")
    if line is not None:
        for node in found:
            if node.start_mark.line + 1 == line:
                return node
    return found[0]
