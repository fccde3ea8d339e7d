"""--commit: only the touched file, a structured message with trailers, and refusal
(before anything is written) when that file carries changes of its own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CORPUS

BASIC = CORPUS / "edit" / "basic"
TASKS = "plans/p1/tasks.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    for var, value in {"GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.cn",
                       "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.cn",
                       "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}.items():
        monkeypatch.setenv(var, value)
    root = tmp_path / "repo"
    shutil.copytree(BASIC, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    monkeypatch.chdir(root)
    return root


def test_commit_holds_only_the_touched_file_with_trailers(run, repo):
    (repo / "notes.txt").write_text("untracked, stays out\n")
    (repo / "plans/p1/plan.yaml").write_text((repo / "plans/p1/plan.yaml").read_text() + "# staged elsewhere\n")
    git(repo, "add", "plans/p1/plan.yaml")
    (repo / "docs").mkdir()
    (repo / "docs/a.pdf").write_text("x")
    git(repo, "add", "docs/a.pdf")
    git(repo, "commit", "-q", "-m", "evidence", "--", "docs/a.pdf")

    code, out, err = run("done", "T-01-1", "--date", "2025-12-20", "--evidence", "docs/a.pdf", "--commit", "--lang", "en")
    assert (code, err) == (0, "")
    sha = git(repo, "rev-parse", "HEAD").strip()
    assert f"committed {sha[:12]}" in out
    message = git(repo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "rectify: T-01-1 doing → done"
    trailers = subprocess.run(["git", "interpret-trailers", "--parse"], input=message, capture_output=True,
                              text=True, check=True).stdout
    assert trailers.splitlines() == ["Rectify-Id: T-01-1", "Rectify-Plan: p1", "Rectify-Action: done"]
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [TASKS]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["plans/p1/plan.yaml"]
    assert "notes.txt" in git(repo, "status", "--porcelain")
    assert git(repo, "status", "--porcelain", "--", TASKS) == ""


def test_commit_subject_for_an_action_without_status_change(run, repo):
    assert run("progress", "T-01-1", "已召开推进会", "--date", "2025-12-05", "--commit")[0] == 0
    message = git(repo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "rectify: T-01-1 progress: 已召开推进会"
    assert "Rectify-Action: progress" in message


@pytest.mark.parametrize("staged", [True, False])
def test_commit_refused_when_the_file_has_other_changes(run, repo, staged):
    path = repo / TASKS
    path.write_text(path.read_text(encoding="utf-8").replace("# 第一组", "# 第一组（手工修改）"), encoding="utf-8")
    if staged:
        git(repo, "add", TASKS)
    before, head = path.read_bytes(), git(repo, "rev-parse", "HEAD")
    code, _, err = run("progress", "T-01-1", "x", "--commit", "--lang", "en")
    assert code == 2
    assert f"{TASKS} has uncommitted changes" in err
    assert path.read_bytes() == before
    assert git(repo, "rev-parse", "HEAD") == head


def test_commit_outside_git_is_refused_before_writing(run, tmp_path, monkeypatch):
    root = tmp_path / "plain"
    shutil.copytree(BASIC, root)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, _, err = run("progress", "T-01-1", "x", "--commit", "--lang", "en", cwd=root)
    assert code == 2 and "not in a git repository" in err
    assert (root / TASKS).read_bytes() == (BASIC / TASKS).read_bytes()


def test_new_plan_commit_adds_the_new_files(run, repo):
    assert run("new", "plan", "--id", "p2", "--title", "新计划", "--commit")[0] == 0
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == [
        "plans/p2/issues.yaml", "plans/p2/plan.yaml", "plans/p2/tasks.yaml"]
    assert "Rectify-Action: new" in git(repo, "log", "-1", "--format=%B")


def test_reopen_commit_carries_the_reason_for_the_audit(run, repo):
    assert run("reopen", "T-01-2", "--reason", "回头看：问题反弹\n再次整改", "--date", "2026-03-01", "--commit")[0] == 0
    message = git(repo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "rectify: T-01-2 done → doing"
    assert "Rectify-Reason: 回头看：问题反弹 再次整改" in message.splitlines()
    from rectify_cli.history.gitread import parse_trailers

    assert parse_trailers(message)["rectify-action"] == "reopen"
