"""The supervising office's quarter, scripted: one plan in a real git repository from
July to September 2025. Units submit for 销号, one is sent back and resubmits, one is
closed after two approvals, one is closed by hand with one approval (audit flags it),
督办 goes blue → yellow → red as dates pass, a reply is recorded, a 回头看 finds 反弹
and reopens, a unit misses its monthly note. Outputs are checked at several --as-of
dates, each as the files say at the end of the quarter."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write

PLAN = """\
kind: plan
id: P
title: 巡察反馈问题整改
owner: 市委巡察办
events:
  巡察反馈: 2025-07-01
"""
ISSUES = """\
kind: issues
plan: P
issues:
  - id: I-01
    category: 党的建设
    title: 基层党建薄弱
"""
TASKS = """\
kind: tasks
plan: P
tasks:
  - id: T-1
    issue: I-01
    title: 整顿软弱涣散党组织
    lead: 甲局
    due: 2025-08-29
    progress:
      - {date: 2025-07-02, note: 已制定方案}
  - id: T-2
    issue: I-01
    title: 规范三会一课
    lead: 乙局
    due: 2025-08-15
    progress:
      - {date: 2025-07-02, note: 已部署}
  - id: T-3
    issue: I-01
    title: 补齐党员档案
    lead: 丙局
    due: 2025-08-05
    progress:
      - {date: 2025-07-01, note: 已启动}
  - id: T-4
    issue: I-01
    title: 建立长效机制
    lead: 丁局
    due: 2025-09-30
    progress:
      - {date: 2025-07-03, note: 已起草制度}
"""
CONFIG = """\
closing:
  requires: [牵头单位, 巡察办]
review_after: 1 month after closed
progress_every: 1 month
escalation:
  blue_within: 3
  interview_after: 5
  reply_within: 2 working days after issued
"""


class Quarter:
    def __init__(self, root: Path, run) -> None:
        self.root, self.run = root, run

    def git(self, *args: str, day: str = "2025-07-01") -> str:
        stamp = f"{day}T18:00:00+08:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
               "GIT_AUTHOR_NAME": "督查室", "GIT_AUTHOR_EMAIL": "dcs@example.org",
               "GIT_COMMITTER_NAME": "督查室", "GIT_COMMITTER_EMAIL": "dcs@example.org"}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, text=True, check=True)
        return done.stdout

    def step(self, day: str, *args: str, expect: int = 0) -> str:
        """Run one edit dated `day` and commit it on that day."""
        code, out, err = self.run(*args, "--date", day, "--lang", "en", cwd=self.root)
        assert code == expect, (args, out, err)
        if expect == 0:
            self.git("commit", "-qam", f"{args[0]} {args[1]}", day=day)
        return err

    def json(self, *args: str) -> dict:
        code, out, err = self.run(*args, "--format", "json", "--lang", "en", cwd=self.root)
        assert code in (0, 1), err
        return json.loads(out)

    def ids(self, as_of: str, status: str) -> list[str]:
        return [i["id"] for i in self.json("status", "--as-of", as_of, "--status", status)["items"]]


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> Quarter:
    return build_quarter(tmp_path_factory.mktemp("quarter"))


def build_quarter(root: Path) -> Quarter:
    """The quarter's repository in `root` (also handy to look at: python -c ... build_quarter(Path(DIR)))."""
    from typer.testing import CliRunner

    from rectify_cli.cli import app

    def run(*args: str, cwd: Path | None = None):
        old = os.getcwd()
        os.chdir(cwd or root)
        try:
            result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        finally:
            os.chdir(old)
        return result.exit_code, result.stdout, result.stderr

    q = Quarter(root, run)
    write(root / "plans/p/plan.yaml", PLAN)
    write(root / "plans/p/issues.yaml", ISSUES)
    write(root / "plans/p/tasks.yaml", TASKS)
    write(root / "rectify.yaml", CONFIG)
    for name in ("t1.pdf", "t1b.pdf", "t2.pdf"):
        write(root / "evidence" / name, name)
    q.git("init", "-q")
    q.git("add", "-A")
    q.git("commit", "-qm", "plan", day="2025-07-01")

    q.step("2025-07-15", "submit", "T-1", "--evidence", "evidence/t1.pdf", "--note", "已完成整顿")
    q.step("2025-07-17", "review", "T-1", "--reject", "--by", "巡察办", "--reason", "佐证材料不全")
    q.step("2025-07-21", "submit", "T-1", "--evidence", "evidence/t1b.pdf")
    q.step("2025-07-22", "review", "T-1", "--approve", "--by", "牵头单位")
    q.refused_early_close = q.step("2025-07-22", "close", "T-1", "--by", "巡察办", expect=1)
    q.step("2025-07-23", "review", "T-1", "--approve", "--by", "巡察办")
    q.step("2025-07-24", "close", "T-1", "--by", "巡察办")
    q.step("2025-07-25", "submit", "T-2", "--evidence", "evidence/t2.pdf")
    q.step("2025-07-28", "review", "T-2", "--approve", "--by", "牵头单位")
    q.refused_close = q.step("2025-07-31", "close", "T-2", "--by", "乙局", expect=1)
    # Closed by hand, with one approval of the two required: audit must flag it.
    tasks = root / "plans/p/tasks.yaml"
    text = tasks.read_text(encoding="utf-8").replace(
        "    lead: 乙局\n    due: 2025-08-15\n    status: submitted\n",
        "    lead: 乙局\n    due: 2025-08-15\n    status: closed\n    closed_by: 乙局\n    closed: 2025-07-31\n")
    assert "closed_by: 乙局" in text
    tasks.write_text(text, encoding="utf-8")
    q.git("commit", "-qam", "T-2 销号", day="2025-07-31")
    q.step("2025-07-31", "duban", "T-3", "--level", "蓝", "--by", "督查室", "--reply-by", "3 working days after issued",
           "--note", "临近期限，请抓紧办理")
    q.step("2025-08-01", "reply", "T-3", "正在加紧整理档案")
    q.step("2025-08-04", "duban", "T-3", "--level", "黄", "--by", "督查室")  # reply_by from escalation.reply_within
    q.step("2025-08-06", "duban", "T-3", "--level", "红", "--by", "督查室", "--reply-by", "2025-08-08")
    q.step("2025-08-20", "progress", "T-4", "制度已印发")
    q.step("2025-08-26", "lookback", "T-1", "--result", "反弹", "--by", "巡察办", "--note", "部分支部又出现问题")
    return q


