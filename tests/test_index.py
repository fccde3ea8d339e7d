"""The repository index: a warm run of an unchanged ledger reads no plan file and builds
no model, and is never fooled into an answer the files do not give."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from rectify_cli import index as index_module, store
from rectify_cli import loader

from .conftest import REPO

EXAMPLE = REPO / "examples" / "wenling-yingshang-2023"  # overdue items, outcomes and suggestions
DATED = REPO / "examples" / "qingyuan-rd-xuncha-2025"  # progress, done dates and reviews through 2025
LATER_NS = 3600 * 10**9  # an hour: far past any timestamp granularity


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    return _copy(EXAMPLE, tmp_path, monkeypatch)


@pytest.fixture
def dated_ledger(tmp_path, monkeypatch):
    return _copy(DATED, tmp_path, monkeypatch)


def _copy(example: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of an example (its files under plans/) in a fresh cache, worked in from its folder."""
    root = tmp_path / "ledger"
    (root / "plans").mkdir(parents=True)
    for path in example.iterdir():
        shutil.copy2(path, root / ("rectify.yaml" if path.name == "rectify.yaml" else f"plans/{path.name}"))
    (root / ".git").mkdir()  # marks the repository root
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def _index_files(ledger: Path) -> list[Path]:
    return sorted(p for p in (ledger.parent / "cache").glob("parse-*/index-*") if not p.name.endswith(("-day", "-rules", "-findings", "-rows", "-rows-new")))


def _rows_file(ledger: Path) -> Path:
    (path,) = (ledger.parent / "cache").glob("parse-*/index-*-rows")
    return path


def _read_sealed(path: Path):
    import pickle

    return pickle.loads(store.unseal(index_module._MAGIC, path.name.encode(), path.read_bytes()))


def _write_sealed(path: Path, document) -> None:
    import pickle

    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps(document)))


def _day_files(ledger: Path) -> list[Path]:
    return sorted((ledger.parent / "cache").glob("parse-*/index-*-day"))


def _rules_files(ledger: Path) -> list[Path]:
    return sorted((ledger.parent / "cache").glob("parse-*/index-*-rules"))


def _settle(ledger: Path) -> None:
    """As if the index had been written an hour after the files: past the racy window."""
    for path in _index_files(ledger):
        info = os.stat(path)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + LATER_NS))


def _output(run, *args):
    code, out, err = run(*args, "--lang", "en")
    return code, out, err


def _no_plan_file_read(monkeypatch):
    from rectify_cli import tree

    real = tree.textfile.read_text

    def refuse(path, display):
        if Path(path).name != "rectify.yaml":
            raise AssertionError(f"read {display} although the index vouches for it")
        return real(path, display)

    monkeypatch.setattr(tree.textfile, "read_text", refuse)


def _files_built(monkeypatch) -> list[str]:
    """The files whose model a run builds (kept rows are not models), as it builds them."""
    from rectify_cli import indexed

    built, real = [], indexed.IndexColumns.parsed

    def parsed(self, name):
        built.append(name)
        return real(self, name)

    monkeypatch.setattr(indexed.IndexColumns, "parsed", parsed)
    return built


def test_a_warm_check_reads_no_file_and_builds_no_model(ledger, run, monkeypatch):
    cold = _output(run, "check", "--as-of", "2026-06-01")  # after everything the ledger records
    assert _index_files(ledger)
    _settle(ledger)
    _no_plan_file_read(monkeypatch)
    built = _files_built(monkeypatch)
    warm = _output(run, "check", "--as-of", "2026-06-01")
    assert warm == cold
    assert built == []  # every file's part is kept for the day: no model, not even the plan's
    assert "44 tasks" in cold[1] and cold[1].count("overdue:") == 21  # a real report, not an empty one


@pytest.mark.parametrize("by", ["plan", "issue", "category", "unit"])
def test_a_warm_status_json_builds_no_task_model(ledger, run, monkeypatch, by):
    """Every task's record comes from its rows (`facts`, `shown`): the tasks' file is not built."""
    args = ("status", "--format", "json", "--by", by, "--as-of", "2025-09-01")
    cold = _cold(run, monkeypatch, *args)
    _output(run, *args)
    _settle(ledger)
    built = _files_built(monkeypatch)
    assert _output(run, *args) == cold
    assert built == []  # every file's part is kept for the day: no model, not even the plan's
    assert cold[1].count('"supervision":') == 44  # every task's record, in full


