"""Generate a realistic synthetic rectification repository for benchmarks.

Chinese titles and units; absolute, relative and Chinese-phrased deadlines;
extensions; progress notes; about 50 tasks a file. Deterministic (seeded).

    python bench/generate.py OUT_DIR --tasks 50000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

UNITS = [
    "市发展改革局", "市工业和信息化局", "市司法局", "市财政局", "市人力资源社会保障局", "市自然资源局",
    "市生态环境局", "市住房城乡建设局", "市水利局", "市商务局", "市应急管理局", "市市场监管局",
    "市政务和数据局", "市城市管理综合执法局", "市税务局", "市公安局", "市教育局", "市卫生健康局",
]
CATEGORIES = ["政策环境", "法治环境", "市场环境", "政务环境", "要素保障", "作风建设"]
VERBS = ["健全", "完善", "推动", "加强", "规范", "落实", "优化", "开展", "建立", "压实"]
OBJECTS = [
    "失业保险精准宣传机制", "惠企政策兑现流程", "行政执法案卷评查", "政府采购预留份额管理", "工程建设项目审批",
    "涉企收费清理整治", "政务服务事项进驻", "执行案件繁简分流", "人才服务保障体系", "营商环境投诉处理",
]
NOTES = ["已印发工作方案", "召开专题推进会", "完成阶段性任务", "形成整改台账", "开展督导检查", "报送整改情况"]
STATUSES = ["todo"] * 2 + ["doing"] * 5 + ["done"] * 6 + ["ongoing"] * 1 + ["cancelled"] * 1


def due_rule(rng: random.Random, year: int) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return (dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(700))).isoformat()
    if kind == 1:
        return f"{rng.randrange(5, 60)} working days after opinions_received"
    if kind == 2:
        return f"收到评议意见后{rng.choice(['十', '二十', '三十', '十五'])}个工作日内"
    if kind == 3:
        return f"{year + rng.randrange(2)}年{rng.randrange(1, 13)}月{rng.choice(['上旬', '中旬', '下旬'])}"
    if kind == 4:
        return f"{rng.randrange(1, 7)} months after plan-due"
    return "长期坚持"


def task_yaml(rng: random.Random, plan: str, issue: str, n: int, year: int) -> str:
    status = rng.choice(STATUSES)
    lines = [
        f"  - id: T-{issue[2:]}-{n}",
        f"    issue: {issue}",
        f"    title: {rng.choice(VERBS)}{rng.choice(OBJECTS)}",
        f"    lead: {rng.choice(UNITS)}",
        f"    support: [{', '.join(rng.sample(UNITS, 2))}]",
        "    owner: 分管副局长",
        f"    due: {due_rule(rng, year)}",
        f"    status: {status}",
    ]
    if status == "done":
        lines.append(f"    done: {(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(600))).isoformat()}")
    if rng.random() < 0.5:
        lines.append("    progress:")
        for _ in range(rng.randrange(1, 4)):
            day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(600))
            lines.append(f"      - {{date: {day.isoformat()}, note: {rng.choice(NOTES)}}}")
    if rng.random() < 0.1:
        lines.append("    extensions:")
        lines.append(f"      - {{to: {year + 1}-06-30, approved_by: 分管副市长, date: {year}-12-01, reason: 需省级部门协调}}")
    return "\n".join(lines)


def generate(out: Path, tasks: int, per_file: int = 50, per_plan: int = 2000, seed: int = 7) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / ".git").mkdir(exist_ok=True)  # marks the repository root without a real repository
    written = 0
    plan_no = 0
    while written < tasks:
        plan_no += 1
        plan = f"p{plan_no:03d}"
        year = 2024 + plan_no % 3
        folder = out / "plans" / plan
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.yaml").write_text(
            f"kind: plan\nid: {plan}\ntitle: 第{plan_no}轮巡察整改\nowner: 市委巡察办\n"
            f"events:\n  opinions_received: {year}-03-{rng.randrange(1, 28):02d}\n  评议意见: {year}-03-15\n"
            "milestones:\n  - id: plan-due\n    title: 制定整改方案\n    due: 20 working days after opinions_received\n"
            "    status: done\n    done: " + f"{year}-04-01\n"
            f"phases:\n  - id: rectify\n    title: 整改阶段\n    window: {year}年4月至{year + 1}年3月\n",
            encoding="utf-8",
        )
        in_plan = min(per_plan, tasks - written)
        issues = max(1, in_plan // 3)
        (folder / "issues.yaml").write_text(
            f"kind: issues\nplan: {plan}\nissues:\n"
            + "".join(
                f"  - id: I-{i:03d}\n    category: {rng.choice(CATEGORIES)}\n    title: {rng.choice(OBJECTS)}不到位\n"
                for i in range(1, issues + 1)
            ),
            encoding="utf-8",
        )
        for chunk_start in range(0, in_plan, per_file):
            body = []
            for k in range(chunk_start, min(in_plan, chunk_start + per_file)):
                issue = f"I-{k % issues + 1:03d}"
                body.append(task_yaml(rng, plan, issue, k // issues + 1, year))
            (folder / f"tasks-{chunk_start // per_file:03d}.yaml").write_text(
                f"kind: tasks\nplan: {plan}\ntasks:\n" + "\n".join(body) + "\n", encoding="utf-8"
            )
        written += in_plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    generate(args.out, args.tasks)


if __name__ == "__main__":
    main()
