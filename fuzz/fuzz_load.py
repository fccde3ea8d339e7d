"""Fuzz the loader: arbitrary bytes as a plan file.

Properties: `load.load_blobs` never raises; every problem is clean (catalogue
key, both languages, one line, the file's name); and the fast loader
(`fastload`, when the tree has one) agrees with the PyYAML loader exactly.

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
    from rectify_cli import load, yamlsafe

    try:  # an optional fast path of the loader; when present it must agree exactly
        from rectify_cli import fastload
    except ImportError:
        fastload = None
    return fastload, load, yamlsafe


def check(data: bytes) -> None:
    fastload, load, yamlsafe = _import()
    start = time.perf_counter()
    repo, problems = load.load_blobs([(NAME, data)])
    elapsed = time.perf_counter() - start
    assert elapsed < SLOW_SECONDS, f"{len(data)} bytes took {elapsed:.1f}s"
    assert repo.files == (NAME,)
    for problem in problems:
        clean(problem)
    # differential: the fast path must give the same Repository and problems
    text, problem = yamlsafe.decode(data, NAME)
    if fastload is not None and problem is None and len(data) <= yamlsafe.MAX_FILE_BYTES:
        sources = lambda: [(NAME, lambda: (text, None))]  # noqa: E731
        fast = fastload.load_texts(sources())
        slow = load.load_texts(sources())
        assert repr(fast) == repr(slow), f"fastload disagrees with load:\n fast={fast!r}\n slow={slow!r}"


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
