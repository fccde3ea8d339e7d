"""Reading an official document as numbered paragraphs: .txt, .md or .docx.

A paragraph keeps the number a person finds it by (the line of a text file, the
paragraph of a Word document), so the import report can point at it. Word's
automatic list numbering is turned back into the text it shows ("一、", "（一）",
"1.") from the numbering definitions, so the structure reader sees typed and
automatic numbering alike.

Everything is bounded: file size, the size of a .docx once unzipped, the number
of paragraphs, the length of one paragraph and how deep tables nest. A .docx is
opened by python-docx, whose XML parser resolves no entities and loads nothing
from the network (lxml's defaults also cap element depth); nothing in it runs.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..problems import MessageError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024  # a zip bomb is refused before it is opened
MAX_PARAGRAPHS = 20_000
MAX_PARAGRAPH_CHARS = 100_000
MAX_TABLE_DEPTH = 5
SUFFIXES = (".txt", ".md", ".docx")

_BOOKMARK = re.compile(r"^\[bookmark: [^\]]*\]")  # left by some docx → txt converters
_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+(?=\S))")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


class DocumentError(MessageError):
    """The file cannot be read as a document at all."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int  # line of a text file, paragraph of a .docx (1-based)
    text: str  # the numbering Word would show comes first, as if typed


