"""`rectify new|progress|done|close|reopen|extend|set`: edit the ledger, byte for byte.

Every command finds the item by id (or PLAN:ID), changes only the lines it
must, re-validates the whole repository before writing, and can show the diff
instead (--dry-run) or commit just that file (--commit).
"""


import inspect
from pathlib import Path
from typing import Callable, List, Optional

import typer

from .kept_output import HELP
from .root import app
from .common import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, err, lang_of, out, parse_date_option
from .options import LangOpt

EDIT_EXIT_HELP = (
    "Exit 0: written (or nothing to change, or --dry-run); 1: refused by a ledger rule "
    "(e.g. closing a task that is not done or lacks existing evidence), nothing written; "
    "2: bad usage, unknown id, the edit would make the files invalid, another edit holds the "
    "repository's lock, or --commit cannot commit (no git identity, git's index.lock), nothing written; "
    "also 2 when git fails after the file was written: the message says so and what to run."
)
# Refusals that are the ledger's rules speaking, not a mistake in the command: exit 1.
RULE_REFUSALS = {
    "edit.close_refused", "edit.reopen_refused", "edit.done_refused", "edit.reason_required", "edit.submit_refused",
    "edit.submit_refused_evidence", "edit.review_refused", "edit.reply_refused", "edit.lookback_refused",
}

PlansOpt = typer.Option(None, "--plans", help="Plan files or directories (default: ./plans); repeatable")
DryRunOpt = typer.Option(False, "--dry-run", help="Print the diff the edit would make; write nothing")
CommitOpt = typer.Option(False, "--commit", help="git-commit only the touched file (and --evidence files), with Rectify-* trailers")
AuthorOpt = typer.Option(None, "--author", help='With --commit: the author, "Name <email>" (also the committer when git has no identity)')
DateOpt = typer.Option(None, "--date", help="YYYY-MM-DD (default: today)")

new_app = typer.Typer(
    help="Scaffold a plan, issue or task with the next free id. 新建计划、问题或任务。\n\n" + EDIT_EXIT_HELP,
    no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    context_settings={"help_option_names": list(HELP)},
)
app.add_typer(new_app, name="new")


def _execute(lang: str, work: Callable[[], object]) -> None:
    """Run the core; render the outcome or the one-line reason it was refused."""
    from ..edit.session import Refused
    from ..messages import text
    from ..problems import ProblemError
    from ..render.check import problem_line

    try:
        outcome = work()
    except Refused as exc:
        err(f"rectify: {text('cli.error_prefix', lang)}: {text(exc.key, lang, **exc.params)}")
        for problem in exc.problems[:20]:
            err("  " + problem_line(problem, lang))
        raise typer.Exit(EXIT_INVALID)
    except ProblemError as exc:
        err(f"rectify: {text('cli.error_prefix', lang)}: {text(exc.key, lang, **exc.params)}")
        raise typer.Exit(EXIT_FINDINGS if exc.key in RULE_REFUSALS else EXIT_INVALID)
    _render(outcome, lang)
    raise typer.Exit(EXIT_OK)


def _render(outcome, lang: str) -> None:
    from ..messages import text

    if not outcome.changes:
        out(text("edit.no_change", lang, id=outcome.item))
        return
    for warning in outcome.warnings:
        err(f"rectify: {text('cli.warning_prefix', lang)}: {text(warning.key, lang, **warning.params)}")
    if not outcome.written:
        for change in outcome.changes:
            for line in change.diff():
                out(line)
        err(text("edit.dry_run", lang))
        return
    files = ", ".join(c.display for c in outcome.changes)
    if outcome.action == "new":
        out(text("edit.created", lang, id=outcome.item, file=files))
    else:
        out(text("edit.written", lang, file=files, id=outcome.item, summary=outcome.subject))
    for note in outcome.notes:
        out(text(note.key, lang, **note.params))
    if outcome.commit:
        out(text("edit.committed", lang, sha=outcome.commit[:12]))


def _paths(plans: Optional[List[Path]]) -> list[Path]:
    return list(plans) if plans else []


def _item(plans, ref: str, step, dry_run: bool, commit: bool, lang: str, author: Optional[str] = None,
          occurrences: bool = False) -> None:
    from ..edit.session import edit_item

    _execute(lang, lambda: edit_item(_paths(plans), ref, step, dry_run=dry_run, commit=commit, author=author, lang=lang,
                                     occurrences=occurrences))