@pytest.mark.parametrize("args", [
    ("status", "--format", "json", "--as-of", "2025-09-01"),
    ("check", "--format", "json", "--as-of", "2025-07-01"),
    ("check", "--format", "junit", "--as-of", "2026-03-01"),
    ("agenda", "--as-of", "2025-09-01"),
    ("report", "--as-of", "2025-10-20"),
])
def test_warm_answers_equal_cold_ones(ledger, run, monkeypatch, args):
    cold = _output(run, *args)
    _settle(ledger)
    _no_plan_file_read(monkeypatch)
    assert _output(run, *args) == cold


def test_an_edit_keeping_size_and_mtime_is_noticed(ledger, run):
    tasks = ledger / "plans" / "tasks.yaml"
    before = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    _settle(ledger)
    text = tasks.read_text(encoding="utf-8")
    assert "due: 3-12月" in text
    info = os.stat(tasks)
    tasks.write_text(text.replace("due: 3-12月", "due: 3-11月", 1), encoding="utf-8")
    # the same size, and the mtime put back as it was
    os.utime(tasks, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert os.stat(tasks).st_size == info.st_size and os.stat(tasks).st_mtime_ns == info.st_mtime_ns
    after = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    assert after != before
    tasks.write_text(text, encoding="utf-8")
    assert _output(run, "check", "--format", "json", "--as-of", "2025-09-01") == before


def test_a_racy_entry_is_read_again_even_when_stat_data_cannot_tell(ledger, run, monkeypatch):
    """Rewritten within the timestamp granularity, on a file system that keeps no finer
    ctime: the stat data is what the index recorded, but the file changed close to when
    the index was written, so its content decides."""
    tasks = ledger / "plans" / "tasks.yaml"
    before = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    recorded = index_module.stat_key(tasks)
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text(text.replace("due: 3-12月", "due: 3-11月", 1), encoding="utf-8")
    real = index_module.stat_key
    monkeypatch.setattr(index_module, "stat_key",
                        lambda path: recorded if Path(path).resolve() == tasks.resolve() else real(path))
    assert _output(run, "check", "--format", "json", "--as-of", "2025-09-01") != before


def test_a_changed_setting_makes_it_validate_again(ledger, run):
    before = _output(run, "check", "--as-of", "2025-09-01")
    _settle(ledger)
    settings = (ledger / "rectify.yaml").read_text(encoding="utf-8")
    assert "name: 财经工委" in settings
    (ledger / "rectify.yaml").write_text(settings.replace("name: 财经工委", "name: 财经工作委员会"), encoding="utf-8")
    renamed = _output(run, "check", "--as-of", "2025-09-01")
    assert renamed != before and "财经工委" in renamed[1]  # now a unit the registry does not know
    (ledger / "rectify.yaml").write_text(settings, encoding="utf-8")
    assert _output(run, "check", "--as-of", "2025-09-01") == before


def test_an_evidence_file_gone_makes_it_validate_again(tmp_path, run, monkeypatch):
    from .conftest import write_ledger

    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    root = write_ledger(
        tmp_path / "ledger", "kind: plan\nid: p\ntitle: 测试计划\nowner: 办公室\n",
        "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题一\n",
        "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n"
        "    due: 2025-12-31\n    status: done\n    done: 2025-12-01\n    evidence: [proof.pdf]\n",
    )
    (root / ".git").mkdir()
    (root / "plans" / "proof.pdf").write_text("x")
    monkeypatch.chdir(root)
    present = _output(run, "check", "--as-of", "2026-01-05")
    _settle(root)
    assert _output(run, "check", "--as-of", "2026-01-05") == present
    (root / "plans" / "proof.pdf").unlink()
    gone = _output(run, "check", "--as-of", "2026-01-05")
    assert gone != present and "proof.pdf" in gone[1]


@pytest.mark.parametrize("damage", ["flip", "truncate", "foreign"])
def test_a_damaged_or_forged_index_is_ignored(ledger, run, damage):
    before = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    (path,) = _index_files(ledger)
    data = path.read_bytes()
    if damage == "flip":
        data = data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:]
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:  # another tree's index put under this one's name
        body = store.unseal(index_module._MAGIC, path.name.encode(), data)
        data = store.seal(index_module._MAGIC, b"index-of-another-tree", body)
    path.write_bytes(data)
    _settle(ledger)
    assert _output(run, "check", "--format", "json", "--as-of", "2025-09-01") == before


