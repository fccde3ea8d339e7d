"""The report as a Word document laid out as a Chinese official document (GB/T 9704-2012).

What the standard asks and how it is met here:
- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm, which
  leaves the 156 × 225 mm type area (版心).
- 22 lines of 28 characters per page: 3号 (16 pt) body text on a document
  grid with an exact line pitch of 28.95 pt (225 mm / 22) and a character
  pitch of 156 mm / 28; the grid's charSpace is relative to the 16 pt default.
- Title 2号 (22 pt) 方正小标宋简体, centred; body 3号 仿宋_GB2312; first-level
  headings (一、) 黑体, second-level (（一）) 楷体_GB2312, third-level (1.) 仿宋.
- Page numbers 4号 (14 pt) 宋体 as "— 1 —", right on odd pages and left on even
  pages, one character in from the edge.
Chinese fonts are set through `w:eastAsia` (Word ignores `w:ascii` for CJK
text), and the font table names a fallback (`w:altName`) for each, so a
machine without 方正小标宋简体 uses 华文中宋, then 宋体, instead of a default.
"""

from __future__ import annotations

import io
import re

from ..formats.ledger import display_width
from .blocks import Chart, Document, Heading, Paragraph, Signature, Table

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Font → (fallback named in the font table, family): each falls back to a font Windows ships.
FALLBACKS = {
    "方正小标宋简体": ("华文中宋", "roman"),
    "华文中宋": ("宋体", "roman"),
    "仿宋_GB2312": ("仿宋", "modern"),
    "楷体_GB2312": ("楷体", "modern"),
    "黑体": ("SimHei", "modern"),
    "宋体": ("SimSun", "roman"),
}
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LINES, CHARS = 22, 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT, TABLE_PT = 16, 22, 14, 10.5
LINE_PITCH_PT = 28.95
OVERDUE_FILL = "FFC7CE"
_PLAIN = re.compile(r"[^\t\r\n]+")


def char_space() -> int:
    """w:charSpace for CHARS characters across the type area, in 1/4096 pt over the 16 pt font."""
    width_pt = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 25.4 * 72
    return round((width_pt / CHARS - BODY_PT) * 4096)


def render(doc: Document) -> bytes:
    from docx import Document as new_document

    word = new_document()
    _page_setup(word)
    _styles(word)
    _font_table(word)
    word.core_properties.title = doc.title
    word.core_properties.author = "rectify"
    word.core_properties.comments = ""
    add = _paragraphs(word)
    for block in doc.blocks:
        if isinstance(block, Heading):
            if block.level == 0:
                p = add(style="Title")
                p.add_run(block.text)
                add()  # the title is followed by one blank line
            elif block.appendix:
                p = add(style="Heading 1")
                p.paragraph_format.first_line_indent = 0
                p.paragraph_format.page_break_before = True
                p.add_run(block.text)
            else:
                add(block.text, style=f"Heading {block.level}")
        elif isinstance(block, Paragraph):
            add(block.text)
        elif isinstance(block, Signature):
            _signature(add, block)
        elif isinstance(block, Table):
            _table(word, block, add)
        elif isinstance(block, Chart):
            continue  # Word cannot take the SVG without a raster fallback; the HTML report has it
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _paragraphs(word):
    """`add(text, style)` appends a paragraph as `word.add_paragraph` does, with
    each style's id looked up once: python-docx scans every style of the
    document for each paragraph given a style name, milliseconds apiece."""
    from docx.enum.style import WD_STYLE_TYPE

    ids: dict[str, str | None] = {}

    def add(text: str = "", style: str = "Normal"):
        if style not in ids:
            ids[style] = word.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
        paragraph = word.add_paragraph(text)
        paragraph._p.style = ids[style]  # what the `style` setter does with the id it looks up
        return paragraph

    return add


def set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set w:rFonts on a run or style rPr: the East Asian font explicitly, themes removed."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _page_setup(word) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = word.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(23)  # the page number sits about 7 mm below the type area
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = section._sectPr.makeelement(qn("w:docGrid"), {})
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(char_space()))
    word.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)


