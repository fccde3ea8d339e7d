"""rectify progress/done/close/reopen/extend/set on a realistic ledger: exact resulting
files (golden), only the expected lines changed, refusals that leave every byte alone."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.test_edit_yamledit import changed

BASIC = CORPUS / "edit" / "basic"
TASKS = Path("plans/p1/tasks.yaml")
ISSUES = Path("plans/p1/issues.yaml")
PLAN = Path("plans/p1/plan.yaml")


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASIC, root)
    monkeypatch.chdir(root)
    return root


def original(rel: Path) -> str:
    return (BASIC / rel).read_text(encoding="utf-8")


def untouched(repo: Path) -> bool:
    return all((repo / rel).read_bytes() == (BASIC / rel).read_bytes() for rel in (TASKS, ISSUES, PLAN))


# -- progress ------------------------------------------------------------------------
def test_progress_appends_one_line_in_the_style_of_the_existing_items(run, repo):
    code, out, err = run("progress", "T-01-1", "已召开推进会：部署第二阶段", "--date", "2025-12-05", "--lang", "en")
    assert (code, err) == (0, "")
    assert "updated plans/p1/tasks.yaml: T-01-1 progress: 已召开推进会：部署第二阶段" in out
    expected = original(TASKS).replace(
        "      - {date: 2025-12-01, note: 已印发宣传方案}\n",
        "      - {date: 2025-12-01, note: 已印发宣传方案}\n      - {date: 2025-12-05, note: 已召开推进会：部署第二阶段}\n",
    )
    assert (repo / TASKS).read_text(encoding="utf-8") == expected


def test_progress_note_that_needs_quotes_gets_them(run, repo):
    code, _, _ = run("progress", "T-02-1", "key: value, #1", "--date", "2025-12-05")
    assert code == 0
    removed, added = changed(original(TASKS), (repo / TASKS).read_text(encoding="utf-8"))
    assert removed == []
    assert added == ["    progress:\n", "      - {date: 2025-12-05, note: 'key: value, #1'}\n"]


def test_progress_on_a_milestone_is_refused_by_the_file_format(run, repo):
    code, _, err = run("progress", "M-1", "已起草", "--lang", "en")
    assert code == 2
    assert "progress does not apply to milestone M-1" in err
    assert untouched(repo)


# -- done ------------------------------------------------------------------------------
def test_done_sets_status_date_and_evidence_relative_to_the_yaml_file(run, repo):
    (repo / "docs").mkdir()
    (repo / "docs" / "方案.pdf").write_text("x")
    code, out, err = run("done", "T-01-1", "--date", "2025-12-20", "--evidence", "docs/方案.pdf",
                         "--evidence", "https://example.cn/a?b=1", "--lang", "en")
    assert (code, err) == (0, "")
    assert "T-01-1 doing → done" in out
    expected = original(TASKS).replace(
        "    status: doing                    # 推进中\n",
        "    status: done                    # 推进中\n    done: 2025-12-20\n"
        "    evidence: [../../docs/方案.pdf, 'https://example.cn/a?b=1']\n",
    )
    assert (repo / TASKS).read_text(encoding="utf-8") == expected
    code, out, _ = run("check", "--as-of", "2025-12-20", "--lang", "en")
    assert "0 errors" in out and "0 rule violations" in out


def test_done_from_a_subdirectory_converts_the_path(run, repo):
    (repo / "plans/p1/evidence/new.pdf").write_text("x")
    code, _, err = run("done", "T-02-1", "--date", "2025-12-20", "--evidence", "evidence/new.pdf",
                       "--plans", "..", cwd=repo / "plans/p1")
    assert (code, err) == (0, "")
    removed, added = changed(original(TASKS), (repo / TASKS).read_text(encoding="utf-8"))
    assert removed == ["    status: ongoing\n"]
    assert added == ["    status: done\n", "    done: 2025-12-20\n", "    evidence: [evidence/new.pdf]\n"]


@pytest.mark.parametrize(("path", "key"), [("../outside.pdf", "outside"), ("docs/nope.pdf", "does not exist")])
def test_done_refuses_evidence_outside_the_repository_or_missing(run, repo, path, key):
    (repo.parent / "outside.pdf").write_text("x")
    code, _, err = run("done", "T-01-1", "--evidence", path, "--lang", "en")
    assert code == 2
    assert key in err and "Traceback" not in err
    assert untouched(repo)


def test_done_on_a_milestone(run, repo):
    code, _, _ = run("done", "M-1", "--date", "2025-12-01")
    assert code == 0
    assert (repo / PLAN).read_text(encoding="utf-8") == original(PLAN) + "    status: done\n    done: 2025-12-01\n"


def test_done_again_adds_evidence_and_keeps_the_date(run, repo):
    (repo / "plans/p1/evidence/more.pdf").write_text("x")
    code, out, _ = run("done", "T-01-2", "--evidence", "plans/p1/evidence/more.pdf")
    assert code == 0
    removed, added = changed(original(TASKS), (repo / TASKS).read_text(encoding="utf-8"))
    assert removed == ["    evidence: [evidence/T-01-2.pdf]\n"]
    assert added == ["    evidence: [evidence/T-01-2.pdf, evidence/more.pdf]\n"]


# -- close (销号) ------------------------------------------------------------------------
def test_close_writes_chinese_status_when_the_file_uses_chinese(run, repo):
    code, out, err = run("close", "T-01-2", "--by", "区委巡察办", "--date", "2025-12-25", "--lang", "en")
    assert (code, err) == (0, "")
    assert "T-01-2 done → closed" in out
    expected = original(TASKS).replace(
        "    status: 已完成\n    done: 2025-11-30\n",
        "    status: 已销号\n    done: 2025-11-30\n    closed_by: 区委巡察办\n    closed: 2025-12-25\n",
    )
    assert (repo / TASKS).read_text(encoding="utf-8") == expected


def test_close_refused_unless_done(run, repo):
    code, _, err = run("close", "T-01-1", "--by", "王五", "--lang", "en")
    assert code == 1
    assert err.strip() == ("rectify: error: refusing to close (销号) T-01-1: its status is doing; "
                           "only a done task can be closed, run rectify done first")
    assert untouched(repo)


def test_close_refused_when_evidence_file_is_gone(run, repo):
    (repo / "plans/p1/evidence/T-01-2.pdf").unlink()
    code, _, err = run("close", "T-01-2", "--by", "王五", "--lang", "en")
    assert code == 1
    assert "evidence missing or outside the repository: evidence/T-01-2.pdf" in err
    assert untouched(repo)


def test_close_refused_without_evidence(run, repo):
    assert run("done", "T-02-1", "--date", "2025-12-01")[0] == 0
    before = (repo / TASKS).read_bytes()
    code, _, err = run("close", "T-02-1", "--by", "王五", "--lang", "zh")
    assert code == 1
    assert "没有佐证材料" in err
    assert (repo / TASKS).read_bytes() == before


# -- reopen, extend --------------------------------------------------------------------------
def test_reopen_goes_back_to_doing_and_records_why(run, repo):
    code, out, _ = run("reopen", "T-01-2", "--reason", "回头看发现问题反弹", "--by", "督查组", "--date", "2026-03-01",
                       "--lang", "en")
    assert code == 0
    assert "T-01-2 reopened: cleared done: 2025-11-30 (the old values stay in the git history)" in out
    expected = original(TASKS).replace(
        "    status: 已完成\n    done: 2025-11-30\n", "    status: 推进中\n",
    ).replace(
        "    evidence: [evidence/T-01-2.pdf]\n",
        "    evidence: [evidence/T-01-2.pdf]\n    reopened:\n"
        "      - {date: 2026-03-01, reason: 回头看发现问题反弹, by: 督查组, done: 2025-11-30}\n",
    )  # the finish it undid is kept, so --as-of an earlier day still sees it
    assert (repo / TASKS).read_text(encoding="utf-8") == expected


def test_reopen_of_a_closed_task_clears_done_and_closing_and_keeps_the_reason(run, repo):
    assert run("close", "T-01-2", "--by", "区委巡察办", "--date", "2025-12-25")[0] == 0
    code, out, err = run("reopen", "T-01-2", "--reason", "回头看发现问题反弹", "--date", "2026-03-01", "--lang", "en")
    assert (code, err) == (0, "")
    assert "T-01-2 closed → doing" in out
    assert "cleared done: 2025-11-30, closed_by: 区委巡察办, closed: 2025-12-25" in out
    expected = original(TASKS).replace("    status: 已完成\n    done: 2025-11-30\n", "    status: 推进中\n").replace(
        "    evidence: [evidence/T-01-2.pdf]\n",
        "    evidence: [evidence/T-01-2.pdf]\n    reopened:\n      - {date: 2026-03-01, reason: 回头看发现问题反弹, done: 2025-11-30,"
        " closed: 2025-12-25, closed_by: 区委巡察办}\n",
    )
    assert (repo / TASKS).read_text(encoding="utf-8") == expected
    code, out, _ = run("check", "--as-of", "2026-03-01", "--lang", "en")
    assert "0 errors" in out and "0 rule violations" in out  # (exit 1: T-01-1 is overdue)


def test_a_task_finished_again_after_reopening_is_judged_on_its_new_date(run, repo, tmp_path):
    """The old `done:` date used to stay: finished again months later, the task read as
    finished on time, and the Excel ledger showed that 完成日期 on a 推进中 row."""
    from openpyxl import load_workbook

    (repo / "docs").mkdir()
    (repo / "docs" / "方案.pdf").write_text("x")
    assert run("done", "T-01-1", "--date", "2025-12-20", "--evidence", "docs/方案.pdf")[0] == 0
    assert run("reopen", "T-01-1", "--reason", "整改不到位", "--date", "2026-03-01")[0] == 0
    out_file = tmp_path / "台账.xlsx"
    assert run("export", "--format", "xlsx", "--out", str(out_file), "--as-of", "2026-03-02", "--lang", "zh")[0] == 0
    sheet = load_workbook(out_file).active
    header = [c.value for c in sheet[1]]
    row = next(dict(zip(header, (c.value for c in r))) for r in sheet.iter_rows(min_row=2) if r[header.index("任务编号")].value == "T-01-1")
    assert (row["完成情况"], row["完成日期"]) == ("推进中", None)
    assert run("done", "T-01-1")[0] == 0  # finished again: today, long after 2025-12-31
    today = dt.date.today()
    code, out, _ = run("status", "--format", "json", "--as-of", today.isoformat())
    task = next(t for t in json.loads(out)["items"] if t["id"] == "T-01-1")
    assert (task["status"], task["done"], task["done_late"]) == ("done", today.isoformat(), True)


def test_reopen_refused_when_not_finished(run, repo):
    code, _, err = run("reopen", "T-01-1", "--reason", "x", "--lang", "en")
    assert code == 1 and "nothing to reopen" in err
    assert untouched(repo)


# -- the ledger's rules at edit time (issue 16, item 9) -----------------------------------
@pytest.mark.parametrize("prepare,task,new,old", [
    ((), "T-01-2", "doing", "done"),
    ((("close", "T-01-2", "--by", "区委巡察办", "--date", "2025-12-25"),), "T-01-2", "doing", "closed"),
    ((("close", "T-01-2", "--by", "区委巡察办", "--date", "2025-12-25"),), "T-01-2", "done", "closed"),
    ((("set", "T-02-1", "status", "cancelled"),), "T-02-1", "ongoing", "cancelled"),
])
def test_set_status_back_needs_a_reason(run, repo, prepare, task, new, old):
    """Moving a finished task's status back is a reopening: `set` used to do it silently."""
    for args in prepare:
        assert run(*args)[0] == 0
    before = (repo / TASKS).read_bytes()
    code, _, err = run("set", task, "status", new, "--lang", "en")
    assert code == 1
    assert err.strip() == (f"rectify: error: moving {task} back from {old} to {new} reopens it: "
                           f'give the reason with --reason "..." (or use rectify reopen)')
    assert (repo / TASKS).read_bytes() == before


