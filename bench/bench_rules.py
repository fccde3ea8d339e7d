"""Time 100,000 mixed rule evaluations, a fresh Resolver per 1,000.

Why: `rectify check` resolves every deadline of every plan on each run and
in pre-commit hooks; the date engine must stay far below human notice.
A fresh resolver per 1,000 evaluations, random event dates per resolver and
numbers varying per text keep the per-resolver memo from making it trivial
(parsing is still cached by text across resolvers, as in real runs).

Run: PYTHONPATH=src python bench/bench_rules.py
(prints the median of 5 runs, without and with `Resolution.steps` built)
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from rectify_cli.calendar import calendar_for
from rectify_cli.model import CalendarSpec
from rectify_cli.rules import Resolver

TEMPLATES = [
    "{n} working days after opinions_received",
    "{n} working days before 2026-10-09",
    "{n} days after opinions_received",
    "{m} months after 2025-10-31",
    "{n} weeks after plan_issued",
    "收到反馈意见后{n}个工作日内",
    "自整改方案印发之日起{m}个月内",
    "反馈意见后{n}日内",
    "plan-due前{k}个工作日",
    "{k} working days after report",
    "2025年{mo}月{d}日",
    "{mo}月{d}日前",
    "{mo}月中下旬",
    "2025年{mo}月下旬至{mo2}月",
    "{mo}-12月",
    "第三季度",
    "长期坚持",
    "{n} working days after not_yet",
]


def texts(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        mo = rng.randint(1, 11)
        out.append(
            rng.choice(TEMPLATES).format(
                n=rng.randint(1, 60), m=rng.randint(1, 12), k=rng.randint(1, 10),
                mo=mo, mo2=rng.randint(mo + 1, 12), d=rng.randint(1, 28),
            )
        )
    return out


def run(rng: random.Random, total: int = 100_000, per_resolver: int = 1_000, steps: bool = False) -> float:
    cal = calendar_for(CalendarSpec())
    batches = []
    for _ in range(total // per_resolver):
        base = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
        events = {
            "opinions_received": base,
            "反馈意见": base + dt.timedelta(days=rng.randint(0, 30)),
            "整改方案印发": base + dt.timedelta(days=rng.randint(0, 30)),
            "plan_issued": base - dt.timedelta(days=rng.randint(0, 30)),
            "not_yet": None,
        }
        milestones = {
            "plan-due": "20 working days after opinions_received",
            "report": "10 working days after plan-due",
        }
        batches.append((events, milestones, texts(rng, per_resolver)))
    start = time.perf_counter()
    for events, milestones, batch in batches:
        resolver = Resolver(cal, 2025, events, milestones)
        for text in batch:
            result = resolver.resolve(text)
            if steps:
                result.steps  # noqa: B018 - materialize the explanation too
    return time.perf_counter() - start


def main() -> None:
    rng = random.Random(20251105)
    run(rng, 5_000)  # warm up: load calendar years, fill the parse cache like a real run would
    for steps in (False, True):
        times = [run(rng, steps=steps) for _ in range(5)]
        label = "with every explanation built" if steps else "dates only (explanations lazy)"
        print(f"{label}: runs (s):", " ".join(f"{t:.3f}" for t in times))
        print(f"  median of 5: {statistics.median(times):.3f} s for 100,000 evaluations")


if __name__ == "__main__":
    main()