# -- 销号 in two steps ------------------------------------------------------------
def test_close_is_refused_until_every_required_role_approved(quarter):
    assert "lacks the approval of 巡察办" in quarter.refused_early_close
    assert "lacks the approval of 巡察办" in quarter.refused_close


def test_the_review_record_is_in_the_file(quarter):
    text = (quarter.root / "plans/p/tasks.yaml").read_text(encoding="utf-8")
    assert "      - {date: 2025-07-17, by: 巡察办, result: reject, reason: 佐证材料不全}\n" in text
    assert "      - {date: 2025-07-15, by: 甲局, result: submit}\n" in text
    assert "      - {date: 2025-08-04, level: 黄, by: 督查室, reply_by: 2 working days after issued}\n" in text


@pytest.mark.parametrize("as_of, submitted", [
    ("2025-07-14", []), ("2025-07-16", ["T-1"]), ("2025-07-18", []), ("2025-07-21", ["T-1"]),
    ("2025-07-23", ["T-1"]), ("2025-07-24", []), ("2025-07-28", ["T-2"]), ("2025-07-31", []),
])
def test_status_submitted_is_the_reviewers_in_tray_on_each_day(quarter, as_of, submitted):
    assert quarter.ids(as_of, "submitted") == submitted


def test_the_rejected_task_is_doing_between_rejection_and_resubmission(quarter):
    # T-4 is doing too: its progress note of 08-20 moved it from todo, and a status carries no date
    assert sorted(quarter.ids("2025-07-18", "doing")) == ["T-1", "T-2", "T-4"]
    assert quarter.ids("2025-07-25", "closed") == ["T-1"]


def test_json_carries_reviews_and_missing_approvals(quarter):
    items = {i["id"]: i for i in quarter.json("status", "--as-of", "2025-07-22")["items"]}
    sup = items["T-1"]["supervision"]
    assert sup["approvals"] == ["牵头单位"]
    assert sup["missing_approvals"] == ["巡察办"]
    assert [r["result"] for r in sup["reviews"]] == ["submit", "reject", "submit", "approve"]