def test_set_status_back_with_a_reason_is_recorded_as_reopen_records_it(run, repo):
    assert run("close", "T-01-2", "--by", "区委巡察办", "--date", "2025-12-25")[0] == 0
    code, out, err = run("set", "T-01-2", "status", "推进中", "--reason", "回头看发现反弹", "--by", "督查组",
                         "--date", "2026-03-01", "--lang", "en")
    assert (code, err) == (0, "")
    assert "T-01-2 closed → doing" in out
    assert "cleared done: 2025-11-30, closed_by: 区委巡察办, closed: 2025-12-25" in out
    expected = original(TASKS).replace("    status: 已完成\n    done: 2025-11-30\n", "    status: 推进中\n").replace(
        "    evidence: [evidence/T-01-2.pdf]\n",
        "    evidence: [evidence/T-01-2.pdf]\n    reopened:\n      - {date: 2026-03-01, reason: 回头看发现反弹, by: 督查组, done: 2025-11-30,"
        " closed: 2025-12-25, closed_by: 区委巡察办}\n",
    )
    assert (repo / TASKS).read_text(encoding="utf-8") == expected


def test_closed_back_to_done_keeps_the_done_date(run, repo):
    assert run("close", "T-01-2", "--by", "区委巡察办", "--date", "2025-12-25")[0] == 0
    code, out, _ = run("set", "T-01-2", "status", "done", "--reason", "销号材料不全", "--date", "2026-01-05", "--lang", "en")
    assert code == 0 and "cleared closed_by: 区委巡察办, closed: 2025-12-25" in out
    text = (repo / TASKS).read_text(encoding="utf-8")
    assert "    status: done\n    done: 2025-11-30\n" in text and "closed:" not in text.split("reopened:")[0]
    assert "      - {date: 2026-01-05, reason: 销号材料不全, closed: 2025-12-25, closed_by: 区委巡察办}\n" in text


