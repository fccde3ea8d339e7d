"""`rectify import LEDGER.xlsx --update`: a unit's returned ledger applied to the live plan
files through the edit actions, row by row: what units report is applied byte for byte as
the CLI verbs would, what they may not change is refused with its row and reason, the
rest still applied; --dry-run writes nothing; writes are all or none; --commit as the unit."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from .test_report_support import AS_OF, write_demo

TASKS = Path("plans/demo/tasks.yaml")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def demo(tmp_path, monkeypatch) -> Path:
    """The demo plan in a git repository, with one evidence file a unit can name."""
    for var, value in {"GIT_AUTHOR_NAME": "督查室", "GIT_AUTHOR_EMAIL": "dcs@example.cn",
                       "GIT_COMMITTER_NAME": "督查室", "GIT_COMMITTER_EMAIL": "dcs@example.cn",
                       "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}.items():
        monkeypatch.setenv(var, value)
    root = tmp_path / "repo"
    write_demo(root)
    (root / "plans/demo/evidence").mkdir()
    (root / "plans/demo/evidence/评查报告.pdf").write_bytes(b"%PDF-1.4\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    return root


def _export(run, root: Path, name: str = "ledger.xlsx") -> Path:
    code, _, stderr = run("export", "plans", "--format", "xlsx", "--as-of", AS_OF, "--out", name, "--lang", "zh", cwd=root)
    assert code == 0, stderr
    return root / name


def _edit(path: Path, out: Path, edits: dict[str, dict[str, object]], extra_rows: list[dict[str, object]] = ()) -> dict[str, int]:
    """Change cells as a unit would in Excel (by task id and header), save as `out`;
    returns the sheet row number of each task."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    col = {c.value: c.column for c in ws[1]}
    rows = {ws.cell(r, col["任务编号"]).value: r for r in range(2, ws.max_row + 1)}
    for task, cells in edits.items():
        for header, value in cells.items():
            ws.cell(rows[task], col[header]).value = value
    for extra in extra_rows:
        r = ws.max_row + 1
        for header, value in extra.items():
            ws.cell(r, col[header]).value = value
        rows[str(extra.get("任务编号"))] = r
    wb.save(out)
    return rows


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "plans").rglob("*")) if p.is_file()}


UNIT_EDITS = {
    "T-01-2": {"整改进展": "2026-01-10 已召开推进会"},  # a progress note added
    "T-03-1": {"完成情况": "已完成", "完成日期": dt.datetime(2026, 1, 15), "佐证材料": "evidence/评查报告.pdf"},
    "T-03-2": {"整改措施": "修订并印发案卷标准"},  # a title changed: refused
    "T-02-2": {"完成时限": dt.datetime(2026, 6, 30)},  # a deadline moved without an extension: refused
}
UNKNOWN = {"任务编号": "T-09-9", "计划编号": "demo", "整改措施": "新增的措施", "牵头单位": "市司法局"}


def test_unit_edits_applied_and_refused_row_by_row(run, demo):
    rows = _edit(_export(run, demo), demo / "returned.xlsx", UNIT_EDITS, [UNKNOWN])
    code, stdout, stderr = run("import", "returned.xlsx", "--update", "--lang", "zh", cwd=demo)
    assert code == 1, stdout + stderr  # some rows refused, the rest applied
    assert f"第 {rows['T-01-2']} 行 T-01-2：已应用（整改进展）" in stdout
    assert f"第 {rows['T-03-1']} 行 T-03-1：已应用" in stdout
    assert f"第 {rows['T-03-2']} 行 T-03-2：未应用：整改措施不能由责任单位修改（现为 修订案卷标准，台账中为 修订并印发案卷标准）" in stdout
    assert f"第 {rows['T-02-2']} 行 T-02-2：未应用：完成时限从 2025-12-10 改为 2026-06-30，但没有经批准的延期" in stdout
    assert f"第 {rows['T-09-9']} 行 T-09-9：未应用：计划中没有任务 T-09-9" in stdout
    assert "已应用 2 行，拒绝 3 行" in stdout

    from rectify_cli.workspace import open_workspace

    ws = open_workspace([demo / "plans"], dt.date.fromisoformat(AS_OF))
    tasks = {t.id: t for t in ws.repository.tasks}
    assert [(p.date, p.note) for p in tasks["T-01-2"].progress] == [(dt.date(2026, 1, 10), "已召开推进会")]
    done = tasks["T-03-1"]
    assert (done.status.value, done.done, done.evidence) == ("done", dt.date(2026, 1, 15), ("evidence/评查报告.pdf",))
    assert tasks["T-03-2"].title == "修订案卷标准" and tasks["T-02-2"].due.text == "2025-12-10"
    assert not [p for p in ws.problems if p.severity.value in ("error", "violation")]