def _dated_item(plans, ref: str, date: Optional[str], lang: Optional[str], step, dry_run: bool, commit: bool,
                author: Optional[str]) -> None:
    """An edit of one item on the day `--date` names (default today): `step(doc, ledger, day)`."""
    language = lang_of(lang, plans)
    day = parse_date_option(date, "--date", language)
    _item(plans, ref, lambda doc, ledger: step(doc, ledger, day), dry_run, commit, language, author)


@app.command()
def progress(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    note: str = typer.Argument(..., help="What was done / 进展情况"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Record progress on a task: append {date, note} to its `progress`. 记录进展。

    A task still `todo` moves to `doing`.
    """
    from ..edit import actions

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: actions.progress(doc, note, day),
                dry_run, commit, author)


@app.command()
def done(
    item: str = typer.Argument(..., help="Task or milestone id, or PLAN:ID"),
    date: Optional[str] = typer.Option(None, "--date", help="YYYY-MM-DD (default: today, or the existing done date)"),
    evidence: Optional[List[str]] = typer.Option(None, "--evidence", help="Evidence file (relative to here) or URL; repeatable"),
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Mark done: status done, the `done` date, evidence appended. 标记完成。

    ID@DATE (T-02@2024-06-20) records one occurrence of a recurring task as a run.

    Evidence paths typed from here are written relative to the YAML file and must
    exist inside the repository; URLs are kept as they are. Without any evidence it
    warns (audit reports it), or is refused where the plan sets require_evidence: done.
    """
    from ..edit import actions

    language = lang_of(lang, plans)
    day = parse_date_option(date, "--date", language) if date is not None else None
    _item(plans, item, lambda doc, ledger: actions.done(doc, ledger, day, evidence or []), dry_run, commit, language, author,
          occurrences=True)


@app.command()
def close(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    by: str = typer.Option(..., "--by", help="Who verified and struck it off / 销号人"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Strike a task off (销号): status closed, closed_by, closed date.

    Refused with exit 1 unless the task is done (or submitted), all its evidence exists,
    and every role in `closing: {requires: [...]}` approved it (rectify review --approve).
    """
    from ..edit import actions

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: actions.close(doc, ledger, by, day),
                dry_run, commit, author)


@app.command()
def reopen(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    reason: str = typer.Option(..., "--reason", help="Why it is reopened (e.g. rebound at 回头看)"),
    by: Optional[str] = typer.Option(None, "--by", help="Who reopened it"),
    date: Optional[str] = DateOpt,
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Reopen a finished task: status doing, {date, reason, by} under `reopened`, done/closed removed. 重新打开。

    Refused with exit 1 when the task is not done, closed or cancelled.
    """
    from ..edit import actions

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: actions.reopen(doc, reason, by, day),
                dry_run, commit, author)


@app.command()
def extend(
    item: str = typer.Argument(..., help="Task id, or PLAN:ID"),
    to: str = typer.Option(..., "--to", help="New deadline: a date or a rule"),
    approved_by: str = typer.Option(..., "--approved-by", help="Who approved the extension / 批准人"),
    reason: str = typer.Option(..., "--reason", help="Why / 延期理由"),
    date: Optional[str] = typer.Option(None, "--date", help="Approval date, YYYY-MM-DD (default: today)"),
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Grant an extension (延期): append {to, approved_by, date, reason} to `extensions`."""
    from ..edit import actions

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: actions.extend(doc, to, approved_by, reason, day),
                dry_run, commit, author)


@app.command("set")
def set_(
    item: str = typer.Argument(..., help="Task, issue or milestone id, or PLAN:ID"),
    field: str = typer.Argument(..., help="title, lead, owner, due, status, support, category, ..."),
    values: List[str] = typer.Argument(..., help="The value; several for list fields (support, evidence)"),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why a finished task's status goes back (required then)"),
    by: Optional[str] = typer.Option(None, "--by", help="Who reopened it (with --reason)"),
    date: Optional[str] = typer.Option(None, "--date", help="Date of the reopening, YYYY-MM-DD (default: today)"),
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Set one field, validated like the file. 设置字段。

    Exit 2 (nothing written) when the result would be invalid, e.g. an unknown status
    or an issue that does not exist. Moving a finished task's status back (closed or
    done to doing...) reopens it: refused with exit 1 unless --reason is given, which
    is recorded under `reopened` as `rectify reopen` records it.
    """
    from ..edit import actions

    _dated_item(plans, item, date, lang,
                lambda doc, ledger, day: actions.set_field(doc, field, values, reason or "", by, day),
                dry_run, commit, author)


def _create(plans, make, dry_run: bool, commit: bool, lang: str, author: Optional[str] = None) -> None:
    from ..edit.session import create

    _execute(lang, lambda: create(_paths(plans), make, dry_run=dry_run, commit=commit, author=author, lang=lang))


@new_app.command("plan")
def new_plan(
    plan_id: str = typer.Option(..., "--id", help="Plan id, unique in the repository"),
    title: str = typer.Option(..., "--title"),
    owner: Optional[str] = typer.Option(None, "--owner"),
    directory: Optional[Path] = typer.Option(None, "--dir", help="Directory (default: plans/<id>)"),
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """A plan directory: plan.yaml, and empty issues.yaml and tasks.yaml."""
    from ..edit import scaffold

    _create(plans, lambda ledger: scaffold.new_plan(ledger, plan_id, title, owner, directory), dry_run, commit, lang_of(lang, plans), author)


@new_app.command("issue")
def new_issue(
    plan: str = typer.Option(..., "--plan", help="Plan id"),
    title: str = typer.Option(..., "--title"),
    category: Optional[str] = typer.Option(None, "--category"),
    finding: Optional[str] = typer.Option(None, "--finding", help="具体表现: how the problem shows"),
    target: Optional[str] = typer.Option(None, "--target", help="整改目标: what rectifying it must achieve"),
    parent: Optional[str] = typer.Option(None, "--parent", help="A higher-level issue of the same plan (方面 → 问题 → 具体表现)"),
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """An issue appended to the plan's issues file, with the next id I-NN."""
    from ..edit import scaffold

    more = (("parent", parent), ("finding", finding), ("target", target))
    _create(plans, lambda ledger: scaffold.new_issue(ledger, plan, title, category, more), dry_run, commit,
            lang_of(lang, plans), author)


@new_app.command("task", context_settings={"allow_extra_args": True})
def new_task(
    ctx: typer.Context,
    issue: str = typer.Option(..., "--issue", help="Issue id, or PLAN:ID"),
    title: str = typer.Option(..., "--title"),
    lead: List[str] = typer.Option(..., "--lead", help="Lead unit / 牵头单位; joint leads: --lead A --lead B, or A、B"),
    due: Optional[str] = typer.Option(None, "--due", help="A date, a rule, or ongoing / 长期坚持 (the task then starts ongoing)"),
    support: Optional[List[str]] = typer.Option(
        None, "--support", help="Supporting units / 配合单位: --support A B, --support A --support B, or A、B",
    ),
    owner: Optional[str] = typer.Option(None, "--owner", help="Responsible person / 责任人"),
    plans: Optional[List[Path]] = PlansOpt, dry_run: bool = DryRunOpt, commit: bool = CommitOpt,
    author: Optional[str] = AuthorOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """A task appended to the plan's tasks file, with the next id T-<issue number>-<n>."""
    from ..edit import scaffold
    from ..messages import text
    from .common import fail_usage

    language = lang_of(lang, plans)
    more_support = list(ctx.args)  # `--support A B`: the README's form, as `set … support A B` takes it
    if more_support and not support:  # words after --support A are more units; anywhere else they are a mistake
        fail_usage(text("edit.stray_words", language, words=" ".join(more_support)), language)
    units = split_units([*(support or []), *(more_support or [])])
    leads = split_units(lead)
    _create(plans, lambda ledger: scaffold.new_task(ledger, issue, title, leads, due, units, owner),
            dry_run, commit, language, author)


def split_units(values: List[str]) -> list[str]:
    """Units as typed: several values, or one value listing them with 、 , ， ; or ；."""
    import re

    return [unit for value in values for unit in (u.strip() for u in re.split(r"[、,，;；]", value)) if unit]


def with_exit_help(*commands) -> None:
    """Each edit verb's help ends with the exit codes every edit shares."""
    for command in commands:
        # cleandoc first: the appended paragraph has no indent, which would leave the
        # docstring's own indent in place ("must     exist" in --help)
        command.__doc__ = inspect.cleandoc(command.__doc__ or "") + "\n\n" + EDIT_EXIT_HELP


with_exit_help(progress, done, close, reopen, extend, set_)