def test_a_reason_where_none_is_needed_is_refused(run, repo):
    code, _, err = run("set", "T-01-1", "owner", "王五", "--reason", "换人", "--lang", "en")
    assert code == 2 and "--reason is only for moving a finished item's status back" in err
    code, _, err = run("set", "T-01-1", "status", "done", "--reason", "完成", "--lang", "en")
    assert code == 2
    assert untouched(repo)


def test_progress_on_a_task_not_started_starts_it(run, repo):
    assert run("new", "task", "--issue", "I-01", "--title", "新措施", "--lead", "市财政局")[0] == 0
    code, out, err = run("progress", "T-01-3", "已召开部署会", "--date", "2025-12-05", "--lang", "en")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "updated plans/p1/tasks.yaml: T-01-3 progress: 已召开部署会",
        "T-01-3 has progress now: status todo → doing",
    ]
    assert (repo / TASKS).read_text(encoding="utf-8").endswith(
        "    status: doing\n    progress:\n      - {date: 2025-12-05, note: 已召开部署会}\n")
    code, out, _ = run("progress", "T-01-3", "第二次", "--date", "2025-12-06", "--lang", "en")
    assert out.splitlines() == ["updated plans/p1/tasks.yaml: T-01-3 progress: 第二次"]


def test_done_without_evidence_warns_what_audit_and_check_will_say(run, repo):
    code, out, err = run("done", "T-01-1", "--date", "2025-12-20", "--lang", "en")
    assert code == 0 and "T-01-1 doing → done" in out
    assert err.strip() == ("rectify: warning: T-01-1 is marked done without evidence: rectify audit reports it, "
                           "and rectify check does when the plan sets require_evidence: done; add some with --evidence")
    code, _, err = run("done", "T-02-1", "--date", "2025-12-20", "--evidence", "https://example.cn/a", "--lang", "en")
    assert (code, err) == (0, "")


