"""`rectify site`: the static dashboard leaders read on a phone or in print."""


from pathlib import Path
from typing import List, Optional

import typer

from .root import app
from .common import EXIT_OK, err, fail_usage, lang_of, out, paths_or_default
from .options import AsOfOpt, LangOpt, PathsArg
from .workspaces import open_or_exit
from ..messages import text

MANIFEST = ".rectify-site"  # the pages the last run wrote: those may be replaced or removed


@app.command()
def site(
    paths: Optional[List[Path]] = PathsArg,
    target: Path = typer.Option(Path("public"), "--out", help="Output folder (default public) / 输出目录"),
    as_of: Optional[str] = AsOfOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """Write a static site for leaders: overview, each plan's report, each unit's
    agenda and 督办, and a table of every item that filters and sorts.

    Exit 0: written; 2: invalid files, bad usage, or the folder could not be written.
    """
    from ..atomic import ANY, write_all
    from ..report.chart import burndown_chart
    from ..report.site import build

    language = lang_of(lang, paths)
    ws = open_or_exit(paths, as_of, language)
    chosen = paths_or_default(paths)
    warned: set[str] = set()

    def warn(line: str) -> None:  # a shallow clone has no chart: said once, not once per plan
        if line not in warned:
            warned.add(line)
            err(f"rectify: {line}")

    charts = {None: burndown_chart(chosen, None, language, warn)}
    for plan in ws.repository.plans:
        charts[plan.id] = burndown_chart(chosen, plan.id, language, warn)
    pages = build(ws, language, {k: v for k, v in charts.items() if v}).pages
    before = _previous(target, language)
    created = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        manifest = "".join(f"{name}\n" for name in sorted(pages))
        write_all([*((target / name, html, ANY) for name, html in pages.items()), (target / MANIFEST, manifest, ANY)])
    except OSError as exc:
        if created:  # write_all put nothing in place: leave no empty folder behind either
            try:
                target.rmdir()
            except OSError:
                pass
        fail_usage(text("export.write_failed", language, path=str(target), reason=exc.strerror or str(exc)), language)
    for stale in before - set(pages):  # a page of a unit or plan that is gone
        try:
            (target / stale).unlink()
        except OSError:
            pass
    out(text("site.written", language, n=len(pages), path=str(target / "index.html")))
    raise typer.Exit(EXIT_OK)


def _previous(target: Path, lang: str) -> set[str]:
    """The pages an earlier run wrote here; a folder with other files is refused."""
    if not target.exists():
        return set()
    if not target.is_dir():
        fail_usage(text("site.not_empty", lang, path=str(target)), lang)
    listed = target / MANIFEST
    if listed.is_file() and not listed.is_symlink():
        names = {n for n in listed.read_text(encoding="utf-8", errors="replace").splitlines()
                 if n and "/" not in n and "\\" not in n and n.endswith(".html")}
        return names
    if any(target.iterdir()):
        fail_usage(text("site.not_empty", lang, path=str(target)), lang)
    return set()
