"""Two versions of rectify on the same ledgers, run in turn: a before and after that noise cannot fake.

    python bench/ab.py REV [--against REV2] [--sizes 10000,50000] [--runs 5]
                       [--modes cold,first,warm,edit] [--commands check,status-json,status,agenda]

These machines drift by 20-30 % within minutes, so figures from two runs of
`bench/run.py` compare the machine as much as the code. Here each measurement
of version A is followed by the same measurement of version B (the work tree,
unless --against names a revision), on the same generated ledgers
(`bench/generate.py`), each version with its own cache directory; the table
gives each side's median and B's ratio to A.

Each revision is exported (`git archive`) into the work directory and run from
there (`BOOT`): put first on `sys.path`, or, for an older revision whose
`rectify_cli` has no `__init__.py`, named as the package before any import,
since a namespace package loses to a regular one (an editable install of the
work tree) and the "before" would silently be the "after". Each process checks
where its package came from before it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from run import ensure_repository, timed  # noqa: E402

# Run the package found under argv[1], whatever else is installed, then the CLI with the rest of argv.
# First on sys.path, a regular package wins; a namespace one (an old revision without __init__.py)
# would lose to any regular copy further on (an editable install), so it is named before any import.
BOOT = """
import os, sys, types
src = sys.argv.pop(1)
package = os.path.join(src, "rectify_cli")
sys.path.insert(0, src)
if not os.path.exists(os.path.join(package, "__init__.py")):
    namespace = types.ModuleType("rectify_cli")
    namespace.__path__ = [package]
    sys.modules["rectify_cli"] = namespace
import rectify_cli
if os.path.realpath(list(rectify_cli.__path__)[0]) != os.path.realpath(package):
    sys.exit("bench/ab.py: rectify_cli came from " + list(rectify_cli.__path__)[0])
from rectify_cli.cli import main
main()
"""

COMMANDS = {"check": ["check"], "status-json": ["status", "--format", "json"], "status": ["status"], "agenda": ["agenda"]}


def export(rev: str, workdir: Path) -> Path:
    """The package's source at `rev`, as a directory to put on sys.path."""
    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=REPO, check=True,
                         capture_output=True, text=True).stdout.strip()
    out = workdir / f"src-{sha[:12]}"
    if not (out / "rectify_cli").is_dir():
        archive = subprocess.run(["git", "archive", sha, "src"], cwd=REPO, check=True, capture_output=True).stdout
        staging = Path(tempfile.mkdtemp(dir=workdir))
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(staging, filter="data")
        shutil.rmtree(out, ignore_errors=True)
        (staging / "src").rename(out)
        shutil.rmtree(staging)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(out)], check=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="version A: a revision (e.g. the session's first commit)")
    parser.add_argument("--against", help="version B: a revision (default: the work tree's src/)")
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="cold,first,warm", help="cold, first, warm, edit (warm, one task file changed "
                        "before each run), day (warm, on a day no run has judged: a day's first run)")
    parser.add_argument("--commands", default="check,status-json")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "rectify-bench")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    versions = {"A": export(args.rev, args.workdir),
                "B": export(args.against, args.workdir) if args.against else REPO / "src"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(versions["B"])], check=True)
    day = ["--as-of", dt.date.today().isoformat()]
    print(f"A = {args.rev} ({versions['A']}), B = {args.against or 'work tree'} ({versions['B']})")
    print("| size | command | mode | A median | B median | B / A | A peak | B peak |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        ledger = ensure_repository(args.workdir, size)
        for command in args.commands.split(","):
            for mode in args.modes.split(","):
                times: dict[str, list[float]] = {"A": [], "B": []}
                peaks: dict[str, float] = {"A": 0.0, "B": 0.0}
                edited = sorted((ledger / "plans").rglob("tasks-*.yaml"))[0]
                original = edited.read_text(encoding="utf-8")
                try:
                    for run in range(args.runs + (1 if mode in ("warm", "edit", "day") else 0)):
                        for side, src in versions.items():
                            cache = args.workdir / f"ab-cache-{side}-{size}"
                            if mode == "first":
                                shutil.rmtree(cache, ignore_errors=True)
                            if mode == "edit" and run:  # a text neither side has seen: each reads the file again
                                edited.write_text(f"{original}# edited {run} {side}\n", encoding="utf-8")
                            env = {"RECTIFY_NO_CACHE": "1"} if mode == "cold" else {"RECTIFY_CACHE_DIR": str(cache)}
                            on = ["--as-of", (dt.date.today() + dt.timedelta(days=run)).isoformat()] if mode == "day" else day
                            cmd = [sys.executable, "-c", BOOT, str(src), *COMMANDS[command], *on]
                            seconds, peak, code = timed(cmd, ledger, env)
                            if code not in (0, 1):
                                sys.exit(f"{side}: {' '.join(cmd[3:])} exited {code}")
                            if mode in ("warm", "edit", "day") and run == 0:
                                continue  # fills the cache
                            times[side].append(seconds)
                            peaks[side] = max(peaks[side], peak)
                finally:
                    edited.write_text(original, encoding="utf-8")
                a, b = statistics.median(times["A"]), statistics.median(times["B"])
                print(f"| {size:,} | {command} | {mode} | {a:.3f} s | {b:.3f} s | {b / a:.2f} | "
                      f"{peaks['A']:.0f} MB | {peaks['B']:.0f} MB |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
