"""`rectify audit`: every integrity finding, on scripted histories, and a clean one."""

from __future__ import annotations

import json

import pytest

from rectify_cli.history.audit import audit
from rectify_cli.gitread import Git, GitError

from .test_history_support import PLAN, Repo, base, task, tasks

T = "plans/gq/tasks.yaml"
EV = "[evidence/T-1.pdf]"


@pytest.fixture
def repo(tmp_path):
    return Repo(tmp_path / "r")


def findings(repo: Repo, range_spec: str | None = None):
    with Git.find(repo.root) as git:
        return audit(git, ["plans"], range_spec)


def checks(repo: Repo) -> list[str]:
    return [f.key.rsplit(".", 1)[-1] for f in findings(repo)]


def test_clean_history_has_no_findings(repo, run):
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("T-1 done", "2025-11-10", "王五", {T: tasks(task("T-1", "done", done="2025-11-08", evidence=EV), task("T-2"))})
    ext = "\n  - {to: 2026-03-31, approved_by: 市整改办, date: 2025-12-01, reason: 资金未到位}\n"
    repo.commit("T-2 延期", "2025-12-01", "王五", {T: tasks(task("T-1", "done", done="2025-11-08", evidence=EV), task("T-2", due="2026-03-31", extensions=ext))})
    repo.commit("T-2 earlier", "2025-12-02", "王五", {T: tasks(task("T-1", "done", done="2025-11-08", evidence=EV), task("T-2", due="2026-02-28", extensions=ext))})
    assert findings(repo) == []
    code, out, _ = run("audit", cwd=repo.root)
    assert code == 0
    assert "0" in out


def test_due_moved_later_without_extension(repo, run):
    base(repo)
    repo.commit("改期限", "2025-11-20", "赵六", {T: tasks(task("T-1", due="2026-06-30"), task("T-2"))})
    found = findings(repo)
    assert [f.key for f in found] == ["history.audit.due_moved"]
    f = found[0]
    assert (f.id, f.commit.author, f.file, f.line) == ("T-1", "赵六", T, 8)
    assert f.params == {"old": "2025-12-31", "new": "2026-06-30"}
    code, out, _ = run("audit", "--lang", "en", cwd=repo.root)
    assert code == 1
    assert out.startswith("plans/gq/tasks.yaml:8: gq/T-1: due moved from 2025-12-31 to 2026-06-30")
    assert "赵六" in out


def test_a_rule_counted_from_the_same_event_is_compared_from_it(repo):
    """The audit does not know when `notice` happened, but 20 working days after it
    is earlier than 30 whenever it was: only the later move needs an extension."""
    base(repo, "2025-11-01", task("T-1", due="30 working days after notice"), task("T-2", due="收到评议意见后三十个工作日内"))
    repo.commit("提前", "2025-11-20", "赵六", {T: tasks(
        task("T-1", due="20 working days after notice"), task("T-2", due="收到评议意见后二十个工作日内"))})
    assert checks(repo) == []
    repo.commit("推后", "2025-11-21", "赵六", {T: tasks(
        task("T-1", due="25 working days after notice"), task("T-2", due="收到评议意见后二十个工作日内"))})
    assert checks(repo) == ["due_moved"]
    repo.commit("换了起点", "2025-11-22", "赵六", {T: tasks(
        task("T-1", due="25 working days after notice"), task("T-2", due="20 working days after plan-due"))})
    assert checks(repo) == ["due_moved", "due_moved"]  # another event: it cannot be compared


def test_extension_to_a_different_date_does_not_cover_the_move(repo):
    base(repo)
    ext = "\n  - {to: 2026-01-31, approved_by: 市整改办, reason: 延期}\n"
    repo.commit("改期限", "2025-11-20", "赵六", {T: tasks(task("T-1", due="2026-06-30", extensions=ext), task("T-2"))})
    assert checks(repo) == ["due_moved"]


