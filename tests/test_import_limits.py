"""`rectify import` on hostile input: bounded rows, columns, merged ranges and cell
sizes; an existing plan.yaml read through the one safe YAML reader; ids the
ledger gives kept only when `check` would accept them. The costly cases run in
a child process under a 1 GB address-space limit and a timeout, so a regression
fails the test instead of taking the machine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .conftest import write

HEADER = "序号,问题,整改措施,牵头单位,完成时限,任务编号\n"


def test_ledger_ids_that_check_would_refuse_are_renumbered(run, tmp_path):
    from rectify_cli.problems import Severity
    from rectify_cli.workspace import open_workspace

    ledger = write(
        tmp_path / "l.csv",
        HEADER + "1,问题一,措施一,办公室,2025-12-31,T-1\n2,问题一,措施二,办公室,2025-12-31,T-1\u200b\n"
        "3,问题一,措施三,办公室,2025-12-31,T-\uff11\n4,问题一,措施四,办公室,2025-12-31,T-1\u0301\n",
    )
    code, stdout, _ = run("import", str(ledger), "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout
    assert "row 3: id 'T-1\\u200b' is invalid or repeated; a new id was given" in stdout
    assert "row 4: id 'T-１' is invalid or repeated; a new id was given" in stdout
    assert "row 5: id 'T-1́' is invalid or repeated; a new id was given" in stdout
    ws = open_workspace([tmp_path / "plans"], dt.date(2025, 6, 1))
    assert [p for p in ws.problems if p.severity is Severity.ERROR] == []
    assert [t.id for t in ws.repository.tasks] == ["T-1", "T-01-1", "T-01-2", "T-01-3"]


# --- hostile workbooks and CSV: run as a child process, 1 GB address space, a timeout ---------

SHEET = "xl/worksheets/sheet1.xml"


def _bounded(tmp_path: Path, *args: str, timeout: float = 180) -> tuple[int, str, str]:
    """`rectify ARGS --lang en` in a child limited to 1 GB of address space: before
    the bounds, these inputs took 8-10 GB (or hung); now a regression fails here."""
    import resource
    import subprocess
    import sys

    def limit() -> None:
        try:
            resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        except (ValueError, OSError):  # a platform without RLIMIT_AS: the timeout still bounds it
            pass

    proc = subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args, "--lang", "en"],
        cwd=tmp_path, capture_output=True, text=True, timeout=timeout, preexec_fn=limit,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _workbook(path: Path, edit=None, rows=(("1", "问题一", "措施一", "办公室", "2025-12-31"),)) -> Path:
    """A small ledger saved by openpyxl; `edit` rewrites the sheet's XML inside the zip."""
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "问题", "整改措施", "牵头单位", "完成时限"])
    for row in rows:
        ws.append(list(row))
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    if edit is None:
        plain.rename(path)
        return path
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == SHEET:
                data = edit(data.decode("utf-8")).encode("utf-8")
            target.writestr(item.filename, data)
    plain.unlink()
    return path


def _rows_appended(xml: str, rows: str) -> str:
    return xml.replace("</sheetData>", rows + "</sheetData>")


def _nothing_written(tmp_path: Path) -> bool:
    return not (tmp_path / "plans").exists()


def test_a_cell_at_xfd1048576_is_refused_at_once(tmp_path):
    _workbook(tmp_path / "far.xlsx", lambda x: _rows_appended(
        x, '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'))
    code, _, stderr = _bounded(tmp_path, "import", "far.xlsx", "--plan", "p")
    assert (code, stderr) == (2, "rectify: error: far.xlsx: row 1048576 is past the 50000 rows import reads; "
                                  "delete the rows below the ledger, or split it into several files\n")
    assert _nothing_written(tmp_path)


def test_a_forged_row_number_is_refused(tmp_path):
    _workbook(tmp_path / "forged.xlsx", lambda x: _rows_appended(x, '<row r="99999999999"><c t="n"><v>1</v></c></row>'))
    code, _, stderr = _bounded(tmp_path, "import", "forged.xlsx", "--plan", "p")
    assert code == 2 and stderr.startswith("rectify: error: forged.xlsx: row 99999999999 is past the 50000 rows import reads")


