"""The parse cache: another road to the same model, never a stale or unsafe one."""

from __future__ import annotations

import os
import pickle
import shutil
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from rectify_cli import cache as cache_module, store
from rectify_cli import loader as load
from rectify_cli import model
from rectify_cli.cache import ParseCache
from rectify_cli.loader import discover, load_files
from rectify_cli.model import Source

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
    """What someone who can write the cache directory could plant: a well-sealed entry."""
    entry.write_bytes(store.seal(cache_module._MAGIC, bytes.fromhex(entry.name), body))


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


# --- a cache directory someone else can reach (issue 19, item 6) ----------


def _filled(tmp_path: Path, monkeypatch, title: str = "标题") -> tuple[ParseCache, Path, Path]:
    """A plan file and the one cache entry made from it."""
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache" / "parse-x")
    path = _one_plan(tmp_path, title)
    load_files([path], cache)
    (entry,) = _entries(cache.directory)
    return cache, path, entry


def _parses(monkeypatch) -> list[str]:
    """The files parsed (not read from the cache) from now on."""
    parsed: list[str] = []
    real = load.parse_text

    def counting(display, text):
        parsed.append(display)
        return real(display, text)

    monkeypatch.setattr(load, "parse_text", counting)
    return parsed


def test_a_symlink_at_an_entry_name_is_neither_followed_nor_written_through(tmp_path, monkeypatch):
    cache, path, entry = _filled(tmp_path, monkeypatch)
    target = write(tmp_path / "precious.txt", "keep me")
    moved = tmp_path / "elsewhere"
    entry.rename(moved)  # a valid entry, but reached through a link
    entry.symlink_to(moved)
    parsed = _parses(monkeypatch)
    assert load_files([path], cache)[0].plans[0].title == "标题"
    assert len(parsed) == 1  # the entry behind the link was not read
    entry.unlink()
    entry.symlink_to(target)
    assert load_files([path], cache)[0].plans[0].title == "标题"  # parsed again, and stored ...
    assert target.read_text(encoding="utf-8") == "keep me"  # ... without writing through the link
    assert not entry.is_symlink() and entry.is_file()


def test_a_fifo_at_an_entry_name_is_not_waited_on(tmp_path):
    """A command must finish (before: every command hung on the FIFO)."""
    ledger = tmp_path / "ledger"
    shutil.copytree(REPO / "plans", ledger / "plans")
    env = {**os.environ, "RECTIFY_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", "from rectify_cli.cli import main; main()", "check", "--as-of", "2025-12-01"]
    first = subprocess.run(command, cwd=ledger, env=env, capture_output=True, text=True, timeout=120)
    entries = [p for p in _entries(tmp_path / "cache") if p.parent.parent.name.startswith("parse-")]
    assert entries
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry)
    again = subprocess.run(command, cwd=ledger, env=env, capture_output=True, text=True, timeout=120)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)


def _stores(monkeypatch, change) -> None:
    """The cache stores `change(parsed)` instead of the parse: an entry sealed as the
    cache itself seals, whatever its format, holding what an attacker chose."""
    real = ParseCache.put

    def put(self, display, text, parsed):
        real(self, display, text, change(parsed))

    monkeypatch.setattr(ParseCache, "put", put)


@pytest.mark.parametrize(
    "field, value",
    [("title", 5), ("source", Source("p.yaml", "1", 1)), ("fields", {"title": "3:1"}), ("events", [])],
)
def test_an_entry_with_a_field_of_the_wrong_type_is_ignored(run, tmp_path, monkeypatch, field, value):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    _one_plan(tmp_path, "标题")
    honest = ParseCache.put
    _stores(monkeypatch, lambda parsed: ([replace(parsed[0][0], **{field: value})], [], []))
    first = run("status", "--format", "json", "--as-of", "2025-12-01")  # parsed, and the forged parse stored
    assert first[0] == 0 and _entries(tmp_path / "cache")
    monkeypatch.setattr(ParseCache, "put", honest)
    parsed = _parses(monkeypatch)
    assert run("status", "--format", "json", "--as-of", "2025-12-01") == first
    assert parsed  # the entry was refused and the file parsed again


def test_an_entry_planted_under_another_files_name_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = ParseCache(tmp_path / "cache" / "parse-x")
    mine = write(tmp_path / "plans" / "a.yaml", "kind: plan\nid: a\ntitle: 真的\n")
    load_files([mine], cache)
    (planted,) = _entries(cache.directory)
    theirs = write(tmp_path / "plans" / "b.yaml", "kind: plan\nid: b\ntitle: 假的\n")
    load_files([theirs], cache)
    (target,) = set(_entries(cache.directory)) - {planted}
    shutil.copyfile(planted, target)  # b.yaml's entry now says what a.yaml says
    repo, problems = load_files([theirs], cache)
    assert (repo.plans[0].id, repo.plans[0].title, problems) == ("b", "假的", [])


