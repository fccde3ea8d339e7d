"""How a state and a deadline read, in the reader's language: shared by the status
table, the JSON records' callers, the agenda and the reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..messages import text
from ..values import Status

if TYPE_CHECKING:
    from ..schedule import ItemState


def status_label(status: Status, lang: str) -> str:
    return text(f"status.{status.value}", lang)


def due_label(state: ItemState, lang: str) -> str:
    """The deadline as a reader wants it: a date, "was X → Y", no deadline, or pending."""
    due = state.due
    if due is None:
        return text("status.no_deadline", lang)
    if due.kind == "ongoing":
        return text("status.ongoing", lang)
    if due.kind == "pending":
        return text("status.pending", lang)
    current = due.due.isoformat() if due.due else ""
    original = state.original_due
    if original is not None and original.due and original.due != due.due:
        return text("status.extended", lang, original=original.due.isoformat(), current=current)
    return current


def status_cell(state: ItemState, lang: str) -> str:
    """已完成 done late is 逾期完成 alone; 已销号（逾期完成） with full-width brackets in Chinese."""
    status = state.status
    if not state.done_late:
        return status_label(status, lang)
    if status is Status.DONE:
        return text("status.done_late", lang)
    return text("status.late_suffix", lang, label=status_label(status, lang))
