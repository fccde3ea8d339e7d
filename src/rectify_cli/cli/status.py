"""`rectify status` and `rectify agenda`: where do we stand, and what is due next."""


import datetime as dt
from enum import Enum
from pathlib import Path
from typing import List, Optional

from . import params
from .common import fail_usage, lang_of, out_json
from .workspaces import open_or_exit


class StatusFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def terminal_width() -> int | None:
    """The terminal's width in cells; None when output is piped, so nothing is cut or wrapped."""
    import shutil
    import sys

    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def console(width: int | None = None):
    from rich.console import Console

    from .common import colour_enabled

    coloured = colour_enabled()
    return Console(
        force_terminal=coloured, no_color=not coloured, highlight=False, soft_wrap=False,
        markup=False,  # text from files is never rich markup: "[/x]" is a title, not a tag
        width=width or 100_000,  # piped: as wide as the content (tables never expand, text is not padded)
    )


STATUS_PARAMS = (
    params.PATHS,
    params.AS_OF,
    params.Param("by", ("--by",), "plan", "plan | category | issue | unit (or 计划 | 类别 | 问题 | 单位)"),
    params.Param("unit", ("--unit",), None, "Only tasks this unit leads or supports / 只看该单位牵头或配合的任务"),
    params.flag("include_support", "--include-support", "With --by unit: count supporting units too / 按单位统计时计入配合单位"),
    params.Param("status_filter", ("--status",), None, "todo|doing|done|submitted|closed|ongoing|cancelled|overdue|due-soon|lookback-due|missing-progress|escalate (Chinese words too)"),
    params.due_within("Working days that count as due soon / 临近到期的工作日数"),
    params.Param("fmt", ("--format",), StatusFormat.table, "table | json | csv", StatusFormat),
    params.at("The ledger as committed at REV, or on DATE (YYYY-MM-DD) / 按某次提交或某日的台账"),
    params.ALLOW_SHALLOW,
    params.LANG,
)


def _standing(paths, as_of: Optional[str], language: str, at: Optional[str], allow_shallow: bool):
    """The ledger as `status --format json` shows it (see `standing`); stops when it is invalid."""
    from .. import standing
    from .common import parse_date_option, paths_or_default
    from .workspaces import refuse_invalid

    if at is not None:
        return standing.standing_of(open_or_exit(paths, as_of, language, at, allow_shallow))
    from ..loader import load

    shown = standing.standing(load(paths_or_default(paths)), parse_date_option(as_of, "--as-of", language))
    refuse_invalid(shown, language)
    return shown


def status(
    paths: Optional[List[Path]],
    as_of: Optional[str],
    by: str,
    unit: Optional[str],
    include_support: bool,
    status_filter: Optional[str],
    due_within: int,
    fmt: StatusFormat,
    at: Optional[str],
    allow_shallow: bool,
    lang: Optional[str],
) -> None:
    """Where do we stand, who is late. 整改进度：各组统计与事项清单。"""
    from .. import overview
    from ..messages import text

    language = lang_of(lang, paths)
    grouping = overview.parse_grouping(by)
    if grouping is None:
        fail_usage(text("status.bad_by", language, value=by), language)
    by = grouping
    wanted = None
    if status_filter:
        wanted = overview.parse_status_filter(status_filter)
        if wanted is None:
            from ..model import Status

            english = [*(s.value for s in Status), *overview.PSEUDO_STATUSES]
            chinese = [*(s.word(True) for s in Status),
                       *(next(w for w, v in overview.PSEUDO_ALIASES.items() if v == p) for p in overview.PSEUDO_STATUSES)]
            fail_usage(text("status.bad_filter", language, value=status_filter, chinese="、".join(chinese),
                            english=", ".join(english)), language)
    if fmt is not StatusFormat.table or at is not None:
        _status(paths, as_of, by, unit, include_support, wanted, due_within, fmt, at, allow_shallow, language)
        return
    from . import kept_output  # an unchanged ledger's table, on the same day and terminal: printed as it was
    from .common import parse_date_option

    day = parse_date_option(as_of, "--as-of", language)  # once: a table drawn after midnight is kept for its own day
    key = _table_key(paths, day, language, (by, unit, include_support, status_filter, due_within))
    if not kept_output.replayed("status", key):
        with kept_output.keeping("status", key):
            _status(paths, day.isoformat(), by, unit, include_support, wanted, due_within, fmt, at, allow_shallow,
                    language)


def _table_key(paths: Optional[List[Path]], day: dt.date, language: str, options: tuple) -> str | None:
    """What the table is made of: the options, the language, the console it is drawn for
    (colour, width), and every file of the ledger as its part for the day is kept under (see
    `dayparts.day_key`); None when that cannot be said."""
    from .. import dayparts
    from ..loader import load
    from .common import colour_enabled, paths_or_default
    from .kept_output import key_of

    chosen = paths_or_default(paths)
    ledger = load(chosen)
    if ledger.invalid:
        return None
    ledger_key = dayparts.day_key(ledger, day, "status")
    if ledger_key is None:
        return None
    return key_of((), [str(p) for p in chosen], options, language, colour_enabled(), terminal_width(), ledger_key)