def test_audit_flags_the_close_with_one_approval_only(quarter):
    code, out, err = quarter.run("audit", "--format", "json", "--lang", "en", cwd=quarter.root)
    findings = [f for f in json.loads(out) if f["check"] == "closed_unapproved"]
    assert [(f["id"], f["message"]) for f in findings] == [
        ("T-2", "P/T-2 was closed (销号) without the approval of 巡察办 (closing.requires)")]
    assert code == 1


# -- 督办 -------------------------------------------------------------------------
@pytest.mark.parametrize("as_of, level, issued", [
    ("2025-07-30", None, None),  # 4 working days left
    ("2025-07-31", "蓝", "蓝"),  # 3 left; the blue one issued that day
    ("2025-08-01", "蓝", "蓝"),
    ("2025-08-04", "黄", "黄"),  # the monthly note was due 08-01
    ("2025-08-06", "红", "红"),  # overdue
    ("2025-08-14", "约谈", "红"),  # overdue by more than 5 working days
])
def test_escalation_follows_the_dates(quarter, as_of, level, issued):
    items = {i["id"]: i for i in quarter.json("status", "--as-of", as_of)["items"]}
    sup = items["T-3"]["supervision"]
    assert (sup["escalation"], sup["duban_level"]) == (level, issued)
    assert sup["escalate"] is (as_of == "2025-08-14")


def test_agenda_escalate_lists_what_the_rules_call_for_beyond_what_was_issued(quarter):
    def called(as_of):
        items = quarter.json("agenda", "--escalate", "--as-of", as_of)["items"]
        return [(i["id"], i["escalation"]) for i in items if i["escalate"]]

    assert called("2025-07-30") == []
    assert called("2025-08-05") == [("T-4", "黄")]  # 丁局's note was due 08-04; T-3 got its yellow 08-04
    assert called("2025-08-14") == [("T-3", "约谈"), ("T-4", "黄")]  # strongest first


def test_unanswered_duban_past_its_reply_by(quarter):
    def unanswered(as_of):
        items = {i["id"]: i for i in quarter.json("agenda", "--escalate", "--as-of", as_of)["items"]}
        return [d["level"] for d in items.get("T-3", {"duban": []})["duban"] if d["unanswered"]]

    assert unanswered("2025-08-07") == ["黄"]  # due 08-06, never answered
    assert unanswered("2025-08-11") == ["黄", "红"]  # the red one was due 08-08
    # The blue one was answered on 08-01: on 07-31 it was waiting, not late.
    items = {i["id"]: i for i in quarter.json("status", "--as-of", "2025-07-31")["items"]}
    assert items["T-3"]["supervision"]["duban"][0]["reply"] == ""


def test_agenda_escalate_text_and_duban_sheets(quarter, tmp_path):
    code, out, _ = quarter.run("agenda", "--escalate", "--as-of", "2025-08-14", "--lang", "zh", cwd=quarter.root)
    assert code == 0
    assert "应发约谈 T-3「补齐党员档案」（牵头单位：丙局；期限 2025-08-05；已发督办：红色督办）" in out
    assert "T-3「补齐党员档案」2025-08-04 的黄色督办未在 2025-08-06 前回复（牵头单位：丙局）" in out
    code, out, _ = quarter.run("agenda", "--escalate", "--as-of", "2025-08-14", "--format", "md", "--lang", "zh",
                               cwd=quarter.root)
    assert "约谈单（T-3）" in out and "责任单位：丙局" in out and "最近进展：2025-07-01 已启动" in out
    target = tmp_path / "duban.docx"
    code, _, err = quarter.run("agenda", "--escalate", "--as-of", "2025-08-14", "--format", "docx", "--out", str(target),
                               "--lang", "zh", cwd=quarter.root)
    assert code == 0, err
    from docx import Document

    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    assert "督办事项：补齐党员档案" in paragraphs


def test_duban_list_in_report_lists_and_excel(quarter, tmp_path):
    code, out, err = quarter.run("report", "P", "--lists", "--as-of", "2025-08-11", "--format", "md", "--lang", "zh",
                                 cwd=quarter.root)
    assert code == 0, err
    assert "督办清单" in out and "逾期未回复" in out and "已回复（2025-08-01）" in out
    target = tmp_path / "ledger.xlsx"
    code, _, err = quarter.run("export", "--format", "xlsx", "--out", str(target), "--as-of", "2025-08-11",
                               "--lang", "zh", cwd=quarter.root)
    assert code == 0, err
    from openpyxl import load_workbook

    sheet = load_workbook(target)["督办清单"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[1], r[3], r[9]) for r in rows] == [("T-3", "蓝", "已回复（2025-08-01）"), ("T-3", "黄", "逾期未回复"),
                                                  ("T-3", "红", "逾期未回复")]


