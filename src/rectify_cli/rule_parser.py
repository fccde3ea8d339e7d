"""Reading deadline expressions, as written in real rectification ledgers.

Ledgers copy their deadlines from the notice that ordered the work:
"收到反馈意见后20个工作日内", "自通知印发之日起三个月内", "9月中下旬",
"2025年7月下旬至8月", "长期坚持" — or, in plans kept by engineers,
"20 working days after opinions_received". One grammar reads both, into a
small frozen AST that the resolver (`rules.Resolver`) evaluates. Parsing
never looks at a calendar or at the plan, so a parsed rule can be cached by
its text alone.

Errors are `ProblemError`s naming the expression and the part not understood.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .cn_numerals import parse_number
from .problems import ProblemError

MAX_PERIOD = 10_000  # no notice gives more than this many days, weeks or months

# --- the AST ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DatePoint:
    """A calendar date whose year may come from the plan; day 0 = month end."""

    year: int | None
    month: int
    day: int

    def on(self, year: int) -> dt.date:
        day = self.day or _cal.monthrange(year, self.month)[1]
        return dt.date(year, self.month, day)


@dataclass(frozen=True, slots=True)
class NameRef:
    """An event or milestone; the first name that the plan knows is meant."""

    names: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(frozen=True, slots=True)
class Rule:
    """Base of every parsed expression."""


@dataclass(frozen=True, slots=True)
class Fixed(Rule):
    point: DatePoint


@dataclass(frozen=True, slots=True)
class Relative(Rule):
    n: int
    unit: str  # "workday" | "day" | "week" | "month"
    sign: int  # +1 after, -1 before
    anchor: DatePoint | NameRef


@dataclass(frozen=True, slots=True)
class Window(Rule):
    start: DatePoint
    end: DatePoint  # a missing end year follows the start (next year if the month is earlier)


@dataclass(frozen=True, slots=True)
class Ongoing(Rule):
    pass


@dataclass(frozen=True, slots=True)
class Immediate(Rule):
    """立行立改: due on the day the plan's work was ordered, its first event."""


@dataclass(frozen=True, slots=True)
class Shifted(Rule):
    """今年 / 明年 / 次年 …: `rule`, with the plan's year moved by `years`."""

    rule: Rule
    years: int
    word: str


# --- lexical pieces -----------------------------------------------------------

_NUM = "[0-9零〇一二两三四五六七八九十]{1,3}"
_NUMS = "[0-9零〇一二两三四五六七八九十百千]{1,9}"
_YEAR = "[0-9]{4}|[零〇一二三四五六七八九]{4}"
_PARTS = {
    None: (1, 0), "上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 0),
    "上中旬": (1, 20), "中下旬": (11, 0), "初": (1, 10), "中": (11, 20),
    "底": (0, 0), "末": (0, 0),
}
_PART = "上中旬|中下旬|上旬|中旬|下旬|初|中|底|末"

_ONGOING = {
    "ongoing", "长期坚持", "持续推进", "常态化", "长期", "持续", "长期整改",
    "持续整改", "需要长期整改", "常态化推进", "常态化开展", "长期坚持整改",
}

_IMMEDIATE = {"立行立改", "立即整改", "立查立改", "即知即改"}
# A year named relative to the plan's own (its first event's year): 今年9月10日前, 次年3月底前.
_YEAR_WORDS = {"今年": 0, "本年": 0, "当年": 0, "本年度": 0, "明年": 1, "次年": 1, "翌年": 1, "下一年": 1, "第二年": 1,
               "去年": -1, "上年": -1}
_YEAR_WORD = re.compile("^(" + "|".join(sorted(_YEAR_WORDS, key=len, reverse=True)) + ")")

_ISO = re.compile(r"(?P<y>[0-9]{4})(?P<s>[-./])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})")
_CN_POINT = re.compile(
    rf"(?:(?P<y>{_YEAR})年)?(?P<m>{_NUM})(?P<mk>月份?)?"
    rf"(?:(?P<d>{_NUM})[日号]|(?P<part>{_PART}))?"
)
_YEAR_PERIOD = re.compile(
    rf"(?:(?P<y>{_YEAR})年?)?(?P<p>上半年|下半年|年底|年末|年内|全年|年初|"
    r"底|末|内|初|第?[一二三四1-4]季度|Q[1-4])",
    re.I,
)
_SEP = re.compile(r"至|到|~|—|–|-")
_SUFFIX = re.compile(r"(?:之前|以前|前|为止|止|以内|之内|内|期间)?(?:完成|办结|到位)?$")
_PREFIX = re.compile(r"^(?:by|截至|截止|于|在)", re.I)
MAX_LENGTH = 200

