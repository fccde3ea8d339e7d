"""The workbook's other sheets: what a ledger row cannot hold, so export → import loses nothing.

The 整改台账 sheet has one row per measure. A plan also has its events,
milestones, phases, issues without measures, and each task's extensions and
reopenings; without them an imported ledger counts deadlines from unknown
events, forgets approved extensions and who struck a task off. Each of these
is a plain table a reader can understand too (延期记录, 重新打开记录 ...),
written by `rows_of` and read back by `read_details`; both sides use the
same column keys, named through the message catalogue in either language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import schema
from ..messages import LANGS, text
from ..model import CalendarSpec, Repository, Status
from ..recurrence import split_occurrence
from ..schedule import Schedule
from .ledger import EXTRA, column_title
from .tables import _clean as clean_cell, cell_text, parse_date, split_list  # the ledger sheet's own cleaning

# An issue's further fields with a ledger column (see `ledger.EXTRA`): in the issue sheet too.
ISSUE_EXTRA = tuple(f for kind, f in EXTRA if kind == "issue")
# Sheet key → column keys; titles are `ledger.sheet.<key>`, headers `ledger.column_title`.
SHEETS: dict[str, tuple[str, ...]] = {
    "issues": ("plan", "issue_id", "category", "issue", *(f.column for f in ISSUE_EXTRA), "description"),
    "plans": ("plan", "plan_title", "plan_owner", "issuer", "country", "subdiv", "extra_holidays",
              "extra_workdays", "responsibility", "next_steps"),
    "events": ("plan", "event", "event_date", "event_names", "event_every", "event_dates", "event_until"),
    "milestones": ("plan", "milestone_id", "milestone_title", "due", "due_rule", "status", "done", "evidence",
                   "milestone_lead", "milestone_support", "milestone_each"),
    "phases": ("plan", "phase_id", "phase_title", "window"),
    "extensions": ("plan", "task_id", "original_due", "to", "approved_by", "approved_on", "reason"),
    "reopenings": ("plan", "task_id", "reopened_on", "reason", "reopened_by", "undone_done", "undone_closed",
                   "undone_closed_by"),
    # The supervising office's records (read back by import too).
    "reviews": ("plan", "task_id", "review_date", "review_by", "review_result", "review_reason"),
    "duban": ("plan", "task_id", "duban_date", "duban_level", "duban_by", "duban_note", "reply_by",
              "reply", "replied", "duban_state"),
    "lookbacks": ("plan", "task_id", "lookback_date", "lookback_result", "lookback_by", "lookback_note"),
}
# The other lists (建议清单, 成果清单): a sheet each, a column per field of the list's kind.
LIST_SHEETS = {"suggestions": "suggestion", "outcomes": "outcome"}
SHEETS.update({sheet: ("plan", *(f"{kind}.{f.name}" for f in schema.fields(kind))) for sheet, kind in LIST_SHEETS.items()})
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LIST_SEP = "\n"


@dataclass(frozen=True, slots=True)
class Sheet:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]  # str, int, date or None per cell


def sheets_of(repo: Repository, schedule: Schedule, plan_id: str | None, lang: str) -> list[Sheet]:
    """Every detail sheet, in a fixed order, with a header even when empty."""
    records = _records(repo, schedule, plan_id, lang)
    return [
        Sheet(key, text(f"ledger.sheet.{key}", lang)[:31], [column_title(c, lang) for c in columns],
              [[r.get(c) for c in columns] for r in records[key]])
        for key, columns in SHEETS.items()
    ]


def _records(repo: Repository, schedule: Schedule, plan_id: str | None, lang: str) -> dict[str, list[dict[str, Any]]]:
    keep = lambda p: plan_id is None or p == plan_id  # noqa: E731
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in SHEETS}
    states = {(s.plan.id if s.plan else "", s.item.id): s for s in schedule.milestones}
    for issue in repo.issues:
        if keep(issue.plan):
            out["issues"].append({"plan": issue.plan, "issue_id": issue.id, "category": issue.category,
                                  "issue": issue.title, "description": issue.description,
                                  **{f.column: schema.plain_value(f, getattr(issue, f.name)) for f in ISSUE_EXTRA}})
    for plan in repo.plans:
        if not keep(plan.id):
            continue
        cal = plan.calendar
        out["plans"].append({
            "plan": plan.id, "plan_title": plan.title, "plan_owner": plan.owner, "issuer": plan.issuer,
            "country": cal.country, "subdiv": cal.subdiv or "",
            "extra_holidays": LIST_SEP.join(d.isoformat() for d in cal.extra_holidays),
            "extra_workdays": LIST_SEP.join(d.isoformat() for d in cal.extra_workdays),
            "responsibility": plan.responsibility, "next_steps": plan.next_steps,
        })
        for event in plan.events:
            out["events"].append({"plan": plan.id, "event": event.name, "event_date": event.date,
                                  "event_names": LIST_SEP.join(event.names), "event_every": event.every,
                                  "event_dates": LIST_SEP.join(d.isoformat() for d in event.dates),
                                  "event_until": event.until})
        for m in plan.milestones:
            state = states.get((plan.id, m.id))
            due = state.due_date if state and state.due is not None and state.due.kind == "date" else None
            rule = m.due.text if m.due else ""
            out["milestones"].append({
                "plan": plan.id, "milestone_id": m.id, "milestone_title": m.title, "due": due or rule,
                "due_rule": rule, "status": text(f"status.{m.status.value}", lang), "done": m.done,
                "evidence": LIST_SEP.join(m.evidence), "milestone_lead": LIST_SEP.join(m.leads),
                "milestone_support": LIST_SEP.join(m.support), "milestone_each": m.each,
            })
        for phase in plan.phases:
            out["phases"].append({"plan": plan.id, "phase_id": phase.id, "phase_title": phase.title,
                                  "window": phase.window.text if phase.window else ""})
    for task in repo.tasks:
        if not keep(task.plan):
            continue
        for ext in task.extensions:
            out["extensions"].append({
                "plan": task.plan, "task_id": task.id, "original_due": task.due.text if task.due else "",
                "to": ext.to.text, "approved_by": ext.approved_by, "approved_on": ext.date, "reason": ext.reason,
            })
        for again in task.reopened:
            out["reopenings"].append({"plan": task.plan, "task_id": task.id, "reopened_on": again.date,
                                      "reason": again.reason, "reopened_by": again.by, "undone_done": again.done,
                                      "undone_closed": again.closed, "undone_closed_by": again.closed_by})
        for review in task.reviews:
            out["reviews"].append({
                "plan": task.plan, "task_id": task.id, "review_date": review.date, "review_by": review.by,
                "review_result": text(f"review.result.{review.result}", lang) if review.result else "",
                "review_reason": review.reason,
            })
        for b in task.lookbacks:
            out["lookbacks"].append({"plan": task.plan, "task_id": task.id, "lookback_date": b.date,
                                     "lookback_result": b.result, "lookback_by": b.by, "lookback_note": b.note})
    _duban_rows(schedule, keep, lang, out["duban"])
    for sheet, kind in LIST_SHEETS.items():
        for entry in getattr(repo, sheet):
            if keep(entry.plan):
                out[sheet].append({"plan": entry.plan, **{f"{kind}.{f.name}": list_cell(f, getattr(entry, f.attr or f.name), lang)
                                                          for f in schema.fields(kind)}})
    return out


def list_cell(f: schema.Field, value: Any, lang: str) -> Any:
    """A field of a list entry as one cell: lists one item a line, a state in words."""
    if f.type == schema.STATUS:
        return text(f"status.{value.value}", lang)
    plain = schema.plain_value(f, value)
    return LIST_SEP.join(plain) if isinstance(plain, (list, tuple)) else plain


def _duban_rows(schedule: Schedule, keep, lang: str, out: list[dict[str, Any]]) -> None:
    """The 督办清单, each 督办 with its state as of the export day."""
    for state in schedule.tasks:
        task = state.item
        if not keep(task.plan):
            continue
        for n, d in enumerate(getattr(task, "duban", ())):
            late = n in state.supervision.unanswered
            word = ("duban.state.answered" if d.reply else "duban.state.late" if late else "duban.state.waiting")
            out.append({
                "plan": task.plan, "task_id": task.id, "duban_date": d.date, "duban_level": d.level,
                "duban_by": d.by, "duban_note": d.note, "reply_by": d.reply_by.text if d.reply_by else "",
                "reply": d.reply, "replied": d.replied, "duban_state": text(word, lang, date=d.replied or ""),
            })


_PER_RUN = ("status", "done", "evidence")
_NOT_TEMPLATE = (*_PER_RUN, "progress", "closed", "closed_by", "extensions", "reopened", "reviews", "duban", "lookbacks")


def fold_occurrences(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows exported from a recurring item (`T-02@2024-06-20 …` with `each`: one row per
    occurrence, see `recurrence`) become the item again, with a run for each occurrence that
    recorded anything. `_rule` on an entry: its deadline as written (a row shows its own date)."""
    out: list[dict[str, Any]] = []
    templates: dict[str, dict[str, Any]] = {}
    for entry in entries:
        rule = entry.pop("_rule", None)
        found = split_occurrence(str(entry.get("id", ""))) if entry.get("each") else None
        if found is None:
            out.append(entry)
            continue
        base, day = found
        template = templates.get(base)
        if template is None:
            template = {k: v for k, v in entry.items() if k not in _NOT_TEMPLATE}
            template["id"] = base
            if rule is not None:
                template.pop("due", None)
                if rule:
                    template["due"] = rule
            template["runs"] = []
            templates[base] = template
            out.append(template)
        run = {"on": day, **{k: entry[k] for k in _PER_RUN if k in entry}}
        if len(run) > 1:
            template["runs"].append(run)
    for template in templates.values():
        if not template["runs"]:
            del template["runs"]
    return out