# -- 回头看 -----------------------------------------------------------------------
def test_lookback_due_then_rebound_reopens(quarter):
    assert quarter.ids("2025-08-23", "lookback-due") == []
    assert quarter.ids("2025-08-24", "lookback-due") == []  # 07-24 + 1 month is a Sunday: due Monday
    assert quarter.ids("2025-08-25", "lookback-due") == ["T-1"]
    assert quarter.ids("2025-08-27", "lookback-due") == []  # 反弹 on 08-26 reopened it
    assert quarter.ids("2025-08-27", "doing") == ["T-1", "T-4"]  # T-4: its first progress note moved it
    text = (quarter.root / "plans/p/tasks.yaml").read_text(encoding="utf-8")
    assert ("      - {date: 2025-08-26, reason: 部分支部又出现问题, by: 巡察办, done: 2025-07-21, closed: 2025-07-24,"
            " closed_by: 巡察办}\n") in text


def test_check_fails_on_lookback_due(quarter):
    code, out, _ = quarter.run("check", "--as-of", "2025-08-25", "--fail-on", "lookback-due", "--lang", "en",
                               cwd=quarter.root)
    assert "T-1 \"整顿软弱涣散党组织\": look-back (回头看) due since 2025-08-25, not done (lead: 甲局)" in out
    assert code == 1


def test_lookback_due_alone_fails_check_only_when_asked(tmp_path, run):
    """Nothing overdue: a due look-back fails `check --fail-on lookback-due`, not plain `check`."""
    write(tmp_path / "plans/p/plan.yaml", PLAN + "review_after: 6 months after closed\n")
    write(tmp_path / "plans/p/issues.yaml", ISSUES)
    write(tmp_path / "evidence.pdf", "x")
    write(tmp_path / "plans/p/tasks.yaml", TASKS.split("  - id: T-2")[0].replace(
        "    due: 2025-08-29\n", "    due: 2025-08-29\n    status: closed\n    done: 2025-07-10\n"
        "    closed: 2025-07-11\n    closed_by: 巡察办\n    evidence: [../../evidence.pdf]\n"))
    assert run("check", "--as-of", "2026-01-12", cwd=tmp_path)[0] == 0
    assert run("check", "--as-of", "2026-01-12", "--fail-on", "lookback-due", cwd=tmp_path)[0] == 1
    assert run("check", "--as-of", "2026-01-09", "--fail-on", "lookback-due", cwd=tmp_path)[0] == 0


def test_check_junit_names_the_lookback_failure(quarter):
    import xml.etree.ElementTree as ET

    code, out, _ = quarter.run("check", "--as-of", "2025-08-25", "--fail-on", "lookback-due", "--format", "junit",
                               "--lang", "en", cwd=quarter.root)
    suite = ET.fromstring(out.split("?>", 1)[1])
    kinds = {case.get("name").split()[0]: f.get("type") for case in suite for f in case.findall("failure")}
    assert kinds == {"T-1": "lookback-due", "T-3": "overdue"} and code == 1


# -- reporting cadence -------------------------------------------------------------
def test_missing_progress_by_unit(quarter):
    assert quarter.ids("2025-08-01", "missing-progress") == []
    assert quarter.ids("2025-08-04", "missing-progress") == ["T-3"]  # due 08-01; 丁局's is due Monday 08-04
    assert quarter.ids("2025-08-05", "missing-progress") == ["T-3", "T-4"]
    assert quarter.ids("2025-08-21", "missing-progress") == ["T-3"]  # 丁局 wrote on 08-20
    code, out, _ = quarter.run("check", "--as-of", "2025-08-05", "--fail-on", "missing-progress", "--lang", "en",
                               cwd=quarter.root)
    assert code == 1
    assert "T-4 \"建立长效机制\": no progress note since it was due on 2025-08-04 (lead: 丁局)" in out