_UNITS_CN = {
    "个工作日": "workday", "工作日": "workday", "个自然日": "day", "自然日": "day",
    "天": "day", "日": "day", "周": "week", "个星期": "week", "星期": "week",
    "个月": "month", "月": "month",
}
_UNIT_CN = "|".join(sorted(_UNITS_CN, key=len, reverse=True))
_CN_REL = re.compile(
    rf"(?P<pre>自|从|收到|接到|于|在)?(?P<anchor>.+?)"
    r"(?P<conn>之日起|之日后|之日以后|之后|以后|后|起|开始|之前|以前|前)的?"
    rf"(?P<n>{_NUMS})(?P<unit>{_UNIT_CN})(?:内|以内|之内|为限|前|之前)?(?:完成|办结)?"
)
# 收到评议意见20个工作日内: "received" says where counting starts, with no 后 / 起.
_CN_RECEIVED = re.compile(
    rf"(?P<pre>自?(?:收到|接到))(?P<anchor>.+?)(?:之日)?(?:起|后)?的?"
    rf"(?P<n>{_NUMS})(?P<unit>{_UNIT_CN})(?:内|以内|之内|为限)(?:完成|办结)?"
)
_CN_NO_ANCHOR = re.compile(rf"(?P<n>{_NUMS})(?P<unit>{_UNIT_CN})(?:内|以内|之内)?(?:完成)?")
_BEFORE_CN = {"之前", "以前", "前"}

_EN_REL = re.compile(
    r"(?:within\s+)?(?P<n>\S+)\s+(?P<unit>\S+(?:\s+\S+)?)\s+"
    r"(?P<dir>after|before|from|of|following)\s+(?P<anchor>\S.*)",
    re.I,
)
_UNITS_EN = {
    "working day": "workday", "business day": "workday", "workday": "workday",
    "day": "day", "calendar day": "day", "week": "week", "month": "month",
}
_NUMBERS_EN = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"fifteen": 15, "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90}

# Prefixes that were understood, to say where an unparsed expression went wrong.
_UNDERSTOOD = (
    re.compile(r"(?:within\s+)?\S+\s+(?:working\s+|business\s+|calendar\s+)?"
               r"(?:days?|weeks?|months?|workdays?)\s+(?:after|before|from|of)\s+", re.I),
    re.compile(rf".+?(?:之日起|之后|以后|后|起|之前|以前|前)(?:{_NUMS})?"),
    _ISO,
    _CN_POINT,
)


# --- parsing ------------------------------------------------------------------


def normalize(text: str) -> str:
    """Full-width forms to ASCII, whitespace collapsed, end punctuation dropped."""
    s = unicodedata.normalize("NFKC", text)
    s = " ".join(s.split())
    return s.rstrip("。.;；,，!！")


@lru_cache(maxsize=8192)
def parse_rule(text: str) -> Rule:
    """The AST of `text`; raises `ProblemError` when it cannot be read."""
    s = normalize(text)
    if not s:
        raise ProblemError("rule.empty", expr=text)
    if len(s) > MAX_LENGTH:
        raise ProblemError("rule.too_long", expr=s[:40] + "…", limit=MAX_LENGTH)  # s: on one line
    if s.lower() in _ONGOING or s.replace(" ", "") in _ONGOING:
        return Ongoing()
    if s.replace(" ", "") in _IMMEDIATE:
        return Immediate()
    if m := _EN_REL.fullmatch(s):
        return _english(text, m)
    compact = s.replace(" ", "")
    if m := _CN_REL.fullmatch(compact):
        return _chinese(text, m)
    if m := _CN_RECEIVED.fullmatch(compact):
        return _chinese(text, m)
    body = _PREFIX.sub("", compact)
    if m := _YEAR_WORD.match(body):
        rest = body[m.end():]
        if rest[:1] in ("底", "末", "内", "初"):  # 今年底前: the year's end
            rest = "年" + rest
        inner = _absolute(text, rest)
        if inner is not None:
            return Shifted(inner, _YEAR_WORDS[m[1]], m[1])
    rule = _absolute(text, body)
    if rule is not None:
        return rule
    if _CN_NO_ANCHOR.fullmatch(compact):
        raise ProblemError("rule.missing_anchor", expr=text)
    raise ProblemError("rule.unparsed", expr=text, rest=_rest(s))


def _absolute(text: str, body: str) -> Rule | None:
    """A date or window, with or without its 前 / 完成 ending."""
    stripped = _SUFFIX.sub("", body, count=1)
    for candidate in (body, stripped) if stripped and stripped != body else (body,):
        rule = _absolute_or_window(text, candidate)
        if rule is not None:
            return rule
    return None


def _rest(s: str) -> str:
    end = 0
    for pattern in _UNDERSTOOD:
        m = pattern.match(s)
        if m:
            end = max(end, m.end())
    rest = s[end:].strip()
    return rest or s


def _number(text: str, raw: str) -> int:
    value = _NUMBERS_EN.get(raw.lower())
    if value is None:
        value = parse_number(raw)
    if value is None:
        raise ProblemError("rule.bad_number", expr=text, number=raw, limit=MAX_PERIOD)
    if value > MAX_PERIOD:
        raise ProblemError("rule.bad_number", expr=text, number=raw, limit=MAX_PERIOD)
    return value


