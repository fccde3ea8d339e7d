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
from pathlib import Path
from typing import Any

import yaml

from .. import schema
from ..calendar import calendar_for
from ..messages import LANGS, text
from ..model import STATUS_ALIASES, CalendarSpec, Plan, Status
from ..problems import Problem, ProblemError, Severity
from ..reader import REVIEW_RESULTS
from ..render import escape
from ..rules import Resolver
from ..validate import id_character_problem, id_key
from .ledger import EXTRA
from .tables import Table, cell_text, parse_date, section_title, split_dated, split_list
from .sheets import LIST_SHEETS, Details, as_written as _as_written, fold_occurrences, plan_content

_ID = re.compile(r"^[^\s:/\\]+$")
_STATUS_WORDS = sorted(STATUS_ALIASES, key=len, reverse=True)
# The ledger's further columns (see `ledger.EXTRA`): text fields, copied as they are.
_EXTRA = {kind: tuple(f for k, f in EXTRA if k == kind) for kind in ("issue", "task")}


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

    def represent_str(self, data: str) -> yaml.ScalarNode:
        """Several lines as a literal block (`|`), as people write them; the emitter
        falls back to quotes when a block cannot hold the text exactly."""
        if "\n" in data:
            return self.represent_scalar("tag:yaml.org,2002:str", data, style="|")
        return super().represent_str(data)


_Dumper.add_representer(str, _Dumper.represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100000, default_flow_style=False)


def existing_plan(path: Path) -> tuple[Plan | None, Problem | None]:
    """The plan an existing plan.yaml declares, read by the one loader like every
    plan file (size, FIFOs, nesting, alias bombs and tags are refused there);
    (None, the first error) when the file is not valid."""
    from ..loader import load_files

    repo, problems = load_files([path])
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        return None, errors[0]
    return (repo.plans[0] if repo.plans else None), None


