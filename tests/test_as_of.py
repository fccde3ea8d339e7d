"""As of a date, the tool shows what was true that day (issue: time travel).

A fixture ledger whose completions, closings, notes, extensions and
reopenings straddle the as-of date, read through `check`, `status --format
json`, `report` and `export`.
"""

from __future__ import annotations

import csv
import io
import json

from .conftest import write

PLAN = """\
kind: plan
id: tt
title: 时间旅行计划
owner: 督查室
"""
ISSUES = """\
kind: issues
plan: tt
issues:
  - id: I-01
    title: 问题一
"""
TASKS = """\
kind: tasks
plan: tt
tasks:
  - id: T-1          # finished before the day
    issue: I-01
    title: 早已完成
    lead: 甲局
    due: 2025-10-10
    status: done
    done: 2025-10-09
  - id: T-2          # finished after the day: open, and overdue, on the day
    issue: I-01
    title: 后来完成
    lead: 甲局
    due: 2025-10-15
    status: done
    done: 2025-10-22
    progress:
      - {date: 2025-10-12, note: 已起草}
      - {date: 2025-10-21, note: 已印发}
  - id: T-3          # closed after the day, done before: done on the day
    issue: I-01
    title: 后来销号
    lead: 乙局
    due: 2025-10-30
    status: closed
    done: 2025-10-18
    closed: 2025-11-02
    closed_by: 督查室
    evidence: [https://example.org/t3]
  - id: T-4          # extension approved after the day: the first deadline counts then
    issue: I-01
    title: 后来延期
    lead: 乙局
    due: 2025-10-16
    status: doing
    extensions:
      - {to: 2025-12-31, approved_by: 督查室, date: 2025-10-25, reason: 需要更多时间}
  - id: T-5          # reopened after the day: finished on the day
    issue: I-01
    title: 后来退回
    lead: 丙局
    due: 2025-10-10
    status: doing
    reopened:
      - {date: 2025-11-05, reason: 回头看发现反弹, by: 督查室}
"""
DAY = "2025-10-20"


def _ledger(tmp_path):
    plans = tmp_path / "plans"
    write(plans / "tt" / "plan.yaml", PLAN)
    write(plans / "tt" / "issues.yaml", ISSUES)
    write(plans / "tt" / "tasks.yaml", TASKS)
    (tmp_path / ".git").mkdir()  # the repository's top, for evidence paths
    return plans


def test_status_json_shows_the_day(run, tmp_path):
    _ledger(tmp_path)
    code, out, _ = run("status", "--as-of", DAY, "--format", "json", cwd=tmp_path)
    assert code == 0
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert items["T-1"]["status"] == "done"
    assert items["T-2"]["status"] == "doing" and items["T-2"]["done"] is None and items["T-2"]["overdue"]
    assert items["T-3"]["status"] == "done"
    assert items["T-4"]["due"] == "2025-10-16" and items["T-4"]["overdue"]
    assert items["T-4"]["original_due"] is None  # the extension had not been granted
    assert items["T-5"]["status"] == "done" and not items["T-5"]["overdue"]


def test_status_json_today_reads_the_files(run, tmp_path):
    _ledger(tmp_path)
    code, out, _ = run("status", "--as-of", "2025-12-01", "--format", "json", cwd=tmp_path)
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert [items[t]["status"] for t in ("T-1", "T-2", "T-3", "T-4", "T-5")] == ["done", "done", "closed", "doing", "doing"]
    assert items["T-4"]["due"] == "2025-12-31" and items["T-4"]["due_rule"] == "2025-12-31"
    assert items["T-4"]["original_due_rule"] == "2025-10-16"
    assert items["T-5"]["overdue"]


def test_check_counts_what_was_overdue_that_day(run, tmp_path):
    _ledger(tmp_path)
    code, out, _ = run("check", "--as-of", DAY, "--lang", "en", "--format", "json", cwd=tmp_path)
    assert code == 1
    overdue = {o["id"] for o in json.loads(out)["overdue"]}
    assert overdue == {"T-2", "T-4"}


def test_report_counts_the_day(run, tmp_path):
    _ledger(tmp_path)
    code, out, _ = run("report", "tt", "--as-of", DAY, "--lang", "zh", cwd=tmp_path)
    assert code == 0
    assert "已完成3项" in out  # T-1, T-3 (done, not yet closed), T-5 (not yet reopened)
    assert "已印发" not in out  # T-2's note of 10-21 had not been written


def test_export_shows_the_day(run, tmp_path):
    _ledger(tmp_path)
    code, out, _ = run("export", "--format", "csv", "--as-of", DAY, "--lang", "en", cwd=tmp_path)
    assert code == 0
    rows = {r["Task ID"]: r for r in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))}
    assert rows["T-2"]["Done on"] == "" and "已起草" in rows["T-2"]["Progress"] and "已印发" not in rows["T-2"]["Progress"]
    assert rows["T-3"]["Done on"] == "2025-10-18"
