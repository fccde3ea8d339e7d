"""`rectify import`: an Excel/CSV ledger becomes plan files that load cleanly; export →
import → export is stable; untidy real ledgers are read; nothing is dropped or overwritten."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from .conftest import REPO
from .test_check_cli import EXAMPLES, summary_ok
from .test_report_support import AS_OF, write_demo

PANYU = REPO / "examples" / "panyu-xuncha-2024"


def _open(path: Path, as_of: str = AS_OF):
    from rectify_cli.problems import Severity
    from rectify_cli.workspace import open_workspace

    ws = open_workspace([path], dt.date.fromisoformat(as_of))
    errors = [p for p in ws.problems if p.severity is Severity.ERROR]
    assert errors == [], errors
    return ws


def _cells(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    return [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_demo(run, tmp_path, fmt):
    plans = write_demo(tmp_path)
    first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
    assert run("export", str(plans), "--format", fmt, "--as-of", AS_OF, "--out", str(first), "--lang", "zh", cwd=tmp_path)[0] == 0
    code, stdout, _ = run("import", str(first), "--plan", "demo", "--out", "imported", "--lang", "zh", cwd=tmp_path)
    assert code == 0, stdout
    assert sorted(p.name for p in (tmp_path / "imported").iterdir()) == ["import-report.txt", "issues.yaml", "plan.yaml", "tasks.yaml"]
    ws = _open(tmp_path / "imported")
    # I-04 has no measure, so no ledger row: the workbook's issue list carries it, a CSV file cannot
    assert len(ws.repository.tasks) == 7 and len(ws.repository.issues) == (4 if fmt == "xlsx" else 3)
    assert run("export", "imported", "--format", fmt, "--as-of", AS_OF, "--out", str(second), "--lang", "zh", cwd=tmp_path)[0] == 0
    if fmt == "xlsx":
        assert _cells(first) == _cells(second)
    else:
        assert first.read_bytes() == second.read_bytes()
    task = next(t for t in ws.repository.tasks if t.id == "T-01-2")
    assert task.title.startswith("=HYPERLINK(")  # the neutralising quote is removed again
    closed = next(t for t in ws.repository.tasks if t.id == "T-03-3")
    assert closed.notes == "分项说明, 含逗号; 分号\\反斜杠"
    assert closed.evidence == ("https://example.org/evidence/T-03-3.pdf",)


def test_round_trip_panyu_csv(run, tmp_path):
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    args = ("--format", "csv", "--as-of", "2025-03-28", "--lang", "zh")
    assert run("export", str(PANYU), *args, "--out", str(first), cwd=tmp_path)[0] == 0
    assert run("import", str(first), "--plan", "panyu-xuncha-2024", "--out", "p", cwd=tmp_path)[0] == 0
    ws = _open(tmp_path / "p", "2025-03-28")
    assert len(ws.repository.issues) == 41 and len(ws.repository.tasks) == 98
    assert run("export", "p", *args, "--out", str(second), cwd=tmp_path)[0] == 0
    assert first.read_bytes() == second.read_bytes()


def _untidy_ledger(path: Path) -> None:
    """A ledger as units really send it: title row, variant headers, merged issue cells,
    section rows, dates in every form, status words, and rows that cannot be tasks."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["某区巡察整改台账"])
    ws.merge_cells("A1:I1")
    ws.append(["序号", "存在问题", "整改任务", "责任单位", "协办单位", "责任人", "整改时限", "进展情况", "整改状态", "佐证"])
    ws.append(["一、关于政策环境方面"])
    ws.append([1, "惠企政策宣传不到位", "印发宣传方案", "区人社局", "区财政局，区税务局", "张三", dt.datetime(2025, 12, 31), "2025-12-01 已印发\n正在推进", "已完成", "a.pdf；b.pdf"])
    ws.append([None, None, "举办宣讲会", "区人社局", None, None, 46022, None, "推进中"])
    ws.merge_cells("B4:B5")
    ws.append([2, "补贴申请不透明", "公开流程", "区商务局", None, None, "2025年12月31日前", None, "整改中"])
    ws.append([None, "补贴申请不透明", "建立联络员队伍", "区商务局", None, None, "2025.12.31", None, "需要长期整改"])
    ws.append(["二、关于法治环境方面"])
    ws.append([3, "执法案卷不规范", "案卷评查", "区司法局", None, None, "长期坚持", None, "持续整改"])
    ws.append([None, "执法案卷不规范", "修订标准", "区司法局", None, None, "10月下旬", None, "有点进展"])
    ws.append([None, "执法案卷不规范", "印发结果", "区司法局", None, None, "年底前后看情况", None, None])
    ws.append([None, "执法案卷不规范", "没有牵头单位的措施", None, None, None, None, None, None])
    ws.append([None, None, None, None, None, None, None, None, None, None])
    ws.append([None, None, None, None, None, "孤立的备注", None, None, None, None])
    wb.save(path)


