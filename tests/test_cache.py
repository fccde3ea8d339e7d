"""The parse cache: another road to the same model, never a stale or unsafe one."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest

from rectify_cli import cache as cache_module
from rectify_cli import loader as load
from rectify_cli.cache import ParseCache
from rectify_cli.loader import discover, load_files

from .conftest import REPO, write

LEDGERS = [REPO / "plans", *sorted(p for p in (REPO / "examples").iterdir() if p.is_dir())]


def _everything(repo):
    """The model with what equality leaves out: every entity's field positions."""
    return repo, [(e.id, dict(e.fields)) for e in (*repo.plans, *repo.issues, *repo.tasks)]


def _entries(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


@pytest.mark.parametrize("ledger", LEDGERS, ids=lambda p: p.name)
def test_a_cached_read_equals_a_parsed_one(ledger, tmp_path, monkeypatch):
    monkeypatch.chdir(ledger.parent)
    files, _ = discover([ledger])
    parsed, parse_problems = load_files(files)
    cache = ParseCache(tmp_path)
    filled, fill_problems = load_files(files, cache)
    assert len(_entries(tmp_path)) == len(files)

    def no_parsing(*args):
        raise AssertionError("parsed although cached")

    monkeypatch.setattr(load, "parse_text", no_parsing)
    cached, cached_problems = load_files(files, cache)
    assert _everything(cached) == _everything(filled) == _everything(parsed)
    assert cached_problems == fill_problems == parse_problems == []


def _one_plan(tmp_path: Path, title: str) -> Path:
    return write(tmp_path / "plans" / "p.yaml", f"kind: plan\nid: p\ntitle: {title}\n")


def test_a_changed_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    path = _one_plan(tmp_path, "旧标题")
    assert load_files([path], cache)[0].plans[0].title == "旧标题"
    _one_plan(tmp_path, "新标题")
    assert load_files([path], cache)[0].plans[0].title == "新标题"
    assert len(_entries(tmp_path / "cache")) == 2


def test_the_same_text_under_another_name_is_another_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    first = _one_plan(tmp_path, "t")
    second = write(tmp_path / "other" / "p.yaml", first.read_text(encoding="utf-8"))
    load_files([first], cache)
    repo, _ = load_files([second], cache)
    assert repo.plans[0].source.file == os.path.join("other", "p.yaml")


def _entry_of(cache: ParseCache, path: Path) -> Path:
    (entry,) = _entries(cache.directory)
    return entry


def test_a_damaged_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    path = _one_plan(tmp_path, "标题")
    load_files([path], cache)
    entry = _entry_of(cache, path)
    data = bytearray(entry.read_bytes())
    data[-5] ^= 0xFF
    entry.write_bytes(bytes(data))
    assert load_files([path], cache)[0].plans[0].title == "标题"
    entry.write_bytes(entry.read_bytes()[:40])  # truncated
    assert load_files([path], cache)[0].plans[0].title == "标题"


def _forge(entry: Path, body: bytes) -> None:
    entry.write_bytes(cache_module._MAGIC + hashlib.blake2b(body, digest_size=32).digest() + body)


class _RunsACommand:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_forged_entry_cannot_run_code(tmp_path, monkeypatch):
    """Even with a valid digest (someone who can write the cache directory),
    an entry can only ever build the model's classes."""
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    path = _one_plan(tmp_path, "标题")
    load_files([path], cache)
    marker = tmp_path / "pwned"
    _forge(_entry_of(cache, path), pickle.dumps(_RunsACommand(marker)))
    repo, problems = load_files([path], cache)
    assert not marker.exists()
    assert repo.plans[0].title == "标题" and problems == []


def test_a_forged_entry_of_the_wrong_shape_is_ignored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    path = _one_plan(tmp_path, "标题")
    load_files([path], cache)
    _forge(_entry_of(cache, path), pickle.dumps(([1], [], [])))
    assert load_files([path], cache)[0].plans[0].title == "标题"


def test_an_unwritable_cache_is_no_cache(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    blocker = write(tmp_path / "not-a-directory", "")
    path = _one_plan(tmp_path, "标题")
    repo, problems = load_files([path], ParseCache(blocker / "cache"))
    assert repo.plans[0].title == "标题" and problems == []


def test_settings_turn_it_off_or_move_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "here"))
    configured = cache_module.configured()
    assert configured is not None and configured.directory.parent == tmp_path / "here"
    monkeypatch.setenv("RECTIFY_NO_CACHE", "1")
    assert cache_module.configured() is None


def test_the_command_line_fills_the_configured_cache(run, tmp_path, monkeypatch):
    ledger = tmp_path / "ledger"
    shutil.copytree(REPO / "plans", ledger / "plans")
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    first = run("status", "--as-of", "2025-12-01", cwd=ledger)
    assert _entries(tmp_path / "cache")
    assert run("status", "--as-of", "2025-12-01", cwd=ledger) == first
    monkeypatch.setenv("RECTIFY_NO_CACHE", "1")
    shutil.rmtree(tmp_path / "cache")
    assert run("status", "--as-of", "2025-12-01", cwd=ledger) == first
    assert not (tmp_path / "cache").exists()


def test_a_new_reading_code_generation_removes_the_old_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    old = ParseCache(tmp_path / "cache" / "parse-old")
    path = _one_plan(tmp_path, "标题")
    load_files([path], old)
    unrelated = write(tmp_path / "cache" / "notes.txt", "kept")
    load_files([path], ParseCache(tmp_path / "cache" / "parse-new"))
    assert not old.directory.exists() and unrelated.exists()
    assert _entries(tmp_path / "cache" / "parse-new")
