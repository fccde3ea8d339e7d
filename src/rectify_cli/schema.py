"""The file format v1, declared once: every kind's fields and what each one means.

The reader's key tables, `rectify set`, history's field lists, the Excel
ledger's columns and the import's header words, the JSON Schema that
`rectify schema` prints and the README's key table are all read from here, so
a new field is one entry below plus its label in `messages` (`field.<name>`).
Declaration order matters: it is the order the reader reads and lists keys in,
and the order an edit inserts a missing key in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any, Mapping

# Value types, as the reader reads them.
KIND = "kind"  # the file's kind word
ID = "id"  # text without spaces, ':', '/' or '\'
TEXT = "text"  # any scalar, read as the text written (`title: 2025` is "2025")
DATE = "date"  # YYYY-MM-DD
EXPR = "expr"  # a deadline or window: a date, a rule, a window, or ongoing
STATUS = "status"  # a status word, English or Chinese (model.STATUS_ALIASES)
TEXTS = "texts"  # text, or a list of text
UNITS = "units"  # one unit, or a list of units named jointly (joint leads)
DATES = "dates"  # a list of dates
RECORDS = "records"  # a list of mappings of another kind (`of`)
RECORD = "record"  # one mapping of another kind (`of`)
CALENDAR = "calendar"  # a calendar code, or a `calendar` mapping
EVENTS = "events"  # event name -> date (null: not happened yet), or an `event` mapping

# The edit commands that write a field besides `rectify set`.
SET = "set"

# The words a few fields take, and nothing else (the reader refuses others).
REVIEW_RESULTS = ("submit", "approve", "reject")  # the 销号 application, then each decision
DUBAN_LEVELS = ("蓝", "黄", "红", "约谈")  # 三色督办单, then an interview
LOOKBACK_RESULTS = ("巩固", "反弹")  # a 回头看 finds the fix held, or that it rebounded
# A measure's term as 整改方案 sort them: at once, within the concentrated period, or long-term.
TERMS = ("立行立改", "集中", "长期", "immediate", "concentrated", "long-term")
LONG_TERM = ("长期", "long-term")  # never overdue; must keep reporting progress
WEBHOOK_KINDS = ("wecom", "dingtalk", "json")
# How often a series event recurs, in months (`every:`); see recurrence.
EVERY_MONTHS = {"month": 1, "每月": 1, "quarter": 3, "每季度": 3, "half-year": 6, "每半年": 6, "year": 12, "每年": 12}
EVERY = tuple(EVERY_MONTHS)  # the work-chat robots `notify` speaks to


@dataclass(frozen=True, slots=True)
class Field:
    """One key of one kind of mapping.

    `column`/`headers`: the Excel ledger column that shows the field and the
    header words real ledgers use for it (import reads them). `history`: None
    when history and diff do not compare the field, else its rank there (lower
    first, then declaration order). `attr`: the model's name for it when not the
    key's (`lead` is read into `leads`). `choices`: the only words the field takes. `verb`: the command that writes it (`set`,
    or the one `set` sends the user to; None: never edited). `summary`: in the
    issue records of `status --format json`; `report`: a line under the issue's
    heading in the report.
    """

    name: str
    type: str
    required: bool = False
    of: str = ""
    column: str = ""
    headers: tuple[str, ...] = ()
    history: int | None = 0
    verb: str | None = SET
    summary: bool = False
    report: bool = False
    attr: str = ""
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The message key of the field's zh/en name."""
        return f"field.{self.name}"


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    what: str  # how messages name a mapping of this kind (the key that holds it)
    fields: tuple[Field, ...]


def _f(name: str, type: str = TEXT, **kw: Any) -> Field:
    return Field(name, type, **kw)


_NO_EDIT = {"verb": None, "history": None}

