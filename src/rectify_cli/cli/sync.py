"""`rectify import LEDGER --update`: the thin layer over `formats.sync` (parse, call, print).

The core decides row by row; this prints the diff (with --dry-run), one line per
applied or refused row, and a summary, and maps the outcome to the exit code:
0 every row applied (or nothing to apply), 1 some rows refused, 2 unusable input.
"""


from pathlib import Path
from typing import List, NoReturn, Optional

import typer

from .common import EXIT_FINDINGS, EXIT_OK, err, fail_usage, fail_with, out, today
from ..messages import text


def update_ledger(source: Path, plan: Optional[str], plans: Optional[List[Path]], dry_run: bool, commit: bool,
                  author: Optional[str], lang: str) -> NoReturn:
    from ..formats.sync import apply_ledger
    from ..formats.tables import LedgerError, read_table
    from ..problems import ProblemError
    from ..render.check import problem_line

    if not source.is_file():
        fail_usage(text("import.missing", lang, path=str(source)), lang)
    if author is not None and not commit:
        fail_usage(text("import.needs_commit", lang), lang)
    try:
        table = read_table(source)
    except LedgerError as exc:
        fail_with(exc, lang)
    from contextlib import nullcontext

    from ..edit import lock
    from ..loader import DEFAULT_PLANS

    try:
        # One edit at a time: the whole read-validate-write-commit holds the repository's lock.
        with nullcontext() if dry_run else lock.holding(list(plans or [DEFAULT_PLANS])):
            outcome = apply_ledger(list(plans or []), table, plan, today(), dry_run=dry_run, commit=commit,
                                   author=author, source=source.name)
    except ProblemError as exc:
        fail_with(exc, lang)
    if dry_run:
        for change in outcome.changes:
            for line in change.diff():
                out(line)
    for row in outcome.rows:
        if row.refused:
            why = text(row.key, lang, **row.params)
            out(text("sync.refused", lang, line=row.line, id=row.task or "—", why=why))
            for problem in row.problems[:20]:
                out("  " + problem_line(problem, lang))
        else:
            what = ("、" if lang == "zh" else ", ").join(text(f"ledger.col.{k}", lang) for k in row.changed)
            out(text("sync.applied", lang, line=row.line, id=row.task, what=what))
    out(text("sync.summary", lang, source=source.name, applied=len(outcome.applied),
             refused=len(outcome.refused), unchanged=outcome.unchanged))
    if dry_run:
        err(text("sync.dry_run", lang))
    elif outcome.written:
        out(text("sync.written", lang, files=", ".join(c.display for c in outcome.changes)))
        if outcome.commit:
            out(text("edit.committed", lang, sha=outcome.commit[:12]))
    elif not outcome.changes:
        out(text("sync.nothing", lang))
    raise typer.Exit(EXIT_FINDINGS if outcome.refused else EXIT_OK)