@pytest.mark.parametrize("settled", [True, False], ids=["index-trusted", "files-read-again"])
@pytest.mark.parametrize("part", ["facts", "shown", "listed"])
def test_rows_of_the_wrong_types_are_not_used(ledger, run, monkeypatch, part, settled):
    """Rows read back from beside the index are checked, also when their file is read again
    (changed too close to the index to be trusted by stat) and the index keeps its entry for
    the same parse: only rows this run made itself go unchecked."""
    import pickle

    args = ("status", "--format", "json", "--as-of", "2025-09-01")
    before = _output(run, *args)
    path = _rows_file(ledger)
    kept = _read_sealed(path)

    def numbers(columns: tuple, field: int) -> tuple:  # a number in every row where a string belongs
        return tuple(tuple(42 for _ in column) if n == field else column for n, column in enumerate(columns))

    def broken_rows(kept: bytes) -> bytes:
        counts, columns, listed, shown, identities = pickle.loads(kept)
        if part == "facts":  # every task's id
            columns = pickle.dumps(numbers(pickle.loads(columns), 4))
        elif part == "shown":  # every task's issue, in what its record shows
            shown = pickle.dumps(numbers(pickle.loads(shown), 0))
        else:  # every task's id, in what the checks across files read
            issues, tasks, *rest = pickle.loads(listed)
            listed = pickle.dumps((issues, numbers(tasks, 4), *rest))
        return pickle.dumps((counts, columns, listed, shown, identities))

    _write_sealed(path, {name: (address, broken_rows(body)) for name, (address, body) in kept.items()})
    if part == "listed":  # read only when the ledger is validated again: a setting changed
        with (ledger / "rectify.yaml").open("a", encoding="utf-8") as config:
            config.write("progress_every: 20\n")
        before = _cold(run, monkeypatch, *args)
    if settled:
        _settle(ledger)
    assert _output(run, *args) == before
    assert '"issue":"' in before[1]


def test_kept_rows_are_checked_at_once_and_a_wrong_file_alone_is_refused():
    """Kept rows are type-checked in one pass over all files; when that finds something
    wrong, each file is checked alone, so only the wrong one is made again."""
    from rectify_cli.indexed import well_typed
    from rectify_cli.shown import Shown

    good = (("I-1", "I-2"), ("甲局", "乙局"), ("", ""), ("", ""), (3, 9), ((), (738000,)), ((), ()), ((), ()),
            (0, 0), ("", ""), ((), ()))
    wrong = (("I-1", 42), *good[1:])  # a number where an issue id belongs
    assert len(good) == len(Shown._fields)
    assert well_typed(Shown, {"a": good, "b": good}) == {"a", "b"}
    assert well_typed(Shown, {"a": good, "b": wrong, "c": good}) == {"a", "c"}
    assert well_typed(Shown, {}) == set()


@pytest.mark.parametrize("part", ["shown", "facts"])
@pytest.mark.parametrize("which", [0, 1, 2])
def test_one_file_s_rows_of_the_wrong_types_leave_the_others_used(tmp_path, run, monkeypatch, which, part):
    """Of a ledger's task files, one's kept `Shown` (or `Facts`) rows are forged: its records
    come from its model, every other file's from the rows kept for it (whichever file is read
    first, alone)."""
    import pickle

    import subprocess
    import sys

    root = tmp_path / "ledger"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(root), "--tasks", "150"], check=True)  # a git repository of three task files
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    args = ("status", "--format", "csv", "--as-of", "2025-09-01")  # its records from rows (json's are kept whole)
    before = _output(run, *args)
    path = _rows_file(root)
    kept = _read_sealed(path)
    task_files = sorted(name for name, (_, body) in kept.items() if pickle.loads(body)[0][2])
    assert len(task_files) == 3
    forged = task_files[which]
    address, body = kept[forged]
    counts, columns, listed, shown, identities = pickle.loads(body)

    def numbers(body: bytes, field: int) -> bytes:  # a number in every row where a string belongs
        return pickle.dumps(tuple(tuple(42 for _ in column) if n == field else column
                                  for n, column in enumerate(pickle.loads(body))))

    if part == "shown":  # every task's issue
        shown = numbers(shown, 0)
    else:  # every task's id
        columns = numbers(columns, 4)
    kept[forged] = (address, pickle.dumps((counts, columns, listed, shown, identities)))
    _write_sealed(path, kept)
    _settle(root)
    built = _files_built(monkeypatch)
    assert _output(run, *args) == before
    assert forged in built and not (set(task_files) - {forged}) & set(built)


