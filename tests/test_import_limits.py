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
