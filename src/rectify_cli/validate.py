"""Rules that span files: unique ids, references that resolve, evidence that exists.

Each check is a small named function over the whole repository returning
problems; `validate` runs them all. Severity says what a problem costs:
errors make the files invalid (exit 2), violations break a ledger rule (exit 1).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Sequence

from .messages import Ref
from . import schema
from .model import Entity, Plan, Repository, Source, Status, Task
from .problems import Problem, error, suggest, violation, warning
from .recurrence import occurrences, series_of

if TYPE_CHECKING:
    from .config import Config
    from .listed import Listing
    from .tree import Tree

URL_SCHEMES = ("http://", "https://")
# `C:\x`, `C:x`: a Windows drive, never inside the repository.
_DRIVE = re.compile(r"^[A-Za-z]:")
# Any other URL scheme (file:, ftp:, smb:, javascript:, data:, mailto: ...):
# not something the repository holds, and not a web page anyone can open.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


# Invisible characters that Unicode does not class as format or control (Cf, Cc):
# fillers, variation selectors, the combining grapheme joiner, the braille blank.
_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\U000e0100-\U000e01ef]")
_MARKS = ("Mn", "Me")


def id_key(value: str) -> str:
    """What an id is compared by: NFKC folds full-width and compatibility forms
    (`Ｔ-１` is `T-1`) and composes accents, so ids that look alike clash."""
    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def shown_id(value: str) -> str:
    """An id quoted for a message, with what cannot be seen written as \\uXXXX
    (invisible characters, combining marks), so two look-alikes show their difference."""
    out = []
    for char in value:
        hidden = not char.isprintable() or _INVISIBLE.match(char) or unicodedata.category(char) in _MARKS
        out.append((f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}") if hidden else char)
    return "'" + "".join(out) + "'"


def id_character_problem(value: str) -> tuple[str, dict[str, str]] | None:
    """(message key, params) when an id holds a character a reader cannot see
    (format and bidi controls, zero-width, fillers) or a combining mark on
    something other than a letter (`T-1` with an accent on the 1); else None."""
    if value.isascii() and value.isprintable():
        return None
    base = ""
    for char in unicodedata.normalize("NFC", value):
        if char.isspace():  # refused as a bad id already
            base = char
            continue
        if not char.isprintable() or _INVISIBLE.match(char):
            return "val.id_invisible", {"char": f"U+{ord(char):04X}", "name": _name(char)}
        if unicodedata.category(char) in _MARKS:
            if not base or not unicodedata.category(base).startswith("L"):
                return "val.id_stray_mark", {"char": f"U+{ord(char):04X}", "name": _name(char), "base": base}
            continue  # further marks on the same letter
        base = char
    return None


def _name(char: str) -> str:
    unnamed = {"Cc": "control character", "Co": "private use", "Cs": "surrogate"}
    return unicodedata.name(char, "") or unnamed.get(unicodedata.category(char), "unassigned")


def check_id_characters(repo: Repository) -> Iterator[Problem]:
    """Ids are typed on command lines and read in reports: every character must be visible."""
    items: Iterable[Entity] = (
        *repo.plans, *(e for p in repo.plans for e in (*p.milestones, *p.phases)), *repo.issues, *repo.tasks,
    )
    if "".join(item.id for item in items).isascii() and all(item.id.isprintable() for item in items):
        return  # what `id_character_problem` passes at once, for every id (a large ledger's usual case)
    for item in items:
        found = id_character_problem(item.id) if item.id else None
        if found is not None:
            yield error(item.at("id"), found[0], id=shown_id(item.id), **found[1])


def check_unique_plans(repo: Repository) -> Iterator[Problem]:
    yield from _duplicates(repo.plans, "plan")


def check_unique_ids(repo: Repository) -> Iterator[Problem]:
    """Within a plan, milestones, issues and tasks share one id space (commands find items by id)."""
    by_plan: dict[str, list[Entity]] = {p.id: list(p.milestones) for p in repo.plans}
    for item in (*repo.issues, *repo.tasks):  # one pass, not one scan of all items per plan
        by_plan.setdefault(item.plan, []).append(item)
    for entities in by_plan.values():
        yield from _duplicates(entities, "item")
    for plan in repo.plans:
        yield from _duplicates(plan.phases, "phase")
    for what, entries in (("suggestion", repo.suggestions), ("outcome", repo.outcomes)):  # each list its own ids
        per_plan: dict[str, list[Entity]] = {}
        for entry in entries:
            per_plan.setdefault(entry.plan, []).append(entry)
        for listed in per_plan.values():
            yield from _duplicates(listed, what)


def _duplicates(entities: Sequence[Entity], what: str) -> Iterator[Problem]:
    """The same id twice, or two ids that look the same (equal after `id_key`)."""
    values = [entity.id for entity in entities]
    keys = values if "".join(values).isascii() else [id_key(value) for value in values]
    if len(set(keys)) == len(keys):
        return  # no two alike (nor two empty): nothing below would be said
    first: dict[str, Entity] = {}
    for value, key, entity in zip(values, keys, entities):
        if not value:
            continue
        earlier = first.get(key)
        if earlier is None:
            first[key] = entity
        elif earlier.id == value:
            yield error(entity.at("id"), "val.duplicate_id", what=Ref(f"val.what.{what}"), id=value, other=str(earlier.at("id")))
        else:
            yield error(
                entity.at("id"), "val.confusable_id", what=Ref(f"val.what.{what}"), id=shown_id(value), same=shown_id(earlier.id),
                other=str(earlier.at("id")),
            )


def check_references(repo: Repository) -> Iterator[Problem]:
    plan_ids = {p.id for p in repo.plans}
    issue_ids = {(i.plan, i.id) for i in repo.issues}
    reported: set[Source] = set()  # every item of a file shares its `plan:` line: say it once
    for item in (*repo.issues, *repo.tasks, *repo.suggestions, *repo.outcomes):
        if item.plan and item.plan not in plan_ids and item.at("plan") not in reported:
            reported.add(item.at("plan"))
            yield error(item.at("plan"), "val.unknown_plan", id=item.plan, hint=suggest(item.plan, plan_ids))
    for task in repo.tasks:
        if task.issue and task.plan in plan_ids and (task.plan, task.issue) not in issue_ids:
            known = [i.id for i in repo.issues_of(task.plan)]
            yield error(task.at("issue"), "val.unknown_issue", plan=task.plan, id=task.issue, hint=suggest(task.issue, known))
    for suggestion in repo.suggestions:  # the issue a suggestion bears on, when it names one
        if suggestion.issue and suggestion.plan in plan_ids and (suggestion.plan, suggestion.issue) not in issue_ids:
            known = [i.id for i in repo.issues_of(suggestion.plan)]
            yield error(suggestion.at("issue"), "val.unknown_issue", plan=suggestion.plan, id=suggestion.issue,
                        hint=suggest(suggestion.issue, known))
    task_ids = {(t.plan, t.id) for t in repo.tasks} if repo.outcomes else set()
    for outcome in repo.outcomes:  # the tasks an outcome closes
        for task_id in outcome.tasks:
            if outcome.plan in plan_ids and (outcome.plan, task_id) not in task_ids:
                known = [t.id for t in repo.tasks_of(outcome.plan)]
                yield error(outcome.at("tasks"), "val.unknown_task", plan=outcome.plan, id=task_id, hint=suggest(task_id, known))


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
        if task.status.completed and task.done is None:
            yield warning(task.at("status"), "val.done_without_date", id=task.id, status=task.status.value)


def check_required_evidence(repo: Repository, default: Status | None = None,
                            plans: Iterable[Plan] | None = None) -> Iterator[Problem]:
    """`require_evidence: done` in a plan (or, for every plan that says nothing,
    in rectify.yaml): work needs evidence once it is done, not only when it is
    closed (销号): the rule `audit` applies to the history, made a rule of the
    ledger for the plans that want it. `plans`: every plan of the ledger, when
    `repo` holds one file's entities."""
    for plan in repo.plans:
        if plan.require_evidence and not _required_status(plan.require_evidence):
            yield error(plan.at("require_evidence"), "val.bad_require_evidence", value=plan.require_evidence)
    required: dict[str, Status] = {}
    for plan in (repo.plans if plans is None else plans):
        if not plan.require_evidence and default is not None:
            required[plan.id] = default
        elif plan.require_evidence:
            status = _required_status(plan.require_evidence)
            if status is not None:
                required[plan.id] = status
    if not required:
        return
    items = [*((p.id, m) for p in repo.plans for m in p.milestones), *((t.plan, t) for t in repo.tasks)]
    for plan_id, item in items:
        need = required.get(plan_id)
        if need is None or item.evidence or not item.status.completed or item.status.rank < need.rank:
            continue
        if isinstance(item, Task) and item.status is Status.CLOSED:
            continue  # closing always needs evidence: `check_finished_items` says so
        yield violation(item.at("status"), "val.evidence_required", id=item.id, status=item.status.value, plan=plan_id)