def test_the_index_builds_no_object(ledger, run):
    """Its unpickler refuses every class: a planted object is never built."""
    import pickle

    _output(run, "check")
    (path,) = _index_files(ledger)

    class Boom:
        def __reduce__(self):
            return (os.system, ("echo planted > planted.txt",))

    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps(({}, Boom(), {}))))
    _settle(ledger)
    _output(run, "check")
    assert not (ledger / "planted.txt").exists()


def test_items_dated_after_the_day_are_judged_as_they_stood(dated_ledger, run):
    """`--as-of` a day before some of the ledger's records: those items are replayed from
    the model (as_of), the rest judged from their rows, and the answer is the cold one."""
    days = ("2025-06-01", "2025-10-20", "2026-03-01")
    cold = [_output(run, "check", "--format", "json", "--as-of", day) for day in days]
    _settle(dated_ledger)
    assert [_output(run, "check", "--format", "json", "--as-of", day) for day in days] == cold
    assert loader.load("plans").columns.__class__.__name__ == "IndexColumns"


def test_a_day_s_rows_are_kept_for_that_day(tmp_path, run, monkeypatch):
    """The rows of items dated after the day are kept for the day they were made for: the
    next run of that day builds no task's model, and shows what a cold read shows."""
    dated_ledger = _copy(REPO / "plans" / "gq-2025", tmp_path, monkeypatch)  # done, notes, reviews through 2025
    day = ("--as-of", "2025-09-01")
    cold = [_cold(run, monkeypatch, *args, *day) for args in (("check", "--format", "json"), ("status", "--format", "json"))]
    _output(run, "check", *day)
    assert _day_files(dated_ledger)
    for path in (dated_ledger.parent / "cache").glob("parse-*/index-*-findings"):
        path.unlink()  # what check found is judged again: from the day's rows
    _settle(dated_ledger)
    built = _files_built(monkeypatch)
    assert _output(run, "check", "--format", "json", *day) == cold[0]
    assert built == ["plans/plan.yaml"]
    assert _output(run, "status", "--format", "json", *day) == cold[1]  # items shown: made again from the model
    later = [row for row in loader.load("plans").columns.task_rows() if row.later > dt.date(2025, 9, 1).toordinal()]
    assert len(later) >= 5  # a real replay, not a ledger with nothing dated later
    other = ("--as-of", "2025-10-20")  # another day: not what was kept
    assert _output(run, "check", "--format", "json", *other) == _cold(run, monkeypatch, "check", "--format", "json", *other)


@pytest.mark.parametrize("part", ["facts", "shown"])
def test_a_day_s_rows_of_the_wrong_types_are_not_used(tmp_path, run, monkeypatch, part):
    """The day's rows are read as the index's are: of another type, they are made again."""
    import pickle

    root = _copy(REPO / "plans" / "gq-2025", tmp_path, monkeypatch)
    args = ("status", "--format", "json", "--as-of", "2025-09-01")
    cold = _cold(run, monkeypatch, *args)
    assert _output(run, *args) == cold
    (path,) = _day_files(root)
    kept = pickle.loads(store.unseal(index_module._MAGIC, path.name.encode(), path.read_bytes()))
    assert kept

    def broken(body: bytes) -> bytes:
        facts, shown = pickle.loads(body)
        if part == "facts":  # every row's id
            facts = tuple(tuple(42 for _ in column) if n == 4 else column for n, column in enumerate(facts))
        else:  # every row's issue, in what its record shows
            columns = pickle.loads(shown)
            shown = pickle.dumps(tuple(tuple(42 for _ in column) if n == 0 else column for n, column in enumerate(columns)))
        return pickle.dumps((facts, shown))

    forged = {name: (key, broken(body)) for name, (key, body) in kept.items()}
    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps(forged)))
    _settle(root)
    assert _output(run, *args) == cold


def test_a_template_s_rows_follow_its_plan_s_series(tmp_path, run, monkeypatch):
    """The items a template stands for depend on its plan's events: a plan that changes them
    is not answered with rows kept for the old series."""
    root = _copy(REPO / "examples" / "heyuan-mianduimian-2024", tmp_path, monkeypatch)
    args = ("status", "--format", "json", "--as-of", "2025-01-10")
    before = _output(run, *args)
    plan = root / "plans" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(", 2024-12-20, 2025-03-20]", ", 2025-03-20]"),
                    encoding="utf-8")
    _settle(root)
    after = _output(run, *args)
    assert after == _cold(run, monkeypatch, *args)
    assert "2024-12-20" in before[1] and "2024-12-20" not in after[1]


