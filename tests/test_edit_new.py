"""rectify new plan|issue|task: next free ids, required keys, appended in the file's style."""

from __future__ import annotations

import pytest

from tests.test_edit_actions import ISSUES, TASKS, changed, original, repo, untouched  # noqa: F401 (repo: fixture)


def test_new_issue_gets_the_next_number_and_the_items_style(run, repo):
    code, out, _ = run("new", "issue", "--plan", "p1", "--title", "审批时限: 过长", "--category", "政务服务", "--lang", "en")
    assert code == 0
    assert out.strip() == "created I-03 in plans/p1/issues.yaml"
    assert (repo / ISSUES).read_text(encoding="utf-8") == original(ISSUES) + (
        "  - id: I-03\n    category: 政务服务\n    title: '审批时限: 过长'\n"
    )


def test_new_task_numbers_within_its_issue_and_lands_after_the_last_item(run, repo):
    code, out, _ = run("new", "task", "--issue", "I-01", "--title", "开展政策进园区活动", "--lead", "市人社局",
                       "--due", "20 working days after feedback", "--support", "市财政局", "--support", "市税务局",
                       "--owner", "分管副局长", "--lang", "en")
    assert code == 0
    assert out.strip() == "created T-01-3 in plans/p1/tasks.yaml"
    assert (repo / TASKS).read_text(encoding="utf-8") == original(TASKS) + (
        "  - id: T-01-3\n    issue: I-01\n    title: 开展政策进园区活动\n    lead: 市人社局\n"
        "    support: [市财政局, 市税务局]\n    owner: 分管副局长\n"
        "    due: 20 working days after feedback\n    status: todo\n"
    )
    assert run("new", "task", "--issue", "I-02", "--title", "t", "--lead", "l", "--lang", "en")[1].strip() == \
        "created T-02-2 in plans/p1/tasks.yaml"


@pytest.mark.parametrize("due", ["长期坚持", "ongoing", "常态化"])
def test_new_task_with_no_deadline_starts_ongoing(run, repo, due):
    """`todo` would wait for a start that a 长期坚持 task never has."""
    code, _, err = run("new", "task", "--issue", "I-01", "--title", "持续开展宣传", "--lead", "市人社局", "--due", due)
    assert (code, err) == (0, "")
    assert (repo / TASKS).read_text(encoding="utf-8").endswith(f"    due: {due}\n    status: ongoing\n")


def test_new_task_for_an_unknown_issue_or_a_bad_due_is_refused(run, repo):
    code, _, err = run("new", "task", "--issue", "I-09", "--title", "t", "--lead", "l", "--lang", "en")
    assert code == 2 and "no item I-09" in err
    code, _, err = run("new", "task", "--issue", "I-01", "--title", "t", "--lead", "l", "--due", "改天", "--lang", "en")
    assert code == 2 and "cannot read deadline" in err
    code, _, err = run("new", "task", "--issue", "T-01-1", "--title", "t", "--lead", "l", "--lang", "en")
    assert code == 2 and "T-01-1 is a task, not an issue" in err
    assert untouched(repo)


HEAD = "# yaml-language-server: $schema=../../.rectify/schema.json\n"  # see test_schema


def test_new_plan_then_issue_then_task_builds_a_valid_plan(run, repo):
    code, out, _ = run("new", "plan", "--id", "audit-2026", "--title", "2026年审计整改", "--owner", "区审计局", "--lang", "en")
    assert code == 0
    plan_dir = repo / "plans" / "audit-2026"
    assert (plan_dir / "plan.yaml").read_text(encoding="utf-8") == (
        f"{HEAD}kind: plan\nid: audit-2026\ntitle: 2026年审计整改\nowner: 区审计局\n")
    assert (plan_dir / "tasks.yaml").read_text(encoding="utf-8") == f"{HEAD}kind: tasks\nplan: audit-2026\ntasks: []\n"
    assert run("new", "issue", "--plan", "audit-2026", "--title", "预算执行不严格")[0] == 0
    assert (plan_dir / "issues.yaml").read_text(encoding="utf-8") == (
        f"{HEAD}kind: issues\nplan: audit-2026\nissues:\n  - id: I-01\n    title: 预算执行不严格\n")
    code, _, err = run("new", "task", "--issue", "audit-2026:I-01", "--title", "规范预算执行", "--lead", "区财政局")
    assert code == 0, err
    assert (plan_dir / "tasks.yaml").read_text(encoding="utf-8") == (
        f"{HEAD}kind: tasks\nplan: audit-2026\ntasks:\n  - id: T-01-1\n    issue: I-01\n    title: 规范预算执行\n"
        "    lead: 区财政局\n    status: todo\n")
    code, out, _ = run("check", "--as-of", "2025-11-01", "--lang", "en")
    assert code == 0 and "0 errors" in out