def _required_status(word: str) -> Status | None:
    status = Status.parse(word)
    return status if status is not None and status.completed else None


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
    items = (*repo.tasks, *(m for plan in repo.plans for m in plan.milestones), *repo.outcomes)
    for item in items:
        if item.evidence:
            yield from evidence_problems(item, item.evidence, tree)


def check_units(repo: Repository, config: "Config") -> Iterator[Problem]:
    """Once a registry exists, every unit a plan names should be in it."""
    registry = config.registry
    if not registry:
        return
    items = (*repo.tasks, *(m for plan in repo.plans for m in plan.milestones), *repo.suggestions)
    for item in items:
        for key, names in (("lead", item.leads), ("support", item.support)):
            for name in names:
                if registry.find(name) is None:
                    close = registry.suggestion(name)
                    hint = Ref("val.did_you_mean", suggestion=close) if close else ""
                    yield warning(item.at(key), "val.unknown_unit", name=name, hint=hint)


def check_long_term(repo: Repository) -> Iterator[Problem]:
    """A 长期 measure is never overdue, so its progress notes are all that shows it is kept up."""
    for task in repo.tasks:
        if task.term in schema.LONG_TERM and not task.status.finished and not task.progress:
            yield warning(task.at("term"), "val.long_term_no_progress", id=task.id)


