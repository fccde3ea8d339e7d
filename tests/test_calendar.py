"""The working-day calendar: China's 调休 schedule, overrides, provisional years."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_cli.calendar import DayKind, WorkCalendar, calendar_for
from rectify_cli.model import CalendarSpec
from rectify_cli.problems import ProblemError

D = dt.date
CN = calendar_for(CalendarSpec())

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


def naive_is_working(cal: WorkCalendar, d: dt.date) -> bool:
    return cal.day_info(d).kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


def naive_add(cal: WorkCalendar, d: dt.date, n: int) -> dt.date:
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        d += dt.timedelta(days=step)
        if naive_is_working(cal, d):
            left -= 1
    return d


def test_day_kinds_2025_national_day():
    assert CN.day_info(D(2025, 9, 28)).kind is DayKind.MAKEUP_WORKDAY  # a Sunday worked
    assert CN.day_info(D(2025, 10, 11)).kind is DayKind.MAKEUP_WORKDAY  # a Saturday worked
    assert CN.day_info(D(2025, 10, 1)).kind is DayKind.HOLIDAY
    assert CN.day_info(D(2025, 10, 1)).name == "国庆节"
    assert CN.day_info(D(2025, 10, 1)).name_en == "National Day"
    assert CN.day_info(D(2025, 10, 6)).name == "中秋节"
    assert CN.day_info(D(2025, 10, 8)).kind is DayKind.HOLIDAY  # a Wednesday given off
    assert "调休" in CN.day_info(D(2025, 10, 8)).name
    assert CN.day_info(D(2025, 10, 4)).kind is DayKind.WEEKEND
    assert CN.day_info(D(2025, 10, 9)).kind is DayKind.WORKDAY


def test_is_working_day():
    assert CN.is_working_day(D(2025, 9, 28))  # 调休 Sunday
    assert not CN.is_working_day(D(2025, 10, 8))  # substituted Wednesday off
    assert not CN.is_working_day(D(2025, 10, 4))
    assert CN.is_working_day(D(2025, 11, 5))
    assert CN.is_working_day(D(2026, 2, 28))  # 调休 Saturday


def test_add_working_days_hand_checked():
    assert CN.add_working_days(D(2025, 11, 5), 20) == D(2025, 12, 3)
    assert CN.add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)
    assert CN.add_working_days(D(2026, 10, 9), -4) == D(2026, 9, 28)


def test_add_zero_is_identity_even_on_rest_day():
    assert CN.add_working_days(D(2025, 10, 4), 0) == D(2025, 10, 4)


def test_add_across_many_years_loads_on_demand():
    cal = WorkCalendar(CalendarSpec())
    far = cal.add_working_days(D(2025, 1, 1), 2500)
    assert far.year >= 2034
    assert cal.add_working_days(far, -2500) == D(2024, 12, 31)  # 2025-01-01 is a holiday
    assert naive_add(cal, D(2025, 1, 1), 300) == cal.add_working_days(D(2025, 1, 1), 300)


def test_working_days_between_signed():
    assert CN.working_days_between(D(2025, 11, 5), D(2025, 12, 3)) == 20
    assert CN.working_days_between(D(2025, 12, 3), D(2025, 11, 5)) == -20
    assert CN.working_days_between(D(2025, 9, 26), D(2025, 10, 10)) == 5
    assert CN.working_days_between(D(2025, 10, 1), D(2025, 10, 1)) == 0


def test_roll_forward_and_back():
    assert CN.roll_forward(D(2025, 10, 1)) == D(2025, 10, 9)
    assert CN.roll_forward(D(2025, 9, 28)) == D(2025, 9, 28)
    assert CN.roll_back(D(2025, 10, 5)) == D(2025, 9, 30)


def test_holidays_and_makeups_between():
    rest = CN.holidays_between(D(2025, 9, 26), D(2025, 10, 10))
    assert [d.date for d in rest] == [D(2025, 10, x) for x in (1, 2, 3, 6, 7, 8)]
    makeups = CN.makeup_workdays_between(D(2025, 9, 26), D(2025, 10, 10))
    assert [d.date for d in makeups] == [D(2025, 9, 28)]


def test_provisional_years():
    assert not CN.is_provisional(2025)
    assert not CN.is_provisional(2026)
    assert CN.is_provisional(2027)  # holidays 0.109 has no 调休 for 2027 yet
    assert CN.any_provisional(D(2026, 12, 1), D(2027, 1, 10)) == (2027,)
    us = calendar_for(CalendarSpec(country="US"))
    assert not us.is_provisional(2027)


def test_extra_workdays_declare_a_year_known():
    cal = WorkCalendar(CalendarSpec(extra_workdays=(D(2027, 2, 20),)))
    assert not cal.is_provisional(2027)
    assert cal.day_info(D(2027, 2, 20)).kind is DayKind.MAKEUP_WORKDAY


def test_extra_holidays_and_workdays_override():
    spec = CalendarSpec(extra_holidays=(D(2025, 11, 6),), extra_workdays=(D(2025, 11, 8), D(2025, 10, 1)))
    cal = WorkCalendar(spec)
    assert not cal.is_working_day(D(2025, 11, 6))
    assert cal.day_info(D(2025, 11, 6)).kind is DayKind.HOLIDAY
    assert cal.is_working_day(D(2025, 11, 8))  # a Saturday made working
    assert cal.day_info(D(2025, 10, 1)).kind is DayKind.MAKEUP_WORKDAY
    # 11-06 lost, 11-08 gained: the 2nd working day after 11-05 is now Saturday 11-08
    assert cal.add_working_days(D(2025, 11, 5), 2) == D(2025, 11, 8)
    assert CN.add_working_days(D(2025, 11, 5), 2) == D(2025, 11, 7)


def test_workday_in_both_lists_is_working():
    d = D(2025, 11, 6)
    cal = WorkCalendar(CalendarSpec(extra_holidays=(d,), extra_workdays=(d,)))
    assert cal.is_working_day(d)


def test_other_country_weekend_and_holiday():
    us = calendar_for(CalendarSpec(country="us"))
    assert not us.is_working_day(D(2025, 7, 4))
    assert us.day_info(D(2025, 7, 4)).kind is DayKind.HOLIDAY
    assert us.is_working_day(D(2025, 7, 7))


def test_unknown_country_and_subdivision():
    with pytest.raises(ProblemError) as exc:
        WorkCalendar(CalendarSpec(country="XX"))
    assert exc.value.key == "cal.unknown_country"
    assert exc.value.params["code"] == "XX"
    with pytest.raises(ProblemError) as exc:
        WorkCalendar(CalendarSpec(country="US", subdiv="ZZ"))
    assert exc.value.key == "cal.unknown_subdiv"


def test_out_of_range_year():
    with pytest.raises(ProblemError) as exc:
        CN.is_working_day(D(1800, 1, 1))
    assert exc.value.key == "cal.out_of_range"


def test_calendar_for_is_cached_and_ignores_source():
    from rectify_cli.model import Source

    a = calendar_for(CalendarSpec(source=Source("a.yaml", 1, 1)))
    b = calendar_for(CalendarSpec(source=Source("b.yaml", 2, 1)))
    assert a is b
    assert calendar_for(CalendarSpec(country="US")) is not a


def test_speed_of_bisection():
    cal = WorkCalendar(CalendarSpec())
    cal.add_working_days(D(2020, 1, 1), 2000)  # load the years once
    start = time.perf_counter()
    for i in range(20_000):
        cal.add_working_days(D(2024, 1, 1) + dt.timedelta(days=i % 700), 1 + i % 60)
    assert time.perf_counter() - start < 1.0  # ~0.05 s when nothing walks day by day


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=1, max_value=400))
def test_nth_working_day_after_is_a_working_day_later(d, n):
    result = CN.add_working_days(d, n)
    assert result > d
    assert CN.is_working_day(result)
    assert CN.working_days_between(d, result) == n


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=1, max_value=400))
def test_add_then_subtract_returns_to_a_working_day_not_later(d, n):
    back = CN.add_working_days(CN.add_working_days(d, n), -n)
    assert back <= d
    assert CN.is_working_day(back)
    assert back == CN.roll_back(d)


@settings(max_examples=100, deadline=None)
@given(dates, st.integers(min_value=-40, max_value=40))
def test_bisection_agrees_with_walking(d, n):
    assert CN.add_working_days(d, n) == naive_add(CN, d, n)


@settings(max_examples=200, deadline=None)
@given(dates, dates)
def test_between_is_antisymmetric(a, b):
    assert CN.working_days_between(a, b) == -CN.working_days_between(b, a)