# -- the periodic 通报 ---------------------------------------------------------------
def test_report_since_lists_exactly_the_periods_changes(quarter):
    """August: the ledger as committed on 07-31 against the ledger on 08-31."""
    code, out, err = quarter.run("report", "P", "--since", "2025-07-31", "--as-of", "2025-08-31", "--lang", "zh",
                                 cwd=quarter.root)
    assert code == 0, err
    body = out[out.index("本期情况（2025-07-31 至 2025-08-31）"):]
    assert "本期无新增完成。" in body and "本期无新增销号。" in body and "本期无批准延期。" in body
    # T-3 passed its deadline; T-1, reopened after 反弹, passed its own on 08-29.
    assert "本期新增逾期 2 项：T-1「整顿软弱涣散党组织」（甲局，2025-08-29）；T-3「补齐党员档案」（丙局，2025-08-05）。" in body
    assert ("本期下发督办 2 项：T-3「补齐党员档案」（丙局，2025-08-04 黄）；"
            "T-3「补齐党员档案」（丙局，2025-08-06 红）。") in body
    # The blue one was issued on 07-31, committed that day: before the period; its reply came after.
    assert "本期督办回复 1 项：T-3「补齐党员档案」（丙局，2025-08-01 正在加紧整理档案）。" in body
    assert "本期重新打开 1 项：T-1「整顿软弱涣散党组织」（甲局，部分支部又出现问题）。" in body
    assert "本期报送进展 1 项：T-4「建立长效机制」（丁局，2025-08-20 制度已印发）。" in body


def test_report_since_a_revision_and_a_bad_one(quarter):
    first = quarter.git("rev-list", "--max-parents=0", "HEAD").strip()
    code, out, err = quarter.run("report", "P", "--since", first, "--as-of", "2025-07-31", "--lang", "en",
                                 cwd=quarter.root)
    assert code == 0, err
    assert "newly closed (销号) this period: 2: T-1" in out
    code, _, err = quarter.run("report", "P", "--since", "no-such-rev", cwd=quarter.root)
    assert code == 2 and "Traceback" not in err
    code, _, err = quarter.run("report", "P", "--since", "2025-08-20", "--as-of", "2025-08-01", "--lang", "en",
                               cwd=quarter.root)
    assert code == 2 and "--since 2025-08-20 is after the as-of day 2025-08-01" in err


# -- rules and refusals, one by one ----------------------------------------------------
@pytest.fixture
def small(tmp_path, monkeypatch):
    write(tmp_path / "plans/p/plan.yaml", PLAN + "closing:\n  requires: [巡察办]\nprogress_every: 1 month\n")
    write(tmp_path / "plans/p/issues.yaml", ISSUES)
    write(tmp_path / "plans/p/tasks.yaml", TASKS)
    write(tmp_path / "e.pdf", "x")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_refusals_leave_the_file_alone(small, run):
    before = (small / "plans/p/tasks.yaml").read_bytes()
    assert run("submit", "T-1", "--lang", "en")[0] == 1  # no evidence
    code, _, err = run("review", "T-1", "--approve", "--by", "巡察办", "--lang", "en")
    assert code == 1 and "not submitted for review" in err
    assert run("review", "T-1", "--approve", "--reject", "--by", "x")[0] == 2
    assert run("duban", "T-1", "--level", "紫", "--by", "督查室")[0] == 2
    assert run("reply", "T-1", "收到", "--lang", "en")[0] == 1  # nothing to answer
    assert run("lookback", "T-1", "--result", "巩固", "--by", "巡察办")[0] == 1  # not closed
    code, _, err = run("set", "T-1", "reviews", "x", "--lang", "en")
    assert code == 2 and "rectify review" in err
    assert run("done", "T-1", "--evidence", "e.pdf", "--date", "2025-07-10")[0] == 0
    code, _, err = run("close", "T-1", "--by", "巡察办", "--lang", "en")
    assert code == 1 and "lacks the approval of 巡察办" in err  # done is not enough when approvals are required
    assert b"closed" not in (small / "plans/p/tasks.yaml").read_bytes().replace(before, b"")


def test_bad_values_point_at_the_line(small, run):
    path = small / "plans/p/tasks.yaml"
    path.write_text(TASKS.replace("    due: 2025-08-05\n", "    due: 2025-08-05\n    duban:\n"
                                  "      - {date: 2025-07-31, level: 绿, by: 督查室}\n"), encoding="utf-8")
    code, out, _ = run("check", "--as-of", "2025-07-01", "--lang", "en")
    assert code == 2
    assert "plans/p/tasks.yaml:24:35: error: level: '绿' is not allowed; use one of 蓝, 黄, 红, 约谈" in out
    write(small / "rectify.yaml", "escalation:\n  blue_within: three\n")
    code, out, _ = run("check", "--as-of", "2025-07-01", "--lang", "en")
    assert code == 2 and "rectify.yaml:2:16: error: blue_within: 'three' is not a whole number" in out