def import_ledger(
    table: Table, plan_id: str, source: str, today: dt.date, lang: str, write_plan: bool,
    anchors: dict[str, dt.date | None] | None = None, milestones: dict[str, str] | None = None,
    details: Details | None = None,
) -> ImportResult:
    """Map the table's rows; `anchors` and `milestones` are those of an existing plan,
    `details` the workbook's other sheets (`formats.sheets`): the plan, its events and
    milestones, the issue list, extensions and reopenings, so nothing an export holds is lost.

    A deadline counted from an event nobody has named yet ("10 working days
    after hearing") is kept: when this import writes plan.yaml, the event is
    declared there as `null` (not happened yet), so the deadline is pending,
    as it was in the ledger, instead of being an error.
    """
    result = ImportResult(plan_id, {})
    details = details or Details()
    plan, spec = plan_content(details, plan_id) if write_plan else (None, CalendarSpec())
    events: dict[str, dt.date | None] = dict(anchors or {})
    known_milestones = dict(milestones or {})
    if plan is not None:
        for name, when in plan.get("events", {}).items():
            date = when.get("date", (when.get("dates") or [None])[0]) if isinstance(when, dict) else when
            events[name] = date
            for other in when.get("names", ()) if isinstance(when, dict) else ():
                events.setdefault(other, date)
        known_milestones.update({m["id"]: str(m["due"]) for m in plan.get("milestones", []) if "due" in m})
    years = [d.year for d in events.values() if d is not None]
    resolver = Resolver(calendar_for(spec), min(years) if years else today.year, events, known_milestones)
    declared: list[str] = []
    issues: dict[tuple[str, str], dict[str, Any]] = {}  # (category, title) or ("#", id) → entry
    issue_ids: set[str] = set()
    for row in details.rows("issues", plan_id):  # the issue list first: issues without measures too
        given = cell_text(row.get("issue_id"))
        if _usable_id(given, issue_ids) and ("#", given) not in issues:
            entry = {"id": given, "category": cell_text(row.get("category")), "title": cell_text(row.get("issue")),
                     **{f.name: cell_text(row.get(f.column)) for f in _EXTRA["issue"]},
                     "description": cell_text(row.get("description"))}
            issues[("#", given)] = {k: v for k, v in entry.items() if v or k in ("id", "title")}
            issue_ids.add(id_key(given))
    extensions = _by_task(details.rows("extensions", plan_id))
    reopenings = _by_task(details.rows("reopenings", plan_id))
    records = {key: _by_task(details.rows(key, plan_id)) for key in SUPERVISION_SHEETS}
    task_ids: set[str] = set()
    tasks: list[dict[str, Any]] = []
    category, last_issue = "", ""
    last_issue_id = ""

    def note(line: int, key: str, imported: bool = True, **params: Any) -> None:
        result.notes.append(Note(line, key, params, imported))

    for line, key, params in table.notes:  # what reading clipped
        note(line, key, **params)
    for header, key in table.unknown_headers:  # kept, never dropped
        note(table.header_line, "import.note.kept_column", header=header, column=key)

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
        _copy_extra("issue", values, issue)
        if not measure:
            measure = issue["title"]
            note(line, "import.note.measure_from_issue")
        lead = cell_text(values.get("lead"))
        if not lead:
            note(line, "import.note.no_lead", imported=False, row=_raw(values))
            continue
        task: dict[str, Any] = {"id": _task_id(values, issue, task_ids, line, note), "issue": issue["id"], "title": measure,
                                "lead": leads if len(leads := split_list(lead)) > 1 else lead}  # 甲局、乙局: joint leads
        support = split_list(values.get("support"))
        if support:
            task["support"] = support
        owner = cell_text(values.get("owner"))
        if owner:
            task["owner"] = owner
        given_id = cell_text(values.get("task_id"))
        moved = extensions.get(given_id, [])
        if moved:  # the first deadline; the extensions below move it
            due = _due(moved[0].get("original_due"), resolver, line, note, declared if write_plan else None, True)
        else:
            due = _shown_due(values, resolver, line, note, declared if write_plan else None)
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
        if cell_text(values.get("closed_by")):
            task["closed_by"] = cell_text(values.get("closed_by"))
        if parse_date(values.get("closed")) is not None:
            task["closed"] = parse_date(values.get("closed"))
            if cell_text(values.get("closed_flag")) in CLOSED_WORDS:  # 是否销号：是, with its date
                task["status"] = Status.CLOSED.value
                missing = [k for k in ("closed_by", "evidence") if not cell_text(values.get(k))]
                if missing:
                    note(line, "import.note.closed_incomplete", keys=", ".join(missing))
        evidence = split_list(values.get("evidence"), ";；\n")
        if evidence:
            task["evidence"] = evidence
        progress, loose = _progress(values.get("progress"))
        if progress:
            task["progress"] = progress
        if moved:
            task["extensions"] = [_entry(r, ("to", "to"), ("approved_by", "approved_by"), ("date", "approved_on"),
                                         ("reason", "reason")) for r in moved]
        if reopenings.get(given_id):
            task["reopened"] = [_entry(r, ("date", "reopened_on"), ("reason", "reason"), ("by", "reopened_by"),
                                       ("done", "undone_done"), ("closed", "undone_closed"),
                                       ("closed_by", "undone_closed_by"))
                                for r in reopenings[given_id]]
        for key, columns in SUPERVISION_SHEETS.items():
            entries = [_supervision_entry(key, r, columns) for r in records[key].get(given_id, [])]
            if entries:
                task[key] = entries
        notes = "\n".join(x for x in (cell_text(values.get("notes")), *loose) if x)
        if notes:
            task["notes"] = notes
        _copy_extra("task", values, task)
        task.update({k: cell_text(v) for k, v in values.items() if k.startswith("x-") and cell_text(v)})
        if due is None and values.get("due") not in (None, ""):
            task["x-due"] = cell_text(values.get("due"))  # kept, so the text is not lost
        if task.get("each"):  # one occurrence of a recurring task: folded back below
            task["_rule"] = cell_text(values.get("due_rule"))
        tasks.append(task)
    tasks = fold_occurrences(tasks)
    result.issues, result.tasks = len(issues), len(tasks)
    result.files = _files(plan_id, source, today, lang, table.title, list(issues.values()), tasks, plan, declared)
    for sheet, kind in LIST_SHEETS.items():  # the other lists the workbook holds, each its own file
        entries = [_list_entry(kind, row) for row in details.rows(sheet, plan_id)]
        if entries:
            banner = "# " + text("import.generated", lang, source=source, date=today.isoformat()) + "\n"
            result.files[f"{sheet}.yaml"] = banner + _dump({"kind": sheet, "plan": plan_id, sheet: entries})
    return result


