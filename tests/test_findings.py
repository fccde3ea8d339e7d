"""What `check` found in each file, kept for the day: a warm run judges nothing, an edit
judges the edited file alone, and every answer is the one a cold read gives."""

from __future__ import annotations

import pickle
import subprocess
import sys
from dataclasses import replace

import pytest

from rectify_cli import dayparts, index as index_module, store
from rectify_cli.model import NOWHERE
from rectify_cli.problems import warning

from .conftest import REPO
from .test_index import EXAMPLE, _cold, _copy, _output, _settle

DAY = ("--as-of", "2025-09-01")
ARGS = ("check", "--format", "json", *DAY)


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    return _copy(EXAMPLE, tmp_path, monkeypatch)


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """A generated ledger of three task files, worked in from its folder, in a fresh cache."""
    root = tmp_path / "ledger"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(root), "--tasks", "150"], check=True)
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def _judged(monkeypatch) -> list:
    """Each judging of a run, as the files it was asked to judge (None: every file)."""
    calls, real = [], dayparts.evaluate

    def evaluate(ledger, as_of, *args, files=None, **kwargs):
        calls.append(None if files is None else sorted(files))
        return real(ledger, as_of, *args, files=files, **kwargs)

    monkeypatch.setattr(dayparts, "evaluate", evaluate)
    return calls


def _findings_file(root):
    (path,) = (root.parent / "cache").glob("parse-*/index-*-findings")
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_warm_check_judges_nothing_and_says_what_a_cold_one_says(ledger, run, monkeypatch, fmt):
    args = ("check", "--format", fmt, *DAY)
    cold = _cold(run, monkeypatch, *args)
    assert _output(run, *args) == cold
    _settle(ledger)
    judged = _judged(monkeypatch)
    assert _output(run, *args) == cold
    assert judged == []
    mark = {"text": "overdue:", "json": '"days_overdue"', "github": "::error"}[fmt]
    assert cold[0] == 1 and cold[1].count(mark) == 21  # overdue items reported, not an empty report


def test_after_one_file_is_edited_only_it_is_judged(generated, run, monkeypatch):
    _output(run, *ARGS)
    _settle(generated)
    edited = _edit_one(generated, 1)
    judged = _judged(monkeypatch)
    after = _output(run, *ARGS)
    assert judged == [[edited]]
    assert after == _cold(run, monkeypatch, *ARGS)


def _edit_one(root, n: int) -> str:
    """A task finished in the `n`th of a generated ledger's three task files; that file's name."""
    tasks = sorted((root / "plans").rglob("tasks-*.yaml"))
    assert len(tasks) == 3
    edited = tasks[n]
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("status: todo", "status: done", 1), encoding="utf-8")
    return edited.relative_to(root).as_posix()


@pytest.mark.parametrize("change", ["plan", "rectify.yaml", "day", "holiday data"])
def test_what_every_file_is_judged_by_changing_judges_every_file_again(ledger, run, monkeypatch, change):
    args = ARGS
    before = _output(run, *args)
    _settle(ledger)
    if change == "plan":  # adopted a year later: "3-12月" is the next year's, for every task
        plan = ledger / "plans" / "plan.yaml"
        text = plan.read_text(encoding="utf-8")
        assert "plan_adopted: 2023-03-31" in text
        plan.write_text(text.replace("plan_adopted: 2023-03-31", "plan_adopted: 2024-03-31"), encoding="utf-8")
    elif change == "rectify.yaml":  # 办公室 is no longer an alias: the office's items are led by 办公室
        config = ledger / "rectify.yaml"
        config.write_text(config.read_text(encoding="utf-8").replace("aliases: [办公室]", "aliases: []"),
                          encoding="utf-8")
    elif change == "day":
        args = ("check", "--format", "json", "--as-of", "2025-12-01")
    else:  # another release of `holidays` installed: its official days may differ
        monkeypatch.setattr("rectify_cli.official_days.installed_copy", lambda: "another-release")
    judged = _judged(monkeypatch)
    after = _output(run, *args)
    assert judged == [None]
    if change != "holiday data":
        assert after == _cold(run, monkeypatch, *args) and after != before