def test_same_bytes_as_the_cli_verbs(run, demo, tmp_path):
    """The update goes through the edit actions: the file is what `progress` and `done` write."""
    verbs = tmp_path / "verbs"
    shutil.copytree(demo, verbs)
    _edit(_export(run, demo), demo / "returned.xlsx", {k: UNIT_EDITS[k] for k in ("T-01-2", "T-03-1")})
    assert run("import", "returned.xlsx", "--update", cwd=demo)[0] == 0  # every row applied
    assert run("progress", "T-01-2", "已召开推进会", "--date", "2026-01-10", cwd=verbs)[0] == 0
    assert run("done", "T-03-1", "--date", "2026-01-15", "--evidence", "plans/demo/evidence/评查报告.pdf", cwd=verbs)[0] == 0
    assert (demo / TASKS).read_bytes() == (verbs / TASKS).read_bytes()


def test_dry_run_prints_the_diff_and_writes_nothing(run, demo):
    _edit(_export(run, demo), demo / "returned.xlsx", UNIT_EDITS, [UNKNOWN])
    before = _snapshot(demo)
    code, stdout, stderr = run("import", "returned.xlsx", "--update", "--dry-run", "--lang", "en", cwd=demo)
    assert code == 1
    assert _snapshot(demo) == before
    assert "--- a/plans/demo/tasks.yaml" in stdout and "+    done: 2026-01-15" in stdout
    assert "+      - {date: 2026-01-10, note: 已召开推进会}" in stdout
    assert "dry run: no files written" in stderr


@pytest.mark.parametrize("task,cells,reason", [
    ("T-01-1", {"完成情况": "推进中"}, "needs a reason: the supervising office reopens it"),
    ("T-03-3", {"完成情况": "已完成"}, "needs a reason"),
    ("T-01-2", {"完成情况": "已销号"}, "closing (销号) is done by the supervising office"),
    ("T-01-1", {"整改进展": "2025-12-01 已印发宣传方案"}, "a recorded progress note was changed or removed (2025-12-20 已完成)"),
    ("T-03-3", {"佐证材料": None}, "recorded evidence cannot be removed"),
    ("T-03-3", {"备注": "改了备注"}, "is closed (销号) and cannot be changed"),
    ("T-01-1", {"牵头单位": "市财政局"}, "Lead unit cannot be changed by a unit"),
    ("T-01-1", {"时限依据": "2026-06-30"}, "Deadline as written moved from 2025-12-31 to 2026-06-30"),
    ("T-01-2", {"完成日期": dt.datetime(2026, 1, 5)}, "a done date 2026-01-05 is given but the state is doing"),
    ("T-01-2", {"完成情况": "差不多了"}, "state '差不多了' is not understood"),
    ("T-01-2", {"佐证材料": "evidence/没有这个文件.pdf"}, "would add 1 problem(s)"),
])
def test_what_units_may_not_change_is_refused(run, demo, task, cells, reason):
    rows = _edit(_export(run, demo), demo / "returned.xlsx", {task: cells, "T-02-1": {"备注": "每季度一次"}})
    before = (demo / TASKS).read_bytes()
    code, stdout, _ = run("import", "returned.xlsx", "--update", "--lang", "en", cwd=demo)
    assert code == 1, stdout
    line = next(x for x in stdout.splitlines() if x.startswith(f"row {rows[task]} {task}: refused: "))
    assert reason in line
    assert f"row {rows['T-02-1']} T-02-1: applied (Notes)" in stdout  # the rest is still applied
    after = (demo / TASKS).read_text(encoding="utf-8")
    assert "notes: 每季度一次" in after
    assert after.replace("    notes: 每季度一次\n", "") == before.decode("utf-8")


