"""History commands read every tree as `check` does: unreadable files, FIFOs,
links out of the repository and shallow clones are refused, never guessed at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_history_support import Repo, base, task, tasks

T = "plans/gq/tasks.yaml"
SRC = Path(__file__).resolve().parent.parent / "src"
SECRET = "机密任务标题"


@pytest.fixture
def repo(tmp_path):
    r = Repo(tmp_path / "r")
    base(r)
    r.commit("T-2 完成", "2025-11-10", "王五", {T: tasks(task("T-1"), task("T-2", "done", done="2025-11-09"))})
    return r


def rectify(cwd: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI in its own process, bounded in time: a FIFO must never make it wait for ever."""
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )


def outside_file(tmp_path: Path) -> Path:
    target = tmp_path / "outside" / "tasks.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(tasks(task("T-9", title=SECRET)), encoding="utf-8")
    return target


# -- 19.7: an unreadable side is an error, never "every item removed" ----------------
def test_diff_with_a_tab_in_the_work_tree_is_exit_2_with_the_files_place(repo, run):
    with open(repo.root / T, "a", encoding="utf-8") as f:
        f.write("\tbad: tab\n")
    code, out, err = run("diff", "HEAD", "--lang", "en", cwd=repo.root)
    assert code == 2
    assert "removed" not in out
    assert f"{Path(T)}:" in err and "cannot be read" in err


def test_diff_of_a_committed_merge_conflict_is_exit_2(repo, run):
    conflict = tasks(task("T-1")) + "<<<<<<< HEAD\n" + task("T-2", "done", done="2025-11-09") + "=======\n" + task("T-2") + ">>>>>>> side\n"
    repo.commit("bad merge", "2025-11-12", "赵六", {T: conflict})
    code, out, err = run("diff", "HEAD~1", "HEAD", "--format", "json", cwd=repo.root)
    assert code == 2 and out == ""
    assert f"{Path(T)}:" in err
    code, out, _ = run("diff", "HEAD~2", "HEAD~1", "--format", "json", cwd=repo.root)
    assert code == 0 and '"T-2"' in out  # readable sides still compare


# -- 13: FIFOs and links out of the repository, in every tree ------------------------
def test_diff_refuses_a_fifo_in_the_work_tree_instead_of_hanging(repo):
    os.mkfifo(repo.root / "plans/gq/pipe.yaml")
    done = rectify(repo.root, "diff", "HEAD", "--lang", "en")
    assert done.returncode == 2
    assert "not a regular file (FIFO)" in done.stderr


def test_diff_refuses_a_work_tree_link_out_of_the_repository(repo, tmp_path):
    os.symlink(outside_file(tmp_path), repo.root / "plans/gq/more.yaml")
    done = rectify(repo.root, "diff", "HEAD", "--lang", "en")
    assert done.returncode == 2
    assert "symbolic link out of the repository" in done.stderr
    assert SECRET not in done.stdout + done.stderr


def test_diff_and_at_refuse_a_committed_link_out_of_the_repository(repo, tmp_path):
    target = outside_file(tmp_path)
    os.symlink(os.path.relpath(target, repo.root / "plans/gq"), repo.root / "plans/gq/more.yaml")
    repo.commit("link", "2025-11-12", "赵六")
    done = rectify(repo.root, "diff", "HEAD~1", "HEAD", "--lang", "en")
    assert done.returncode == 2 and "symbolic link out of the repository" in done.stderr
    for command in ("check", "status"):
        done = rectify(repo.root, command, "--at", "HEAD", "--lang", "en")
        assert done.returncode == 2, done.stdout + done.stderr
        assert "symbolic link out of the repository" in done.stdout + done.stderr
        assert SECRET not in done.stdout + done.stderr
    # history never reads the link: the rest of the ledger's history is intact
    done = rectify(repo.root, "history", "T-2", "--lang", "en")
    assert done.returncode == 0 and "T-9" not in done.stdout
    assert rectify(repo.root, "history", "T-9").returncode == 2


def test_at_follows_a_committed_link_inside_the_repository_like_check(repo):
    repo.write("shared/tasks.yaml", tasks(task("T-7"), plan="gq"))
    os.symlink("../../shared/tasks.yaml", repo.root / "plans/gq/shared.yaml")
    repo.commit("link inside", "2025-11-12", "赵六")
    now = rectify(repo.root, "status", "--format", "json", "--as-of", "2025-11-20")
    then = rectify(repo.root, "status", "--at", "HEAD", "--format", "json", "--as-of", "2025-11-20")
    assert now.returncode == then.returncode == 0, then.stderr
    assert '"T-7"' in now.stdout and '"T-7"' in then.stdout