def test_untidy_ledger(run, tmp_path):
    ledger = tmp_path / "台账.xlsx"
    _untidy_ledger(ledger)
    code, stdout, _ = run("import", str(ledger), "--plan", "qu-2025", "--lang", "zh", cwd=tmp_path)
    assert code == 1  # rows left out: they are in the report
    directory = tmp_path / "plans" / "qu-2025"
    ws = _open(directory, "2025-11-01")
    repo = ws.ledger.repository  # the files as imported, not as of a day
    assert repo.plans[0].title == "某区巡察整改台账"
    assert [(i.id, i.category, i.title) for i in repo.issues] == [
        ("I-01", "政策环境", "惠企政策宣传不到位"), ("I-02", "政策环境", "补贴申请不透明"), ("I-03", "法治环境", "执法案卷不规范"),
    ]
    tasks = {t.id: t for t in repo.tasks}
    assert list(tasks) == ["T-01-1", "T-01-2", "T-02-1", "T-02-2", "T-03-1", "T-03-2", "T-03-3"]
    first = tasks["T-01-1"]
    assert (first.lead, first.support, first.owner) == ("区人社局", ("区财政局", "区税务局"), "张三")
    assert first.due.text == "2025-12-31" and first.status.value == "done"
    assert [(p.date, p.note) for p in first.progress] == [(dt.date(2025, 12, 1), "已印发")]
    assert first.notes == "正在推进" and first.evidence == ("a.pdf", "b.pdf")
    assert tasks["T-01-2"].due.text == "2025-12-31" and tasks["T-01-2"].issue == "I-01"  # serial 46022, merged issue
    assert tasks["T-02-1"].due.text == "2025-12-31" and tasks["T-02-1"].status.value == "doing"
    assert tasks["T-02-2"].due.text == "2025-12-31" and tasks["T-02-2"].status.value == "ongoing"
    assert tasks["T-03-1"].due.text == "长期坚持"
    assert tasks["T-03-2"].due.text == "10月下旬" and tasks["T-03-2"].status.value == "todo"
    assert tasks["T-03-3"].due is None
    assert "x-due: 年底前后看情况" in (directory / "tasks.yaml").read_text(encoding="utf-8")
    report = (directory / "import-report.txt").read_text(encoding="utf-8")
    assert "未导入 2 行" in report
    assert "第 10 行：完成情况 '有点进展' 无法识别" in report
    assert "第 11 行：完成时限 '年底前后看情况' 无法识别" in report
    assert "第 12 行：没有牵头单位" in report and "没有牵头单位的措施" in report
    assert "第 14 行：既没有问题也没有整改措施" in report and "孤立的备注" in report
    assert report.splitlines()[1] in stdout  # printed as well as saved


def test_gbk_csv_and_header_variants(run, tmp_path):
    ledger = tmp_path / "ledger.csv"
    ledger.write_bytes("问题描述,整改措施,主责单位,完成时间,完成情况\n问题甲,措施甲,区财政局,2026/3/31,未启动\n".encode("gb18030"))
    code, _, _ = run("import", str(ledger), "--plan", "p1", "--out", "out", cwd=tmp_path)
    assert code == 0
    task = _open(tmp_path / "out").repository.tasks[0]
    assert (task.title, task.lead, task.due.text, task.status.value) == ("措施甲", "区财政局", "2026-03-31", "todo")


