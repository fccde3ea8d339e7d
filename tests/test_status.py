"""`rectify status` and `rectify agenda`: golden tables in both languages, JSON shape, CJK alignment."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from .conftest import REPO, write

GOLDEN = Path(__file__).parent / "golden"
PANYU = ("tests/fixtures/panyu-states", "--as-of", "2025-06-20")  # the notice with states made up for these tests


def _golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    assert actual == path.read_text(encoding="utf-8"), f"differs from {path}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_status_by_category_golden(run, lang):
    code, stdout, _ = run("status", *PANYU, "--by", "category", "--status", "doing", "--lang", lang, cwd=REPO)
    assert code == 0
    _golden(f"status_panyu_category_{lang}.txt", stdout)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_agenda_golden(run, lang):
    code, stdout, _ = run("agenda", *PANYU, "--days", "10", "--lang", lang, cwd=REPO)
    assert code == 0
    _golden(f"agenda_panyu_{lang}.txt", stdout)


def test_cjk_columns_align(run):
    code, stdout, _ = run("status", *PANYU, "--lang", "zh", cwd=REPO)
    assert code == 0
    rows = [line for line in stdout.splitlines() if line.lstrip().startswith("T-")]
    assert len(rows) == 98
    # the due-date column starts at the same display cell on every row
    starts = set()
    for row in rows:
        due = next(tok for tok in row.split() if tok[:2] in ("20", "长期", "无期", "原 "))
        starts.add(cell_len(row[: row.index(due)]))
    assert len(starts) == 1, starts
    assert len({cell_len(row.rstrip()) for row in rows if "已完成" in row}) <= 2


def test_status_json_shape(run):
    code, stdout, _ = run("status", *PANYU, "--format", "json", cwd=REPO)
    assert code == 0
    data = json.loads(stdout)
    assert data["as_of"] == "2025-06-20"
    assert data["total"]["total"] == 98 == len(data["items"])
    assert data["total"]["done"] + data["total"]["closed"] + data["total"]["doing"] + data["total"]["ongoing"] == 98
    assert data["plans"][0]["id"] == "panyu-xuncha-2024"
    assert {m["id"] for m in data["plans"][0]["milestones"]} == {"plan-due", "report-due"}
    item = data["items"][0]
    assert set(item) >= {"id", "plan", "issue", "title", "lead", "due", "working_days_left", "status", "overdue", "done_late"}


def test_status_csv_neutralises_formulas(run, tmp_path):
    _ledger(tmp_path, title="=HYPERLINK(\"http://x\")")
    code, stdout, _ = run("status", "--as-of", "2025-12-01", "--format", "csv", cwd=tmp_path)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert rows[0]["title"].startswith("'=")


def _ledger(tmp_path, title="措施一", tasks=""):
    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\ntitle: 测试计划\nowner: 办公室\n"
          "events:\n  received: 2025-11-05\nmilestones:\n  - id: plan-due\n    title: 制定整改方案\n"
          "    due: 20 working days after received\nphases:\n  - id: rectify\n    title: 整改阶段\n"
          "    window: 2025年11月至2026年1月\n")
    write(tmp_path / "plans/issues.yaml", "kind: issues\nplan: p\nissues:\n  - id: I-1\n    category: 政策环境\n    title: 问题一\n")
    body = tasks or (
        f"  - id: T-1\n    issue: I-1\n    title: '{title}'\n    lead: 市人社局\n    due: 2025-12-31\n    status: doing\n"
    )
    write(tmp_path / "plans/tasks.yaml", "kind: tasks\nplan: p\ntasks:\n" + body)


def test_header_shows_phase_and_milestones(run, tmp_path):
    _ledger(tmp_path)
    code, stdout, _ = run("status", "--as-of", "2025-11-24", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    # 2025-11-24 → 2026-01-31: the phase window end; working days counted on the CN calendar
    assert "整改阶段 · 剩余" in stdout and "（至 2026-01-31）" in stdout
    assert "○ 制定整改方案：2025-12-03，剩余 7 个工作日" in stdout


def test_extension_shows_original_and_current_due(run, tmp_path):
    tasks = (
        "  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n    due: 2025-12-31\n    status: doing\n"
        "    extensions:\n      - {to: 2026-03-31, approved_by: 分管领导, date: 2025-12-20, reason: 需协调省级部门}\n"
    )
    _ledger(tmp_path, tasks=tasks)
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--lang", "en", cwd=tmp_path)
    assert code == 0
    assert "was 2025-12-31 → 2026-03-31" in stdout
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", "json", cwd=tmp_path)
    overdue = [o["id"] for o in json.loads(stdout)["overdue"]]
    assert overdue == ["plan-due"]  # T-1's approved extension is the deadline that counts


def test_extension_without_approval_is_a_check_error(run, tmp_path):
    tasks = (
        "  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n    due: 2025-12-31\n    status: doing\n"
        "    extensions:\n      - {to: 2026-03-31, date: 2025-12-20}\n"
    )
    _ledger(tmp_path, tasks=tasks)
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "extension lacks approved_by" in stdout and "extension lacks reason" in stdout


def test_done_late_is_marked(run, tmp_path):
    tasks = "  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n    due: 2025-12-31\n    status: done\n    done: 2026-01-04\n"
    _ledger(tmp_path, tasks=tasks)
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--lang", "zh", "--format", "json", cwd=tmp_path)
    assert json.loads(stdout)["items"][0]["done_late"] is True
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--lang", "zh", cwd=tmp_path)
    row = next(line for line in stdout.splitlines() if line.lstrip().startswith("T-1 "))
    assert row.rstrip().endswith("逾期完成") and "已完成" not in row  # not 已完成 (逾期完成)


def test_closed_late_uses_full_width_brackets_in_chinese(run, tmp_path):
    tasks = ("  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n    due: 2025-12-31\n    status: closed\n"
             "    done: 2026-01-04\n    closed_by: 督查室\n    evidence: [https://example.org/a.pdf]\n")
    _ledger(tmp_path, tasks=tasks)
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--lang", "zh", cwd=tmp_path)
    assert "已销号（逾期完成）" in stdout and " (" not in stdout
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--lang", "en", cwd=tmp_path)
    assert "closed (done late)" in stdout


def test_unit_filter_and_status_filter(run):
    code, stdout, _ = run("status", *PANYU, "--unit", "区纪委监委", "--format", "json", cwd=REPO)
    data = json.loads(stdout)
    assert data["items"] and all("区纪委监委" in (i["lead"] + "".join(i["support"])) for i in data["items"])
    code, stdout, _ = run("status", *PANYU, "--status", "长期坚持", "--format", "json", cwd=REPO)
    assert {i["status"] for i in json.loads(stdout)["items"]} == {"ongoing"}
    code, _, stderr = run("status", *PANYU, "--status", "bogus", "--lang", "en", cwd=REPO)
    assert code == 2 and "--status: 'bogus' is not a status" in stderr


def test_status_on_invalid_files_points_to_check(run, tmp_path):
    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\n")
    code, _, stderr = run("status", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "missing required key title" in stderr and "run rectify check" in stderr


def test_several_paths_are_aggregated(run):
    code, stdout, _ = run(
        "status", "tests/fixtures/panyu-states", "examples/qingyuan-rd-xuncha-2025",
        "--as-of", "2026-01-21", "--format", "json", cwd=REPO,
    )
    data = json.loads(stdout)
    assert {p["id"] for p in data["plans"]} == {"panyu-xuncha-2024", "qingyuan-rd-xuncha-2025"}
    assert data["total"]["total"] == 98 + 24


def test_issue_status_is_derived_from_its_tasks(run, tmp_path):
    _ledger(tmp_path)
    write(tmp_path / "plans/issues.yaml", "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 理论武装不够\n"
          "  - id: I-2\n    title: 任前公示不规范\n")
    write(tmp_path / "plans/tasks.yaml", "kind: tasks\nplan: p\ntasks:\n"
          "  - {id: T-1, issue: I-1, title: 落实第一议题, lead: 办公室, due: 2025-06-30, status: done, done: 2025-06-20}\n"
          "  - {id: T-2, issue: I-1, title: 纳入学习计划, lead: 办公室, due: 长期坚持, status: ongoing}\n"
          "  - {id: T-3, issue: I-2, title: 规范公示, lead: 办公室, due: 2025-06-30, status: done, done: 2025-06-20}\n")
    args = ("status", "--as-of", "2026-01-21")
    code, stdout, _ = run(*args, "--by", "issue", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    assert "I-1 理论武装不够 · 长期坚持" in stdout  # one measure done, one ongoing
    assert "I-2 任前公示不规范 · 已完成" in stdout
    data = json.loads(run(*args, "--format", "json", cwd=tmp_path)[1])
    states = {i["id"]: i["status"] for i in data["issues"]}
    assert states["I-1"] == "ongoing" and states["I-2"] == "done"


def test_issue_status_rules():
    from rectify_cli.model import Status
    from rectify_cli.overview import issue_status

    def tasks(*statuses):  # an issue's state follows its tasks' states
        return list(statuses)

    assert issue_status(tasks(Status.CLOSED, Status.CLOSED)) is Status.CLOSED
    assert issue_status(tasks(Status.CLOSED, Status.DONE, Status.CANCELLED)) is Status.DONE
    assert issue_status(tasks(Status.DONE, Status.TODO)) is Status.DOING
    assert issue_status(tasks(Status.TODO)) is Status.TODO
    assert issue_status([]) is Status.TODO


def test_language_from_environment_and_locale(run, monkeypatch):
    monkeypatch.setenv("RECTIFY_LANG", "en")
    assert "Due in the next" in run("agenda", *PANYU, cwd=REPO)[1]
    monkeypatch.delenv("RECTIFY_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "未来 10 个工作日内" in run("agenda", *PANYU, cwd=REPO)[1]
    assert "Due in the next" in run("agenda", *PANYU, "--lang", "en", cwd=REPO)[1]


def test_piped_output_is_plain_text_and_terminal_gets_colour(run, monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    code, stdout, _ = run("status", *PANYU, "--status", "doing", cwd=REPO)
    assert code == 0 and "\x1b[" not in stdout  # not a terminal: no escape codes

    from rectify_cli.cli import common

    monkeypatch.setattr(common, "colour_enabled", lambda stream=None: True)
    code, stdout, _ = run("status", *PANYU, "--status", "doing", cwd=REPO)
    assert "\x1b[" in stdout


def test_agenda_csv_is_csv(run):
    code, stdout, _ = run("agenda", *PANYU, "--days", "10", "--format", "csv", cwd=REPO)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert rows and rows[0]["unit"] == "区交通运输局" and rows[0]["id"] == "T-22-1" and rows[0]["due"] == "2025-06-30"
    assert {r["unit"] for r in rows} >= {"区交通运输局", "区政务服务数据管理局"}


@pytest.mark.parametrize(("word", "by"), [("单位", "unit"), ("牵头单位", "unit"), ("类别", "category"), ("问题", "issue"), ("计划", "plan")])
def test_by_takes_chinese_words_like_status_does(run, word, by):
    code, stdout, stderr = run("status", *PANYU, "--by", word, "--format", "json", cwd=REPO)
    assert code == 0, stderr
    assert json.loads(stdout)["by"] == by


def test_bad_by_lists_the_chinese_words_in_zh(run):
    code, _, stderr = run("status", *PANYU, "--by", "科室", "--lang", "zh", cwd=REPO)
    assert code == 2 and "可用：计划、类别、问题、单位" in stderr
    code, _, stderr = run("status", *PANYU, "--status", "bogus", "--lang", "zh", cwd=REPO)
    assert code == 2 and "可用：未启动、推进中、已完成" in stderr
