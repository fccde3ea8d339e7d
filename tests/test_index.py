"""The repository index: a warm run of an unchanged ledger reads no plan file and builds
no model, and is never fooled into an answer the files do not give."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rectify_cli import index as index_module, store
from rectify_cli import loader

from .conftest import REPO

EXAMPLE = REPO / "examples" / "qingyuan-rd-xuncha-2025"
LATER_NS = 3600 * 10**9  # an hour: far past any timestamp granularity


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    """A copy of an example (its files under plans/) in a fresh cache, worked in from its folder."""
    root = tmp_path / "ledger"
    (root / "plans").mkdir(parents=True)
    for path in EXAMPLE.iterdir():
        shutil.copy2(path, root / ("rectify.yaml" if path.name == "rectify.yaml" else f"plans/{path.name}"))
    (root / ".git").mkdir()  # marks the repository root
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def _index_files(ledger: Path) -> list[Path]:
    return sorted((ledger.parent / "cache").glob("parse-*/index-*"))


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

    real = tree.yamlsafe.read_text

    def refuse(path, display):
        if Path(path).name != "rectify.yaml":
            raise AssertionError(f"read {display} although the index vouches for it")
        return real(path, display)

    monkeypatch.setattr(tree.yamlsafe, "read_text", refuse)


def test_a_warm_check_reads_no_file_and_builds_no_model(ledger, run, monkeypatch):
    cold = _output(run, "check", "--as-of", "2026-06-01")  # after everything the ledger records
    assert _index_files(ledger)
    _settle(ledger)
    _no_plan_file_read(monkeypatch)

    from rectify_cli import indexed

    built, real = [], indexed.IndexColumns.parsed

    def parsed(self, name):
        built.append(name)
        return real(self, name)

    monkeypatch.setattr(indexed.IndexColumns, "parsed", parsed)
    warm = _output(run, "check", "--as-of", "2026-06-01")
    assert warm == cold
    assert set(built) == {"plans/plan.yaml"}  # the plan (its calendar, events), never the tasks
    assert "24 tasks" in cold[1]  # a real report, not an empty one


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
    assert "status: done  #" in text
    info = os.stat(tasks)
    tasks.write_text(text.replace("status: done  #", "status: doing #", 1), encoding="utf-8")
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
    tasks.write_text(text.replace("status: done  #", "status: doing #", 1), encoding="utf-8")
    real = index_module.stat_key
    monkeypatch.setattr(index_module, "stat_key",
                        lambda path: recorded if Path(path).resolve() == tasks.resolve() else real(path))
    assert _output(run, "check", "--format", "json", "--as-of", "2025-09-01") != before


def test_a_changed_setting_makes_it_validate_again(ledger, run):
    before = _output(run, "check", "--as-of", "2025-09-01")
    _settle(ledger)
    settings = (ledger / "rectify.yaml").read_text(encoding="utf-8")
    (ledger / "rectify.yaml").write_text(settings + "require_evidence: done\n", encoding="utf-8")
    required = _output(run, "check", "--as-of", "2025-09-01")
    assert required != before and "evidence" in required[1]
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


def test_rows_of_the_wrong_types_are_not_used(ledger, run):
    import pickle

    before = _output(run, "check", "--format", "json", "--as-of", "2025-09-01")
    (path,) = _index_files(ledger)
    body = store.unseal(index_module._MAGIC, path.name.encode(), path.read_bytes())
    entries, validation = pickle.loads(body)
    broken = {name: (*entry[:7], (entry[7][0], tuple((*row[:4], 42, *row[5:]) for row in entry[7][1])))
              for name, entry in entries.items()}
    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps((broken, validation))))
    _settle(ledger)
    assert _output(run, "check", "--format", "json", "--as-of", "2025-09-01") == before


def test_the_index_builds_no_object(ledger, run):
    """Its unpickler refuses every class: a planted object is never built."""
    import pickle

    _output(run, "check")
    (path,) = _index_files(ledger)

    class Boom:
        def __reduce__(self):
            return (os.system, ("echo planted > planted.txt",))

    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps(({}, Boom()))))
    _settle(ledger)
    _output(run, "check")
    assert not (ledger / "planted.txt").exists()


def test_items_dated_after_the_day_are_judged_as_they_stood(ledger, run):
    """`--as-of` a day before some of the ledger's records: those items are replayed from
    the model (as_of), the rest judged from their rows, and the answer is the cold one."""
    days = ("2025-06-01", "2025-10-20", "2026-03-01")
    cold = [_output(run, "check", "--format", "json", "--as-of", day) for day in days]
    _settle(ledger)
    assert [_output(run, "check", "--format", "json", "--as-of", day) for day in days] == cold
    assert loader.load("plans").columns.__class__.__name__ == "IndexColumns"