def read_document(path: Path) -> list[Paragraph]:
    """The non-empty paragraphs of `path`, in order."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError("docimport.bad_type", path=str(path))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("import.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    if size > MAX_FILE_BYTES:
        raise DocumentError("docimport.too_large", path=str(path), size=size, limit=MAX_FILE_BYTES)
    if suffix == ".docx":
        paragraphs = list(_docx(path))
    else:
        paragraphs = list(_text(path, markdown=suffix == ".md"))
    return paragraphs


def _bounded(paragraphs: Iterator[Paragraph], path: Path) -> Iterator[Paragraph]:
    for count, p in enumerate(paragraphs, 1):
        if count > MAX_PARAGRAPHS:
            raise DocumentError("docimport.too_many", path=str(path), limit=MAX_PARAGRAPHS)
        if len(p.text) > MAX_PARAGRAPH_CHARS:
            raise DocumentError("docimport.too_long", path=str(path), line=p.number, limit=MAX_PARAGRAPH_CHARS)
        yield p


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("docimport.encoding", path=str(path), encoding="UTF-16")
    if b"\x00" in data:
        raise DocumentError("docimport.binary", path=str(path))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("gb18030")
            guess = "GB18030/GBK"
        except UnicodeDecodeError:
            guess = "?"
        raise DocumentError("docimport.encoding", path=str(path), encoding=guess) from None


def _text(path: Path, markdown: bool) -> Iterator[Paragraph]:
    try:
        with path.open("rb") as handle:  # never more than the limit, even if the file grows
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise DocumentError("import.unreadable", path=str(path), reason=exc.strerror or str(exc)) from None
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError("docimport.too_large", path=str(path), size=len(data), limit=MAX_FILE_BYTES)
    content = _decode(data, path)

    def lines() -> Iterator[Paragraph]:
        for number, line in enumerate(content.splitlines(), 1):
            line = _BOOKMARK.sub("", line).strip().replace("\u3000", " ").strip()
            if markdown:
                line = _MD_EMPHASIS.sub(r"\2", _MD_PREFIX.sub("", line)).strip()
            if line:
                yield Paragraph(number, line)

    yield from _bounded(lines(), path)


# ---- .docx ---------------------------------------------------------------------------------


def _docx(path: Path) -> Iterator[Paragraph]:
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError("import.unreadable", path=str(path), reason=str(exc) or type(exc).__name__) from None
    if total > MAX_UNZIPPED_BYTES:
        raise DocumentError("docimport.too_large", path=str(path), size=total, limit=MAX_UNZIPPED_BYTES)
    import docx  # python-docx: its parser resolves no entities and reads no network
    from lxml import etree

    try:
        document = docx.Document(str(path))
    except (ValueError, KeyError, zipfile.BadZipFile, etree.LxmlError, OSError) as exc:
        raise DocumentError("import.unreadable", path=str(path), reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    numbering = _Numbering(document)
    yield from _bounded(_body(document.element.body, numbering, path), path)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _body(body: Any, numbering: "_Numbering", path: Path) -> Iterator[Paragraph]:
    """Body paragraphs in order; a table's cells are read row by row, each cell's
    paragraphs joined, one table row a paragraph."""
    number = 0

    def walk(element: Any, depth: int) -> Iterator[str]:
        if depth > MAX_TABLE_DEPTH:
            raise DocumentError("docimport.too_deep", path=str(path), limit=MAX_TABLE_DEPTH)
        for child in element.iterchildren():
            if child.tag == _W + "p":
                yield numbering.label(child) + _paragraph_text(child)
            elif child.tag == _W + "tbl":
                for row in child.iterchildren(_W + "tr"):
                    cells = []
                    for cell in row.iterchildren(_W + "tc"):
                        cells.append(" ".join(t for t in walk(cell, depth + 1) if t.strip()))
                    yield "\t".join(c for c in cells if c)
            elif child.tag == _W + "sdt":  # content controls hold paragraphs too
                content = child.find(_W + "sdtContent")
                if content is not None:
                    yield from walk(content, depth + 1)

    for line in walk(body, 0):
        number += 1
        line = line.replace("\u3000", " ").strip()
        if line:
            yield Paragraph(number, line)


def _paragraph_text(p: Any) -> str:
    parts = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br"):
        if node.tag == _W + "t":  # an unresolved entity inside is skipped, the text after it kept
            parts.extend([node.text or "", *(child.tail or "" for child in node)])
        else:
            parts.append(" ")
    return "".join(parts)


_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return ((_CN[tens] if tens > 1 else "") + "十" if tens else "") + (_CN[ones] if ones else "")


def _format(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return _chinese(value)
    if fmt in ("decimalEnclosedParen", "decimalEnclosedFullstop", "decimalEnclosedCircle"):
        return {"decimalEnclosedParen": f"({value})", "decimalEnclosedFullstop": f"{value}."}.get(fmt, str(value))
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(value))
    if fmt in ("upperLetter", "lowerLetter") and 1 <= value <= 26:
        letter = chr(ord("A") + value - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class _Numbering:
    """Word's list numbering: which number a numbered paragraph shows."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str, int | None]]] = {}  # numId → ilvl → (start, fmt, text, restart)
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}  # abstractNumId → counter per level
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[int, str, str, int | None]]] = {}
        for a in root.iterchildren(_W + "abstractNum"):
            levels = {}
            for lvl in a.iterchildren(_W + "lvl"):
                levels[_int(lvl.get(_W + "ilvl"), 0)] = (
                    _int(_val(lvl, "start"), 1), _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "",
                    _int(_val(lvl, "lvlRestart"), -1) if _val(lvl, "lvlRestart") is not None else None)
            abstract[a.get(_W + "abstractNumId") or ""] = levels
        for num in root.iterchildren(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            aid = ref.get(_W + "val") if ref is not None else ""
            nid = num.get(_W + "numId") or ""
            self.levels[nid] = abstract.get(aid or "", {})
            self.abstract_of[nid] = aid or ""
        for style in document.styles.element.iterchildren(_W + "style"):
            ppr = style.find(_W + "pPr")
            num = ppr.find(_W + "numPr") if ppr is not None else None
            if num is not None:
                self.style_num[style.get(_W + "styleId") or ""] = (_val(num, "numId") or "", _int(_val(num, "ilvl"), 0))

    def label(self, p: Any) -> str:
        ppr = p.find(_W + "pPr")
        if ppr is None:
            return ""
        num = ppr.find(_W + "numPr")
        if num is not None:
            nid, ilvl = _val(num, "numId") or "", _int(_val(num, "ilvl"), 0)
        else:
            style = ppr.find(_W + "pStyle")
            found = self.style_num.get(style.get(_W + "val") if style is not None else "")
            if found is None:
                return ""
            nid, ilvl = found
        levels = self.levels.get(nid)
        if not levels or ilvl not in levels or not 0 <= ilvl < 9:
            return ""
        counters = self.counters.setdefault(self.abstract_of.get(nid, nid), [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else levels[ilvl][0]
        for deeper in range(ilvl + 1, 9):  # w:lvlRestart: 0 never restarts, N restarts after level N
            restart = levels.get(deeper, (1, "", "", None))[3]
            if restart is None or (restart > 0 and ilvl < restart):
                counters[deeper] = 0
        template = levels[ilvl][2]
        for k in range(ilvl + 1):
            start, fmt, _, _ = levels.get(k, (1, "decimal", "", None))
            template = template.replace(f"%{k + 1}", _format(counters[k] or start, fmt))
        return template


def _val(element: Any, name: str) -> str | None:
    child = element.find(_W + name)
    return child.get(_W + "val") if child is not None else None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
