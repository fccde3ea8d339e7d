"""A static site for leaders who never open a terminal: read on a phone, printed, or
published to GitLab/GitHub Pages by CI.

Every page is a plain HTML file with its CSS inline: no server, no network, no
fonts or scripts from elsewhere, so it works from `file://` as from Pages.
The overview counts every plan and unit; each plan's page is its 通报 (the
same document `report --format html` makes); each unit's page is its agenda,
its overdue items and its 督办; the item table filters and sorts with a few
lines of inline JavaScript, and without it is the whole table, readable as is.
Everything from the files goes through `escape` (a title holding `<script>`
is shown as text), and page names never come from the files: a unit's page is
named by a digest of its name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape as html_escape
from typing import Iterable, Mapping, Sequence

from .. import overview
from ..messages import text
from ..model import Milestone, Status, Task
from ..render.agenda import when
from ..render.labels import due_label
from ..schedule import ItemState
from ..workspace import Workspace
from . import html as report_html
from .duban import list_rows as duban_list
from .lists import state_cell
from .outline import STATUS_ORDER, build as build_report

DUE_SOON_DAYS = 5  # working days, as `status` counts them
_FAR = dt.date.max  # where undated items sort
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$")

# The navigation bar, on the site's own pages and above each plan's 通报 (whose CSS is the report's).
_NAV_CSS = """
header.site { background: #1f4e96; color: #fff; padding: .6em 1em; font: 16px/1.6 -apple-system, "PingFang SC",
  "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
header.site a { color: #fff; margin-right: 1em; text-decoration: none; }
header.site a:hover, header.site a:focus { text-decoration: underline; }
header.site b { margin-right: 1.5em; }
@media print { header.site { display: none; } }
"""

_CSS = _NAV_CSS + """
:root { --ink: #1a1a1a; --muted: #666; --line: #d0d0d0; --bad: #fde2e1; --bad-ink: #a4000f; --soon: #fff4d6; --accent: #1f4e96; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; color: var(--ink); background: #f4f4f4; line-height: 1.6;
  font-family: -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; }
main { max-width: 1100px; margin: 0 auto; background: #fff; padding: 1em 1.2em 2em; }
h1 { font-size: 1.5em; margin: .3em 0; } h2 { font-size: 1.2em; margin: 1.2em 0 .4em; }
.asof { color: var(--muted); margin: 0 0 1em; }
.figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 1em; }
.figure { flex: 1 1 110px; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; text-align: center; }
.figure b { display: block; font-size: 1.6em; line-height: 1.2; }
.figure span { font-size: .85em; color: var(--muted); }
.figure.overdue { background: var(--bad); color: var(--bad-ink); }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; font-size: .92em; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #eef1f6; }
th[data-sort] { cursor: pointer; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
td.num { text-align: right; white-space: nowrap; }
tr.overdue td { background: var(--bad); color: var(--bad-ink); }
tr.soon td { background: var(--soon); }
form.filters { display: flex; flex-wrap: wrap; gap: .5em; margin: .5em 0; }
form.filters label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted); }
form.filters input, form.filters select { font-size: 1rem; padding: 4px; min-width: 10em; }
.count { color: var(--muted); }
figure { margin: 1em 0; text-align: center; } figure svg { max-width: 100%; height: auto; }
@media (max-width: 600px) { main { padding: .6em; } table { font-size: .85em; } .figure b { font-size: 1.3em; } }
@media print {
  body { background: #fff; } header.site, form.filters { display: none; }
  main { max-width: none; padding: 0; } thead { display: table-header-group; } tr { break-inside: avoid; }
  tr.overdue td, tr.soon td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Filter and sort the item table; the page is whole without it.
_SCRIPT = """
(function () {
  var table = document.getElementById("items"), form = document.getElementById("filters");
  if (!table || !form) return;
  form.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows), shown = document.getElementById("shown");
  function apply() {
    var unit = form.unit.value, status = form.status.value, words = form.q.value.trim().toLowerCase(), n = 0;
    rows.forEach(function (row) {
      var ok = (!unit || JSON.parse(row.dataset.units).indexOf(unit) >= 0)
        && (!status || row.dataset.status === status || (status === "overdue" && row.dataset.overdue === "1")
            || (status === "soon" && row.dataset.soon === "1"))
        && (!words || row.textContent.toLowerCase().indexOf(words) >= 0);
      row.hidden = !ok; if (ok) n++;
    });
    shown.textContent = n;
  }
  form.addEventListener("input", apply); form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    if (!th.dataset.sort) return;
    th.tabIndex = 0;
    function sort() {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var numeric = th.dataset.sort === "number";
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.key || a.cells[col].textContent, y = b.cells[col].dataset.key || b.cells[col].textContent;
        var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y, "zh");
        return up ? c : -c;
      });
      rows.forEach(function (row) { table.tBodies[0].appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
})();
"""


@dataclass(frozen=True, slots=True)
class Site:
    pages: dict[str, str]  # file name -> HTML


def escape(value: object) -> str:
    return report_html.escape("" if value is None else str(value))


def attr(value: object) -> str:
    return html_escape(report_html.controls.terminal("" if value is None else str(value)), quote=True)


def plan_page(plan_id: str) -> str:
    """A plan's page: its id when that is a plain file name, else a digest of it."""
    return f"plan-{plan_id}.html" if _SAFE_ID.match(plan_id) else f"plan-{_digest(plan_id)}.html"


def unit_page(unit: str) -> str:
    """A unit's page, named by a digest: unit names are free text (slashes, dots, anything)."""
    return f"unit-{_digest(unit)}.html"


def _digest(value: str) -> str:
    return hashlib.blake2b(value.encode("utf-8", "surrogateescape"), digest_size=6).hexdigest()


def build(ws: Workspace, lang: str, charts: Mapping[str | None, str] | None = None) -> Site:
    """Every page of the site. `charts`: burn-down SVGs by plan id (None: all plans)."""
    charts = charts or {}
    states = [*ws.schedule.milestones, *ws.schedule.tasks]
    units = sorted({u for s in states for u in s.units}, key=lambda u: (-sum(1 for s in states if u in s.units and s.overdue), u))
    pages = {"index.html": _index(ws, states, units, lang, charts.get(None)),
             "items.html": _items(ws, states, units, lang)}
    for plan in ws.repository.plans:
        doc = build_report(ws, plan, lang, with_lists=True, chart_svg=charts.get(plan.id))
        pages[plan_page(plan.id)] = report_html.render(doc, header=_nav(ws, lang), style=_NAV_CSS)
    agenda = overview.agenda(ws.schedule, DUE_SOON_DAYS)  # by lead unit, as `rectify agenda` has it
    for unit in units:
        pages[unit_page(unit)] = _unit(ws, unit, [s for s in states if unit in s.units], agenda.get(unit, []), lang)
    return Site(pages)


def _shell(ws: Workspace, title: str, body: Iterable[str], lang: str, script: str = "") -> str:
    lang_attr = "zh-CN" if lang == "zh" else "en"
    parts = ["<!DOCTYPE html>", f'<html lang="{lang_attr}">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             '<meta name="generator" content="rectify">', f"<title>{escape(title)}</title>",
             f"<style>{_CSS}</style>", "</head>", "<body>", _nav(ws, lang), "<main>", f"<h1>{escape(title)}</h1>",
             f'<p class="asof">{escape(text("status.as_of", lang, date=ws.schedule.as_of.isoformat()))}</p>',
             *body, "</main>"]
    if script:
        parts.append(f"<script>{script}</script>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _nav(ws: Workspace, lang: str) -> str:
    return (f'<header class="site"><b>{escape(text("site.name", lang))}</b>'
            f'<a href="index.html">{escape(text("site.overview", lang))}</a>'
            f'<a href="items.html">{escape(text("site.items", lang))}</a></header>')


def _figures(states: Sequence[ItemState], lang: str) -> str:
    tasks = [s for s in states if isinstance(s.item, Task)]
    counts = overview.total(tasks, DUE_SOON_DAYS)
    overdue = sum(1 for s in states if s.overdue)
    cards = [(text("report.fig.total", lang), counts.total, "total"),
             (text("site.finished", lang), counts.finished, "done"),
             (text("col.overdue", lang), overdue, "overdue" if overdue else "clear"),
             (text("site.due_soon", lang, days=DUE_SOON_DAYS), sum(1 for s in states if overview.is_due_soon(s, DUE_SOON_DAYS)), "soon"),
             (text("site.completion", lang), _completion(counts), "completion")]
    inner = "".join(f'<div class="figure {k}"><b>{escape(n)}</b><span>{escape(label)}</span></div>' for label, n, k in cards)
    return f'<div class="figures">{inner}</div>'


def _attr(name: str, value: str) -> str:
    """` name="value"`, or nothing for an empty value."""
    return f' {name}="{attr(value)}"' if value else ""


def _table(header: Sequence[str], rows: Iterable[tuple[str, Sequence[str]]], table_id: str = "", sort: Sequence[str] = ()) -> str:
    """`rows`: (row class, cells already HTML). `sort`: per column "", "text" or "number"."""
    heads = "".join(f"<th{_attr('data-sort', sort[k] if k < len(sort) else '')}>{escape(h)}</th>" for k, h in enumerate(header))
    body = "".join(f"<tr{_attr('class', cls)}>{''.join(cells)}</tr>" for cls, cells in rows)
    return f'<div class="scroll"><table{_attr("id", table_id)}><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>'


def _cell(value: object, key: object = None, num: bool = False) -> str:
    data = f' data-key="{attr(key)}"' if key is not None else ""
    cls = ' class="num"' if num else ""
    return f"<td{cls}{data}>{escape(value)}</td>"


def _counts_rows(groups: Sequence[tuple[str, str, Sequence[ItemState]]]):
    for label, href, members in groups:
        tasks = [s for s in members if isinstance(s.item, Task)]
        c = overview.total(tasks, DUE_SOON_DAYS)
        overdue = sum(1 for s in members if s.overdue)
        soon = sum(1 for s in members if overview.is_due_soon(s, DUE_SOON_DAYS))
        name = f'<td><a href="{attr(href)}">{escape(label)}</a></td>'
        yield ("overdue" if overdue else ""), [name, _cell(c.total, num=True), _cell(c.finished, num=True),
                                               _cell(overdue, num=True), _cell(soon, num=True),
                                               _cell(_completion(c), c.completion if _counted(c) else -1, num=True)]


def _counted(counts: overview.Counts) -> int:
    return counts.total - counts.of(Status.CANCELLED)


def _completion(counts: overview.Counts) -> str:
    """A rate, or a dash where there is nothing to complete (a unit that leads only milestones)."""
    return f"{counts.completion:.0%}" if _counted(counts) else "—"


def _counts_header(first: str, lang: str) -> list[str]:
    return [first, text("report.fig.total", lang), text("site.finished", lang), text("col.overdue", lang),
            text("site.due_soon", lang, days=DUE_SOON_DAYS), text("site.completion", lang)]


def _index(ws: Workspace, states, units: Sequence[str], lang: str, chart: str | None) -> str:
    plans = [(f"{p.title}（{p.id}）" if lang == "zh" else f"{p.title} ({p.id})", plan_page(p.id),
              [s for s in states if s.plan is not None and s.plan.id == p.id]) for p in ws.repository.plans]
    by_unit = [(u, unit_page(u), [s for s in states if u in s.units]) for u in units]
    sort = ("text", "number", "number", "number", "number", "number")
    body = [_figures(states, lang),
            f"<h2>{escape(text('site.by_plan', lang))}</h2>", _table(_counts_header(text("col.plan", lang), lang), _counts_rows(plans)),
            f"<h2>{escape(text('site.by_unit', lang))}</h2>",
            _table(_counts_header(text("ledger.col.lead", lang), lang), _counts_rows(by_unit), "units", sort)]
    if chart:
        body.append(f"<h2>{escape(text('history.burndown.title', lang))}</h2><figure>{chart}</figure>")
    body.append(f'<p><a href="items.html">{escape(text("site.all_items", lang, n=len(states)))}</a></p>')
    return _shell(ws, text("site.title", lang), body, lang, script=_SCRIPT)


def _plan_id(state: ItemState) -> str:
    return state.plan.id if state.plan is not None else getattr(state.item, "plan", "")


def _plan_cell(state: ItemState) -> str:
    plan_id = _plan_id(state)
    return f'<td><a href="{attr(plan_page(plan_id))}">{escape(plan_id)}</a></td>'


def _title_cell(state: ItemState, lang: str) -> str:
    mark = escape(text("site.milestone", lang)) if isinstance(state.item, Milestone) else ""
    return f"<td>{mark}{escape(state.item.title)}</td>"


def _item_row(state: ItemState, lang: str, plan_link: bool = True) -> tuple[str, list[str]]:
    item = state.item
    plan = _plan_cell(state) if plan_link else _cell(_plan_id(state))
    units = "、".join(f'<a href="{attr(unit_page(u))}">{escape(u)}</a>' for u in state.units)
    due = state.due_date.isoformat() if state.due_date else ""
    cells = [plan, _cell(item.id), _title_cell(state, lang), f"<td>{units}</td>", _cell(due_label(state, lang), due or "9999"),
             _cell(state_cell(state, lang), STATUS_ORDER.index(item.status) if item.status in STATUS_ORDER else 99),
             _cell(state.days_overdue or "", state.days_overdue, num=True)]
    cls = "overdue" if state.overdue else "soon" if overview.is_due_soon(state, DUE_SOON_DAYS) else ""
    return cls, cells


def _items_header(lang: str) -> list[str]:
    return [text("col.plan", lang), text("col.id", lang), text("ledger.col.measure", lang), text("ledger.col.lead", lang),
            text("ledger.col.due", lang), text("col.status", lang), text("site.days_overdue", lang)]


def _items(ws: Workspace, states: Sequence[ItemState], units: Sequence[str], lang: str) -> str:
    ordered = sorted(states, key=lambda s: (not s.overdue, s.due_date or _FAR, getattr(s.item, "plan", ""), s.item.id))
    rows = []
    for state in ordered:
        cls, cells = _item_row(state, lang)
        # the unit names as the unit <select> has them (controls made visible), so a filter always matches
        names = json.dumps([report_html.controls.terminal(u) for u in state.units], ensure_ascii=False)
        data = (f' data-units="{attr(names)}" data-status="{attr(state.item.status.value)}"'
                f' data-overdue="{1 if state.overdue else 0}" data-soon="{1 if cls == "soon" else 0}"')
        rows.append((cls, cells, data))
    statuses = [s for s in STATUS_ORDER if any(st.item.status is s for st in states)]
    options = lambda values: "".join(f'<option value="{attr(v)}">{escape(label)}</option>' for v, label in values)  # noqa: E731
    form = ('<form id="filters" class="filters" hidden>'
            f'<label>{escape(text("ledger.col.lead", lang))}<select name="unit"><option value="">{escape(text("site.any", lang))}</option>'
            f'{options((u, u) for u in units)}</select></label>'
            f'<label>{escape(text("col.status", lang))}<select name="status"><option value="">{escape(text("site.any", lang))}</option>'
            f'<option value="overdue">{escape(text("col.overdue", lang))}</option>'
            f'<option value="soon">{escape(text("site.due_soon", lang, days=DUE_SOON_DAYS))}</option>'
            f'{options((s.value, text(f"status.{s.value}", lang)) for s in statuses)}</select></label>'
            f'<label>{escape(text("site.search", lang))}<input name="q" type="search"></label>'
            f'<span class="count">{escape(text("site.shown", lang))}<span id="shown">{len(rows)}</span></span></form>')
    sort = ("text", "text", "text", "text", "text", "number", "number")
    header = "".join(f'<th data-sort="{sort[k]}">{escape(h)}</th>' for k, h in enumerate(_items_header(lang)))
    body = "".join(f"<tr{_attr('class', cls)}{data}>{''.join(cells)}</tr>" for cls, cells, data in rows)
    table = f'<div class="scroll"><table id="items"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>'
    return _shell(ws, text("site.items", lang), [form, table], lang, script=_SCRIPT)


def _unit(ws: Workspace, unit: str, states: Sequence[ItemState], agenda: Sequence[ItemState], lang: str) -> str:
    """A unit's page: its people, its figures, its agenda (as `rectify agenda` lists it), its 督办清单, all its items."""
    registered = ws.schedule.registry.find(unit) if ws.schedule.registry else None
    body = [_figures(states, lang)]
    if registered is not None and (registered.leader or registered.contact):
        who = text("site.unit_people", lang, leader=registered.leader or "-", contact=registered.contact or "-")
        body.insert(0, f"<p>{escape(who)}</p>")
    body.append(f"<h2>{escape(text('site.agenda', lang, days=DUE_SOON_DAYS))}</h2>")
    if agenda:
        header = [text("col.plan", lang), text("col.id", lang), text("ledger.col.measure", lang), text("ledger.col.due", lang),
                  text("site.when", lang), text("col.status", lang)]
        rows = (("overdue" if s.overdue else "soon",
                 [_plan_cell(s), _cell(s.item.id), _title_cell(s, lang), _cell(due_label(s, lang)), _cell(when(s, lang)),
                  _cell(text(f"status.{s.item.status.value}", lang))]) for s in agenda)
        body.append(_table(header, rows))
    else:
        body.append(f"<p>{escape(text('site.nothing_due', lang))}</p>")
    body.append(f"<h2>{escape(text('duban.list.heading', lang))}</h2>")
    header, duban_rows, marked = duban_list(states, lang)
    if duban_rows:
        body.append(_table(header, (("overdue" if n in marked else "", [_cell(c) for c in row]) for n, row in enumerate(duban_rows))))
    else:
        body.append(f"<p>{escape(text('site.no_duban', lang))}</p>")
    body.append(f"<h2>{escape(text('site.unit_items', lang, n=len(states)))}</h2>")
    body.append(_table(_items_header(lang), (_item_row(s, lang) for s in sorted(states, key=lambda s: (not s.overdue, s.due_date or _FAR)))))
    return _shell(ws, unit, body, lang)
