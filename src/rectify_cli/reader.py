"""Reading one file's node tree against the file format v1, keeping every value's origin.

`Reader` reads the few shapes the format defines, field by field, from
composed YAML nodes (see `yamlsafe`): nothing is constructed, every value
gets the Source it came from, and every problem is collected, not raised.
The key tables below are the format: extend them, never rename.
"""

from __future__ import annotations

import datetime as dt
import re
from sys import intern
from typing import Callable

import yaml

from . import schema
from .messages import Ref
from .model import (
    Outcome,
    Run,
    Suggestion,
    CalendarSpec,
    Event,
    Expr,
    Extension,
    Issue,
    Milestone,
    Phase,
    Plan,
    Progress,
    Duban,
    Lookback,
    Reopening,
    Review,
    Source,
    STATUS_ALIASES,
    Status,
    Task,
)
from .problems import Problem, error, suggest

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP = (
    _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp",
)
_MERGE = _T + "merge"
MAX_SHOWN = 120  # a value quoted in a message is cut to this many characters
# A date, optionally with a YAML timestamp's time part (ignored); anything else
# after the date ("2025-01-01 一些说明") is not silently dropped but refused.
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::?\d{2})?))?)?$"
)
_ID = re.compile(r"^[^\s:/\\]+$")

# The file format v1: allowed keys per mapping, required ones marked True (see `schema`).
PLAN_KEYS = schema.keys("plan")
ISSUES_FILE_KEYS = schema.keys("issues")
TASKS_FILE_KEYS = schema.keys("tasks")
ISSUE_KEYS = schema.keys("issue")
TASK_KEYS = schema.keys("task")
MILESTONE_KEYS = schema.keys("milestone")
PHASE_KEYS = schema.keys("phase")
EVENT_KEYS = schema.keys("event")
RUN_KEYS = schema.keys("run")
PROGRESS_KEYS = schema.keys("progress")
EXTENSION_KEYS = schema.keys("extension")
REOPEN_KEYS = schema.keys("reopening")
CALENDAR_KEYS = schema.keys("calendar")
CLOSING_KEYS = schema.keys("closing")
REVIEW_KEYS = schema.keys("review")
DUBAN_KEYS = schema.keys("duban")
LOOKBACK_KEYS = schema.keys("lookback")
REVIEW_RESULTS, DUBAN_LEVELS, LOOKBACK_RESULTS = schema.REVIEW_RESULTS, schema.DUBAN_LEVELS, schema.LOOKBACK_RESULTS


def is_extension_key(key: str) -> bool:
    """Keys the user owns: `x-...` / `x_...` are carried along, never checked."""
    return key.startswith(("x-", "x_"))