def test_approved_extension_is_not_a_move(run, demo):
    """A ledger exported before an extension was granted shows the old deadline; a unit that
    writes the extended one states what the ledger already holds."""
    ledger = _export(run, demo)
    assert run("extend", "T-03-1", "--to", "2026-03-31", "--approved-by", "主任会议", "--reason", "跨年度", "--date", "2026-01-05", cwd=demo)[0] == 0
    _edit(ledger, demo / "old.xlsx", {"T-03-1": {"整改进展": "2026-01-12 已开展评查"}})
    _edit(ledger, demo / "new.xlsx", {"T-03-1": {"完成时限": dt.datetime(2026, 3, 31), "时限依据": "2026-03-31"}})
    code, stdout, _ = run("import", "new.xlsx", "--update", "--lang", "en", cwd=demo)
    assert code == 0 and "0 rows applied, 0 refused" in stdout, stdout
    code, stdout, _ = run("import", "old.xlsx", "--update", "--lang", "en", cwd=demo)  # the old deadline shown
    assert code == 0 and "1 rows applied, 0 refused" in stdout, stdout


def test_commit_as_the_sending_unit(run, demo):
    _edit(_export(run, demo), demo / "returned.xlsx", UNIT_EDITS)
    code, stdout, _ = run("import", "returned.xlsx", "--update", "--commit", "--author", "市司法局", "--lang", "en", cwd=demo)
    assert code == 1, stdout
    assert git(demo, "log", "-1", "--format=%an|%cn").strip() == "市司法局|督查室"
    message = git(demo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "rectify: ledger from 市司法局 (returned.xlsx): 2 tasks"
    trailers = subprocess.run(["git", "interpret-trailers", "--parse"], input=message, capture_output=True,
                              text=True, check=True).stdout.splitlines()
    assert trailers == ["Rectify-Id: T-01-2", "Rectify-Id: T-03-1", "Rectify-Plan: demo",
                        "Rectify-Action: import", "Rectify-Unit: 市司法局"]
    assert git(demo, "show", "--name-only", "--format=", "HEAD").split() == [str(TASKS)]
    assert git(demo, "status", "--porcelain", "--", "plans") == ""


def test_writes_are_all_or_none(run, demo, monkeypatch):
    """Rows of two plans edit two files: when the second cannot be put in place, the first is restored."""
    import os

    from rectify_cli import atomic

    shutil.copytree(demo / "plans/demo", demo / "plans/other")
    for name in ("plan.yaml", "issues.yaml", "tasks.yaml"):
        path = demo / "plans/other" / name
        path.write_text(path.read_text(encoding="utf-8").replace("demo", "other"), encoding="utf-8")
    ledger = _export(run, demo)
    from openpyxl import load_workbook

    wb = load_workbook(ledger)
    ws = wb.active
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["任务编号"]).value == "T-01-2":
            ws.cell(r, col["整改进展"]).value = "2026-01-10 已召开推进会"
    wb.save(demo / "returned.xlsx")
    before = _snapshot(demo)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", failing)
    code, _, stderr = run("import", "returned.xlsx", "--update", "--lang", "en", cwd=demo)
    monkeypatch.setattr(atomic.os, "replace", real)
    assert code == 2 and "No space left on device" in stderr
    assert len(calls) >= 2 and _snapshot(demo) == before


