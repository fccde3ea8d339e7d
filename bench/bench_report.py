"""Benchmark: the Word report with its lists (`report PLAN --format docx --lists`).

Generates one plan of N tasks with bench/generate.py (1,000 by default) and
runs the report as a user would, in fresh processes, printing the median of
several runs beside the same report without lists and as Markdown.
Target: 1,000 tasks with --lists in under 5 s (judged only at that size).

    python bench/bench_report.py [--tasks 1000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

AS_OF = "2025-06-01"
TARGET = 5.0


def timed(root: Path, *args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args],
        cwd=root, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"rectify {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.tasks > 2000:
        raise SystemExit("--tasks: at most 2000 (generate.py puts 2,000 tasks in a plan)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        generate(root, args.tasks)
        common = ("report", "p001", "plans", "--as-of", AS_OF, "--lang", "zh")
        for label, extra, target in (
            ("docx --lists", ("--format", "docx", "--lists", "--out", "lists.docx"), TARGET if args.tasks == 1000 else None),
            ("docx", ("--format", "docx", "--out", "r.docx"), None),
            ("md --lists", ("--format", "md", "--lists", "--out", "r.md"), None),
        ):
            runs = sorted(timed(root, *common, *extra) for _ in range(args.runs))
            verdict = "" if target is None else f"; target < {target:.0f} s: {'ok' if runs[len(runs) // 2] < target else 'SLOW'}"
            print(f"{args.tasks} tasks, report {label:13s} median {statistics.median(runs):6.2f} s over "
                  f"{args.runs} runs (min {runs[0]:.2f}, max {runs[-1]:.2f}{verdict})")
        print(f"docx with lists: {(root / 'lists.docx').stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
