"""`rectify report`, `rectify export` and `rectify import`: the ledger for readers and for Excel.

Each command parses its options, calls the core (`report.*`, `formats.*`)
and writes the result: to `--out` atomically, else to standard output. A
binary format never goes to a terminal, and nothing is ever written anywhere
but the file or directory the user named.
"""


import difflib
from enum import Enum
from pathlib import Path
from typing import List, NoReturn, Optional

import typer

from .root import app
from .common import BINARY, EXIT_FINDINGS, EXIT_OK, emit, err, fail_usage, lang_of, out, parse_date_option, fail_with, paths_or_default, today
from .options import AsOfOpt, LangOpt, PathsArg
from .workspaces import open_or_exit
from ..messages import text
from ..render import escape


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    docx = "docx"


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    ics = "ics"


OutOpt = typer.Option(None, "--out", help="Write to this file (atomically) instead of standard output / 输出文件")


def _need_out(fmt: str, target: Optional[Path], lang: str, needs_out: str = "export.needs_out") -> None:
    """Refuse early (before any work) when a binary format has nowhere to go; the hint
    names a file of the right kind (a report is no 台账)."""
    if fmt in BINARY and target is None:
        fail_usage(text(needs_out, lang, fmt=fmt), lang)


def _unknown_plan(plan_id: str, known: list[str], lang: str) -> NoReturn:
    close = difflib.get_close_matches(plan_id, known, n=1)
    hint = text("report.did_you_mean", lang, id=close[0]) if close else ""
    fail_usage(text("report.unknown_plan", lang, id=plan_id, hint=hint, known=", ".join(known) or "—"), lang)


@app.command()
def report(
    plan: str = typer.Argument(..., help="Plan id / 计划编号"),
    paths: Optional[List[Path]] = PathsArg,
    as_of: Optional[str] = AsOfOpt,
    fmt: ReportFormat = typer.Option(ReportFormat.md, "--format", help="md | html | docx"),
    target: Optional[Path] = OutOpt,
    lists: bool = typer.Option(False, "--lists", help="Append the issue, task and responsibility lists / 附问题、任务、责任清单"),
    since: Optional[str] = typer.Option(None, "--since", help="Add what changed since DATE (YYYY-MM-DD) or REV, from git history / 本期变化"),
    lang: Optional[str] = LangOpt,
) -> None:
    """Progress report (整改进展情况通报) of one plan as Markdown, HTML or Word.

    With --since: what changed in the period, from the ledger as committed then
    (newly finished and closed, newly overdue, extensions, 督办 issued and answered,
    reopened, progress notes), per category and per unit.
    """
    from ..report import outline

    language = lang_of(lang, paths)
    _need_out(fmt.value, target, language, "report.needs_out")
    ws = open_or_exit(paths, as_of, language)
    chosen = ws.repository.plan(plan)
    if chosen is None:
        _unknown_plan(plan, [p.id for p in ws.repository.plans], language)
    chart = None
    if fmt is ReportFormat.html:
        from ..report.chart import burndown_chart

        chart = burndown_chart(paths_or_default(paths), plan, language, warn=lambda line: err(f"rectify: {line}"))
    doc = outline.build(ws, chosen, language, with_lists=lists, chart_svg=chart)
    if since is not None:
        _add_period(doc, ws, plan, paths, since, language)
    if fmt is ReportFormat.md:
        from ..report.markdown import render
    elif fmt is ReportFormat.html:
        from ..report.html import render
    else:
        from ..report.docx import render
    emit(render(doc), target, fmt.value, language, "report.needs_out")
    raise typer.Exit(EXIT_OK)


