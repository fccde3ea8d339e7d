"""`rectify status` on a terminal of 80, 100 and 160 columns, and piped.

Ids, dates, days left and states are never cut; titles and unit names wrap;
count columns fold into a second table before any disappears; piped output
is never cut or wrapped. Goldens in both languages at each width.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from .test_report_support import write_demo

GOLDEN = Path(__file__).parent / "golden"
AS_OF = "2026-01-20"
EXTENDED = """\
  - id: T-04-1
    issue: I-04
    title: 建立健全跨部门联合执法协调机制并定期开展联合检查与案件会商
    lead: 市城市管理和综合执法局
    due: 2025-12-31
    status: doing
    extensions:
      - {to: 2026-03-31, approved_by: 分管副市长, date: 2025-12-20, reason: 需省级部门协调}
"""
IDS = ("T-01-1", "T-01-2", "T-02-1", "T-02-2", "T-03-1", "T-03-2", "T-03-3", "T-04-1")


@pytest.fixture
def ledger(tmp_path) -> Path:
    plans = write_demo(tmp_path)
    tasks = plans / "demo" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8") + EXTENDED, encoding="utf-8")
    return tmp_path


@pytest.fixture
def at_width(run, monkeypatch, ledger):
    """`rectify status` as a terminal of `width` columns shows it (None: piped)."""
    import rectify_cli.cli.status as command

    def show(width: int | None, *args: str) -> str:
        monkeypatch.setattr(command, "terminal_width", lambda: width)
        code, stdout, stderr = run("status", "--as-of", AS_OF, *args, cwd=ledger)
        assert code == 0, stderr
        return stdout

    return show


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 100, 160])
def test_status_golden_at_terminal_width(at_width, width, lang):
    shown = at_width(width, "--by", "unit", "--lang", lang)
    assert shown == (GOLDEN / f"status_width{width}_{lang}.txt").read_text(encoding="utf-8"), f"status_width{width}_{lang}.txt"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 100, 160])
def test_nothing_that_must_stay_whole_is_cut(at_width, width, lang):
    shown = at_width(width, "--by", "unit", "--lang", lang)
    lines = shown.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    assert "…" not in shown
    words = shown.split()
    for ident in IDS:  # each id whole, at the start of its row
        assert ident in words
    for date in ("2025-12-31", "2026-03-31", "2025-12-10"):
        assert date in words
    late = "逾期完成" if lang == "zh" else "late"
    assert late in shown
    headers = {
        "zh": ["总数", "未启动", "推进中", "已完成", "已销号", "长期坚持", "逾期", "5日内到期", "完成率"],
        "en": ["Total", "todo", "doing", "done", "closed", "ongoing", "Overdue", "Due ≤5d", "Done"],
    }[lang]
    head_lines = [line for line in lines if "总数" in line or "Total" in line or "未启动" in line or "todo" in line.split()]
    assert all(any(h in line for line in head_lines) for h in headers)  # every count column is shown


def test_units_and_titles_wrap_instead_of_being_cut(at_width):
    shown = at_width(80, "--lang", "zh")
    assert "市城市管理和综合执法局" not in shown  # wrapped at 80 columns …
    lines = shown.splitlines()
    row = next(n for n, line in enumerate(lines) if line.split()[:1] == ["T-04-1"])
    pieces = [lines[row].split()[2], lines[row + 1].split()[1], lines[row + 2].split()[1]]
    assert "".join(pieces) == "市城市管理和综合执法局"  # … over three lines, every character there
    title = "".join(lines[n].split()[1 if n == row else 0] for n in range(row, row + 5))
    assert title == "建立健全跨部门联合执法协调机制并定期开展联合检查与案件会商"


def test_piped_output_is_never_cut_or_wrapped(at_width):
    shown = at_width(None, "--lang", "zh")
    assert "建立健全跨部门联合执法协调机制并定期开展联合检查与案件会商" in shown
    assert "市城市管理和综合执法局" in shown and "原 2025-12-31 → 2026-03-31" in shown
    rows = [line for line in shown.splitlines() if line.lstrip().startswith("T-")]
    assert len(rows) == len(IDS)  # one line per item
