"""One edit at a time per repository: concurrent edits all land or are refused with
nothing left behind; a held lock is waited for, then refused naming its holder; a
dead holder's lock is taken over, another host's never."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import rectify_cli
from rectify_cli.edit.lock import lock_path

from .test_edit_commit import BASIC, TASKS, git, repo  # noqa: F401 (repo: fixture)

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not hasattr(os, "fork"), reason="needs git and fork")

# Forks one child per edit from a process that has imported rectify once (50 fresh
# interpreters would take longer than the edits). Each child is a real process with
# its own pid, running the real command line; the rename of the tasks file is slowed
# down, which widens the window in which an unlocked edit loses another's change.
LAUNCHER = r"""
import json, os, sys, time
spec = json.loads(sys.argv[1])
import typer.main
from typer.testing import CliRunner
from rectify_cli.cli import app
command = typer.main.get_command(app)  # built once, as main() would build it in each process
CliRunner().invoke(app, [*spec["runs"][0][:3], "--dry-run"])  # lazy imports and the parse cache, once
real_replace = os.replace
def slow_replace(src, dst, *args, **kwargs):
    if str(dst).endswith(spec["slow"]):
        time.sleep(spec["delay"])
    return real_replace(src, dst, *args, **kwargs)
os.replace = slow_replace
children = {}
for index, args in enumerate(spec["runs"]):
    pid = os.fork()
    if pid == 0:
        for fd, name in ((1, "out"), (2, "err")):
            os.dup2(os.open(os.path.join(spec["dir"], f"{index}.{name}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
        sys.argv = ["rectify", *args]
        code = 99
        try:
            command.main(args, prog_name="rectify")
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    children[pid] = index
codes = {}
while children:
    pid, status = os.wait()
    codes[children.pop(pid)] = os.waitstatus_to_exitcode(status)
print(json.dumps(codes))
"""


def _concurrently(root: Path, runs: list[list[str]], tmp_path: Path, lock_timeout: str) -> list[tuple[int, str, str]]:
    logs = tmp_path / "logs"
    logs.mkdir()
    spec = {"runs": runs, "dir": str(logs), "slow": "tasks.yaml", "delay": 0.02}
    env = {**os.environ, "RECTIFY_LOCK_TIMEOUT": lock_timeout,
           "PYTHONPATH": str(Path(rectify_cli.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", LAUNCHER, json.dumps(spec)], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    codes = {int(k): v for k, v in json.loads(done.stdout).items()}
    return [(codes[i], (logs / f"{i}.out").read_text(encoding="utf-8"), (logs / f"{i}.err").read_text(encoding="utf-8"))
            for i in range(len(runs))]


ISSUES = "plans/p1/issues.yaml"


@pytest.mark.parametrize("commit", [False, True], ids=["write", "commit"])
def test_fifty_concurrent_edits_all_land_or_leave_nothing(run, repo, tmp_path, commit):
    """50 edits at once: progress notes on two tasks of one file, and new issues (each
    taking the next free id) in another. Each edit reported done is in its file (and
    in git, in its own commit, under the hash it printed); each refusal is the lock's
    one line and left no trace. Without the lock, delayed renames lose reported edits.
    They all start facing a lock left by a dead process, so they also race to take it over."""
    init = git(repo, "rev-parse", "HEAD").strip()
    _plant_lock(lock_path(repo), _dead_pid())
    flags = ["--lang", "en", *(["--commit"] if commit else [])]
    edits = [(TASKS, ["progress", ("T-01-1", "T-02-1")[i % 3], f"stress-{i:02d}"]) if i % 3 < 2 else
             (ISSUES, ["new", "issue", "--plan", "p1", "--title", f"stress-{i:02d}"]) for i in range(50)]
    results = _concurrently(repo, [args + flags for _, args in edits], tmp_path, lock_timeout="2")

    texts = {name: (repo / name).read_text(encoding="utf-8") for name in (TASKS, ISSUES)}
    landed, shas = [], []
    for i, ((name, _), (code, out, err)) in enumerate(zip(edits, results)):
        note = f"stress-{i:02d}"
        if code == 0:
            assert err == "" and name in out, (i, out, err)
            assert texts[name].count(note) == 1, f"{note} reported done but missing from {name}"
            landed.append(note)
            if commit:
                sha = re.search(r"committed ([0-9a-f]{12})", out).group(1)
                full = git(repo, "rev-parse", "--verify", f"{sha}^{{commit}}").strip()
                assert note not in git(repo, "show", f"{full}~1:{name}") and note in git(repo, "show", f"{full}:{name}")
                subprocess.run(["git", "merge-base", "--is-ancestor", full, "HEAD"], cwd=repo, check=True)
                shas.append(full)
        else:
            assert code == 2, (i, code, out, err)
            assert len(err.splitlines()) == 1 and "is held by another rectify" in err, err
            assert all(note not in text for text in texts.values())
    assert landed, "at least the first edit holds the lock"
    if commit:
        assert len(set(shas)) == len(landed)
        assert int(git(repo, "rev-list", "--count", f"{init}..HEAD")) == len(landed)
        assert git(repo, "status", "--porcelain", "--", "plans") == ""
    assert not lock_path(repo).exists()
    assert [p.name for p in repo.rglob("*.tmp")] == []
    code, out, _ = run("check", "--as-of", "2025-11-01", "--lang", "en")
    assert code == 0 and "0 errors" in out  # every new issue got an id of its own


def _plant_lock(path: Path, pid: int, host: str | None = None) -> None:
    path.write_text(f"pid: {pid}\nhost: {host or socket.gethostname()}\nsince: 2026-01-05T09:00:00+08:00\n"
                    f"command: rectify done T-01-1\n", encoding="utf-8")


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_held_lock_is_waited_for_then_refused_naming_its_holder(run, repo, monkeypatch):
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0.3")
    lock = repo / ".git" / "rectify.lock"
    _plant_lock(lock, os.getppid())
    before = (repo / TASKS).read_bytes()
    code, out, err = run("progress", "T-01-1", "x", "--lang", "en")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"rectify: error: .git/rectify.lock is held by another rectify (pid {os.getppid()} on {socket.gethostname()} "
        "since 2026-01-05T09:00:00+08:00: rectify done T-01-1); gave up after 0.3 s, nothing written: "
        "if that process is gone, remove .git/rectify.lock"]
    assert (repo / TASKS).read_bytes() == before
    assert lock.exists(), "someone else's live lock is never removed"
    code, _, err = run("progress", "T-01-1", "x", "--lang", "zh")
    assert code == 2 and "被另一个 rectify 持有" in err


def test_a_dead_holders_lock_is_taken_over(run, repo, monkeypatch):
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0")
    lock = repo / ".git" / "rectify.lock"
    _plant_lock(lock, _dead_pid())
    code, out, err = run("progress", "T-01-1", "接管过期锁", "--lang", "en")
    assert (code, err) == (0, "")
    assert "接管过期锁" in (repo / TASKS).read_text(encoding="utf-8")
    assert not lock.exists()


def test_another_hosts_lock_is_never_taken_over(run, repo, monkeypatch):
    """Its pid means nothing here: only the user can tell whether it is stale."""
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0")
    _plant_lock(repo / ".git" / "rectify.lock", _dead_pid(), host="other-host.example")
    code, _, err = run("progress", "T-01-1", "x", "--lang", "en")
    assert code == 2 and "on other-host.example" in err and "remove .git/rectify.lock" in err


def test_the_lock_is_released_after_a_refused_edit_and_a_dry_run_takes_none(run, repo, monkeypatch):
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0")
    code, _, _ = run("set", "T-01-1", "status", "nonsense")
    assert code == 2 and not (repo / ".git" / "rectify.lock").exists()
    _plant_lock(repo / ".git" / "rectify.lock", os.getppid())
    code, out, _ = run("progress", "T-01-1", "预览", "--dry-run")
    assert code == 0 and "预览" in out


def test_outside_git_the_lock_is_a_hidden_file_in_the_root(run, tmp_path, monkeypatch):
    root = tmp_path / "plain"
    shutil.copytree(BASIC, root)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0")
    assert lock_path(root) == root.resolve() / ".rectify.lock"
    _plant_lock(root / ".rectify.lock", os.getppid())
    code, _, err = run("progress", "T-01-1", "x", "--lang", "en", cwd=root)
    assert code == 2 and ".rectify.lock is held by another rectify" in err
    code, out, _ = run("check", "--lang", "en", cwd=root)
    assert "rectify.lock" not in out


def test_a_lock_with_a_pid_that_cannot_exist_is_held_not_crashed_on(run, repo, monkeypatch):
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0")
    _plant_lock(repo / ".git" / "rectify.lock", 10 ** 20)
    code, _, err = run("progress", "T-01-1", "x", "--lang", "en")
    assert code == 2 and f"(pid {10 ** 20} on" in err


def test_a_bad_lock_timeout_is_a_usage_error(run, repo, monkeypatch):
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "soon")
    code, _, err = run("progress", "T-01-1", "x", "--lang", "en")
    assert code == 2
    assert err.strip() == "rectify: error: RECTIFY_LOCK_TIMEOUT='soon' is not a number of seconds between 0 and 3600"
