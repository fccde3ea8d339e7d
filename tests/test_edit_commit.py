"""--commit: only the touched file, a structured message with trailers, and refusal
(before anything is written) when that file carries changes of its own."""

from __future__ import annotations

import shutil
import subprocess
import threading
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
    from rectify_cli.gitread import parse_trailers

    assert parse_trailers(message)["rectify-action"] == "reopen"


# -- --commit beside other git use ------------------------------------------------
def test_the_hash_shown_is_the_commit_made_even_when_head_moves_on(run, repo):
    """Another commit lands right after ours (here a post-commit hook makes it, as a
    concurrent `git commit` could): the hash printed is ours, not HEAD's."""
    hook = repo / ".git" / "hooks" / "post-commit"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text('#!/bin/sh\n[ -n "$OTHER" ] && exit 0\nOTHER=1 git commit -q --allow-empty -m "someone else"\n')
    hook.chmod(0o755)
    code, out, err = run("progress", "T-01-1", "推进", "--commit", "--lang", "en")
    assert (code, err) == (0, "")
    ours = git(repo, "rev-parse", "HEAD~1").strip()
    assert git(repo, "log", "-1", "--format=%s", ours).strip() == "rectify: T-01-1 progress: 推进"
    assert out.splitlines()[-1] == f"committed {ours[:12]}"


def test_a_stale_git_index_lock_refuses_before_writing(run, repo, monkeypatch):
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0.3")
    (repo / ".git" / "index.lock").write_text("")
    before, head = (repo / TASKS).read_bytes(), git(repo, "rev-parse", "HEAD")
    code, out, err = run("progress", "T-01-1", "x", "--commit", "--lang", "en")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "rectify: error: git's .git/index.lock is still there (another git process is running, or one died); "
        "gave up after 0.3 s, nothing written: if no git process is running, remove .git/index.lock"]
    assert (repo / TASKS).read_bytes() == before and git(repo, "rev-parse", "HEAD") == head
    (repo / ".git" / "index.lock").unlink()
    assert run("progress", "T-01-1", "x", "--commit")[0] == 0  # and the retry is not refused


def test_git_index_lock_held_for_a_moment_is_waited_for(run, repo, monkeypatch):
    """Another git command holding the index: the edit waits for it instead of
    writing and then failing."""
    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "30")
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    released = threading.Timer(0.4, lock.unlink)
    released.start()
    try:
        code, out, err = run("progress", "T-01-1", "等待", "--commit", "--lang", "en")
    finally:
        released.join()
    assert (code, err) == (0, "")
    assert git(repo, "log", "-1", "--format=%s").strip() == "rectify: T-01-1 progress: 等待"
    assert git(repo, "status", "--porcelain", "--", TASKS) == ""


def test_a_git_failure_after_writing_says_so_and_what_to_run(run, repo, monkeypatch):
    """git takes its lock between our check and our commit and keeps it: the file is
    written, and the message gives the one command that commits it as rectify would."""
    from rectify_cli.edit import session

    monkeypatch.setenv("RECTIFY_LOCK_TIMEOUT", "0.3")
    real_write = session.save.write

    def write_then_git_busy(changes):
        real_write(changes)
        (repo / ".git" / "index.lock").write_text("")

    monkeypatch.setattr(session.save, "write", write_then_git_busy)
    code, out, err = run("reopen", "T-01-2", "--reason", "回头看：'反弹'", "--date", "2026-03-01", "--commit", "--lang", "en")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"rectify: error: {TASKS} written but not committed: git add failed: Unable to create '")
    assert "index.lock': File exists.; to commit, run: " in line
    fix = line.split("; to commit, run: ", 1)[1]
    assert fix == (f"git add -- {TASKS} && git commit -m 'rectify: T-01-2 done → doing' "
                   "--trailer 'Rectify-Id: T-01-2' --trailer 'Rectify-Plan: p1' --trailer 'Rectify-Action: reopen' "
                   "--trailer 'Rectify-Reason: 回头看：'\"'\"'反弹'\"'\"'' -- " + TASKS)
    assert "status: doing" in (repo / TASKS).read_text(encoding="utf-8")
    (repo / ".git" / "index.lock").unlink()
    subprocess.run(["sh", "-c", fix], cwd=repo, check=True, capture_output=True)
    from rectify_cli.gitread import parse_trailers

    message = git(repo, "log", "-1", "--format=%B")
    assert message.splitlines()[0] == "rectify: T-01-2 done → doing"
    assert parse_trailers(message) == {"rectify-id": "T-01-2", "rectify-plan": "p1", "rectify-action": "reopen",
                                       "rectify-reason": "回头看：'反弹'"}
    assert git(repo, "status", "--porcelain", "--", TASKS) == ""


