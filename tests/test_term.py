"""A measure's term (立行立改 / 集中 / 长期): read, judged, reported and kept in the ledger."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from .conftest import write

PLAN = "kind: plan\nid: p\ntitle: 巡察整改\nowner: 巡察办\n"
ISSUES = "kind: issues\nplan: p\nissues:\n  - id: I-01\n    title: 学习不深入\n"


def _ledger(root, term_long="长期", progress=""):
    write(root / "plans/plan.yaml", PLAN)
    write(root / "plans/issues.yaml", ISSUES)
    write(root / "plans/tasks.yaml",
          "kind: tasks\nplan: p\ntasks:\n"
          "  - id: T-1\n    issue: I-01\n    title: 制定学习计划\n    lead: 办公室\n    due: 2025-10-31\n    term: 集中\n"
          f"  - id: T-2\n    issue: I-01\n    title: 建立长效学习机制\n    lead: 组织部\n    due: 2025-10-31\n    term: {term_long}\n"
          "    status: doing\n" + progress)


def test_a_long_term_measure_is_never_overdue_and_must_report_progress(run, tmp_path):
    _ledger(tmp_path)
    code, out, _ = run("status", "--as-of", "2025-12-01", "--format", "json", cwd=tmp_path)
    items = {i["id"]: i for i in json.loads(out)["items"]}
    assert items["T-1"]["overdue"] and items["T-1"]["term"] == "集中"
    assert not items["T-2"]["overdue"] and items["T-2"]["term"] == "长期"
    code, out, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert "plans/tasks.yaml:15:11: warning: T-2 is long-term (长期): never overdue, but it has no progress note" in out
    assert "T-2" not in "".join(line for line in out.splitlines() if "overdue" in line and "warning" not in line)


def test_a_long_term_measure_with_progress_raises_no_warning(run, tmp_path):
    _ledger(tmp_path, progress="    progress:\n      - {date: 2025-11-20, note: 已建立月学制度}\n")
    code, out, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert "long-term" not in out and "1 overdue" in out


def test_an_unknown_term_is_an_error_naming_the_choices(run, tmp_path):
    _ledger(tmp_path, term_long="半年")
    code, out, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "plans/tasks.yaml:15:11: error: term: '半年' is not allowed; use one of 立行立改, 集中, 长期" in out


def test_the_ledger_carries_the_term_both_ways(run, tmp_path):
    _ledger(tmp_path)
    book = tmp_path / "台账.xlsx"
    assert run("export", "--format", "xlsx", "--out", str(book), "--as-of", "2025-12-01", "--lang", "zh", cwd=tmp_path)[0] == 0
    sheet = load_workbook(book).active
    header = [c.value for c in sheet[1]]
    column = header.index("整改期限类型")
    assert sorted(r[column].value for r in sheet.iter_rows(min_row=2)) == ["长期", "集中"]
    code, out, err = run("import", str(book), "--plan", "p", "--out", str(tmp_path / "again"), cwd=tmp_path)
    assert code == 0, out + err
    assert "term: 长期" in (tmp_path / "again" / "tasks.yaml").read_text(encoding="utf-8")