class Reader:
    """Reads one file's nodes against the format, appending problems as it goes."""

    def __init__(self, display: str, problems: list[Problem]) -> None:
        self.display = display
        self.problems = problems

    # -- plumbing ---------------------------------------------------------
    def src(self, node: yaml.Node) -> Source:
        return Source(self.display, *_position(node))

    def fail(self, node: yaml.Node, message: str, /, **params: object) -> None:
        params = {k: _shown(v) for k, v in params.items()}
        self.problems.append(error(self.src(node), message, **params))

    def fields(self, node: yaml.Node, allowed: dict[str, bool], what: str) -> dict[str, yaml.Node] | None:
        """The mapping's values by key; unknown, duplicate and missing keys reported."""
        if not isinstance(node, yaml.MappingNode):
            self.wrong_type(node, what, "val.type.mapping")
            return None
        out: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "load.key_not_text", what=what, found=Ref(_type_key(key_node)))
                continue
            if key_node.tag == _MERGE:
                self.fail(key_node, "load.merge_key")
                continue
            key = intern(key_node.value)  # one string per key name: a parse encodes (and decodes) it once
            if key in out:
                self.fail(key_node, "load.duplicate_key", key=key, line=out[key].start_mark.line + 1)
                continue
            if key not in allowed and not is_extension_key(key):
                hint = suggest(key, allowed) or Ref("val.allowed_keys", keys=", ".join(allowed))
                self.fail(key_node, "val.unknown_key", key=key, hint=hint)
                continue
            out[key] = value_node
        for key in _required(allowed):
            if key not in out:
                self.fail(node, "val.missing_key", key=key)
        return out

    def wrong_type(self, node: yaml.Node, key: str, expected: str) -> None:
        self.fail(node, "val.wrong_type", key=key, expected=Ref(expected), found=Ref(_type_key(node)))

    def scalar_text(self, node: yaml.Node | None, key: str) -> str | None:
        """Any scalar as the text the user wrote (so `title: 2025` stays "2025")."""
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.wrong_type(node, key, "val.type.string")
            return None
        if node.tag == _NULL:
            return None
        return node.value

    def text(self, f: dict[str, yaml.Node], key: str) -> str:
        return (self.scalar_text(f.get(key), key) or "").strip()

    def ident(self, f: dict[str, yaml.Node], key: str = "id") -> str:
        value = self.text(f, key)
        node = f.get(key)
        if node is not None and value and not _ID.match(value):
            self.fail(node, "val.bad_id", value=value)
        elif node is not None and not value and isinstance(node, yaml.ScalarNode):
            self.fail(node, "val.empty_value", key=key)
        return value

    def date(self, f: dict[str, yaml.Node], key: str) -> dt.date | None:
        node = f.get(key)
        if node is None:
            return None
        return self.date_node(node, key)

    def date_node(self, node: yaml.Node, key: str) -> dt.date | None:
        if not isinstance(node, yaml.ScalarNode):
            self.wrong_type(node, key, "val.type.date")
            return None
        if node.tag == _NULL or (node.tag == _STR and not node.value.strip()):
            return None
        match = _ISO_DATE.match(node.value.strip())
        if not match or node.tag not in (_STR, _TIMESTAMP):
            self.fail(node, "val.bad_date", key=key, value=node.value)
            return None
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            self.fail(node, "val.bad_date", key=key, value=node.value)
            return None

    def expr(self, f: dict[str, yaml.Node], key: str) -> Expr | None:
        node = f.get(key)
        value = self.scalar_text(node, key)
        if node is None or value is None:
            return None
        if not value.strip():
            self.fail(node, "val.empty_value", key=key)
            return None
        return Expr(value.strip(), self.src(node))

    def units(self, f: dict[str, yaml.Node], key: str) -> tuple[str, ...]:
        """One unit, or several named jointly: `lead: 甲局` or `lead: [甲局, 乙局]`."""
        if key in f and isinstance(f[key], yaml.ScalarNode):
            value = self.text(f, key)
            return (value,) if value else ()
        names = self.text_list(f, key)
        if key in f and not names and isinstance(f[key], yaml.SequenceNode):
            self.fail(f[key], "val.empty_value", key=key)
        return tuple(dict.fromkeys(names))

    def text_list(self, f: dict[str, yaml.Node], key: str) -> tuple[str, ...]:
        """A list of text; a single string is accepted as a list of one."""
        node = f.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
            return ()
        if isinstance(node, yaml.ScalarNode):
            return (node.value.strip(),) if node.value.strip() else ()
        if not isinstance(node, yaml.SequenceNode):
            self.wrong_type(node, key, "val.type.string_or_list")
            return ()
        items = (self.scalar_text(item, key) for item in node.value)
        return tuple(item.strip() for item in items if item and item.strip())

    def items(self, f: dict[str, yaml.Node], key: str) -> list[yaml.Node]:
        node = f.get(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.wrong_type(node, key, "val.type.list")
            return []
        return node.value

    def status(self, f: dict[str, yaml.Node], default: Status = Status.TODO) -> Status:
        node = f.get("status")
        value = self.scalar_text(node, "status")
        if node is None or value is None:
            return default
        status = STATUS_ALIASES.get(value.strip()) or STATUS_ALIASES.get(value.strip().lower())
        if status is None:
            self.fail(
                node, "val.bad_status", value=value, hint=suggest(value, STATUS_ALIASES),
                allowed=Ref("val.allowed_statuses"),
            )
            return default
        return status

    def values(self, kind: str, f: dict[str, yaml.Node]) -> dict[str, object]:
        """Every declared field of an item but its id, each read by its type, in declaration order
        (so problems come in that order); a field not written is its reader's value for absence,
        found once (`_ABSENT`): most items write a few of their forty fields."""
        out = dict(_ABSENT[kind])
        for attr, name, read in _READERS[kind]:
            if name in f:
                out[attr] = read(self, f, name)
        return out

    def positions(self, f: dict[str, yaml.Node]) -> dict[str, tuple[int, int]]:
        return {key: _position(node) for key, node in f.items()}

    # -- documents ----------------------------------------------------------
    def document(self, root: yaml.Node, plans: list[Plan], issues: list[Issue], tasks: list[Task],
                 suggestions: list | None = None, outcomes: list | None = None) -> None:
        if not isinstance(root, yaml.MappingNode):
            self.fail(root, "load.top_not_mapping", found=Ref(_type_key(root)))
            return
        kind_node = next((v for k, v in root.value if getattr(k, "value", None) == "kind"), None)
        kind = self.scalar_text(kind_node, "kind") if kind_node is not None else None
        if kind is None:
            if kind_node is None or isinstance(kind_node, yaml.ScalarNode):  # else: wrong type, said
                self.fail(root, "load.missing_kind")
            return
        readers: dict[str, Callable[[yaml.Node], None]] = {
            "plan": lambda n: self.plan(n, plans),
            "issues": lambda n: self.issue_list(n, issues),
            "tasks": lambda n: self.task_list(n, tasks),
            "suggestions": lambda n: self.entry_list(n, "suggestions", Suggestion, suggestions),
            "outcomes": lambda n: self.entry_list(n, "outcomes", Outcome, outcomes),
        }
        reader = readers.get(kind.strip())
        if reader is None:
            self.fail(kind_node, "load.unknown_kind", value=kind, hint=suggest(kind, readers))
            return
        reader(root)

    def plan(self, node: yaml.Node, out: list[Plan]) -> None:
        f = self.fields(node, PLAN_KEYS, "plan")
        if f is None:
            return
        events = self.events(f.get("events"))
        out.append(
            Plan(
                id=self.ident(f), source=self.src(node), fields=self.positions(f),
                title=self.text(f, "title"), owner=self.text(f, "owner"),
                calendar=self.calendar(f.get("calendar")), events=events,
                milestones=tuple(self.milestone(m) for m in self.items(f, "milestones")),
                phases=tuple(self.phase(p) for p in self.items(f, "phases")),
                responsibility=self.text(f, "responsibility"), next_steps=self.text(f, "next_steps"),
                issuer=self.text(f, "issuer"), require_evidence=self.text(f, "require_evidence"),
                closing_requires=self.closing(f), review_after=self.expr(f, "review_after"),
                progress_every=self.text(f, "progress_every"),
            )
        )

    def closing(self, f: dict[str, yaml.Node]) -> tuple[str, ...]:
        """`closing: {requires: [牵头单位, 巡察办]}`: who must approve a 销号."""
        if "closing" not in f:
            return ()
        closing = self.fields(f["closing"], CLOSING_KEYS, "closing") or {}
        return tuple(dict.fromkeys(self.text_list(closing, "requires")))

    def events(self, node: yaml.Node | None) -> tuple[Event, ...]:
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == _NULL):
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.wrong_type(node, "events", "val.type.mapping")
            return ()
        seen: dict[str, yaml.Node] = {}
        out = []
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.fail(key_node, "load.key_not_text", what="events", found=Ref(_type_key(key_node)))
                continue
            if key_node.tag == _MERGE:
                self.fail(key_node, "load.merge_key")
                continue
            name = str(key_node.value).strip()
            if not name:
                self.wrong_type(key_node, "events", "val.type.string")
                continue
            if name in seen:
                self.fail(key_node, "load.duplicate_key", key=name, line=seen[name].start_mark.line + 1)
                continue
            seen[name] = key_node
            if isinstance(value_node, yaml.MappingNode):  # {date: …, names: [收到评议意见, …]}
                out.append(self.event(name, value_node))
                continue
            out.append(Event(name, self.date_node(value_node, name), self.src(value_node)))
        return tuple(out)

    def event(self, name: str, node: yaml.Node) -> Event:
        """An event mapping: a date with other names, or a series (`every`, `dates`)."""
        f = self.fields(node, EVENT_KEYS, name) or {}
        when = self.date_node(f["date"], name) if "date" in f else None
        every, dates = self.choice(f, "every", schema.EVERY), tuple(sorted(set(self.date_list(f, "dates"))))
        if "date" not in f and not dates:  # a series may give its dates instead
            self.fail(node, "val.missing_key", key="date")
        return Event(name, when if when is not None or not dates else dates[0], self.src(f.get("date", node)),
                     self.text_list(f, "names"), every, dates, self.date(f, "until"))

    def calendar(self, node: yaml.Node | None) -> CalendarSpec:
        if node is None:
            return CalendarSpec()
        if isinstance(node, yaml.ScalarNode):
            code = (self.scalar_text(node, "calendar") or "CN").strip()
            country, _, subdiv = code.partition("-")
            return CalendarSpec(country=country.upper(), subdiv=subdiv or None, source=self.src(node))
        f = self.fields(node, CALENDAR_KEYS, "calendar")
        if f is None:
            return CalendarSpec()
        return CalendarSpec(
            country=(self.text(f, "country") or "CN").upper(),
            subdiv=self.text(f, "subdiv") or None,
            extra_holidays=self.date_list(f, "extra_holidays"),
            extra_workdays=self.date_list(f, "extra_workdays"),
            source=self.src(node),
        )

    def date_list(self, f: dict[str, yaml.Node], key: str) -> tuple[dt.date, ...]:
        dates = (self.date_node(item, key) for item in self.items(f, key))
        return tuple(d for d in dates if d is not None)

    def milestone(self, node: yaml.Node) -> Milestone:
        f = self.fields(node, MILESTONE_KEYS, "milestones") or {}
        return Milestone(id=self.ident(f), source=self.src(node), fields=self.positions(f), **self.values("milestone", f))

    def phase(self, node: yaml.Node) -> Phase:
        f = self.fields(node, PHASE_KEYS, "phases") or {}
        return Phase(id=self.ident(f), source=self.src(node), fields=self.positions(f), **self.values("phase", f))

    def issue_list(self, node: yaml.Node, out: list[Issue]) -> None:
        f = self.fields(node, ISSUES_FILE_KEYS, "issues")
        if f is None:
            return
        plan = self.text(f, "plan")
        for item in self.items(f, "issues"):
            g = self.fields(item, ISSUE_KEYS, "issues")
            if g is None:
                continue
            out.append(
                Issue(
                    id=self.ident(g), source=self.src(item), fields={"plan": _position(f.get("plan", node)), **self.positions(g)},
                    plan=plan, **self.values("issue", g),
                )
            )

    def task_list(self, node: yaml.Node, out: list[Task]) -> None:
        f = self.fields(node, TASKS_FILE_KEYS, "tasks")
        if f is None:
            return
        plan = self.text(f, "plan")
        plan_position = _position(f.get("plan", node))
        for item in self.items(f, "tasks"):
            task = self.task(item, plan, plan_position)
            if task is not None:
                out.append(task)

    def entry_list(self, node: yaml.Node, kind: str, cls: type, out: list | None) -> None:
        """A file of one of the other lists (建议清单, 成果清单): `plan` and its entries."""
        f = self.fields(node, schema.keys(kind), kind)
        if f is None:
            return
        plan = self.text(f, "plan")
        plan_position = _position(f.get("plan", node))
        record = schema.KINDS[kind].fields[-1].of  # suggestions -> suggestion
        allowed = schema.keys(record)
        for item in self.items(f, kind):
            g = self.fields(item, allowed, kind)
            if g is not None and out is not None:
                out.append(cls(id=self.ident(g), source=self.src(item), fields={"plan": plan_position, **self.positions(g)},
                               plan=plan, **self.values(record, g)))

    def task(self, node: yaml.Node, plan: str, plan_position: tuple[int, int]) -> Task | None:
        f = self.fields(node, TASK_KEYS, "tasks")
        if f is None:
            return None
        return Task(
            id=self.ident(f), source=self.src(node), fields={"plan": plan_position, **self.positions(f)},
            plan=plan, **self.values("task", f),
        )

    def progress(self, node: yaml.Node) -> Progress:
        f = self.fields(node, PROGRESS_KEYS, "progress") or {}
        return Progress(self.date(f, "date") or dt.date.min, self.text(f, "note"), self.src(node))

    def extension(self, node: yaml.Node) -> Extension:
        f = self.fields(node, EXTENSION_KEYS, "extensions") or {}
        for key in ("approved_by", "reason"):
            if not self.text(f, key):
                self.fail(f.get(key, node), "val.extension_incomplete", key=key)
        return Extension(
            to=self.expr(f, "to") or Expr("", self.src(node)), approved_by=self.text(f, "approved_by"),
            date=self.date(f, "date"), reason=self.text(f, "reason"), source=self.src(node),
        )

    def reopening(self, node: yaml.Node) -> Reopening:
        return Reopening(**self.values("reopening", self.fields(node, REOPEN_KEYS, "reopened") or {}), source=self.src(node))


    def choice(self, f: dict[str, yaml.Node], key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(f, key)
        if value and value not in allowed:
            self.fail(f[key], "val.bad_choice", key=key, value=value, allowed=", ".join(allowed))
        return value

    def run(self, node: yaml.Node) -> Run:
        f = self.fields(node, RUN_KEYS, "runs") or {}
        values = self.values("run", f)
        if "status" not in f:  # not said: see recurrence.run_status
            values["status"] = None
        return Run(**values, source=self.src(node))

    def review(self, node: yaml.Node) -> Review:
        return Review(**self.values("review", self.fields(node, REVIEW_KEYS, "reviews") or {}), source=self.src(node))

    def duban(self, node: yaml.Node) -> Duban:
        return Duban(**self.values("duban", self.fields(node, DUBAN_KEYS, "duban") or {}), source=self.src(node))

    def lookback(self, node: yaml.Node) -> Lookback:
        return Lookback(**self.values("lookback", self.fields(node, LOOKBACK_KEYS, "lookbacks") or {}), source=self.src(node))


def _records(read: Callable[[Reader, yaml.Node], object]) -> Callable[[Reader, dict, str], tuple]:
    return lambda r, f, key: tuple(read(r, node) for node in r.items(f, key))


def _choice(choices: tuple[str, ...]) -> Callable[[Reader, dict, str], str]:
    return lambda r, f, key: r.choice(f, key, choices)


# How each type of the schema is read, and each kind of record.
_BY_TYPE: dict[str, Callable[[Reader, dict, str], object]] = {
    schema.TEXT: Reader.text, schema.TEXTS: Reader.text_list, schema.UNITS: Reader.units, schema.DATE: Reader.date,
    schema.EXPR: Reader.expr, schema.STATUS: lambda r, f, key: r.status(f),
}
_RECORDS = {
    "milestone": Reader.milestone, "phase": Reader.phase, "progress": Reader.progress,
    "extension": Reader.extension, "reopening": Reader.reopening,
    "review": Reader.review, "duban": Reader.duban, "lookback": Reader.lookback, "run": Reader.run,
}


def _reader_of(f: schema.Field) -> Callable[[Reader, dict, str], object]:
    if f.type == schema.RECORDS:
        return _records(_RECORDS[f.of])
    return _choice(f.choices) if f.choices else _BY_TYPE[f.type]


_READERS = {
    kind: tuple((f.attr or f.name, f.name, _reader_of(f)) for f in schema.fields(kind) if f.type != schema.ID)
    for kind in ("issue", "task", "milestone", "phase", "reopening", "review", "duban", "lookback", "run",
                 "suggestion", "outcome")
}


def _absent_values() -> dict[str, dict[str, object]]:
    """What each reader gives for a field that is not written: read once from an empty mapping.
    Every reader reads only its own key, so that is its answer for any item without it; the
    values are shared, so they must be immutable, and reading nothing must report nothing."""
    problems: list[Problem] = []
    reader = Reader("", problems)
    absent = {kind: {attr: read(reader, {}, name) for attr, name, read in readers} for kind, readers in _READERS.items()}
    shared = (type(None), str, tuple, Status)
    if problems or not all(isinstance(v, shared) for values in absent.values() for v in values.values()):
        raise TypeError("a field reader reports or shares a mutable value when its key is absent")
    return absent


_ABSENT = _absent_values()


_REQUIRED: dict[int, tuple[dict[str, bool], tuple[str, ...]]] = {}  # id of a key table -> (it, its required keys)


def _required(allowed: dict[str, bool]) -> tuple[str, ...]:
    """The keys a table requires (`kind` is checked apart), found once per table: a task's
    table has forty keys, two of them required, and a large ledger 50,000 tasks."""
    found = _REQUIRED.get(id(allowed))
    if found is None or found[0] is not allowed:
        found = _REQUIRED[id(allowed)] = (allowed, tuple(k for k, required in allowed.items() if required and k != "kind"))
    return found[1]


def _position(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return (mark.line + 1, mark.column + 1)


def _shown(value: object) -> object:
    """A value as quoted in a message: one line (a value with a line break must not
    forge a second `file:line: error:` line), and a 5 MB title not a 5 MB line."""
    if isinstance(value, str):
        if len(value) > MAX_SHOWN:
            value = value[: MAX_SHOWN - 1] + "…"
        if "\n" in value or "\r" in value:
            value = value.replace("\r", "\\r").replace("\n", "\\n")
    return value




def _type_key(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "val.type.mapping"
    if isinstance(node, yaml.SequenceNode):
        return "val.type.list"
    return {
        _INT: "val.type.int", _FLOAT: "val.type.float", _BOOL: "val.type.bool",
        _NULL: "val.type.null", _TIMESTAMP: "val.type.date",
    }.get(node.tag, "val.type.string")
