"""Writing several files: all of them, or, when one is refused or fails, none."""

from __future__ import annotations

import os
import subprocess

import pytest

from rectify_cli import atomic
from rectify_cli.atomic import ANY, ChangedOnDisk, sweep_stale, write_all, write_atomic

from .conftest import write
from .test_edit_actions import TASKS, repo, untouched  # noqa: F401 (repo: fixture)


def _leftovers(directory):
    return [p.name for p in directory.rglob("*.tmp")]


def test_every_file_is_written(tmp_path):
    old = write(tmp_path / "old.txt", "旧")
    write_all([(old, "新", b"\xe6\x97\xa7"), (tmp_path / "sub" / "new.txt", "新文件", None)])
    assert old.read_text(encoding="utf-8") == "新"
    assert (tmp_path / "sub" / "new.txt").read_text(encoding="utf-8") == "新文件"
    assert _leftovers(tmp_path) == []


def test_a_refused_file_leaves_the_others_unwritten(tmp_path):
    first = write(tmp_path / "a.txt", "a")
    second = write(tmp_path / "b.txt", "changed by someone else")
    with pytest.raises(ChangedOnDisk):
        write_all([(first, "A", b"a"), (second, "B", b"b"), (tmp_path / "c.txt", "C", None)])
    assert first.read_text() == "a" and second.read_text() == "changed by someone else"
    assert not (tmp_path / "c.txt").exists() and _leftovers(tmp_path) == []


def test_a_failed_rename_puts_back_what_was_already_replaced(tmp_path, monkeypatch):
    first = write(tmp_path / "a.txt", "a")
    created = tmp_path / "new.txt"
    third = write(tmp_path / "c.txt", "c")
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith("c.txt") and str(src).endswith(".tmp"):
            raise OSError(28, "No space left on device", src)
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(OSError) as raised:
        write_all([(first, "A", ANY), (created, "N", None), (third, "C", ANY)])
    assert raised.value.filename == str(third)  # the target, not a temporary name
    assert first.read_text() == "a" and third.read_text() == "c" and not created.exists()
    assert _leftovers(tmp_path) == []


def test_new_plan_writes_its_three_files_or_none(run, repo, monkeypatch):
    """On a file system without hard links, where the disk fills at the last file."""
    real_replace = os.replace

    def no_links(src, dst, *args, **kwargs):
        raise OSError(1, "Operation not permitted")

    def replace(src, dst):
        if str(dst).endswith("tasks.yaml"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "link", no_links)
    monkeypatch.setattr(atomic.os, "replace", replace)
    code, out, err = run("new", "plan", "--id", "p7", "--title", "试", "--lang", "en")
    assert code == 2
    assert err.strip() == "rectify: error: cannot write plans/p7/tasks.yaml: No space left on device; no file was changed"
    left = repo / "plans" / "p7"
    assert not left.exists() or [p.name for p in left.iterdir()] == []
    assert untouched(repo)
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert run("new", "plan", "--id", "p7", "--title", "试")[0] == 0  # and it works once there is room
    assert sorted(p.name for p in left.iterdir()) == ["issues.yaml", "plan.yaml", "tasks.yaml"]


# -- temporaries left by killed runs ------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_stale_temporaries_are_swept_by_the_next_edit_and_never_read(run, repo):
    """A run killed between writing its temporary and renaming it leaves
    `.tasks.yaml.rectify-tmp-PID-X.tmp`; `check` does not read it, and the next
    edit of that file removes it, unless its writer is still alive."""
    folder = (repo / TASKS).parent
    stale = folder / f".tasks.yaml.rectify-tmp-{_dead_pid()}-k1ll3d.tmp"
    stale.write_text("kind: tasks\nplan: p1\ntasks: [broken\n", encoding="utf-8")
    live = folder / f".tasks.yaml.rectify-tmp-{os.getppid()}-wr1t1n.tmp"
    live.write_text("half", encoding="utf-8")
    other = folder / f".plan.yaml.rectify-tmp-{_dead_pid()}-0ther.tmp"
    other.write_text("x", encoding="utf-8")
    before = run("check", "--lang", "en")
    assert "rectify-tmp" not in before[1] + before[2]
    assert before[0] in (0, 1) and "0 errors" in before[1]
    assert run("progress", "T-01-1", "清理", "--lang", "en")[0] == 0
    assert not stale.exists()
    assert live.exists() and other.exists()  # alive; and another file's: swept when that file is written
    assert [p.name for p in folder.iterdir() if p.name.startswith(".tasks.yaml.")] == [live.name]


def test_every_durable_write_sweeps_its_targets_stale_temporaries(tmp_path):
    target = tmp_path / "report.html"
    dead = _dead_pid()
    stale = tmp_path / f".report.html.rectify-tmp-{dead}-a1b2c3.tmp"
    stale.write_text("old")
    not_ours = tmp_path / f".report.html.rectify-tmp-{dead}-dir.tmp"
    not_ours.mkdir()
    unrelated = tmp_path / ".report.html.other.tmp"
    unrelated.write_text("kept")
    write_atomic(target, "<html>")
    assert target.read_text() == "<html>"
    assert not stale.exists() and not_ours.is_dir() and unrelated.exists()
    assert sweep_stale(target) == []


def test_a_temporary_whose_pid_cannot_be_a_process_is_left_alone(tmp_path):
    odd = tmp_path / ".a.txt.rectify-tmp-99999999999999999999-x.tmp"
    odd.write_text("?")
    write_atomic(tmp_path / "a.txt", "a")
    assert odd.exists() and (tmp_path / "a.txt").read_text() == "a"
