"""A small plan shared by the report, export and import tests (no tests here).

Every state a report must word differently is present: done, done late,
closed, ongoing, doing with a date, todo overdue, a pending deadline, an
issue without a category and one without measures, and text that must be
escaped (a formula, separators, markup).
"""

from __future__ import annotations

from pathlib import Path

from .conftest import write

AS_OF = "2026-01-20"

PLAN = """\
kind: plan
id: demo
title: {title}
owner: 市人大常委会预算工作委员会
issuer: 市人大常委会办公室
events:
  opinions_received: 2025-11-05
  hearing: null
milestones:
  - id: plan-due
    title: 制定整改处理方案
    due: 20 working days after opinions_received
    status: done
    done: 2025-12-01
  - id: report-due
    title: 报送整改情况报告
    due: 2026-01-15
responsibility: |
  （一）加强组织领导。成立整改工作领导小组，主要负责同志任组长。
  （二）压实整改责任。形成问题清单、任务清单、责任清单。
next_steps: |
  一是巩固整改成果，对已完成事项适时“回头看”。
  二是建立长效机制。
"""

ISSUES = """\
kind: issues
plan: demo
issues:
  - id: I-01
    category: 政策环境
    title: 惠企政策宣传指引不到位
  - id: I-02
    category: 政策环境
    title: 惠企补贴申请不够透明
  - id: I-03
    category: 法治环境
    title: 执法案卷不规范
  - id: I-04
    title: 其他反映的问题
"""

TASKS = """\
kind: tasks
plan: demo
tasks:
  - id: T-01-1
    issue: I-01
    title: 健全失业保险精准宣传机制
    lead: 市人力资源社会保障局
    support: [市财政局, 市税务局]
    owner: 分管副局长
    due: 2025-12-31
    status: done
    done: 2025-12-20
    progress:
      - {date: 2025-12-01, note: 已印发宣传方案}
      - {date: 2025-12-20, note: 已完成}
  - id: T-01-2
    issue: I-01
    title: '{formula}'
    lead: 市人力资源社会保障局
    due: 2026-03-31
    status: doing
  - id: T-02-1
    issue: I-02
    title: 定期举办惠企政策宣讲会
    lead: 市商务局
    due: 长期坚持
    status: ongoing
  - id: T-02-2
    issue: I-02
    title: 公开补贴申请流程
    lead: 市商务局
    due: 2025-12-10
    status: done
    done: 2025-12-15
  - id: T-03-1
    issue: I-03
    title: 开展执法案卷评查
    lead: 市司法局
    due: 2025-12-31
    status: todo
  - id: T-03-2
    issue: I-03
    title: 修订案卷标准
    lead: 市司法局
    due: 10 working days after hearing
    status: doing
  - id: T-03-3
    issue: I-03
    title: 印发案卷评查结果
    lead: 市司法局
    support: [市委政法委]
    due: 2025-12-31
    status: closed
    done: 2025-12-25
    closed_by: 市人大常委会预算工委
    evidence: [https://example.org/evidence/T-03-3.pdf]
    notes: "分项说明, 含逗号; 分号\\\\反斜杠"
"""

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def write_demo(root: Path, title: str = "广清一体化营商环境推进落实情况工作评议意见整改", formula: str = FORMULA) -> Path:
    """Write the demo plan under root/plans/demo; returns root/plans."""
    plans = root / "plans"
    write(plans / "demo" / "plan.yaml", PLAN.replace("{title}", title))
    write(plans / "demo" / "issues.yaml", ISSUES)
    write(plans / "demo" / "tasks.yaml", TASKS.replace("{formula}", formula))
    return plans
