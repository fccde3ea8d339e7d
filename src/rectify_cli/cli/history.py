"""`rectify history | audit | diff | burndown`: the ledger's git history, asked questions of."""


from dataclasses import replace
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, List, Optional

import typer

from .root import app
from .common import EXIT_FINDINGS, EXIT_OK, err, fail_usage, fail_with, lang_of, out, out_json, parse_date_option
from .options import AllowShallowOpt, LangOpt, PathsArg
from .workspaces import git_of, source_histories, when
from ..messages import text


class TextJson(str, Enum):
    text = "text"
    json = "json"


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"




def _show(value: Any) -> str:
    if value is None or value == "" or value == ():
        return "∅"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_show(v) if not isinstance(v, dict) else _record(v) for v in value) + "]"
    return str(value)


def _record(entry: dict) -> str:
    """A progress note, review, 督办 … as a reader writes it: its values in order, blanks left out."""
    return "{" + " ".join(str(v) for v in entry.values() if v not in (None, "", ())) + "}"


def _status(value: Any, lang: str) -> str:
    """A status word as the reader says it (推进中, not doing); anything else as it is."""
    from ..model import Status

    if isinstance(value, str) and value in Status._value2member_map_:
        return text(f"status.{value}", lang)
    return _show(value)


_STATUS_PARAMS = {"history.audit.no_evidence": ("status",), "history.audit.status_backwards": ("old", "new")}


def _finding_text(f: Any, lang: str) -> str:
    params = dict(f.params)
    for name in _STATUS_PARAMS.get(f.key, ()):
        params[name] = _status(params.get(name), lang)
    return text(f.key, lang, plan=f.plan, id=f.id, **params)


