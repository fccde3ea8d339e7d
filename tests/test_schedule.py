"""The schedule: calendar overrides, provisional warnings, pending events, rule errors at their line."""

from __future__ import annotations

import json

from .conftest import write


def _plan(tmp_path, calendar="", events="  received: 2025-12-19\n", due="5 working days after received"):
    write(tmp_path / "plans/plan.yaml", f"kind: plan\nid: p\ntitle: 计划\n{calendar}events:\n{events}")
    write(tmp_path / "plans/issues.yaml", "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题\n")
    write(
        tmp_path / "plans/tasks.yaml",
        f"kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: 措施\n    lead: 单位\n    due: {due}\n",
    )
    (tmp_path / ".git").mkdir(exist_ok=True)


def _due(run, tmp_path):
    code, stdout, _ = run("status", "--as-of", "2025-12-01", "--format", "json", cwd=tmp_path)
    assert code == 0, stdout
    return json.loads(stdout)["items"][0]["due"]


def test_repository_overrides_in_rectify_yaml(run, tmp_path):
    _plan(tmp_path)
    assert _due(run, tmp_path) == "2025-12-26"  # Fri 19 → 22,23,24,25,26
    write(tmp_path / "rectify.yaml", "calendar:\n  extra_holidays: [2025-12-24]\n")
    assert _due(run, tmp_path) == "2025-12-29"


def test_plan_calendar_mapping_adds_a_working_day(run, tmp_path):
    _plan(tmp_path, calendar="calendar:\n  country: CN\n  extra_workdays: [2025-12-20]\n")
    assert _due(run, tmp_path) == "2025-12-25"


def test_unknown_calendar_is_an_error_at_its_line(run, tmp_path):
    _plan(tmp_path, calendar="calendar: XX\n")
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "plans/plan.yaml:4:11: error: unknown calendar country code 'XX'" in stdout


def test_pending_event_is_never_overdue(run, tmp_path):
    _plan(tmp_path, events="  received: null\n")
    code, stdout, _ = run("check", "--as-of", "2030-01-01", "--format", "json", cwd=tmp_path)
    assert code == 0 and json.loads(stdout)["overdue"] == []


def test_provisional_year_warns_but_passes(run, tmp_path):
    _plan(tmp_path, events="  received: 2027-09-28\n")
    code, stdout, _ = run("check", "--as-of", "2027-01-01", "--lang", "en", cwd=tmp_path)
    assert code == 0
    assert "plans/tasks.yaml:8:10: warning:" in stdout and "2027 holiday schedule is not published yet" in stdout


def test_rule_error_points_at_the_due_line(run, tmp_path):
    _plan(tmp_path, due="5 working days after recieved")
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "plans/tasks.yaml:8:10: error:" in stdout and "did you mean received?" in stdout


def test_milestone_cycle_is_named(run, tmp_path):
    write(
        tmp_path / "plans/plan.yaml",
        "kind: plan\nid: p\ntitle: 计划\nmilestones:\n  - id: a\n    title: A\n    due: 3 working days after b\n"
        "  - id: b\n    title: B\n    due: 2 working days after a\n",
    )
    (tmp_path / ".git").mkdir()
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2 and ("a → b → a" in stdout or "b → a → b" in stdout)


def test_rectify_yaml_linked_out_of_the_repository_is_refused(run, tmp_path):
    _plan(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    outside.write_text("calendar:\n  extra_holidays: [2025-12-24]\n", encoding="utf-8")
    (tmp_path / "rectify.yaml").symlink_to(outside)
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2 and stdout.startswith("rectify.yaml: error:")
    assert "2025-12-24" not in stdout
