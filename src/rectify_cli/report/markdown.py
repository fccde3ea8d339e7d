"""The report as Markdown: readable as plain text, renders on any git host.

Text from the plan files is escaped where Markdown would act on it (see
`escape.markdown`): control characters, `<` `>` `&` (raw HTML is rendered by
most hosts), the characters of links, images, emphasis and code, and `|`
inside table cells. So a title `[x](javascript:...)` or `![](https://...)`
is shown as written, never a link to follow or an image to fetch.
"""

from __future__ import annotations

from ..render import escape
from .blocks import Chart, Document, Heading, Paragraph, Signature, Table

_LEVEL = {0: "#", 1: "##", 2: "###", 3: "####"}


def _text(value: str) -> str:
    return escape.markdown(value)


def _cell(value: str) -> str:
    return _text(value).replace("|", "\\|").replace("\r", " ").replace("\n", "<br>")


def render(doc: Document) -> str:
    out: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"{_LEVEL[block.level]} {_text(block.text)}")
        elif isinstance(block, Paragraph):
            out.append(_text(block.text))
        elif isinstance(block, Signature):
            out.append(f"{_text(block.issuer)}  \n{_text(block.date)}" if block.issuer else _text(block.date))
        elif isinstance(block, Table):
            out.append(_table(block))
        elif isinstance(block, Chart):
            continue  # an SVG has no place in Markdown text; the HTML report carries it
    return "\n\n".join(out) + "\n"


def _table(table: Table) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in table.header) + " |"]
    lines.append("|" + "|".join("---:" if n in table.numeric else "---" for n in range(len(table.header))) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(c) if c else " " for c in row) + " |")
    return "\n".join(lines)