# -- who commits -----------------------------------------------------------------
@pytest.fixture
def nobody(repo, tmp_path, monkeypatch) -> Path:
    """A machine where git knows nobody: an empty HOME, no system config, no identity variables."""
    home = tmp_path / "home"
    home.mkdir()
    for var in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL",
                "GIT_CONFIG_GLOBAL", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    if subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=repo, capture_output=True).returncode == 0:
        pytest.skip("this machine's git makes up an identity from the host name")
    return repo


def test_commit_without_identity_is_refused_before_writing(run, nobody):
    before, head = (nobody / TASKS).read_bytes(), git(nobody, "rev-parse", "HEAD")
    code, out, err = run("progress", "T-01-1", "x", "--commit", "--lang", "en")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("rectify: error: git does not know who is committing (unable to auto-detect email address")
    assert line.endswith("nothing written: run git config user.name \"Your Name\" and git config user.email "
                         "you@example.com, or pass --author \"Name <email>\"")
    assert (nobody / TASKS).read_bytes() == before and git(nobody, "rev-parse", "HEAD") == head
    assert git(nobody, "status", "--porcelain") == ""
    code, _, err = run("progress", "T-01-1", "x", "--commit", "--lang", "zh")
    assert "git config user.name" in err and "--author" in err


def test_author_commits_when_git_knows_nobody(run, nobody):
    code, out, err = run("progress", "T-01-1", "单位反馈", "--commit", "--author", "市人社局 张三 <zhangsan@example.cn>")
    assert (code, err) == (0, "")
    assert git(nobody, "log", "-1", "--format=%an <%ae>|%cn <%ce>").strip() == (
        "市人社局 张三 <zhangsan@example.cn>|市人社局 张三 <zhangsan@example.cn>")


def test_author_is_the_author_and_git_identity_the_committer(run, repo):
    assert run("progress", "T-01-1", "x", "--commit", "--author", "区财政局 <czj@example.cn>")[0] == 0
    assert git(repo, "log", "-1", "--format=%an <%ae>|%cn").strip() == "区财政局 <czj@example.cn>|测试"


@pytest.mark.parametrize("args,message", [
    (["--commit", "--author", "张三"], "--author '张三' is not \"Name <email>\""),
    (["--author", "张三 <z@example.cn>"], "--author only applies with --commit"),
])
def test_bad_author_is_a_usage_error(run, repo, args, message):
    code, _, err = run("progress", "T-01-1", "x", *args, "--lang", "en")
    assert code == 2 and message in err and len(err.splitlines()) == 1
    assert git(repo, "status", "--porcelain") == ""


# -- evidence goes with the edit -------------------------------------------------
def test_done_commit_includes_the_evidence_and_a_fresh_clone_passes_check(run, repo, tmp_path):
    (repo / "docs").mkdir()
    (repo / "docs" / "整改报告.pdf").write_bytes(b"%PDF-1.4 scan")
    code, _, err = run("done", "T-01-1", "--date", "2025-11-20", "--evidence", "docs/整改报告.pdf", "--commit", "--lang", "en")
    assert (code, err) == (0, "")
    assert sorted(git(repo, "-c", "core.quotepath=off", "show", "--name-only", "--format=", "HEAD").split()) == [
        "docs/整改报告.pdf", TASKS]
    assert git(repo, "status", "--porcelain") == ""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    code, out, err = run("check", "--as-of", "2025-11-25", "--lang", "en", cwd=clone)
    assert (code, err) == (0, "")
    assert "0 errors, 0 overdue, 0 rule violations" in out


def test_evidence_ignored_by_git_is_refused_before_writing(run, repo):
    (repo / ".gitignore").write_text("*.pdf\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-q", "-m", "ignore")
    (repo / "scan.pdf").write_bytes(b"%PDF")
    before = (repo / TASKS).read_bytes()
    code, _, err = run("done", "T-01-1", "--evidence", "scan.pdf", "--commit", "--lang", "en")
    assert code == 2 and "evidence scan.pdf is ignored by git (.gitignore)" in err
    assert (repo / TASKS).read_bytes() == before
