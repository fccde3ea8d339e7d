"""Parsing on every core gives what parsing here gives: same models, same problems, same order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rectify_cli import cores, parse_pool
from rectify_cli.cache import ParseCache
from rectify_cli.loader import parse_text

from .conftest import CORPUS, REPO

pytestmark = pytest.mark.skipif(cores.usable() < 2, reason="needs Linux and two cores")


def _items() -> list[tuple[str, str]]:
    """Good files and bad ones, interleaved."""
    good = sorted(p for p in (REPO / "examples").rglob("*.yaml"))
    bad = sorted(p for p in (CORPUS / "bad").glob("*.yaml") if p.read_bytes().isascii())
    paths = [p for pair in zip(good, bad * 3) for p in pair]
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in paths]


def _comparable(results):
    return [
        (parsed, [(e.id, dict(e.fields)) for part in parsed for e in part], [p.render("en") for p in problems])
        for parsed, problems, _ in results
    ]


def test_workers_give_what_parsing_here_gives(tmp_path):
    items = _items()
    here = parse_pool.parse_all(items, parse_text, None, min_chars=sys.maxsize)
    cache = ParseCache(tmp_path)
    pooled = parse_pool.parse_all(items, parse_text, cache, min_chars=0)
    assert _comparable(pooled) == _comparable(here)
    assert any(problems for _, problems, _ in here) and any(not problems for _, problems, _ in here)
    # what the workers encoded is what the cache now holds
    for (display, text), (parsed, problems, _) in zip(items, here):
        assert (cache.get(display, text) == parsed) if not problems else cache.get(display, text) is None


def test_rows_are_made_where_each_file_is_parsed():
    """What the caller makes of each clean parse (the index's rows) comes back with it, made
    in the worker: the same bytes as made here; none for a file with problems."""
    from rectify_cli.indexed import file_rows

    items = _items()
    pooled = parse_pool.parse_all(items, parse_text, None, min_chars=0, rows=_made_in(os.getpid()))
    assert _comparable(pooled) == _comparable(parse_pool.parse_all(items, parse_text, None, min_chars=sys.maxsize))
    for parsed, problems, rows in pooled:
        assert rows is None if problems else rows == file_rows(parsed) + b"@worker"
    assert any(rows for _, _, rows in pooled)


def _made_in(parent: int):
    def rows(display, parsed) -> bytes:
        from rectify_cli.indexed import file_rows

        return file_rows(parsed) + (b"@worker" if os.getpid() != parent else b"@parent")

    return rows


def _fails_in_workers(parent: int):
    def parse(display: str, text: str):
        if os.getpid() != parent:
            raise RuntimeError("a worker's bug")
        return parse_text(display, text)

    return parse


def test_a_failing_worker_leaves_its_files_to_the_parent():
    items = _items()
    pooled = parse_pool.parse_all(items, _fails_in_workers(os.getpid()), None, min_chars=0)
    here = parse_pool.parse_all(items, parse_text, None, min_chars=sys.maxsize)
    assert _comparable(pooled) == _comparable(here)


def test_chunks_cover_every_file_once_in_order():
    items = [(str(i), "x" * (1 + i % 7) * 100) for i in range(101)]
    chunks = parse_pool._chunks(items, 8)
    assert [i for start, stop in chunks for i in range(start, stop)] == list(range(101))
    assert 6 <= len(chunks) <= 9


def test_no_workers_are_forked_beside_other_threads(monkeypatch):
    import threading

    started, stop = threading.Event(), threading.Event()
    thread = threading.Thread(target=lambda: (started.set(), stop.wait()))
    thread.start()
    started.wait()
    try:
        forked = []
        monkeypatch.setattr(cores, "forked", lambda *a, **k: forked.append(1))
        items = _items()
        assert _comparable(parse_pool.parse_all(items, parse_text, None, min_chars=0)) == _comparable(
            parse_pool.parse_all(items, parse_text, None, min_chars=sys.maxsize)
        )
        assert forked == []
    finally:
        stop.set()
        thread.join()


def _children(parent: int) -> set[int]:
    """Processes whose parent is `parent`, read from /proc."""
    found = set()
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(entry.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent:
            found.add(int(entry.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits for a parent


def _until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_die_with_a_terminated_parent(tmp_path):
    """`rectify check & kill -TERM $!` on a large ledger: no worker is left asleep."""
    ledger = tmp_path / "ledger"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), str(ledger), "--tasks", "20000"],
                   check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", "check", "--as-of", "2025-12-01"],
        cwd=ledger, env={**os.environ, "RECTIFY_NO_CACHE": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        def parsing() -> bool:
            workers.update(_children(proc.pid))
            return len(workers) >= 2 or proc.poll() is not None

        assert _until(parsing, 120) and proc.poll() is None, "the check ended before its workers were seen"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == -signal.SIGTERM
        assert _until(lambda: not any(map(_alive, workers)), 30), f"workers left: {sorted(filter(_alive, workers))}"
    finally:
        for pid in workers:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait()
