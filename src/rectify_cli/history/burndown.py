"""Open versus finished items over time, from history, and a chart of it.

The series is core data (a report can embed the chart), and the SVG is
written by hand: self-contained, no plotting dependency, safe to attach to
an e-mail or a document. Finished means what the model says (done, closed,
cancelled); everything else, including ongoing (长期坚持), counts as open.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple, Sequence
from xml.sax.saxutils import escape

from ..model import Status
from ..gitread import Git
from .timeline import Replay

_FINISHED = frozenset(s.value for s in Status if s.finished)


class Point(NamedTuple):
    date: dt.date
    open: int
    finished: int


def _count(replay: Replay, plan: str | None) -> tuple[int, int]:
    open_, finished = 0, 0
    for item in replay.ledger.items():
        if item.kind != "task" or (plan is not None and item.key[0] != plan):
            continue
        if item.get("status") in _FINISHED:
            finished += 1
        else:
            open_ += 1
    return open_, finished


def burndown_series(
    git: Git, roots: Sequence[str], plan: str | None = None, since: dt.date | None = None,
    weekly: bool = False,
) -> list[Point]:
    """One point per day with a commit (the state after that day's last commit),
    or per ISO week (dated by its Monday) when `weekly`. Tasks only."""
    if git.head() is None:
        return []
    replay = Replay(git, roots)
    points: dict[dt.date, Point] = {}
    for step in replay.steps(["HEAD"]):
        day = step.commit.commit_date.date()
        if weekly:
            day -= dt.timedelta(days=day.weekday())
        if since is not None and day < since:
            continue
        if not step.changes and day in points:
            continue
        points[day] = Point(day, *_count(replay, plan))
    return [points[d] for d in sorted(points)]


def burndown_svg(points: Sequence[Point], title: str = "", labels: tuple[str, str] = ("open", "finished")) -> str:
    """A self-contained SVG line chart of a series (two lines, axes, legend)."""
    width, height, left, right, top, bottom = 720, 360, 56, 20, 40, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([1, *(max(p.open, p.finished) for p in points)])
    n = len(points)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / peak

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<title>{escape(title or "burndown")}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="24" font-size="15">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for tick in sorted({0, peak // 2, peak}):
        parts.append(f'<text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="#ddd"/>')
    if points:
        for i in sorted({0, n // 2, n - 1}):
            # the first and last dates stand inside the plot's edges, or the last is cut off
            anchor = "middle" if n == 1 or 0 < i < n - 1 else "start" if i == 0 else "end"
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}">{points[i].date.isoformat()}</text>')
    for attr, colour, label, row in (("open", "#c0392b", labels[0], 0), ("finished", "#27ae60", labels[1], 1)):
        coords = " ".join(f"{x(i):.1f},{y(getattr(p, attr)):.1f}" for i, p in enumerate(points))
        if coords:
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"><title>{escape(label)}</title></polyline>')
        lx = left + plot_w - 150 + row * 80
        parts.append(f'<rect x="{lx}" y="{height - 20}" width="12" height="4" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16}" y="{height - 14}">{escape(label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_svg(path: Path, points: Sequence[Point], title: str = "", labels: tuple[str, str] = ("open", "finished")) -> None:
    path.write_text(burndown_svg(points, title, labels), encoding="utf-8")