def test_set_status_done_without_evidence_warns_too(run, repo):
    code, _, err = run("set", "T-01-1", "status", "已完成", "--lang", "en")
    assert code == 0 and "T-01-1 is marked done without evidence" in err
    assert run("set", "T-02-1", "evidence", "https://example.cn/a")[0] == 0
    code, _, err = run("set", "T-02-1", "status", "done", "--lang", "en")
    assert (code, err) == (0, "")


def test_a_plan_that_requires_evidence_refuses_done_without_it(run, repo):
    (repo / PLAN).write_text(original(PLAN).replace("owner: 区委巡察办\n", "owner: 区委巡察办\nrequire_evidence: done\n"), encoding="utf-8")
    before = (repo / TASKS).read_bytes()
    code, _, err = run("done", "T-01-1", "--date", "2025-12-20", "--lang", "en")
    assert code == 2
    assert "plans/p1/tasks.yaml:12:13: violation: T-01-1 has status done but no evidence; plan p1 requires" in err
    assert (repo / TASKS).read_bytes() == before
    assert run("done", "T-01-1", "--date", "2025-12-20", "--evidence", "plans/p1/evidence/T-01-2.pdf")[0] == 0


def test_extend_appends_after_progress_before_the_blank_line(run, repo):
    code, _, _ = run("extend", "T-01-1", "--to", "2026-03-31", "--approved-by", "区委巡察办",
                     "--reason", "涉及跨部门协调", "--date", "2025-12-28")
    assert code == 0
    expected = original(TASKS).replace(
        "      - {date: 2025-12-01, note: 已印发宣传方案}\n\n",
        "      - {date: 2025-12-01, note: 已印发宣传方案}\n    extensions:\n"
        "      - {to: 2026-03-31, approved_by: 区委巡察办, date: 2025-12-28, reason: 涉及跨部门协调}\n\n",
    )
    assert (repo / TASKS).read_text(encoding="utf-8") == expected


