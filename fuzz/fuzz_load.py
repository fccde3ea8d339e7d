"""Fuzz the loader: arbitrary bytes as a plan file.

Properties: `load.load_blobs` never raises, stays fast, and every problem is
clean (catalogue key, both languages, one line, the file's name).

    python fuzz/fuzz_load.py [atheris/libFuzzer options] [corpus dirs]
    python fuzz/run.py --minutes 5 --target load      # without atheris
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oracle import NAME, clean  # noqa: E402

SLOW_SECONDS = 5.0  # any input of fuzzing size taking longer is a finding


def _import():
    from rectify_cli import loader as load

    return load


def check(data: bytes) -> None:
    load = _import()
    start = time.perf_counter()
    repo, problems = load.load_blobs([(NAME, data)])
    elapsed = time.perf_counter() - start
    assert elapsed < SLOW_SECONDS, f"{len(data)} bytes took {elapsed:.1f}s"
    assert repo.files == (NAME,)
    for problem in problems:
        clean(problem)


def TestOneInput(data: bytes) -> None:  # atheris entry point
    check(data)


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["rectify_cli", "yaml"]):
        _import()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