def test_new_plan_refuses_an_existing_id_or_directory(run, repo):
    code, _, err = run("new", "plan", "--id", "p1", "--title", "x", "--lang", "en")
    assert code == 2 and "plan p1 already exists" in err
    (repo / "plans/p9").mkdir()
    (repo / "plans/p9/plan.yaml").write_text("# 草稿\n")
    code, _, err = run("new", "plan", "--id", "p9", "--title", "x", "--lang", "en")
    assert code == 2 and "already exists and will not be overwritten" in err
    assert (repo / "plans/p9/plan.yaml").read_text() == "# 草稿\n"


def test_new_dry_run_writes_nothing(run, repo):
    code, out, _ = run("new", "plan", "--id", "p2", "--title", "试", "--dry-run")
    assert code == 0
    assert "+++ b/plans/p2/plan.yaml" in out and "+kind: plan" in out
    assert not (repo / "plans/p2").exists()
    code, out, _ = run("new", "issue", "--plan", "p1", "--title", "试", "--dry-run")
    assert "+  - id: I-03" in out
    assert untouched(repo)


def test_new_issue_in_a_crlf_file_with_unindented_items(run, repo):
    text = "kind: issues\r\nplan: p1\r\nissues:\r\n-   id: I-01\r\n    title: 甲\r\n-   id: I-02\r\n    title: 乙\r\n"
    (repo / ISSUES).write_bytes(text.encode("utf-8"))
    assert run("new", "issue", "--plan", "p1", "--title", "丙")[0] == 0
    after = (repo / ISSUES).read_bytes().decode("utf-8")
    assert changed(text, after) == ([], ["-   id: I-03\r\n", "    title: 丙\r\n"])


def test_new_task_support_takes_several_units_as_the_readme_writes_them(run, repo):
    """`--support A B` (README), repeated options and 、-lists all give one support list."""
    code, _, err = run("new", "task", "--issue", "I-01", "--title", "t", "--lead", "l",
                       "--support", "市财政局", "市税务局", "--lang", "en")
    assert (code, err) == (0, "")
    assert (repo / TASKS).read_text(encoding="utf-8").endswith("    support: [市财政局, 市税务局]\n    status: todo\n")
    code, _, err = run("new", "task", "--issue", "I-01", "--title", "t2", "--lead", "l",
                       "--support", "市财政局、市税务局", "--support", "市商务局", "--lang", "en")
    assert (code, err) == (0, "")
    assert (repo / TASKS).read_text(encoding="utf-8").endswith("    support: [市财政局, 市税务局, 市商务局]\n    status: todo\n")


def test_new_task_stray_words_without_support_are_a_usage_error(run, repo):
    code, _, err = run("new", "task", "--issue", "I-01", "--title", "t", "--lead", "l", "市财政局", "--lang", "zh")
    assert code == 2 and "多余的参数：市财政局" in err and "--support" in err
    assert untouched(repo)


def test_new_issue_takes_its_finding_target_and_parent_and_new_task_joint_leads(run, tmp_path):
    """What the seeds hold (方面 → 问题 → 具体表现, 整改目标, joint leads) can be typed, not only imported."""
    import yaml

    (tmp_path / ".git").mkdir()
    assert run("new", "plan", "--id", "xc", "--title", "巡察整改", "--dir", "plans/xc", cwd=tmp_path)[0] == 0
    assert run("new", "issue", "--plan", "xc", "--title", "理论学习不深入", "--category", "政治建设", cwd=tmp_path)[0] == 0
    code, _, err = run("new", "issue", "--plan", "xc", "--title", "中心组学习流于形式", "--parent", "I-01",
                       "--finding", "全年只集中学习两次", "--target", "每季度至少集中学习一次", cwd=tmp_path)
    assert code == 0, err
    code, _, err = run("new", "task", "--issue", "I-02", "--title", "制定学习计划", "--lead", "办公室",
                       "--lead", "组织部、宣传部", cwd=tmp_path)
    assert code == 0, err
    issues = yaml.safe_load((tmp_path / "plans/xc/issues.yaml").read_text(encoding="utf-8"))["issues"]
    assert issues[1] == {"id": "I-02", "title": "中心组学习流于形式", "parent": "I-01",
                         "finding": "全年只集中学习两次", "target": "每季度至少集中学习一次"}
    task = yaml.safe_load((tmp_path / "plans/xc/tasks.yaml").read_text(encoding="utf-8"))["tasks"][0]
    assert task["lead"] == ["办公室", "组织部", "宣传部"]
    code, _, err = run("new", "issue", "--plan", "xc", "--title", "孤立问题", "--parent", "I-09", cwd=tmp_path)
    assert code == 2 and "I-09" in err  # a parent that does not exist is refused; nothing written
    assert "孤立问题" not in (tmp_path / "plans/xc/issues.yaml").read_text(encoding="utf-8")