def _used(tmp_path: Path, monkeypatch, base: Path) -> tuple[list[str], list[Path]]:
    """(files parsed, cache files) after two reads with `base` as the cache directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(base))
    path = _one_plan(tmp_path, "标题")
    parsed = _parses(monkeypatch)
    for _ in range(2):
        cache = cache_module.configured()
        assert load_files([path], cache)[0].plans[0].title == "标题"
    return parsed, _entries(base)


def test_a_new_cache_directory_is_private(tmp_path, monkeypatch):
    parsed, entries = _used(tmp_path, monkeypatch, tmp_path / "new" / "rectify")
    assert len(parsed) == 1 and entries  # parsed once, then read from the cache
    assert stat.S_IMODE((tmp_path / "new" / "rectify").stat().st_mode) == 0o700
    assert all(stat.S_IMODE(e.stat().st_mode) == 0o600 for e in entries)


def test_a_cache_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    base = tmp_path / "shared"
    _used(tmp_path, monkeypatch, base)  # filled while it was private
    before = _entries(base)
    base.chmod(0o777)
    parsed, entries = _used(tmp_path, monkeypatch, base)
    assert parsed == [os.path.join("plans", "p.yaml")] * 2  # nothing read from it ...
    assert entries == before  # ... nothing written to it


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a directory away needs root")
def test_a_cache_directory_of_another_user_is_not_used(tmp_path, monkeypatch):
    base = tmp_path / "theirs"
    _used(tmp_path, monkeypatch, base)
    before = _entries(base)
    os.chown(base, 12345, 12345)
    parsed, entries = _used(tmp_path, monkeypatch, base)
    assert parsed == [os.path.join("plans", "p.yaml")] * 2
    assert entries == before


def test_every_model_class_can_be_checked():
    """A field type the checker does not know would turn the cache off unnoticed."""
    from rectify_cli import typecheck

    classes = cache_module._model_classes()
    assert {model.Task, model.Plan, model.Source, model.CalendarSpec, model.Expr} <= set(classes.values())
    for cls in set(classes.values()) - {model.Status}:
        assert typecheck.well_typed(cls, [])
        typecheck._fields(cls)


def test_a_ledger_with_every_kind_of_record_is_read_back_from_the_cache(tmp_path, monkeypatch):
    """The classes an entry may build are the model's own, all of them: a task with
    reviews, 督办, look-backs and a reopening that kept its finish must be a cache
    hit, not a silent miss because a class was left off a list."""
    from tests.test_supervision import CONFIG, ISSUES, PLAN, TASKS  # a quarter's ledger, before its edits

    tasks = TASKS.replace(
        "    progress:\n      - {date: 2025-07-02, note: 已部署}\n",
        "    progress:\n      - {date: 2025-07-02, note: 已部署}\n"
        "    reviews:\n      - {date: 2025-07-15, by: 乙局, result: submit}\n"
        "    duban:\n      - {date: 2025-07-31, level: 蓝, by: 督查室, reply_by: 2025-08-05}\n"
        "    lookbacks:\n      - {date: 2025-08-26, result: 巩固, by: 巡察办}\n"
        "    reopened:\n      - {date: 2025-08-01, reason: 复查, done: 2025-07-20, closed: 2025-07-24, closed_by: 巡察办}\n",
    )
    for name, text in (("plan.yaml", PLAN), ("issues.yaml", ISSUES), ("tasks.yaml", tasks)):
        write(tmp_path / "plans" / name, text)
    write(tmp_path / "rectify.yaml", CONFIG)
    monkeypatch.chdir(tmp_path)
    files, _ = discover([tmp_path / "plans"])
    cache = ParseCache(tmp_path / "cache")
    filled, problems = load_files(files, cache)
    assert problems == []
    assert any(t.reviews and t.duban and t.lookbacks and t.reopened[0].closed_by for t in filled.tasks)
    monkeypatch.setattr(load, "parse_text", lambda *a: (_ for _ in ()).throw(AssertionError("parsed although cached")))
    cached, _ = load_files(files, cache)
    assert _everything(cached) == _everything(filled)


def test_a_file_sealed_as_it_is_written_is_what_seal_makes(tmp_path):
    """The index's files are pickled into the file through the digest (no copy of the body
    is held); the bytes are `seal`'s, read back by `unseal` and refused when one changes."""
    path = tmp_path / "kept"
    pieces = [b"first,", b"", b"x" * 100_000, b"\n\0last"]

    def write(out):
        for piece in pieces:
            out.write(piece)

    store.write_private_sealed(path, b"magic ", b"kept", write)
    data = path.read_bytes()
    assert data == store.seal(b"magic ", b"kept", b"".join(pieces))
    assert store.unseal(b"magic ", b"kept", data) == b"".join(pieces)
    assert store.unseal(b"magic ", b"other", data) is None  # made for another name
    assert store.unseal(b"magic ", b"kept", data[:-1] + b"X") is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