@dataclass
class Details:
    """The detail sheets read back: sheet key → rows of column key → cell value."""

    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def rows(self, key: str, plan_id: str) -> list[dict[str, Any]]:
        """The sheet's rows for this plan; all of them when the sheet holds one other plan
        (a ledger imported under a new id)."""
        rows = self.sheets.get(key, [])
        plans = {cell(r.get("plan")) for r in rows}
        if plan_id in plans:
            return [r for r in rows if cell(r.get("plan")) == plan_id]
        return rows if len(plans) <= 1 else []


def read_details(path: Path) -> Details:
    """The detail sheets of an .xlsx workbook, found by their titles in either language,
    read within the import's bounds (`workbook`); LedgerError past them."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return Details()
    from .workbook import sheets

    titles = {text(f"ledger.sheet.{key}", lang)[:31]: key for key in SHEETS for lang in LANGS}
    details = Details()
    for title, grid, _ in sheets(path, titles):
        key = titles[title]
        if key not in details.sheets:
            details.sheets[key] = _rows(grid, SHEETS[key])
    return details


def _rows(grid: list[list[Any]], columns: tuple[str, ...]) -> list[dict[str, Any]]:
    if not grid:
        return []
    names = {column_title(c, lang): c for c in columns for lang in LANGS}
    index = {i: names[str(v).strip()] for i, v in enumerate(grid[0]) if v is not None and str(v).strip() in names}
    rows = []
    for raw in grid[1:]:
        row = {key: _clean(raw[i]) for i, key in index.items() if i < len(raw)}
        if any(v not in (None, "") for v in row.values()):
            rows.append(row)
    return rows


def plan_content(details: Details, plan_id: str) -> tuple[dict[str, Any], CalendarSpec]:
    """plan.yaml's content from the plan, event, milestone and phase sheets (bare when absent),
    and its calendar, to count deadlines with while importing."""
    row = (details.rows("plans", plan_id) or [{}])[0]
    plan: dict[str, Any] = {"kind": "plan", "id": plan_id, "title": cell_text(row.get("plan_title"))}
    for key, column in (("owner", "plan_owner"), ("issuer", "issuer")):
        if cell_text(row.get(column)):
            plan[key] = cell_text(row.get(column))
    holidays, workdays = (tuple(d for d in map(parse_date, split_list(row.get(k), "\n")) if d)
                          for k in ("extra_holidays", "extra_workdays"))
    country, subdiv = cell_text(row.get("country")).upper(), cell_text(row.get("subdiv"))
    spec = CalendarSpec(country or "CN", subdiv or None, holidays, workdays)
    if subdiv or holidays or workdays:
        plan["calendar"] = {k: v for k, v in (("country", spec.country), ("subdiv", subdiv),
                                              ("extra_holidays", list(holidays)), ("extra_workdays", list(workdays))) if v}
    elif country:
        plan["calendar"] = country
    events: dict[str, Any] = {}
    for r in details.rows("events", plan_id):
        date, names = parse_date(r.get("event_date")), split_list(r.get("event_names"), "\n")
        series = {k: v for k, v in (("every", cell_text(r.get("event_every"))),
                                     ("dates", [d for d in map(parse_date, split_list(r.get("event_dates"), "\n")) if d]),
                                     ("until", parse_date(r.get("event_until")))) if v}
        if cell_text(r.get("event")):  # other names a deadline may use: {date, names: [...]}; a series
            mapping = {**({} if series.get("dates") else {"date": date}),
                       **({"names": names} if names else {}), **series}
            events[cell_text(r.get("event"))] = mapping if names or series else date
    if events:
        plan["events"] = events
    milestones = []
    for r in details.rows("milestones", plan_id):
        m: dict[str, Any] = {"id": cell_text(r.get("milestone_id")), "title": cell_text(r.get("milestone_title"))}
        due = as_written(r.get("due_rule")) or as_written(r.get("due"))
        if due:
            m["due"] = due
        status = Status.parse(cell_text(r.get("status")))
        if status is not None and status is not Status.TODO:
            m["status"] = status.value
        if parse_date(r.get("done")):
            m["done"] = parse_date(r.get("done"))
        if split_list(r.get("evidence"), "\n"):
            m["evidence"] = split_list(r.get("evidence"), "\n")
        leads, support = split_list(r.get("milestone_lead"), "\n"), split_list(r.get("milestone_support"), "\n")
        if leads:
            m["lead"] = leads if len(leads) > 1 else leads[0]
        if support:
            m["support"] = support
        if cell_text(r.get("milestone_each")):
            m["each"] = cell_text(r.get("milestone_each"))
        milestones.append(m)
    if milestones:
        plan["milestones"] = fold_occurrences(milestones)
    phases = [{"id": cell_text(r.get("phase_id")), "title": cell_text(r.get("phase_title")),
               "window": as_written(r.get("window"))} for r in details.rows("phases", plan_id)]
    if phases:
        plan["phases"] = phases
    for key in ("responsibility", "next_steps"):
        if cell_text(row.get(key)):
            plan[key] = _block(cell_text(row.get(key)))
    return plan, spec


def _block(value: str) -> str:
    """A text of several lines ends with a line break, as a `|` block gives it."""
    return value + "\n" if "\n" in value and not value.endswith("\n") else value


def as_written(value: Any) -> Any:
    """A deadline or window as its text: an ISO date (or a date cell) becomes a YAML date."""
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value)
    word = cell_text(value)
    return dt.date.fromisoformat(word) if _ISO.match(word) and parse_date(word) else word


def _clean(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return clean_cell(value)


def cell(value: Any) -> str:
    return cell_text(value)