def _page_number(paragraph, odd: bool) -> None:
    """"— PAGE —" in 4号 宋体; right on odd pages, left on even ones, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.first_line_indent = 0
    if odd:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.right_indent = Pt(PAGE_NUMBER_PT)
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        fmt.left_indent = Pt(PAGE_NUMBER_PT)

    def run(value: str | None = None, field: str | None = None):
        r = paragraph.add_run(value or "")
        r.font.size = Pt(PAGE_NUMBER_PT)
        set_fonts(r._r, PAGE_FONT, PAGE_FONT)
        if field is not None:
            r._r.append(_fld("begin"))
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = field
            r._r.append(instr)
            r._r.append(_fld("separate"))
            t = OxmlElement("w:t")
            t.text = "1"
            r._r.append(t)
            r._r.append(_fld("end"))
        return r

    run("— ")
    run(field=" PAGE ")
    run(" —")


def _fld(kind: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    return element


def _styles(word) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = word.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if rpr_default is not None:  # the grid's character pitch counts from the default size
        rpr = rpr_default.find(qn("w:rPr"))
        for old in rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
            rpr.remove(old)
        for tag in ("w:sz", "w:szCs"):
            size = rpr.makeelement(qn(tag), {qn("w:val"): str(BODY_PT * 2)})
            rpr.append(size)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            for attr in list(fonts.attrib):
                del fonts.attrib[attr]
            fonts.set(qn("w:ascii"), LATIN_FONT)
            fonts.set(qn("w:hAnsi"), LATIN_FONT)
            fonts.set(qn("w:eastAsia"), BODY_FONT)

    def shape(name: str, font: str, size: float, indent: bool, align=None) -> None:
        style = styles[name]
        set_fonts(style.element, font)
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:spacing", "w:kern", "w:szCs"):  # the template's letter-spacing and CS size
            for old in rpr.findall(qn(tag)):
                rpr.remove(old)
        rpr.append(rpr.makeelement(qn("w:szCs"), {qn("w:val"): str(round(size * 2))}))
        fmt = style.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(BODY_PT * 2) if indent else Pt(0)
        fmt.keep_with_next = name.startswith("Heading")
        fmt.widow_control = False
        if align is not None:
            fmt.alignment = align

    shape("Normal", BODY_FONT, BODY_PT, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    shape("Title", TITLE_FONT, TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    shape("Heading 1", H1_FONT, BODY_PT, indent=True)
    shape("Heading 2", H2_FONT, BODY_PT, indent=True)
    shape("Heading 3", BODY_FONT, BODY_PT, indent=True)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    border = title_ppr.find(qn("w:pBdr"))  # the template underlines the title; a 公文 title has no rule
    if border is not None:
        title_ppr.remove(border)


def _font_table(word) -> None:
    """Name each Chinese font in the font table with its fallback (w:altName) and GB2312 charset."""
    from lxml import etree

    part = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    ns = root.nsmap["w"]

    def w(tag: str) -> str:
        return f"{{{ns}}}{tag}"

    for name, (fallback, family) in FALLBACKS.items():
        font = etree.SubElement(root, w("font"), {w("name"): name})
        etree.SubElement(font, w("altName"), {w("val"): fallback})
        etree.SubElement(font, w("charset"), {w("val"): "86"})
        etree.SubElement(font, w("family"), {w("val"): family})
        etree.SubElement(font, w("pitch"), {w("val"): "fixed" if name != "方正小标宋简体" else "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _signature(add, block: Signature) -> None:
    """Date four characters in from the right; the issuer centred above the date."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    add()
    date_w, issuer_w = display_width(block.date) / 2, display_width(block.issuer) / 2
    issuer_in = 4 + (date_w - issuer_w) / 2
    date_in = 4.0
    if issuer_in < 0:
        date_in, issuer_in = date_in - issuer_in, 0.0
    for value, chars in ((block.issuer, issuer_in), (block.date, date_in)):
        if not value:
            continue
        p = add(value)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(BODY_PT * chars)


def _table(word, block: Table, add) -> None:
    """The header row and one styled row per kind (plain, marked overdue) are made
    through python-docx; every body row is a copy of its kind with the text set.

    Styling each cell through the API costs about a millisecond (a dozen
    element look-ups and inserts), and `table.cell(r, c)` rebuilt the whole
    grid of cells on every call, which made a 1,000-task list take hours.
    """
    from copy import deepcopy

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = word.add_table(rows=1, cols=len(block.header))
    table.style = word.styles["Table Grid"]
    header_row = table.rows[0]
    tr_pr = header_row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header repeats on every page
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    _style_row(header_row, block.header, block, header=True, marked=False)
    templates = {}
    for marked in (False, True):
        row = table.add_row()
        _style_row(row, ("",) * len(block.header), block, header=False, marked=marked)
        templates[marked] = row._tr
        table._tbl.remove(row._tr)
    for r, values in enumerate(block.rows):
        tr = deepcopy(templates[r in block.marked])
        for tc, value in zip(tr.tc_lst, values):
            run = tc.p_lst[0].r_lst[0]
            if _PLAIN.fullmatch(value):
                run.add_t(value)  # what `add_run(value)` writes for text without tabs or breaks
            else:
                run.text = value  # tabs and line breaks become w:tab and w:br, as `add_run` makes them
        table._tbl.append(tr)
    add()


def _style_row(row, values, block: Table, header: bool, marked: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for c, (cell, value) in enumerate(zip(row.cells, values)):
        p = cell.paragraphs[0]
        fmt = p.paragraph_format
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if c in block.numeric and not header else WD_ALIGN_PARAGRAPH.LEFT
        run = p.add_run(value)
        run.font.size = Pt(TABLE_PT)
        run.font.bold = header
        set_fonts(run._r, H1_FONT if header else BODY_FONT)
        if marked:
            shade = OxmlElement("w:shd")
            shade.set(qn("w:val"), "clear")
            shade.set(qn("w:color"), "auto")
            shade.set(qn("w:fill"), OVERDUE_FILL)
            cell._tc.get_or_add_tcPr().append(shade)