def _status(paths, as_of, by, unit, include_support, wanted, due_within, fmt, at, allow_shallow, language) -> None:
    from .. import overview
    from ..render import records

    if fmt is StatusFormat.json:  # each plan's, task's and issue's record, kept per file for the day
        shown = _standing(paths, as_of, language, at, allow_shallow)
        date, registry, all_plans, tasks, issues = shown.as_of, shown.registry, shown.plans, shown.tasks, shown.issues
    else:  # the tasks' models are not built: what is shown comes from their rows
        schedule = open_or_exit(paths, as_of, language, at, allow_shallow).schedule
        date, registry, all_plans, tasks, issues = (
            schedule.as_of, schedule.registry, schedule.plans, schedule.tasks, schedule.issues())
    states = overview.select(tasks, unit=unit, status=wanted, within=due_within, registry=registry)
    states.sort(key=overview.item_order)
    groups = overview.count(states, by, issues, overview.plan_titles(all_plans), due_within, include_support)
    issue_states = overview.issue_statuses(issues, overview.task_issues(tasks))
    if by == "issue":  # an issue's state follows its measures: show it beside the issue
        from dataclasses import replace

        from ..render import labels

        groups = [
            replace(g, label=f"{g.label} · {labels.status_label(issue_states[tuple(g.key.split(':', 1))], language)}")
            if tuple(g.key.split(":", 1)) in issue_states else g
            for g in groups
        ]
    totals = overview.total(states, due_within)
    chosen_plans = {s.plan_id for s in states} if unit else set()
    plans = [p for p in all_plans if not unit or p.id in chosen_plans]
    if fmt is StatusFormat.json:
        from ..standing import issue_record

        shown_issues = {(s.plan_id, s.issue) for s in states} if unit else set()
        document = {
            "as_of": date.isoformat(),
            "plans": None,
            "by": by,
            "groups": [records.counts_record(g) for g in groups],
            "total": records.counts_record(totals),
            "items": None,
            "issues": None,
        }
        out_json(document, encoded={
            "plans": [p.record for p in plans],
            "items": [s.record for s in states],
            "issues": [issue_record(i, issue_states[(i.plan, i.id)]) for i in issues
                       if not unit or (i.plan, i.id) in shown_issues],
        })
    elif fmt is StatusFormat.csv:
        import sys

        sys.stdout.write(records.to_csv(states))
    else:
        width = terminal_width()
        from ..render.status import status_view  # the terminal's libraries, only for the table

        console(width).print(status_view(plans, schedule, groups, totals, states, by, due_within, language, width))


class AgendaFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    docx = "docx"


AGENDA_PARAMS = (
    params.PATHS,
    params.AS_OF,
    params.Param("days", ("--days",), 10, "Working days to look ahead / 向前看的工作日数", int, minimum=0),
    params.Param("unit", ("--unit",), None, "Only this unit / 只看该单位"),
    params.flag("escalate", "--escalate", "What the escalation rules call for (督办) and what is unanswered / 应督办事项"),
    params.Param("fmt", ("--format",), AgendaFormat.table, "table | json | csv; with --escalate also md | docx (the 督办单, one per item)", AgendaFormat),
    params.Param("output", ("--out",), None, "With --format md|docx: write here, atomically (docx needs it) / 输出文件", Path),
    params.Param("issuer", ("--issuer",), "", "Who signs the 督办单 / 督办单位"),
    params.LANG,
)


def agenda(
    paths: Optional[List[Path]],
    as_of: Optional[str],
    days: int,
    unit: Optional[str],
    escalate: bool,
    fmt: AgendaFormat,
    output: Optional[Path],
    issuer: str,
    lang: Optional[str],
) -> None:
    """What each unit must deliver next, overdue first. 各单位近期应完成事项（逾期在前）。

    With --escalate: the 督办 the rules in rectify.yaml call for (蓝 near the deadline,
    黄 a missed progress note, 红 overdue, 约谈 long overdue) beyond the last one issued,
    and every 督办 not answered by its reply_by.
    """
    from .. import overview
    from ..render import agenda as render

    language = lang_of(lang, paths)
    if fmt in (AgendaFormat.md, AgendaFormat.docx) and not escalate:
        from ..messages import text

        fail_usage(text("escalate.format_needs_escalate", language), language)
    ws = open_or_exit(paths, as_of, language)
    if escalate:
        _escalate(ws, unit, fmt, output, issuer, language)
        return
    entries = overview.agenda(ws.schedule, days, unit)
    if fmt is AgendaFormat.json:
        out_json(render.agenda_record(ws.schedule, entries, days))
    elif fmt is AgendaFormat.csv:
        import sys

        sys.stdout.write(render.to_csv(entries))
    else:
        width = terminal_width()
        console(width).print(render.agenda_view(ws.schedule, entries, days, language, width))


def _escalate(ws, unit: Optional[str], fmt: AgendaFormat, output: Optional[Path], issuer: str, lang: str) -> None:
    from ..render import supervision
    from .common import emit, out

    states = supervision.escalations(ws.schedule, unit)
    if fmt is AgendaFormat.json:
        out_json(supervision.escalation_record(ws.schedule, states))
    elif fmt in (AgendaFormat.md, AgendaFormat.docx):
        from ..report import duban

        document = duban.sheets(ws.schedule, states, issuer, lang)
        if fmt is AgendaFormat.md:
            from ..report.markdown import render as render_document
        else:
            from ..report.docx import render as render_document
        emit(render_document(document), output, fmt.value, lang, "escalate.needs_out")
    else:
        for line in supervision.escalation_lines(ws.schedule, states, lang):
            out(line)


COMMANDS = {"status": (status, STATUS_PARAMS), "agenda": (agenda, AGENDA_PARAMS)}
