"""Run the fuzz targets for a while without atheris: hypothesis generates the
inputs (bytes, YAML fragments, mutated seed files, deadline phrases).

    python fuzz/run.py --minutes 5                 # both targets, half the time each
    python fuzz/run.py --minutes 5 --target load   # or rules
    python fuzz/run.py --seconds 30 --seed 1       # reproducible

A failure prints the smallest input hypothesis found and exits 1.
With atheris installed (pip install atheris), run the targets directly for
coverage-guided fuzzing:  python fuzz/fuzz_load.py -max_total_time=300 SEEDS_DIR
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hypothesis import HealthCheck, given, seed as hseed, settings, strategies as st  # noqa: E402

import fuzz_load  # noqa: E402
import fuzz_rules  # noqa: E402

SEEDS = [p for d in (HERE.parent / "tests/corpus", HERE.parent / "examples", HERE.parent / "plans")
         if d.is_dir() for p in sorted(d.rglob("*.y*ml")) if p.stat().st_size < 200_000]

FRAGMENTS = [
    b"kind: plan\n", b"kind: tasks\n", b"kind: issues\n", b"id: p\n", b"title: t\n", b"tasks:\n", b"  - id: T\n",
    b"    due: ", b"&a ", b"*a", b"<<: *a\n", b"!!python/object/apply:os.system ", b"!x ", b"? [a]\n", b": b\n",
    b"[", b"]", b"{", b"}", b"- ", b"\t", b"\r\n", b"---\n", b"...\n", b"%TAG ! x\n", b"'", b'"\\e', b"\\u202e",
    b"\x1b", b"\xef\xbb\xbf", b"\xff\xfe", b"#", b"9" * 30, b"\n", b"2025-02-30", b"    ", b",", b"|\n", b">-\n",
    b"~", b"\x00", "整改".encode("gb18030"), "长期坚持".encode(), b"20 working days after received",
]


def _mutate(data: bytes, rnd: random.Random, n: int) -> bytes:
    buf = bytearray(data)
    for _ in range(n):
        op = rnd.randrange(4)
        pos = rnd.randrange(len(buf) + 1)
        if op == 0 and buf:
            del buf[pos % len(buf): pos % len(buf) + rnd.randrange(1, 8)]
        elif op == 1:
            buf[pos:pos] = rnd.choice(FRAGMENTS)
        elif op == 2 and buf:
            buf[pos % len(buf)] = rnd.randrange(256)
        else:
            start = rnd.randrange(len(buf) + 1)
            buf[pos:pos] = buf[start:start + rnd.randrange(1, 40)]
    return bytes(buf)


LOAD_INPUTS = (
    st.binary(max_size=2000)
    | st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=4), max_size=60).map(b"".join)
    | st.builds(lambda i, s, n: _mutate(SEEDS[i % len(SEEDS)].read_bytes(), random.Random(s), n),
                st.integers(0, 10**6), st.integers(), st.integers(1, 12))
    | st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
WORDS = ["20", "三", "两", "10000", "99999999", "0", "-1", "working days", "days", "weeks", "months", "after", "before",
         "received", "pending", "m1", "m2", "m4", "late", "2025-11-05", "9999-12-31", "0001-01-01", "个工作日", "后", "前",
         "内", "起", "年", "月", "日", "上旬", "中下旬", "至", "第三季度", "下半年", "长期坚持", "ongoing", " ", "收到"]
RULE_INPUTS = (
    st.lists(st.sampled_from(WORDS), max_size=8).map(lambda w: " ".join(w).encode())
    | st.lists(st.sampled_from(WORDS), max_size=8).map(lambda w: "".join(w).encode())
    | st.binary(max_size=120)
    | st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass"))
)


def run(target: str, seconds: float, seed: int | None) -> int:
    check, inputs = (fuzz_load.check, LOAD_INPUTS) if target == "load" else (fuzz_rules.check, RULE_INPUTS)
    deadline = time.monotonic() + seconds
    examples = rounds = 0
    while time.monotonic() < deadline:
        rounds += 1

        @settings(max_examples=500, deadline=None, database=None, derandomize=False,
                  suppress_health_check=list(HealthCheck))
        @given(inputs)
        def prop(data):
            check(data)

        if seed is not None:
            prop = hseed(seed + rounds)(prop)
        try:
            prop()
        except Exception:  # hypothesis has printed the falsifying example
            import traceback

            traceback.print_exc()
            print(f"FAIL {target}: see the falsifying example above", file=sys.stderr)
            return 1
        examples += 500
    print(f"ok {target}: ~{examples} inputs in {seconds:.0f}s, no failure")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--seconds", type=float, default=None)
    parser.add_argument("--target", choices=["load", "rules", "all"], default="all")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    total = args.seconds if args.seconds is not None else 60 * (args.minutes if args.minutes is not None else 1)
    targets = ["load", "rules"] if args.target == "all" else [args.target]
    status = 0
    for target in targets:
        status |= run(target, total / len(targets), args.seed)
    return status


if __name__ == "__main__":
    sys.exit(main())
