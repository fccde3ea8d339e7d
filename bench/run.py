"""The benchmark: rectify against Taskwarrior and the YAML floor, on the same ledger.

    python bench/run.py [--sizes 1000,10000,50000] [--runs 5] [--markdown]

For each size it generates a synthetic repository (bench/generate.py, ~50
tasks a file) and times whole processes (interpreter start included), the
median of --runs, with each process's peak memory (wait4 ru_maxrss):

- rectify check / rectify status --format json: cold with no cache
  (RECTIFY_NO_CACHE=1), cold filling an empty cache (a first run), warm
  (every file in the parse cache and the repository index), and warm with one
  task file edited before each run; the cache is private to the benchmark
- the floor: a process that only yaml.load()s (CSafeLoader) / yaml.compose()s every file,
  and one that composes them on every core (forked workers)
- Taskwarrior, where `task` is installed: the same tasks imported (description,
  project, due as rectify resolves it, status) into a private TASKDATA, then
  `task +OVERDUE list` and `task +OVERDUE count`

plus `rectify --help`, `rectify date ...`, `rectify status` on plans/ and
100,000 deadline evaluations (bench/bench_rules.py, in process).
Both tools judge "overdue" as of today (Taskwarrior cannot be told another day).
Nothing here asserts a time; RESULTS.md records runs with the machine described.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "src"))

# The console script pip wrote beside this interpreter (a version manager's shim on
# PATH is a shell script that costs ~60 ms a process); else the same entry point.
_SCRIPT = Path(sys.executable).with_name("rectify")
RECTIFY = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-c", "from rectify_cli.cli import main; main()"]

FLOOR_LOAD = """
import sys, yaml, os
for d, _, names in os.walk(sys.argv[1]):
    for n in names:
        if n.endswith('.yaml'):
            with open(os.path.join(d, n), encoding='utf-8') as f:
                yaml.{fn}(f.read(), Loader=yaml.CSafeLoader)
"""

# The same composing spread over every core (forked workers, each a run of files, nothing sent
# back): what no reader that composes every file can go below, whatever else it does.
FLOOR_CORES = """
import multiprocessing, os, sys, yaml
texts = []
for d, _, names in sorted(os.walk(sys.argv[1])):
    for n in sorted(names):
        if n.endswith('.yaml'):
            with open(os.path.join(d, n), encoding='utf-8') as f:
                texts.append(f.read())
def compose(bounds):
    for text in texts[bounds[0]:bounds[1]]:
        yaml.compose(text, Loader=yaml.CSafeLoader)