def test_extension_in_an_earlier_commit_covers_the_move(repo):
    base(repo)
    ext = "\n  - {to: 2026-06-30, approved_by: 市整改办, reason: 延期}\n"
    repo.commit("批准延期", "2025-11-20", "赵六", {T: tasks(task("T-1", extensions=ext), task("T-2"))})
    repo.commit("改期限", "2025-11-21", "赵六", {T: tasks(task("T-1", due="2026-06-30", extensions=ext), task("T-2"))})
    assert checks(repo) == []


def test_done_without_evidence(repo):
    base(repo)
    repo.commit("T-1 完成", "2025-11-10", "王五", {T: tasks(task("T-1", "done", done="2025-11-09"), task("T-2"))})
    found = findings(repo)
    assert [(f.key.rsplit(".", 1)[-1], f.id, f.params["status"]) for f in found] == [("no_evidence", "T-1", "done")]
    assert found[0].line == 9  # the status line


def test_done_check_and_audit_agree_on_work_done_without_evidence(repo, run):
    """`done` warns, `audit` reports it, and a plan with `require_evidence: done` makes
    `check` fail on it: one rule, said by all three."""
    base(repo)
    code, _, err = run("done", "gq:T-1", "--date", "2025-11-09", "--lang", "en", cwd=repo.root)
    assert code == 0 and "T-1 is marked done without evidence" in err
    repo.commit("T-1 完成", "2025-11-10", "王五")
    assert checks(repo) == ["no_evidence"]
    assert run("check", "--as-of", "2025-11-10", cwd=repo.root)[0] == 0  # the rule is the plan's choice
    (repo.root / "plans/gq/plan.yaml").write_text(PLAN + "require_evidence: done\n", encoding="utf-8")
    code, out, _ = run("check", "--as-of", "2025-11-10", "--lang", "en", cwd=repo.root)
    assert code == 1 and "plans/gq/tasks.yaml:9:13: violation: T-1 has status done but no evidence" in out


def test_closed_without_evidence(repo):
    base(repo)
    repo.commit("T-2 销号", "2025-11-10", "王五", {T: tasks(task("T-1"), task("T-2", "closed", done="2025-11-09", closed_by="整改办"))})
    assert checks(repo) == ["no_evidence"]


def test_evidence_file_later_deleted(repo):
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("T-1 完成", "2025-11-10", "王五", {T: tasks(task("T-1", "done", done="2025-11-09", evidence=EV), task("T-2"))})
    repo.remove("plans/gq/evidence/T-1.pdf")
    repo.commit("清理文件", "2025-11-15", "钱七")
    found = findings(repo)
    assert [(f.key.rsplit(".", 1)[-1], f.commit.author, f.params["path"]) for f in found] == [("evidence_deleted", "钱七", "evidence/T-1.pdf")]


def test_closed_item_edited_without_reason(repo):
    closed = dict(done="2025-11-09", closed_by="整改办", evidence=EV)
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("销号", "2025-11-10", "王五", {T: tasks(task("T-1", "closed", **closed), task("T-2"))})
    repo.commit("改牵头单位", "2025-11-12", "赵六", {T: tasks(task("T-1", "closed", lead="市商务局", **closed), task("T-2"))})
    found = findings(repo)
    assert [(f.key.rsplit(".", 1)[-1], f.commit.author, f.params["fields"]) for f in found] == [("closed_edited", "赵六", "lead")]


def test_closed_item_edit_with_reopen_trailer_and_reason_is_fine(repo):
    closed = dict(done="2025-11-09", closed_by="整改办", evidence=EV)
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("销号", "2025-11-10", "王五", {T: tasks(task("T-1", "closed", **closed), task("T-2"))})
    message = "rectify: T-1 closed → closed\n\nRectify-Id: T-1\nRectify-Action: reopen\nRectify-Reason: 牵头单位调整"
    repo.commit(message, "2025-11-12", "赵六", {T: tasks(task("T-1", "closed", lead="市商务局", **closed), task("T-2"))})
    assert checks(repo) == []