def _cold(run, monkeypatch, *args):
    monkeypatch.setenv("RECTIFY_NO_CACHE", "1")
    try:
        return _output(run, *args)
    finally:
        monkeypatch.delenv("RECTIFY_NO_CACHE")


def test_after_one_file_is_edited_only_it_is_read_and_checked_again(ledger, run, monkeypatch):
    _output(run, "check", "--as-of", "2025-09-01")
    _settle(ledger)
    tasks = ledger / "plans" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("due: 3-12月", "due: 3-11月", 1), encoding="utf-8")
    built = _files_built(monkeypatch)
    edited = _output(run, "check", "--as-of", "2025-09-01")
    assert set(built) == {"plans/plan.yaml", "plans/tasks.yaml"}  # issues, outcomes, suggestions: their rows
    assert edited == _cold(run, monkeypatch, "check", "--as-of", "2025-09-01")
    assert "2023-11-30" in edited[1]


def _no_checks_across_files(monkeypatch):
    from rectify_cli import indexed

    def refuse(self):
        raise AssertionError("the checks across files ran again")

    monkeypatch.setattr(indexed.IndexColumns, "listing", refuse)


def test_an_edit_keeping_ids_and_references_does_not_check_across_files_again(ledger, run, monkeypatch):
    """Lines added above every task (so every position moves) and a title changed: the checks
    across files found nothing before, on the same ids and references, and are not run again."""
    args = ("check", "--format", "json", "--as-of", "2025-09-01")
    before = _output(run, *args)
    _settle(ledger)
    tasks = ledger / "plans" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    tasks.write_text("# 补记\n# 两行\n" + text.replace("高标准建设基层立法联系点", "高标准建好基层立法联系点", 1),
                     encoding="utf-8")
    cold = _cold(run, monkeypatch, *args)
    _no_checks_across_files(monkeypatch)
    assert _output(run, *args) == cold
    assert cold != before  # the overdue items' lines moved


@pytest.mark.parametrize("edit", ["duplicate id", "unknown issue"])
def test_an_edit_of_ids_or_references_checks_across_files_again(ledger, run, monkeypatch, edit):
    args = ("check", "--format", "json", "--as-of", "2025-09-01")
    _output(run, *args)
    _settle(ledger)
    tasks = ledger / "plans" / "tasks.yaml"
    text = tasks.read_text(encoding="utf-8")
    if edit == "duplicate id":
        text = text.replace("- id: T-1-2\n", "- id: T-1-1\n", 1)
    else:
        text = text.replace("  issue: I-1\n", "  issue: I-99\n", 1)
    tasks.write_text(text, encoding="utf-8")
    edited = _output(run, *args)
    assert edited == _cold(run, monkeypatch, *args)
    assert ("val.duplicate_id" if edit == "duplicate id" else "val.unknown_issue") in edited[1]


def test_a_problem_across_files_is_found_again_where_it_now_is(ledger, run, monkeypatch):
    """When the checks across files found something, they run again after any edit, so the
    problem is reported at the line it has moved to."""
    args = ("check", "--format", "json", "--as-of", "2025-09-01")
    tasks = ledger / "plans" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("- id: T-1-2\n", "- id: T-1-1\n", 1), encoding="utf-8")
    first = _output(run, *args)
    _settle(ledger)
    tasks.write_text("# 补记\n" + tasks.read_text(encoding="utf-8"), encoding="utf-8")
    moved = _output(run, *args)
    assert moved == _cold(run, monkeypatch, *args)
    assert "val.duplicate_id" in moved[1] and moved[1] != first[1]


def test_a_reference_broken_in_another_file_is_found_from_the_rows(ledger, run, monkeypatch):
    """The checks across files run on the kept rows of the files not read again."""
    issues = ledger / "plans" / "issues.yaml"
    text = issues.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.lstrip().startswith("- id:"))
    before = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    _settle(ledger)
    issues.write_text(text.replace(first, first + "X", 1), encoding="utf-8")
    broken = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    assert broken == _cold(run, monkeypatch, "check", "--format", "json", "--as-of", "2025-09-01")
    assert broken[0] == 2 and "val.unknown_issue" in broken[1] and before[0] != 2


