"""`rectify submit|review|duban|reply|lookback`: the supervising office's edits.

Thin: each parses its options and hands one step to the edit session, exactly
like `close` or `extend` (see `cli.edit`).
"""


from pathlib import Path
from typing import List, Optional

import typer

from .root import app
from .common import fail_usage, lang_of
from .options import LangOpt
from .edit import AuthorOpt, CommitOpt, DateOpt, DryRunOpt, PlansOpt, _dated_item, with_exit_help


@app.command()
def submit(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    evidence: Optional[List[str]] = typer.Option(None, "--evidence", help="Evidence file (relative to here) or URL; repeatable"),
    note: Optional[str] = typer.Option(None, "--note", help="What was done, recorded as a progress note / 情况说明"),
    by: Optional[str] = typer.Option(None, "--by", help="Who applies (default: the lead unit) / 申请单位"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Apply for 销号 (申请销号): status submitted, evidence required, {date, by, result: submit}
    appended to `reviews`. 申请销号。

    Refused with exit 1 when the task is closed, cancelled or already submitted, or has no evidence.
    """
    from ..edit import review

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: review.submit(doc, ledger, evidence or [], note, day, by),
                dry_run, commit, author)


@app.command("review")
def review_(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    approve: bool = typer.Option(False, "--approve", help="Approve the 销号 application / 审核同意"),
    reject: bool = typer.Option(False, "--reject", help="Send it back to doing / 退回"),
    by: str = typer.Option(..., "--by", help="The reviewing role, as closing.requires names it / 审核单位"),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why (required with --reject) / 审核意见"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Review a 销号 application: {date, by, result, reason} appended to `reviews`. 销号审核。

    A rejection sends the task back to doing. Refused with exit 1 unless the task is submitted.
    """
    from ..edit import review
    from ..messages import text

    if approve == reject:
        language = lang_of(lang, plans)
        fail_usage(text("supervise.approve_or_reject", language), language)
    _dated_item(plans, item, date, lang, lambda doc, ledger, day: review.review(doc, approve, by, reason, day),
                dry_run, commit, author)


@app.command()
def duban(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    level: str = typer.Option(..., "--level", help="蓝 | 黄 | 红 | 约谈"),
    by: str = typer.Option(..., "--by", help="Who issues it / 督办单位"),
    reply_by: Optional[str] = typer.Option(None, "--reply-by", help='When the answer is due: a date or a rule ("3 working days after issued"); default: escalation.reply_within'),
    note: Optional[str] = typer.Option(None, "--note", help="What is asked / 督办事项"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Issue a 督办单: {date, level, by, note, reply_by} appended to `duban`. 督办。"""
    from ..edit import review

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: review.duban(doc, ledger, level, by, note, reply_by, day),
                dry_run, commit, author)


@app.command()
def reply(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    answer: str = typer.Argument(..., help="The unit's answer / 回复内容"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Record the unit's reply to its latest unanswered 督办 (reply, replied). 督办回复。

    Refused with exit 1 when no 督办 is waiting for a reply.
    """
    from ..edit import review

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: review.reply(doc, answer, day),
                dry_run, commit, author)


@app.command()
def lookback(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    result: str = typer.Option(..., "--result", help="巩固 (held) | 反弹 (rebounded: reopens the task)"),
    by: str = typer.Option(..., "--by", help="Who looked back / 回头看单位"),
    note: Optional[str] = typer.Option(None, "--note", help="What was found / 情况"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """回头看 a closed task: {date, result, by, note} appended to `lookbacks`; 反弹 reopens it.

    Refused with exit 1 unless the task is closed.
    """
    from ..edit import review

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: review.lookback(doc, result, by, note, day),
                dry_run, commit, author)


with_exit_help(submit, review_, duban, reply, lookback)