def test_item_deleted(repo):
    base(repo)
    repo.commit("删掉 T-2", "2025-11-12", "赵六", {T: tasks(task("T-1"))})
    found = findings(repo)
    assert [(f.key.rsplit(".", 1)[-1], f.id, f.file, f.line) for f in found] == [("deleted", "T-2", T, 10)]


def test_backdated_done(repo):
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("补记完成", "2025-12-20", "王五", {T: tasks(task("T-1", "done", done="2025-12-01", evidence=EV), task("T-2"))})
    found = findings(repo)
    assert [(f.key.rsplit(".", 1)[-1], f.params["days"]) for f in found] == [("backdated", 19)]


def test_done_seven_days_back_is_not_backdating(repo):
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("完成", "2025-12-08", "王五", {T: tasks(task("T-1", "done", done="2025-12-01", evidence=EV), task("T-2"))})
    assert checks(repo) == []


@pytest.mark.parametrize("old,new", [
    ("doing", "todo"), ("done", "doing"),
    # the audit asks `Status`, not a table of four strings: every reopening counts
    ("cancelled", "doing"), ("done", "ongoing"), ("closed", "ongoing"), ("已销号", "推进中"),
])
def test_status_backwards_without_reason(repo, old, new):
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    extra = dict(done="2025-11-09", evidence=EV) if old in ("done", "closed", "已销号") else {}
    if old in ("closed", "已销号"):
        extra["closed_by"] = "整改办"
    repo.commit("推进", "2025-11-10", "王五", {T: tasks(task("T-1", old, **extra), task("T-2"))})
    repo.commit("退回", "2025-11-12", "赵六", {T: tasks(task("T-1", new), task("T-2"))})
    found = [f for f in findings(repo) if f.key.endswith("status_backwards")]
    canonical = {"已销号": "closed", "推进中": "doing"}
    assert [(f.params["old"], f.params["new"], f.commit.author) for f in found] == [
        (canonical.get(old, old), canonical.get(new, new), "赵六")]


def test_closed_reopened_without_reason_then_with_reason(repo):
    closed = dict(done="2025-11-09", closed_by="整改办", evidence=EV)
    base(repo)
    repo.write("plans/gq/evidence/T-1.pdf", "scan")
    repo.commit("销号", "2025-11-10", "王五", {T: tasks(task("T-1", "closed", **closed), task("T-2"))})
    repo.commit("悄悄重开", "2025-11-12", "赵六", {T: tasks(task("T-1", "doing", evidence=EV), task("T-2"))})
    repo.commit("再销号", "2025-11-13", "王五", {T: tasks(task("T-1", "closed", **closed), task("T-2"))})
    reopened = "\n  - {date: 2025-11-14, reason: 群众反映问题反弹, by: 整改办}\n"
    repo.commit("重开", "2025-11-14", "赵六", {T: tasks(task("T-1", "doing", evidence=EV, reopened=reopened), task("T-2"))})
    found = findings(repo)
    assert [(f.key.rsplit(".", 1)[-1], f.commit.subject) for f in found] == [("status_backwards", "悄悄重开")]


def test_range_limits_findings_and_formats(repo, run):
    base(repo)
    repo.commit("改期限", "2025-11-20", "赵六", {T: tasks(task("T-1", due="2026-06-30"), task("T-2"))})
    mid = repo.git("rev-parse", "HEAD").strip()
    repo.commit("删掉 T-2", "2025-11-21", "赵六", {T: tasks(task("T-1", due="2026-06-30"))})
    assert [f.key for f in findings(repo, f"{mid}..HEAD")] == ["history.audit.deleted"]
    code, out, _ = run("audit", f"{mid}..", "--format", "github", "--lang", "en", cwd=repo.root)
    assert code == 1
    assert out.startswith("::warning file=plans/gq/tasks.yaml,line=10::gq/T-2 was deleted")
    code, out, _ = run("audit", "--format", "json", cwd=repo.root)
    data = json.loads(out)
    assert [d["check"] for d in data] == ["due_moved", "deleted"]
    assert data[0]["author"] == "赵六" and data[0]["line"] == 8


