"""From a recognised document outline to draft plan files (plan.yaml, issues.yaml,
tasks.yaml) and the import report.

A measure's first sentence is its title; the sentences after it are its progress
(dated the document's date) or, without a date, its notes. Units, deadlines and
states are taken where the document writes them; what is guessed (a lead unit
the document does not name, a state read from a phrase, a done date) is listed
under `x-guessed` with `x-review: true`, so a person checks it before the draft
becomes the ledger. Nothing is dropped: every paragraph is in the files or in
the report with its number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..calendar import calendar_for
from ..messages import text
from ..model import CalendarSpec
from ..problems import ProblemError
from ..rules import Resolver
from .importer import _dump
from .outline_parse import Category, Issue, Measure, Outline, first_sentence, sentences
from .tables import split_list

_DUE_NOTE = re.compile(r"[（(]\s*(?:完成时限|整改时限|时限)\s*[:：]\s*([^）)]+)[）)]")
_DUE_PHRASES = (
    re.compile(r"(长期坚持|立行立改)"),
    re.compile(r"((?:今年|明年|次年|\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?(?:底|上旬|中旬|下旬)?|年底|年内)前)(?:完成|办结|整改到位|落实)"),
    re.compile(r"((?:收到|自)[^，。；,;]{1,12}?[\d一二三四五六七八九十两]+个工作日内)"),
)
_STATES = (
    ("ongoing", re.compile(r"长期坚持|持续整改|需要长期整改")),
    ("done", re.compile(r"已完成整改|已整改到位|已整改完毕|整改完毕|已全部完成|已完成")),
    ("doing", re.compile(r"正在整改|正在推进|推进中|正全力|整改中")),
)
_LEAD = re.compile(r"(?:责任单位|牵头单位|责任部门|牵头部门|责任科室)\s*[:：]\s*([^；;，,]*(?:[，,][^；;：:]*)?)")
_SUPPORT = re.compile(r"(?:配合单位|协办单位|配合部门)\s*[:：]\s*([^；;]*)")
UNPLACED = ("docimport.unplaced.before_title", "docimport.unplaced.annex", "docimport.unplaced.after_signature",
            "docimport.unplaced.closing")
_EVENT = "feedback_received"
_EVENT_NAMES = ["反馈意见", "巡察意见", "巡察反馈意见", "巡视反馈意见"]


@dataclass
class Draft:
    plan: dict[str, Any]
    issues: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    categories: int = 0
    notes: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)  # (paragraph, key, params)

    @property
    def unplaced(self) -> int:
        return sum(1 for _, key, _ in self.notes if key in UNPLACED)


def draft(outline: Outline, plan_id: str) -> Draft:
    date = _date(outline.date)
    feedback = _date(outline.feedback)
    owner = outline.issuer
    plan: dict[str, Any] = {"kind": "plan", "id": plan_id, "title": subject(outline.title, owner) or plan_id}
    if outline.title and plan["title"] != outline.title:
        plan["x-document"] = outline.title  # the title as written; `report` builds it back from issuer and title
    if owner:
        plan["owner"] = owner
        plan["issuer"] = owner
    plan["calendar"] = "CN"
    events: dict[str, Any] = {}
    if feedback is not None:
        events[_EVENT] = {"date": feedback, "names": list(_EVENT_NAMES)}
    if date is not None:
        events["report_date"] = date
    if events:
        plan["events"] = events
    for key, parts in (("description", outline.description), ("responsibility", outline.responsibility),
                       ("next_steps", outline.next_steps)):
        if parts:
            plan[key] = "\n".join(t for _, t in parts)
    result = Draft(plan)
    if not owner:
        plan["x-review"] = True
        result.notes.append((0, "docimport.note.no_issuer", {}))
    years = [d.year for d in (feedback, date) if d is not None]
    names: dict[str, dt.date | None] = {name: feedback for name in (_EVENT, *_EVENT_NAMES)} if feedback else {}
    resolver = Resolver(calendar_for(CalendarSpec()), min(years) if years else None, names, {})
    builder = _Builder(result, resolver, date, owner or "待定", events)
    for category in outline.categories:
        if category.name:
            result.categories += 1
        for issue in category.issues:
            builder.issue(issue, category, None)
    for number, line, key in outline.unplaced:
        result.notes.append((number, key, {"text": _short(line)}))
    result.notes.sort(key=lambda n: n[0])
    return result


_NOTICE = re.compile(r"^(?P<issuer>.*?)关于(?P<subject>.+?)(?:整改)?(?:进展|落实)?情况的?通报$")


def subject(title: str, owner: str) -> str:
    """中共X委关于巡察整改进展情况的通报 → 巡察: what the plan is about, so that the
    progress report's title ({issuer}关于{plan}整改进展情况的通报) is the document's again."""
    m = _NOTICE.match(title)
    if m and m["subject"] and (not owner or m["issuer"] in ("", owner)):
        return m["subject"]
    return title


def _date(value: tuple[int, int, int] | None) -> dt.date | None:
    try:
        return dt.date(*value) if value else None
    except ValueError:
        return None


def _short(line: str) -> str:
    return line if len(line) <= 60 else line[:59] + "…"


class _Builder:
    def __init__(self, result: Draft, resolver: Resolver, date: dt.date | None, owner: str,
                 events: dict[str, Any]) -> None:
        self.result, self.resolver, self.date, self.owner = result, resolver, date, owner
        self.events = events

    def issue(self, node: Issue, category: Category, parent: str | None) -> None:
        number = len(self.result.issues) + 1
        entry: dict[str, Any] = {"id": f"I-{number:02d}"}
        if category.name:
            entry["category"] = category.name
        entry["title"] = node.title or (first_sentence(node.measures[0].text)[0] if node.measures else "")
        if parent:
            entry["parent"] = parent
        if node.finding:
            entry["finding"] = "\n".join(t for _, t in node.finding)
        if node.target:
            entry["target"] = "\n".join(t for _, t in node.target)
        if node.description:
            entry["description"] = "\n".join(t for _, t in node.description)
        self.result.issues.append(entry)
        for k, measure in enumerate(node.measures, 1):
            self.task(measure, entry["id"], f"T-{number:02d}-{k}", node.units)
        for child in node.children:
            self.issue(child, category, entry["id"])

    def task(self, measure: Measure, issue_id: str, task_id: str, issue_units: str) -> None:
        body = measure.text
        due_text = ""
        note = _DUE_NOTE.search(body)
        if note:
            due_text = note[1].strip()
            body = (body[: note.start()] + body[note.end():]).strip()
        title, rest = first_sentence(body)
        task: dict[str, Any] = {"id": task_id, "issue": issue_id, "title": title}
        guessed: list[str] = []
        lead, support = _units(measure.units or issue_units)
        if not lead:
            lead, support = [self.owner], []
            guessed.append("lead")
        task["lead"] = lead if len(lead) > 1 else lead[0]
        if support:
            task["support"] = support
        due = self.due(due_text, measure) if due_text else None
        if due is None:
            for pattern in _DUE_PHRASES:
                m = pattern.search(body)
                if m:
                    due = self.due(m[1], measure)
                    break
        if due is not None:
            task["due"] = due
        state = next((s for s, pattern in _STATES if pattern.search(body)), None)
        if state == "done" and self.date is None:
            state = None
        if state is not None:
            task["status"] = state
            guessed.append("status")
            if state == "done":
                task["done"] = self.date
                guessed.append("done")
        later = sentences(rest)
        if later:
            if self.date is not None:
                task["progress"] = [{"date": self.date, "note": "".join(later)}]
            else:
                task["notes"] = "".join(later)
        if measure.theme:
            task["x-theme"] = measure.theme
        if guessed:
            task["x-review"] = True
            task["x-guessed"] = guessed
        self.result.tasks.append(task)

    def due(self, written: str, measure: Measure) -> str | None:
        """The deadline as written when the rule engine reads it, else None and a note."""
        rule = written.strip().rstrip("。；;，,")
        try:
            self.resolver.resolve(rule)
            return rule
        except ProblemError as exc:
            name = str(exc.params.get("name", ""))
            if exc.key == "rule.unknown_anchor" and name and name not in self.resolver.events:
                self.resolver.events[name] = None  # an event nobody dated yet: declared as null
                self.events[name] = None
                self.result.plan["events"] = self.events
                try:
                    self.resolver.resolve(rule)
                    return rule
                except ProblemError:
                    pass
        self.result.notes.append((measure.para, "docimport.note.bad_due", {"due": rule}))
        return None


def _units(note: str) -> tuple[list[str], list[str]]:
    if not note:
        return [], []
    lead_m = _LEAD.search(note)
    support_m = _SUPPORT.search(note)
    lead_text = lead_m[1] if lead_m else ""
    if support_m and lead_m and support_m.start() > lead_m.start():
        lead_text = note[lead_m.start(1): support_m.start()]
    lead = [u.strip("；;，, ") for u in split_list(lead_text, "、，,；;/") if u.strip("；;，, ")]
    support = [u for u in split_list(support_m[1] if support_m else "", "、，,；;/") if u]
    return lead, support


def files(result: Draft, plan_id: str, source: str, today: dt.date, lang: str, with_plan: bool) -> dict[str, str]:
    banner = "# " + text("import.generated", lang, source=source, date=today.isoformat()) + "\n"
    out = {
        "issues.yaml": banner + _dump({"kind": "issues", "plan": plan_id, "issues": result.issues}),
        "tasks.yaml": banner + _dump({"kind": "tasks", "plan": plan_id, "tasks": result.tasks}),
    }
    if with_plan:
        out = {"plan.yaml": banner + _dump(result.plan), **out}
    return out


def report_text(result: Draft, source: str, lang: str) -> str:
    lines = [text("docimport.summary", lang, source=source, categories=result.categories,
                  issues=len(result.issues), tasks=len(result.tasks), unplaced=result.unplaced)]
    for number, key, params in result.notes:
        what = text(key, lang, **params)
        lines.append(text("docimport.note.line", lang, line=number, what=what) if number else what)
    return "\n".join(lines) + "\n"


def tree_text(result: Draft, lang: str) -> list[str]:
    """What --dry-run shows: categories → issues → measures, with units and deadlines."""
    lines: list[str] = []
    by_issue: dict[str, list[dict[str, Any]]] = {}
    for task in result.tasks:
        by_issue.setdefault(task["issue"], []).append(task)
    depth = {}
    category = None
    for issue in result.issues:
        if issue.get("category", "") != category:
            category = issue.get("category", "")
            lines.append(text("docimport.tree.category", lang, name=category or "—"))
        level = depth[issue["id"]] = depth.get(issue.get("parent", ""), 0) + 1
        lines.append("  " * level + f"{issue['id']} {issue['title']}")
        for task in by_issue.get(issue["id"], []):
            lead = task["lead"] if isinstance(task["lead"], str) else "、".join(task["lead"])
            due = task.get("due", "")
            extra = text("docimport.tree.task", lang, lead=lead, due=due or "—", review="?" if task.get("x-review") else "")
            lines.append("  " * (level + 1) + f"{task['id']} {task['title']}  {extra}")
    return lines
