"""The one loader and the one judge: every command reads and decides the same way."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import write

PLAN = "kind: plan\nid: p\ntitle: 计划\nowner: 督查室\n"
ISSUES = "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题\n"
TASKS = """\
kind: tasks
plan: p
tasks:
  - id: T-long
    issue: I-1
    title: 长期坚持的事项
    lead: 甲局
    due: 2025-11-12
    status: ongoing
  - id: T-soon
    issue: I-1
    title: 临近到期
    lead: 乙局
    due: 2025-11-12
    status: doing
  - id: T-later
    issue: I-1
    title: 还早
    lead: 乙局
    due: 2025-12-31
    status: doing
"""
AS_OF = "2025-11-10"


def _plans(root: Path) -> Path:
    plans = root / "plans"
    write(plans / "p" / "plan.yaml", PLAN)
    write(plans / "p" / "issues.yaml", ISSUES)
    write(plans / "p" / "tasks.yaml", TASKS)
    return plans


def test_due_soon_is_one_rule_for_check_status_and_agenda(run, tmp_path):
    _plans(tmp_path)
    code, out, _ = run("check", "--as-of", AS_OF, "--fail-on", "due-soon", "--format", "github", "--lang", "en", cwd=tmp_path)
    from_check = {line.split("T-", 1)[1].split()[0] for line in out.splitlines() if line.startswith("::warning")}
    assert code == 1
    code, out, _ = run("status", "--as-of", AS_OF, "--status", "due-soon", "--format", "json", cwd=tmp_path)
    from_status = {i["id"].split("T-", 1)[1] for i in json.loads(out)["items"]}
    code, out, _ = run("agenda", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    document = json.loads(out)
    from_agenda = {i["id"].split("T-", 1)[1] for unit in document["units"] for i in unit["items"]} if isinstance(document, dict) else None
    assert from_check == from_status == {"soon"}
    assert from_agenda == {"soon"}


def test_only_due_soon_items_fail_check(run, tmp_path):
    plans = _plans(tmp_path)
    (plans / "p" / "tasks.yaml").write_text(TASKS.split("  - id: T-soon")[0], encoding="utf-8")
    code, _, _ = run("check", "--as-of", AS_OF, "--fail-on", "due-soon", cwd=tmp_path)
    assert code == 0  # a long-term item with a date is never "due soon"


# -- a git revision is read with the work tree's refusals ---------------------------
def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def test_at_refuses_a_committed_link_out_of_the_repository(run, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("kind: plan\nid: leaked\ntitle: 不应读到\n", encoding="utf-8")
    repo = tmp_path / "repo"
    _plans(repo)
    os.symlink("../../../secret.yaml", repo / "plans" / "p" / "link.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "x")
    code_now, out_now, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=repo)
    code_at, out_at, err_at = run("check", "--at", "HEAD", "--as-of", AS_OF, "--lang", "en", cwd=repo)
    assert code_now == code_at == 2
    assert "link.yaml" in out_at and "symbolic link out of the repository" in out_at
    assert "leaked" not in out_at and "不应读到" not in out_at


def test_at_follows_a_committed_link_inside_the_repository(run, tmp_path):
    repo = tmp_path / "repo"
    plans = _plans(repo)
    (plans / "p" / "tasks.yaml").rename(repo / "real-tasks.yaml")
    os.symlink("../../real-tasks.yaml", plans / "p" / "tasks.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "x")
    code, out, _ = run("status", "--at", "HEAD", "--as-of", AS_OF, "--format", "json", cwd=repo)
    assert code == 0
    assert {i["id"] for i in json.loads(out)["items"]} == {"T-long", "T-soon", "T-later"}


def test_at_reads_rectify_yaml_of_the_revision(run, tmp_path):
    repo = tmp_path / "repo"
    _plans(repo)
    write(repo / "rectify.yaml", "calendar:\n  extra_holidays: [2025-11-11, 2025-11-12]\n")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "x")
    (repo / "rectify.yaml").unlink()  # the work tree no longer has it; the revision does
    code, out, _ = run("status", "--at", "HEAD", "--as-of", AS_OF, "--format", "json", cwd=repo)
    soon = next(i for i in json.loads(out)["items"] if i["id"] == "T-soon")
    assert soon["working_days_left"] == 0  # 11-11 and 11-12 are holidays of that revision


# -- the public API ------------------------------------------------------------------
def test_public_api(tmp_path, monkeypatch):
    import datetime as dt

    import rectify_cli

    plans = _plans(tmp_path)
    ledger = rectify_cli.load(plans)
    assert not ledger.invalid
    schedule = rectify_cli.evaluate(ledger, as_of=dt.date(2025, 11, 13))
    late = {s.item.id: (s.due_date, s.unit, str(s.due_source)) for s in schedule.tasks if s.overdue}
    assert late == {"T-soon": (dt.date(2025, 11, 12), "乙局", f"{os.path.relpath(plans)}/p/tasks.yaml:14:10")}
    assert rectify_cli.Status.ONGOING.value == "ongoing"


def test_readme_python_example_runs(tmp_path, monkeypatch):
    """The README's Python example, executed as written, on the default plans/."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("```python\n", readme.index("## Python API")) + len("```python\n")
    code = readme[start:readme.index("```", start)]
    monkeypatch.chdir(Path(__file__).parent.parent)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["schedule"].tasks


@pytest.mark.parametrize("name", ["load", "evaluate", "Ledger", "Schedule", "ItemState", "Status", "Task", "Issue", "Plan"])
def test_public_names(name):
    import rectify_cli

    assert getattr(rectify_cli, name) is not None
    assert name in rectify_cli.__all__