def test_extend_to_a_rule_that_cannot_be_read_is_refused(run, repo):
    code, _, err = run("extend", "T-01-1", "--to", "whenever convenient", "--approved-by", "x", "--reason", "y", "--lang", "en")
    assert code == 2
    assert "cannot read deadline" in err
    assert untouched(repo)


# -- set ---------------------------------------------------------------------------------------
def test_set_issue_title_keeps_its_double_quotes(run, repo):
    code, _, _ = run("set", "I-02", "title", "窗口服务意识不强")
    assert code == 0
    assert (repo / ISSUES).read_text(encoding="utf-8") == original(ISSUES).replace(
        '    title: "服务意识不强"', '    title: "窗口服务意识不强"')


def test_set_list_field_and_new_key(run, repo):
    assert run("set", "T-01-1", "support", "市财政局", "市税务局")[0] == 0
    assert run("set", "T-01-1", "owner", "分管副局长")[0] == 0
    removed, added = changed(original(TASKS), (repo / TASKS).read_text(encoding="utf-8"))
    assert removed == ["    support: [市财政局]\n"]
    assert added == ["    support: [市财政局, 市税务局]\n", "    owner: 分管副局长\n"]
    assert (repo / TASKS).read_text(encoding="utf-8").index("owner:") < (repo / TASKS).read_text(encoding="utf-8").index("due: 2025-12-31")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("set", "T-01-1", "status", "bogus"), "unknown status 'bogus'"),
        (("set", "T-01-1", "issue", "NOPE"), "has no issue NOPE"),
        (("set", "T-01-1", "done", "2025-13-01"), "is not a date"),
        (("set", "T-01-1", "due", "下辈子"), "cannot read deadline"),
        (("set", "T-01-1", "status", "closed"), "closed"),
        (("set", "T-01-1", "id", "T-9"), "cannot change an id"),
        (("set", "T-01-1", "progress", "x"), "rectify progress"),
        (("set", "T-01-1", "colour", "red"), "has no field 'colour'"),
        (("set", "T-01-1", "title", "a", "b"), "takes one value"),
        (("set", "I-01", "lead", "x"), "issue has no field 'lead'; settable: category, title, parent, finding, target, description"),
        (("set", "T-99", "title", "x"), "no item T-99"),
    ],
)
def test_invalid_set_is_refused_and_nothing_is_written(run, repo, args, message):
    code, out, err = run(*args, "--lang", "en")
    assert code == 2
    assert message in err, err
    assert "Traceback" not in err and out == ""
    assert untouched(repo)