def test_a_stray_value_far_right_is_not_read(run, tmp_path):
    _workbook(tmp_path / "wide.xlsx", lambda x: x.replace(
        "</row></sheetData>", '<c r="XFD2" t="inlineStr"><is><t>stray</t></is></c></row></sheetData>'))
    code, stdout, _ = _bounded(tmp_path, "import", "wide.xlsx", "--plan", "p")
    assert code == 0, stdout
    assert "wide.xlsx: 1 row read, 1 issue and 1 task written, 0 rows not imported" in stdout
    assert "stray" not in (tmp_path / "plans/p/tasks.yaml").read_text(encoding="utf-8")


def test_a_merged_range_to_xfd1048576_is_clipped_with_a_note(tmp_path):
    _workbook(tmp_path / "merge.xlsx", lambda x: x.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>'))
    code, stdout, _ = _bounded(tmp_path, "import", "merge.xlsx", "--plan", "p")
    assert code == 0, stdout
    note = ("row 3: merged range A3:XFD1048576 reaches past what import reads (50000 rows, 128 columns); "
            "only the part inside was read")
    assert note in stdout.splitlines()
    assert note in (tmp_path / "plans/p/import-report.txt").read_text(encoding="utf-8")


def test_a_merged_issue_cell_still_fills_its_rows(run, tmp_path):
    rows = (("1", "问题一", "措施一", "办公室", "2025-12-31"), ("2", None, "措施二", "财政局", "2025-12-31"))
    _workbook(tmp_path / "m.xlsx", lambda x: x.replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>'), rows=rows)
    code, stdout, _ = run("import", str(tmp_path / "m.xlsx"), "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout
    assert "1 issue and 2 tasks written" in stdout


def test_overlapping_merged_ranges_are_refused(run, tmp_path):
    merges = "".join(f'<mergeCell ref="A1:E{n}"/>' for n in range(2, 40))
    _workbook(tmp_path / "o.xlsx", lambda x: x.replace("</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>"))
    code, _, stderr = run("import", str(tmp_path / "o.xlsx"), "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert (code, stderr) == (2, f"rectify: error: {tmp_path / 'o.xlsx'}: merged cells overlap, which Excel never saves; "
                                 "unmerge them, save and import again\n")


def test_a_workbook_that_unpacks_past_the_bound_is_refused_before_unpacking(tmp_path):
    from rectify_cli.formats.tables import MAX_LEDGER_BYTES

    padding = " " * (MAX_LEDGER_BYTES + 1)  # compresses to a few kilobytes
    _workbook(tmp_path / "bomb.xlsx", lambda x: x.replace("<sheetData>", padding + "<sheetData>"))
    assert (tmp_path / "bomb.xlsx").stat().st_size < 200_000
    code, _, stderr = _bounded(tmp_path, "import", "bomb.xlsx", "--plan", "p")
    assert code == 2
    assert stderr.startswith("rectify: error: bomb.xlsx: unpacks to ")
    assert stderr.endswith(f"bytes, over the limit of {MAX_LEDGER_BYTES}; split the ledger into several files\n")


def test_a_row_with_more_cells_than_excel_has_columns_is_refused(tmp_path):
    cells = "<c/>" * 20_000
    _workbook(tmp_path / "cells.xlsx", lambda x: _rows_appended(x, f'<row r="3">{cells}</row>'))
    code, _, stderr = _bounded(tmp_path, "import", "cells.xlsx", "--plan", "p")
    assert (code, stderr) == (2, "rectify: error: cells.xlsx: sheet Sheet is malformed (row), not as Excel saves it; "
                                 "save a copy from Excel and import that\n")


def test_an_xlsx_cell_over_the_bound_is_refused_with_its_address(run, tmp_path):
    from rectify_cli.formats.tables import MAX_CELL_CHARS

    def huge_measure(xml: str) -> str:  # openpyxl cuts what it writes at Excel's 32,767; a file need not
        start = xml.index('<c r="C2"')
        end = xml.index("</c>", start) + len("</c>")
        return xml[:start] + f'<c r="C2" t="inlineStr"><is><t>{"x" * (MAX_CELL_CHARS + 1)}</t></is></c>' + xml[end:]

    _workbook(tmp_path / "big.xlsx", huge_measure)
    code, _, stderr = run("import", "big.xlsx", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert (code, stderr) == (2, f"rectify: error: big.xlsx: cell C2 holds more than {MAX_CELL_CHARS} characters; "
                                 "shorten it and import again\n")


def test_csv_cells_past_csvs_default_limit_are_read(run, tmp_path):
    long = "措" * 200_000  # csv's own default limit is 131,072
    write(tmp_path / "l.csv", f"{HEADER}1,问题一,{long},办公室,2025-12-31,\n")
    code, stdout, _ = run("import", "l.csv", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout
    assert long in (tmp_path / "plans/p/tasks.yaml").read_text(encoding="utf-8")


def test_a_csv_field_over_the_bound_is_refused_with_its_line(run, tmp_path):
    import csv

    from rectify_cli.formats.tables import MAX_CELL_CHARS

    before = csv.field_size_limit()
    write(tmp_path / "l.csv", f"{HEADER}1,问题一,措施一,办公室,2025-12-31,\n2,问题二,{'x' * (MAX_CELL_CHARS + 1)},办公室,2025-12-31,\n")
    code, _, stderr = run("import", "l.csv", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert (code, stderr) == (2, f"rectify: error: l.csv:3: a field holds more than {MAX_CELL_CHARS} characters "
                                 "(or a quote is not closed); shorten or correct it and import again\n")
    assert csv.field_size_limit() == before  # the process-wide setting is put back
    assert _nothing_written(tmp_path)


def test_csv_rows_and_size_are_bounded(run, tmp_path):
    from rectify_cli.formats.tables import MAX_LEDGER_BYTES, MAX_ROWS

    write(tmp_path / "rows.csv", HEADER + "1,问题,措施,办公室,2025-12-31,\n" * MAX_ROWS)
    code, _, stderr = run("import", "rows.csv", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert (code, stderr) == (2, f"rectify: error: rows.csv: row {MAX_ROWS + 1} is past the {MAX_ROWS} rows import reads; "
                                 "delete the rows below the ledger, or split it into several files\n")
    with (tmp_path / "big.csv").open("wb") as f:  # sparse: no need to write the bytes
        f.write(HEADER.encode())
        f.truncate(MAX_LEDGER_BYTES + 1)
    code, _, stderr = run("import", "big.csv", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert (code, stderr) == (2, f"rectify: error: big.csv: too large ({MAX_LEDGER_BYTES + 1} bytes, limit {MAX_LEDGER_BYTES}); "
                                 "split the ledger into several files\n")
    assert _nothing_written(tmp_path)


# --- an existing plan.yaml is read by the one safe reader -------------------------------------

PLAN_PROBLEMS = {
    "nesting": (
        "kind: plan\nid: p\ntitle: t\nx-deep: " + "[" * 5000 + "]" * 5000 + "\n",
        "plans/p/plan.yaml:4:208: nesting too deep (over 200 levels); flatten the structure",
    ),
    "alias-bomb": (
        "kind: plan\nid: p\ntitle: t\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10)),
        "plans/p/plan.yaml:7:5: aliases expand to too many nodes (over 10000), as in a 'billion laughs' attack; "
        "remove nested aliases",
    ),
    "tag": (
        "kind: plan\nid: p\ntitle: !!python/object/apply:os.system [true]\n",
        "plans/p/plan.yaml:3:8: tag !!python/object/apply:os.system is not accepted (nothing in a file is constructed "
        "or executed); remove it and write a plain value",
    ),
}


def _plan_ledger(tmp_path: Path) -> None:
    write(tmp_path / "l.csv", HEADER + "1,问题一,措施一,办公室,2025-12-31,\n")
    (tmp_path / "plans/p").mkdir(parents=True)


def test_a_hostile_plan_yaml_is_refused_by_the_safe_reader(tmp_path):
    for name, (content, problem) in PLAN_PROBLEMS.items():
        case = tmp_path / name
        _plan_ledger(case)
        plan = write(case / "plans/p/plan.yaml", content)
        code, stdout, stderr = _bounded(case, "import", "l.csv", "--plan", "p", timeout=120)
        assert (code, stdout) == (2, ""), name
        expected = f"rectify: error: {problem} (the existing plan.yaml must pass rectify check before import adds files beside it)\n"
        assert stderr == expected, name
        assert sorted(p.name for p in (case / "plans/p").iterdir()) == ["plan.yaml"]
        assert plan.read_text(encoding="utf-8") == content


def test_a_plan_yaml_that_is_a_fifo_is_refused_without_waiting(tmp_path):
    import os

    _plan_ledger(tmp_path)
    os.mkfifo(tmp_path / "plans/p/plan.yaml")
    code, _, stderr = _bounded(tmp_path, "import", "l.csv", "--plan", "p", timeout=60)
    assert (code, stderr) == (2, "rectify: error: plans/p/plan.yaml: not a regular file (FIFO), not read; the plans directory "
                                 "should hold only YAML files (the existing plan.yaml must pass rectify check before import "
                                 "adds files beside it)\n")


def test_events_of_an_existing_plan_are_read_as_the_loader_reads_them(run, tmp_path):
    """{date, names} events (and any other form the loader knows) reach the importer's deadlines."""
    write(tmp_path / "l.csv", "序号,问题,整改措施,牵头单位,完成时限\n1,问题一,措施一,办公室,收到意见后10个工作日内\n")
    write(tmp_path / "plans/p/plan.yaml", "kind: plan\nid: p\ntitle: t\nevents:\n  opinions: {date: 2025-03-03, names: [收到意见]}\n")
    code, stdout, _ = run("import", "l.csv", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout
    assert "due: 收到意见后10个工作日内" in (tmp_path / "plans/p/tasks.yaml").read_text(encoding="utf-8")


def test_no_yaml_is_parsed_past_the_safe_reader():
    """Every YAML file goes through `yamlsafe` (via the loader): no other module loads YAML."""
    import re

    from .conftest import REPO

    loads = re.compile(r"\byaml\.(?:safe_load|load|full_load|unsafe_load|load_all|safe_load_all)\(|\bsafe_load\(")
    offenders = [
        str(path.relative_to(REPO)) for path in (REPO / "src" / "rectify_cli").rglob("*.py")
        if path.name != "yamlsafe.py" and loads.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_cells_outside_any_row_are_not_placed_anywhere(run, tmp_path):
    _workbook(tmp_path / "loose.xlsx", lambda x: x.replace("<sheetData>", '<sheetData><c t="inlineStr"><is><t>STRAYVALUE</t></is></c>'))
    code, stdout, _ = run("import", "loose.xlsx", "--plan", "p", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout
    assert "STRAYVALUE" not in (tmp_path / "plans/p/tasks.yaml").read_text(encoding="utf-8")


def test_a_detail_sheet_is_read_within_the_same_bounds(tmp_path):
    """The sheets an export adds (延期记录 ...) go through the bounded reader too."""
    import re
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["1", "问题一", "措施一", "办公室", "2025-12-31"])
    wb.create_sheet("延期记录").append(["计划编号", "任务编号"])
    wb.save(tmp_path / "plain.xlsx")
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    with zipfile.ZipFile(tmp_path / "plain.xlsx") as source, zipfile.ZipFile(tmp_path / "d.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # and its declared size says so, as a hostile file would
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data.replace(b"</sheetData>", far.encode()))
            target.writestr(item.filename, data)
    code, _, stderr = _bounded(tmp_path, "import", "d.xlsx", "--plan", "p")
    assert (code, stderr) == (2, "rectify: error: d.xlsx: row 1048576 is past the 50000 rows import reads; "
                                 "delete the rows below the ledger, or split it into several files\n")
    assert _nothing_written(tmp_path)
