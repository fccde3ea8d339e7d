"""What `status --format json` shows of each file, kept for the day: a warm run judges
nothing, an edit judges the edited file alone, a kept part that is not what a part holds
is made again, and every document is the one a cold read prints."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys

import orjson
import pytest

from rectify_cli.cli import common

from .conftest import REPO
from .test_findings import _edit_one, _forged, _judged, _kept_part, generated  # noqa: F401 (a fixture)
from .test_index import EXAMPLE, _cold, _copy, _output, _settle

DAY = ("--as-of", "2025-09-01")
ARGS = ("status", "--format", "json", *DAY)
FILTERS = [(), ("--by", "unit", "--include-support"), ("--by", "issue"), ("--by", "category"),
           ("--unit", "办公室"), ("--status", "overdue"), ("--status", "escalate"), ("--status", "due-soon", "--due-within", "30")]


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    return _copy(EXAMPLE, tmp_path, monkeypatch)


def _status_file(root):
    (path,) = (root.parent / "cache").glob("parse-*/index-*-status")
    return path


@pytest.mark.parametrize("filters", FILTERS)
def test_a_warm_status_judges_nothing_and_prints_what_a_cold_one_prints(ledger, run, monkeypatch, filters):
    args = (*ARGS, *filters)
    cold = _cold(run, monkeypatch, *args)
    assert _output(run, *args) == cold
    _settle(ledger)
    judged = _judged(monkeypatch)
    assert _output(run, *args) == cold
    assert judged == []
    document = orjson.loads(cold[1])
    assert cold[0] == 0 and document["issues"] and all("status" in issue for issue in document["issues"])
    if not filters:
        assert len(document["items"]) == 44 and document["total"]["overdue"] == 21 and len(document["issues"]) == 16


def test_after_one_file_is_edited_only_it_is_judged_and_the_others_stay_kept(generated, run, monkeypatch):  # noqa: F811
    _output(run, *ARGS)
    _settle(generated)
    edited = _edit_one(generated, 2)
    judged = _judged(monkeypatch)
    after = _output(run, *ARGS)
    assert judged == [[edited]]
    assert after == _cold(run, monkeypatch, *ARGS)
    _settle(generated)
    judged.clear()
    assert _output(run, *ARGS) == after
    assert judged == []  # every part is kept again, the ones read before the edit too


@pytest.mark.parametrize("change", ["issues", "day"])
def test_a_changed_issue_file_or_day_is_shown_as_a_cold_read_shows_it(ledger, run, monkeypatch, change):
    args = ARGS
    before = _output(run, *args)
    _settle(ledger)
    if change == "issues":  # an issue's title and category are in its record and its group
        issues = ledger / "plans" / "issues.yaml"
        text = issues.read_text(encoding="utf-8")
        assert "category: " in text
        issues.write_text(text.replace("category: ", "category: 新", 1), encoding="utf-8")
        args = (*ARGS, "--by", "category")
    else:
        args = ("status", "--format", "json", "--as-of", "2025-12-01")
    judged = _judged(monkeypatch)
    after = _output(run, *args)
    assert judged == ([["plans/issues.yaml"]] if change == "issues" else [None])
    assert after == _cold(run, monkeypatch, *args) and after != before
    _settle(ledger)
    judged.clear()
    assert _output(run, *args) == after
    assert judged == []  # what that run made is kept, and nothing else was lost


@pytest.mark.parametrize("forged", ["types", "status word", "day", "shape", "issue record", "plan", "problems"])
def test_kept_parts_of_the_wrong_shape_are_not_used(ledger, run, monkeypatch, forged):
    cold = _cold(run, monkeypatch, *ARGS)
    _output(run, *ARGS)
    path = _status_file(ledger)
    name = {"issue record": "plans/issues.yaml", "plan": "plans/plan.yaml"}.get(forged, "plans/tasks.yaml")
    tasks, issues, plans, problems = _kept_part(path, name)
    assert {"issue record": issues, "plan": plans}.get(forged, tasks)[0]  # something kept to forge
    if forged == "types":  # a number where each id belongs
        tasks = tuple(tuple(7 for _ in column) if n == 1 else column for n, column in enumerate(tasks))
    elif forged == "status word":
        tasks = tuple(tuple("finished" for _ in column) if n == 3 else column for n, column in enumerate(tasks))
    elif forged == "day":  # no day's ordinal
        tasks = tuple(tuple(-1 for _ in column) if n == 7 else column for n, column in enumerate(tasks))
    elif forged == "shape":
        tasks = tasks[:5]
    elif forged == "issue record":  # a record that is no object: the issue's state could not be added to it
        issues = (*issues[:4], tuple(b"[]" for _ in issues[4]))
    elif forged == "plan":  # a number where the plan's title belongs
        plans = (plans[0], tuple(7 for _ in plans[1]), plans[2])
    else:  # something that is no list of problems
        problems = pickle.dumps({"not": "problems"})
    judged = _forged(ledger, monkeypatch, path, name, (tasks, issues, plans, problems))
    assert _output(run, *ARGS) == cold
    assert judged == [[name]]


def test_a_status_after_a_check_makes_its_own_parts_once(ledger, run, monkeypatch):
    """`check` keeps only its findings; the first status of the day makes its parts from one
    judging of every file, and the next judges nothing."""
    _output(run, "check", *DAY)
    _settle(ledger)
    judged = _judged(monkeypatch)
    first = _output(run, *ARGS)
    _settle(ledger)
    assert _output(run, *ARGS) == first
    assert judged == [None]  # once for every file's part, then not at all
    assert first == _cold(run, monkeypatch, *ARGS)


@pytest.mark.parametrize("args", [["check"], ["status", "--format", "json"], ["status", "--format", "json", "--by", "issue"]])
def test_a_warm_run_imports_no_judge(tmp_path, args):
    """What is kept is read, counted and printed without the judge (`schedule`, `deadlines`,
    `calendar`, `supervision`) or the model's entities (`model`, see `values`): a warm run
    imports none of them."""
    from .test_quick_start import NOT_IMPORTED, QUICK_RUN, _demo

    root = _demo(tmp_path)
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "zh"}
    judge = ("rectify_cli.schedule", "rectify_cli.deadlines", "rectify_cli.calendar", "rectify_cli.supervision",
             "rectify_cli.model")
    script = QUICK_RUN.replace(NOT_IMPORTED, repr(judge))
    args = [*args, "--as-of", "2025-10-20"]
    first = subprocess.run([sys.executable, "-c", script, *args], cwd=root, env=env, capture_output=True, text=True)
    assert first.stdout.rpartition("\n@@")[2].strip().endswith(repr(sorted(judge)))  # the first run judges
    for path in (tmp_path / "cache").rglob("index-*"):  # as if written an hour after the files: no file is read again
        info = os.stat(path)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 3600 * 10**9))
    warm = subprocess.run([sys.executable, "-c", script, *args], cwd=root, env=env, capture_output=True, text=True)
    printed, _, tail = warm.stdout.rpartition("\n@@")
    assert tail.strip().endswith(" []"), tail
    assert printed == first.stdout.rpartition("\n@@")[0]


DOCUMENT = {"as_of": "2025-09-01", "plans": [{"id": "p", "title": "整改"}], "items": None, "n": 3, "issues": None}
ITEMS = [{"id": f"T-{n}", "title": "完善 \"制度\"", "done": None, "support": ["甲", "乙"]} for n in range(300)]
ISSUES = [{"plan": "p", "id": "I-1", "status": "todo"}]


def _printed(monkeypatch, terminal: bool, document: dict, encoded: dict | None) -> bytes:
    """What `out_json` writes to a (pretend) terminal or a pipe."""
    buffer = io.BytesIO()
    stream = io.TextIOWrapper(buffer, encoding="utf-8")
    monkeypatch.setattr(common.sys, "stdout", stream)
    monkeypatch.setattr(common, "colour_enabled", lambda *a: terminal)
    common.out_json(document, encoded=encoded)
    stream.flush()
    return buffer.getvalue()


@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("case", ["plain", "mark in a text", "control in a record", "empty"])
def test_encoded_arrays_print_as_the_whole_document_prints(monkeypatch, terminal, case):
    document, items, issues = dict(DOCUMENT), list(ITEMS), list(ISSUES)
    if case == "mark in a text":  # a title holding the very mark an array is put in place of
        document["plans"] = [{"id": "p", "title": "\0rectify-encoded:items\0"}]
    elif case == "control in a record":  # escaped for the terminal like any text
        items[7] = {**items[7], "title": "\x1b[31m红\x1b[0m"}
    elif case == "empty":
        items, issues = [], []
    whole = {**document, "items": items, "issues": issues}
    encoded = {"items": [orjson.dumps(i) for i in items], "issues": [orjson.dumps(i) for i in issues]}
    expected = _printed(monkeypatch, terminal, whole, None)
    assert _printed(monkeypatch, terminal, document, encoded) == expected
    if case == "control in a record":
        assert b"\x1b" not in expected
    else:
        assert orjson.loads(expected) == whole