def test_not_found_suggests_close_ids(run, repo):
    code, _, err = run("set", "T-01-3", "title", "x", "--lang", "en")
    assert code == 2
    assert "no item T-01-3; did you mean T-01-2, T-01-1" in err


def test_set_same_value_changes_nothing(run, repo):
    code, out, _ = run("set", "T-01-1", "status", "doing", "--lang", "en")
    assert (code, out.strip()) == (0, "T-01-1: nothing to change")
    assert untouched(repo)


# -- dry run, ambiguity, existing errors --------------------------------------------------
def test_dry_run_prints_the_diff_and_writes_nothing(run, repo):
    mtime = (repo / TASKS).stat().st_mtime_ns
    code, out, err = run("done", "T-01-1", "--date", "2025-12-20", "--dry-run", "--lang", "en")
    assert code == 0
    assert out.splitlines() == [
        "--- a/plans/p1/tasks.yaml",
        "+++ b/plans/p1/tasks.yaml",
        "@@ -9,7 +9,8 @@",
        "     lead: 市人力资源社会保障局        # 牵头单位",
        "     support: [市财政局]",
        "     due: 2025-12-31",
        "-    status: doing                    # 推进中",
        "+    status: done                    # 推进中",
        "+    done: 2025-12-20",
        "     progress:",
        "       - {date: 2025-12-01, note: 已印发宣传方案}",
        " ",
    ]
    assert "nothing written" in err
    assert untouched(repo) and (repo / TASKS).stat().st_mtime_ns == mtime


def test_an_id_shared_by_two_plans_needs_the_plan(run, repo):
    shutil.copytree(repo / "plans/p1", repo / "plans/p2")
    for name in ("plan.yaml", "issues.yaml", "tasks.yaml"):
        path = repo / "plans/p2" / name
        path.write_text(path.read_text(encoding="utf-8").replace("id: p1", "id: p2").replace("plan: p1", "plan: p2"), encoding="utf-8")
    code, _, err = run("progress", "T-01-1", "x", "--lang", "en")
    assert code == 2
    assert "id T-01-1 is used by several plans: p1:T-01-1 (plans/p1/tasks.yaml:6:5), p2:T-01-1 (plans/p2/tasks.yaml:6:5)" in err
    assert run("progress", "p2:T-01-1", "第二个计划的进展", "--date", "2025-12-05")[0] == 0
    assert "第二个计划的进展" in (repo / "plans/p2/tasks.yaml").read_text(encoding="utf-8")
    assert untouched(repo)


