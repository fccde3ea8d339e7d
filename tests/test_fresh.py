"""A first run makes each file's own checks where the file is parsed, and answers as a read of every file does."""

from __future__ import annotations

import os
import shutil

import pytest

from rectify_cli import cores, fresh, parse_pool

from .conftest import REPO, write_ledger

ARGS = ("check", "--format", "json", "--lang", "en")


@pytest.fixture
def checked_here(monkeypatch) -> list[str]:
    """Workers for any ledger, however small; the files whose own checks this process made."""
    if cores.usable() < 2:
        pytest.skip("needs Linux and two cores")
    monkeypatch.setattr(parse_pool, "MIN_PARALLEL_CHARS", 0)
    parent, here = os.getpid(), []
    made = fresh.own_checks

    def own_checks(display, *args):
        if os.getpid() == parent:
            here.append(display)
        return made(display, *args)

    monkeypatch.setattr(fresh, "own_checks", own_checks)
    return here


def _cold(run, monkeypatch, *args):
    monkeypatch.setenv("RECTIFY_NO_CACHE", "1")
    try:
        return run(*args)
    finally:
        monkeypatch.delenv("RECTIFY_NO_CACHE")


def _ledger(tmp_path, monkeypatch):
    """Problems of each file's own checks: a finished task without its date, evidence named
    that is not there (a look-up of the tree), an occurrence its series does not have."""
    root = write_ledger(
        tmp_path / "ledger",
        "kind: plan\nid: p\ntitle: 测试计划\nowner: 办公室\nevents:\n  例会:\n    every: month\n"
        "    dates: [2025-01-10, 2025-02-10]\n",
        "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题一\n",
        "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n"
        "    due: 2025-12-31\n    status: done\n    evidence: [proof.pdf, gone.pdf]\n"
        "  - id: T-2\n    issue: I-1\n    title: 每次例会通报\n    lead: 办公室\n    each: 例会\n    due: 例会后5个工作日\n"
        "    runs:\n      - on: 2025-03-10\n        status: done\n",
    )
    (root / ".git").mkdir()
    (root / "plans" / "proof.pdf").write_text("x")
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def test_each_file_s_own_checks_are_made_where_it_is_parsed(tmp_path, run, monkeypatch, checked_here):
    root = _ledger(tmp_path, monkeypatch)
    first = run(*ARGS)
    assert first == _cold(run, monkeypatch, *ARGS)
    assert "gone.pdf" in first[1] and "2025-03-10" in first[1] and "no done date" in first[1]
    assert checked_here == ["plans/plan.yaml"]  # the plans are read here, before the workers start
    # what the workers' checks looked up is looked up again: evidence that went is noticed
    (root / "plans" / "proof.pdf").unlink()
    assert run(*ARGS) == _cold(run, monkeypatch, *ARGS) != first


def test_a_plan_file_the_quick_look_misses_has_every_file_checked_here(tmp_path, run, monkeypatch, checked_here):
    """`kind: !!str plan` is a plan the `kind: plan` look does not see: the workers check the
    task file without its plan's series (an occurrence of an unknown series, they say), and
    those checks, made with other plans than the ledger's, are not used."""
    root = tmp_path / "ledger"
    shutil.copytree(REPO / "examples" / "heyuan-mianduimian-2024", root / "plans")
    plan = root / "plans" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("\nkind: plan\n", "\nkind: !!str plan\n"), encoding="utf-8")
    (root / ".git").mkdir()
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    first = run(*ARGS, "--as-of", "2024-05-10")
    assert first == _cold(run, monkeypatch, *ARGS, "--as-of", "2024-05-10")
    assert "each_not_series" not in first[1] and first[0] == 0
    assert sorted(checked_here) == ["plans/issues.yaml", "plans/plan.yaml", "plans/tasks.yaml"]


@pytest.mark.parametrize("example", sorted(p.name for p in (REPO / "examples").iterdir() if p.is_dir()))
def test_a_first_run_on_workers_answers_as_a_cold_read(example, tmp_path, run, monkeypatch, checked_here):
    root = tmp_path / "ledger"
    shutil.copytree(REPO / "examples" / example, root / "plans", ignore=shutil.ignore_patterns("rectify.yaml"))
    if (REPO / "examples" / example / "rectify.yaml").exists():
        shutil.copy2(REPO / "examples" / example / "rectify.yaml", root / "rectify.yaml")
    (root / ".git").mkdir()
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    for args in (ARGS, ("status", "--format", "json")):
        monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / f"cache-{args[0]}"))
        assert run(*args, "--as-of", "2025-06-01") == _cold(run, monkeypatch, *args, "--as-of", "2025-06-01")


def test_plan_files_are_told_as_a_top_level_kind_line_says():
    """The quick look before the workers start: str's own search for each `kind:` line, told
    as a pattern over the whole text tells it (quoted or not, a comment after it, CRLF)."""
    import re

    pattern = re.compile(r"^kind:[ \t]*(['\"]?)plan\1[ \t]*(?:#.*)?\r?$", re.M)
    cases = ["kind: plan\n", "# 说明\nkind: plan\nid: x\n", "kind: tasks\nx: 1\n", "kind: 'plan'  # 注\n",
             'kind: "plan"\r\n', "kind: plans\n", "x:\n  kind: plan\n", "kind:plan", "kind: plan",
             "a: 1\nkind: tasks\nkind: plan\n", "", "kind:", "\nkind: plan", "kind: 'plan\"\n", "x\nkind: plan # y\nz",
             "title: kind: plan\n", "kind: plan x\n", "kind:\tplan\t\n"]
    assert [fresh._says_plan(text) for text in cases] == [bool(pattern.search(text)) for text in cases]
    assert sum(map(fresh._says_plan, cases)) == 10