# -- history ------------------------------------------------------------------
@app.command()
def history(
    item_id: str = typer.Argument(..., metavar="ID", help="Item id, or PLAN:ID (PLAN/ID) / 事项编号"),
    paths: Optional[List[Path]] = PathsArg,
    fmt: TextJson = typer.Option(TextJson.text, "--format", help="text | json"),
    allow_shallow: bool = AllowShallowOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """An item's timeline across git history, oldest first. 事项的修改历史。

    Follows the item when it moves between files (items are plan id + item id).
    """
    from ..gitread import GitError
    from ..history.timeline import Replay
    from ..model import ItemRef

    language = lang_of(lang, paths)
    ref = ItemRef.parse(item_id)
    if ref is None:
        fail_usage(text("edit.bad_ref", language, ref=item_id), language)
    plan, wanted = ref
    git, roots = git_of(paths, language, allow_shallow)
    entries: list[tuple[Any, Any, str]] = []  # (commit, change, source label or "")
    try:
        with git:
            if git.head() is not None:
                for step in Replay(git, roots, only=wanted).steps(["HEAD"]):
                    entries.extend((step.commit, c, "") for c in step.changes
                                   if c.key[1] == wanted and (not plan or c.key[0] == plan))
        for label, source_git, root, sha in source_histories(paths, language):
            with source_git:
                for step in Replay(source_git, [root], only=wanted).steps([sha]):
                    entries.extend((step.commit, c, label) for c in step.changes
                                   if c.key[1] == wanted and (not plan or c.key[0] == plan))
    except GitError as exc:
        fail_with(exc, language)
    if not entries:
        fail_usage(text("history.not_found", language, id=item_id), language)
    if fmt is TextJson.json:
        out_json([{**_entry_json(c, ch), "source": label or None} for c, ch, label in entries])
        raise typer.Exit(EXIT_OK)
    for key in dict.fromkeys((change.key, label) for _, change, label in entries):  # one timeline per plan
        mine = [(commit, change) for commit, change, label in entries if (change.key, label) == key]
        last = mine[-1][1].after or mine[-1][1].before
        head = text("history.item_head", language, plan=key[0][0], id=key[0][1], title=last.get("title") or "")
        out(f"{head}  [{key[1]}]" if key[1] else head)
        for commit, change in mine:
            out(f"{commit.short}  {when(commit)}  {commit.author} <{commit.email}>  {commit.subject}")
            for line in _change_lines(change, language):
                out(f"    {line}")
    raise typer.Exit(EXIT_OK)


def _change_lines(change, lang: str) -> Iterator[str]:
    if change.before is None:
        yield text("history.added", lang, file=change.after.file, line=change.after.line)
        for name, value in change.after.values.items():
            if value not in (None, "", ()):
                yield f"  {name}: {_status(value, lang) if name == 'status' else _show(value)}"
    elif change.after is None:
        yield text("history.removed", lang, file=change.before.file)
    else:
        if change.moved:
            yield text("history.moved", lang, old=change.before.file, new=change.after.file)
        for f in change.fields:
            old, new = f.old or (), f.new or ()
            if isinstance(new, tuple) and isinstance(old, tuple) and len(new) > len(old) and new[:len(old)] == old:
                for entry in new[len(old):]:  # entries appended (the usual edit of a record list)
                    shown = _record(entry) if isinstance(entry, dict) else _show(entry)
                    yield text("history.appended", lang, field=f.name, entry=shown)
                continue
            show = (lambda v: _status(v, lang)) if f.name == "status" else _show
            yield text("history.field", lang, field=f.name, old=show(f.old), new=show(f.new))


def _entry_json(commit, change) -> dict[str, Any]:
    where = change.after or change.before
    return {
        "commit": commit.sha, "short": commit.short, "author": commit.author, "email": commit.email,
        "date": commit.author_date.isoformat(), "subject": commit.subject,
        "plan": change.key[0], "id": change.key[1], "action": change.action,
        "file": where.file, "line": where.line,
        "moved_from": change.before.file if change.moved else None,
        "changes": {f.name: {"old": f.old, "new": f.new} for f in change.fields},
        "values": dict(change.after.values) if change.before is None and change.after else None,
    }


# -- audit --------------------------------------------------------------------
@app.command()
def audit(
    rev_range: Optional[str] = typer.Argument(None, metavar="[REV-RANGE]", help="A..B, A.. or REV (default: all of HEAD)"),
    paths: Optional[List[Path]] = typer.Option(
        None, "--plans", "--path", help="Plan files or directories (repeatable; default ./plans); --path is the older spelling",
    ),
    fmt: AuditFormat = typer.Option(AuditFormat.text, "--format", help="text | json | github"),
    allow_shallow: bool = AllowShallowOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Integrity findings in the ledger's history. 台账修改留痕审计。

    Exit 0: clean; 1: findings; 2: not a git repository or a bad range.
    """
    from ..history.audit import audit as run_audit
    from ..gitread import GitError

    language = lang_of(lang, paths)
    git, roots = git_of(paths, language, allow_shallow)
    try:
        with git:
            if git.head() is None and not rev_range:
                findings: list[Any] = []
            else:
                findings = run_audit(git, roots, rev_range, _closing_requires(paths, rev_range))
        for label, source_git, root, sha in source_histories(paths, language):
            with source_git:  # a source's whole history up to the commit fetched
                findings.extend(replace(f, file=f"{label}/{f.file}") for f in run_audit(source_git, [root], sha))
    except GitError as exc:
        fail_with(exc, language)
    for line in _audit_lines(findings, fmt, language):
        out(line)
    raise typer.Exit(EXIT_FINDINGS if findings else EXIT_OK)


def _closing_requires(paths: Optional[List[Path]], rev_range: Optional[str]) -> dict[str, tuple[str, ...]]:
    """Who must approve a 销号, per plan, as the audited revision's files say."""
    from ..loader import load
    from ..supervision import settings_for

    end = (rev_range or "HEAD").partition("..")[2] or "HEAD" if ".." in (rev_range or "") else (rev_range or "HEAD")
    ledger = load(list(paths or []), at=end)
    return {plan.id: settings_for(plan, ledger.config.supervision).requires for plan in ledger.repository.plans}


def _audit_lines(findings: list[Any], fmt: AuditFormat, lang: str) -> Iterator[str]:
    if fmt is AuditFormat.json:
        yield json.dumps(
            [
                {
                    "check": f.key.rsplit(".", 1)[-1], "commit": f.commit.sha, "author": f.commit.author,
                    "email": f.commit.email, "date": f.commit.author_date.isoformat(), "file": f.file,
                    "line": f.line, "plan": f.plan, "id": f.id,
                    "message": _finding_text(f, lang),
                }
                for f in findings
            ],
            ensure_ascii=False, indent=2,
        )
        return
    for f in findings:
        message = _finding_text(f, lang)
        who = f"{f.commit.short} {when(f.commit)} {f.commit.author} <{f.commit.email}>"
        if fmt is AuditFormat.github:
            body = f"{message} ({who})".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            yield f"::warning file={_gh(f.file)},line={f.line}::{body}"
        else:
            yield f"{f.file}:{f.line}: {message} [{who}]"
    if fmt is AuditFormat.text:
        yield text("history.audit.summary", lang, count=len(findings))


def _gh(value: str) -> str:
    return value.replace("%", "%25").replace(",", "%2C").replace(":", "%3A").replace("\n", "%0A")


# -- diff ---------------------------------------------------------------------
@app.command()
def diff(
    revs: List[str] = typer.Argument(..., metavar="REV [REV]", help="From REV to the second REV (default: the work tree)"),
    paths: Optional[List[Path]] = typer.Option(
        None, "--plans", "--path", help="Plan files or directories (repeatable; default ./plans); --path is the older spelling",
    ),
    fmt: TextJson = typer.Option(TextJson.text, "--format", help="text | json"),
    allow_shallow: bool = AllowShallowOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Items added, removed, and changed between two revisions. 两个版本间的台账变化。

    With one REV, compares it with the work tree (uncommitted edits included).
    """
    from ..gitread import GitError
    from ..history.semdiff import Unreadable, semantic_diff
    from ..render.check import problem_line

    language = lang_of(lang, paths)
    if len(revs) > 2:
        fail_usage(text("history.bad_range", language, range=" ".join(revs)), language)
    git, roots = git_of(paths, language, allow_shallow)
    try:
        with git:
            old = git.verify(revs[0])
            new = git.verify(revs[1]) if len(revs) > 1 else None
            result = semantic_diff(git, old, new, roots)
    except GitError as exc:
        fail_with(exc, language)
    except Unreadable as exc:  # a diff against a file nobody can read would call its items removed
        for problem in exc.problems:
            err(problem_line(problem, language))
        side = revs[0] if exc.rev == old else (revs[1] if exc.rev is not None else text("history.diff.worktree", language))
        fail_usage(text("history.diff.unreadable", language, side=side, count=len(exc.problems)), language)
    new_name = revs[1] if len(revs) > 1 else text("history.diff.worktree", language)
    if fmt is TextJson.json:
        out_json({"from": old, "to": new or "worktree", **result.to_json()})
        raise typer.Exit(EXIT_OK)
    out(text("history.diff.head", language, old=revs[0], new=new_name))
    sections = [
        ("history.diff.added", [f"+ {d.key[0]}/{d.key[1]} {d.title} ({_status(d.after.get('status'), language)})" for d in result.added]),
        ("history.diff.removed", [f"- {d.key[0]}/{d.key[1]} {d.title}" for d in result.removed]),
    ]
    for name in ("status", "due", "lead"):
        show = (lambda v: _status(v, language)) if name == "status" else _show
        sections.append((f"history.diff.{name}", [
            f"~ {d.key[0]}/{d.key[1]} {d.title}: {show(d.before.get(name))} → {show(d.after.get(name))}"
            for d in result.with_field(name)
        ]))
    others = [
        f"~ {d.key[0]}/{d.key[1]} {d.title}: {', '.join(f.name for f in d.fields if f.name not in ('status', 'due', 'lead'))}"
        for d in result.changed if any(f.name not in ("status", "due", "lead") for f in d.fields)
    ]
    sections.append(("history.diff.other", others))
    if not any(lines for _, lines in sections):
        out(text("history.diff.none", language))
    for key, lines in sections:
        if lines:
            out(f"{text(key, language)} ({len(lines)}):")
            for line in lines:
                out(f"  {line}")
    raise typer.Exit(EXIT_OK)


# -- burndown -----------------------------------------------------------------
@app.command()
def burndown(
    paths: Optional[List[Path]] = PathsArg,
    plan: Optional[str] = typer.Option(None, "--plan", help="Only this plan's tasks"),
    since: Optional[str] = typer.Option(None, "--since", help="First date shown, YYYY-MM-DD"),
    weekly: bool = typer.Option(False, "--weekly", help="One point per week instead of per day"),
    svg: Optional[Path] = typer.Option(None, "--out", help="Also write the chart as an SVG file"),
    allow_shallow: bool = AllowShallowOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Open versus finished tasks over time, from history. 整改进度燃尽图。"""
    from ..history.burndown import burndown_series, write_svg
    from ..gitread import GitError

    language = lang_of(lang, paths)
    start = parse_date_option(since, "--since", language) if since else None
    git, roots = git_of(paths, language, allow_shallow)
    try:
        with git:
            points = burndown_series(git, roots, plan, start, weekly)
    except GitError as exc:
        fail_with(exc, language)
    labels = (text("history.burndown.open", language), text("history.burndown.finished", language))
    if not points or not any(p.open + p.finished for p in points):
        out(text("history.burndown.empty", language))
    elif sys.stdout.isatty():
        for line in _bars(points, labels):
            out(line)
    else:
        out(f"date\t{labels[0]}\t{labels[1]}")
        for p in points:
            out(f"{p.date.isoformat()}\t{p.open}\t{p.finished}")
    if svg is not None:
        title = text("history.burndown.title", language) + (f" · {plan}" if plan else "")
        try:
            write_svg(svg, points, title, labels)
        except OSError as exc:
            fail_usage(f"{svg}: {exc.strerror or exc}", language)
        out(text("history.burndown.written", language, path=str(svg)))
    raise typer.Exit(EXIT_OK)


_SPARK = "▁▂▃▄▅▆▇█"


def _bars(points, labels: tuple[str, str]) -> Iterator[str]:
    """Unicode bars per point, and a sparkline of open items."""
    peak = max(max(p.open + p.finished for p in points), 1)
    width = 40
    for p in points:
        o = round(width * p.open / peak)
        f = round(width * p.finished / peak)
        yield f"{p.date.isoformat()} {'█' * o}{'░' * f} {labels[0]} {p.open} / {labels[1]} {p.finished}"
    top = max(p.open for p in points) or 1
    yield labels[0] + " " + "".join(_SPARK[min(7, p.open * 7 // top)] for p in points)
