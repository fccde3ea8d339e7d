"""`rectify export`: xlsx and csv as Excel users need them (formulas neutralised),
json, and an iCalendar file that parses back, folds, escapes and keeps its UIDs."""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest

from .test_report_support import AS_OF, FORMULA, write_demo


def _export(run, tmp_path, fmt, *extra, as_of=AS_OF, name=None, **demo):
    plans = write_demo(tmp_path, **demo)
    out = tmp_path / (name or f"ledger.{fmt}")
    code, _, stderr = run("export", str(plans), "--format", fmt, "--as-of", as_of, "--out", str(out), "--lang", "zh", *extra, cwd=tmp_path)
    assert code == 0, stderr
    return out


# -- xlsx ------------------------------------------------------------------------
@pytest.fixture
def sheet(run, tmp_path):
    from openpyxl import load_workbook

    return load_workbook(_export(run, tmp_path, "xlsx")).active


def _rows(ws):
    header = [c.value for c in ws[1]]
    return header, [dict(zip(header, (c for c in row))) for row in ws.iter_rows(min_row=2)]


def test_xlsx_header_freeze_filter(sheet):
    from openpyxl.utils import get_column_letter

    header, rows = _rows(sheet)
    # the usual ten columns, with the deadline as written beside the computed one
    assert header[:11] == ["序号", "问题", "整改措施", "牵头单位", "配合单位", "责任领导", "完成时限", "时限依据", "整改进展", "完成情况", "佐证材料"]
    assert {"计划编号", "问题编号", "任务编号", "销号单位", "销号日期"} <= set(header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{len(rows) + 1}"  # every column
    assert len(rows) == 7


def test_xlsx_dates_fill_and_widths(sheet):
    _, rows = _rows(sheet)
    first = rows[0]
    assert first["完成时限"].value == dt.datetime(2025, 12, 31)  # a real date, not text
    assert first["完成时限"].number_format == "yyyy-mm-dd"
    assert first["完成时限"].is_date
    ongoing = next(r for r in rows if r["任务编号"].value == "T-02-1")
    assert ongoing["完成时限"].value == "长期坚持"  # a rule stays a rule
    overdue = next(r for r in rows if r["任务编号"].value == "T-03-1")
    assert overdue["整改措施"].fill.fgColor.rgb.endswith("FFC7CE")
    assert overdue["逾期天数"].value == 20
    assert first["整改措施"].fill.fill_type is None
    assert first["整改措施"].alignment.wrap_text
    assert first["配合单位"].value == "市财政局、市税务局"
    assert first["整改进展"].value == "2025-12-01 已印发宣传方案\n2025-12-20 已完成"
    width = sheet.column_dimensions["C"].width  # 整改措施: CJK counts double
    assert width >= 2 * len("健全失业保险精准宣传机制")


def test_xlsx_formula_is_text(sheet):
    _, rows = _rows(sheet)
    cell = next(r for r in rows if r["任务编号"].value == "T-01-2")["整改措施"]
    assert cell.data_type == "s"
    assert cell.value == "'" + FORMULA


# -- csv -------------------------------------------------------------------------
def test_csv_bom_and_neutralised(run, tmp_path):
    path = _export(run, tmp_path, "csv", formula="@SUM(1+1)")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    import csv

    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["序号", "问题", "整改措施"]
    measures = [r[2] for r in rows[1:]]
    assert "'@SUM(1+1)" in measures and "@SUM(1+1)" not in measures
    assert b"\r\n" in raw


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_every_formula_start(run, tmp_path, start):
    path = _export(run, tmp_path, "csv", formula=f"{start}1+2")
    assert f",'{start}1+2,".encode() in path.read_bytes()


def test_text_formats_to_stdout(run, tmp_path):
    plans = write_demo(tmp_path)
    code, stdout, _ = run("export", str(plans), "--format", "json", "--as-of", AS_OF, cwd=tmp_path)
    assert code == 0
    document = json.loads(stdout)
    assert document["as_of"] == AS_OF
    assert [i["task_id"] for i in document["items"]][:2] == ["T-01-1", "T-01-2"]
    overdue = next(i for i in document["items"] if i["task_id"] == "T-03-1")
    assert overdue["overdue"] and overdue["days_overdue"] == 20 and overdue["lead"] == "市司法局"
    assert [m["id"] for m in document["milestones"]] == ["plan-due", "report-due"]


def test_xlsx_needs_out(run, tmp_path):
    plans = write_demo(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code, stdout, stderr = run("export", str(plans), "--format", "xlsx", "--lang", "en", cwd=tmp_path)
    assert code == 2 and stdout == ""
    assert "binary" in stderr and "--out" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_out_in_missing_directory_is_a_usage_error(run, tmp_path):
    plans = write_demo(tmp_path)
    code, _, stderr = run("export", str(plans), "--format", "csv", "--out", str(tmp_path / "nowhere" / "x.csv"), cwd=tmp_path)
    assert code == 2 and "x.csv" in stderr
    assert not (tmp_path / "nowhere").exists()


def test_atomic_write_replaces_and_keeps_mode(tmp_path):
    from rectify_cli.atomic import write_atomic

    target = tmp_path / "ledger.csv"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomic(target, "新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.csv"]  # no temporary file left
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x")


# -- ics -------------------------------------------------------------------------
def _events(path):
    from rectify_cli.formats.ics import unfold

    data = path.read_bytes().decode("utf-8")
    events, current = [], None
    for line in unfold(data):
        if line == "BEGIN:VEVENT":
            current = []
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return data, events


def test_ics_events_and_alarms(run, tmp_path):
    data, events = _events(_export(run, tmp_path, "ics"))
    assert data.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and data.endswith("END:VCALENDAR\r\n")
    assert all(line.endswith("\r") for line in data.split("\n")[:-1])  # CRLF everywhere
    assert all(len(line.encode("utf-8")) <= 75 for line in data.split("\r\n"))
    uids = [next(l for l in e if l.startswith("UID:")) for e in events]
    # milestones, plus the open tasks with a date (T-01-2 and the overdue T-03-1)
    assert uids == ["UID:demo-plan-due@rectify", "UID:demo-report-due@rectify", "UID:demo-T-01-2@rectify", "UID:demo-T-03-1@rectify"]
    task = events[2]
    assert "DTSTART;VALUE=DATE:20260331" in task and "DTEND;VALUE=DATE:20260401" in task
    # 3 working days before Tue 2026-03-31 is Thu 03-26: 09:00 that day is 4 days 15 hours before
    assert "TRIGGER:-P4DT15H" in task and "BEGIN:VALARM" in task and "ACTION:DISPLAY" in task
    assert any(l.startswith("DESCRIPTION:类型：整改任务\\n牵头单位：市人力资源社会保障局") for l in task)
    assert "BEGIN:VALARM" not in events[0]  # a finished milestone needs no reminder
    summary = next(l for l in task if l.startswith("SUMMARY:"))
    assert summary == 'SUMMARY:T-01-2 =HYPERLINK("http://evil.example"\\,"点我")'


def test_ics_uids_are_stable(run, tmp_path):
    first = _export(run, tmp_path, "ics", name="a.ics")
    second = _export(run, tmp_path, "ics", as_of="2026-02-20", name="b.ics")
    uid = lambda path: [l for e in _events(path)[1] for l in e if l.startswith("UID:")]  # noqa: E731
    assert uid(first) == uid(second)
    assert first.read_bytes() != second.read_bytes()  # DTSTAMP follows the as-of date
    assert _export(run, tmp_path, "ics", name="c.ics").read_bytes() == first.read_bytes()


def test_ics_text_rules():
    from rectify_cli.formats.ics import escape_text, fold, unfold, trigger
    from rectify_cli.calendar import calendar_for

    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "整改措施" * 40
    folded = fold(line)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert unfold(folded + "\r\n") == [line]
    # Fri 2025-10-10 after the National Day week: the 3rd working day before is Mon 09-29
    assert trigger(dt.date(2025, 10, 10), calendar_for()) == "-P10DT15H"
