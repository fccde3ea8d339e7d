"""`rectify date`: the date engine, asked directly. Its options are a table (see
`params`), so it starts without typer like the other daily commands (`quick`)."""


import datetime as dt
from enum import Enum
from pathlib import Path
from typing import List, Optional

from . import params
from .common import EXIT_INVALID, err, fail_usage, lang_of, out, out_json, parse_date_option, today


class DateFormat(str, Enum):
    text = "text"
    json = "json"


DATE_PARAMS = (
    params.Param("expr", (), None, "A date, rule or window, e.g. '20 working days after 2025-11-05', 收到意见后20个工作日内, 10月下旬", required=True),
    params.Param("from_", ("--from",), None, "Count from this date when EXPR names no start; also gives the year / 起算日"),
    params.Param("plan", ("--plan",), None, "Use this plan's events, milestones and calendar / 使用该计划的事件与日历"),
    params.Param("plans", ("--plans",), [], "Where to find --plan (default ./plans)", Path, multiple=True),
    params.Param("calendar_code", ("--calendar",), None, "Holiday calendar code, e.g. CN, HK, US-CA (default CN)"),
    params.Param("fmt", ("--format",), DateFormat.text, "text | json", DateFormat),
    params.LANG,
)


def date_command(
    expr: str,
    from_: Optional[str],
    plan: Optional[str],
    plans: List[Path],
    calendar_code: Optional[str],
    fmt: DateFormat,
    lang: Optional[str],
) -> None:
    """Resolve a deadline rule: the ISO date, then how it was found. 计算期限日期并说明依据。"""
    from ..calendar import calendar_for
    from ..messages import text
    from ..model import CalendarSpec, Plan
    from ..problems import ProblemError
    from ..rules import Resolver
    from ..deadlines import base_year, merged_spec

    language = lang_of(lang)
    start = parse_date_option(from_, "--from", language) if from_ else None
    chosen: Plan | None = None
    repo_spec = None
    if plan:
        chosen, repo_spec = _find_plan(plan, plans, language)
    spec = merged_spec(chosen.calendar if chosen else CalendarSpec(), repo_spec)
    if calendar_code:
        country, _, subdiv = calendar_code.partition("-")
        spec = CalendarSpec(country.upper(), subdiv or None, spec.extra_holidays, spec.extra_workdays)
    events = chosen.event_dates() if chosen else {}
    milestones = {m.id: m.due.text for m in chosen.milestones if m.due} if chosen else {}
    year = start.year if start else base_year(chosen, today())
    try:
        resolver = Resolver(calendar_for(spec), year, events, milestones)
        try:
            resolution = resolver.resolve(expr)
        except ProblemError as exc:
            if exc.key != "rule.missing_anchor" or start is None:
                raise
            resolution = resolver.resolve(_anchored(expr, start))
    except ProblemError as exc:
        err(f"rectify: {text('cli.error_prefix', language)}: {text(exc.key, language, **exc.params)}")
        raise SystemExit(EXIT_INVALID)
    shown = resolution.due.isoformat() if resolution.due else resolution.kind
    if fmt is DateFormat.json:
        record = {
            "expr": expr,
            "kind": resolution.kind,
            "date": resolution.due.isoformat() if resolution.due else None,
            "start": resolution.start.isoformat() if resolution.start else None,
            "provisional": resolution.provisional,
            "explanation": [step.render(language) for step in resolution.steps],
        }
        out_json(record)
        return
    out(shown)
    out(resolution.explain(language))


def _anchored(expr: str, start: dt.date) -> str:
    """Give an anchorless rule (`20个工作日内`) the --from date as its start."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in expr):
        return f"{start.isoformat()}后{expr.strip()}"
    return f"{expr.strip()} after {start.isoformat()}"


def _find_plan(plan_id: str, paths: list[Path], lang: str):
    from ..loader import load
    from ..problems import suggest
    from ..messages import text

    ledger = load(paths)
    found = ledger.repository.plan(plan_id)
    if found is None:
        hint = suggest(plan_id, [p.id for p in ledger.repository.plans])
        fail_usage(text("val.unknown_plan", lang, id=plan_id, hint=hint), lang)
    return found, ledger.config.calendar


COMMANDS = {"date": (date_command, DATE_PARAMS)}
