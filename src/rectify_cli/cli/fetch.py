"""`rectify fetch`: bring every source of rectify.yaml up to date."""


from pathlib import Path
from typing import List, Optional

import typer

from .root import app
from .common import EXIT_FINDINGS, EXIT_INVALID, EXIT_OK, err, fail_usage, lang_of, out, paths_or_default
from .options import LangOpt, PathsArg
from ..messages import text


@app.command()
def fetch(
    paths: Optional[List[Path]] = PathsArg,
    source: Optional[List[str]] = typer.Option(None, "--source", help="Only this source (repeatable) / 只拉取该来源"),
    lang: Optional[str] = LangOpt,
) -> None:
    """Fetch each source of rectify.yaml (the units' repositories) and pin its commit. 拉取各来源仓库。

    Read commands then read every source as fetched, beside the local plans.
    Exit 0: every source fetched; 1: some could not be (the others were);
    2: rectify.yaml is invalid, lists no sources, or names no such source.
    """
    from ..config import read_config
    from ..problems import Severity
    from ..render.check import problem_line
    from ..sources import fetch as fetch_one
    from ..tree import WorkTree

    language = lang_of(lang, paths)
    chosen = paths_or_default(paths)
    tree = WorkTree.of(chosen)
    config, problems = read_config(tree, chosen)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    for problem in errors:
        err(problem_line(problem, language))
    if errors:
        raise typer.Exit(EXIT_INVALID)
    specs = [s for s in config.sources if not source or s.name in source]
    if not config.sources:
        fail_usage(text("source.none", language), language)
    unknown = sorted(set(source or ()) - {s.name for s in config.sources})
    if unknown:
        fail_usage(text("source.not_listed", language, name=", ".join(unknown),
                        names=", ".join(s.name for s in config.sources)), language)
    failed = 0
    for spec in specs:
        result = fetch_one(spec, tree.top)
        if not result.ok:
            failed += 1
            err(f"rectify: {spec.source}: {text(result.key, language, name=spec.name, reason=result.reason)}")
            continue
        state = (text("source.state_new", language) if result.before is None
                 else text("source.state_same", language) if result.before == result.sha
                 else text("source.state_moved", language, before=result.before[:7]))
        out(text("source.fetched", language, name=spec.name, short=result.sha[:7], state=state))
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)
