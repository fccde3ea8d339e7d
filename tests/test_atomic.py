"""Writing several files: all of them, or, when one is refused or fails, none."""

from __future__ import annotations

import os

import pytest

from rectify_cli import atomic
from rectify_cli.atomic import ANY, ChangedOnDisk, write_all

from .conftest import write
from .test_edit_actions import repo, untouched  # noqa: F401 (repo: fixture)


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