KINDS: Mapping[str, Kind] = {
    k.name: k
    for k in (
        Kind("plan", "plan", (
            _f("kind", KIND, required=True, **_NO_EDIT), _f("id", ID, required=True, **_NO_EDIT),
            _f("title", required=True), _f("owner"), _f("calendar", CALENDAR), _f("events", EVENTS),
            _f("milestones", RECORDS, of="milestone"), _f("phases", RECORDS, of="phase"),
            _f("responsibility"), _f("next_steps"), _f("issuer"), _f("description"),
            _f("require_evidence", **_NO_EDIT),
            _f("closing", RECORD, of="closing", **_NO_EDIT), _f("review_after", EXPR, **_NO_EDIT),
            _f("progress_every", **_NO_EDIT),
        )),
        Kind("issues", "issues", (
            _f("kind", KIND, required=True, **_NO_EDIT),
            _f("plan", required=True, column="plan", headers=("计划编号",), **_NO_EDIT),
            _f("issues", RECORDS, required=True, of="issue", **_NO_EDIT),
        )),
        Kind("tasks", "tasks", (
            _f("kind", KIND, required=True, **_NO_EDIT),
            _f("plan", required=True, **_NO_EDIT),
            _f("tasks", RECORDS, required=True, of="task", **_NO_EDIT),
        )),
        # the other lists a plan may keep: 建议清单, and 成果清单 / 制度清单
        Kind("suggestions", "suggestions", (
            _f("kind", KIND, required=True, **_NO_EDIT), _f("plan", required=True, **_NO_EDIT),
            _f("suggestions", RECORDS, required=True, of="suggestion", **_NO_EDIT),
        )),
        Kind("outcomes", "outcomes", (
            _f("kind", KIND, required=True, **_NO_EDIT), _f("plan", required=True, **_NO_EDIT),
            _f("outcomes", RECORDS, required=True, of="outcome", **_NO_EDIT),
        )),
        Kind("suggestion", "suggestions", (
            _f("id", ID, required=True, **_NO_EDIT), _f("title", required=True), _f("by"), _f("issue"),
            _f("lead", UNITS, attr="leads"), _f("support", TEXTS), _f("due", EXPR), _f("status", STATUS),
            _f("reply"), _f("replied", DATE), _f("notes"),
        )),
        Kind("outcome", "outcomes", (
            _f("id", ID, required=True, **_NO_EDIT), _f("title", required=True), _f("category"),
            _f("number"), _f("date", DATE), _f("issuer"), _f("tasks", TEXTS), _f("evidence", TEXTS), _f("notes"),
        )),
        Kind("issue", "issues", (
            _f("id", ID, required=True, column="issue_id", headers=("问题编号",), **_NO_EDIT),
            _f("category", column="category", headers=("问题类别", "类别", "问题类型", "问题分类"), summary=True),
            _f("title", required=True, history=-1, summary=True, column="issue",
               headers=("问题", "存在问题", "问题描述", "反馈问题", "发现问题", "问题清单", "主要问题")),
            _f("parent", summary=True),
            _f("finding", column="finding", headers=("具体表现", "问题表现", "表现形式"), summary=True, report=True),
            _f("target", column="target", headers=("整改目标", "目标要求"), summary=True, report=True),
            _f("description"),
        )),
        Kind("task", "tasks", (
            _f("id", ID, required=True, column="task_id", headers=("任务编号", "措施编号"), **_NO_EDIT),
            _f("issue", required=True),
            _f("title", required=True, history=-1, column="measure",
               headers=("整改措施", "整改任务", "具体措施", "整改举措", "整改措施及目标")),
            _f("lead", UNITS, required=True, attr="leads", column="lead",
               headers=("牵头单位", "责任单位", "主责单位", "牵头部门", "责任部门", "牵头责任单位")),
            _f("support", TEXTS, column="support", headers=("配合单位", "协办单位", "配合部门", "协同单位")),
            _f("owner", column="owner", headers=("责任领导", "责任人", "分管领导")),
            _f("due", EXPR, column="due", headers=("完成时限", "整改时限", "完成时间", "整改期限", "时限")),
            _f("term", column="term", headers=("整改期限类型", "整改时限类型", "期限类型", "整改类型"), choices=TERMS),
            _f("status", STATUS, column="status", headers=("完成情况", "整改状态", "整改情况", "状态")),
            _f("done", DATE, column="done", headers=("完成日期", "实际完成时间", "实际完成日期")),
            _f("closed_by", column="closed_by", headers=("销号单位", "销号人")),
            _f("closed", DATE, column="closed", headers=("销号时间", "销号日期")),
            _f("evidence", TEXTS, column="evidence", headers=("佐证材料", "佐证", "佐证资料")),
            _f("progress", RECORDS, of="progress", verb="progress", history=1, column="progress",
               headers=("整改进展", "进展情况", "整改进展情况", "工作进展")),
            _f("extensions", RECORDS, of="extension", verb="extend"),
            _f("reopened", RECORDS, of="reopening", verb="reopen"),
            _f("notes", history=2, column="notes", headers=("备注",)),
            # the supervising office's records, listed last in history and diff
            _f("reviews", RECORDS, of="review", verb="review", history=3),
            _f("duban", RECORDS, of="duban", verb="duban", history=3),
            _f("lookbacks", RECORDS, of="lookback", verb="lookback", history=3), _f("review_after", EXPR, history=3),
            # a recurring task: one for every occurrence of a series event, and what each one did
            _f("each", column="each", headers=("周期事件",), verb=None, history=4),
            _f("runs", RECORDS, of="run", verb=None, history=4),
        )),
        Kind("milestone", "milestones", (
            _f("id", ID, required=True, **_NO_EDIT), _f("title", required=True), _f("due", EXPR, required=True),
            _f("status", STATUS), _f("done", DATE), _f("evidence", TEXTS),
            _f("lead", UNITS, attr="leads"), _f("support", TEXTS),
            _f("each", verb=None), _f("runs", RECORDS, of="run", verb=None),
        )),
        Kind("phase", "phases", (
            _f("id", ID, required=True, **_NO_EDIT), _f("title", required=True), _f("window", EXPR, required=True),
        )),
        Kind("event", "events", (
            _f("date", DATE), _f("names", TEXTS),
            _f("every", choices=EVERY), _f("dates", DATES), _f("until", DATE),
        )),
        Kind("run", "runs", (
            _f("on", DATE, required=True), _f("status", STATUS), _f("done", DATE), _f("evidence", TEXTS), _f("notes"),
        )),
        Kind("progress", "progress", (_f("date", DATE, required=True), _f("note", required=True))),
        Kind("extension", "extensions", (
            _f("to", EXPR, required=True), _f("approved_by"), _f("date", DATE), _f("reason"),
        )),
        # the finish a reopening undid, kept so the ledger of an earlier day can be told
        Kind("reopening", "reopened", (
            _f("date", DATE), _f("reason", required=True), _f("by"),
            _f("done", DATE), _f("closed", DATE), _f("closed_by"),
        )),
        Kind("closing", "closing", (_f("requires", TEXTS),)),
        Kind("review", "reviews", (
            _f("date", DATE, required=True), _f("by", required=True),
            _f("result", required=True, choices=REVIEW_RESULTS), _f("reason"),
        )),
        Kind("duban", "duban", (
            _f("date", DATE, required=True), _f("level", required=True, choices=DUBAN_LEVELS), _f("by", required=True),
            _f("note"), _f("reply_by", EXPR), _f("reply"), _f("replied", DATE),
        )),
        Kind("lookback", "lookbacks", (
            _f("date", DATE, required=True), _f("result", required=True, choices=LOOKBACK_RESULTS),
            _f("by", required=True), _f("note"),
        )),
        Kind("escalation", "escalation", (_f("blue_within"), _f("interview_after"), _f("reply_within"))),
        Kind("calendar", "calendar", (
            _f("country"), _f("subdiv"), _f("extra_holidays", DATES), _f("extra_workdays", DATES),
        )),
        Kind("config", "rectify.yaml", (
            _f("calendar", CALENDAR), _f("units", RECORDS, of="unit"), _f("require_evidence", **_NO_EDIT),
            _f("lang", **_NO_EDIT), _f("closing", RECORD, of="closing"), _f("review_after", EXPR),
            _f("progress_every"), _f("escalation", RECORD, of="escalation"),
            _f("sources", RECORDS, of="source"),
        )),
        Kind("source", "sources", (_f("name", ID, required=True), _f("url", required=True), _f("ref"), _f("path"))),
        Kind("unit", "units", (
            _f("name", required=True), _f("aliases", TEXTS), _f("leader"), _f("contact"), _f("progress_every"),
            _f("email"), _f("webhook"), _f("webhook_kind", choices=WEBHOOK_KINDS),
        )),
    )
}
# Where the README suggests keeping `rectify schema --out`, relative to the repository root;
# files made by `rectify new plan` point their editor at it.
SCHEMA_PATH = ".rectify/schema.json"
# The kinds a plan file may declare with `kind:`, and the one read from rectify.yaml.
FILE_KINDS = ("plan", "issues", "tasks", "suggestions", "outcomes")
CONFIG = "config"
# Ledger columns that no field holds: they are worked out for each row.
DERIVED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "seq": ("序号", "编号序号", "No", "No."),
    "days_overdue": ("逾期天数",),
    "due_rule": (),
    "closed_flag": ("是否销号", "销号情况"),  # import only: 是 with a 销号时间 is closed
}


