"""`rectify date` and `rectify calendar` from the command line."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO


@pytest.mark.parametrize(
    "expr,expected",
    [
        ("20 working days after 2025-11-05", "2025-12-03"),
        ("5 working days after 2025-09-26", "2025-10-10"),
        ("4 working days before 2026-10-09", "2026-09-28"),
        ("3 months after 2025-11-30", "2026-02-28"),
        ("3 months after 2025-10-31", "2026-02-02"),
        ("2025年7月下旬至8月", "2025-08-31"),
        ("自2025-11-05起三个月内", "2026-02-05"),
    ],
)
def test_first_line_is_the_iso_date(run, expr, expected):
    code, stdout, _ = run("date", expr, "--lang", "en")
    assert code == 0
    first, explanation = stdout.splitlines()
    assert first == expected
    assert explanation  # one line saying how


def test_explanation_names_makeup_day_and_holidays(run):
    _, stdout, _ = run("date", "5 working days after 2025-09-26", "--lang", "zh")
    explanation = stdout.splitlines()[1]
    assert "2025-09-28" in explanation and "国庆节" in explanation


def test_from_gives_an_anchorless_rule_its_start(run):
    code, stdout, _ = run("date", "20个工作日内", "--from", "2025-11-05")
    assert code == 0 and stdout.splitlines()[0] == "2025-12-03"


def test_plan_events_and_milestone_chains(run):
    code, stdout, _ = run("date", "10 working days after plan-due", "--plan", "gq-2025", cwd=REPO)
    assert code == 0 and stdout.splitlines()[0] == "2025-12-17"


def test_provisional_year_is_said(run):
    code, stdout, _ = run("date", "3 working days after 2027-10-01", "--format", "json", "--lang", "en")
    data = json.loads(stdout)
    assert code == 0 and data["provisional"] is True
    assert any("2027" in step and "provisional" in step for step in data["explanation"])


def test_unresolvable_is_exit_2_with_nothing_on_stdout(run):
    code, stdout, stderr = run("date", "sometime soon", "--lang", "en")
    assert code == 2 and stdout == ""
    assert stderr.count("\n") == 1 and "sometime soon" in stderr


def test_ongoing_and_pending(run):
    assert run("date", "长期坚持")[1].splitlines()[0] == "ongoing"


def test_calendar_grid_marks_holidays_and_makeup_days(run):
    code, stdout, _ = run("calendar", "2025-10", "--lang", "zh")
    assert code == 0
    assert "1休" in stdout and "11班" in stdout
    assert "2025-10-11 班：调休上班" in stdout
    assert "国庆节" in stdout


def test_calendar_marks_today(run, monkeypatch):
    import datetime as dt

    from rectify_cli.cli import common

    monkeypatch.setattr(common, "today", lambda: dt.date(2026, 2, 14))
    monkeypatch.setattr("rectify_cli.cli.dates.today", lambda: dt.date(2026, 2, 14))
    code, stdout, _ = run("calendar", "--lang", "zh")
    assert code == 0 and "[14班]" in stdout


def test_calendar_year_and_bad_month(run):
    code, stdout, _ = run("calendar", "2027", "--lang", "en")
    assert code == 0 and stdout.count("Mon") == 12 and "provisional" in stdout
    code, _, stderr = run("calendar", "2025-13", "--lang", "en")
    assert code == 2 and "'2025-13' is not a month" in stderr
