"""督办单 (one per item, ready to send) and the 督办清单 (every 督办 with its state).

Both are report blocks, so Markdown and Word (and the Excel sheet, from the
same rows) come from one place.
"""

from __future__ import annotations

from typing import Sequence

from ..messages import text
from ..model import Task
from ..render.supervision import level_label, reply_date
from ..schedule import ItemState, Schedule
from .blocks import Document, Heading, Paragraph, Signature, Table


def sheets(schedule: Schedule, states: Sequence[ItemState], issuer: str, lang: str) -> Document:
    """One 督办单 per item the rules call for (一事一单): what, who, by when, how to answer."""
    doc = Document(title=text("duban.sheet.title", lang), lang=lang, as_of=schedule.as_of)
    doc.blocks.append(Heading(0, doc.title))
    for n, state in enumerate(states):
        task, sup = state.item, state.supervision
        assert isinstance(task, Task)
        level = sup.escalation or sup.issued
        heading = text("duban.sheet.heading", lang, level=level_label(level, lang), id=task.id)
        doc.blocks.append(Heading(1, heading, appendix=n > 0))  # 一事一单: each on its own page
        lines = [
            text("duban.sheet.item", lang, title=task.title),
            text("duban.sheet.unit", lang, lead=state.unit or "—"),
            text("duban.sheet.due", lang, due=state.due_date or "—"),
            text("duban.sheet.state", lang, state=_state(state, lang)),
        ]
        last = task.progress[-1] if task.progress else None
        lines.append(text("duban.sheet.progress", lang, note=f"{last.date} {last.note}" if last else "—"))
        for duban in (task.duban[n] for n in sup.unanswered):
            lines.append(text("duban.sheet.unanswered", lang, level=level_label(duban.level, lang), date=duban.date,
                              due=reply_date(duban, state) or "—"))
        lines.append(text("duban.sheet.ask", lang))
        doc.blocks.extend(Paragraph(line) for line in lines)
        doc.blocks.append(Signature(issuer, schedule.as_of.isoformat()))
    if not states:
        doc.blocks.append(Paragraph(text("escalate.none", lang)))
    return doc


def _state(state: ItemState, lang: str) -> str:
    if state.overdue:
        return text("report.state.overdue", lang, days=state.days_overdue)
    if state.supervision.missing_progress:
        return text("duban.sheet.no_note", lang, date=state.supervision.progress_due)
    if state.working_days_left is not None:
        return text("status.milestone_left", lang, left=state.working_days_left).lstrip("，, ")
    return text(f"status.{state.status.value}", lang)


LIST_COLUMNS = ("col.id", "col.title", "col.lead", "duban.col.date", "duban.col.level", "duban.col.by",
                "duban.col.note", "duban.col.reply_by", "duban.col.reply", "duban.col.state")


def list_rows(states: Sequence[ItemState], lang: str) -> tuple[tuple[str, ...], list[tuple[str, ...]], set[int]]:
    """The 督办清单: header, one row per 督办 issued, and the rows to mark (unanswered past due)."""
    header = tuple(text(key, lang) for key in LIST_COLUMNS)
    rows: list[tuple[str, ...]] = []
    marked: set[int] = set()
    for state in states:
        task = state.item
        for n, duban in enumerate(getattr(task, "duban", ())):
            due = reply_date(duban, state)
            late = n in state.supervision.unanswered
            if duban.reply:
                word = text("duban.state.answered", lang, date=duban.replied or "")
            elif late:
                word = text("duban.state.late", lang)
            else:
                word = text("duban.state.waiting", lang)
            if late:
                marked.add(len(rows))
            rows.append((
                task.id, task.title, state.unit, str(duban.date or ""), level_label(duban.level, lang), duban.by,
                duban.note, str(due or (duban.reply_by.text if duban.reply_by else "")), duban.reply, word,
            ))
    return header, rows, marked


def list_table(states: Sequence[ItemState], lang: str) -> Table | None:
    """The 督办清单 as a report table; None when nothing was issued."""
    header, rows, marked = list_rows(states, lang)
    return Table(header, tuple(rows), frozenset(marked)) if rows else None
