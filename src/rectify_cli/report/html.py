"""The report as one self-contained HTML file: e-mail it, open it offline, print it.

No scripts, no fonts or images from the network: the CSS is inline, the
burn-down chart (when history is available) is inline SVG, and a print
stylesheet lays the page out on A4 with the official-document margins.
Every piece of text from the plan files goes through `html.escape`, so a
title containing `<script>` is shown as text, never run, and control
characters (ESC, bidi overrides) are shown as visible escapes, as on a terminal.
"""

from __future__ import annotations

from html import escape as html_escape

from ..messages import text
from ..render import escape as controls
from .blocks import Chart, Document, Heading, Paragraph, Signature, Table

_CSS = """
:root { --ink: #1a1a1a; --muted: #666; --line: #d0d0d0; --bad: #fde2e1; --bad-ink: #a4000f; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f4f4f4;
  font-family: "FangSong", "仿宋_GB2312", "仿宋", "STFangsong", "Songti SC", serif; font-size: 16pt; line-height: 1.8; }
main { max-width: 210mm; margin: 0 auto; background: #fff; padding: 24mm 26mm 24mm 28mm; }
h1 { font-family: "方正小标宋简体", "华文中宋", "STZhongsong", "SimSun", "宋体", serif; font-size: 22pt;
  font-weight: normal; text-align: center; line-height: 1.5; margin: 0 0 1em; }
h2 { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 1em 0 0; text-indent: 2em; }
h3 { font-family: "楷体_GB2312", "楷体", "KaiTi", "STKaiti", serif; font-size: 16pt; font-weight: normal; margin: .6em 0 0; text-indent: 2em; }
h4 { font-size: 16pt; font-weight: normal; margin: .4em 0 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
.signature { text-align: right; margin: 2em 4em 0 0; }
.appendix { margin-top: 2.5em; text-indent: 0; }
.figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 0 0 1.2em; font-family: sans-serif; }
.figure { flex: 1 1 90px; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; text-align: center; }
.figure b { display: block; font-size: 20pt; line-height: 1.2; }
.figure span { font-size: 10pt; color: var(--muted); }
.figure.overdue { background: var(--bad); color: var(--bad-ink); }
.asof { font-size: 10.5pt; color: var(--muted); text-align: center; margin: -.6em 0 1em; text-indent: 0; font-family: sans-serif; }
table { border-collapse: collapse; width: 100%; margin: .6em 0 1em; font-size: 10.5pt; line-height: 1.4; }
th, td { border: 1px solid var(--line); padding: 3px 6px; vertical-align: top; text-align: left; }
th { background: #eef1f6; }
td.num { text-align: right; white-space: nowrap; }
tr.overdue td { background: var(--bad); color: var(--bad-ink); }
figure { margin: 1em 0; text-align: center; }
figure svg { max-width: 100%; height: auto; }
@media (max-width: 600px) {  /* leaders read on phones: no A4 margins, tables scroll in their box */
  body { font-size: 12pt; } main { padding: 5mm 4mm; } h1 { font-size: 17pt; }
  table { display: block; overflow-x: auto; -webkit-overflow-scrolling: touch; }
}
@media print {
  @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
  body { background: #fff; }
  main { max-width: none; margin: 0; padding: 0; }
  .figures, .asof { display: none; }
  .appendix { break-before: page; margin-top: 0; }
  thead { display: table-header-group; }
  tr, figure { break-inside: avoid; }
  tr.overdue td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def escape(value: str) -> str:
    """Text as HTML text: markup escaped, control characters made visible."""
    return html_escape(controls.terminal(value))


def render(doc: Document, header: str = "", style: str = "") -> str:
    """The document as one page; `header`: HTML put above it (the site's navigation),
    `style`: CSS for that header, added after the report's own."""
    lang_attr = "zh-CN" if doc.lang == "zh" else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang_attr}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="rectify">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>{_CSS}{style}</style>",
        "</head>",
        "<body>",
        header,
        "<main>",
    ]
    for block in doc.blocks:
        parts.append(_block(block, doc))
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(p for p in parts if p) + "\n"


def _block(block, doc: Document) -> str:
    if isinstance(block, Heading):
        if block.level == 0:
            return f"<h1>{escape(block.text)}</h1>\n" + _dashboard(doc)
        tag = f"h{block.level + 1}"
        cls = ' class="appendix"' if block.appendix else ""
        return f"<{tag}{cls}>{escape(block.text)}</{tag}>"
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Signature):
        lines = [escape(x) for x in (block.issuer, block.date) if x]
        return '<p class="signature">' + "<br>".join(lines) + "</p>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return f'<figure class="chart">{block.svg}</figure>'
    return ""


def _dashboard(doc: Document) -> str:
    cards = "".join(
        f'<div class="figure {escape(kind)}"><b>{number}</b><span>{escape(label)}</span></div>'
        for label, number, kind in doc.figures
    )
    as_of = escape(text("status.as_of", doc.lang, date=doc.as_of.isoformat()))
    return f'<p class="asof">{as_of}</p>\n<div class="figures">{cards}</div>'


def _table(table: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    body = []
    for n, row in enumerate(table.rows):
        cls = ' class="overdue"' if n in table.marked else ""
        cells = "".join(
            f'<td class="num">{escape(c)}</td>' if k in table.numeric else f"<td>{escape(c)}</td>"
            for k, c in enumerate(row)
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
