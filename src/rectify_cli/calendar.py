"""Working-day arithmetic on an official holiday calendar.

Deadlines in rectification work are counted in working days (工作日) on the
State Council's holiday schedule, including make-up working weekends (调休):
a make-up Saturday is a working day and a weekday given off in exchange is a
rest day. The `holidays` package knows that schedule; this module turns it
into sorted lists of day ordinals, loaded a year at a time on demand, so that
every question ("the 20th working day after D", "working days left") is one
or two bisections instead of a day-by-day walk.

The schedule for a year is published each November, so for the years after
that the package can only estimate; `is_provisional(year)` says so, and the
rule engine carries that flag into every date it computes through such years.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from .model import CalendarSpec
from .official_days import OfficialDays
from .problems import ProblemError

# Years outside this range are refused rather than silently treated as
# holiday-free: the package's lunar tables end there.
FIRST_YEAR = 1950
LAST_YEAR = 2100


class DayKind(str, Enum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a public holiday or a weekday given off in exchange
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend (or holiday) worked instead (调休)

    @property
    def working(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


@dataclass(frozen=True, slots=True)
class DayInfo:
    date: dt.date
    kind: DayKind
    name: str = ""  # holiday name, in Chinese where the calendar has it
    name_en: str = ""

    @property
    def working(self) -> bool:
        return self.kind.working


class WorkCalendar:
    """One country's (and subdivision's) working days, with local overrides.

    `extra_holidays` are made rest days, then `extra_workdays` are made
    working days (so a date in both is a working day).
    """

    def __init__(self, spec: CalendarSpec = CalendarSpec()) -> None:
        self.country = (spec.country or "CN").upper()
        self.subdiv = spec.subdiv
        self._extra_holidays = frozenset(spec.extra_holidays)
        self._extra_workdays = frozenset(spec.extra_workdays)
        self._extra_workday_years = frozenset(d.year for d in spec.extra_workdays)
        self._official = OfficialDays(self.country, self.subdiv)  # ProblemError if unknown
        self._weekend = self._official.weekend
        # Loaded contiguous year range (0: none) and its sorted day ordinals;
        # the lists are only ever extended in place.
        self._lo = self._hi = 0
        self._lo_ord = self._hi_ord = 0
        self._work: list[int] = []  # working days
        self._rest: list[int] = []  # holidays (not plain weekends)
        self._makeup: list[int] = []  # make-up working days
        self._special: dict[int, DayInfo] = {}  # non-plain days by ordinal
        self._provisional: dict[int, bool] = {}

    @property
    def identity(self) -> str | None:
        """Names every answer this calendar gives: the official data as installed and the
        local overrides. None when the data cannot be named: nothing it answered is kept."""
        if self._official.identity is None:
            return None
        return repr((self._official.identity, sorted(self._extra_holidays), sorted(self._extra_workdays)))

    # --- loading ----------------------------------------------------------

    def _build_year(self, year: int) -> tuple[list[int], list[int], list[int]]:
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ProblemError(
                "cal.out_of_range", year=year, first=FIRST_YEAR, last=LAST_YEAR
            )
        official = self._official.year(year)
        self._provisional[year] = (
            self.country == "CN"
            and not official.makeups
            and year not in self._extra_workday_years
        )
        special = self._special
        for o, name, name_en in official.holidays:
            special[o] = DayInfo(dt.date.fromordinal(o), DayKind.HOLIDAY, name, name_en)
        for o in official.makeups:
            special[o] = DayInfo(dt.date.fromordinal(o), DayKind.MAKEUP_WORKDAY)
        for d in self._extra_holidays:
            if d.year == year:
                special[d.toordinal()] = DayInfo(d, DayKind.HOLIDAY)
        for d in self._extra_workdays:
            if d.year == year:
                rest = d.weekday() in self._weekend or d.toordinal() in special
                kind = DayKind.MAKEUP_WORKDAY if rest else DayKind.WORKDAY
                special[d.toordinal()] = DayInfo(d, kind)
        work, rest, makeup = [], [], []
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        weekend = self._weekend
        for o in range(first, last + 1):
            info = special.get(o)
            if info is None:
                if (o - 1) % 7 not in weekend:  # date.fromordinal(o).weekday()
                    work.append(o)
            elif info.kind is DayKind.HOLIDAY:
                rest.append(o)
            else:
                work.append(o)
                if info.kind is DayKind.MAKEUP_WORKDAY:
                    makeup.append(o)
        return work, rest, makeup

    def _cover(self, first: int, last: int) -> None:
        """Make sure every year in [first, last] is loaded."""
        for year in (first, last):  # name the year asked for, before loading any on the way
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise ProblemError("cal.out_of_range", year=year, first=FIRST_YEAR, last=LAST_YEAR)
        if not self._lo:  # nothing loaded yet
            w, r, m = self._build_year(first)
            self._work, self._rest, self._makeup = w, r, m
            self._lo = self._hi = first
        while self._lo > first:
            w, r, m = self._build_year(self._lo - 1)
            self._work[:0], self._rest[:0], self._makeup[:0] = w, r, m
            self._lo -= 1
        while self._hi < last:
            w, r, m = self._build_year(self._hi + 1)
            self._work += w
            self._rest += r
            self._makeup += m
            self._hi += 1
        self._lo_ord = dt.date(self._lo, 1, 1).toordinal()
        self._hi_ord = dt.date(self._hi, 12, 31).toordinal()

    def _cover_ord(self, o: int) -> None:
        if not self._lo_ord <= o <= self._hi_ord:
            year = dt.date.fromordinal(o).year
            self._cover(min(year, self._lo or year), max(year, self._hi))

    # --- questions ----------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        o = d.toordinal()
        self._cover_ord(o)
        info = self._special.get(o)
        if info is not None:
            return info.kind.working
        return d.weekday() not in self._weekend

    def kind(self, d: dt.date) -> DayKind:
        """What kind of day d is (`day_info` without the names)."""
        o = d.toordinal()
        self._cover_ord(o)
        info = self._special.get(o)
        if info is not None:
            return info.kind
        return DayKind.WEEKEND if d.weekday() in self._weekend else DayKind.WORKDAY

    def day_info(self, d: dt.date) -> DayInfo:
        o = d.toordinal()
        self._cover_ord(o)
        info = self._special.get(o)
        if info is not None:
            return info
        kind = DayKind.WEEKEND if d.weekday() in self._weekend else DayKind.WORKDAY
        return DayInfo(d, kind)

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """n > 0: the nth working day strictly after d; n < 0: the |n|th strictly
        before d; n == 0: d itself, working day or not."""
        if n == 0:
            return d
        o = d.toordinal()
        self._cover_ord(o)
        work = self._work
        if n > 0:
            while True:
                i = bisect_right(work, o) + n - 1
                if i < len(work):
                    return dt.date.fromordinal(work[i])
                self._cover(self._lo, self._hi + 1 + (i - len(work)) // 240)
        while True:
            i = bisect_left(work, o) + n
            if i >= 0:
                return dt.date.fromordinal(work[i])
            self._cover(self._lo - 1 - (-i) // 240, self._hi)
            work = self._work

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]; negative (minus those in (b, a]) when b < a.
        With a = today and b = a deadline: the working days left."""
        sign, lo, hi = (1, a.toordinal(), b.toordinal()) if a <= b else (-1, b.toordinal(), a.toordinal())
        if not (self._lo_ord <= lo and hi <= self._hi_ord):  # asked for every item: keep it cheap
            self._cover_ord(lo)
            self._cover_ord(hi)
        return sign * (bisect_right(self._work, hi) - bisect_right(self._work, lo))

    def roll_forward(self, d: dt.date) -> dt.date:
        """d if it is a working day, else the next working day."""
        return d if self.is_working_day(d) else self.add_working_days(d, 1)

    def roll_back(self, d: dt.date) -> dt.date:
        """d if it is a working day, else the previous working day."""
        return d if self.is_working_day(d) else self.add_working_days(d, -1)

    def holidays_between(self, a: dt.date, b: dt.date) -> tuple[DayInfo, ...]:
        """Holidays (not plain weekends) in (a, b], in date order; a <= b."""
        return self._slice(self._rest, a, b)

    def makeup_workdays_between(self, a: dt.date, b: dt.date) -> tuple[DayInfo, ...]:
        """Make-up working days in (a, b], in date order; a <= b."""
        return self._slice(self._makeup, a, b)

    def _slice(self, ords: list[int], a: dt.date, b: dt.date) -> tuple[DayInfo, ...]:
        self._cover_ord(a.toordinal())
        self._cover_ord(b.toordinal())
        lo = bisect_right(ords, a.toordinal())
        hi = bisect_right(ords, b.toordinal())
        return tuple(self._special[o] for o in ords[lo:hi])

    def is_provisional(self, year: int) -> bool:
        """True when the official schedule for `year` is not known yet (China:
        no make-up workdays or substituted days in the data, e.g. 2027 in
        holidays 0.109; published each November). Always False elsewhere."""
        if year not in self._provisional:
            self._cover(min(year, self._lo or year), max(year, self._hi))
        return self._provisional[year]

    def any_provisional(self, a: dt.date, b: dt.date) -> tuple[int, ...]:
        """The provisional years among those from a to b (either order)."""
        lo, hi = (a.year, b.year) if a.year <= b.year else (b.year, a.year)
        if lo == hi:  # the common case, kept cheap
            known = self._provisional.get(lo)
            if known is None:
                known = self.is_provisional(lo)
            return (lo,) if known else ()
        return tuple(y for y in range(lo, hi + 1) if self.is_provisional(y))


@lru_cache(maxsize=64)
def _calendar(
    country: str,
    subdiv: str | None,
    extra_holidays: frozenset[dt.date],
    extra_workdays: frozenset[dt.date],
) -> WorkCalendar:
    return WorkCalendar(
        CalendarSpec(country, subdiv, tuple(extra_holidays), tuple(extra_workdays))
    )


def calendar_for(spec: CalendarSpec = CalendarSpec()) -> WorkCalendar:
    """The shared calendar for `spec` (its source location does not matter)."""
    return _calendar(
        (spec.country or "CN").upper(),
        spec.subdiv,
        frozenset(spec.extra_holidays),
        frozenset(spec.extra_workdays),
    )
