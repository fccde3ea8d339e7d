"""Judging on two cores: a forked worker judges about half of the files a run must judge,
this process the rest, and what is printed is what one process judging them all prints."""

from __future__ import annotations

import pytest

from rectify_cli import cores, dayparts

from .test_findings import _judged, generated  # noqa: F401 (a fixture)
from .test_index import _cold, _output, _settle

pytestmark = pytest.mark.skipif(cores.usable() < 2, reason="needs Linux and two cores")

DAY, OTHER_DAY = ("--as-of", "2025-09-01"), ("--as-of", "2025-08-01")
COMMANDS = [("check", "--format", "json"), ("check",), ("status", "--format", "json"),
            ("status", "--format", "json", "--by", "unit", "--include-support")]
TASK_FILES = [f"plans/p001/tasks-00{n}.yaml" for n in range(3)]


def _warned(root) -> None:
    """Working days counted in a year whose official calendar is not out yet, by a milestone
    (warned of in the plan's file, which both shares judge with every plan) and by a task of
    the last task file (the worker's share)."""
    plan = root / "plans" / "p001" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("events:\n", "events:\n  far_off: 2031-03-03\n", 1).replace(
        "phases:", "  - id: far\n    title: 远期节点\n    due: 5 working days after far_off\nphases:", 1), encoding="utf-8")
    tasks = root / "plans" / "p001" / "tasks-002.yaml"
    text = tasks.read_text(encoding="utf-8")
    at = text.index("due: ")
    tasks.write_text(text[:at] + "due: 3 working days after far_off\n" + text[text.index("\n", at) + 1:],
                     encoding="utf-8")


@pytest.mark.parametrize("warned", [False, True], ids=["plain", "provisional"])
@pytest.mark.parametrize("mode", ["cold", "first", "new-day", "edit"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_two_cores_print_what_one_prints(generated, run, monkeypatch, args, mode, warned):  # noqa: F811
    if warned:
        _warned(generated)
    one = _cold(run, monkeypatch, *args, *DAY)  # judged in one process: below the threshold
    assert one[1] and ("2031" in one[1]) == warned
    if mode in ("new-day", "edit"):
        _output(run, *args, *(OTHER_DAY if mode == "new-day" else DAY))  # kept parts of another day / of every file
        _settle(generated)
    if mode == "edit":
        for name in TASK_FILES[1:]:
            path = generated / name
            path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    monkeypatch.setattr(dayparts, "MIN_SHARED_TASKS", 0)
    judged = _judged(monkeypatch)
    two = _cold(run, monkeypatch, *args, *DAY) if mode == "cold" else _output(run, *args, *DAY)
    assert two == one
    assert judged[0] == []  # no file judged first, so that what every judging loads is loaded before the fork
    del judged[0]
    if mode == "edit":
        assert judged == [[TASK_FILES[1]]]  # the first edited file here, the second in the worker
    else:
        assert len(judged) == 1 and TASK_FILES[2] not in judged[0] and TASK_FILES[0] in judged[0]


def test_a_share_with_a_finding_in_no_file_of_the_ledger_is_judged_in_one_process(generated, run, monkeypatch):  # noqa: F811
    args = ("check", "--format", "json", *DAY)
    one = _output(run, *args)
    monkeypatch.setattr(dayparts, "MIN_SHARED_TASKS", 0)
    real = dayparts._share_made
    monkeypatch.setattr(dayparts, "_share_made", lambda *a, **k: None if k["keep"] else real(*a, **k))
    judged = _judged(monkeypatch)
    assert _cold(run, monkeypatch, *args) == one
    assert judged == [[], None]  # nothing of the shares used: the ledger judged whole


def test_a_failed_worker_leaves_its_share_to_this_process(generated, run, monkeypatch):  # noqa: F811
    args = ("status", "--format", "json", *DAY)
    one = _cold(run, monkeypatch, *args)

    def fails(n):
        raise RuntimeError("a worker that fails")

    monkeypatch.setattr(dayparts, "MIN_SHARED_TASKS", 0)
    monkeypatch.setattr(dayparts, "_judge_share", fails)  # the worker is forked after this: it fails
    judged = _judged(monkeypatch)
    assert _output(run, *args) == one
    assert len(judged) == 3 and judged[0] == [] and judged[2] is None  # this process's share, then every file


@pytest.mark.parametrize("args", [("check", "--format", "json"), ("status", "--format", "json")], ids=" ".join)
def test_three_shares_print_what_one_judging_prints(generated, run, monkeypatch, args):  # noqa: F811
    """On a machine of three cores, two workers: each task file is a share of its own."""
    _warned(generated)
    one = _cold(run, monkeypatch, *args, *DAY)
    _output(run, *args, *OTHER_DAY)
    _settle(generated)
    monkeypatch.setattr(dayparts, "MIN_SHARED_TASKS", 0)
    monkeypatch.setattr(cores, "usable", lambda: 3)
    judged = _judged(monkeypatch)
    assert _output(run, *args, *DAY) == one
    assert judged == [[], ["plans/p001/issues.yaml", "plans/p001/plan.yaml", TASK_FILES[0]]]  # the other two in workers
    judged.clear()
    assert _cold(run, monkeypatch, *args, *DAY) == one
    assert judged == [[], ["plans/p001/issues.yaml", "plans/p001/plan.yaml", TASK_FILES[0]]]