def test_bad_usage_exits_2_with_one_line(repo, run, tmp_path):
    base(repo)
    code, _, err = run("audit", "nosuchrev..HEAD", cwd=repo.root)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nosuchrev" in err
    code, _, err = run("audit", "A...B", cwd=repo.root)
    assert code == 2
    plain = tmp_path / "plain"
    (plain / "plans").mkdir(parents=True)
    code, _, err = run("audit", cwd=plain)
    assert code == 2 and "git" in err and "Traceback" not in err
    with pytest.raises(GitError):
        Git.find(plain)


def test_file_move_is_not_a_deletion(repo):
    base(repo)
    repo.git("mv", "plans/gq", "plans/archive-gq")
    repo.commit("移动目录", "2025-11-12", "赵六")
    assert checks(repo) == []


def test_a_commit_that_drops_an_earlier_history_entry(repo, run):
    """Two edits made from the same copy of the file: the second commit carries only its
    own progress note, so the first one's note (and a removed extension and reopen
    entry) is gone from the ledger. Each lost entry is a finding on that commit."""
    first = "\n  - {date: 2025-11-10, note: 已召开推进会}\n"
    base(repo)
    repo.commit("T-1 进展", "2025-11-10", "王五", {T: tasks(task("T-1", progress=first), task("T-2"))})
    stale = "\n  - {date: 2025-11-11, note: 已印发方案}\n"
    repo.commit("T-1 进展（旧副本）", "2025-11-11", "赵六", {T: tasks(task("T-1", progress=stale), task("T-2"))})
    found = findings(repo)
    assert [(f.key, f.commit.author, f.id, f.line) for f in found] == [("history.audit.entry_removed", "赵六", "T-1", 11)]
    assert found[0].params == {"field": "progress", "date": "2025-11-10", "text": "已召开推进会"}
    code, out, _ = run("audit", "--lang", "en", cwd=repo.root)
    assert code == 1
    assert out.startswith("plans/gq/tasks.yaml:11: gq/T-1: a progress entry (2025-11-10: 已召开推进会) was removed or rewritten")


def test_removed_extension_and_reopen_entries_are_findings(repo):
    ext = "\n  - {to: 2026-03-31, approved_by: 市整改办, date: 2025-12-01, reason: 资金未到位}\n"
    reopened = "\n  - {date: 2025-12-05, reason: 回头看反弹}\n"
    base(repo)
    repo.commit("延期、重开", "2025-12-05", "王五", {T: tasks(
        task("T-1", due="2026-03-31", extensions=ext, reopened=reopened), task("T-2"))})
    assert checks(repo) == []
    repo.commit("整理", "2025-12-06", "赵六", {T: tasks(task("T-1", due="2026-03-31"), task("T-2"))})
    found = [(f.params["field"], f.params["text"]) for f in findings(repo) if f.key.endswith("entry_removed")]
    assert found == [("extensions", "2026-03-31"), ("reopened", "回头看反弹")]


def test_appending_history_entries_is_not_a_finding(repo):
    one = "\n  - {date: 2025-11-10, note: 一}\n"
    two = "\n  - {date: 2025-11-10, note: 一}\n  - {date: 2025-11-11, note: 二}\n"
    base(repo)
    repo.commit("一", "2025-11-10", "王五", {T: tasks(task("T-1", progress=one), task("T-2"))})
    repo.commit("二", "2025-11-11", "王五", {T: tasks(task("T-1", progress=two), task("T-2"))})
    assert checks(repo) == []
