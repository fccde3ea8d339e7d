"""Fuzz deadline rules: arbitrary text through `rules.parse_rule` and
`Resolver.resolve` on the CN calendar.

Properties: the outcome is a Rule/Resolution or a `ProblemError` that renders
cleanly; never another exception; a resolution explains itself in both
languages; and no single rule takes long (the calendar is bounded).

    python fuzz/fuzz_rules.py [atheris/libFuzzer options] [corpus dirs]
    python fuzz/run.py --minutes 5 --target rules     # without atheris
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from oracle import NAME, clean, renders  # noqa: E402

SLOW_SECONDS = 5.0
_CALENDAR = None


def _calendar():
    global _CALENDAR
    if _CALENDAR is None:
        from rectify_cli.calendar import calendar_for
        from rectify_cli.model import CalendarSpec

        _CALENDAR = calendar_for(CalendarSpec())
    return _CALENDAR


def check(data: bytes) -> None:
    from rectify_cli.model import Source
    from rectify_cli.problems import ProblemError
    from rectify_cli.rules import Resolution, Resolver, parse_rule

    text = data.decode("utf-8", "replace")
    year = (2025, None, 1, 9999)[data[0] % 4] if data else 2025
    start = time.perf_counter()
    try:
        parse_rule(text)
    except ProblemError as exc:
        clean(exc.at(Source(NAME, 1, 1)))
    resolver = Resolver(
        _calendar(), year,
        events={"received": dt.date(2025, 11, 5), "pending": None, "late": dt.date(9999, 12, 30)},
        milestones={"m1": "20 working days after received", "m2": "3 days after m3", "m3": "1 day after m2",
                    "m4": text[:200]},
    )
    for expr in (text, f"3 days after m4", f"{text[:8]} working days after received"):
        try:
            result = resolver.resolve(expr)
        except ProblemError as exc:
            clean(exc.at(Source(NAME, 1, 1)))
            continue
        assert isinstance(result, Resolution) and result.kind in ("date", "pending", "ongoing"), result
        assert (result.due is not None) == (result.kind == "date"), result
        for lang in ("zh", "en"):
            for step in result.steps:
                renders(step.key, dict(step.params), lang)
    elapsed = time.perf_counter() - start
    assert elapsed < SLOW_SECONDS, f"{text!r} took {elapsed:.1f}s"


def TestOneInput(data: bytes) -> None:  # atheris entry point
    check(data)


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["rectify_cli"]):
        import rectify_cli.rules  # noqa: F401
        import rectify_cli.calendar  # noqa: F401
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
