"""`rectify notify`: each unit's reminders for the day, by e-mail or a work-chat robot."""


from pathlib import Path
from typing import List, Optional

import typer

from .root import app
from .common import EXIT_FINDINGS, EXIT_OK, err, fail_usage, fail_with, lang_of, out
from .options import AsOfOpt, LangOpt, PathsArg
from .workspaces import open_or_exit
from ..messages import text


@app.command()
def notify(
    paths: Optional[List[Path]] = PathsArg,
    as_of: Optional[str] = AsOfOpt,
    days: int = typer.Option(3, "--days", min=0, help="Working days that count as due soon / 临期工作日数"),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only this unit / 只提醒该单位"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print each reminder; send nothing / 只显示，不发送"),
    force: bool = typer.Option(False, "--force", help="Send again what was already sent today / 今天已发送的也再发"),
    lang: Optional[str] = LangOpt,
) -> None:
    """Send each unit its reminders for the day by e-mail or a work-chat robot. 发送整改提醒。

    Exit 0: all delivered (or nothing to send, or --dry-run); 1: some unit's
    delivery failed (the others still went out); 2: bad settings or usage.
    """
    from .. import notify as core
    from ..tree import find_root

    language = lang_of(lang, paths)
    ws = open_or_exit(paths, as_of, language)
    units = ws.ledger.config.units
    if not units:
        fail_usage(text("notify.no_registry", language), language)
    chosen = [u for u in units if unit is None or unit in (u.name, *u.aliases)]
    items = core.reminders(ws.schedule, chosen, days, language)
    if not items:
        out(text("notify.nothing", language))
        raise typer.Exit(EXIT_OK)
    for item in items:
        if not item.channels():
            err(f"rectify: {text('notify.no_channel', language, unit=item.unit)}")
    if dry_run:
        for item in items:
            out(f"== {item.unit} ({', '.join(item.channels()) or '-'})")
            out(item.subject)
            out(item.body)
        raise typer.Exit(EXIT_OK)
    try:
        core.check_settings(items)
    except core.NotifyError as exc:
        fail_with(exc, language)
    root = find_root(Path(paths[0]) if paths else Path("plans"))
    results = core.send_all(items, root, ws.schedule.as_of, force)
    for r in results:
        key = "notify.skipped" if r.skipped else "notify.sent" if r.ok else "notify.failed"
        reason = text(r.key, language) if r.key else r.reason
        line = text(key, language, unit=r.unit, channel=r.channel, reason=reason)
        (out if r.ok else err)(line if r.ok else f"rectify: {line}")
    raise typer.Exit(EXIT_OK if all(r.ok for r in results) else EXIT_FINDINGS)