def _add_period(doc, ws, plan: str, paths: Optional[List[Path]], since: str, lang: str) -> None:
    """本期情况 right after the opening paragraph: the ledger then (git) against the ledger now."""
    from ..report import period
    from ..report.blocks import Heading
    from .workspaces import workspace_at

    before = workspace_at(paths_or_default(paths), None, since, lang)
    if before.schedule.as_of > ws.schedule.as_of:
        fail_usage(text("period.since_after", lang, since=before.schedule.as_of, as_of=ws.schedule.as_of), lang)
    blocks = period.blocks(period.compare(before, ws, plan), ws, lang)
    at = next((n for n, b in enumerate(doc.blocks) if isinstance(b, Heading) and b.level == 1), len(doc.blocks))
    doc.blocks[at:at] = blocks


@app.command()
def export(
    paths: Optional[List[Path]] = PathsArg,
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", help="csv | xlsx | json | ics"),
    target: Optional[Path] = OutOpt,
    as_of: Optional[str] = AsOfOpt,
    plan: Optional[str] = typer.Option(None, "--plan", help="Only this plan / 只导出该计划"),
    lang: Optional[str] = LangOpt,
) -> None:
    """The ledger (整改台账) as CSV, Excel or JSON; deadlines as a calendar (.ics)."""
    from ..formats import ledger

    language = lang_of(lang, paths)
    date = parse_date_option(as_of, "--as-of", language)
    _need_out(fmt.value, target, language)
    ws = open_or_exit(paths, as_of, language)
    if plan is not None and ws.repository.plan(plan) is None:
        _unknown_plan(plan, [p.id for p in ws.repository.plans], language)
    rows = ledger.ledger_rows(ws.repository, ws.schedule, plan)
    if fmt is ExportFormat.csv:
        from ..formats.csv_ import to_csv

        content: str | bytes = to_csv(rows, language)
    elif fmt is ExportFormat.xlsx:
        from ..formats.sheets import sheets_of
        from ..formats.xlsx import to_xlsx

        content = to_xlsx(rows, language, sheets_of(ws.repository, ws.schedule, plan, language))
    elif fmt is ExportFormat.json:
        import json

        from ..render.records import item_record

        milestones = [m for m in ws.schedule.milestones if plan is None or (m.plan and m.plan.id == plan)]
        document = {
            "as_of": date.isoformat(),
            "items": [ledger.record(r) for r in rows],
            "milestones": [item_record(m) for m in milestones],
        }
        content = escape.json_text(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"
    else:
        content = _ics(ws, plan, language)
    emit(content, target, fmt.value, language)
    raise typer.Exit(EXIT_OK)


def _ics(ws, plan: Optional[str], lang: str) -> str:
    from dataclasses import replace

    from ..calendar import calendar_for
    from ..formats.ics import to_ics
    from ..model import CalendarSpec
    from ..deadlines import merged_spec
    repo_spec = ws.config.calendar
    schedule = ws.schedule
    if plan is not None:
        keep = lambda s: s.plan is not None and s.plan.id == plan  # noqa: E731
        schedule = replace(schedule, tasks=tuple(filter(keep, schedule.tasks)), milestones=tuple(filter(keep, schedule.milestones)))

    def calendar_of(p):
        return calendar_for(merged_spec(p.calendar if p else CalendarSpec(), repo_spec))

    chosen = ws.repository.plan(plan) if plan else None
    return to_ics(schedule, calendar_of, lang, name=chosen.title if chosen else "")


@app.command("import")
def import_ledger(
    source: Path = typer.Argument(..., help="LEDGER.xlsx|.csv, or a DOCUMENT.docx|.txt|.md to draft the lists from / 台账或公文"),
    plan: Optional[str] = typer.Option(None, "--plan", help="Id of the plan the ledger belongs to / 计划编号"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Directory for the plan files (default: plans/<ID>) / 输出目录"),
    update: bool = typer.Option(False, "--update", help="Apply a unit's returned ledger to the existing plan files / 回填已有台账"),
    plans: Optional[List[Path]] = typer.Option(None, "--plans", help="With --update: plan files or directories (default: ./plans); repeatable"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the report (with --update: the diff), write nothing / 试运行"),
    commit: bool = typer.Option(False, "--commit", help="With --update: git-commit the edited files as the sending unit"),
    author: Optional[str] = typer.Option(None, "--author", help="With --commit: the sending unit, 'Name' or 'Name <email>' / 报送单位"),
    lang: Optional[str] = LangOpt,
) -> None:
    """Turn an Excel/CSV ledger, or an official document (.docx/.txt/.md), into
    issues.yaml and tasks.yaml, or (--update) apply a unit's returned ledger to them.
    从 Excel 台账或公文生成计划文件，或回填已有台账。

    Exit 0 when every row was imported (applied), 1 when some rows are only in the
    import report (refused), 2 on bad usage, unusable input, or when a file would be
    overwritten (without --update).
    """
    import re

    from ..atomic import ANY, write_all
    from ..formats.importer import existing_plan, import_ledger as convert, report_text
    from ..formats.tables import LedgerError, read_table
    from ..formats.sheets import read_details

    language = lang_of(lang)
    if update:
        from .sync import update_ledger

        if out_dir is not None:
            fail_usage(text("import.not_with_update", language, option="--out"), language)
        update_ledger(source, plan, plans, dry_run, commit, author, language)
    for option, given in (("--plans", plans), ("--commit", commit), ("--author", author)):
        if given:
            fail_usage(text("import.update_only", language, option=option), language)
    if plan is None:
        fail_usage(text("import.needs_plan", language), language)
    if not re.fullmatch(r"[^\s:/\\]+", plan):
        fail_usage(text("import.bad_plan_id", language, id=plan), language)
    if not source.is_file():
        fail_usage(text("import.missing", language, path=str(source)), language)
    directory = out_dir if out_dir is not None else Path("plans") / plan
    report_name = "import-report.txt"
    for name in ("issues.yaml", "tasks.yaml", report_name):
        if (directory / name).exists():
            fail_usage(text("import.exists", language, path=str(directory / name)), language)
    plan_file = directory / "plan.yaml"
    events: dict = {}
    milestones: dict = {}
    if plan_file.exists() or plan_file.is_symlink():
        existing, problem = existing_plan(plan_file)
        if problem is not None:
            fail_usage(text("import.plan_invalid", language, problem=problem.render(language)), language)
        if existing is not None and existing.id != plan:
            fail_usage(text("import.plan_mismatch", language, path=str(plan_file), found=existing.id, id=plan), language)
        if existing is not None:
            events = existing.event_dates()
            milestones = {m.id: m.due.text for m in existing.milestones if m.due}
    if source.suffix.lower() in (".docx", ".txt", ".md"):  # an official document, not a ledger
        from .docimport import import_document

        import_document(source, plan, directory, not plan_file.exists(), dry_run, language, lang)
    try:
        table = read_table(source)
        details = read_details(source)
    except LedgerError as exc:
        fail_with(exc, language)
    # the imported ledger speaks for the language where no plan file does yet (中文表头 → 中文报告)
    language = lang_of(lang, [directory], [table.title, *table.headers])
    result = convert(
        table, plan, source.name, today(), language, write_plan=not plan_file.exists(),
        anchors=events, milestones=milestones, details=details,
    )
    report = report_text(result, source.name, language)
    for line in report.splitlines():
        out(line)
    if dry_run:
        for name in result.files:
            out(text("import.would_write", language, path=str(directory / name)))
        out(text("import.dry_run", language))
    else:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            write_all([*((directory / name, content, ANY) for name, content in result.files.items()),
                       (directory / report_name, report, ANY)])
            for name in result.files:
                out(text("import.written", language, path=str(directory / name)))
        except OSError as exc:
            fail_usage(text("export.write_failed", language, path=str(directory), reason=exc.strerror or str(exc)), language)
    raise typer.Exit(EXIT_FINDINGS if result.skipped else EXIT_OK)