@pytest.mark.parametrize("forged", ["types", "ordinal", "file", "shape", "problems"])
def test_kept_findings_of_the_wrong_shape_are_not_used(ledger, run, monkeypatch, forged):
    cold = _cold(run, monkeypatch, *ARGS)
    _output(run, *ARGS)
    path = _findings_file(ledger)
    name = "plans/tasks.yaml"
    tasks, milestones, columns, problems = _kept_part(path, name)
    assert columns[0]  # overdue items kept
    if forged == "types":  # a number where each id belongs
        columns = tuple(tuple(7 for _ in column) if n == 3 else column for n, column in enumerate(columns))
    elif forged == "ordinal":  # no day
        columns = tuple(tuple(0 for _ in column) if n == 8 else column for n, column in enumerate(columns))
    elif forged == "file":  # items said to be another file's
        columns = (tuple("plans/plan.yaml" for _ in columns[0]), *columns[1:])
    elif forged == "shape":
        columns = columns[:5]
    else:  # something that is no list of problems
        problems = pickle.dumps({"not": "problems"})
    judged = _forged(ledger, monkeypatch, path, name, (tasks, milestones, columns, problems))
    assert _output(run, *ARGS) == cold
    assert judged == [[name]]


def _kept_part(path, name: str) -> tuple:
    """One file's part as kept in a file beside the index."""
    kept = pickle.loads(store.unseal(index_module._MAGIC, path.name.encode(), path.read_bytes()))
    return pickle.loads(kept[name][1])


def _forged(ledger, monkeypatch, path, name: str, part: tuple) -> list:
    """Keep `part` as that file's, sealed as the real ones are; the judgings of the runs after."""
    kept = pickle.loads(store.unseal(index_module._MAGIC, path.name.encode(), path.read_bytes()))
    kept[name] = (kept[name][0], pickle.dumps(part))
    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps(kept)))
    _settle(ledger)
    return _judged(monkeypatch)


def test_a_finding_in_no_file_of_the_ledger_keeps_nothing(ledger, run, monkeypatch):
    """A problem the judge places in no file of the ledger cannot be kept with a file: every
    run judges again, and reports it."""
    real = dayparts.evaluate

    def evaluate(ledger, as_of, *args, **kwargs):
        schedule = real(ledger, as_of, *args, **kwargs)
        return replace(schedule, problems=(*schedule.problems, warning(NOWHERE, "sched.provisional", expr="x",
                                                                          date="2025-01-01", year=2025)))

    monkeypatch.setattr(dayparts, "evaluate", evaluate)
    first = _output(run, *ARGS)
    _settle(ledger)
    judged = _judged(monkeypatch)
    assert _output(run, *ARGS) == first
    assert judged == [None]
    assert "<none>" in first[1]


def test_a_run_of_random_edits_and_days_answers_as_cold_reads(generated, run, monkeypatch):
    """Differential, over everything kept beside the index at once (findings per file and
    day, rows and the rows an edit made, day rows, rule answers): a seeded run of edits to
    plan and task files and of as-of days, each answered warm as a cold read answers it."""
    import random

    chooser = random.Random(20261204)
    plan = generated / "plans" / "p001" / "plan.yaml"
    tasks = sorted((generated / "plans").rglob("tasks-*.yaml"))
    edits = [
        (tasks, "status: todo", "status: doing"),
        (tasks, "status: doing", "status: todo"),
        (tasks, "due: 2026年3月", "due: 2025年11月"),
        (tasks, "title: ", "title: 再"),
        (tasks, "kind: tasks", "# 补记\nkind: tasks"),
        ([plan], "opinions_received: 2025-03-11", "opinions_received: 2025-02-11"),
        ([plan], "opinions_received: 2025-02-11", "opinions_received: 2025-03-11"),
    ]
    days = ["2025-09-01", "2025-12-15", "2026-04-01"]
    compared = 0
    for step in range(8):
        files, old, new = chooser.choice(edits)
        path = chooser.choice(files)
        text = path.read_text(encoding="utf-8")
        if old in text:
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
        if step % 2:
            _settle(generated)  # half the runs trust the index by stat, half read changed files again
        day = ("--as-of", chooser.choice(days))
        for args in (("check", "--format", "json", *day), ("status", "--format", "json", *day),
                     ("check", "--format", "json", *day)):  # the second check: every file's part kept
            assert _output(run, *args) == _cold(run, monkeypatch, *args), (step, path.name, old, args)
            compared += 1
    assert compared == 24
