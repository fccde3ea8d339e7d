"""The burn-down chart for the HTML report, when the plans have a git history.

The history package is optional for a report: when it is missing, or the
plans are not in a git repository, or git is not installed, the report is
simply written without the chart (no warning: most reports are made from a
plain checkout). Imported lazily so reports never pay for git otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..messages import text


def burndown_chart(paths: Sequence[Path], plan_id: str | None, lang: str, warn: Callable[[str], None] | None = None) -> str | None:
    """The SVG of open versus finished tasks of `plan_id` (None: every plan) over the commits, or None.
    A shallow clone has no chart (its history is cut short): `warn` is told why."""
    try:
        from ..history.burndown import burndown_series, burndown_svg
        from ..gitread import Git, GitError
        from ..history.timeline import repo_paths
    except ImportError:
        return None
    chosen = list(paths) or [Path("plans")]
    try:
        git = Git.find(chosen[0])
        with git:
            roots = repo_paths(git, chosen)
            if git.is_shallow():
                if warn is not None:
                    warn(text("history.shallow_chart", lang))
                return None
            points = burndown_series(git, roots, plan_id)
    except (GitError, OSError, ValueError, LookupError):
        return None
    if not any(p.open + p.finished for p in points):
        return None
    labels = (text("history.burndown.open", lang), text("history.burndown.finished", lang))
    return burndown_svg(points, text("history.burndown.title", lang), labels)