@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").iterdir() if p.is_dir()))
def test_every_file_edited_in_turn_gives_the_answer_of_a_cold_read(example, tmp_path, run, monkeypatch):
    """Differential: whichever file changed, the index's answer (rows kept for the
    rest, each file's own checks kept or made again, the checks across files on rows)
    is the one a read of every file gives."""
    root = _copy(REPO / "examples" / example, tmp_path, monkeypatch)
    args = ("check", "--format", "json", "--as-of", "2025-06-01")
    _output(run, *args)
    for path in sorted((root / "plans").glob("*.yaml")):
        _settle(root)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        # drop the file's last entry line by line: whatever it held is gone, the rest shifts nowhere
        path.write_text("".join(lines[: max(1, len(lines) - 3)]) + "# edited\n", encoding="utf-8")
        assert _output(run, *args) == _cold(run, monkeypatch, *args), path.name
        path.write_text(text, encoding="utf-8")
        assert _output(run, *args) == _cold(run, monkeypatch, *args), path.name


def test_a_warm_check_does_not_read_the_rows(ledger, run, monkeypatch):
    """Each file's rows are kept beside the index, read only by a run that judges or shows
    its items: a warm `check` (its findings kept) reads the small index alone."""
    args = ("check", "--format", "json", "--as-of", "2025-09-01")
    cold = _output(run, *args)
    assert _rows_file(ledger).stat().st_size > 10 * _index_files(ledger)[0].stat().st_size
    _settle(ledger)
    real = index_module.Beside.beside.__func__

    def refuse(cls, index, kind):
        assert kind != "rows", "read the rows beside the index"
        return real(cls, index, kind)

    monkeypatch.setattr(index_module.Beside, "beside", classmethod(refuse))
    assert _output(run, *args) == cold


@pytest.mark.parametrize("damage", ["removed", "swapped"])
def test_rows_missing_beside_the_index_are_made_again_and_kept(tmp_path, run, monkeypatch, damage):
    """Rows gone from beside the index (or of another file's parse) are made from the models,
    the answer is a cold read's, and the next run keeps them again."""
    import subprocess
    import sys

    root = tmp_path / "ledger"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(root), "--tasks", "150"], check=True)
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    args = ("status", "--format", "json", "--as-of", "2025-09-01")
    cold = _cold(run, monkeypatch, *args)
    assert _output(run, *args) == cold
    path = _rows_file(root)
    if damage == "removed":
        path.unlink()
    else:  # each task file's rows under another task file's name
        kept = _read_sealed(path)
        tasks = sorted(name for name in kept if "tasks-" in name)
        _write_sealed(path, {**kept, **{a: kept[b] for a, b in zip(tasks, tasks[1:] + tasks[:1])}})
    _settle(root)
    assert _output(run, *args) == cold  # and the index forgets the files whose rows were not there
    _settle(root)
    assert _output(run, *args) == cold  # which are read again, their rows kept
    _settle(root)
    _no_plan_file_read(monkeypatch)
    built = _files_built(monkeypatch)
    assert _output(run, *args) == cold
    assert not [name for name in built if "tasks-" in name]  # every task file's rows kept again


def test_an_edit_writes_its_file_s_rows_beside_the_others(tmp_path, run, monkeypatch):
    """After an edit only the edited file's rows are written ("rows-new"), not every file's
    again; when those outgrow an eighth of the rest they join them in one file. Every answer
    is a cold read's."""
    import subprocess
    import sys

    root = tmp_path / "ledger"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(root), "--tasks", "1000"], check=True)
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    args = ("status", "--format", "json", "--as-of", "2025-09-01")
    _output(run, *args)
    rest = _rows_file(root)
    recent = rest.with_name(rest.name + "-new")
    written = rest.read_bytes()
    tasks = sorted((root / "plans").rglob("tasks-*.yaml"))
    assert len(tasks) >= 10

    def edit(path) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace("status: todo", "status: doing", 1), encoding="utf-8")
        _settle(root)

    edit(tasks[0])
    assert _output(run, *args) == _cold(run, monkeypatch, *args)
    assert rest.read_bytes() == written  # the others' rows are not written again
    assert list(_read_sealed(recent)) == [tasks[0].relative_to(root).as_posix()]
    _settle(root)
    assert _output(run, *args) == _cold(run, monkeypatch, *args)  # read from both files
    for path in tasks[1:4]:
        edit(path)
        _output(run, *args)
    assert rest.read_bytes() != written and len(_read_sealed(recent)) < 3  # joined once they outgrew an eighth
    cold = _cold(run, monkeypatch, *args)
    _settle(root)
    _no_plan_file_read(monkeypatch)
    built = _files_built(monkeypatch)
    assert _output(run, *args) == cold
    assert not [name for name in built if "tasks-" in name]
