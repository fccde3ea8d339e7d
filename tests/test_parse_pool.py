"""Parsing on every core gives what parsing here gives: same models, same problems, same order."""

from __future__ import annotations

import os
import sys

import pytest

from rectify_cli import parse_pool
from rectify_cli.cache import ParseCache
from rectify_cli.loader import parse_text

from .conftest import CORPUS, REPO

pytestmark = pytest.mark.skipif(parse_pool._usable_workers() < 2, reason="needs Linux and two cores")


def _items() -> list[tuple[str, str]]:
    """Good files and bad ones, interleaved."""
    good = sorted(p for p in (REPO / "examples").rglob("*.yaml"))
    bad = sorted(p for p in (CORPUS / "bad").glob("*.yaml") if p.read_bytes().isascii())
    paths = [p for pair in zip(good, bad * 3) for p in pair]
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in paths]


def _comparable(results):
    return [
        (parsed, [(e.id, dict(e.fields)) for part in parsed for e in part], [p.render("en") for p in problems])
        for parsed, problems in results
    ]


def test_workers_give_what_parsing_here_gives(tmp_path):
    items = _items()
    here = parse_pool.parse_all(items, parse_text, None, min_chars=sys.maxsize)
    cache = ParseCache(tmp_path)
    pooled = parse_pool.parse_all(items, parse_text, cache, min_chars=0)
    assert _comparable(pooled) == _comparable(here)
    assert any(problems for _, problems in here) and any(not problems for _, problems in here)
    # what the workers encoded is what the cache now holds
    for (display, text), (parsed, problems) in zip(items, here):
        assert (cache.get(display, text) == parsed) if not problems else cache.get(display, text) is None


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
        monkeypatch.setattr(parse_pool, "ProcessPoolExecutor", lambda *a, **k: forked.append(1))
        items = _items()
        assert _comparable(parse_pool.parse_all(items, parse_text, None, min_chars=0)) == _comparable(
            parse_pool.parse_all(items, parse_text, None, min_chars=sys.maxsize)
        )
        assert forked == []
    finally:
        stop.set()
        thread.join()
