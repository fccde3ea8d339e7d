"""The pieces a report is made of: what the outline says, before any format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 0 title, 1 "一、", 2 "（一）", 3 an issue "1."
    text: str
    appendix: bool = False  # starts an attachment (附件): a new page on paper


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    marked: frozenset[int] = frozenset()  # rows to highlight (overdue)
    numeric: frozenset[int] = frozenset()  # right-aligned columns


@dataclass(frozen=True, slots=True)
class Signature:
    issuer: str
    date: str


@dataclass(frozen=True, slots=True)
class Chart:
    svg: str  # a self-contained SVG (only formats that can embed it show it)


Block = Union[Heading, Paragraph, Table, Signature, Chart]


@dataclass
class Document:
    title: str
    lang: str
    as_of: dt.date
    blocks: list[Block] = field(default_factory=list)
    figures: list[tuple[str, int, str]] = field(default_factory=list)  # (label, number, kind) for a dashboard