def test_never_overwrites(run, tmp_path):
    plans = write_demo(tmp_path)
    ledger = tmp_path / "l.csv"
    assert run("export", str(plans), "--format", "csv", "--as-of", AS_OF, "--out", str(ledger), cwd=tmp_path)[0] == 0
    before = (plans / "demo" / "tasks.yaml").read_bytes()
    code, _, stderr = run("import", str(ledger), "--plan", "demo", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "tasks.yaml already exists" in stderr or "issues.yaml already exists" in stderr
    assert (plans / "demo" / "tasks.yaml").read_bytes() == before
    assert not (plans / "demo" / "import-report.txt").exists()


def test_existing_plan_file_is_kept(run, tmp_path):
    plans = write_demo(tmp_path)
    ledger = tmp_path / "l.csv"
    assert run("export", str(plans), "--format", "csv", "--as-of", AS_OF, "--out", str(ledger), cwd=tmp_path)[0] == 0
    for name in ("issues.yaml", "tasks.yaml"):
        (plans / "demo" / name).unlink()
    plan_before = (plans / "demo" / "plan.yaml").read_bytes()
    assert run("import", str(ledger), "--plan", "demo", cwd=tmp_path)[0] == 0
    assert (plans / "demo" / "plan.yaml").read_bytes() == plan_before
    assert len(_open(plans).repository.tasks) == 7
    code, _, stderr = run("import", str(ledger), "--plan", "other", "--out", str(plans / "demo2"), cwd=tmp_path)
    assert code == 0
    (plans / "demo2" / "plan.yaml").unlink()
    for name in ("issues.yaml", "tasks.yaml", "import-report.txt"):
        (plans / "demo2" / name).unlink()
    (plans / "demo2" / "plan.yaml").write_bytes(plan_before)
    code, _, stderr = run("import", str(ledger), "--plan", "other", "--out", str(plans / "demo2"), "--lang", "en", cwd=tmp_path)
    assert code == 2 and "not --plan other" in stderr


def test_dry_run_writes_nothing(run, tmp_path):
    plans = write_demo(tmp_path)
    ledger = tmp_path / "l.xlsx"
    assert run("export", str(plans), "--format", "xlsx", "--as-of", AS_OF, "--out", str(ledger), cwd=tmp_path)[0] == 0
    code, stdout, _ = run("import", str(ledger), "--plan", "x", "--dry-run", "--lang", "en", cwd=tmp_path)
    assert code == 0
    assert "would write plans/x/tasks.yaml" in stdout and "dry run" in stdout
    assert not (tmp_path / "plans" / "x").exists()


def test_not_a_ledger(run, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    code, _, stderr = run("import", str(bad), "--plan", "x", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "no header row" in stderr
    code, _, stderr = run("import", str(tmp_path / "missing.xlsx"), "--plan", "x", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "no such file" in stderr
    assert not (tmp_path / "plans").exists()


def test_dates_in_every_form():
    from rectify_cli.formats.tables import parse_date, split_dated

    day = dt.date(2025, 12, 31)
    for value in (day, dt.datetime(2025, 12, 31, 0, 0), 46022, 46022.0, "46022", "2025-12-31", "2025/12/31",
                  "2025.12.31", "2025年12月31日", "2025年12月31日前", "2025 年 12 月 31 日"):
        assert parse_date(value) == day, value
    for value in ("长期坚持", "10月下旬", "2025-13-01", 12, "", None, True):
        assert parse_date(value) is None, value
    assert split_dated("2025年12月1日：已印发方案") == (dt.date(2025, 12, 1), "已印发方案")
    assert split_dated("正在推进") == (None, "正在推进")


def _workbook(path: Path) -> dict[str, object]:
    """Every sheet's cell values, and which columns are hidden: what a reader and import see."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {
        ws.title: ([[c.value for c in row] for row in ws.iter_rows()],
                   sorted(k for k, d in ws.column_dimensions.items() if d.hidden))
        for ws in wb.worksheets
    }


@pytest.mark.parametrize("path,as_of", sorted(EXAMPLES.items()))
def test_xlsx_round_trip_is_lossless_for_every_example(run, tmp_path, path, as_of):
    """export → import into an empty directory → export gives the same workbook, and the
    imported files pass check (evidence files travel beside the ledger, not in it)."""
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    args = ("--format", "xlsx", "--as-of", as_of, "--lang", "zh")
    assert run("export", str(REPO / path), *args, "--out", str(first), cwd=tmp_path)[0] == 0
    plan_id = _open(REPO / path, as_of).repository.plans[0].id
    code, stdout, _ = run("import", str(first), "--plan", plan_id, "--out", "imported", cwd=tmp_path)
    assert code == 0, stdout
    for evidence in (REPO / path).rglob("evidence"):
        shutil.copytree(evidence, tmp_path / "imported" / evidence.relative_to(REPO / path))
    assert run("export", "imported", *args, "--out", str(second), cwd=tmp_path)[0] == 0
    assert _workbook(first) == _workbook(second)
    hidden = _workbook(first)["整改台账"][1]
    assert len(hidden) == 3  # 计划编号, 问题编号, 任务编号
    code, stdout, _ = run("check", "imported", "--as-of", as_of, "--lang", "en", cwd=tmp_path)
    assert code == 0 and summary_ok(path, stdout), stdout


def _facts(ws) -> list[tuple]:
    """The model without positions: what an import must carry over."""
    repo = ws.repository
    plan = repo.plans[0]
    tasks = [(t.id, t.issue, t.title, t.lead, t.support, t.owner, t.due.text if t.due else None, t.status, t.done,
              t.closed_by, t.closed, t.evidence, [(p.date, p.note) for p in t.progress],
              [(e.to.text, e.approved_by, e.date, e.reason) for e in t.extensions],
              [(r.date, r.reason, r.by) for r in t.reopened], t.notes) for t in repo.tasks]
    issues = [(i.id, i.category, i.title, i.description) for i in repo.issues]
    return [(plan.id, plan.title, plan.owner, plan.issuer, plan.calendar.country, plan.responsibility, plan.next_steps,
             [(e.name, e.date, e.names) for e in plan.events],
             [(m.id, m.title, m.due.text if m.due else None, m.status, m.done, m.evidence) for m in plan.milestones],
             [(p.id, p.title, p.window.text if p.window else None) for p in plan.phases]), issues, tasks]


def test_xlsx_round_trip_keeps_extensions_reopenings_and_closed_by(run, tmp_path):
    plans = write_demo(tmp_path)
    tasks = plans / "demo" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    text = text.replace("    due: 2025-12-31\n    status: todo\n", "    due: 2025-12-31\n    status: todo\n    extensions:\n"
                        "      - {to: 2026-03-31, approved_by: 主任会议, date: 2025-12-20, reason: 跨年度推进}\n"
                        "      - {to: 10 working days after hearing, approved_by: 分管副市长, reason: 等待听证}\n")
    text = text.replace("    due: 2025-12-10\n    status: done\n", "    due: 2025-12-10\n    status: done\n    reopened:\n"
                        "      - {date: 2025-12-12, reason: 回头看发现反弹, by: 督查组}\n")
    tasks.write_text(text, encoding="utf-8")
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    args = ("--format", "xlsx", "--as-of", AS_OF, "--lang", "zh")
    assert run("export", str(plans), *args, "--out", str(first), cwd=tmp_path)[0] == 0
    assert run("import", str(first), "--plan", "demo", "--out", "imported", cwd=tmp_path)[0] == 0
    before, after = _open(plans), _open(tmp_path / "imported")
    assert _facts(after) == _facts(before)
    closed = next(t for t in after.repository.tasks if t.id == "T-03-3")
    assert closed.closed_by == "市人大常委会预算工委"
    assert run("export", "imported", *args, "--out", str(second), cwd=tmp_path)[0] == 0
    assert _workbook(first) == _workbook(second)


def test_columns_rectify_has_no_field_for_are_kept_not_dropped(run, tmp_path):
    """具体表现, 整改目标 and 责任人 used to vanish beside 责任领导 (a second owner column) and
    any unknown column was dropped without a word; 是否销号=是 with a 销号时间 is closed,
    部分整改 is work under way."""
    import yaml

    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "序号,问题,具体表现,整改目标,整改措施,责任单位,责任领导,责任人,整改状态,是否销号,销号时间,督导组意见\n"
        "1,学习不深入,中心组学习流于形式,每季度集中学习,制定学习计划,办公室,王副主任,李科长,已完成,是,2025-12-20,同意销号\n"
        "2,学习不深入,中心组学习流于形式,每季度集中学习,开展专题学习,组织部,王副主任,张科长,部分整改,否,,继续推进\n",
        encoding="utf-8",
    )
    code, out, err = run("import", str(ledger), "--plan", "p", "--out", str(tmp_path / "p"), cwd=tmp_path)
    assert code == 0, out + err
    # no --lang, no locale, no plan files yet: the ledger's Chinese headers choose the report's language
    assert "台账.csv：读取 2 行，生成问题 1 个、任务 2 项，未导入 0 行" in out
    report = (tmp_path / "p" / "import-report.txt").read_text(encoding="utf-8")
    assert "责任人" in report and "x-责任人" in report and "督导组意见" in report and "x-督导组意见" in report
    issues = yaml.safe_load((tmp_path / "p" / "issues.yaml").read_text(encoding="utf-8"))["issues"]
    assert issues[0]["finding"] == "中心组学习流于形式" and issues[0]["target"] == "每季度集中学习"
    tasks = yaml.safe_load((tmp_path / "p" / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]
    first, second = tasks
    assert first["owner"] == "王副主任" and first["x-责任人"] == "李科长" and first["x-督导组意见"] == "同意销号"
    assert first["status"] == "closed" and first["closed"] == dt.date(2025, 12, 20)
    assert "closed_by, evidence" in report  # the ledger names neither: check will ask, nothing is invented
    assert "closed_by" not in first
    assert second["status"] == "doing" and second["x-责任人"] == "张科长"
