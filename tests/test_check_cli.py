"""`rectify check` end to end: exit codes, formats, the default plan and every example."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import REPO, write

EXAMPLES = {
    "examples/panyu-xuncha-2024": "2025-03-28",
    "examples/qingyuan-rd-xuncha-2025": "2026-01-21",
    "examples/wenling-yingshang-2023": "2023-03-31",
    "examples/heyuan-mianduimian-2024": "2024-05-10",
    "plans": "2026-11-23",
}
# Warnings an example keeps on purpose: done without a date. The notices say a measure's result exists
# (已整改完毕, 已下发至镇街, 印发了 …) with a month or no date at all, and the examples do not invent a day:
# panyu 5, qingyuan 12 (one of them, the 立行立改 check of item 10, assumed done).
WARNINGS = {"examples/panyu-xuncha-2024": 5, "examples/qingyuan-rd-xuncha-2025": 12}


def summary_ok(path: str, stdout: str) -> bool:
    return f"0 errors, 0 overdue, 0 rule violations, {WARNINGS.get(path, 0)} warning" in stdout


@pytest.mark.parametrize("path,as_of", sorted(EXAMPLES.items()))
def test_examples_and_default_plan_pass(run, path, as_of):
    code, stdout, _ = run("check", path, "--as-of", as_of, "--lang", "en", cwd=REPO)
    assert code == 0, stdout
    assert summary_ok(path, stdout), stdout


def test_default_path_is_plans(run):
    code, stdout, _ = run("check", "--as-of", "2026-11-23", "--format", "json", cwd=REPO)
    assert code == 0
    data = json.loads(stdout)
    assert data["summary"]["plans"] == 1 and data["summary"]["tasks"] > 0


def test_overdue_is_exit_1_with_days_and_location(run):
    # Wenling's activities run to the end of 2023; on 2024-01-10 they are all late.
    code, stdout, _ = run("check", "examples/wenling-yingshang-2023", "--as-of", "2024-01-10", "--format", "json", cwd=REPO)
    assert code == 1
    data = json.loads(stdout)
    assert data["errors"] == []
    first = data["overdue"][0]
    assert set(first) >= {"id", "plan", "title", "lead", "due", "days_overdue", "file", "line", "column"}
    assert first["plan"] == "wenling-yingshang-2023"
    assert all(o["days_overdue"] > 0 for o in data["overdue"])
    assert data["summary"]["overdue"] == len(data["overdue"])


def _ledger(tmp_path, due="2025-12-31", status="doing", extra=""):
    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\ntitle: 测试计划\nowner: 办公室\n")
    write(tmp_path / "plans/issues.yaml", "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题一\n")
    write(
        tmp_path / "plans/tasks.yaml",
        f"kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: 措施一\n    lead: 市人社局\n"
        f"    due: {due}\n    status: {status}\n{extra}",
    )
    (tmp_path / ".git").mkdir(exist_ok=True)  # marks the repository root


def test_overdue_text_line_points_at_due(run, tmp_path):
    _ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--lang", "zh", cwd=tmp_path)
    assert code == 1
    assert "plans/tasks.yaml:8:10: 逾期: T-1「措施一」已逾期 5 天（期限 2025-12-31，牵头单位：市人社局）" in stdout


def test_due_day_itself_is_not_overdue(run, tmp_path):
    _ledger(tmp_path)
    assert run("check", "--as-of", "2025-12-31", cwd=tmp_path)[0] == 0
    assert run("check", "--as-of", "2026-01-01", cwd=tmp_path)[0] == 1


@pytest.mark.parametrize("status", ["done", "cancelled", "ongoing", "已完成"])
def test_finished_or_ongoing_is_never_overdue(run, tmp_path, status):
    extra = "    done: 2025-12-01\n" if status in ("done", "已完成") else ""
    _ledger(tmp_path, status=status, extra=extra)
    assert run("check", "--as-of", "2027-01-01", cwd=tmp_path)[0] == 0


def test_closed_without_evidence_is_exit_1(run, tmp_path):
    _ledger(tmp_path, status="closed", extra="    done: 2025-12-01\n    closed_by: 督查室\n")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 1
    assert "violation: T-1 is closed but has no evidence" in stdout


@pytest.mark.parametrize("status,word,evidence,expected", [
    ("done", "done", "", 1), ("已完成", "done", "", 1), ("done", "done", "    evidence: [https://example.cn/a]\n", 0),
    ("doing", "done", "", 0), ("done", "closed", "", 0), ("done", "", "", 0),
])
def test_a_plan_may_require_evidence_once_work_is_done(run, tmp_path, status, word, evidence, expected):
    """`require_evidence: done`: the rule `audit` applies to the history, made a `check` rule."""
    _ledger(tmp_path, status=status, extra="    done: 2025-12-01\n" + evidence)
    if word:
        (tmp_path / "plans/plan.yaml").write_text(
            f"kind: plan\nid: p\ntitle: 测试计划\nowner: 办公室\nrequire_evidence: {word}\n", encoding="utf-8")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == expected, stdout
    if expected:
        assert ("plans/tasks.yaml:9:13: violation: T-1 has status done but no evidence; plan p requires evidence "
                "once work is done (require_evidence: done)") in stdout


def test_a_milestone_done_without_evidence_breaks_the_rule_too(run, tmp_path):
    _ledger(tmp_path)
    (tmp_path / "plans/plan.yaml").write_text(
        "kind: plan\nid: p\ntitle: 测试计划\nrequire_evidence: 已完成\nmilestones:\n"
        "  - {id: M-1, title: 报送方案, due: 2025-11-30, status: done, done: 2025-11-28}\n", encoding="utf-8")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 1 and "violation: M-1 has status done but no evidence" in stdout


@pytest.mark.parametrize("plan_word,expected", [("", 1), ("closed", 0), ("done", 1)])
def test_rectify_yaml_may_require_evidence_for_every_plan_that_says_nothing(run, tmp_path, plan_word, expected):
    _ledger(tmp_path, status="done", extra="    done: 2025-12-01\n")
    (tmp_path / "rectify.yaml").write_text("require_evidence: done\n", encoding="utf-8")
    if plan_word:
        (tmp_path / "plans/plan.yaml").write_text(
            f"kind: plan\nid: p\ntitle: 测试计划\nrequire_evidence: {plan_word}\n", encoding="utf-8")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == expected, stdout
    assert ("violation: T-1 has status done but no evidence" in stdout) == bool(expected)


def test_an_unknown_require_evidence_value_in_rectify_yaml_is_an_error(run, tmp_path):
    _ledger(tmp_path)
    (tmp_path / "rectify.yaml").write_text("# 全库设置\nrequire_evidence: 已销号吗\n", encoding="utf-8")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "rectify.yaml:2:19: error: require_evidence: '已销号吗' is not a choice" in stdout


def test_an_unknown_require_evidence_value_is_an_error(run, tmp_path):
    _ledger(tmp_path)
    (tmp_path / "plans/plan.yaml").write_text(
        "kind: plan\nid: p\ntitle: 测试计划\nrequire_evidence: doing\n", encoding="utf-8")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert ("plans/plan.yaml:4:19: error: require_evidence: 'doing' is not a choice; use done (evidence once done) "
            "or closed (only at closing, the default)") in stdout


def test_evidence_outside_repository_is_exit_1(run, tmp_path):
    _ledger(tmp_path, extra="    evidence: [../../outside.pdf]\n")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 1
    assert "evidence ../../outside.pdf is outside the repository" in stdout


def test_evidence_symlink_leaving_repository_is_exit_1(run, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.pdf"
    outside.write_text("x")
    _ledger(tmp_path, extra="    evidence: [link.pdf]\n")
    (tmp_path / "plans/link.pdf").symlink_to(outside)
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 1 and "is outside the repository" in stdout


def test_invalid_file_is_exit_2_never_a_traceback(run, tmp_path):
    _ledger(tmp_path, due="2025-02-30")
    code, stdout, _ = run("check", "--as-of", "2025-12-02", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "plans/tasks.yaml:8:10: error:" in stdout and "2025-02-30" in stdout
    assert "Traceback" not in stdout


def test_bad_as_of_is_usage_error(run, tmp_path):
    _ledger(tmp_path)
    code, _, stderr = run("check", "--as-of", "tomorrow", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "--as-of: 'tomorrow' is not a date; write it as YYYY-MM-DD" in stderr


def test_missing_path_is_exit_2(run, tmp_path):
    code, stdout, _ = run("check", "nowhere", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "nowhere: no such file or directory" in stdout


def test_fail_on_due_soon_and_never(run, tmp_path):
    _ledger(tmp_path, due="2025-12-31")
    # 2025-12-29 (Mon) -> 2025-12-31 (Wed): 2 working days left
    assert run("check", "--as-of", "2025-12-29", cwd=tmp_path)[0] == 0
    assert run("check", "--as-of", "2025-12-29", "--fail-on", "due-soon", cwd=tmp_path)[0] == 1
    assert run("check", "--as-of", "2025-12-29", "--fail-on", "due-soon", "--due-within", "1", cwd=tmp_path)[0] == 0
    assert run("check", "--as-of", "2026-03-01", "--fail-on", "never", cwd=tmp_path)[0] == 0


def test_github_annotations_point_at_due_line(run, tmp_path):
    _ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", "github", "--lang", "en", cwd=tmp_path)
    assert code == 1
    line = stdout.splitlines()[0]
    assert line.startswith("::error file=plans/tasks.yaml,line=8,col=10,title=rectify::T-1 ")
    assert "5 days overdue" in line


def test_github_escapes_newlines_and_percent(tmp_path):
    from rectify_cli.model import Source
    from rectify_cli.render.check import annotation

    line = annotation("error", Source("a,b:c.yaml", 3, 4), "50% done\nnext")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=rectify::50%25 done%0Anext"


def test_junit_report(run, tmp_path):
    _ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", "junit", "--lang", "en", cwd=tmp_path)
    assert code == 1
    suite = ET.fromstring(stdout.split("\n", 1)[1])
    assert suite.tag == "testsuite" and suite.get("failures") == "1"
    failure = suite.find("testcase/failure[@type='overdue']")
    assert failure is not None and "T-1" in failure.get("message")


def test_control_characters_never_reach_terminal(run, tmp_path):
    _ledger(tmp_path)
    path = tmp_path / "plans/tasks.yaml"
    path.write_text(path.read_text().replace("措施一", '"措施\\e[31m一"'), encoding="utf-8")
    code, stdout, _ = run("check", "--as-of", "2026-01-05", cwd=tmp_path)
    assert code == 1
    assert "\x1b" not in stdout and "\\x1b[31m" in stdout


def test_overdue_lines_are_labelled_overdue_like_the_summary_counts_them(run, tmp_path):
    _ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--lang", "en", cwd=tmp_path)
    assert code == 1
    line, summary = stdout.splitlines()
    assert line.startswith("plans/tasks.yaml:8:10: overdue: T-1") and "error" not in line
    assert summary == "3 files, 1 plan, 1 issue, 1 task; 0 errors, 1 overdue, 0 rule violations, 0 warnings"
    assert '"措施一" is 5 days overdue' in line
    code, stdout, _ = run("check", "--as-of", "2026-01-01", "--lang", "en", cwd=tmp_path)
    assert '"措施一" is 1 day overdue' in stdout  # not "1 days"
