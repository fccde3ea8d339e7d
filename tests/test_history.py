"""`rectify history`, `--at`, `diff` and `burndown` on scripted git histories."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from rectify_cli.history.burndown import Point, burndown_series, burndown_svg
from rectify_cli.gitread import Git
from rectify_cli.history.versions import Parser
from rectify_cli.history.semdiff import semantic_diff

from .test_history_support import ISSUES, PLAN, Repo, base, task, tasks

T = "plans/gq/tasks.yaml"
EV = "[evidence/T-1.pdf]"


@pytest.fixture
def repo(tmp_path):
    r = Repo(tmp_path / "r")
    base(r)  # 2025-11-01, T-1 and T-2 doing, due 2025-12-31
    r.write("plans/gq/evidence/T-1.pdf", "scan")
    r.commit("T-1 完成", "2025-11-10", "王五", {T: tasks(task("T-1", "done", done="2025-11-09", evidence=EV), task("T-2"))})
    r.commit("T-2 换牵头单位", "2025-11-20", "赵六", {T: tasks(task("T-1", "done", done="2025-11-09", evidence=EV), task("T-2", lead="市商务局"))})
    return r


def test_history_shows_each_change_with_author_and_date(repo, run):
    code, out, _ = run("history", "T-1", "--lang", "en", cwd=repo.root)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == 'gq/T-1 "任务T-1"'
    assert "李四" in lines[1] and "2025-11-01" in lines[1]
    assert any("王五" in line and "2025-11-10" in line for line in lines)
    assert "    status: doing → done" in lines
    assert "    done: ∅ → 2025-11-09" in lines
    assert not any("赵六" in line for line in lines)  # T-2's commit is not T-1's history


def test_history_json(repo, run):
    code, out, _ = run("history", "gq/T-2", "--format", "json", cwd=repo.root)
    data = json.loads(out)
    assert code == 0
    assert [d["action"] for d in data] == ["added", "changed"]
    assert data[1]["changes"] == {"lead": {"old": "市财政局", "new": "市商务局"}}
    assert data[1]["author"] == "赵六" and data[1]["file"] == T and data[1]["line"] == 12


@pytest.mark.parametrize("ref", ["T-2", "gq/T-2", "gq:T-2"])
def test_history_takes_both_forms_of_an_item_reference(repo, run, ref):
    """`history` used to take only PLAN/ID, the editing verbs only PLAN:ID."""
    code, out, err = run("history", ref, "--format", "json", cwd=repo.root)
    assert (code, err) == (0, "")
    assert [(d["plan"], d["id"], d["action"]) for d in json.loads(out)] == [("gq", "T-2", "added"), ("gq", "T-2", "changed")]


def test_history_of_another_plan_or_a_bad_reference_is_a_usage_error(repo, run):
    code, _, err = run("history", "other:T-2", "--lang", "en", cwd=repo.root)
    assert code == 2 and "other:T-2" in err
    code, _, err = run("history", "gq:T-2:x", "--lang", "en", cwd=repo.root)
    assert code == 2 and err.strip() == "rectify: error: 'gq:T-2:x' is not an item id; write ID, or PLAN:ID (PLAN/ID)"


def test_history_unknown_item_is_usage_error(repo, run):
    code, _, err = run("history", "T-99", cwd=repo.root)
    assert code == 2 and "T-99" in err


def test_history_follows_moves_between_files_and_directories(repo, run):
    (repo.root / "plans/2025").mkdir()
    repo.git("mv", "plans/gq", "plans/2025/广清")
    repo.commit("按年份归档", "2025-11-21", "钱七")
    moved = "plans/2025/广清/tasks.yaml"
    repo.write("plans/2025/广清/more.yaml", tasks(task("T-2", lead="市商务局", status="todo")))
    repo.commit("拆分文件", "2025-11-22", "钱七", {moved: tasks(task("T-1", "done", done="2025-11-09", evidence=EV))})
    code, out, _ = run("history", "T-2", "--format", "json", cwd=repo.root)
    data = json.loads(out)
    assert [d["action"] for d in data] == ["added", "changed", "moved", "changed"]
    assert data[2]["moved_from"] == T and data[2]["file"] == "plans/2025/广清/tasks.yaml"
    assert data[3]["moved_from"] == "plans/2025/广清/tasks.yaml"
    assert data[3]["file"] == "plans/2025/广清/more.yaml"
    assert data[3]["changes"] == {"status": {"old": "doing", "new": "todo"}}
    code, out, _ = run("history", "T-2", "--lang", "zh", cwd=repo.root)
    assert "从 plans/gq/tasks.yaml 移到 plans/2025/广清/tasks.yaml" in out


def test_check_at_revision_and_date_differ(repo, run):
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    # as of 2026-01-10 both tasks were overdue in the first commit, only T-2 later
    code_rev, out_rev, err_rev = run("check", "--at", first, "--as-of", "2026-01-10", "--format", "json", cwd=repo.root)
    code_date, out_date, err_date = run("check", "--at", "2025-11-15", "--as-of", "2026-01-10", "--format", "json", cwd=repo.root)
    assert code_rev == code_date == 1
    assert [o["id"] for o in json.loads(out_rev)["overdue"]] == ["T-1", "T-2"]
    assert [o["id"] for o in json.loads(out_date)["overdue"]] == ["T-2"]
    assert first[:7] in err_rev and "王五" in err_date


def test_check_at_reads_git_not_the_work_tree(repo, run):
    repo.write(T, "this: [is, broken")  # uncommitted garbage in the work tree
    code, out, _ = run("check", "--at", "HEAD", "--as-of", "2025-12-01", cwd=repo.root)
    assert code == 0, out
    code, _, _ = run("check", "--as-of", "2025-12-01", cwd=repo.root)
    assert code == 2
    assert (repo.root / T).read_text() == "this: [is, broken"


def test_check_at_evidence_is_checked_in_that_revision(repo, run):
    repo.remove("plans/gq/evidence/T-1.pdf")
    repo.commit("删除材料", "2025-11-25", "钱七")
    code_then, out_then, _ = run("check", "--at", "2025-11-20", "--as-of", "2025-12-01", cwd=repo.root)
    code_now, out_now, _ = run("check", "--at", "HEAD", "--as-of", "2025-12-01", cwd=repo.root)
    assert code_then == 0 and "T-1.pdf" not in out_then
    assert code_now == 1 and "evidence/T-1.pdf" in out_now


def test_check_at_bad_revision_or_early_date(repo, run):
    code, _, err = run("check", "--at", "no-such-branch", cwd=repo.root)
    assert code == 2 and "no-such-branch" in err
    code, _, err = run("check", "--at", "2020-01-01", cwd=repo.root)
    assert code == 2 and "2020-01-01" in err


def test_semantic_diff_core_and_cli(repo, run):
    repo.commit("新增与删除", "2025-11-25", "钱七", {T: tasks(task("T-1", "done", done="2025-11-09", evidence=EV, due="2026-01-31"), task("T-3"))})
    with Git.find(repo.root) as git:
        d = semantic_diff(git, "HEAD~3", "HEAD", ["plans"])
    assert [x.key for x in d.added] == [("gq", "T-3")]
    assert [x.key for x in d.removed] == [("gq", "T-2")]
    assert [(x.key[1], [f.name for f in x.fields]) for x in d.changed] == [("T-1", ["due", "status", "done", "evidence"])]
    code, out, _ = run("diff", "HEAD~3", "HEAD", "--lang", "en", cwd=repo.root)
    assert code == 0
    assert "added (1):\n  + gq/T-3" in out
    assert "removed (1):\n  - gq/T-2" in out
    assert "~ gq/T-1 任务T-1: doing → done" in out
    assert "~ gq/T-1 任务T-1: 2025-12-31 → 2026-01-31" in out
    # one revision: against the work tree, uncommitted edits included
    repo.write(T, tasks(task("T-1", "closed", done="2025-11-09", evidence=EV, due="2026-01-31", closed_by="整改办"), task("T-3")))
    code, out, _ = run("diff", "HEAD", "--format", "json", cwd=repo.root)
    data = json.loads(out)
    assert data["to"] == "worktree"
    assert data["changed"][0]["changes"]["status"] == {"old": "done", "new": "closed"}


def test_diff_identical_revisions(repo, run):
    code, out, _ = run("diff", "HEAD", "HEAD", "--lang", "en", cwd=repo.root)
    assert code == 0 and "no ledger changes" in out


def test_burndown_series_numbers(repo):
    repo.commit("T-2 完成", "2025-11-20", "赵六", {T: tasks(task("T-1", "done", done="2025-11-09", evidence=EV), task("T-2", "done", done="2025-11-20", evidence=EV))})
    with Git.find(repo.root) as git:
        daily = burndown_series(git, ["plans"])
        since = burndown_series(git, ["plans"], since=dt.date(2025, 11, 10))
        other = burndown_series(git, ["plans"], plan="other")
        weekly = burndown_series(git, ["plans"], weekly=True)
    assert daily == [
        Point(dt.date(2025, 11, 1), 2, 0),
        Point(dt.date(2025, 11, 10), 1, 1),
        Point(dt.date(2025, 11, 20), 0, 2),  # the last commit of the day counts
    ]
    assert since == daily[1:]
    assert all(p.open == p.finished == 0 for p in other)
    assert weekly == [Point(dt.date(2025, 10, 27), 2, 0), Point(dt.date(2025, 11, 10), 1, 1), Point(dt.date(2025, 11, 17), 0, 2)]


def test_burndown_cli_writes_valid_svg(repo, run, tmp_path):
    target = tmp_path / "burn.svg"
    code, out, _ = run("burndown", "--out", str(target), "--lang", "en", cwd=repo.root)
    assert code == 0
    assert out.splitlines()[:2] == ["date\topen\tfinished", "2025-11-01\t2\t0"]
    root = ET.fromstring(target.read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    lines = root.findall(f"{ns}polyline")
    assert len(lines) == 2
    assert len(lines[0].get("points").split()) == 3


def test_svg_escapes_titles_and_handles_one_point():
    svg = burndown_svg([Point(dt.date(2025, 1, 1), 3, 1)], title="<a&b>")
    root = ET.fromstring(svg)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "<a&b>"


def test_svg_dates_on_the_axis_stay_inside_the_picture():
    points = [Point(dt.date(2025, 1, d), 3, 1) for d in (1, 2, 3)]
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(burndown_svg(points))
    dates = {t.text: t.get("text-anchor") for t in root.iter(f"{ns}text") if t.text and t.text.startswith("2025-")}
    # the last date sits at the plot's right edge: anchored at its end, it is not cut off
    assert dates == {"2025-01-01": "start", "2025-01-02": "middle", "2025-01-03": "end"}


def test_not_a_repository_is_usage_error(tmp_path, run):
    (tmp_path / "plans").mkdir()
    for args in (["history", "T-1"], ["diff", "HEAD"], ["burndown"], ["check", "--at", "HEAD"]):
        code, _, err = run(*args, cwd=tmp_path)
        assert code == 2, args
        assert len(err.strip().splitlines()) == 1


def test_merge_commits_count_once_on_the_main_line(repo, run):
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("side: T-2 完成", "2025-11-21", "孙八", {T: tasks(task("T-1", "done", done="2025-11-09", evidence=EV), task("T-2", "done", done="2025-11-21", lead="市商务局", evidence=EV))})
    repo.git("checkout", "-q", "main")
    repo.commit("main: other file", "2025-11-22", "李四", {"plans/gq/issues.yaml": ISSUES + "  - id: I-02\n    title: 问题二\n"})
    env = {"GIT_AUTHOR_NAME": "合并人", "GIT_AUTHOR_EMAIL": "m@x", "GIT_COMMITTER_NAME": "合并人", "GIT_COMMITTER_EMAIL": "m@x",
           "GIT_AUTHOR_DATE": "2025-11-23T10:00:00+08:00", "GIT_COMMITTER_DATE": "2025-11-23T10:00:00+08:00"}
    repo.git("merge", "-q", "--no-ff", "-m", "merge side", "side", env=env)
    code, out, _ = run("history", "T-2", "--format", "json", cwd=repo.root)
    data = json.loads(out)
    assert data[-1]["author"] == "合并人"
    assert data[-1]["changes"]["status"] == {"old": "doing", "new": "done"}


LAYOUTS = [
    tasks(task("T-1"), task("T-2", "done", done="2025-11-09", evidence=EV)),
    "# 台账\nkind: tasks\nplan: gq\ntasks:\n\n- id: T-1  # zero indent\n  issue: I-01\n  title: 一\n  lead: 局\n  notes: |\n    多行\n    # 不是注释\n- id: T-2\n  issue: I-01\n  title: 二\n  lead: 局\nx-owner: 某人\n",
    "kind: tasks\nplan: gq\ntasks: [{id: T-1, issue: I-01, title: 一, lead: 局}]\n",
    "plan: gq\nkind: tasks\ntasks:\n  - &a {id: T-1, issue: I-01, title: 一, lead: 局}\n",
    PLAN + "milestones:\n  - {id: M-1, title: 方案, due: 2025-12-01}\n",
    "kind: tasks\nplan: gq\ntasks:\n  - id: T-1\n    title: [broken\n",
]


@pytest.mark.parametrize("text", LAYOUTS)
def test_fast_parser_agrees_with_whole_file_parse(text):
    from rectify_cli.history.items import cores_of
    from rectify_cli.loader import load_blobs

    repo, problems = load_blobs([("f.yaml", text.encode())])
    fatal = any(p.key.startswith("load.") for p in problems)
    items = Parser().parse_bytes("f.yaml", text.encode())
    if fatal:
        assert items is None
        return
    expected = [(c.key if hasattr(c, "key") else (c.plan, c.id), c.line, dict(c.values), dict(c.lines)) for c in cores_of(repo)]
    got = [((i.key), i.line, dict(i.values), {n: i.line_of(n) for n in i.core.lines if n != "plan"}) for i in items]
    assert [(k, line, v) for k, line, v, _ in got] == [(k, line, v) for k, line, v, _ in expected]
    assert [lines for *_, lines in got] == [{n: l for n, l in lines.items() if n != "plan"} for *_, lines in expected]


def test_status_at_date_shows_the_ledger_of_that_day(repo, run):
    code, stdout, _ = run("status", "--at", "2025-11-05", "--format", "json", cwd=repo.root)
    assert code == 0
    data = json.loads(stdout)
    assert data["as_of"] == "2025-11-05"  # judged as of the day asked about
    assert {i["id"]: i["status"] for i in data["items"]} == {"T-1": "doing", "T-2": "doing"}
    code, stdout, _ = run("status", "--at", "HEAD", "--format", "json", cwd=repo.root)
    assert {i["id"]: (i["status"], i["lead"]) for i in json.loads(stdout)["items"]}["T-2"] == ("doing", "市商务局")


def test_audit_and_diff_take_plans_like_the_edit_verbs_and_still_path(run, repo):
    for spelling in ("--plans", "--path"):
        code, out, err = run("audit", spelling, "plans", "--format", "json", cwd=repo.root)
        assert code in (0, 1), err
        code, _, err = run("diff", "HEAD", spelling, "plans", cwd=repo.root)
        assert code == 0, err