def _english(text: str, m: re.Match[str]) -> Relative:
    unit_words = " ".join(m["unit"].lower().split())
    unit = _UNITS_EN.get(unit_words.removesuffix("s"))
    if unit is None:
        raise ProblemError("rule.unparsed", expr=text, rest=m["unit"])
    n = _number(text, m["n"])
    sign = -1 if m["dir"].lower() == "before" else 1
    return Relative(n, unit, sign, _anchor(text, m["anchor"].strip()))


def _chinese(text: str, m: re.Match[str]) -> Relative:
    n = _number(text, m["n"])
    sign = -1 if m.groupdict().get("conn") in _BEFORE_CN else 1
    received = (m["pre"] or "").removeprefix("自")
    anchor = _anchor(text, m["anchor"], received if received in ("收到", "接到") else None)
    return Relative(n, _UNITS_CN[m["unit"]], sign, anchor)


def _anchor(text: str, raw: str, prefix: str | None = None) -> DatePoint | NameRef:
    point = _point(text, raw)
    if point is not None:
        year, month, first, marked, last = point
        if marked and first == last:  # one day: a date or a month's end
            return DatePoint(year, month, first)
        raise ProblemError("rule.unparsed", expr=text, rest=raw)
    if raw.isdigit() or parse_number(raw) is not None:
        raise ProblemError("rule.unparsed", expr=text, rest=raw)
    names = (raw,) if prefix is None else (raw, prefix + raw)
    return NameRef(names)


def _valid(text: str, year: int | None, month: int, day: int) -> None:
    try:
        # Without a year, 2000 (a leap year) stands in: 2月29日 is checked later.
        dt.date(2000 if year is None else year, month, day or 1)
    except ValueError:
        shown = f"{year}-{month:02d}-{day:02d}" if year else f"{month}月{day}日"
        if not day:
            shown = f"{year}-{month}" if year else f"{month}月"
        raise ProblemError("rule.bad_date", expr=text, date=shown) from None


def _point(text: str, s: str) -> tuple[int | None, int, int, bool, int] | None:
    """(year, month, first day, has 月 or is a date, last day) of `s`, or None.

    Days are 0 for the month's last day. A bare number ("3" in "3-12月")
    has no month marker and may only start a range.
    """
    if m := _ISO.fullmatch(s):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        _valid(text, y, mo, d)
        return y, mo, d, True, d
    m = _CN_POINT.fullmatch(s)
    if m is None:
        return None
    year = parse_number(m["y"]) if m["y"] else None
    month = parse_number(m["m"])
    if month is None:
        return None
    if not m["mk"]:
        if m["d"] or m["part"]:
            return None
        if not 1 <= month <= 12:
            return None
        return year, month, 1, False, 0
    if m["d"]:
        day = parse_number(m["d"])
        if day is None:
            return None
        _valid(text, year, month, day)
        return year, month, day, True, day
    _valid(text, year, month, 0)
    first, last = _PARTS[m["part"]]
    return year, month, first, True, last


def _absolute_or_window(text: str, s: str) -> Rule | None:
    point = _point(text, s)
    if point is not None and point[3]:
        year, month, first, _, last = point
        if first == last:  # one day: a date, or a month's end
            return Fixed(DatePoint(year, month, first))
        return Window(DatePoint(year, month, first), DatePoint(year, month, last))
    if m := _YEAR_PERIOD.fullmatch(s):
        return _year_period(text, m)
    for sep in _SEP.finditer(s):
        left, right = s[: sep.start()], s[sep.end():]
        a, b = _point(text, left), _point(text, right)
        if a is None or b is None or not b[3]:
            continue
        if a[0] is None and not a[3] and b[0] is not None:
            continue  # "3-2025年12月": not a range anyone writes
        return Window(DatePoint(a[0], a[1], a[2]), DatePoint(b[0], b[1], b[4]))
    return None


def _year_period(text: str, m: re.Match[str]) -> Rule | None:
    year = parse_number(m["y"]) if m["y"] else None
    p = m["p"].upper().removeprefix("第")
    if p in ("底", "末", "内", "初") and year is None:
        return None
    p = p.removeprefix("年")
    if p in ("底", "末"):
        return Fixed(DatePoint(year, 12, 31))
    if p[0] in "一二三四1234Q":
        q = "一二三四".find(p[0]) + 1 if p[0] in "一二三四" else int(p[-1] if p[0] == "Q" else p[0])
        return Window(DatePoint(year, 3 * q - 2, 1), DatePoint(year, 3 * q, 0))
    first, last = {
        "上半年": (1, 6), "下半年": (7, 12), "内": (1, 12), "全年": (1, 12), "初": (1, 1),
    }[p]
    return Window(DatePoint(year, first, 1), DatePoint(year, last, 0))
