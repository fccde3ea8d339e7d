"""History commands read every tree as `check` does: unreadable files, FIFOs,
links out of the repository and shallow clones are refused, never guessed at."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_history_support import Repo, base, task, tasks

T = "plans/gq/tasks.yaml"
SRC = Path(__file__).resolve().parent.parent / "src"
SECRET = "机密任务标题"


@pytest.fixture
def repo(tmp_path):
    r = Repo(tmp_path / "r")
    base(r)
    r.commit("T-2 完成", "2025-11-10", "王五", {T: tasks(task("T-1"), task("T-2", "done", done="2025-11-09"))})
    return r


def rectify(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI in its own process, bounded in time: a FIFO must never make it wait for ever."""
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


def outside_file(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "tasks.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(tasks(task("T-9", title=SECRET)), encoding="utf-8")
    return target


# -- 19.7: an unreadable side is an error, never "every item removed" ----------------
def test_diff_with_a_tab_in_the_work_tree_is_exit_2_with_the_files_place(repo, run):
    with open(repo.root / T, "a", encoding="utf-8") as f:
        f.write("\tbad: tab\n")
    code, out, err = run("diff", "HEAD", "--lang", "en", cwd=repo.root)
    assert code == 2
    assert "removed" not in out
    assert f"{Path(T)}:" in err and "cannot be read" in err


def test_diff_of_a_committed_merge_conflict_is_exit_2(repo, run):
    conflict = tasks(task("T-1")) + "<<<<<<< HEAD\n" + task("T-2", "done", done="2025-11-09") + "=======\n" + task("T-2") + ">>>>>>> side\n"
    repo.commit("bad merge", "2025-11-12", "赵六", {T: conflict})
    code, out, err = run("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo.root)
    assert code == 2 and out == ""
    assert f"{Path(T)}:" in err
    code, out, _ = run("diff", "HEAD~2", "HEAD~1", "--format", "json", cwd=repo.root)
    assert code == 0 and '"T-2"' in out  # readable sides still compare


# -- 13: FIFOs and links out of the repository, in every tree ------------------------
def test_diff_refuses_a_fifo_in_the_work_tree_instead_of_hanging(repo):
    os.mkfifo(repo.root / "plans/gq/pipe.yaml")
    done = rectify(repo.root, "diff", "HEAD", "--lang", "en")
    assert done.returncode == 2
    assert "not a regular file (FIFO)" in done.stderr


def test_diff_refuses_a_work_tree_link_out_of_the_repository(repo, tmp_path):
    os.symlink(outside_file(tmp_path), repo.root / "plans/gq/more.yaml")
    done = rectify(repo.root, "diff", "HEAD", "--lang", "en")
    assert done.returncode == 2
    assert "symbolic link out of the repository" in done.stderr
    assert SECRET not in done.stdout + done.stderr


def test_diff_and_at_refuse_a_committed_link_out_of_the_repository(repo, tmp_path):
    target = outside_file(tmp_path)
    os.symlink(os.path.relpath(target, repo.root / "plans/gq"), repo.root / "plans/gq/more.yaml")
    repo.commit("link", "2025-11-12", "赵六")
    done = rectify(repo.root, "diff", "HEAD~1", "HEAD", "--lang", "en")
    assert done.returncode == 2 and "symbolic link out of the repository" in done.stderr
    for command in ("check", "status"):
        done = rectify(repo.root, command, "--at", "HEAD", "--lang", "en")
        assert done.returncode == 2, done.stdout + done.stderr
        assert "symbolic link out of the repository" in done.stdout + done.stderr
        assert SECRET not in done.stdout + done.stderr
    # history never reads the link: the rest of the ledger's history is intact
    done = rectify(repo.root, "history", "T-2", "--lang", "en")
    assert done.returncode == 0 and "T-9" not in done.stdout
    assert rectify(repo.root, "history", "T-9").returncode == 2


def test_at_follows_a_committed_link_inside_the_repository_like_check(repo):
    repo.write("shared/tasks.yaml", tasks(task("T-7"), plan="gq"))
    os.symlink("../../shared/tasks.yaml", repo.root / "plans/gq/shared.yaml")
    repo.commit("link inside", "2025-11-12", "赵六")
    now = rectify(repo.root, "status", "--format", "json", "--as-of", "2025-11-20")
    then = rectify(repo.root, "status", "--at", "HEAD", "--format", "json", "--as-of", "2025-11-20")
    assert now.returncode == then.returncode == 0, then.stderr
    assert '"T-7"' in now.stdout and '"T-7"' in then.stdout


def test_history_and_at_are_not_held_by_a_fifo_in_the_work_tree(repo):
    os.mkfifo(repo.root / "plans/gq/pipe.yaml")
    assert rectify(repo.root, "history", "T-2").returncode == 0
    assert rectify(repo.root, "audit").returncode in (0, 1)
    assert rectify(repo.root, "check", "--at", "HEAD").returncode in (0, 1)