def _list_entry(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row of a list's sheet as the YAML entry it was exported from."""
    entry: dict[str, Any] = {}
    for f in schema.fields(kind):
        value = row.get(f"{kind}.{f.name}")
        if f.type == schema.DATE:
            value = parse_date(value)
        elif f.type in (schema.TEXTS, schema.UNITS):
            parts = split_list(value, "\n")
            value = parts[0] if f.type == schema.UNITS and len(parts) == 1 else parts
        else:
            value = cell_text(value)
        if value not in (None, "", []):
            entry[f.name] = value
    return entry


# 是否销号 as ledgers answer it.
CLOSED_WORDS = ("是", "已销号", "Y", "y", "yes", "Yes", "YES", "√")


# The supervising office's sheets, read back: YAML key ← sheet column (see `sheets`).
SUPERVISION_SHEETS = {
    "reviews": (("date", "review_date"), ("by", "review_by"), ("result", "review_result"), ("reason", "review_reason")),
    "duban": (("date", "duban_date"), ("level", "duban_level"), ("by", "duban_by"), ("note", "duban_note"),
              ("reply_by", "reply_by"), ("reply", "reply"), ("replied", "replied")),
    "lookbacks": (("date", "lookback_date"), ("result", "lookback_result"), ("by", "lookback_by"), ("note", "lookback_note")),
}


def _supervision_entry(key: str, row: dict[str, Any], columns) -> dict[str, Any]:
    entry = _entry(row, *columns)
    if "replied" in entry or key == "duban":
        replied = parse_date(row.get("replied"))
        entry.pop("replied", None)
        if replied is not None:
            entry["replied"] = replied
    if key == "reviews" and entry.get("result"):
        words = {text(f"review.result.{r}", lang): r for r in REVIEW_RESULTS for lang in LANGS}
        entry["result"] = words.get(str(entry["result"]), entry["result"])
    return entry


def _by_task(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(cell_text(row.get("task_id")), []).append(row)
    return out


def _entry(row: dict[str, Any], *keys: tuple[str, str]) -> dict[str, Any]:
    """One extension or reopening: the YAML key ← the sheet column, empty cells left out."""
    entry: dict[str, Any] = {}
    for key, column in keys:
        value = row.get(column)
        value = parse_date(value) if key in ("date", "done", "closed") else _as_written(value)
        if value not in (None, ""):
            entry[key] = value
    return entry


def _shown_due(values: dict[str, Any], resolver: Resolver, line: int, note, declared: list[str] | None) -> Any:
    """The rule as written (`due_rule`) when it gives the deadline the row shows; else what is shown."""
    rule, shown = cell_text(values.get("due_rule")), values.get("due")
    if rule:
        date = parse_date(shown)
        try:
            resolution = resolver.resolve(rule)
        except ProblemError:
            resolution = None
        if resolution is not None and (resolution.due == date if date else cell_text(shown) == rule):
            return _as_written(rule)
    return _due(shown, resolver, line, note, declared)


def _copy_extra(kind: str, values: dict[str, Any], entry: dict[str, Any]) -> None:
    """An issue's further cells on its first row that has them (later rows repeat or leave them blank)."""
    for f in _EXTRA[kind]:
        if f.name in entry:
            continue
        value: Any = split_list(values.get(f.column)) if f.type == schema.TEXTS else cell_text(values.get(f.column))
        if value:
            entry[f.name] = value


def _raw(values: dict[str, Any]) -> str:
    return " | ".join(cell_text(v) for v in values.values())


def _issue(issues, issue_ids, category, title, given, line, note) -> dict[str, Any]:
    key = ("#", given) if given else (category, title)
    if key in issues:
        return issues[key]
    issue_id = given if _usable_id(given, issue_ids) else ""
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
    issue_ids.add(id_key(issue_id))
    issues[key] = entry
    return entry


def _task_id(values, issue, task_ids, line, note) -> str:
    given = cell_text(values.get("task_id"))
    if _usable_id(given, task_ids):
        task_ids.add(id_key(given))
        return given
    if given:
        note(line, "import.note.bad_id", id=given)
    stem = issue["id"][2:] if issue["id"].startswith("I-") else issue["id"]
    k = 1
    while f"T-{stem}-{k}" in task_ids:
        k += 1
    task_ids.add(f"T-{stem}-{k}")
    return f"T-{stem}-{k}"


def _usable_id(given: str, taken: set[str]) -> bool:
    """A ledger's own id is kept when `check` would accept it: well formed, every
    character visible, and not the same as (or a look-alike of) one already given."""
    return bool(given) and bool(_ID.match(given)) and id_character_problem(given) is None and id_key(given) not in taken


def _due(value: Any, resolver: Resolver, line: int, note, declared: list[str] | None, written: bool = False) -> Any:
    """A date when the cell is one; else the rule text when the engine reads it; else None.
    `written`: the text as the ledger wrote it (2024年12月31日 stays so), unless an ISO date."""
    if value in (None, ""):
        return None
    date = _as_written(value) if written else parse_date(value)
    if written and not isinstance(date, dt.date):
        date = None
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
    found = Status.parse(word)
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


def _files(plan_id, source, today, lang, title, issues, tasks, plan, declared) -> dict[str, str]:
    banner = "# " + text("import.generated", lang, source=source, date=today.isoformat()) + "\n"
    files = {
        "issues.yaml": banner + _dump({"kind": "issues", "plan": plan_id, "issues": issues}),
        "tasks.yaml": banner + _dump({"kind": "tasks", "plan": plan_id, "tasks": tasks}),
    }
    if plan is not None:
        plan["title"] = plan["title"] or title or plan_id
        if declared:
            plan["events"] = {**plan.get("events", {}), **{name: None for name in declared}}
        if "events" in plan:  # the key order of the file format
            plan = {k: plan[k] for k in ("kind", "id", "title", "owner", "issuer", "calendar", "events") if k in plan} | plan
        files = {"plan.yaml": banner + _dump(plan), **files}
    return files


def report_text(result: ImportResult, source: str, lang: str) -> str:
    """The import report: a summary line, then one line per note, in row order. Cell text
    in it has control characters and line breaks shown as escapes: one note, one line."""
    lines = [
        text(
            "import.summary", lang, source=source, rows=result.rows, issues=result.issues,
            tasks=result.tasks, skipped=result.skipped,
        )
    ]
    for n in sorted(result.notes, key=lambda n: n.line):
        lines.append(text("import.note.line", lang, line=n.line, what=text(n.key, lang, **n.params)))
    return "".join(escape.one_line(line) + "\n" for line in lines)