def test_unusable_input(run, demo, tmp_path):
    plain = demo / "plain.csv"
    plain.write_text("问题,整改措施,牵头单位,完成情况\n问题甲,措施甲,区财政局,已完成\n", encoding="utf-8")
    before = _snapshot(demo)
    code, _, stderr = run("import", "plain.csv", "--update", "--lang", "en", cwd=demo)
    assert code == 2 and "no Task ID column" in stderr
    code, _, stderr = run("import", "missing.xlsx", "--update", "--lang", "en", cwd=demo)
    assert code == 2 and "no such file" in stderr
    code, _, stderr = run("import", "plain.csv", "--update", "--out", "x", "--lang", "en", cwd=demo)
    assert code == 2 and "--out cannot be used with --update" in stderr
    code, _, stderr = run("import", "plain.csv", "--commit", "--plan", "p", "--lang", "en", cwd=demo)
    assert code == 2 and "--commit works only with --update" in stderr
    assert _snapshot(demo) == before


def test_csv_ledger_and_plan_option(run, demo):
    """A CSV export works too; without a 计划编号 column, --plan says which plan the ids are in."""
    import csv
    import io

    code, _, _ = run("export", "plans", "--format", "csv", "--as-of", AS_OF, "--out", "l.csv", "--lang", "zh", cwd=demo)
    assert code == 0
    rows = list(csv.reader(io.StringIO((demo / "l.csv").read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    keep = [i for i, h in enumerate(header) if h != "计划编号"]
    for row in rows[1:]:
        if row[header.index("任务编号")] == "T-01-2":
            row[header.index("整改进展")] = "2026-01-10 已召开推进会"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[row[i] for i in keep] for row in rows])
    (demo / "back.csv").write_text(buffer.getvalue(), encoding="utf-8")
    code, _, stderr = run("import", "back.csv", "--update", "--plan", "nope", "--lang", "en", cwd=demo)
    assert code == 2 and "no plan with id 'nope'" in stderr
    code, stdout, _ = run("import", "back.csv", "--update", "--plan", "demo", "--lang", "en", cwd=demo)
    assert code == 0 and "1 rows applied, 0 refused, 6 unchanged" in stdout, stdout
    assert "{date: 2026-01-10, note: 已召开推进会}" in (demo / TASKS).read_text(encoding="utf-8")


def test_rows_that_would_add_problems_are_found_among_many(run, demo):
    """Each refused row names its own problem; every other row is applied."""
    edits = {t: {"备注": f"{t} 的备注"} for t in ("T-01-1", "T-01-2", "T-02-1", "T-02-2", "T-03-1", "T-03-2")}
    edits["T-01-2"]["佐证材料"] = "evidence/缺一.pdf"
    edits["T-03-1"]["佐证材料"] = "evidence/缺二.pdf"
    rows = _edit(_export(run, demo), demo / "returned.xlsx", edits)
    code, stdout, _ = run("import", "returned.xlsx", "--update", "--lang", "en", cwd=demo)
    assert code == 1 and "4 rows applied, 2 refused" in stdout, stdout
    lines = stdout.splitlines()
    for task, missing in (("T-01-2", "缺一.pdf"), ("T-03-1", "缺二.pdf")):
        at = lines.index(next(x for x in lines if x.startswith(f"row {rows[task]} {task}: refused: the edit would add 1")))
        assert missing in lines[at + 1] and "plans/demo/tasks.yaml:" in lines[at + 1]
    text = (demo / TASKS).read_text(encoding="utf-8")
    assert "T-02-1 的备注" in text and "T-01-2 的备注" not in text and "缺" not in text


def test_a_line_without_a_date_is_a_note_of_today(run, demo):
    """Units type 已完成整改 under the exported notes without a date: a new note, dated today."""
    rows = _edit(_export(run, demo), demo / "returned.xlsx",
                 {"T-01-1": {"整改进展": "2025-12-01 已印发宣传方案\n2025-12-20 已完成\n已开展回头看"}})
    code, stdout, _ = run("import", "returned.xlsx", "--update", "--lang", "en", cwd=demo)
    assert code == 0 and f"row {rows['T-01-1']} T-01-1: applied (Progress)" in stdout, stdout
    from rectify_cli.workspace import open_workspace

    task = next(t for t in open_workspace([demo / "plans"], dt.date.today()).repository.tasks if t.id == "T-01-1")
    assert [(p.date, p.note) for p in task.progress][-1] == (dt.date.today(), "已开展回头看")
