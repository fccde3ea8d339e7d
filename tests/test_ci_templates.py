"""The CI templates we ship are valid YAML and run the commands that exist."""

from __future__ import annotations

import shlex

import yaml

from .conftest import REPO


def test_pre_commit_hooks_run_rectify_check_on_the_whole_tree():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in hooks} == {"rectify-check", "rectify-check-valid"}
    for hook in hooks:
        assert shlex.split(hook["entry"])[:2] == ["rectify", "check"]
        assert hook["pass_filenames"] is False and hook["language"] == "python"


def test_github_workflow_runs_on_push_and_schedule():
    workflow = yaml.safe_load((REPO / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert "push" in triggers and triggers["schedule"][0]["cron"]
    runs = [s["run"] for s in workflow["jobs"]["check"]["steps"] if "run" in s]
    assert any("rectify check" in r and "--format github" in r for r in runs)


def test_ci_templates_fetch_the_whole_history():
    """History commands refuse a shallow clone; actions/checkout fetches one commit by default."""
    workflow = yaml.safe_load((REPO / "docs/ci/github-actions.yml").read_text(encoding="utf-8"))
    checkout = next(s for s in workflow["jobs"]["check"]["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    job = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))["rectify"]
    assert job["variables"]["GIT_DEPTH"] == 0


def test_gitlab_job_writes_junit():
    job = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yml").read_text(encoding="utf-8"))["rectify"]
    assert any("--format junit" in line for line in job["script"])
    assert job["artifacts"]["reports"]["junit"] == "rectify-junit.xml"


def test_pages_templates_publish_the_site_on_push_and_every_working_day():
    workflow = yaml.safe_load((REPO / "docs/ci/github-pages.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]
    assert "push" in triggers and triggers["schedule"][0]["cron"].endswith("1-5")  # Monday to Friday
    steps = workflow["jobs"]["site"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any(shlex.split(r)[:2] == ["rectify", "site"] and "--out" in r for r in runs)
    assert any(r.startswith("rectify fetch") for r in runs)
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses) and any(u.startswith("actions/deploy-pages") for u in uses)
    assert next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))["with"]["fetch-depth"] == 0
    assert workflow["permissions"]["pages"] == "write"
    job = yaml.safe_load((REPO / "docs/ci/gitlab-pages.yml").read_text(encoding="utf-8"))["pages"]
    assert any("rectify site" in line and "--out public" in line for line in job["script"])
    assert job["artifacts"]["paths"] == ["public"] and job["variables"]["GIT_DEPTH"] == 0
    assert any(r["if"] == '$CI_PIPELINE_SOURCE == "schedule"' for r in job["rules"])


def test_the_site_commands_of_the_templates_exist(run, tmp_path):
    for option in ("--out", "--lang"):
        assert option in run("site", "--help", cwd=tmp_path)[1]
    assert run("fetch", "--help", cwd=tmp_path)[0] == 0


def test_the_templates_site_lines_build_the_site_of_the_default_plans(run, tmp_path):
    """Each Pages template's `rectify site` line, run as written on a copy of plans/."""
    import shutil

    steps = yaml.safe_load((REPO / "docs/ci/github-pages.yml").read_text(encoding="utf-8"))["jobs"]["site"]["steps"]
    lines = [s["run"] for s in steps if s.get("run", "").startswith("rectify site")]
    lines += [x for x in yaml.safe_load((REPO / "docs/ci/gitlab-pages.yml").read_text(encoding="utf-8"))["pages"]["script"]
              if x.startswith("rectify site")]
    assert len(lines) == 2
    for n, line in enumerate(lines):
        root = tmp_path / str(n)
        shutil.copytree(REPO / "plans", root / "plans")
        args = shlex.split(line, comments=True)
        code, _, err = run(*args[1:], cwd=root)
        assert code == 0, (line, err)
        published = root / args[args.index("--out") + 1]
        assert '<html lang="zh-CN">' in (published / "index.html").read_text(encoding="utf-8")  # the ledger's language