def test_a_units_own_cadence_wins_over_the_plans(small, run):
    write(small / "rectify.yaml", "units:\n  - name: 丁局\n    progress_every: 2 weeks\n")
    code, out, _ = run("status", "--as-of", "2025-07-18", "--status", "missing-progress", "--format", "json")
    assert [i["id"] for i in json.loads(out)["items"]] == ["T-4"]  # note 07-03 + 2 weeks = 07-17


def test_report_since_puts_the_period_first_and_each_measure_keeps_its_latest_note(quarter):
    code, out, _ = quarter.run("report", "P", "--since", "2025-07-31", "--as-of", "2025-08-31", "--lang", "zh",
                               cwd=quarter.root)
    assert "建立长效机制（推进中，计划于2025年9月30日前完成）。2025年8月20日，制度已印发。" in out
    assert out.index("本期情况") < out.index("一、履行整改主体责任情况")
    code, plain, _ = quarter.run("report", "P", "--as-of", "2025-08-31", "--lang", "zh", cwd=quarter.root)
    assert "本期情况" not in plain and "2025年8月20日，制度已印发" in plain  # every report carries the latest note


def test_xlsx_round_trip_keeps_reviews_duban_and_lookbacks(quarter, tmp_path):
    from openpyxl import load_workbook

    from rectify_cli.workspace import open_workspace
    import datetime as dt

    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    args = ("--format", "xlsx", "--as-of", "2025-09-30", "--lang", "zh")
    assert quarter.run("export", *args, "--out", str(first), cwd=quarter.root)[0] == 0
    code, out, err = quarter.run("import", str(first), "--plan", "P", "--out", str(tmp_path / "imported"), cwd=quarter.root)
    assert code == 0, out + err

    def facts(path):
        repo = open_workspace([path], dt.date(2025, 9, 30)).ledger.repository
        return [(t.id, t.status, [(r.date, r.by, r.result, r.reason) for r in t.reviews],
                 [(d.date, d.level, d.by, d.note, d.reply_by.text if d.reply_by else None, d.reply, d.replied)
                  for d in t.duban],
                 [(b.date, b.result, b.by, b.note) for b in t.lookbacks]) for t in repo.tasks]

    assert facts(tmp_path / "imported") == facts(quarter.root / "plans")
    assert quarter.run("export", str(tmp_path / "imported"), *args, "--out", str(second), cwd=quarter.root)[0] == 0
    sheets = lambda p: {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in load_workbook(p).worksheets}  # noqa: E731
    assert sheets(first)["销号审核记录"] == sheets(second)["销号审核记录"]
    assert sheets(first)["督办清单"] == sheets(second)["督办清单"]


def test_reply_in_a_block_style_entry_adds_two_lines_and_keeps_the_comment(small, run):
    path = small / "plans/p/tasks.yaml"
    before = TASKS.replace("    due: 2025-08-05\n", "    due: 2025-08-05\n    duban:\n      - date: 2025-07-31  # 蓝色\n"
                           "        level: 蓝\n        by: 督查室\n")
    path.write_text(before, encoding="utf-8")
    assert run("reply", "T-3", "收到，正在办", "--date", "2025-08-01")[0] == 0
    assert path.read_text(encoding="utf-8") == before.replace(
        "        by: 督查室\n", "        by: 督查室\n        reply: 收到，正在办\n        replied: 2025-08-01\n")
    assert run("reply", "T-3", "again", "--lang", "en")[0] == 1  # answered already


@pytest.mark.parametrize("as_of, level", [
    ("2025-07-20", None), ("2025-08-14", None), ("2025-08-16", "黄"),  # half of 7月至9月 is 08-15
    ("2025-09-30", "黄"),  # yellow outranks the blue of the last 3 working days
    ("2025-10-09", "红"),
])
def test_a_task_not_started_halfway_through_its_window_is_yellow(small, run, as_of, level):
    path = small / "plans/p/tasks.yaml"
    path.write_text(TASKS.replace("    due: 2025-09-30\n    progress:\n      - {date: 2025-07-03, note: 已起草制度}\n",
                                  "    due: 2025年7月至9月\n"), encoding="utf-8")
    (small / "plans/p/plan.yaml").write_text(PLAN, encoding="utf-8")  # no reporting cadence here
    code, out, _ = run("status", "--as-of", as_of, "--format", "json")
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert items["T-4"]["supervision"]["escalation"] == level