def fields(kind: str) -> tuple[Field, ...]:
    return KINDS[kind].fields


def field(kind: str, name: str) -> Field | None:
    return next((f for f in KINDS[kind].fields if f.name == name), None)


def keys(kind: str) -> dict[str, bool]:
    """Allowed keys of a mapping of this kind, in order, required ones True (the reader's table)."""
    return {f.name: f.required for f in KINDS[kind].fields}


def settable(kind: str) -> tuple[str, ...]:
    """The keys `rectify set` writes on an item of this kind."""
    return tuple(f.name for f in KINDS[kind].fields if f.verb == SET)


def history_fields(kind: str) -> tuple[str, ...]:
    """The fields history and diff compare, in the order they list changes."""
    shown = [(f.history, n, f.name) for n, f in enumerate(KINDS[kind].fields) if f.history is not None and f.type != ID]
    return tuple(name for _, _, name in sorted(shown))


def header_words() -> dict[str, tuple[str, ...]]:
    """Ledger column -> header words real ledgers use for it (besides rectify's own)."""
    words = dict(DERIVED_COLUMNS)
    for kind in KINDS.values():
        for f in kind.fields:
            if f.column:
                words[f.column] = words.get(f.column, ()) + tuple(w for w in f.headers if w not in words.get(f.column, ()))
    return words


def columns(kind: str) -> tuple[Field, ...]:
    """The fields of a kind that the Excel ledger shows as a column."""
    return tuple(f for f in KINDS[kind].fields if f.column)


def plain(kind: str, entity: Any) -> dict[str, Any]:
    """An entity's declared values as comparable plain data (history, diff, JSON):
    dates as ISO text, deadlines as written, lists as tuples, records as dicts."""
    return {f.name: plain_value(f, getattr(entity, f.name)) for f in KINDS[kind].fields if f.type not in (ID, KIND)}


def summary(kind: str, entity: Any) -> dict[str, Any]:
    """The fields a short record of the entity carries (e.g. status's JSON issue records)."""
    return {f.name: plain_value(f, getattr(entity, f.name)) for f in KINDS[kind].fields if f.summary}


def plain_value(f: Field, value: Any) -> Any:
    if f.type == RECORDS:
        return tuple(plain(f.of, item) for item in value)
    if f.type == RECORD:
        return plain(f.of, value) if value is not None else None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if f.type == EXPR:
        return value.text if value is not None and value.text else None
    if f.type == DATE:
        return None  # a missing date
    return value
