"""Who answers for an item: joint leads, milestone leads and the unit registry."""

from __future__ import annotations

import json

from .conftest import write

PLAN = """\
kind: plan
id: p
title: 评议整改
owner: 市人大常委会预算工委
events:
  opinions_received: 2025-11-05
milestones:
  - id: plan-due
    title: 制定整改处理方案
    due: 20 working days after opinions_received
    lead: 市政府
"""
ISSUES = "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题\n"
TASKS = """\
kind: tasks
plan: p
tasks:
  - id: T-1
    issue: I-1
    title: 联合牵头的事项
    lead: [财经工委, 预算工委]
    support: [法制和监察司法工委]
    due: 2025-11-20
  - id: T-2
    issue: I-1
    title: 全称
    lead: 市人力资源社会保障局
    due: 2025-11-21
  - id: T-3
    issue: I-1
    title: 简称
    lead: 市人社局
    due: 2025-11-21
"""
REGISTRY = """\
units:
  - name: 市人力资源社会保障局
    aliases: [市人社局]
    leader: 分管副局长
    contact: 办公室
  - name: 财经工委
  - name: 预算工委
  - name: 法制和监察司法工委
"""
AS_OF = "2025-11-20"


def _repo(root, registry: str | None = None):
    write(root / "plans" / "p" / "plan.yaml", PLAN)
    write(root / "plans" / "p" / "issues.yaml", ISSUES)
    write(root / "plans" / "p" / "tasks.yaml", TASKS)
    if registry is not None:
        write(root / "rectify.yaml", registry)
    (root / ".git").mkdir(exist_ok=True)


def _groups(out: str) -> dict[str, int]:
    return {g["key"]: g["total"] for g in json.loads(out)["groups"]}


def test_each_joint_lead_is_counted(run, tmp_path):
    _repo(tmp_path)
    code, out, _ = run("status", "--by", "unit", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert code == 0
    groups = _groups(out)
    assert groups["财经工委"] == 1 and groups["预算工委"] == 1
    assert "财经工委、预算工委" not in groups


def test_supporting_units_counted_when_asked(run, tmp_path):
    _repo(tmp_path)
    _, out, _ = run("status", "--by", "unit", "--include-support", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert _groups(out)["法制和监察司法工委"] == 1
    _, out, _ = run("status", "--by", "unit", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert "法制和监察司法工委" not in _groups(out)


def test_joint_lead_shown_together_in_the_item(run, tmp_path):
    _repo(tmp_path)
    _, out, _ = run("status", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    item = next(i for i in json.loads(out)["items"] if i["id"] == "T-1")
    assert item["lead"] == "财经工委、预算工委"


def test_agenda_lists_a_joint_item_under_each_lead_and_a_milestone_under_its_lead(run, tmp_path):
    _repo(tmp_path)
    _, out, _ = run("agenda", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    units = {u["unit"]: [i["id"] for i in u["items"]] for u in json.loads(out)["units"]}
    assert "T-1" in units["财经工委"] and "T-1" in units["预算工委"]
    assert units["市政府"] == ["plan-due"]  # not the plan's owner
    assert "市人大常委会预算工委" not in units


def test_registry_makes_two_spellings_one_unit(run, tmp_path):
    _repo(tmp_path, REGISTRY)
    _, out, _ = run("status", "--by", "unit", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    groups = _groups(out)
    assert groups["市人力资源社会保障局"] == 2 and "市人社局" not in groups
    _, out, _ = run("status", "--unit", "市人社局", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert {i["id"] for i in json.loads(out)["items"]} == {"T-2", "T-3"}


def test_unknown_unit_is_a_warning_with_a_suggestion_once_there_is_a_registry(run, tmp_path):
    _repo(tmp_path)
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=tmp_path)
    assert "registry" not in out  # no registry: names are taken as written
    _repo(tmp_path, REGISTRY.replace("  - name: 预算工委\n", ""))
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=tmp_path)
    assert code == 0
    lines = [line for line in out.splitlines() if "unit registry" in line]
    assert len(lines) == 2  # 预算工委 (T-1) and 市政府 (the milestone)
    assert any("'预算工委'" in line and "tasks.yaml:7:" in line for line in lines)
    assert any("'市政府'" in line and "plan.yaml:" in line for line in lines)


def test_a_unit_list_may_not_be_empty(run, tmp_path):
    _repo(tmp_path)
    write(tmp_path / "plans" / "p" / "tasks.yaml", TASKS.replace("lead: [财经工委, 预算工委]", "lead: []"))
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=tmp_path)
    assert code == 2 and "tasks.yaml:7:11" in out


def test_joint_leads_survive_the_excel_round_trip(run, tmp_path):
    from rectify_cli.loader import load

    _repo(tmp_path)
    code, _, _ = run("export", "--format", "xlsx", "--out", str(tmp_path / "台账.xlsx"), "--as-of", AS_OF, cwd=tmp_path)
    assert code == 0
    (tmp_path / "back").mkdir()
    code, out, err = run("import", str(tmp_path / "台账.xlsx"), "--plan", "p", "--out", str(tmp_path / "back" / "p"), cwd=tmp_path / "back")
    assert code in (0, 1), out + err
    ledger = load(tmp_path / "back" / "p")
    task = next(t for t in ledger.repository.tasks if t.id == "T-1")
    assert task.leads == ("财经工委", "预算工委")
