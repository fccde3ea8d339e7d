"""The `check` report (`findings`): problems and overdue items as lines or one JSON object."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Sequence

from ..findings import Findings, Overdue, overdue_of
from ..messages import text
from . import escape
from ..problems import Problem, Severity

if TYPE_CHECKING:  # what `check` reports is written without importing the judge (see `findings`)
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


def overdue_message(item: Overdue, lang: str) -> str:
    return text("check.overdue", lang, id=item.id, title=item.title, days=item.days, due=item.due, lead=item.unit)


def overdue_line(item: Overdue, lang: str, prefix: str | None = None) -> str:
    """Labelled 逾期/overdue, as the summary counts it (an overdue item is no error in the files).
    `prefix`: that label, when the caller writes many lines."""
    return breaks_escaped(f"{item.source}: {prefix or text('cli.overdue_prefix', lang)}: {overdue_message(item, lang)}")


def text_lines(found: Findings, lang: str) -> Iterator[str]:
    for problem in found.problems:
        yield problem_line(problem, lang)
    if not found.invalid:
        prefix = text("cli.overdue_prefix", lang)
        for item in found.overdue:
            yield overdue_line(item, lang, prefix)
    yield text("check.summary", lang, **found.summary())


def to_json(found: Findings, lang: str) -> dict[str, Any]:
    def located(problem: Problem) -> dict[str, Any]:
        return {
            "file": problem.source.file,
            "line": problem.source.line,
            "column": problem.source.column,
            "severity": problem.severity.value,
            "code": problem.key,
            "message": text(problem.key, lang, **problem.params),
        }

    overdue = () if found.invalid else found.overdue
    return {
        "errors": [located(p) for p in found.problems if p.severity is not Severity.WARNING],
        "warnings": [located(p) for p in found.problems if p.severity is Severity.WARNING],
        "overdue": [
            {
                "id": item.id,
                "plan": item.plan,
                "title": item.title,
                "lead": item.leads,
                "due": item.due.isoformat(),
                "days_overdue": item.days,
                "file": item.file,
                "line": item.line,
                "column": item.column,
            }
            for item in overdue
        ],
        "as_of": found.as_of.isoformat(),
        "summary": found.summary(),
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


def github_lines(found: Findings, lang: str, due_soon: tuple[ItemState, ...] = ()) -> Iterator[str]:
    levels = {Severity.ERROR: "error", Severity.VIOLATION: "error", Severity.WARNING: "warning"}
    for problem in found.problems:
        yield annotation(levels[problem.severity], problem.source, text(problem.key, lang, **problem.params))
    if not found.invalid:
        for item in found.overdue:
            yield annotation("error", item.source, overdue_message(item, lang))
        for state in due_soon:
            yield annotation("warning", state.due_source, due_soon_message(state, lang))
    yield text("check.summary", lang, **found.summary())


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
            message = overdue_message(overdue_of(state), lang)
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