def check_recurrence(repo: Repository, every_plan: Iterable[Plan] | None = None) -> Iterator[Problem]:
    """A template counts from a series of its plan, and each run is one of its occurrences.
    `every_plan`: the ledger's plans, when `repo` holds one file's entities."""
    plans = {p.id: p for p in reversed(tuple(repo.plans if every_plan is None else every_plan))}
    items = [(m, p) for p in repo.plans for m in p.milestones] + [
        (t, plans.get(t.plan)) for t in repo.tasks if t.each or t.runs]  # an item with neither has nothing to say
    for item, plan in items:
        if not item.each:
            if item.runs:
                yield error(item.at("runs"), "val.runs_without_each", id=item.id)
            continue
        event = series_of(plan, item.each)
        if event is None:
            names = [n for e in (plan.events if plan else ()) if e.series for n in (e.name, *e.names)]
            yield error(item.at("each"), "val.each_not_series", id=item.id, event=item.each,
                        hint=suggest(item.each, names) or "", series=", ".join(names) or "-")
            continue
        known = set(occurrences(event))
        seen: set = set()
        for run in item.runs:
            if run.on is None:
                continue
            if run.on in seen:
                yield error(run.source, "val.run_duplicate", id=item.id, on=run.on.isoformat())
            elif run.on not in known:
                yield error(run.source, "val.run_not_occurrence", id=item.id, on=run.on.isoformat(), event=event.name)
            seen.add(run.on)


# The declared checks, in the order their problems are reported. A check of one
# file's entities (True) sees that file's plans, issues, tasks and lists, with every
# plan of the ledger beside them; a check across files (False) sees the whole ledger,
# or its `Listing` (plans, and a row per issue, task, suggestion and outcome).
Check = Callable[[Repository, "Tree", "Config", tuple[Plan, ...]], Iterable[Problem]]
CHECKS: tuple[tuple[bool, Check], ...] = (
    (True, lambda repo, tree, config, plans: check_id_characters(repo)),
    (False, lambda repo, tree, config, plans: check_unique_plans(repo)),
    (False, lambda repo, tree, config, plans: check_unique_ids(repo)),
    (False, lambda repo, tree, config, plans: check_references(repo)),
    (False, lambda repo, tree, config, plans: check_parents(repo)),
    (True, lambda repo, tree, config, plans: check_finished_items(repo)),
    (True, lambda repo, tree, config, plans: check_required_evidence(repo, config.require_evidence, plans)),
    (True, lambda repo, tree, config, plans: check_evidence(repo, tree)),
    (True, lambda repo, tree, config, plans: check_units(repo, config)),
    (True, lambda repo, tree, config, plans: check_long_term(repo)),
    (True, lambda repo, tree, config, plans: check_recurrence(repo, plans)),
)


def validate(repo: Repository, tree: "Tree", config: "Config") -> list[Problem]:
    return [problem for _, check in CHECKS for problem in check(repo, tree, config, repo.plans)]


Numbered = list[tuple[int, Problem]]  # (the check's place in CHECKS, a problem it found)


def validate_file(repo: Repository, tree: "Tree", config: "Config", plans: tuple[Plan, ...]) -> Numbered:
    """The checks of one file's entities (`repo`), with the ledger's `plans` beside them."""
    return [(n, problem) for n, (local, check) in enumerate(CHECKS) if local
            for problem in check(repo, tree, config, plans)]


def validate_across(listing: "Listing", config: "Config") -> Numbered:
    """The checks across files, on the ledger's listing."""
    return [(n, problem) for n, (local, check) in enumerate(CHECKS) if not local
            for problem in check(listing, None, config, listing.plans)]  # type: ignore[arg-type]


def in_order(found: Iterable[Numbered]) -> list[Problem]:
    """Problems as `validate` reports them: check by check, each check's files in order."""
    merged = [pair for part in found for pair in part]
    merged.sort(key=lambda pair: pair[0])  # stable: within a check, the order they were given in
    return [problem for _, problem in merged]
