"""`rectify check`: are the files valid, and is anything overdue?"""


import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

from . import params
from .common import (
    EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, err, lang_of, out, out_json, out_lines, parse_date_option, paths_or_default,
)
from ..messages import text


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


class FailOn(str, Enum):
    overdue = "overdue"
    due_soon = "due-soon"
    lookback_due = "lookback-due"  # closed tasks whose 回头看 is due
    missing_progress = "missing-progress"  # open or long-term tasks whose unit missed a note
    never = "never"


CHECK_PARAMS = (
    params.PATHS,
    params.AS_OF,
    params.Param("fmt", ("--format",), CheckFormat.text, "text | json | github (Actions annotations) | junit (XML)", CheckFormat),
    params.Param("fail_on", ("--fail-on",), FailOn.overdue, "overdue | due-soon | lookback-due | missing-progress | never: what makes exit code 1 (overdue always does, except with never)", FailOn),
    params.due_within("Working days that count as due soon (with --fail-on due-soon)"),
    params.at("Check the files as committed at REV, or on DATE (YYYY-MM-DD) / 按某次提交或某日的台账检查"),
    params.ALLOW_SHALLOW,
    params.flag("strict_sources", "--strict-sources", "Exit 2 when a source of rectify.yaml could not be read / 有来源未能读入时退出码为 2"),
    params.LANG,
)


def check(
    paths: Optional[List[Path]],
    as_of: Optional[str],
    fmt: CheckFormat,
    fail_on: FailOn,
    due_within: int,
    at: Optional[str],
    allow_shallow: bool,
    strict_sources: bool,
    lang: Optional[str],
) -> None:
    """Validate plan files and report overdue items. 校验计划文件并报告逾期事项。

    Exit 0: valid, nothing overdue; 1: valid but overdue or a rule is broken;
    2: invalid files or bad usage (or, with --strict-sources, a source not read).
    """
    from .. import findings as judged
    from ..render import check as render

    language = lang_of(lang, paths)
    ws = None  # the whole ledger judged: for what shows more than `findings`
    if at is not None:
        from .workspaces import workspace_at

        ws = workspace_at(paths_or_default(paths), as_of, at, language, allow_shallow)
    elif fmt is CheckFormat.junit or fail_on not in (FailOn.overdue, FailOn.never):
        from ..workspace import open_workspace

        ws = open_workspace(paths_or_default(paths), parse_date_option(as_of, "--as-of", language))
    if ws is not None:
        found = judged.findings_of(ws)
    else:
        from ..loader import load

        day = parse_date_option(as_of, "--as-of", language)
        found = judged.check(load(paths_or_default(paths)), day)
    from .workspaces import source_notes, source_problems

    source_notes(found, language)
    unread_sources = source_problems(found) if strict_sources else []
    soon, flags = (), ()
    if ws is not None and not ws.invalid:
        from ..render import supervision

        soon = ws.schedule.due_within(due_within) if fail_on is FailOn.due_soon else ()
        flags = supervision.flagged(ws.schedule, fail_on.value)
    if fmt is CheckFormat.json:
        document = render.to_json(found, language)
        if fail_on in (FailOn.lookback_due, FailOn.missing_progress):
            document[fail_on.value.replace("-", "_")] = [
                {"plan": s.item.plan, "id": s.item.id, "file": s.item.source.file, "line": s.item.source.line,
                 "message": supervision.flag_message(s, fail_on.value, language), **supervision.supervision_record(s)}
                for s in flags
            ]
        out_json(document)
    elif fmt is CheckFormat.github:
        out_lines(render.github_lines(found, language, soon))
        for state in flags:
            out(render.annotation("warning", state.item.source, supervision.flag_message(state, fail_on.value, language)))
    elif fmt is CheckFormat.junit:
        sys.stdout.write(render.junit_xml(
            ws, language, soon, [(s, fail_on.value, supervision.flag_message(s, fail_on.value, language)) for s in flags]))
    else:
        out_lines(render.text_lines(found, language))
        if flags:
            out_lines(supervision.flag_lines(flags, fail_on.value, language))
    if unread_sources:
        err(f"rectify: {text('source.strict', language, n=len(unread_sources))}")
        raise SystemExit(EXIT_INVALID)
    raise SystemExit(exit_code(found, fail_on, (*soon, *flags)))


def exit_code(found, fail_on: FailOn = FailOn.overdue, due_soon=()) -> int:
    from ..problems import Severity

    if found.invalid:
        return EXIT_INVALID
    if fail_on is FailOn.never:
        return EXIT_OK
    if found.overdue or found.count(Severity.VIOLATION) or due_soon:
        return EXIT_FINDINGS
    return EXIT_OK


COMMANDS = {"check": (check, CHECK_PARAMS)}
