"""Deadline rules: every form of the grammar, the contract's hand-checked dates,
chains, cycles, pending events, and the explanation steps."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_cli.calendar import calendar_for
from rectify_cli.cn_numerals import parse_number
from rectify_cli.messages import keys, text
from rectify_cli.model import CalendarSpec
from rectify_cli.problems import ProblemError
from rectify_cli.rules import (
    DatePoint,
    Fixed,
    NameRef,
    Ongoing,
    Relative,
    Resolver,
    Rule,
    Window,
    parse_rule,
)

D = dt.date
CN = calendar_for(CalendarSpec())
EVENTS = {
    "opinions_received": D(2025, 11, 5),
    "反馈意见": D(2025, 11, 5),
    "通知印发": D(2025, 9, 26),
    "inspection": None,
}
MILESTONES = {
    "plan-due": "20 working days after opinions_received",
    "report": "10 working days after plan-due",
    "waiting": "5 working days after inspection",
    "forever": "ongoing",
    "a": "3 days after b",
    "b": "1 day after a",
    "self": "2 working days after self",
}


def resolver(base_year: int | None = 2025, calendar=CN) -> Resolver:
    return Resolver(calendar, base_year, EVENTS, MILESTONES)


def due(expr: str, **kw) -> dt.date | None:
    return resolver(**kw).resolve(expr).due


def error(expr: str, **kw) -> ProblemError:
    with pytest.raises(ProblemError) as exc:
        resolver(**kw).resolve(expr)
    return exc.value


# --- the contract's hand-checked examples ------------------------------------


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("20 working days after 2025-11-05", D(2025, 12, 3)),
        ("5 working days after 2025-09-26", D(2025, 10, 10)),  # 9-28 is a make-up Sunday
        ("4 working days before 2026-10-09", D(2026, 9, 28)),
        ("3 months after 2025-11-30", D(2026, 2, 28)),  # a make-up Saturday: not rolled
        ("3 months after 2025-10-31", D(2026, 2, 2)),  # 01-31 Saturday, rolled
    ],
)
def test_hand_checked(expr, expected):
    assert due(expr) == expected


def test_makeup_saturday_is_explained_as_not_rolled():
    steps = [s.key for s in resolver().resolve("3 months after 2025-11-30").steps]
    assert steps == ["rule.step.months_after", "rule.step.month_end", "rule.step.makeup_not_rolled"]


def test_rolled_step_names_the_reason():
    res = resolver().resolve("3 months after 2025-10-31")
    assert res.explain("zh").endswith("2026-01-31 为周末，顺延至下一工作日 2026-02-02")
    assert "rolled to the next working day 2026-02-02" in res.explain("en")


def test_rolled_over_a_holiday_names_it():
    res = resolver().resolve("7 days after 2025-09-24")  # 10-01
    assert res.due == D(2025, 10, 9)
    assert "国庆节" in res.explain("zh")
    assert "National Day" in res.explain("en")


def test_before_rolls_back():
    assert due("3 days before 2025-10-07") == D(2025, 9, 30)  # 10-04 is a Saturday in the break


def test_working_days_explanation_lists_holidays_and_makeups():
    res = resolver().resolve("5 working days after 2025-09-26")
    rendered = res.explain("zh")
    assert "国庆节" in rendered and "中秋节" in rendered
    assert "计入调休上班日 2025-09-28" in rendered
    assert "2025-09-28" in res.explain("en")
    assert not res.provisional


# --- absolute dates ------------------------------------------------------------


@pytest.mark.parametrize(
    "expr",
    ["2025-12-31", "2025年12月31日", "2025.12.31", "2025/12/31", "12月31日", "2025年12月31日前",
     "２０２５－１２－３１", "by 2025-12-31", "12月31日前完成", "十二月三十一日", "二〇二五年十二月三十一日"],
)
def test_absolute_forms(expr):
    res = resolver().resolve(expr)
    assert (res.kind, res.due, res.start) == ("date", D(2025, 12, 31), None)


@pytest.mark.parametrize("expr", ["9月10日前", "9月10日之前", "9月10日以前", "9月10号"])
def test_month_day_takes_the_base_year(expr):
    assert due(expr, base_year=2026) == D(2026, 9, 10)
    assert "year_from_plan" in resolver(2026).resolve(expr).steps[0].key


def test_absolute_dates_are_not_rolled_nor_provisional():
    res = resolver().resolve("2027-10-02")
    assert res.due == D(2027, 10, 2) and not res.provisional


@pytest.mark.parametrize("expr, shown", [("2025-02-30", "2025-02-30"), ("2025年13月", "2025-13"),
                                          ("2025年2月29日", "2025-02-29")])
def test_impossible_dates(expr, shown):
    exc = error(expr)
    assert exc.key == "rule.bad_date"
    assert exc.params == {"expr": expr, "date": shown}


def test_feb_29_without_year_checked_against_base_year():
    assert due("2月29日", base_year=2028) == D(2028, 2, 29)
    assert error("2月29日", base_year=2025).key == "rule.bad_date"


def test_no_year_and_no_base_year():
    assert error("9月10日前", base_year=None).key == "rule.no_year"
    assert due("2025-09-10", base_year=None) == D(2025, 9, 10)


# --- relative rules ------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, expected",
    [
        ("20 working days after opinions_received", D(2025, 12, 3)),
        ("20 WORKING DAYS AFTER opinions_received", D(2025, 12, 3)),
        ("within 20 business days of opinions_received", D(2025, 12, 3)),
        ("twenty working days after opinions_received", D(2025, 12, 3)),
        ("1 working day after 2025-11-05", D(2025, 11, 6)),
        ("0 working days after 2025-10-04", D(2025, 10, 4)),
        ("10 days after 2025-11-05", D(2025, 11, 17)),  # 11-15 Saturday, rolled to Monday
        ("1 day after 2025-11-05", D(2025, 11, 6)),
        ("2 weeks after 2025-11-05", D(2025, 11, 19)),
        ("1 week after 2025-11-05", D(2025, 11, 12)),
        ("1 month after 2025-11-05", D(2025, 12, 5)),
        ("1 month before 2026-03-31", D(2026, 2, 28)),
        ("收到opinions_received后20个工作日内", D(2025, 12, 3)),
        ("收到反馈意见后20个工作日内", D(2025, 12, 3)),
        ("反馈意见后二十个工作日内", D(2025, 12, 3)),
        ("反馈意见起20个工作日内", D(2025, 12, 3)),
        ("反馈意见之日起20个工作日内", D(2025, 12, 3)),
        ("收到 反馈意见 后 20 个工作日内", D(2025, 12, 3)),
        ("2025-11-05后20个工作日内", D(2025, 12, 3)),
        ("2025年11月5日起20个工作日内", D(2025, 12, 3)),
        ("11月5日后20个工作日", D(2025, 12, 3)),
        ("自通知印发起5个工作日内", D(2025, 10, 10)),
        ("自通知印发之日起三个月内", D(2025, 12, 26)),
        ("自2025-10-31之日起三个月内", D(2026, 2, 2)),
        ("自反馈意见起两个月内", D(2026, 1, 5)),
        ("反馈意见后10天", D(2025, 11, 17)),
        ("反馈意见后15日内", D(2025, 11, 20)),
        ("反馈意见后2周内", D(2025, 11, 19)),
        ("2026-10-09前4个工作日", D(2026, 9, 28)),
        ("plan-due前5个工作日", D(2025, 11, 26)),
        ("反馈意见后一百个工作日内", D(2026, 4, 1)),  # checked by a day-by-day walk
    ],
)
def test_relative_forms(expr, expected):
    assert due(expr) == expected


def test_relative_ast():
    assert parse_rule("收到反馈意见后20个工作日内") == Relative(
        20, "workday", 1, NameRef(("反馈意见", "收到反馈意见"))
    )
    assert parse_rule("4 working days before 2026-10-09") == Relative(
        4, "workday", -1, DatePoint(2026, 10, 9)
    )
    assert parse_rule("自X之日起三个月内") == Relative(3, "month", 1, NameRef(("X",)))


def test_prefixed_event_name_is_a_fallback():
    r = Resolver(CN, 2025, {"收到意见": D(2025, 11, 5)}, {})
    assert r.resolve("收到意见后20个工作日内").due == D(2025, 12, 3)


# --- windows -------------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, start, end",
    [
        ("9月上旬", D(2025, 9, 1), D(2025, 9, 10)),
        ("9月中旬", D(2025, 9, 11), D(2025, 9, 20)),
        ("9月下旬", D(2025, 9, 21), D(2025, 9, 30)),
        ("2月下旬", D(2025, 2, 21), D(2025, 2, 28)),
        ("9月上中旬", D(2025, 9, 1), D(2025, 9, 20)),
        ("9月中下旬", D(2025, 9, 11), D(2025, 9, 30)),
        ("3-12月", D(2025, 3, 1), D(2025, 12, 31)),
        ("3月-12月", D(2025, 3, 1), D(2025, 12, 31)),
        ("3至12月", D(2025, 3, 1), D(2025, 12, 31)),
        ("2025年11月至2026年1月", D(2025, 11, 1), D(2026, 1, 31)),
        ("11月至次年1月".replace("次年", ""), D(2025, 11, 1), D(2026, 1, 31)),
        ("2025年7月下旬至8月", D(2025, 7, 21), D(2025, 8, 31)),
        ("10月", D(2025, 10, 1), D(2025, 10, 31)),
        ("十月份", D(2025, 10, 1), D(2025, 10, 31)),
        ("2026年10月", D(2026, 10, 1), D(2026, 10, 31)),
        ("8月下旬至9月上旬", D(2025, 8, 21), D(2025, 9, 10)),
        ("9月1日至10月15日", D(2025, 9, 1), D(2025, 10, 15)),
        ("2025-09-01至2025-10-31", D(2025, 9, 1), D(2025, 10, 31)),
        ("第三季度", D(2025, 7, 1), D(2025, 9, 30)),
        ("2026年第一季度", D(2026, 1, 1), D(2026, 3, 31)),
        ("Q4", D(2025, 10, 1), D(2025, 12, 31)),
        ("年内", D(2025, 1, 1), D(2025, 12, 31)),
        ("2026年内", D(2026, 1, 1), D(2026, 12, 31)),
        ("上半年", D(2025, 1, 1), D(2025, 6, 30)),
        ("下半年", D(2025, 7, 1), D(2025, 12, 31)),
        ("9月中下旬前完成", D(2025, 9, 11), D(2025, 9, 30)),
    ],
)
def test_windows(expr, start, end):
    res = resolver().resolve(expr)
    assert (res.kind, res.start, res.due) == ("date", start, end)
    assert res.steps[-1].key == "rule.step.window"


def test_window_ending_on_a_rest_day_is_not_rolled():
    res = resolver().resolve("2025年5月")  # 05-31 is 端午节, a Saturday
    assert res.due == D(2025, 5, 31)


@pytest.mark.parametrize("expr", ["年底", "年底前", "年末", "2025年底", "12月底", "12月末前"])
def test_year_and_month_end(expr):
    assert due(expr) == D(2025, 12, 31)


def test_month_end_in_february():
    assert due("2月底", base_year=2028) == D(2028, 2, 29)


def test_window_reversed():
    assert error("2026年9月至2025年10月").key == "rule.window_reversed"


# --- ongoing -----------------------------------------------------------------


@pytest.mark.parametrize("expr", ["ongoing", "Ongoing", "长期坚持", "持续推进", "常态化"])
def test_ongoing(expr):
    assert isinstance(parse_rule(expr), Ongoing)
    res = resolver().resolve(expr)
    assert (res.kind, res.due, res.start) == ("ongoing", None, None)


# --- anchors: events, milestones, chains, cycles ----------------------------


def test_pending_event():
    res = resolver().resolve("5 working days after inspection")
    assert (res.kind, res.due) == ("pending", None)
    assert res.steps[0].key == "rule.step.pending_event"
    assert res.steps[0].params["name"] == "inspection"


def test_pending_propagates_through_a_milestone():
    res = resolver().resolve("3 days after waiting")
    assert res.kind == "pending"
    assert res.steps[-1].key == "rule.step.pending_milestone"


def test_chain_of_milestones():
    res = resolver().resolve("5 working days after report")
    # plan-due 2025-12-03; report = +10 working days = 2025-12-17; +5 = 2025-12-24
    assert res.due == D(2025, 12, 24)
    milestone_steps = [s.params["name"] for s in res.steps if s.key == "rule.step.milestone"]
    assert milestone_steps == ["plan-due", "report"]


def test_cycle():
    exc = error("1 day after a")
    assert exc.key == "rule.cycle"
    assert exc.params["cycle"] == "a → b → a"
    assert exc.params["expr"] == "1 day after a"
    assert error("self前1个工作日").params["cycle"] == "self → self"


def test_anchor_without_date():
    exc = error("1 day after forever")
    assert (exc.key, exc.params["name"]) == ("rule.anchor_ongoing", "forever")


def test_unknown_anchor_with_suggestion():
    exc = error("20 working days after opinion_received")
    assert exc.key == "rule.unknown_anchor"
    assert exc.params["name"] == "opinion_received"
    assert exc.params["hint"].params == {"suggestion": "opinions_received"}
    rendered = text(exc.key, "en", **exc.params)
    assert "did you mean opinions_received" in rendered


def test_unknown_anchor_without_suggestion():
    exc = error("20 working days after zzzz")
    assert exc.params["hint"] == ""
    assert "plan-due" in exc.params["known"]


# --- provisional ------------------------------------------------------------


def test_provisional_2027():
    res = resolver().resolve("30 working days after 2026-11-20")
    assert res.due == D(2027, 1, 4)
    assert res.provisional
    assert res.steps[-1].key == "rule.step.provisional"
    assert "2027" in res.explain("zh")


def test_not_provisional_in_2026():
    assert not resolver().resolve("20 working days after 2026-03-02").provisional


def test_provisional_propagates_through_chain():
    r = Resolver(CN, 2026, {"e": D(2026, 12, 20)}, {"m": "10 working days after e"})
    assert r.resolve("2025-01-01").provisional is False
    assert r.resolve("1 day after m").provisional


# --- calendar overrides through the resolver ---------------------------------


def test_extra_holiday_shifts_deadline():
    cal = calendar_for(CalendarSpec(extra_holidays=(D(2025, 11, 20),)))
    assert due("20 working days after 2025-11-05", calendar=cal) == D(2025, 12, 4)
    steps = resolver(calendar=cal).resolve("20 working days after 2025-11-05").steps
    assert any(s.key == "rule.step.skipped" and s.params["count"] == 1 for s in steps)


def test_extra_workday_shifts_deadline():
    cal = calendar_for(CalendarSpec(extra_workdays=(D(2025, 11, 8),)))
    assert due("20 working days after 2025-11-05", calendar=cal) == D(2025, 12, 2)


# --- errors say what was not understood ---------------------------------------


@pytest.mark.parametrize(
    "expr, key, rest",
    [
        ("next tuesday", "rule.unparsed", "next tuesday"),
        ("5 fortnights after x", "rule.unparsed", "fortnights"),
        ("收到意见后二十个工作周内", "rule.unparsed", "个工作周内"),
        ("2025-12-31 或更早", "rule.unparsed", "或更早"),
        ("9月中下旬吧", "rule.unparsed", "吧"),
    ],
)
def test_unparsed_names_the_rest(expr, key, rest):
    with pytest.raises(ProblemError) as exc:
        parse_rule(expr)
    assert exc.value.key == key
    assert exc.value.params == {"expr": expr, "rest": rest}


@pytest.mark.parametrize(
    "expr, key",
    [
        ("20个工作日内", "rule.missing_anchor"),
        ("3个月内", "rule.missing_anchor"),
        ("", "rule.empty"),
        ("十十个工作日 after x", "rule.unparsed"),
        ("many working days after x", "rule.bad_number"),
        ("99999 working days after x", "rule.bad_number"),
        ("x" * 300, "rule.too_long"),
    ],
)
def test_specific_errors(expr, key):
    with pytest.raises(ProblemError) as exc:
        parse_rule(expr)
    assert exc.value.key == key


def test_every_error_and_step_key_is_in_the_catalogue():
    catalogue = keys()
    import pathlib
    import re

    src = pathlib.Path(__file__).parents[1] / "src" / "rectify_cli"
    used = set()
    for name in ("rules.py", "rule_parser.py", "calendar.py"):
        used |= set(re.findall(r'"((?:rule|cal)\.[a-z_.]+)"', (src / name).read_text("utf-8")))
    assert used, "no keys found"
    missing = sorted(k for k in used if k not in catalogue)
    assert not missing
    for key in used:
        zh, en = catalogue[key]
        assert zh and en


# --- Chinese numerals -----------------------------------------------------------


@pytest.mark.parametrize(
    "raw, value",
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("两", 2), ("百", 100),
     ("一百零五", 105), ("三百", 300), ("20", 20), ("二〇二五", 2025), ("零", 0)],
)
def test_chinese_numerals(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["", "十十", "二三十", "百十百", "abc", "1二", "零十"])
def test_bad_chinese_numerals(raw):
    assert parse_number(raw) is None


# --- properties ---------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_parse_rule_returns_a_rule_or_raises_problem_error(s):
    try:
        rule = parse_rule(s)
    except ProblemError as exc:
        assert exc.key in keys()
    else:
        assert isinstance(rule, Rule)


GRAMMAR_PIECES = st.lists(
    st.sampled_from(["2025", "-", "年", "月", "日", "12", "3", "至", "后", "前", "个工作日", "内",
                     "上旬", "下旬", "after", " ", "working days", "x", "起", "自", "三", "十"]),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(GRAMMAR_PIECES)
def test_resolving_grammar_fragments_never_crashes(s):
    try:
        res = Resolver(CN, 2025, {"x": D(2025, 11, 5)}, {}).resolve(s)
    except ProblemError as exc:
        assert exc.key in keys()
    else:
        assert res.kind in ("date", "pending", "ongoing")
        assert (res.due is not None) == (res.kind == "date")


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2026, 6, 30)), st.integers(1, 120))
def test_working_day_rule_is_a_working_day_after_the_anchor(d, n):
    res = resolver().resolve(f"{n} working days after {d.isoformat()}")
    assert res.due > d
    assert CN.is_working_day(res.due)
    assert CN.working_days_between(d, res.due) == n
    assert res.due == resolver().resolve(f"{d.isoformat()}后{n}个工作日内").due


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D(2001, 1, 1), max_value=D(2026, 6, 30)), st.integers(0, 400),
       st.sampled_from(["days", "weeks", "months"]))
def test_calendar_period_ends_on_a_working_day_at_or_after_the_plain_end(d, n, unit):
    res = resolver().resolve(f"{n} {unit} after {d.isoformat()}")
    assert CN.is_working_day(res.due)
    assert res.due >= d
    rolled = [s for s in res.steps if s.key == "rule.step.rolled_forward"]
    if not rolled:
        assert res.steps[0].params["end"] == res.due.isoformat()


def test_fixed_and_window_ast():
    assert parse_rule("9月10日前") == Fixed(DatePoint(None, 9, 10))
    assert parse_rule("9月中下旬") == Window(DatePoint(None, 9, 11), DatePoint(None, 9, 0))


def test_memoized_per_text():
    r = resolver()
    assert r.resolve("20 working days after opinions_received") is r.resolve(
        "20 working days after opinions_received"
    )


@given(st.dates(min_value=D(1951, 1, 1), max_value=D(2099, 1, 1)), st.integers(min_value=-60, max_value=60))
def test_month_steps_end_on_the_same_day_or_the_month_end(start, months):
    """Civil Code art. 202: the corresponding day, or the last day of a month that has none."""
    import calendar

    from rectify_cli.rules import _add_months

    end = _add_months(start, months)
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])


# -- the documents' own wording (seed 000, 003) -------------------------------------------
@pytest.mark.parametrize(
    "expr, expected",
    [
        ("收到反馈意见20个工作日内", D(2025, 12, 3)),  # seed 000 writes no 后
        ("收到反馈意见20个工作日内完成", D(2025, 12, 3)),
        ("自收到反馈意见之日起20个工作日内", D(2025, 12, 3)),
        ("反馈意见后20个工作日内", D(2025, 12, 3)),  # the event named without 收到
        ("今年9月10日前", D(2025, 9, 10)),
        ("今年底前", D(2025, 12, 31)),
        ("本年度内", D(2025, 12, 31)),
        ("明年一季度", D(2026, 3, 31)),
        ("次年3月底前", D(2026, 3, 31)),
        ("明年6月底前完成", D(2026, 6, 30)),
        ("去年12月31日", D(2024, 12, 31)),
    ],
)
def test_document_wording(expr, expected):
    assert due(expr) == expected


def test_year_words_follow_the_plan_year_and_say_so():
    res = resolver(base_year=2024).resolve("次年3月底前")
    assert res.due == D(2025, 3, 31)
    assert res.explain("zh").startswith("“次年”为 2025 年（计划年份 2024）")
    assert error("明年一季度", base_year=None).key == "rule.no_year"


def test_immediate_is_due_on_the_first_event():
    r = Resolver(CN, 2025, {"收到反馈意见": D(2025, 11, 5), "plan_issued": D(2025, 11, 20)}, {})
    res = r.resolve("立行立改")
    assert (res.kind, res.due) == ("date", D(2025, 11, 5))
    assert "立行立改" in res.explain("zh")
    assert Resolver(CN, 2025, {"收到反馈意见": None}, {}).resolve("立行立改").kind == "pending"
    with pytest.raises(ProblemError) as exc:
        Resolver(CN, 2025, {}, {}).resolve("立行立改")
    assert exc.value.key == "rule.immediate_no_event"


def test_event_aliases_are_matched_with_or_without_received():
    r = Resolver(CN, 2025, {"opinions_received": D(2025, 11, 5), "收到评议意见": D(2025, 11, 5)}, {})
    for expr in ("收到评议意见20个工作日内", "评议意见后20个工作日内", "自收到评议意见之日起20个工作日内",
                 "收到评议意见之日后20个工作日内"):
        assert r.resolve(expr).due == D(2025, 12, 3), expr


def test_readme_deadline_examples_work_on_the_default_plan(run, monkeypatch):
    """Every concrete example in the README's deadline table resolves on plans/."""
    import re
    from pathlib import Path

    root = Path(__file__).parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Deadlines"):readme.index("Semantics (tested)")]
    table = "\n".join(line.split("|")[1] for line in section.splitlines() if line.startswith("| `"))
    examples = [e for e in re.findall(r"`([^`]+)`", table) if not re.search(r"\b[XND]\b|[XND]起|[XND]前|[XND]后", e)
                and e not in ("due", "window", "to", "events:", "null")]
    assert len(examples) >= 20
    monkeypatch.chdir(root)
    for expr in examples:
        code, out, err = run("date", expr, "--plan", "gq-2025", "--lang", "en")
        assert code == 0, (expr, err)


def test_a_day_named_by_its_event_alone_counts_only_for_a_known_event():
    """明年人代会组织代表进行满意度测评 (seed 002): the deadline is the session itself."""
    r = Resolver(CN, 2023, {"npc_session": None, "明年人代会": None, "活动日": dt.date(2024, 6, 20)}, {})
    assert r.resolve("明年人代会").kind == "pending"
    assert r.resolve("明年人代会时").kind == "pending"
    assert r.resolve("活动日前").due == dt.date(2024, 6, 20)
    assert r.resolve("活动日当天").due == dt.date(2024, 6, 20)
    assert r.resolve("活动日前4个工作日").due == dt.date(2024, 6, 14)  # the ordinary rule is untouched
    with pytest.raises(ProblemError) as caught:
        r.resolve("明年党代会")  # not an event: still a wording the parser cannot read
    assert caught.value.key.startswith("rule.")
