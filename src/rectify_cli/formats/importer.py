"""Turning an Excel ledger into plan files: issues.yaml and tasks.yaml (and a plan.yaml
when the directory has none).

Nothing is dropped silently: a row that cannot become a task (no measure, no
lead unit), a deadline the rule engine cannot read, an unknown status word —
each becomes a line of the import report, with the row number and what was
in it, so a person can finish the job by hand. The YAML written always loads
(`rectify check` finds no errors): what would not load is left out of the
files and put in the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..calendar import calendar_for
from ..messages import text
from ..model import STATUS_ALIASES, Status
from ..problems import ProblemError
from ..rules import Resolver
from .reading import Table, cell_text, parse_date, section_title, split_dated, split_list

_ID = re.compile(r"^[^\s:/\\]+$")
_STATUS_WORDS = sorted(STATUS_ALIASES, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class Note:
    """One line of the import report."""

    line: int
    key: str
    params: dict[str, Any]
    imported: bool  # False: the row is not in the files


@dataclass
class ImportResult:
    plan: str
    files: dict[str, str]  # file name → YAML text
    notes: list[Note] = field(default_factory=list)
    rows: int = 0
    issues: int = 0
    tasks: int = 0

    @property
    def skipped(self) -> int:
        return sum(1 for n in self.notes if not n.imported)


class _Dumper(yaml.SafeDumper):
    """Plain block YAML: no anchors/aliases (the loader refuses them), unicode as is."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)


def import_ledger(
    table: Table, plan_id: str, source: str, today: dt.date, lang: str, write_plan: bool,
    anchors: dict[str, dt.date | None] | None = None, milestones: dict[str, str] | None = None,
) -> ImportResult:
    """Map the table's rows; `anchors` and `milestones` are those of an existing plan.

    A deadline counted from an event nobody has named yet ("10 working days
    after hearing") is kept: when this import writes plan.yaml, the event is
    declared there as `null` (not happened yet), so the deadline is pending,
    as it was in the ledger, instead of being an error.
    """
    result = ImportResult(plan_id, {})
    events: dict[str, dt.date | None] = dict(anchors or {})
    resolver = Resolver(calendar_for(), today.year, events, dict(milestones or {}))
    declared: list[str] = []
    issues: dict[tuple[str, str], dict[str, Any]] = {}  # (category, title) or ("#", id) → entry
    issue_ids: set[str] = set()
    task_ids: set[str] = set()
    tasks: list[dict[str, Any]] = []
    category, last_issue = "", ""
    last_issue_id = ""

    def note(line: int, key: str, imported: bool = True, **params: Any) -> None:
        result.notes.append(Note(line, key, params, imported))

    for line, cells in table.rows:
        values = {k: v for k, v in cells.items() if v not in (None, "")}
        if not values:
            continue
        result.rows += 1
        texts = {cell_text(v) for v in values.values()}
        if "measure" not in values and len(texts) == 1:
            heading = section_title(texts.pop())
            if heading:  # "一、关于政策环境方面": the category of the rows below
                category, last_issue, last_issue_id = heading, "", ""
                continue
        row_category = cell_text(values.get("category")) or category
        measure = cell_text(values.get("measure"))
        # a blank issue cell under a merged or left-blank one: the measure belongs to the same issue
        issue_title = cell_text(values.get("issue")) or (last_issue if measure else "")
        issue_given = cell_text(values.get("issue_id")) or (last_issue_id if measure and not values.get("issue") else "")
        if not measure and not issue_title:
            note(line, "import.note.no_measure", imported=False, row=_raw(values))
            continue
        last_issue, last_issue_id = issue_title, issue_given
        issue = _issue(issues, issue_ids, row_category, issue_title or measure, issue_given, line, note)
        if not measure:
            measure = issue["title"]
            note(line, "import.note.measure_from_issue")
        lead = cell_text(values.get("lead"))
        if not lead:
            note(line, "import.note.no_lead", imported=False, row=_raw(values))
            continue
        task: dict[str, Any] = {"id": _task_id(values, issue, task_ids, line, note), "issue": issue["id"], "title": measure, "lead": lead}
        support = split_list(values.get("support"))
        if support:
            task["support"] = support
        owner = cell_text(values.get("owner"))
        if owner:
            task["owner"] = owner
        due = _due(values.get("due"), resolver, line, note, declared if write_plan else None)
        if due is not None:
            task["due"] = due
        status = _status(values.get("status"), line, note)
        done = parse_date(values.get("done"))
        if status is None and done is not None:
            status = Status.DONE
        if status is not None and status is not Status.TODO:
            task["status"] = status.value
        if done is not None:
            task["done"] = done
        evidence = split_list(values.get("evidence"), ";；\n")
        if evidence:
            task["evidence"] = evidence
        progress, loose = _progress(values.get("progress"))
        if progress:
            task["progress"] = progress
        notes = "\n".join(x for x in (cell_text(values.get("notes")), *loose) if x)
        if notes:
            task["notes"] = notes
        if due is None and values.get("due") not in (None, ""):
            task["x-due"] = cell_text(values.get("due"))  # kept, so the text is not lost
        tasks.append(task)
    result.issues, result.tasks = len(issues), len(tasks)
    result.files = _files(plan_id, source, today, lang, table.title, list(issues.values()), tasks, write_plan, declared)
    return result