def test_an_issue_follows_its_submitted_measures():
    from rectify_cli.model import Status
    from rectify_cli.overview import issue_status

    def tasks(*statuses):  # an issue's state follows its tasks' states
        return list(statuses)

    assert issue_status(tasks(Status.SUBMITTED, Status.CLOSED)) is Status.SUBMITTED
    assert issue_status(tasks(Status.SUBMITTED, Status.DONE)) is Status.DONE
    assert issue_status(tasks(Status.SUBMITTED, Status.ONGOING)) is Status.ONGOING
    assert issue_status(tasks(Status.SUBMITTED, Status.TODO)) is Status.DOING


def test_a_new_application_needs_new_approvals():
    import datetime as dt

    from rectify_cli.model import Review, Source, Task
    from rectify_cli.shown import shown_of
    from rectify_cli.supervision import approvals, missing_approvals

    day = dt.date(2025, 9, 1)
    review = lambda by, result: Review(day, by, result, "", Source("x"))  # noqa: E731
    first = (review("甲局", "submit"), review("牵头单位", "approve"), review("巡察办", "approve"))
    task = Task(id="T", source=Source("x"), reviews=first)
    assert approvals(shown_of(task).reviews) == ("牵头单位", "巡察办")
    again = Task(id="T", source=Source("x"), reviews=(*first, review("甲局", "submit"), review("巡察办", "approve")))
    assert missing_approvals(shown_of(again).reviews, ("牵头单位", "巡察办")) == ("牵头单位",)


