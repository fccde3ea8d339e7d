"""The `check` report: problems and overdue items as lines or one JSON object."""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from ..messages import text
from . import escape
from ..problems import Problem, Severity
from ..schedule import ItemState
from ..workspace import Workspace

_PREFIX = {Severity.ERROR: "cli.error_prefix", Severity.VIOLATION: "cli.violation_prefix", Severity.WARNING: "cli.warning_prefix"}


def breaks_escaped(message: str) -> str:
    """A message is one line, whatever the file's text held (a title with a
    line break must not forge a second `file:line: error` line): its breaks
    written as `\\r` and `\\n`. Other controls are escaped where lines are written
    (`escape.terminal`); `escape.one_line` does both at once, for text that
    is written as it is."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def problem_line(problem: Problem, lang: str) -> str:
    """`file:line:column: 错误: what is wrong, how to fix it`."""
    prefix = text(_PREFIX[problem.severity], lang)
    return breaks_escaped(f"{problem.source}: {prefix}: {text(problem.key, lang, **problem.params)}")


def overdue_message(state: ItemState, lang: str) -> str:
    return text(
        "check.overdue", lang, id=state.id, title=state.title, days=state.days_overdue,
        due=state.due_date, lead=state.unit,
    )


def overdue_line(state: ItemState, lang: str, prefix: str | None = None) -> str:
    """Labelled 逾期/overdue, as the summary counts it (an overdue item is no error in the files).
    `prefix`: that label, when the caller writes many lines."""
    return breaks_escaped(f"{state.due_source}: {prefix or text('cli.overdue_prefix', lang)}: {overdue_message(state, lang)}")


def summary(ws: Workspace) -> dict[str, int]:
    plans, issues = ws.ledger.columns.sizes()[:2]
    return {
        "files": len(ws.files),
        "plans": plans,
        "issues": issues,
        "tasks": len(ws.schedule.tasks),  # a template of a series counts as the items it stands for
        "errors": ws.count(Severity.ERROR),
        "violations": ws.count(Severity.VIOLATION),
        "warnings": ws.count(Severity.WARNING),
        "overdue": len(ws.schedule.overdue) if not ws.invalid else 0,
    }


def text_lines(ws: Workspace, lang: str) -> Iterator[str]:
    for problem in ws.problems:
        yield problem_line(problem, lang)
    if not ws.invalid:
        prefix = text("cli.overdue_prefix", lang)
        for state in ws.schedule.overdue:
            yield overdue_line(state, lang, prefix)
    counts = summary(ws)
    yield text("check.summary", lang, **counts)


def to_json(ws: Workspace, lang: str) -> dict[str, Any]:
    def located(problem: Problem) -> dict[str, Any]:
        return {
            "file": problem.source.file,
            "line": problem.source.line,
            "column": problem.source.column,
            "severity": problem.severity.value,
            "code": problem.key,
            "message": text(problem.key, lang, **problem.params),
        }

    overdue = [] if ws.invalid else ws.schedule.overdue
    return {
        "errors": [located(p) for p in ws.problems if p.severity is not Severity.WARNING],
        "warnings": [located(p) for p in ws.problems if p.severity is Severity.WARNING],
        "overdue": [
            {
                "id": s.id,
                "plan": s.plan.id if s.plan else s.facts.plan,
                "title": s.title,
                "lead": "、".join(s.facts.leads),
                "due": s.due_date.isoformat() if s.due_date else None,
                "days_overdue": s.days_overdue,
                "file": s.due_source.file,
                "line": s.due_source.line,
                "column": s.due_source.column,
            }
            for s in overdue
        ],
        "as_of": ws.schedule.as_of.isoformat(),
        "summary": summary(ws),
    }


def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, source, message: str) -> str:
    """A GitHub Actions workflow command that marks a line in the pull request view."""
    props = [f"file={_gh_property(source.file)}"]
    if source.line:
        props += [f"line={source.line}", f"col={source.column}"]
    props.append("title=rectify")
    return f"::{level} {','.join(props)}::{_gh_data(message)}"


def github_lines(ws: Workspace, lang: str, due_soon: tuple[ItemState, ...] = ()) -> Iterator[str]:
    levels = {Severity.ERROR: "error", Severity.VIOLATION: "error", Severity.WARNING: "warning"}
    for problem in ws.problems:
        yield annotation(levels[problem.severity], problem.source, text(problem.key, lang, **problem.params))
    if not ws.invalid:
        for state in ws.schedule.overdue:
            yield annotation("error", state.due_source, overdue_message(state, lang))
        for state in due_soon:
            yield annotation("warning", state.due_source, due_soon_message(state, lang))
    yield text("check.summary", lang, **summary(ws))


def due_soon_message(state: ItemState, lang: str) -> str:
    return text(
        "check.due_soon", lang, id=state.id, title=state.title, left=state.working_days_left,
        due=state.due_date, lead=state.unit,
    )


def junit_xml(ws: Workspace, lang: str, due_soon: tuple[ItemState, ...] = (),
              flags: Sequence[tuple[ItemState, str, str]] = ()) -> str:
    """One test case per file (valid or not) and per dated item (overdue or not); `flags`:
    (item, type, message) failures asked for by --fail-on (lookback-due, missing-progress)."""
    import xml.etree.ElementTree as ET

    suite = ET.Element("testsuite", name="rectify check", timestamp=ws.schedule.as_of.isoformat())
    failures = 0
    by_file: dict[str, list[Problem]] = {}
    for problem in ws.problems:
        by_file.setdefault(problem.source.file, []).append(problem)
    for name in tuple(ws.files) or sorted(by_file):
        case = ET.SubElement(suite, "testcase", classname="files", name=name)
        bad = [p for p in by_file.get(name, []) if p.severity is not Severity.WARNING]
        if bad:
            failures += 1
            failure = ET.SubElement(case, "failure", message=text(bad[0].key, lang, **bad[0].params), type="invalid")
            failure.text = "\n".join(problem_line(p, lang) for p in bad)
    soon = {id(s) for s in due_soon}
    flagged = {id(state): (kind, message) for state, kind, message in flags}
    for state in (*ws.schedule.milestones, *ws.schedule.tasks):
        if state.due_date is None and id(state) not in flagged:
            continue
        plan = state.plan.id if state.plan else ""
        case = ET.SubElement(suite, "testcase", classname=plan, name=f"{state.id} {state.title}")
        if state.overdue and not ws.invalid:
            failures += 1
            message = overdue_message(state, lang)
            ET.SubElement(case, "failure", message=message, type="overdue").text = f"{state.due_source}: {message}"
        elif id(state) in soon:
            failures += 1
            message = due_soon_message(state, lang)
            ET.SubElement(case, "failure", message=message, type="due-soon").text = f"{state.due_source}: {message}"
        elif id(state) in flagged:
            failures += 1
            kind, message = flagged[id(state)]
            ET.SubElement(case, "failure", message=message, type=kind).text = f"{state.item.source}: {message}"
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(failures))
    for element in suite.iter():  # control characters are invalid in XML 1.0: show them
        for key, value in element.attrib.items():
            element.set(key, escape.terminal(value))
        if element.text:
            element.text = escape.terminal(element.text)
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