def _raw(values: dict[str, Any]) -> str:
    return " | ".join(cell_text(v) for v in values.values())


def _issue(issues, issue_ids, category, title, given, line, note) -> dict[str, Any]:
    key = ("#", given) if given else (category, title)
    if key in issues:
        return issues[key]
    issue_id = given if given and _ID.match(given) and given not in issue_ids else ""
    if given and not issue_id:
        note(line, "import.note.bad_id", id=given)
    if not issue_id:
        n = len(issues) + 1
        while f"I-{n:02d}" in issue_ids:
            n += 1
        issue_id = f"I-{n:02d}"
    entry: dict[str, Any] = {"id": issue_id}
    if category:
        entry["category"] = category
    entry["title"] = title
    issue_ids.add(issue_id)
    issues[key] = entry
    return entry


def _task_id(values, issue, task_ids, line, note) -> str:
    given = cell_text(values.get("task_id"))
    if given and _ID.match(given) and given not in task_ids:
        task_ids.add(given)
        return given
    if given:
        note(line, "import.note.bad_id", id=given)
    stem = issue["id"][2:] if issue["id"].startswith("I-") else issue["id"]
    k = 1
    while f"T-{stem}-{k}" in task_ids:
        k += 1
    task_ids.add(f"T-{stem}-{k}")
    return f"T-{stem}-{k}"


def _due(value: Any, resolver: Resolver, line: int, note, declared: list[str] | None) -> Any:
    """A date when the cell is one; else the rule text when the engine reads it; else None."""
    if value in (None, ""):
        return None
    date = parse_date(value)
    if date is not None:
        return date
    rule = cell_text(value)
    for _ in range(3):  # a rule may name a few events
        try:
            resolver.resolve(rule)
            return rule
        except ProblemError as exc:
            name = str(exc.params.get("name", ""))
            if exc.key != "rule.unknown_anchor" or declared is None or not name or name in resolver.events:
                break
            resolver.events[name] = None
            declared.append(name)
            note(line, "import.note.event", name=name)
    note(line, "import.note.bad_due", due=rule)
    return None


def _status(value: Any, line: int, note) -> Status | None:
    word = cell_text(value)
    if not word:
        return None
    found = STATUS_ALIASES.get(word) or STATUS_ALIASES.get(word.lower())
    if found is None:
        found = next((STATUS_ALIASES[w] for w in _STATUS_WORDS if len(w) > 1 and w in word and not w.isascii()), None)
    if found is None:
        note(line, "import.note.bad_status", status=word)
    return found


def _progress(value: Any) -> tuple[list[dict[str, Any]], list[str]]:
    entries, loose = [], []
    for raw in str(value or "").splitlines():
        if not raw.strip():
            continue
        date, rest = split_dated(raw)
        if date is not None and rest:
            entries.append({"date": date, "note": rest})
        else:
            loose.append(raw.strip())
    return entries, loose


def _files(plan_id, source, today, lang, title, issues, tasks, write_plan, declared) -> dict[str, str]:
    banner = "# " + text("import.generated", lang, source=source, date=today.isoformat()) + "\n"
    files = {
        "issues.yaml": banner + _dump({"kind": "issues", "plan": plan_id, "issues": issues}),
        "tasks.yaml": banner + _dump({"kind": "tasks", "plan": plan_id, "tasks": tasks}),
    }
    if write_plan:
        plan: dict[str, Any] = {"kind": "plan", "id": plan_id, "title": title or plan_id}
        if declared:
            plan["events"] = {name: None for name in declared}
        files = {"plan.yaml": banner + _dump(plan), **files}
    return files


def report_text(result: ImportResult, source: str, lang: str) -> str:
    """The import report: a summary line, then one line per note, in row order."""
    lines = [
        text(
            "import.summary", lang, source=source, rows=result.rows, issues=result.issues,
            tasks=result.tasks, skipped=result.skipped,
        )
    ]
    for n in sorted(result.notes, key=lambda n: n.line):
        lines.append(text("import.note.line", lang, line=n.line, what=text(n.key, lang, **n.params)))
    return "\n".join(lines) + "\n"