@pytest.mark.parametrize("sep", [":", "/"])
@pytest.mark.parametrize("args", [
    ("progress", "{T-01-1}", "已召开推进会", "--date", "2025-12-05"),
    ("done", "{T-01-1}", "--date", "2025-12-20"),
    ("close", "{T-01-2}", "--by", "区委巡察办"),
    ("reopen", "{T-01-2}", "--reason", "回头看发现反弹"),
    ("extend", "{T-01-1}", "--to", "2026-03-31", "--approved-by", "区委", "--reason", "跨年度"),
    ("set", "{T-01-1}", "owner", "分管副局长"),
    ("set", "{I-01}", "category", "政策环境"),
    ("new", "task", "--issue", "{I-01}", "--title", "新措施", "--lead", "市财政局"),
])
def test_every_verb_takes_both_forms_of_an_item_reference(run, repo, args, sep):
    """PLAN:ID and PLAN/ID (what `history` prints) name the same item everywhere."""
    argv = [a.replace("{", "p1" + sep).rstrip("}") if a.startswith("{") else a for a in args]
    code, out, err = run(*argv, "--lang", "en")
    assert code == 0, err
    assert not untouched(repo)


def test_errors_that_existed_before_do_not_block_unrelated_edits(run, repo):
    broken = original(TASKS).replace("    issue: I-02\n", "    issue: I-99\n")
    (repo / TASKS).write_text(broken, encoding="utf-8")
    assert run("progress", "T-01-1", "照常记录", "--date", "2025-12-05")[0] == 0
    # ... but the same kind of error on another item is new, and refused
    before = (repo / TASKS).read_bytes()
    code, _, err = run("set", "T-01-2", "issue", "I-98", "--lang", "en")
    assert code == 2 and "has no issue I-98" in err
    assert (repo / TASKS).read_bytes() == before


def test_a_file_changed_between_read_and_write_is_not_overwritten(run, repo, monkeypatch):
    from rectify_cli.edit import session

    real = session.check_after
    theirs = original(TASKS).replace("已印发宣传方案", "已印发宣传方案（同事刚改）")

    def meanwhile(ledger, texts):
        real(ledger, texts)
        (repo / TASKS).write_text(theirs, encoding="utf-8")

    monkeypatch.setattr(session, "check_after", meanwhile)
    code, _, err = run("progress", "T-01-1", "x", "--lang", "en")
    assert code == 2
    assert "changed on disk since it was read" in err
    assert (repo / TASKS).read_text(encoding="utf-8") == theirs
    assert [p.name for p in (repo / TASKS).parent.iterdir() if p.name.endswith(".tmp")] == []


# -- bytes: CRLF, BOM, mode, symlinks -----------------------------------------------------------
def test_crlf_and_bom_survive_and_only_the_edited_lines_differ(run, repo):
    data = b"\xef\xbb\xbf" + original(TASKS).replace("\n", "\r\n").encode("utf-8")
    (repo / TASKS).write_bytes(data)
    assert run("progress", "T-01-1", "第二次推进", "--date", "2025-12-05")[0] == 0
    assert run("close", "T-01-2", "--by", "王五", "--date", "2025-12-06")[0] == 0
    after = (repo / TASKS).read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    text = after[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    removed, added = changed(data[3:].decode("utf-8"), text)
    assert removed == ["    status: 已完成\r\n"]
    assert added == [
        "      - {date: 2025-12-05, note: 第二次推进}\r\n",
        "    status: 已销号\r\n", "    closed_by: 王五\r\n", "    closed: 2025-12-06\r\n",
    ]


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes and symlinks")
def test_file_mode_is_kept_and_symlinks_are_written_through(run, repo):
    real = repo / "real-tasks.yaml"
    (repo / TASKS).rename(real)
    os.chmod(real, 0o640)
    (repo / TASKS).symlink_to(real)
    assert run("progress", "T-01-1", "经由链接", "--date", "2025-12-05")[0] == 0
    assert (repo / TASKS).is_symlink()
    assert "经由链接" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640


def test_a_refusal_names_the_status_in_the_readers_language(run, repo):
    code, _, err = run("close", "T-01-1", "--by", "区委巡察办", "--lang", "zh")
    assert code == 1 and "状态为 推进中" in err and "doing" not in err
    code, _, err = run("close", "T-01-1", "--by", "区委巡察办", "--lang", "en")
    assert code == 1 and "doing" in err
    assert untouched(repo)
