"""Recurring work: a series event and the milestones and tasks counted from each occurrence."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rectify_cli import evaluate, load
from rectify_cli.model import Event, Source
from rectify_cli.recurrence import occurrences

from .conftest import write_ledger

PLAN = """\
kind: plan
id: mdm
title: 面对面政企交流活动
owner: 市工业和信息化局
events:
  activity_day:
    names: [活动日]
    every: quarter
    dates: [2026-03-20, 2026-06-19, 2026-09-18, 2026-12-18]
milestones:
  - id: M-notice
    title: 印发活动通知
    due: 活动日前2个工作日
    lead: 市府办公室
    each: 活动日
    runs:
      - {on: 2026-03-20, done: 2026-03-18}
"""
ISSUES = "kind: issues\nplan: mdm\nissues:\n  - id: I-1\n    title: 活动流程\n"
TASKS = """\
kind: tasks
plan: mdm
tasks:
  - id: T-02
    issue: I-1
    title: 核实企业问题，报送企业问题目录
    lead: 市工业和信息化局
    due: 活动日前4个工作日
    each: 活动日
    runs:
      - {on: 2026-03-20, done: 2026-03-13}
      - {on: 2026-06-19, status: done, done: 2026-06-12, evidence: [企业问题目录（二季度）]}
      - {on: 2026-09-18, done: 2026-09-20}
  - id: T-07
    issue: I-1
    title: 回复企业
    lead: 市工业和信息化局
    due: 活动日后20个工作日
    each: activity_day