def test_history_and_at_are_not_held_by_a_fifo_in_the_work_tree(repo):
    os.mkfifo(repo.root / "plans/gq/pipe.yaml")
    assert rectify(repo.root, "history", "T-2").returncode == 0
    assert rectify(repo.root, "audit").returncode in (0, 1)
    assert rectify(repo.root, "check", "--at", "HEAD").returncode in (0, 1)


# -- 16.5: shallow clones ---------------------------------------------------------
@pytest.fixture
def shallow(tmp_path):
    """A clone with the last two of three commits: T-1 was finished (without
    evidence) in the oldest commit that is here, T-2's lead changed in the last."""
    r = Repo(tmp_path / "origin")
    base(r)
    r.commit("T-1 完成", "2025-11-10", "王五", {T: tasks(task("T-1", "done", done="2025-11-09"), task("T-2"))})
    r.commit("T-2 换牵头单位", "2025-11-20", "赵六", {T: tasks(task("T-1", "done", done="2025-11-09"), task("T-2", lead="市商务局"))})
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{r.root}", str(clone)], check=True)
    assert subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=clone, capture_output=True, text=True).stdout.strip() == "true"
    return clone


@pytest.mark.parametrize("args", [
    ("history", "T-2"), ("audit",), ("diff", "HEAD"), ("burndown",), ("check", "--at", "HEAD"), ("status", "--at", "HEAD"),
])
def test_history_commands_refuse_a_shallow_clone(shallow, run, args):
    code, out, err = run(*args, "--lang", "en", cwd=shallow)
    assert code == 2 and out == ""
    assert "shallow clone" in err and "fetch-depth: 0" in err and "git fetch --unshallow" in err and "--allow-shallow" in err


def test_allow_shallow_works_on_the_commits_that_are_here_and_says_so(shallow, run):
    code, out, err = run("history", "T-2", "--format", "json", "--allow-shallow", "--lang", "en", cwd=shallow)
    assert code == 0 and "shallow clone, only the commits that are here" in err
    entries = json.loads(out)
    # not "added by 王五" (the oldest commit here): only the change seen in the range
    assert [(e["author"], e["action"]) for e in entries] == [("赵六", "changed")]
    assert entries[0]["changes"] == {"lead": {"old": "市财政局", "new": "市商务局"}}
    code, out, err = run("audit", "--format", "json", "--allow-shallow", cwd=shallow)
    assert code == 0 and json.loads(out) == []  # T-1 was finished before the range: nobody here to blame
    code, out, _ = run("burndown", "--allow-shallow", cwd=shallow)
    assert code == 0 and out.splitlines()[1:] == ["2025-11-10\t1\t1", "2025-11-20\t1\t1"]
    code, _, err = run("check", "--at", "HEAD", "--allow-shallow", "--as-of", "2025-11-20", "--lang", "en", cwd=shallow)
    assert code == 0 and "shallow" in err


def test_report_in_a_shallow_clone_has_no_chart_and_says_why(shallow, run, tmp_path):
    code, _, err = run("report", "gq", "--format", "html", "--as-of", "2025-11-20", "--out", str(tmp_path / "r.html"),
                       "--lang", "en", cwd=shallow)
    assert code == 0 and "no burn-down chart" in err
    assert "<svg" not in (tmp_path / "r.html").read_text(encoding="utf-8")


# -- 13: one reader for every version ------------------------------------------------
def test_versions_read_with_the_memo_equal_the_model_check_reads():
    """Each version's items are what `load` builds from the whole file, lines included,
    however the memo of unchanged tasks is reused as tasks shift up and down."""
    from rectify_cli.history.items import cores_of
    from rectify_cli.history.versions import Parser
    from rectify_cli.loader import load_blobs

    versions = [
        tasks(task("T-1"), task("T-2"), task("T-3")),
        tasks(task("T-1", progress="- {date: 2025-11-02, note: 推进}\n- {date: 2025-11-03, note: 再推进}"), task("T-2"), task("T-3")),
        tasks(task("T-1"), task("T-2", "done", done="2025-11-09"), task("T-3")),
        "# 注释\n" + tasks(task("T-3"), task("T-1"), task("T-2", "done", done="2025-11-09")),
        "kind: tasks\nplan: gq\ntasks:\n- id: T-1\n  issue: I-01\n  title: 任务T-1\n  lead: 市财政局\n",  # zero indent
    ]
    parser = Parser()
    for n, text in enumerate(versions):
        got = parser.parse_many([(T, f"blob{n}", text.encode())])[0]
        repo, problems = load_blobs([(T, text.encode())])
        assert not problems
        expected = [(c.plan, c.id, c.line, dict(c.values), {k: v for k, v in c.lines.items() if k != "plan"}) for c in cores_of(repo)]
        assert [(*i.key, i.line, dict(i.values), {k: i.line_of(k) for k in i.core.lines}) for i in got] == expected


