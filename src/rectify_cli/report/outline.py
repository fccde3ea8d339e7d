"""The progress report (整改进展情况通报) as plain data, before any format.

Published reports share one structure (see the Panyu and Qingyuan notices):
a title "…关于…整改进展情况的通报", 一、履行整改主体责任情况, 二、整改任务落实情况
grouped as （一）关于…方面 with issues numbered 1. 2. … across categories and
their measures as 一是…二是…, 三、下一步工作, then the issuing body and date.
Building that once as a list of blocks keeps Markdown, HTML and Word in step:
renderers only decide how a heading or a table looks, never what it says.
All fixed wording comes from the message catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from .. import overview, schema
from ..messages import text
from ..model import STATUS_ALIASES, Plan, Status
from ..render.labels import due_label
from ..schedule import ItemState
from ..workspace import Workspace
from .blocks import Chart, Document, Heading, Paragraph, Signature, Table
from .lists import list_blocks

_CN_DIGITS = "零一二三四五六七八九"
STATUS_ORDER = (Status.DONE, Status.SUBMITTED, Status.CLOSED, Status.ONGOING, Status.DOING, Status.TODO, Status.CANCELLED)


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals as ordinals are written: 一, 十, 十二, 二十, 二十一."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    if tens >= 10:
        return str(n)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def long_date(day: dt.date, lang: str) -> str:
    return text("report.date", lang, y=day.year, m=day.month, d=day.day, iso=day.isoformat())


def _strip_end(value: str) -> str:
    return value.strip().rstrip("。；;.")


_TRAILING_RECTIFY = re.compile(r"整改((?:（[^（）]*）|\([^()]*\))?)$")


def report_subject(title: str, lang: str) -> str:
    """The plan title as it reads inside “关于{…}整改进展情况的通报”: a title ending in
    整改, or in 整改（…）, does not say 整改 twice."""
    if lang != "zh":
        return title
    return _TRAILING_RECTIFY.sub(r"\1", title.strip())


def build(
    ws: Workspace, plan: Plan, lang: str, with_lists: bool = False, chart_svg: str | None = None,
    with_progress: bool = False,
) -> Document:
    """The report of one plan as of the workspace's evaluation date; `with_progress`:
    each measure carries its latest progress note (the periodic 通报 is a narrative)."""
    repo, schedule = ws.repository, ws.schedule
    as_of = schedule.as_of
    issues = repo.issues_of(plan.id)
    states = [s for s in schedule.tasks if s.item.plan == plan.id]
    by_issue: dict[str, list[ItemState]] = {}
    for state in states:
        by_issue.setdefault(state.item.issue, []).append(state)
    issuer = plan.issuer or plan.owner
    title = text("report.title", lang, issuer=issuer, subject=report_subject(plan.title, lang)).strip()
    doc = Document(title=title, lang=lang, as_of=as_of)
    totals = overview.total(states, 0)
    overdue = [s for s in (*schedule.milestones, *states) if s.overdue and (s.plan is None or s.plan.id == plan.id)]
    doc.figures = [(text("report.fig.total", lang), totals.total, "total")]
    doc.figures += [(text(f"status.{s.value}", lang), totals.of(s), s.value) for s in STATUS_ORDER if totals.of(s)]
    doc.figures.append((text("col.overdue", lang), len(overdue), "overdue"))
    add = doc.blocks.append

    add(Heading(0, title))
    add(Paragraph(_intro(plan, len(issues), totals, len(overdue), as_of, lang)))

    add(Heading(1, text("report.h.responsibility", lang)))
    _paragraphs(doc, plan.responsibility, "report.missing.responsibility", lang)

    add(Heading(1, text("report.h.tasks", lang)))
    number = 0
    for n, (category, members) in enumerate(_by_category(issues, lang), start=1):
        add(Heading(2, text("report.h.category", lang, cn=cn_number(n), n=n, category=category)))
        for issue in members:
            number += 1
            add(Heading(3, text("report.h.issue", lang, n=number, title=_strip_end(issue.title))))
            for f in schema.fields("issue"):  # those the schema shows under the heading (e.g. a finding)
                if f.report and getattr(issue, f.name):
                    add(Paragraph(text("report.issue_field", lang, label=text(f.label, lang), value=getattr(issue, f.name))))
            add(Paragraph(_measures(by_issue.get(issue.id, []), lang)))

    add(Heading(1, text("report.h.next", lang)))
    _paragraphs(doc, plan.next_steps, "report.missing.next_steps", lang)
    add(Signature(issuer, long_date(as_of, lang)))

    add(Heading(1, text("report.h.appendix", lang, n=1, what=text("report.a.summary", lang)), appendix=True))
    add(_category_table(states, ws, lang))
    add(Paragraph(text("report.overdue_count", lang, n=len(overdue)) if overdue else text("report.no_overdue", lang)))
    if overdue:
        add(_overdue_table(overdue, lang))
    if chart_svg:
        add(Chart(chart_svg))
    if with_lists:
        doc.blocks.extend(list_blocks(ws, plan, states, lang, first=2))
    return doc


def _intro(plan: Plan, issues: int, totals: overview.Counts, overdue: int, as_of: dt.date, lang: str) -> str:
    parts = [text("report.intro.part", lang, n=totals.of(s), status=text(f"status.{s.value}", lang)) for s in STATUS_ORDER if totals.of(s)]
    return text(
        "report.intro", lang, date=long_date(as_of, lang), title=plan.title, issues=issues,
        tasks=totals.total, overdue=overdue,
        parts=text("report.intro.parts", lang, parts=text("report.intro.sep", lang).join(parts)) if parts else "",
    )


def _paragraphs(doc: Document, free_text: str, missing: str, lang: str) -> None:
    lines = [line.strip() for line in free_text.splitlines() if line.strip()]
    for line in lines or [text(missing, lang)]:
        doc.blocks.append(Paragraph(line))


def _by_category(issues, lang: str) -> list[tuple[str, list]]:
    """Categories in the order they first appear on the problem list."""
    groups: dict[str, list] = {}
    for issue in issues:
        groups.setdefault(issue.category or text("report.no_category", lang), []).append(issue)
    return list(groups.items())


def measure_state(state: ItemState, lang: str) -> str:
    """已完成 / 已销号 / 推进中，计划于X前完成 / 长期坚持 / 逾期N天 …"""
    status = state.item.status
    if state.overdue:
        return text("report.state.overdue", lang, days=state.days_overdue)
    label = text(f"status.{status.value}", lang)
    if status is Status.DONE and state.done_late:
        return text("status.done_late", lang)  # 逾期完成 says it was done: not 已完成，逾期完成
    if status.completed:
        return label + (text("report.state.late", lang) if state.done_late else "")
    if not status.open:  # ongoing, cancelled: no deadline to report on
        return label
    due = state.due
    if due is not None and due.kind == "date" and due.due:
        return text("report.state.planned", lang, status=label, date=long_date(due.due, lang))
    if due is not None and due.kind == "pending":
        return text("report.state.pending", lang, status=label)
    if due is not None and due.kind == "ongoing":
        return text("status.ongoing", lang)
    return label


def _measures(states: Sequence[ItemState], lang: str, with_progress: bool = False) -> str:
    if not states:
        return text("report.no_measures", lang)
    one = len(states) == 1
    parts = []
    for k, state in enumerate(states, start=1):
        ordinal = "" if one else text("report.ordinal", lang, cn=cn_number(k), n=k)
        parts.append(text("report.measure", lang, ordinal=ordinal, title=_strip_end(state.item.title), state=measure_state(state, lang)))
        note = latest_note(state)
        if note is not None:
            when = long_date(note.date, lang) if note.date else ""
            key = "report.progress_dated" if when else "report.progress_note"
            parts.append(text(key, lang, date=when, note=" ".join(_strip_end(note.note).split())))
    return text("report.measure_sep", lang).join(parts)


def latest_note(state: ItemState):
    """The measure's latest progress note that says more than a status word (a note
    reading just 已完成 repeats the state already shown): the latest dated, else the last written."""
    notes = [
        p for p in getattr(state.item, "progress", ())
        if p.note and p.note.strip() and _strip_end(p.note) not in STATUS_ALIASES
    ]
    if not notes:
        return None
    return max(enumerate(notes), key=lambda pair: (pair[1].date or dt.date.min, pair[0]))[1]


def _category_table(states: Sequence[ItemState], ws: Workspace, lang: str) -> Table:
    present = {s.item.status for s in states}
    shown = [s for s in STATUS_ORDER if s is not Status.CANCELLED and (s is not Status.SUBMITTED or s in present)]
    header = (
        text("col.group.category", lang), text("col.total", lang), *(text(f"status.{s.value}", lang) for s in shown),
        text("col.overdue", lang), text("col.completion", lang),
    )
    groups = overview.count(states, "category", ws.repository.issues, {}, 0)
    order = {i.category: n for n, i in reversed(list(enumerate(ws.repository.issues)))}
    groups.sort(key=lambda c: order.get(c.key, len(order)))
    rows = [_count_row(g.label or text("report.no_category", lang), g, shown) for g in groups]
    rows.append(_count_row(text("all_groups", lang), overview.total(states, 0), shown))
    marked = frozenset(n for n, g in enumerate(groups) if g.overdue)
    return Table(header, tuple(rows), marked, frozenset(range(1, len(header))))


def _count_row(label: str, c: overview.Counts, shown) -> tuple[str, ...]:
    return (label, str(c.total), *(str(c.of(s)) for s in shown), str(c.overdue), f"{c.completion * 100:.0f}%")


def _overdue_table(overdue: Sequence[ItemState], lang: str) -> Table:
    header = (
        text("col.id", lang), text("col.title", lang), text("col.lead", lang), text("col.due", lang),
        text("report.col.days_overdue", lang),
    )
    ordered = sorted(overdue, key=lambda s: (-s.days_overdue, s.item.id))
    rows = tuple(
        (s.item.id, s.item.title, unit_of(s), due_label(s, lang), str(s.days_overdue)) for s in ordered
    )
    return Table(header, rows, frozenset(range(len(rows))), frozenset({4}))


def unit_of(state: ItemState) -> str:
    """A task's lead unit; a milestone belongs to the plan's owner."""
    return state.unit