# -- going back clears what said the work was finished ------------------------------
def test_a_rebound_reopens_like_reopen_and_clears_done_and_closed(quarter):
    """T-1 was closed on 07-24 and found 反弹 on 08-26: the file no longer says it was
    finished or struck off (git keeps the old lines), so a later finish is judged afresh."""
    import yaml

    tasks = yaml.safe_load((quarter.root / "plans/p/tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    t1 = next(t for t in tasks if t["id"] == "T-1")
    assert t1["status"] == "doing"
    assert not {"done", "closed", "closed_by"} & set(t1)


def test_a_rejection_clears_done_and_the_day_before_still_shows_the_application(quarter):
    """T-1 applied on 07-15 and was sent back on 07-17; resubmitted 07-21. On 07-16 the
    view shows it submitted, finished on the day it applied."""
    import yaml

    history = quarter.git("show", "HEAD~0:plans/p/tasks.yaml")  # the file as it ends
    assert yaml.safe_load(history)  # readable
    rejected = quarter.git("log", "--format=%H", "--grep=review T-1")
    first_review = rejected.split()[-1]  # the oldest: the rejection of 07-17
    after = yaml.safe_load(quarter.git("show", f"{first_review}:plans/p/tasks.yaml"))["tasks"]
    t1 = next(t for t in after if t["id"] == "T-1")
    assert t1["status"] == "doing" and "done" not in t1
    item = next(i for i in quarter.json("status", "--as-of", "2025-07-16")["items"] if i["id"] == "T-1")
    assert item["status"] == "submitted" and item["done"] == "2025-07-15"


def test_history_shows_appended_records_one_per_line(quarter):
    code, out, _ = quarter.run("history", "T-1", "--lang", "en", cwd=quarter.root)
    assert code == 0
    assert "reviews: + {2025-07-17 巡察办 reject 佐证材料不全}" in out
    assert '{"date"' not in out  # no JSON dumps in the text timeline


def test_review_commit_subjects_say_what_happened_in_the_ledgers_language(run, tmp_path):
    root = tmp_path / "repo"
    write(root / "plans/p/plan.yaml", PLAN)
    write(root / "plans/p/issues.yaml", ISSUES)
    write(root / "plans/p/tasks.yaml", TASKS)
    write(root / "rectify.yaml", CONFIG)
    write(root / "evidence/t1.pdf", "x")
    env = {**os.environ, "GIT_AUTHOR_NAME": "督查室", "GIT_AUTHOR_EMAIL": "d@example.org",
           "GIT_COMMITTER_NAME": "督查室", "GIT_COMMITTER_EMAIL": "d@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    subject = lambda: subprocess.run(["git", "log", "-1", "--format=%s"], cwd=root, capture_output=True,  # noqa: E731
                                     text=True, check=True).stdout.strip()
    assert run("submit", "T-1", "--evidence", "evidence/t1.pdf", "--author", "甲局 <a@example.org>", "--commit",
               cwd=root)[0] == 0
    assert subject() == "rectify: T-1 未启动 → 申请销号"
    assert run("review", "T-1", "--approve", "--by", "牵头单位", "--author", "甲局 <a@example.org>", "--commit",
               cwd=root)[0] == 0
    assert subject() == "rectify: T-1 销号审核同意：牵头单位"


def test_the_periodic_report_names_who_has_not_reported_as_status_does(quarter):
    """本期未按时报送进展: the same tasks `status --status missing-progress` lists on the period's last day."""
    missing = quarter.ids("2025-08-31", "missing-progress")
    assert missing  # the quarter has units behind on their monthly note
    code, out, _ = quarter.run("report", "P", "--since", "2025-07-31", "--as-of", "2025-08-31", "--lang", "zh",
                               cwd=quarter.root)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("本期未按时报送进展"))
    assert line.startswith(f"本期未按时报送进展 {len(missing)} 项：")
    assert all(f"{task_id}「" in line for task_id in missing)
@pytest.mark.parametrize("sep", [":", "/"])
def test_the_supervision_verbs_take_both_forms_of_an_item_reference(small, run, sep):
    """PLAN:ID and PLAN/ID (what `history` prints) name the item in submit,
    review, duban, reply and lookback as in every other verb."""
    path = small / "plans/p/tasks.yaml"

    def step(*args: str) -> str:
        before = path.read_text(encoding="utf-8")
        code, _, err = run(*args, "--lang", "en")
        assert code == 0, (args, err)
        after = path.read_text(encoding="utf-8")
        assert after != before, args
        return after

    ref = lambda item: f"P{sep}{item}"  # noqa: E731
    step("submit", ref("T-1"), "--evidence", "e.pdf", "--date", "2025-07-15")
    step("review", ref("T-1"), "--approve", "--by", "巡察办", "--date", "2025-07-16")
    step("close", ref("T-1"), "--by", "巡察办", "--date", "2025-07-17")
    assert "result: 巩固" in step("lookback", ref("T-1"), "--result", "巩固", "--by", "巡察办", "--date", "2025-08-20")
    step("duban", ref("T-3"), "--level", "蓝", "--by", "督查室", "--date", "2025-08-06")
    assert "reply: 收到" in step("reply", ref("T-3"), "收到", "--date", "2025-08-07")
    # the other plan's form is refused, not taken for this plan's item
    code, _, err = run("reply", f"Q{sep}T-3", "again", "--lang", "en")
    assert code == 2, err


def test_a_reply_date_counts_rectify_yaml_s_days_as_the_judge_does(tmp_path, run):
    """A 督办's reply date, as the agenda and the 督办 sheets print it, is counted on the
    calendar the judge uses: the plan's days over rectify.yaml's (an office closure here)."""
    root = tmp_path / "ledger"
    write(root / "plans" / "plan.yaml", PLAN)
    write(root / "plans" / "issues.yaml", ISSUES)
    write(root / "plans" / "tasks.yaml", TASKS.replace(
        "      - {date: 2025-07-01, note: 已启动}\n",
        "      - {date: 2025-07-01, note: 已启动}\n"
        "    duban:\n"
        "      - {date: 2025-08-04, level: 黄, by: 督查室, reply_by: 2 working days after issued}\n"))
    write(root / "rectify.yaml", "calendar:\n  extra_holidays: [2025-08-05]\n")  # closed: the 2nd working day is 08-07
    code, out, _ = run("agenda", "--escalate", "--as-of", "2025-08-08", "--lang", "zh", cwd=root)
    assert "T-3「补齐党员档案」2025-08-04 的黄色督办未在 2025-08-07 前回复" in out, out
    items = {i["id"]: i for i in json.loads(run("agenda", "--escalate", "--format", "json", "--as-of", "2025-08-07",
                                                "--lang", "zh", cwd=root)[1])["items"]}
    assert not any(d["unanswered"] for d in items.get("T-3", {"duban": []})["duban"])  # due that day: not yet late
