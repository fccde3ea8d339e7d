"""Benchmark: `rectify history` of one task and `rectify audit` of a whole history.

Builds (with one `git fast-import`) a repository of 5,000 commits over 200
tasks in 10 plans, each commit changing one task (status, deadline, lead,
progress notes that shift later tasks' lines, occasional extensions), then
runs the commands as a user would, in fresh processes, and prints the median
of several runs. Targets: history ≤ 3 s, audit ≤ 10 s.

With `--flat 10000 50000`, it also builds one file of that many tasks in one
commit and times history, audit, burndown and `report --format html` (whose
burn-down chart replays history) on it: these must grow linearly with the
tasks of a file (issue 19.5).

    python bench/bench_history.py [--commits 5000] [--tasks 200] [--runs 5] [--keep DIR] [--flat N ...]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLANS = 10
STATUSES = ["todo", "doing", "doing", "done"]
LEADS = ["市财政局", "市商务局", "市人力资源社会保障局", "市市场监管局", "市发展改革局"]


def task_text(tid: str, s: dict) -> str:
    lines = [
        f"  - id: {tid}", "    issue: I-01", f"    title: 整改任务{tid}，完善长效机制建设",
        f"    lead: {s['lead']}", f"    due: {s['due']}", f"    status: {s['status']}",
    ]
    if s["status"] == "done":
        lines += [f"    done: {s['done']}", f"    evidence: [evidence/{tid}.pdf]"]
    if s["ext"]:
        lines += ["    extensions:", f"      - {{to: {s['due']}, approved_by: 市整改办, date: 2025-12-01, reason: 资金未到位}}"]
    if s["progress"]:
        lines.append("    progress:")
        lines += [f"      - {{date: {d}, note: {n}}}" for d, n in s["progress"]]
    return "\n".join(lines) + "\n"


def build(root: Path, commits: int, n_tasks: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    per_plan = n_tasks // PLANS
    state = {
        (p, i): {"lead": LEADS[i % len(LEADS)], "due": "2025-12-31", "status": "todo", "done": None, "ext": False, "progress": []}
        for p in range(PLANS) for i in range(per_plan)
    }

    def tasks_file(p: int) -> bytes:
        body = "".join(task_text(f"T-{p:02d}-{i:02d}", state[(p, i)]) for i in range(per_plan))
        return f"kind: tasks\nplan: plan-{p:02d}\ntasks:\n{body}".encode()

    out: list[bytes] = []

    def blob(path: str, data: bytes) -> None:
        out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")

    t0 = 1_730_000_000  # 2024-10-27
    for n in range(commits):
        stamp = t0 + n * 3 * 3600
        who = f"user{n % 7}"
        msg = f"commit {n}".encode()
        out.append(
            f"commit refs/heads/main\nmark :{n + 1}\nauthor {who} <{who}@example.org> {stamp} +0800\n"
            f"committer {who} <{who}@example.org> {stamp} +0800\ndata {len(msg)}\n".encode() + msg + b"\n"
        )
        if n:
            out.append(f"from :{n}\n".encode())
        if n == 0:
            for p in range(PLANS):
                blob(f"plans/plan-{p:02d}/plan.yaml", f"kind: plan\nid: plan-{p:02d}\ntitle: 计划{p}\n".encode())
                blob(f"plans/plan-{p:02d}/issues.yaml", f"kind: issues\nplan: plan-{p:02d}\nissues:\n  - id: I-01\n    title: 问题\n".encode())
                blob(f"plans/plan-{p:02d}/tasks.yaml", tasks_file(p))
            continue
        p, i = rnd.randrange(PLANS), rnd.randrange(per_plan)
        s = state[(p, i)]
        day = time.strftime("%Y-%m-%d", time.gmtime(stamp))
        roll = rnd.random()
        if roll < 0.5:
            s["progress"] = (s["progress"] + [(day, f"第{n}次推进")])[-3:]
        elif roll < 0.7:
            s["status"] = rnd.choice(STATUSES)
            s["done"] = day
        elif roll < 0.85:
            s["lead"] = rnd.choice(LEADS)
        else:
            s["due"] = f"2026-{rnd.randrange(1, 13):02d}-28"
            s["ext"] = rnd.random() < 0.5
        blob(f"plans/plan-{p:02d}/tasks.yaml", tasks_file(p))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(out), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True)


def build_flat(root: Path, n_tasks: int) -> None:
    """One plan, one tasks file of `n_tasks` tasks, one commit."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    plan = root / "plans" / "flat"
    plan.mkdir(parents=True)
    (plan / "plan.yaml").write_text("kind: plan\nid: flat\ntitle: 计划\n", encoding="utf-8")
    (plan / "issues.yaml").write_text("kind: issues\nplan: flat\nissues:\n  - id: I-01\n    title: 问题\n", encoding="utf-8")
    state = {"lead": LEADS[0], "due": "2025-12-31", "status": "doing", "done": None, "ext": False, "progress": []}
    body = "".join(task_text(f"T-{i:05d}", {**state, "lead": LEADS[i % len(LEADS)]}) for i in range(n_tasks))
    (plan / "tasks.yaml").write_text(f"kind: tasks\nplan: flat\ntasks:\n{body}", encoding="utf-8")
    env = {"GIT_AUTHOR_DATE": "2025-11-01T10:00:00+08:00", "GIT_COMMITTER_DATE": "2025-11-01T10:00:00+08:00"}
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "flat"], cwd=root, check=True,
                   env={**__import__("os").environ, **env})


def timed(root: Path, *args: str) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args],
        cwd=root, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"rectify {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return elapsed, len(done.stdout.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--flat", type=int, nargs="*", default=[], help="also time one file of N tasks in one commit")
    args = parser.parse_args()
    for n in args.flat:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "flat"
            build_flat(root, n)
            for label, cmd in (
                ("history", ("history", f"T-{n // 2:05d}")), ("audit", ("audit",)), ("burndown", ("burndown",)),
                ("report html", ("report", "flat", "--format", "html", "--as-of", "2025-11-20", "--out", "r.html")),
            ):
                runs = [timed(root, *cmd) for _ in range(args.runs)]
                print(f"{n} tasks, one file: {label:12s} median {statistics.median(r[0] for r in runs):6.2f} s over {args.runs} runs")
    if args.flat and args.commits == 0:
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "repo"
        t = time.perf_counter()
        build(root, args.commits, args.tasks)
        print(f"built {args.commits} commits over {args.tasks} tasks in {time.perf_counter() - t:.1f} s")
        for label, cmd, target in (
            ("history T-03-07", ("history", "T-03-07"), 3.0),
            ("audit (whole range)", ("audit",), 10.0),
        ):
            runs = [timed(root, *cmd) for _ in range(args.runs)]
            median = statistics.median(r[0] for r in runs)
            verdict = "ok" if median <= target else "SLOW"
            print(f"{label:22s} median {median:6.2f} s over {args.runs} runs "
                  f"(min {min(r[0] for r in runs):.2f}, {runs[0][1]} lines of output; target ≤ {target:.0f} s: {verdict})")


if __name__ == "__main__":
    main()