def test_history_of_an_unreadable_version_keeps_the_last_readable_one(repo, run):
    repo.commit("坏的版本", "2025-11-12", "赵六", {T: tasks(task("T-1"), task("T-2", "done", done="2025-11-09")) + "\tbad: tab\n"})
    repo.commit("修好", "2025-11-13", "赵六", {T: tasks(task("T-1"), task("T-2", "closed", done="2025-11-09", closed="2025-11-13", closed_by="督查室"))})
    code, out, _ = run("history", "T-2", "--format", "json", cwd=repo.root)
    assert code == 0
    assert [e["action"] for e in json.loads(out)] == ["added", "changed", "changed"]


EDITS = [
    lambda ts, i, r: ts.__setitem__(i, task(f"T-{i}", r.choice(["todo", "doing", "done"]), done="2025-11-09")),
    lambda ts, i, r: ts.__setitem__(i, task(f"T-{i}", progress=f"- {{date: 2025-11-0{r.randrange(1, 9)}, note: 推进}}")),
    lambda ts, i, r: ts.insert(i, task(f"T-{100 + r.randrange(100)}")),
    lambda ts, i, r: ts.pop(i) if len(ts) > 1 else None,
    lambda ts, i, r: ts.__setitem__(i, ts[i] + "    # 备注\n\n"),
    lambda ts, i, r: ts.__setitem__(i, ts[i] + "    notes: |\n      多行\n      - 不是条目\n"),
    lambda ts, i, r: ts.__setitem__(i, ts[i].replace("    lead", "  lead", 1)),  # breaks the entry's shape
    lambda ts, i, r: ts.__setitem__(i, ts[i] + "x-extra: 1\n"),  # a top-level key inside the list
    lambda ts, i, r: ts.__setitem__(i, ts[i].replace("title: ", "title: '", 1)),  # an unclosed quote
    lambda ts, i, r: ts.__setitem__(i, ts[i] + "\tbad: tab\n"),
    lambda ts, i, r: ts.__setitem__(i, ts[i].replace("  - id", "  -  id", 1)),
]


def test_reading_only_what_changed_equals_reading_every_version_whole():
    """Versions read against the one before give exactly the items (values and
    lines) and the readability of a whole read, whatever the edit did."""
    import random

    from rectify_cli.history.items import fatal_problem
    from rectify_cli.history.versions import Parser
    from rectify_cli.history.versions import read_version

    rnd = random.Random(13)
    for trial in range(20):
        entries = [task(f"T-{i}") for i in range(6)]
        parser = Parser()
        for n in range(30):
            if n:
                rnd.choice(EDITS)(entries, rnd.randrange(len(entries)), rnd)
            trailer = "x-owner: 某人\n" if trial % 2 else ""
            text = "# 台账\n" + tasks(*entries) + trailer
            got = parser.parse_many([(T, f"{trial}-{n}", text.encode())])[0]
            items, problems, _ = read_version(T, text)
            if fatal_problem(problems) is not None:
                assert got is None, (trial, n)
                entries = [task(f"T-{i}") for i in range(6)]  # start again from a readable file
                continue
            assert got is not None, (trial, n)
            assert [(i.key, i.line, dict(i.values), {k: i.line_of(k) for k in i.core.lines}) for i in got] == [
                (i.key, i.line, dict(i.values), {k: i.line_of(k) for k in i.core.lines}) for i in items
            ], (trial, n)


# -- 19.5: replaying a file costs its size, not its size squared ---------------------
def test_replay_looks_items_up_instead_of_scanning_their_file(tmp_path, monkeypatch):
    """Counted, not timed: finding each of n items used to scan the whole file (n² key reads)."""
    from rectify_cli.history import items as items_module
    from rectify_cli.history.audit import audit
    from rectify_cli.history.burndown import burndown_series
    from rectify_cli.gitread import Git

    n = 1500
    r = Repo(tmp_path / "big")
    base(r, "2025-11-01", *(task(f"T-{i}") for i in range(n)))
    reads = 0
    key = items_module.Item.key

    def counted(self):
        nonlocal reads
        reads += 1
        return key.fget(self)

    monkeypatch.setattr(items_module.Item, "key", property(counted))
    with Git.find(r.root) as git:
        points = burndown_series(git, ["plans"])
        findings = audit(git, ["plans"])
    assert points[-1].open == n and findings == []
    assert reads < 20 * n, reads