"""


@pytest.fixture
def ledger(tmp_path):
    return write_ledger(tmp_path, PLAN, ISSUES, TASKS)


def _states(root, day):
    schedule = evaluate(load(root / "plans"), as_of=day)
    return {s.item.id: s for s in (*schedule.tasks, *schedule.milestones)}


def test_each_occurrence_up_to_the_next_one_is_an_item_counted_from_its_own_date(ledger):
    states = _states(ledger, dt.date(2026, 10, 9))
    assert sorted(k for k in states if k.startswith("T-02")) == [
        "T-02@2026-03-20", "T-02@2026-06-19", "T-02@2026-09-18", "T-02@2026-12-18",  # 12-18 is the next one
    ]
    # 4 working days before each activity day, on the official calendar
    assert states["T-02@2026-03-20"].due_date == dt.date(2026, 3, 16)
    assert states["T-02@2026-09-18"].due_date == dt.date(2026, 9, 14)
    assert states["T-02@2026-12-18"].due_date == dt.date(2026, 12, 14)
    # 20 working days after 2026-09-18 skip the National Day holiday (10-01..10-07 off, 09-27 and 10-10 worked)
    assert states["T-07@2026-09-18"].due_date == dt.date(2026, 10, 22)
    assert states["M-notice@2026-06-19"].due_date == dt.date(2026, 6, 17)
    assert states["M-notice@2026-06-19"].unit == "市府办公室"


def test_past_occurrences_are_judged_like_any_item(ledger):
    states = _states(ledger, dt.date(2026, 10, 9))
    assert states["T-02@2026-06-19"].status.value == "done" and not states["T-02@2026-06-19"].overdue
    assert states["T-02@2026-03-20"].status.value == "done"  # a done date says done
    assert states["T-02@2026-09-18"].done_late  # done on 09-20, due 09-14
    assert states["T-07@2026-06-19"].overdue  # nobody reported on it
    assert states["M-notice@2026-06-19"].overdue and not states["M-notice@2026-03-20"].overdue
    assert not states["T-07@2026-12-18"].overdue


def test_as_of_a_day_an_occurrence_finished_later_is_still_open_and_later_ones_do_not_exist(ledger):
    states = _states(ledger, dt.date(2026, 9, 16))
    assert states["T-02@2026-09-18"].status.value == "todo" and states["T-02@2026-09-18"].overdue
    assert "T-02@2026-12-18" not in states  # the next one after 09-18 has not come into view
    states = _states(ledger, dt.date(2026, 3, 1))
    assert sorted(k for k in states if k.startswith("T-02")) == ["T-02@2026-03-20"]


def test_a_series_every_quarter_from_a_date_until_a_day():
    event = Event("day", dt.date(2026, 1, 31), Source("f"), every="quarter", until=dt.date(2027, 1, 1))
    assert occurrences(event) == (dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 7, 31), dt.date(2026, 10, 31))
    assert occurrences(event, dt.date(2026, 5, 1)) == (dt.date(2026, 1, 31), dt.date(2026, 4, 30), dt.date(2026, 7, 31))
    monthly = Event("day", dt.date(2026, 1, 31), Source("f"), every="每月")
    assert occurrences(monthly, dt.date(2026, 3, 1))[1:] == (dt.date(2026, 2, 28), dt.date(2026, 3, 31))


def test_status_and_check_show_the_occurrences(run, ledger):
    code, out, _ = run("status", "--as-of", "2026-10-09", "--format", "json", cwd=ledger)
    assert code == 0
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert items["T-02@2026-12-18"]["due"] == "2026-12-14" and items["T-02@2026-12-18"]["line"] == 4
    assert items["T-02@2026-06-19"]["evidence" if "evidence" in items["T-02@2026-06-19"] else "status"] is not None
    code, out, _ = run("check", "--as-of", "2026-10-09", "--lang", "en", cwd=ledger)
    assert code == 1
    overdue = [l for l in out.splitlines() if "overdue" in l and "@" in l]
    assert any(l.startswith("plans/tasks.yaml:") and "T-07@2026-06-19" in l for l in overdue)
    code, out, _ = run("agenda", "--as-of", "2026-12-08", "--lang", "en", cwd=ledger)
    assert code in (0, 1) and "T-02@2026-12-18" in out


@pytest.mark.parametrize("change, message", [
    (("each: 活动日\n    runs:\n      - {on: 2026-03-20", "each: 活动日\n    runs:\n      - {on: 2026-03-21"),
     "M-notice: 2026-03-21 is not an occurrence of 'activity_day'"),
    (("each: activity_day\n", "each: activity_dya\n"), "T-07: each names 'activity_dya', which is not a series event"),
    (("      - {on: 2026-09-18, done: 2026-09-20}", "      - {on: 2026-06-19}"), "T-02: the occurrence 2026-06-19 is recorded twice"),
    (("    each: activity_day\n", "    runs: [{on: 2026-03-20}]\n"), "T-07: runs without each"),
    (("    every: quarter\n    dates: [2026-03-20, 2026-06-19, 2026-09-18, 2026-12-18]\n", "    every: quarterly\n"),
     "every: 'quarterly' is not allowed"),
])
def test_a_template_that_does_not_fit_its_series_is_an_error_at_its_line(run, ledger, change, message):
    for name in ("plan.yaml", "tasks.yaml"):
        path = ledger / "plans" / name
        text = path.read_text(encoding="utf-8")
        if change[0] in text:
            path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
            break
    else:
        raise AssertionError(change[0])
    code, out, _ = run("check", "--as-of", "2026-10-09", "--lang", "en", cwd=ledger)
    assert code == 2
    (line,) = [l for l in out.splitlines() if message in l]
    assert line.startswith("plans/") and ": error: " in line


def test_did_you_mean_names_the_series(run, ledger):
    path = ledger / "plans/tasks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("each: activity_day\n", "each: activity_dya\n"), encoding="utf-8")
    out = run("check", "--lang", "en", cwd=ledger)[1]
    assert "did you mean 'activity_day'" in out or "activity_day" in out.split("its series:")[1]


def test_the_excel_ledger_shows_each_occurrence_and_import_folds_them_back(run, ledger):
    from openpyxl import load_workbook

    book = ledger / "ledger.xlsx"
    assert run("export", "plans", "--format", "xlsx", "--as-of", "2026-10-09", "--out", str(book), "--lang", "zh", cwd=ledger)[0] == 0
    rows = [[c.value for c in r] for r in load_workbook(book)["整改台账"].iter_rows()]
    header = rows[0]
    ids = [r[header.index("任务编号")] for r in rows[1:]]
    assert "T-02@2026-06-19" in ids and "T-02@2026-12-18" in ids  # one row per occurrence, as people read it
    assert "周期事件" in header
    code, out, _ = run("import", str(book), "--plan", "mdm", "--out", "back", "--lang", "zh", cwd=ledger)
    assert code == 0, out
    back = load(ledger / "back")
    assert not back.invalid, [p.render("en") for p in back.problems]
    tasks = {t.id: t for t in back.repository.tasks}
    assert set(tasks) == {"T-02", "T-07"}
    assert tasks["T-02"].each == "活动日" and tasks["T-02"].due.text == "活动日前4个工作日"
    assert [(r.on.isoformat(), r.done and r.done.isoformat()) for r in tasks["T-02"].runs] == [
        ("2026-03-20", "2026-03-13"), ("2026-06-19", "2026-06-12"), ("2026-09-18", "2026-09-20")]
    assert tasks["T-02"].runs[1].evidence == ("企业问题目录（二季度）",)
    (plan,) = back.repository.plans
    assert plan.event("activity_day").dates == load(ledger / "plans").repository.plans[0].event("activity_day").dates
    (notice,) = plan.milestones
    assert notice.id == "M-notice" and notice.each == "活动日" and notice.leads == ("市府办公室",)
    assert [r.on.isoformat() for r in notice.runs] == ["2026-03-20"]
    # and the two ledgers say the same as of that day
    again = {s.item.id: s.due_date for s in evaluate(back, as_of=dt.date(2026, 10, 9)).tasks}
    first = {s.item.id: s.due_date for s in evaluate(load(ledger / "plans"), as_of=dt.date(2026, 10, 9)).tasks}
    assert again == first


def test_edits_address_the_recurring_task_and_say_where_an_occurrence_is_recorded(run, ledger):
    code, _, err = run("set", "T-07", "title", "回复企业并报汇总", cwd=ledger)
    assert code == 0, err
    assert "title: 回复企业并报汇总" in (ledger / "plans/tasks.yaml").read_text(encoding="utf-8")
    before = (ledger / "plans/tasks.yaml").read_bytes()
    code, _, err = run("progress", "T-02@2026-09-18", "已汇总", "--lang", "en", cwd=ledger)
    assert code == 2
    assert "T-02@2026-09-18 is the 2026-09-18 occurrence of recurring item T-02 (plans/tasks.yaml:4:5)" in err
    assert "rectify done T-02@2026-09-18 records it done" in err
    code, _, err = run("done", "T-02@2026-09-18", "--lang", "en", cwd=ledger)  # already has a run
    assert code == 2 and "T-02@2026-09-18 is already recorded at plans/tasks.yaml:13:9" in err
    assert (ledger / "plans/tasks.yaml").read_bytes() == before
    code, out, err = run("done", "T-07@2026-06-19", "--date", "2026-07-10", "--lang", "en", cwd=ledger)
    assert code == 0, err
    assert "{on: 2026-06-19, status: done, done: 2026-07-10}" in (ledger / "plans/tasks.yaml").read_text(encoding="utf-8")
    states = _states(ledger, dt.date(2026, 10, 9))
    assert states["T-07@2026-06-19"].status.value == "done" and not states["T-07@2026-06-19"].overdue
    assert states["T-07@2026-09-18"].status.value == "todo"  # the other occurrences are untouched
    code, out, _ = run("new", "task", "--issue", "mdm:I-1", "--title", "另一步", "--lead", "市府办公室", "--dry-run", cwd=ledger)
    assert code == 0
    (added,) = [line for line in out.splitlines() if line.startswith("+  - id: ")]
    assert added.split("id: ")[1] not in ("T-02", "T-07")  # the recurring tasks' ids are taken
