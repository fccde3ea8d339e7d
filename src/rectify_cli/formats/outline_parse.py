"""Recognising the structure of a Chinese official document (巡察整改通报, 整改方案, 行动方案).

Headings are numbered 一、 / （一） / 1. / （1）; the section whose heading says
整改任务落实情况 (or 主要内容, 存在问题 ...) holds the items: its （一） headings
are categories (关于…方面), its 1. headings issues, and each issue's text holds
measures marked 一是…二是…, (1)(2)..., or closed by "（责任单位：…）". A 方面 whose
问题 have 具体表现 of their own becomes an issue too, and each level names its
`parent`. The other sections become the plan's responsibility, next steps or
description; every paragraph ends up somewhere or in `unplaced` with its number.
This module only reads text: turning the outline into plan files is `docdraft`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .document import Paragraph

_L1 = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*")
_L2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*")
_L3 = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*")
_L4 = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")
_LEVELS = ((1, _L1), (2, _L2), (3, _L3), (4, _L4))

_TITLE = re.compile(r"(通报|方案|报告|意见|通知|决定|清单|情况)$")
_ITEMS = re.compile(r"任务落实|整改情况|整改落实|落实情况|存在问题|主要问题|主要内容|反馈意见|整改任务|整改措施|问题清单|具体问题")
_RESPONSIBILITY = re.compile(r"主体责任|工作保障|组织领导|保障措施")
_NEXT = re.compile(r"下一步")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:印发)?$")
_SIGNED_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发$")
_FEEDBACK = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日[，,]?[^。，,]{0,30}反馈")
_CLOSING = re.compile(r"^(欢迎|联系方式|联系电话|公开期限|抄送)")
_ANNEX = re.compile(r"^附\s*件\s*\d*\s*[:：]?")
_SENTENCE = re.compile(r"(?<=[。！？!?])")
_ASPECT = re.compile(r"^(?:关于|在)?[“\"]?(.+?)[”\"]?(?:等)?方面(?:的问题|存在的问题|问题)?(?:的整改(?:情况)?)?$")
_ISSUE_SUFFIX = re.compile(r"的整改(?:情况|落实情况)?$")
_QUOTED_ISSUE = re.compile(r"^关于[“\"](.+?)[”\"](?:的?问题)?(?:的整改(?:情况)?)?$")
_FINDING_MARK = re.compile(r"^(?:具体表现|问题表现|主要表现|存在问题|巡察指出|反馈指出)\s*[一二三四五六七八九十\d]*\s*[:：]\s*")
_TARGET = re.compile(r"整改目标\s*[:：]\s*([^。]*)。?")
_MEASURES_MARK = re.compile(r"整改措施\s*[:：]")
_SUB_ISSUE = re.compile(r"具体表现|问题表现|整改措施\s*[:：]")
_ORDINALS = "一二三四五六七八九十"


@dataclass
class Measure:
    para: int
    text: str  # the measure as written, its marker (一是) and unit note removed
    units: str = ""  # what "（责任单位：…）" said, as written
    theme: str = ""  # a short lead-in such as 紧盯法律法规


@dataclass
class Issue:
    para: int
    title: str
    level: int
    finding: list[tuple[int, str]] = field(default_factory=list)
    target: list[tuple[int, str]] = field(default_factory=list)  # 整改目标
    description: list[tuple[int, str]] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    children: list["Issue"] = field(default_factory=list)
    units: str = ""  # a unit note for all its measures


@dataclass
class Category:
    para: int
    name: str
    issues: list[Issue] = field(default_factory=list)


@dataclass
class Outline:
    title: str = ""
    issuer: str = ""
    date: tuple[int, int, int] | None = None
    feedback: tuple[int, int, int] | None = None
    description: list[tuple[int, str]] = field(default_factory=list)
    responsibility: list[tuple[int, str]] = field(default_factory=list)
    next_steps: list[tuple[int, str]] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    unplaced: list[tuple[int, str, str]] = field(default_factory=list)  # (paragraph, text, reason key)


@dataclass
class _Node:
    level: int
    para: int
    head: str  # the heading's text after its number
    body: list[tuple[int, str]] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)


def heading(text: str) -> tuple[int, str] | None:
    for level, pattern in _LEVELS:
        m = pattern.match(text)
        if m:
            return level, text[m.end():].strip()
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def first_sentence(text: str) -> tuple[str, str]:
    """The heading sentence of a paragraph ("进一步规范选人用人工作。一是…") and the rest."""
    parts = sentences(text)
    if not parts:
        return "", ""
    return parts[0].rstrip("。！？!?；;，, "), "".join(parts[1:])


def parse(paragraphs: list[Paragraph]) -> Outline:
    outline = Outline()
    body = _front(paragraphs, outline)
    sections: list[_Node] = []
    preamble: list[tuple[int, str]] = []
    for p in body:
        found = heading(p.text)
        if found and found[0] == 1:
            sections.append(_Node(1, p.number, found[1]))
        elif sections:
            sections[-1].body.append((p.number, p.text))
        else:
            preamble.append((p.number, p.text))
    outline.description.extend(preamble)
    for number, line in preamble:
        m = _FEEDBACK.search(line)
        if m and outline.feedback is None:
            outline.feedback = (int(m[1]), int(m[2]), int(m[3]))
    if sections:
        _tail(sections[-1], outline)
    if outline.date is None:  # a cover letter's signature (印发通知 … 某某办公室 / 2023年3月31日)
        for at, (number, line) in enumerate(preamble):
            m = _DATE.match(line)
            if m and at > 0 and len(preamble[at - 1][1]) <= 40 and not re.search(r"[，。,；：:（(]", preamble[at - 1][1]):
                outline.date, outline.issuer = (int(m[1]), int(m[2]), int(m[3])), preamble[at - 1][1]
                break
    items = [s for s in sections if _ITEMS.search(s.head)]
    if not sections:  # no 一、 headings: the whole body is the list of items
        items = [_Node(1, 0, "", list(preamble))]
        outline.description = []
    elif not items:
        items = [max(sections, key=lambda s: sum(1 for _, t in s.body if heading(t)))]
    for section in sections:
        text = [(section.para, section.head), *section.body]
        if section in items:
            _items(section, outline)
        elif _NEXT.search(section.head):
            outline.next_steps.extend(text)
        elif _RESPONSIBILITY.search(section.head):
            outline.responsibility.extend(text)
        else:
            outline.description.extend(text)
    return outline


def _front(paragraphs: list[Paragraph], outline: Outline) -> list[Paragraph]:
    """Find the title; what stands before it (a web page's menus) is unplaced; an annex
    (附件) and what follows is not the body."""
    first_l1 = next((i for i, p in enumerate(paragraphs) if (h := heading(p.text)) and h[0] == 1), len(paragraphs))
    end = next((i for i, p in enumerate(paragraphs) if i > first_l1 and _ANNEX.match(p.text)), len(paragraphs))
    title_at = next((i for i, p in enumerate(paragraphs[:first_l1]) if "关于" in p.text and _TITLE.search(p.text)), None)
    if title_at is None:
        named = [i for i, p in enumerate(paragraphs[:first_l1]) if _TITLE.search(p.text) and not re.search(r"[：:，,。]", p.text)]
        title_at = named[-1] if named else None
    if title_at is None:
        title_at = next((i for i, p in enumerate(paragraphs[:first_l1]) if len(p.text) > 6), None)
    if title_at is not None:
        outline.title = paragraphs[title_at].text
        for p in paragraphs[:title_at]:
            outline.unplaced.append((p.number, p.text, "docimport.unplaced.before_title"))
    for p in paragraphs[end:]:
        outline.unplaced.append((p.number, p.text, "docimport.unplaced.annex"))
    start = title_at + 1 if title_at is not None else 0
    return paragraphs[start:end]


def _tail(last: _Node, outline: Outline) -> None:
    """The signature (issuer, date) and closing lines at the end of the last section."""
    body = last.body
    for at in range(len(body) - 1, -1, -1):
        m = _DATE.match(body[at][1]) or _SIGNED_DATE.search(body[at][1])
        if not m:
            continue
        outline.date = (int(m[1]), int(m[2]), int(m[3]))
        start = at
        signed_by = body[at][1][: m.start()].strip()  # 某某办公室 2023年3月31日印发
        if not signed_by and at > 0 and len(body[at - 1][1]) <= 40 and not re.search(r"[，。,；：:]", body[at - 1][1]):
            signed_by, start = body[at - 1][1], at - 1
        outline.issuer = signed_by
        for number, line in body[at + 1:]:
            outline.unplaced.append((number, line, "docimport.unplaced.after_signature"))
        last.body = body[:start]
        break
    kept = []
    for number, line in last.body:
        if _CLOSING.match(line):
            outline.unplaced.append((number, line, "docimport.unplaced.closing"))
        else:
            kept.append((number, line))
    last.body = kept


def _tree(section: _Node) -> list[_Node]:
    """The numbered headings below a section as a tree; text under a heading is its body."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    loose: list[tuple[int, str]] = []
    for number, line in section.body:
        found = heading(line)
        if found and found[0] > 1:
            node = _Node(found[0], number, found[1])
            while stack and stack[-1].level >= node.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack:
            stack[-1].body.append((number, line))
        else:
            loose.append((number, line))
    if loose:  # text before the first heading: an issue of its own if it has measures
        roots.insert(0, _Node(9, loose[0][0], "", loose))
    return roots


def category_name(head: str) -> str:
    title, _ = first_sentence(head)
    m = _ASPECT.match(title)
    return m[1] if m else title


def issue_title(head: str) -> tuple[str, str]:
    """The issue as the document names it, and the text after its heading sentence."""
    title, rest = first_sentence(head)
    m = _QUOTED_ISSUE.match(title)
    if m:
        return m[1], rest
    return _ISSUE_SUFFIX.sub("", title) or title, rest


def _items(section: _Node, outline: Outline) -> None:
    roots = _tree(section)
    for root in roots:
        if root.level == 9:  # text before any heading
            issue = _leaf(Issue(root.para, "", 3), root.body)
            if issue.measures and (issue.measures[0].units or len(issue.measures) > 1):
                outline.categories.append(Category(root.para, "", [issue]))
                issue.title = issue.measures[0].text[:40]
            else:
                outline.description.extend(root.body)
            continue
        if root.level == 2 and root.children:
            category = Category(root.para, category_name(root.head))
            deep = any(_is_sub_issue(g) for c in root.children for g in c.children)
            if deep:  # 方面 → 问题 → 具体表现: the 方面 is an issue too
                top = Issue(root.para, category.name, 2)
                top.description.extend(_text_after(root))
                top.children = [_issue(c) for c in root.children]
                category.issues.append(top)
            else:
                category.issues.extend(_issue(c) for c in root.children)
                if root.body or first_sentence(root.head)[1]:
                    extra = _text_after(root)
                    category.issues[0].description[:0] = extra
            outline.categories.append(category)
        else:  # an issue straight under the section (or a （一） heading with its measures inline)
            issue = _issue(root)
            outline.categories.append(Category(root.para, issue.title if root.level == 2 else "", [issue]))


def _text_after(node: _Node) -> list[tuple[int, str]]:
    rest = first_sentence(node.head)[1]
    return ([(node.para, rest)] if rest else []) + node.body


def _is_sub_issue(node: _Node) -> bool:
    return node.level == 4 and bool(_SUB_ISSUE.search(node.head + "".join(t for _, t in node.body)))


def _issue(node: _Node) -> Issue:
    title, rest = issue_title(node.head)
    issue = Issue(node.para, title, node.level)
    if _FINDING_MARK.match(title):  # （1）具体表现：…： the finding names the issue
        issue.title = _FINDING_MARK.sub("", title)
        issue.finding.append((node.para, issue.title))
    chunks = ([(node.para, rest)] if rest else []) + list(node.body)
    subs = [c for c in node.children if _is_sub_issue(c)]
    if subs:  # 具体表现 of their own: sub-issues; any other text describes the issue
        issue.children = [_issue(c) for c in subs]
        issue.description.extend(chunks)
        issue.description.extend((c.para, _all_text(c)) for c in node.children if c not in subs)
        return issue
    _leaf(issue, chunks)
    for child in node.children:  # (1)(2) headings below an issue: one measure each
        whole = Issue(child.para, "", child.level)
        issue.measures.extend(_leaf(whole, [(child.para, _all_text(child))], whole=True).measures)
    return issue


def _all_text(node: _Node) -> str:
    return "".join([node.head, *(t for _, t in node.body), *(_all_text(c) for c in node.children)])


_UNIT_NOTE = re.compile(r"[（(]\s*((?:责任单位|牵头单位|责任部门|牵头部门|责任科室)\s*[:：][^）)]*)[）)]")


def _leaf(issue: Issue, chunks: list[tuple[int, str]], whole: bool = False) -> Issue:
    """Split an issue's text into finding, description and measures; `whole`: the text
    is one measure (a (1) heading's)."""
    offsets: list[tuple[int, int]] = []  # (paragraph, where its text starts in `joined`)
    joined = ""
    for number, line in chunks:
        offsets.append((number, len(joined)))
        joined += line

    starts = [start for _, start in offsets]

    def para_at(offset: int) -> int:  # the paragraph holding `offset`, by bisection: no n² on long issues
        return offsets[max(bisect.bisect_right(starts, offset) - 1, 0)][0] if offsets else issue.para

    m = None if whole else _MEASURES_MARK.search(joined)
    finding_end = m.end() if m else 0
    head = joined[: m.start()] if m else ""
    marks = [] if whole else _ordinal_marks(joined, finding_end)
    if marks:
        head += joined[finding_end: marks[0][0]]
        pieces = [(s, e, nxt) for (s, e), nxt in zip(marks, [k[0] for k in marks[1:]] + [len(joined)])]
    elif whole:
        pieces = [(0, 0, len(joined))] if joined.strip() else []
    else:
        pieces = _unit_pieces(joined, finding_end)
    head = head.strip()
    if head:
        unit = _UNIT_NOTE.search(head)
        if unit:
            issue.units = unit[1]
            head = (head[: unit.start()] + head[unit.end():]).strip()
    goal = _TARGET.search(head)
    if goal:
        issue.target.append((para_at(goal.start()), goal[1].strip()))
        head = (head[: goal.start()] + head[goal.end():]).strip()
    if head:
        target = issue.finding if (m or _FINDING_MARK.match(head)) else issue.description
        target.append((para_at(0), _FINDING_MARK.sub("", head).strip()))
    for start, body_start, end in pieces:
        segment = joined[body_start:end]
        unit = _UNIT_NOTE.search(segment)
        units = ""
        if unit:
            units = unit[1]
            segment = segment[: unit.start()] + segment[unit.end():]
        segment = segment.strip().strip("；;").strip()
        if not segment:
            continue
        measure = Measure(para_at(start), segment, units)
        parts = sentences(segment)
        if not marks and units and len(parts) > 1 and len(parts[0]) <= 12 and not re.search(r"[，,、；;]", parts[0]):
            measure.theme, measure.text = parts[0].rstrip("。"), "".join(parts[1:])
        issue.measures.append(measure)
    if marks and len(issue.measures) > 1 and [bool(x.units) for x in issue.measures] == [False] * (len(issue.measures) - 1) + [True]:
        issue.units, issue.measures[-1].units = issue.measures[-1].units, ""  # one note after the last measure: all of them
    return issue


def _ordinal_marks(text: str, start: int) -> list[tuple[int, int]]:
    """Where 一是, 二是, 三是 … start (in order), and where the text after each begins."""
    marks: list[tuple[int, int]] = []
    position = start
    for k in range(1, 100):
        word = _ordinal(k) + "是"
        pattern = re.compile(r"(?:^|(?<=[。；;：:，,！？\s]))" + word)
        m = pattern.search(text, position)
        if not m:
            break
        marks.append((m.start(), m.end()))
        position = m.end()
    return marks


def _ordinal(k: int) -> str:
    if k <= 10:
        return _ORDINALS[k - 1]
    tens, ones = divmod(k, 10)
    return (_ORDINALS[tens - 1] if tens > 1 else "") + "十" + (_ORDINALS[ones - 1] if ones else "")


def _unit_pieces(text: str, start: int) -> list[tuple[int, int, int]]:
    """Measures closed by "（责任单位：…）"; without any, the whole text is one measure."""
    pieces = []
    position = start
    for m in _UNIT_NOTE.finditer(text, start):
        pieces.append((position, position, m.end()))
        position = m.end()
    rest = text[position:].strip()
    if rest:
        pieces.append((position, position, len(text)))
    return pieces