workers = len(os.sched_getaffinity(0))
chunks = [(len(texts) * i // (4 * workers), len(texts) * (i + 1) // (4 * workers)) for i in range(4 * workers)]
with multiprocessing.get_context('fork').Pool(workers) as pool:
    pool.map(compose, chunks, chunksize=1)
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak MB, exit code) of one whole process."""
    full_env = {**os.environ, **(env or {})}
    # An installed package runs from compiled bytecode; a machine that sets this would
    # recompile every module of rectify in every process (~80 ms) and time that instead.
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def measure(cmd: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None, before=None) -> dict:
    results = []
    for _ in range(max(1, runs)):
        if before is not None:
            before()
        results.append(timed(cmd, cwd, env))
    times = [r[0] for r in results]
    return {"median": statistics.median(times), "runs": times, "peak_mb": max(r[1] for r in results), "exit": results[-1][2]}


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    task = shutil.which("task")
    task_version = subprocess.run([task, "--version"], capture_output=True, text=True).stdout.strip() if task else None
    return {
        "nproc": os.cpu_count(), "cpu": cpu or platform.processor(), "python": platform.python_version(),
        "platform": platform.platform(), "taskwarrior": task_version,
    }


def ensure_repository(workdir: Path, size: int) -> Path:
    from generate import generate

    out = workdir / f"ledger-{size}"
    marker = out / ".generated"
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        generate(out, size)
        marker.write_text(str(size))
    return out


def taskwarrior_data(repo: Path, workdir: Path, size: int, as_of: dt.date) -> tuple[Path, Path, float] | None:
    """A TASKDATA holding the same tasks (due dates as rectify resolves them); (rc, data, import seconds)."""
    task = shutil.which("task")
    if not task:
        return None
    data = workdir / f"taskdata-{size}"
    rc = workdir / f"taskrc-{size}"
    done = data / ".imported"
    rc.write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\ngc=off\nhooks=off\nrecurrence=off\n", encoding="utf-8"
    )
    if done.exists():
        return rc, data, float(done.read_text())
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    from rectify_cli.workspace import open_workspace

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        ws = open_workspace([Path("plans")], as_of)
    finally:
        os.chdir(cwd)
    records = []
    for state in ws.schedule.tasks:
        item = state.item
        status = {"done": "completed", "closed": "completed", "cancelled": "deleted"}.get(item.status.value, "pending")
        record = {"description": item.title, "project": item.plan, "status": status, "entry": "20240101T000000Z"}
        if state.due_date:
            record["due"] = state.due_date.strftime("%Y%m%dT000000Z")
        if status != "pending":
            record["end"] = "20250101T000000Z"
        records.append(record)
    source = workdir / f"tasks-{size}.json"
    source.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    env = {"TASKRC": str(rc), "TASKDATA": str(data)}
    seconds, _, code = timed([task, "import", str(source)], workdir, env)
    if code != 0:
        raise SystemExit(f"task import failed ({code})")
    done.write_text(f"{seconds:.3f}")
    return rc, data, seconds


def rules_benchmark() -> float:
    import random

    import bench_rules

    rng = random.Random(20251105)
    bench_rules.run(rng, 5_000)
    return statistics.median(bench_rules.run(rng) for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rectify-bench")
    parser.add_argument("--markdown", action="store_true", help="also print the tables as markdown")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.workdir.mkdir(parents=True, exist_ok=True)
    as_of = dt.date.today()
    report: dict = {"machine": machine(), "as_of": as_of.isoformat(), "runs": args.runs, "sizes": {}, "fixed": {}}
    print("machine:", json.dumps(report["machine"], ensure_ascii=False))

    fixed = report["fixed"]
    os.environ["RECTIFY_CACHE_DIR"] = str(args.workdir / "cache-fixed")  # never the user's own cache
    fixed["rectify --help"] = measure([*RECTIFY, "--help"], REPO, args.runs)
    fixed["rectify date '20 working days after 2025-11-05'"] = measure([*RECTIFY, "date", "20 working days after 2025-11-05"], REPO, args.runs)
    fixed["rectify status (plans/)"] = measure([*RECTIFY, "status", "--as-of", as_of.isoformat()], REPO, args.runs)
    fixed["python -c pass"] = measure([sys.executable, "-c", "pass"], REPO, args.runs)
    for name, figure in fixed.items():
        print(f"{name:55s} {figure['median']:7.3f} s  {figure['peak_mb']:6.0f} MB")
    rules = rules_benchmark()
    report["rules_100k_s"] = rules
    print(f"{'100,000 deadline evaluations (in process)':55s} {rules:7.3f} s")

    for size in sizes:
        repo = ensure_repository(args.workdir, size)
        day = ["--as-of", as_of.isoformat()]
        rows: dict[str, dict] = {}
        cache = args.workdir / f"cache-{size}"
        no_cache = {"RECTIFY_NO_CACHE": "1"}
        with_cache = {"RECTIFY_CACHE_DIR": str(cache)}

        def empty_cache() -> None:
            shutil.rmtree(cache, ignore_errors=True)

        edited = sorted((repo / "plans").rglob("tasks-*.yaml"))[0]
        original = edited.read_text(encoding="utf-8")

        def edit_one() -> None:
            """One task file changed since the last run (as between two runs of a pre-commit hook)."""
            current = edited.read_text(encoding="utf-8")
            edited.write_text(original if current != original else original + "# edited\n", encoding="utf-8")

        for name, command in (("check", ["check"]), ("status --format json", ["status", "--format", "json"])):
            cmd = [*RECTIFY, *command, *day]
            rows[f"rectify {name}, cold (no cache)"] = measure(cmd, repo, args.runs, no_cache)
            rows[f"rectify {name}, first run (fills the cache)"] = measure(cmd, repo, args.runs, with_cache, empty_cache)
            rows[f"rectify {name}, warm (cached)"] = measure(cmd, repo, args.runs, with_cache)
            rows[f"rectify {name}, warm, one file edited"] = measure(cmd, repo, args.runs, with_cache, edit_one)
        rows["floor: yaml.load (CSafeLoader), every file"] = measure(
            [sys.executable, "-c", FLOOR_LOAD.format(fn="load"), "plans"], repo, args.runs
        )
        rows["floor: yaml.compose (CSafeLoader), every file"] = measure(
            [sys.executable, "-c", FLOOR_LOAD.format(fn="compose"), "plans"], repo, args.runs
        )
        rows["floor: yaml.compose, every file, on every core"] = measure(
            [sys.executable, "-c", FLOOR_CORES, "plans"], repo, args.runs
        )
        tw = taskwarrior_data(repo, args.workdir, size, as_of)
        if tw:
            rc, data, imported = tw
            env = {"TASKRC": str(rc), "TASKDATA": str(data)}
            rows["taskwarrior: task +OVERDUE list"] = measure(["task", "+OVERDUE", "list"], repo, args.runs, env)
            rows["taskwarrior: task +OVERDUE count"] = measure(["task", "+OVERDUE", "count"], repo, args.runs, env)
            report.setdefault("taskwarrior_import_s", {})[size] = imported
        edited.write_text(original, encoding="utf-8")
        report["sizes"][size] = rows
        tw_list = rows.get("taskwarrior: task +OVERDUE list", {}).get("median")
        floor = rows["floor: yaml.load (CSafeLoader), every file"]["median"]
        print(f"\n== {size:,} tasks ({sum(1 for _ in (repo / 'plans').rglob('*.yaml'))} files) ==")
        print(f"{'':55s} {'median':>8s} {'peak':>8s} {'×TW list':>9s} {'×floor':>7s}")
        for name, figure in rows.items():
            ratio_tw = f"{figure['median'] / tw_list:8.2f}×" if tw_list else "       -"
            print(f"{name:55s} {figure['median']:7.3f}s {figure['peak_mb']:6.0f}MB {ratio_tw} {figure['median'] / floor:6.2f}×")

    if args.markdown:
        print()
        print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


def markdown(report: dict) -> str:
    lines = ["| command | " + " | ".join(f"{int(s):,} tasks" for s in report["sizes"]) + " |"]
    lines.append("|---|" + "---|" * len(report["sizes"]))
    names = list(dict.fromkeys(n for rows in report["sizes"].values() for n in rows))
    for name in names:
        cells = []
        for rows in report["sizes"].values():
            figure = rows.get(name)
            tw = rows.get("taskwarrior: task +OVERDUE list", {}).get("median")
            if figure is None:
                cells.append("–")
                continue
            ratio = f" ({figure['median'] / tw:.2f}× TW)" if tw and not name.startswith("taskwarrior: task +OVERDUE list") else ""
            cells.append(f"{figure['median']:.2f} s{ratio}, {figure['peak_mb']:.0f} MB")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| fixed cost | median | peak |")
    lines.append("|---|---|---|")
    for name, figure in report["fixed"].items():
        lines.append(f"| {name} | {figure['median']:.3f} s | {figure['peak_mb']:.0f} MB |")
    lines.append(f"| 100,000 deadline evaluations (in process) | {report['rules_100k_s']:.3f} s | – |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
