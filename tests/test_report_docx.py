"""The Word report's tables: the same document as styling every cell through
python-docx, in work linear in the rows (`--lists` at 1,000 tasks took hours)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from rectify_cli.report import docx as word_report
from rectify_cli.report.blocks import Document, Heading, Paragraph, Signature, Table

from .test_report_support import AS_OF, write_demo


def _reference_table(word, block: Table, add) -> None:
    """The table code before it was made linear, kept as the oracle: every cell styled through the API."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table = word.add_table(rows=1 + len(block.rows), cols=len(block.header))
    table.style = word.styles["Table Grid"]
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for r, values in enumerate((block.header, *block.rows)):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            p = cell.paragraphs[0]
            fmt = p.paragraph_format
            fmt.first_line_indent = Pt(0)
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c in block.numeric and r else WD_ALIGN_PARAGRAPH.LEFT
            run = p.add_run(value)
            run.font.size = Pt(word_report.TABLE_PT)
            run.font.bold = r == 0
            word_report.set_fonts(run._r, word_report.H1_FONT if r == 0 else word_report.BODY_FONT)
            if r and (r - 1) in block.marked:
                shade = OxmlElement("w:shd")
                shade.set(qn("w:val"), "clear")
                shade.set(qn("w:color"), "auto")
                shade.set(qn("w:fill"), word_report.OVERDUE_FILL)
                cell._tc.get_or_add_tcPr().append(shade)
    word.add_paragraph(style="Normal")


def _document_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def _demo_outline(tmp_path, lang: str = "zh") -> Document:
    from rectify_cli.report import outline
    from rectify_cli.workspace import open_workspace

    ws = open_workspace([write_demo(tmp_path)], dt.date.fromisoformat(AS_OF))
    return outline.build(ws, ws.repository.plan("demo"), lang, with_lists=True)


TRICKY = Table(
    ("序号", "text", "more"),
    (
        ("1", "tab\there", "line\nbreak"),
        ("2", " padded ", ""),
        ("3", "=HYPERLINK(\"x\")", "crlf\r\nend"),
        ("4", "整改", "\t"),
    ),
    marked=frozenset({1, 3}),
    numeric=frozenset({0}),
)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_is_the_same_document_as_styling_each_cell(tmp_path, monkeypatch, lang):
    doc = _demo_outline(tmp_path, lang)
    doc.blocks.append(TRICKY)  # tabs, breaks, spaces, empty cells, marked rows
    new = _document_xml(word_report.render(doc))
    monkeypatch.setattr(word_report, "_table", _reference_table)
    old = _document_xml(word_report.render(doc))
    assert new == old


@pytest.mark.parametrize("style", ["Normal", "Title", "Heading 1", "Heading 2", "Heading 3"])
@pytest.mark.parametrize("value", ["", "一、履行整改主体责任情况", "a\tb\nc"])
def test_paragraph_helper_writes_what_add_paragraph_writes(style, value):
    from docx import Document as new_document

    helper_doc, api_doc = new_document(), new_document()
    made = word_report._paragraphs(helper_doc)(value, style=style)
    expected = api_doc.add_paragraph(value, style=style)
    assert made._p.xml == expected._p.xml
    assert made.style.name == style


def test_docx_lists_hold_every_row(tmp_path):
    import docx

    doc = _demo_outline(tmp_path)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    out = tmp_path / "r.docx"
    out.write_bytes(word_report.render(doc))
    word = docx.Document(str(out))
    assert len(word.tables) == len(tables)
    for block, table in zip(tables, word.tables):
        read = [tuple(cell.text for cell in row.cells) for row in table.rows]
        assert read == [block.header, *block.rows]
        for n, row in enumerate(table.rows[1:]):
            assert ("FFC7CE" in row._tr.xml) == (n in block.marked)
    after = doc.blocks[next(n for n, b in enumerate(doc.blocks) if isinstance(b, Heading) and "任务清单" in b.text) + 1]
    tasks = word.tables[tables.index(after)]  # 任务清单: one row per task, as read back from the file
    assert [row.cells[1].text for row in tasks.rows[1:]] == ["T-01-1", "T-01-2", "T-02-1", "T-02-2", "T-03-1", "T-03-2", "T-03-3"]


def test_table_work_is_linear_in_the_rows(monkeypatch):
    """Count the cell objects made: styling through `table.cell(r, c)` makes the
    whole grid's cells for every cell (quadratic); rendering must not."""
    import docx.table

    made = []
    real_init = docx.table._Cell.__init__

    def counting(self, *args, **kwargs):
        made.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(docx.table._Cell, "__init__", counting)
    rows = tuple((str(n), f"T-{n}", "完善机制", "市财政局", "2025-12-31", "进行中") for n in range(200))
    block = Table(("序号", "编号", "措施", "单位", "时限", "状态"), rows, frozenset(range(0, 200, 3)), frozenset({0}))
    doc = Document("t", "zh", dt.date(2025, 1, 1), [Heading(0, "t"), Paragraph("p"), block, Signature("办", "2025年1月1日")])
    data = word_report.render(doc)
    cells = len(rows) * len(block.header)
    assert 0 < len(made) <= cells  # the reference made about cells² / 2
    assert len(re.findall(rb"<w:tr[ >]", _document_xml(data))) == len(rows) + 1
