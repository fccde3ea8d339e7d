"""The one catalogue of user-facing text, in Chinese and English.

Core code never formats sentences: it produces a message key and parameters
(see `Problem`), and the edge renders them in the reader's language.
Keys are grouped by the module that raises them; keep each block together.
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any, Mapping

LANGS = ("zh", "en")


class Ref:
    """A message used as a parameter of another (a hint inside an error)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Ref) and (self.key, self.params) == (other.key, other.params)

    def __repr__(self) -> str:
        return f"Ref({self.key!r}, **{self.params!r})"

_CATALOGUE: dict[str, tuple[str, str]] = {
    # --- general / cli --------------------------------------------------
    "cli.error_prefix": ("错误", "error"),
    "cli.warning_prefix": ("警告", "warning"),
    "cli.violation_prefix": ("违规", "violation"),
    "cli.overdue_prefix": ("逾期", "overdue"),
    "cli.bad_date_option": (
        "{option} 的值 {value!r} 不是日期；请写成 YYYY-MM-DD，例如 2025-12-31",
        "{option}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-12-31",
    ),
    "cli.output_failed": (
        "输出未能写完（{reason}），内容不完整；请腾出空间或放宽限制后重新运行",
        "output could not be written ({reason}) and is incomplete; free space or raise the limit, then run again",
    ),
    "cli.output_disk_full": ("磁盘已满", "the disk is full"),
    "cli.output_too_big": ("超出文件大小限制 ulimit -f", "the file size limit, ulimit -f, was reached"),
    "cli.no_files": (
        "{path}：没有找到计划文件（*.yaml、*.yml）；请指定计划目录，或先运行 rectify new plan",
        "{path}: no plan files (*.yaml, *.yml) found; name a plans directory or run rectify new plan",
    ),
    "cli.path_missing": (
        "{path}：路径不存在；请检查拼写，或在仓库根目录运行",
        "{path}: no such file or directory; check the spelling or run from the repository root",
    ),
    # --- help: `rectify --help`, `rectify CMD --help` (help.CMD, help.CMD.PARAM, help.opt.PARAM for shared options)
    "help.root": (
        "把整改工作（问题清单、任务清单、责任清单、整改台账）保存为 git 仓库中的 YAML：校验台账、按工作日计算期限、列出逾期事项。\n\n"
        "退出码：0 正常；1 有逾期或违反台账规则；2 文件或用法错误；3 内部错误",
        "Track rectification (整改) work kept as YAML in git: validate the ledger, compute working-day deadlines, "
        "show who is late.\n\nExit codes: 0 ok; 1 overdue or a ledger rule broken; 2 invalid files or usage; 3 internal error",
    ),
    "help.root.version": ("显示版本并退出", "Show the version and exit."),
    "help.root.lang": (
        "zh | en，对所有命令有效（默认依次取 RECTIFY_LANG、rectify.yaml 的 lang:、中文区域设置，否则随台账语言）",
        "zh | en, for every command (default: RECTIFY_LANG, rectify.yaml lang:, a Chinese locale, else the ledger's language)",
    ),
    "help.opt.paths": ("计划文件或目录（默认 ./plans）", "Plan files or directories (default: ./plans)"),
    "help.opt.as_of": ("以该日期为准，YYYY-MM-DD（默认今天）", "Evaluate as of this date, YYYY-MM-DD (default: today)"),
    "help.opt.lang": (
        "zh | en（默认依次取 RECTIFY_LANG、rectify.yaml 的 lang:、中文区域设置，否则随台账语言）",
        "zh | en (default: RECTIFY_LANG, rectify.yaml lang:, a Chinese locale, else the ledger's language)",
    ),
    "help.opt.allow_shallow": (
        "浅克隆时只用本地已有的提交（会在标准错误上说明）", "In a shallow clone, use only the commits that are here (said on stderr)",
    ),
    "help.opt.at": ("按某次提交（REV）或某日（YYYY-MM-DD）的台账", "The ledger as committed at REV, or on DATE (YYYY-MM-DD)"),
    "help.opt.due_within": ("多少个工作日内到期算“临近到期”", "Working days that count as due soon"),
    "help.opt.plans": ("计划文件或目录（默认 ./plans），可重复", "Plan files or directories (default: ./plans); repeatable"),
    "help.opt.dry_run": ("只显示将要做的修改（diff），不写入", "Print the diff the edit would make; write nothing"),
    "help.opt.commit": (
        "只把改动的文件（及 --evidence 佐证材料）提交到 git，并附 Rectify-* 尾注",
        "git-commit only the touched file (and --evidence files), with Rectify-* trailers",
    ),
    "help.opt.author": (
        "与 --commit 同用：提交的作者，写成 \"姓名 <邮箱>\"（git 没有身份时也作提交者）",
        'With --commit: the author, "Name <email>" (also the committer when git has no identity)',
    ),
    "help.opt.date": ("日期，YYYY-MM-DD（默认今天）", "YYYY-MM-DD (default: today)"),
    "help.opt.item": ("任务编号，或 计划:编号", "Task id, or PLAN:ID"),
    "help.opt.title": ("标题", "Title"),
    "help.opt.target": ("写入该文件（原子写入），而不是标准输出", "Write to this file (atomically) instead of standard output"),
    "help.status": ("整改进度：各组统计与事项清单，逾期在前。", "Where do we stand, who is late: counts per group and the items, overdue first."),
    "help.status.by": ("分组：计划、类别、问题、单位（或 plan、category、issue、unit）", "Group by plan, category, issue or unit (or 计划, 类别, 问题, 单位)"),
    "help.status.include_support": ("按单位统计（--by 单位）时计入配合单位", "With --by unit: count supporting units too"),
    "help.status.unit": ("只看该单位牵头或配合的任务", "Only tasks this unit leads or supports"),
    "help.status.status_filter": (
        "只看某种状态：未启动、推进中、已完成、已销号、长期坚持、已取消、逾期、临期",
        "Only this state: todo, doing, done, closed, ongoing, cancelled, overdue, due-soon (Chinese words too)",
    ),
    "help.status.fmt": ("输出格式：table（表格）| json | csv", "table | json | csv"),
    "help.agenda": ("各单位近期应完成的事项，逾期在前。", "What each unit must deliver next, overdue first."),
    "help.agenda.days": ("向前看多少个工作日", "Working days to look ahead"),
    "help.agenda.unit": ("只看该单位", "Only this unit"),
    "help.agenda.fmt": ("输出格式：table（表格）| json | csv", "table | json | csv"),
    "help.check": (
        "校验计划文件并报告逾期事项。\n\n退出码：0 文件有效且无逾期；1 有逾期或违反台账规则；2 文件无效或用法错误。",
        "Validate plan files and report overdue items.\n\nExit 0: valid, nothing overdue; 1: valid but overdue or a rule is broken; 2: invalid files or bad usage.",
    ),
    "help.check.fmt": ("输出格式：text | json | github（Actions 注释）| junit（XML）", "text | json | github (Actions annotations) | junit (XML)"),
    "help.check.fail_on": ("什么情况下退出码为 1：overdue（逾期）| due-soon（临近到期）| never（从不）", "overdue | due-soon | never: what makes exit code 1"),
    "help.date": ("计算期限日期，并说明依据。", "Resolve a deadline rule: the ISO date, then how it was found."),
    "help.date.expr": ("日期、规则或时段，例如 收到意见后20个工作日内、10月下旬、20 working days after 2025-11-05", "A date, rule or window, e.g. '20 working days after 2025-11-05', 收到意见后20个工作日内, 10月下旬"),
    "help.date.from_": ("规则未写起算日时从该日起算；也用于推定年份", "Count from this date when EXPR names no start; also gives the year"),
    "help.date.plan": ("使用该计划的事件、节点和日历", "Use this plan's events, milestones and calendar"),
    "help.date.plans": ("到哪里找 --plan（默认 ./plans）", "Where to find --plan (default ./plans)"),
    "help.date.calendar_code": ("节假日日历代码，如 CN、HK、US-CA（默认 CN）", "Holiday calendar code, e.g. CN, HK, US-CA (default CN)"),
    "help.date.fmt": ("输出格式：text | json", "text | json"),
    "help.calendar": ("月历：标出节假日（休）、调休上班日（班）和今天。", "A month grid with holidays (休), make-up workdays (班) and today marked."),
    "help.calendar.month": ("YYYY-MM 或 YYYY（默认本月）", "YYYY-MM or YYYY (default: this month)"),
    "help.calendar.calendar_code": ("节假日日历代码（默认 CN）", "Holiday calendar code (default CN)"),
    "help.progress": ("记录任务进展：在 progress 中追加 {date, note}。", "Record progress on a task: append {date, note} to its progress."),
    "help.progress.note": ("进展情况", "What was done"),
    "help.done": (
        "标记完成：状态改为 done，填写完成日期，追加佐证材料。\n\n佐证材料路径按当前目录输入，写入时改为相对于 YAML 文件，且必须在仓库内；网址原样保留。",
        "Mark done: status done, the done date, evidence appended.\n\nEvidence paths typed from here are written relative to the YAML file and must exist inside the repository; URLs are kept as they are.",
    ),
    "help.done.item": ("任务或节点编号，或 计划:编号", "Task or milestone id, or PLAN:ID"),
    "help.done.date": ("完成日期，YYYY-MM-DD（默认今天，或已填写的完成日期）", "YYYY-MM-DD (default: today, or the existing done date)"),
    "help.done.evidence": ("佐证材料文件（相对于当前目录）或网址，可重复", "Evidence file (relative to here) or URL; repeatable"),
    "help.close": ("销号：状态改为 closed，填写销号人和销号日期。\n\n任务须已完成且佐证材料齐全，否则拒绝（退出码 1）。", "Strike a task off (销号): status closed, closed_by, closed date.\n\nRefused with exit 1 unless the task is done and all its evidence exists."),
    "help.close.by": ("核实并销号的人或单位", "Who verified and struck it off"),
    "help.schema": (
        "输出计划文件和 rectify.yaml 的 JSON Schema（draft 2020-12），供编辑器补全和校验。",
        "Print the JSON Schema (draft 2020-12) of plan files and rectify.yaml, for editors to complete and check keys.",
    ),
    "help.schema.out_path": ("写入该文件（原子写入），例如 .rectify/schema.json", "Write to this file (atomically), e.g. .rectify/schema.json"),
    "help.agenda.escalate": ("按 rectify.yaml 的升级规则列出应督办事项（蓝、黄、红、约谈）及逾期未回复的督办", "What the escalation rules call for (督办) and what is unanswered"),
    "help.agenda.output": ("与 --format md|docx 同用：写入该文件（原子写入；docx 必须指定）", "With --format md|docx: write here, atomically (docx needs it)"),
    "help.agenda.issuer": ("督办单的落款单位", "Who signs the 督办单"),
    "help.submit": (
        "申请销号：状态改为 submitted（申请销号），须附佐证材料，在 reviews 中记录 {date, by, result: submit}。\n\n任务已销号、已取消、已申请销号或没有佐证材料时拒绝（退出码 1）。",
        "Apply for 销号 (申请销号): status submitted, evidence required, {date, by, result: submit} appended to `reviews`.\n\nRefused with exit 1 when the task is closed, cancelled or already submitted, or has no evidence.",
    ),
    "help.submit.evidence": ("佐证材料文件（相对当前目录）或网址；可重复", "Evidence file (relative to here) or URL; repeatable"),
    "help.submit.note": ("情况说明，记为一条进展", "What was done, recorded as a progress note"),
    "help.submit.by": ("申请单位（默认牵头单位）", "Who applies (default: the lead unit)"),
    "help.review": (
        "销号审核：在 reviews 中记录 {date, by, result, reason}。\n\n退回时任务回到 doing（推进中）。任务不是申请销号状态时拒绝（退出码 1）。",
        "Review a 销号 application: {date, by, result, reason} appended to `reviews`.\n\nA rejection sends the task back to doing. Refused with exit 1 unless the task is submitted.",
    ),
    "help.review.approve": ("审核同意", "Approve the 销号 application"),
    "help.review.reject": ("退回，任务回到推进中", "Send it back to doing"),
    "help.review.by": ("审核单位（与 closing.requires 中的写法一致）", "The reviewing role, as closing.requires names it"),
    "help.review.reason": ("审核意见（退回时必填）", "Why (required with --reject)"),
    "help.duban": (
        "下发督办单：在 duban 中记录 {date, level, by, note, reply_by}。",
        "Issue a 督办单: {date, level, by, note, reply_by} appended to `duban`.",
    ),
    "help.duban.level": ("督办等级：蓝、黄、红、约谈", "蓝 | 黄 | 红 | 约谈"),
    "help.duban.by": ("督办单位", "Who issues it"),
    "help.duban.reply_by": (
        "回复时限：日期或规则（如“下发之日起3个工作日内”）；默认取 escalation.reply_within",
        "When the answer is due: a date or a rule (\"3 working days after issued\"); default: escalation.reply_within",
    ),
    "help.duban.note": ("督办事项", "What is asked"),
    "help.reply": (
        "记录单位对最近一份未回复督办单的回复（reply、replied）。\n\n没有待回复的督办时拒绝（退出码 1）。",
        "Record the unit's reply to its latest unanswered 督办 (reply, replied).\n\nRefused with exit 1 when no 督办 is waiting for a reply.",
    ),
    "help.reply.answer": ("回复内容", "The unit's answer"),
    "help.lookback": (
        "对已销号任务回头看：在 lookbacks 中记录 {date, result, by, note}；结果为反弹时重新打开任务。\n\n任务未销号时拒绝（退出码 1）。",
        "回头看 a closed task: {date, result, by, note} appended to `lookbacks`; 反弹 reopens it.\n\nRefused with exit 1 unless the task is closed.",
    ),
    "help.lookback.result": ("巩固（整改成果保持）或 反弹（重新打开任务）", "巩固 (held) | 反弹 (rebounded: reopens the task)"),
    "help.lookback.by": ("回头看单位", "Who looked back"),
    "help.lookback.note": ("发现的情况", "What was found"),
    "help.report.since": ("加上自某日（YYYY-MM-DD）或某次提交（REV）以来的本期变化（取自 git 历史）", "Add what changed since DATE (YYYY-MM-DD) or REV, from git history"),
    "help.check.strict_sources": ("有来源（rectify.yaml 的 sources）未能读入时退出码为 2", "Exit 2 when a source of rectify.yaml could not be read"),
    "help.fetch": (
        "拉取 rectify.yaml 列出的各来源仓库（各单位的台账）并固定到拉取的提交；之后各读取命令一并读入。\n\n退出码：0 全部拉取成功；1 有来源无法拉取（其余已拉取）；2 rectify.yaml 无效、未列出来源或没有该来源。",
        "Fetch each source of rectify.yaml (the units' repositories) and pin the commit fetched; read commands then read them beside the local plans.\n\nExit 0: every source fetched; 1: some could not be (the others were); 2: rectify.yaml is invalid, lists no sources, or no such source.",
    ),
    "help.fetch.source": ("只拉取该来源（可重复）", "Only this source (repeatable)"),
    "help.notify": (
        "向各单位发送当日提醒（逾期、临期、未回复督办、应回头看、未按时报送）：电子邮件或工作群机器人。\n\n退出码：0 全部送达（或无需发送、--dry-run）；1 有单位未送达（其余照常发送）；2 设置或用法错误。",
        "Send each unit its reminders for the day (overdue, due soon, unanswered 督办, look-backs due, missing progress) by e-mail or a work-chat robot.\n\nExit 0: all delivered (or nothing to send, or --dry-run); 1: some unit's delivery failed (the others still went out); 2: bad settings or usage.",
    ),
    "help.notify.days": ("临期：多少个工作日内到期", "Working days that count as due soon"),
    "help.notify.dry_run": ("只显示每条提醒，不发送", "Print each reminder; send nothing"),
    "help.notify.force": ("今天已发送过的也再发一次", "Send again what was already sent today"),
    "help.notify.unit": ("只提醒该单位", "Only this unit"),
    "help.reopen": ("重新打开已完成的任务：状态改为 doing，在 reopened 中记录 {date, reason, by}。\n\n任务未完成、未销号或未取消时拒绝（退出码 1）。", "Reopen a finished task: status doing, {date, reason, by} appended to reopened.\n\nRefused with exit 1 when the task is not done, closed or cancelled."),
    "help.reopen.reason": ("重新打开的原因（例如 回头看发现反弹）", "Why it is reopened (e.g. rebound at 回头看)"),
    "help.reopen.by": ("谁重新打开", "Who reopened it"),
    "help.extend": ("批准延期：在 extensions 中追加 {to, approved_by, date, reason}。", "Grant an extension (延期): append {to, approved_by, date, reason} to extensions."),
    "help.extend.to": ("新的期限：日期或规则", "New deadline: a date or a rule"),
    "help.extend.approved_by": ("批准延期的人或会议", "Who approved the extension"),
    "help.extend.reason": ("延期理由", "Why"),
    "help.extend.date": ("批准日期，YYYY-MM-DD（默认今天）", "Approval date, YYYY-MM-DD (default: today)"),
    "help.set": ("设置一个字段，按文件格式校验。\n\n结果无效时（如未知状态、不存在的问题）不写入，退出码 2。", "Set one field, validated like the file.\n\nExit 2 (nothing written) when the result would be invalid, e.g. an unknown status or an issue that does not exist."),
    "help.set.item": ("任务、问题或节点编号，或 计划:编号", "Task, issue or milestone id, or PLAN:ID"),
    "help.set.field": ("字段：title、lead、owner、due、status、support、category 等", "title, lead, owner, due, status, support, category, ..."),
    "help.set.reason": ("已完成的任务状态退回时的原因（此时必填，记入 reopened）", "Why a finished task's status goes back (required then; recorded in reopened)"),
    "help.set.by": ("谁退回的（与 --reason 同用）", "Who reopened it (with --reason)"),
    "help.set.values": ("值；列表字段（support、evidence）可给多个", "The value; several for list fields (support, evidence)"),
    "help.history": ("事项在 git 历史中的修改记录，从早到晚。\n\n事项在文件间移动时继续跟踪（事项以 计划编号+事项编号 识别）。", "An item's timeline across git history, oldest first.\n\nFollows the item when it moves between files (items are plan id + item id)."),
    "help.history.item_id": ("事项编号，或 计划/编号", "Item id, or PLAN/ID"),
    "help.history.fmt": ("输出格式：text | json", "text | json"),
    "help.audit": ("台账修改留痕审计。\n\n退出码：0 无发现；1 有发现；2 不是 git 仓库或范围无效。", "Integrity findings in the ledger's history.\n\nExit 0: clean; 1: findings; 2: not a git repository or a bad range."),
    "help.audit.rev_range": ("A..B、A.. 或 REV（默认 HEAD 的全部历史）", "A..B, A.. or REV (default: all of HEAD)"),
    "help.audit.paths": (
        "计划文件或目录（可重复；默认 ./plans），与编辑命令的 --plans 相同；--path 是旧写法",
        "Plan files or directories (repeatable; default ./plans), as --plans of the edit verbs; --path is the older spelling",
    ),
    "help.audit.fmt": ("输出格式：text | json | github", "text | json | github"),
    "help.diff": ("两个版本之间台账的变化：新增、删除和修改的事项。\n\n只给一个 REV 时与工作区（含未提交的修改）比较。", "Items added, removed, and changed between two revisions.\n\nWith one REV, compares it with the work tree (uncommitted edits included)."),
    "help.diff.revs": ("从 REV 到第二个 REV（默认工作区）", "From REV to the second REV (default: the work tree)"),
    "help.diff.paths": (
        "计划文件或目录（可重复；默认 ./plans），与编辑命令的 --plans 相同；--path 是旧写法",
        "Plan files or directories (repeatable; default ./plans), as --plans of the edit verbs; --path is the older spelling",
    ),
    "help.diff.fmt": ("输出格式：text | json", "text | json"),
    "help.burndown": ("整改进度燃尽图：按历史统计未完成与已完成的任务。", "Open versus finished tasks over time, from history."),
    "help.burndown.plan": ("只统计该计划的任务", "Only this plan's tasks"),
    "help.burndown.since": ("从该日期开始显示，YYYY-MM-DD", "First date shown, YYYY-MM-DD"),
    "help.burndown.weekly": ("每周一个点（默认每天）", "One point per week instead of per day"),
    "help.burndown.svg": ("同时把图表写成 SVG 文件", "Also write the chart as an SVG file"),
    "help.report": ("生成某个计划的整改进展情况通报：Markdown、HTML 或 Word。", "Progress report (整改进展情况通报) of one plan as Markdown, HTML or Word."),
    "help.report.plan": ("计划编号", "Plan id"),
    "help.report.fmt": ("格式：md | html | docx", "md | html | docx"),
    "help.report.lists": ("附上问题清单、任务清单和责任清单", "Append the issue, task and responsibility lists"),
    "help.export": ("导出整改台账：CSV、Excel 或 JSON；期限导出为日历（.ics）。", "The ledger (整改台账) as CSV, Excel or JSON; deadlines as a calendar (.ics)."),
    "help.export.fmt": ("格式：csv | xlsx | json | ics", "csv | xlsx | json | ics"),
    "help.export.plan": ("只导出该计划", "Only this plan"),
    "help.import": (
        "从 Excel 或 CSV 台账生成 issues.yaml 和 tasks.yaml，或（--update）把单位报回的台账回填到已有计划文件。\n\n"
        "退出码：0 全部导入（回填）；1 有行只列在导入报告中（被拒绝）；2 用法错误、无法读取，或（不带 --update 时）会覆盖已有文件。",
        "Turn an Excel/CSV ledger into issues.yaml and tasks.yaml, or (--update) apply a unit's returned ledger to them.\n\n"
        "Exit 0 when every row was imported (applied), 1 when some rows are only in the import report (refused), "
        "2 on bad usage, unusable input, or when a file would be overwritten (without --update).",
    ),
    "help.import.update": ("把单位报回的台账回填到已有计划文件", "Apply a unit's returned ledger to the existing plan files"),
    "help.import.plans": ("与 --update 同用：计划文件或目录（默认 ./plans），可重复", "With --update: plan files or directories (default: ./plans); repeatable"),
    "help.import.commit": ("与 --update 同用：以报送单位的名义把改动提交到 git", "With --update: git-commit the edited files as the sending unit"),
    "help.import.author": ("与 --commit 同用：报送单位，写成 \"名称\" 或 \"名称 <邮箱>\"", "With --commit: the sending unit, 'Name' or 'Name <email>'"),
    "help.import.source": ("台账文件：LEDGER.xlsx 或 LEDGER.csv", "LEDGER.xlsx or LEDGER.csv"),
    "help.import.plan": ("台账所属计划的编号", "Id of the plan the ledger belongs to"),
    "help.import.out_dir": ("计划文件的输出目录（默认 plans/<编号>）", "Directory for the plan files (default: plans/<ID>)"),
    "help.import.dry_run": ("只显示导入报告（--update 时显示 diff），不写入", "Show the report (with --update: the diff), write nothing"),
    "help.new": ("新建计划、问题或任务，自动取下一个编号。", "Scaffold a plan, issue or task with the next free id."),
    "help.new.plan": ("新建计划目录：plan.yaml，以及空的 issues.yaml 和 tasks.yaml。", "A plan directory: plan.yaml, and empty issues.yaml and tasks.yaml."),
    "help.new.plan.plan_id": ("计划编号，在仓库内唯一", "Plan id, unique in the repository"),
    "help.new.plan.owner": ("负责单位", "Owning unit"),
    "help.new.plan.directory": ("目录（默认 plans/<编号>）", "Directory (default: plans/<id>)"),
    "help.new.issue": ("在计划的问题文件中追加一个问题，编号 I-NN。", "An issue appended to the plan's issues file, with the next id I-NN."),
    "help.new.issue.plan": ("计划编号", "Plan id"),
    "help.new.issue.category": ("问题类别（如 政策环境）", "Category (e.g. 政策环境)"),
    "help.new.issue.finding": ("具体表现：问题的表现形式", "具体表现: how the problem shows"),
    "help.new.issue.target": ("整改目标", "整改目标: what rectifying it must achieve"),
    "help.new.issue.parent": ("上级问题编号（同一计划内：方面 → 问题 → 具体表现）", "A higher-level issue of the same plan (方面 → 问题 → 具体表现)"),
    "help.new.task": ("在计划的任务文件中追加一项任务，编号 T-<问题号>-<序号>。", "A task appended to the plan's tasks file, with the next id T-<issue number>-<n>."),
    "help.new.task.issue": ("问题编号，或 计划:编号", "Issue id, or PLAN:ID"),
    "help.new.task.lead": ("牵头单位；联合牵头：--lead 甲 --lead 乙，或 甲、乙", "Lead unit; joint leads: --lead A --lead B, or A、B"),
    "help.new.task.due": ("完成时限：日期、规则或 长期坚持", "A date, a rule, or ongoing"),
    "help.new.task.support": ("配合单位：--support 甲 乙、重复 --support，或 甲、乙", "Supporting units: --support A B, --support A --support B, or A、B"),
    "help.new.task.owner": ("责任领导或责任人", "Responsible person"),
    "help.exit.edit": (
        "退出码：0 已写入（或无需修改，或 --dry-run）；1 违反台账规则被拒绝（如销号未完成或缺少佐证材料的任务），未写入；"
        "2 用法错误、编号不存在、修改会使文件无效、另一个编辑持有仓库锁，或 --commit 无法提交（git 没有身份、index.lock 被占用），未写入；"
        "写入后 git 失败也是 2，提示会说明并给出要运行的命令。",
        "Exit 0: written (or nothing to change, or --dry-run); 1: refused by a ledger rule (e.g. closing a task that is not done or lacks existing evidence), nothing written; "
        "2: bad usage, unknown id, the edit would make the files invalid, another edit holds the repository's lock, or --commit cannot commit (no git identity, git's index.lock), nothing written; "
        "also 2 when git fails after the file was written: the message says so and what to run.",
    ),
    "help.usage": ("用法：", "Usage: "),
    "help.h.options": ("选项", "Options"),
    "help.h.commands": ("命令", "Commands"),
    "help.h.arguments": ("参数", "Arguments"),
    "help.required": ("必填", "required"),
    "help.default": ("默认：", "default: "),
    "help.help": ("显示本帮助并退出。", "Show this message and exit."),
    # --- load: reading files --------------------------------------------
    "load.not_utf8": (
        "文件不是 UTF-8 编码（第 {offset} 字节起无法解码{guess}）；请另存为 UTF-8，例如：iconv -f {encoding} -t UTF-8 原文件 > 新文件",
        "file is not UTF-8 (cannot decode from byte {offset}{guess}); save it as UTF-8, e.g. iconv -f {encoding} -t UTF-8 old > new",
    ),
    "load.guess_encoding": ("，看起来是 {encoding}", ", it looks like {encoding}"),
    "load.utf16": (
        "文件是 UTF-16 编码；请另存为 UTF-8，例如：iconv -f UTF-16 -t UTF-8 原文件 > 新文件",
        "file is UTF-16; save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 old > new",
    ),
    "load.binary": (
        "不是文本文件（含有 NUL 字节）；计划目录中只应有 YAML 文本",
        "not a text file (contains NUL bytes); the plans directory should hold only YAML text",
    ),
    "load.too_large": (
        "文件过大（{size} 字节，上限 {limit} 字节）；请拆分为多个文件",
        "file too large ({size} bytes, limit {limit}); split it into several files",
    ),
    "load.unreadable": ("无法读取文件：{reason}", "cannot read file: {reason}"),
    "load.empty": (
        "文件为空；请写入 kind: plan、issues 或 tasks，或删除该文件",
        "file is empty; give it kind: plan, issues or tasks, or delete it",
    ),
    "load.syntax": ("YAML 语法错误：{problem}{hint}", "YAML syntax error: {problem}{hint}"),
    # libyaml's own words, explained; the original stays in brackets for searching
    "yaml.mapping_values": ("此处不能出现“键: 值”（常见原因：冒号后的值里又有“: ”，或缩进不对）", "{detail}"),
    "yaml.expected_colon": ("找不到应有的冒号“:”（键后要写“: ”，或这一行缩进不对）", "{detail}"),
    "yaml.expected_key": ("缩进不一致，找不到应有的键（同一层的键要对齐）", "{detail}"),
    "yaml.expected_dash": ("列表中缺少“- ”开头的条目（同一列表的条目要对齐）", "{detail}"),
    "yaml.bad_token": ("出现了不能作为开头的字符（如 Tab、@ 或 `；请加引号）", "{detail}"),
    "yaml.unclosed_quote": ("引号没有闭合：字符串以引号开始却没有结束", "{detail}"),
    "yaml.unclosed_flow": ("方括号 [ ] 或花括号 {{ }} 没有闭合，或条目间缺少逗号", "{detail}"),
    "yaml.undefined_alias": ("引用了未定义的锚点（*名称 之前须有 &名称）", "{detail}"),
    "yaml.bad_escape": ("双引号字符串中有无法识别的转义（反斜杠）；请改用单引号或写成 \\\\", "{detail}"),
    "yaml.block_entries": ("此处不能开始“- ”列表（常见原因：列表与上一行的键写在同一行，或缩进不对）", "{detail}"),
    "yaml.tab": ("缩进中含有 Tab 字符", "{detail}"),
    "yaml.end_of_stream": ("文件意外结束（常见原因：引号或括号没有闭合）", "{detail}"),
    "yaml.expected_node": ("缺少应有的内容（如冒号或“- ”之后没有值却接着出现了别的结构）", "{detail}"),
    "yaml.other": ("无法解析", "{detail}"),
    "yaml.explained": ("{explanation}（{detail}）", "{detail}"),
    "load.syntax_hint": (
        "（请检查该处及上一行的缩进、冒号和引号）",
        " (check the indentation, colons and quotes here and on the line before)",
    ),
    "load.syntax_tab_hint": (
        "（YAML 缩进不能用 Tab，请改用空格）",
        " (YAML indentation cannot use tabs; use spaces)",
    ),
    "load.multiple_documents": (
        "一个文件只能有一个 YAML 文档；请把 --- 之后的内容移到新文件",
        "a file holds one YAML document; move what follows --- into a file of its own",
    ),
    "load.tag": (
        "不接受标签 {tag}（文件中的内容不会被执行或构造）；请删除该标签，写成普通值",
        "tag {tag} is not accepted (nothing in a file is constructed or executed); remove it and write a plain value",
    ),
    "load.alias_bomb": (
        "别名展开过多（超过 {limit} 个节点），疑似“billion laughs”攻击；请去掉嵌套的别名",
        "aliases expand to too many nodes (over {limit}), as in a 'billion laughs' attack; remove nested aliases",
    ),
    "load.too_deep": (
        "嵌套过深（超过 {limit} 层）；请简化文件结构",
        "nesting too deep (over {limit} levels); flatten the structure",
    ),
    "load.duplicate_key": (
        "键 {key} 重复，前一次在第 {line} 行；YAML 只会保留最后一个，请删除或合并其中之一",
        "duplicate key {key}, first at line {line}; YAML keeps only the last one, remove or merge one of them",
    ),
    "load.top_not_mapping": (
        "文件顶层应为映射（key: value），实际为{found}；请以 kind: plan、issues 或 tasks 开头",
        "the top level must be a mapping (key: value), found {found}; start with kind: plan, issues or tasks",
    ),
    "load.missing_kind": (
        "缺少 kind；请写 kind: plan、kind: issues 或 kind: tasks",
        "missing kind; write kind: plan, kind: issues or kind: tasks",
    ),
    "load.unknown_kind": (
        "未知的 kind：{value!r}{hint}；可用：plan、issues、tasks",
        "unknown kind {value!r}{hint}; use plan, issues or tasks",
    ),
    # --- validate: file format ------------------------------------------
    "val.unknown_key": ("未知字段 {key}{hint}", "unknown key {key}{hint}"),
    "val.did_you_mean": ("；是否想写 {suggestion}？", "; did you mean {suggestion}?"),
    "val.allowed_keys": ("；可用字段：{keys}", "; allowed keys: {keys}"),
    "val.missing_key": ("缺少必填字段 {key}", "missing required key {key}"),
    "val.wrong_type": (
        "{key}：应为{expected}，实际为{found}",
        "{key}: expected {expected}, found {found}",
    ),
    "val.empty_value": ("{key} 不能为空", "{key} must not be empty"),
    "val.bad_date": (
        "{key}：{value} 不是有效日期；请写成 YYYY-MM-DD",
        "{key}: {value} is not a date; write it as YYYY-MM-DD",
    ),
    "val.bad_status": (
        "status：未知状态 {value!r}{hint}；可用：{allowed}",
        "status: unknown status {value!r}{hint}; use one of {allowed}",
    ),
    "val.bad_lang": ("lang：{value!r} 不是可用的语言；请写 zh（中文）或 en（英文）", "lang: {value!r} is not a language; write zh or en"),
    "val.allowed_statuses": (
        "未启动（todo）、推进中（doing）、已完成（done）、申请销号（submitted）、已销号（closed）、长期坚持（ongoing）、已取消（cancelled）",
        "todo, doing, done, submitted, closed, ongoing, cancelled",
    ),
    "val.long_term_no_progress": (
        "{id} 为长期整改事项，不会逾期，但还没有任何进展记录；请用 rectify progress 定期报送",
        "{id} is long-term (长期): never overdue, but it has no progress note yet; report with rectify progress",
    ),
    # site: the static dashboard
    "site.name": ("整改台账", "Rectification ledger"),
    "site.title": ("整改工作总览", "Overview"),
    "site.overview": ("总览", "Overview"),
    "site.items": ("全部事项", "All items"),
    "site.all_items": ("查看全部 {n} 项事项（可按单位、状态、关键词筛选）", "All {n} items (filter by unit, status, text)"),
    "site.finished": ("已完成", "Finished"),
    "site.due_soon": ("{days}个工作日内到期", "Due within {days} working days"),
    "site.completion": ("完成率", "Completion"),
    "site.by_plan": ("各计划", "By plan"),
    "site.by_unit": ("各单位", "By unit"),
    "site.milestone": ("【节点】", "[milestone] "),
    "site.days_overdue": ("逾期天数", "Days overdue"),
    "site.any": ("全部", "Any"),
    "site.search": ("关键词", "Text"),
    "site.shown": ("显示：", "Shown: "),
    "site.agenda": ("待办：已逾期和{days}个工作日内到期", "To do: overdue and due within {days} working days"),
    "site.when": ("时限情况", "Time left"),
    "site.nothing_due": ("没有逾期或临期事项", "Nothing overdue or due soon"),
    "site.no_duban": ("没有督办事项", "No 督办 issued"),
    "site.unit_items": ("全部事项（{n} 项）", "All items ({n})"),
    "site.unit_people": ("分管领导：{leader}；联络员：{contact}", "Leader in charge: {leader}; contact: {contact}"),
    "site.written": ("已生成 {n} 个页面：{path}", "wrote {n} pages to {path}"),
    "site.not_empty": ("{path} 已有非本工具生成的文件；请指定空目录或本工具生成过的目录", "{path} holds files rectify did not write; give an empty folder or one written by rectify site"),
    "help.site": (
        "生成供领导查看的静态网站：总览、各计划通报、各单位待办和督办、可筛选排序的全部事项表；不需服务器，手机可读，可打印。\n\n退出码：0 已生成；2 文件无效、用法错误或无法写入。",
        "Write a static site for leaders: the overview, each plan's report, each unit's agenda and 督办, and a table of every item that filters and sorts; no server, readable on a phone, printable.\n\nExit 0: written; 2: invalid files, bad usage, or the folder could not be written.",
    ),
    "help.site.out": ("输出目录（默认 public）", "Output folder (default public)"),
    "notify.subject": ("【整改提醒】{unit}：{n} 项待办（截至 {date}）", "[rectify] {unit}: {n} item(s) to act on (as of {date})"),
    "notify.greeting": ("{unit}：截至 {date}，以下事项请抓紧办理：", "{unit}: as of {date}, these items need you:"),
    "notify.line.overdue": ("- {id}「{title}」已逾期 {days} 天（期限 {due}）", "- {id} \"{title}\" is {days} day(s) overdue (due {due})"),
    "notify.line.due_soon": ("- {id}「{title}」将于 {due} 到期（剩 {left} 个工作日）", "- {id} \"{title}\" is due {due} ({left} working day(s) left)"),
    "notify.line.duban": ("- {id}「{title}」的{level}色督办已过回复时限，尚未回复", "- {id} \"{title}\": the {level} 督办 is past its reply date, unanswered"),
    "notify.line.lookback": ("- {id}「{title}」应于 {date} 回头看", "- {id} \"{title}\": its look-back (回头看) was due {date}"),
    "notify.line.progress": ("- {id}「{title}」应于 {date} 报送进展，尚未报送", "- {id} \"{title}\": a progress note was due {date}"),
    "notify.no_smtp": ("未设置邮件服务器：请设置环境变量 RECTIFY_SMTP_HOST 和 RECTIFY_SMTP_FROM", "no mail server: set RECTIFY_SMTP_HOST and RECTIFY_SMTP_FROM"),
    "notify.no_webhook": ("机器人地址未设置：单位的 webhook 应为一个环境变量名，且该变量须是 https:// 地址", "no robot URL: the unit's webhook names an environment variable, which must hold an https:// URL"),
    "notify.sent": ("{unit}（{channel}）：已发送", "{unit} ({channel}): sent"),
    "notify.skipped": ("{unit}（{channel}）：今天已发送过，未重复发送（--force 可再发）", "{unit} ({channel}): already sent today (--force sends again)"),
    "notify.failed": ("{unit}（{channel}）：发送失败：{reason}", "{unit} ({channel}): not delivered: {reason}"),
    "notify.nothing": ("没有需要提醒的单位", "no unit has anything to be reminded of"),
    "notify.no_channel": ("{unit}：单位名录中没有 email 或 webhook，未发送", "{unit}: no email or webhook in the unit registry, nothing sent"),
    "notify.no_registry": ("rectify.yaml 没有单位名录（units:），不知道发给谁", "rectify.yaml has no unit registry (units:): nobody to send to"),
    # sources: other repositories read beside the local plans
    "source.duplicate": ("来源“{name}”重复，首次出现在 {first}；每个来源名只写一次", "source {name!r} is listed twice (first at {first}); name each source once"),
    "source.bad_name": ("来源名 {name!r} 只能是不含空格、“/”“\\”“:”“@”且不以“.”开头的一个词，如 rsj", "source name {name!r} must be one word without spaces, '/', '\\', ':' or '@', not starting with '.', e.g. rsj"),
    "source.bad_url": ("来源“{name}”的地址 {url!r} 不能以“-”开头；写仓库地址或路径", "source {name!r}: URL {url!r} must not start with '-'; give a repository URL or path"),
    "source.bad_path": ("来源“{name}”的 path {path!r} 不能指向仓库之外；写仓库内的目录，如 plans", "source {name!r}: path {path!r} leads out of its repository; give a folder inside it, e.g. plans"),
    "source.not_fetched": ("来源“{name}”尚未拉取，未读入；运行 rectify fetch", "source {name!r} has not been fetched and was not read; run rectify fetch"),
    "source.unreadable": ("来源“{name}”的缓存无法读取（{reason}），未读入；运行 rectify fetch", "source {name!r}: its fetched copy cannot be read ({reason}) and was not read; run rectify fetch"),
    "source.invalid": ("来源 {name} 的计划文件有 {n} 处错误，未读入（第一处：{where}: {first}）；请该单位运行 rectify check 修正", "source {name}: its plan files have {n} error(s) and were not read (first: {where}: {first}); the unit should run rectify check"),
    "source.unreachable": ("来源“{name}”无法拉取：{reason}", "source {name!r} could not be fetched: {reason}"),
    "source.no_ref": ("来源“{name}”没有分支或标签 {reason}；检查 rectify.yaml 中的 ref", "source {name!r} has no branch or tag {reason}; check its ref in rectify.yaml"),
    "source.cache_unusable": ("缓存目录 {reason} 不可用（须为当前用户独有）；用 RECTIFY_CACHE_DIR 另选目录", "the cache directory {reason} is not usable (it must be this user's alone); choose another with RECTIFY_CACHE_DIR"),
    "source.fetched": ("{name}：{short}（{state}）", "{name}: {short} ({state})"),
    "source.state_new": ("首次拉取", "first fetch"),
    "source.state_same": ("无更新", "up to date"),
    "source.state_moved": ("自 {before} 更新", "updated from {before}"),
    "source.none": ("rectify.yaml 没有列出来源（sources:），无需拉取", "rectify.yaml lists no sources: nothing to fetch"),
    "source.reading": ("读入来源 {label}（{url}）", "reading source {label} ({url})"),
    "source.strict": ("有 {n} 个来源未能读入（--strict-sources）", "{n} source(s) could not be read (--strict-sources)"),
    "source.not_listed": ("rectify.yaml 没有来源 {name}；已列出：{names}", "rectify.yaml lists no source {name}; it lists: {names}"),
    "val.bad_choice": (
        "{key}：无法识别的值 {value!r}；可用：{allowed}",
        "{key}: {value!r} is not allowed; use one of {allowed}",
    ),
    "val.bad_count": (
        "{key}：{value!r} 不是非负整数",
        "{key}: {value!r} is not a whole number (0 or more)",
    ),
    "val.bad_id": (
        "id {value!r} 不合法；只能用字母、数字、汉字和 - _ .，且不能含空格",
        "id {value!r} is not valid; use letters, digits, CJK and - _ . without spaces",
    ),
    "val.duplicate_id": (
        "{what} {id} 重复，另一处在 {other}；请改用不同的编号",
        "duplicate {what} id {id}, also at {other}; give one of them another id",
    ),
    "val.confusable_id": (
        "{what} {id} 与 {other} 处的 {same} 看起来相同（只差全角/半角、兼容字符或重音写法）；请改用不同的编号",
        "{what} id {id} looks the same as {same} at {other} (they differ only in full-/half-width, compatibility "
        "forms or how an accent is written); give one of them another id",
    ),
    "val.id_invisible": (
        "编号 {id} 含有不可见字符 {char}（{name}）；请删去该字符，重新输入编号",
        "id {id} contains an invisible character {char} ({name}); retype the id without it",
    ),
    "val.id_stray_mark": (
        "编号 {id} 中 {base!r} 上带有组合符号 {char}（{name}）；组合符号只能加在字母上，请重新输入编号",
        "id {id} has a combining mark {char} ({name}) on {base!r}; marks belong on letters only; retype the id",
    ),
    "val.each_not_series": (
        "{id}：each 写的“{event}”不是本计划的周期事件{hint}（本计划的周期事件：{series}）；在 events 中给它写 every 或 dates",
        "{id}: each names {event!r}, which is not a series event of this plan{hint} (its series: {series}); give that event every: or dates:",
    ),
    "val.runs_without_each": ("{id}：有 runs 却没有 each；runs 只记周期事项每一次的情况", "{id}: runs without each; runs record each occurrence of a recurring item"),
    "val.run_duplicate": ("{id}：{on} 这一次记了两遍；每次只写一条", "{id}: the occurrence {on} is recorded twice; keep one entry"),
    "val.run_not_occurrence": (
        "{id}：{on} 不是“{event}”的一次（看 events 中它的 dates 或 every）；on 写该事件的某次日期",
        "{id}: {on} is not an occurrence of {event!r} (see its dates or every in events); give one of its dates as on",
    ),
    "val.unknown_unit": (
        "单位“{name}”不在 rectify.yaml 的单位名册（units）中{hint}；请写登记的名称或简称，或在 units 中登记该单位",
        "unit {name!r} is not in the unit registry (units: in rectify.yaml){hint}; use a registered name or alias, or register the unit",
    ),
    "val.unknown_plan": (
        "plan：找不到计划 {id}{hint}；请先创建 kind: plan 文件，或改正编号",
        "plan: no plan with id {id}{hint}; create a kind: plan file or correct the id",
    ),
    "val.unknown_task": (
        "tasks：计划 {plan} 没有任务 {id}{hint}；写该计划任务清单中的编号",
        "tasks: plan {plan} has no task {id}{hint}; give ids from its task list",
    ),
    "val.unknown_issue": (
        "issue：计划 {plan} 中找不到问题 {id}{hint}",
        "issue: plan {plan} has no issue {id}{hint}",
    ),
    "val.unknown_parent": (
        "parent：计划 {plan} 中找不到上级问题 {id}{hint}；parent 须是同一计划中另一问题的编号",
        "parent: plan {plan} has no issue {id}{hint}; parent names another issue of the same plan",
    ),
    "val.parent_cycle": (
        "parent 构成循环：{cycle}；请让最上级的问题不写 parent",
        "parent links form a cycle: {cycle}; leave parent out of the top-level issue",
    ),
    "val.extension_incomplete": (
        "延期缺少 {key}；每次延期须写明 approved_by（批准人）和 reason（理由）",
        "extension lacks {key}; every extension needs approved_by and reason",
    ),
    "val.closed_needs": (
        "{id} 已销号，但缺少 {key}；销号须有佐证材料（evidence）和销号人（closed_by）",
        "{id} is closed but has no {key}; closing needs evidence and closed_by",
    ),
    "val.evidence_required": (
        "{id} 状态为 {status}，但没有佐证材料（evidence）；计划 {plan} 要求完成即附佐证材料（require_evidence: done）",
        "{id} has status {status} but no evidence; plan {plan} requires evidence once work is done (require_evidence: done)",
    ),
    "val.bad_require_evidence": (
        "require_evidence：无法识别的值 {value!r}；可用：done（完成即须佐证材料）或 closed（销号时才须，默认）",
        "require_evidence: {value!r} is not a choice; use done (evidence once done) or closed (only at closing, the default)",
    ),
    "val.evidence_missing": (
        "佐证材料 {path} 不存在；请提交该文件或改正路径",
        "evidence {path} does not exist; add the file or correct the path",
    ),
    "val.evidence_outside": (
        "佐证材料 {path} 位于仓库之外；佐证材料须在仓库内（不能用 ../、绝对路径或指向外部的链接）",
        "evidence {path} is outside the repository; keep evidence inside it (no ../, absolute paths or links out)",
    ),
    "val.done_without_date": (
        "{id} 状态为 {status}，但未填写完成日期 done",
        "{id} has status {status} but no done date",
    ),
    "val.what.plan": ("计划编号", "plan"),
    "val.what.item": ("编号", "item"),
    "val.what.phase": ("阶段编号", "phase"),
    "val.what.suggestion": ("建议编号", "suggestion"),
    "val.what.outcome": ("成果编号", "outcome"),
    "val.type.mapping": ("映射", "a mapping"),
    "val.type.list": ("列表", "a list"),
    "val.type.string": ("文本", "text"),
    "val.type.date": ("日期", "a date"),
    "val.type.int": ("整数", "an integer"),
    "val.type.float": ("小数", "a number"),
    "val.type.bool": ("布尔值", "true/false"),
    "val.type.null": ("空值", "null"),
    "val.type.string_or_list": ("文本或文本列表", "text or a list of text"),
    "val.type.calendar": ("日历代码或映射", "a calendar code or mapping"),
    # --- schema ------------------------------------------------------------
    "schema.title": ("rectify 计划文件格式 v1", "rectify plan files, format v1"),
    # --- schema: field labels (field.<name>, see schema.Field.label) ---------
    "field.kind": ("文件类型", "Kind of file"),
    "field.id": ("编号", "ID"),
    "field.title": ("标题", "Title"),
    "field.owner": ("责任人或单位", "Owner"),
    "field.calendar": ("节假日日历", "Holiday calendar"),
    "field.events": ("事件日期", "Events"),
    "field.milestones": ("时间节点", "Milestones"),
    "field.phases": ("工作阶段", "Phases"),
    "field.responsibility": ("履行整改主体责任情况", "Responsibility"),
    "field.next_steps": ("下一步工作", "Next steps"),
    "field.issuer": ("发文单位", "Issuer"),
    "field.description": ("说明", "Description"),
    "field.closing": ("销号审核", "Closing approvals"),
    "field.requires": ("须审核同意的角色", "Roles that must approve"),
    "field.review_after": ("回头看时间", "Look back after"),
    "field.progress_every": ("进展报送周期", "Progress reporting cadence"),
    "field.reviews": ("销号审核记录", "Reviews"),
    "field.duban": ("督办记录", "Duban (supervision notices)"),
    "field.lookbacks": ("回头看记录", "Look-backs"),
    "field.result": ("结果", "Result"),
    "field.level": ("督办等级", "Level"),
    "field.reply_by": ("回复时限", "Reply by"),
    "field.reply": ("回复", "Reply"),
    "field.replied": ("回复日期", "Replied on"),
    "field.escalation": ("督办升级规则", "Escalation rules"),
    "field.blue_within": ("临期蓝色督办（工作日）", "Blue notice within (working days)"),
    "field.interview_after": ("逾期约谈（工作日）", "Interview after (working days overdue)"),
    "field.reply_within": ("督办回复时限", "Reply within"),
    "field.email": ("电子邮箱（接收提醒）", "E-mail (for reminders)"),
    "field.webhook": ("机器人地址所在的环境变量名", "Environment variable holding the robot's URL"),
    "field.webhook_kind": ("机器人类型（wecom、dingtalk、json）", "Robot kind (wecom, dingtalk, json)"),
    "field.suggestions": ("建议清单", "Suggestions (建议清单)"),
    "field.outcomes": ("成果清单（制度清单）", "Outcomes (成果清单 / 制度清单)"),
    "field.number": ("文号", "Document number"),
    "field.each": ("周期事件", "Recurs with"),
    "field.runs": ("各次办理情况", "Runs: what was done for each occurrence"),
    "field.on": ("哪一次（该次日期）", "Occurrence (its date)"),
    "field.every": ("周期（每月、每季度、每半年、每年）", "Every (month, quarter, half-year, year)"),
    "field.dates": ("各次日期", "Dates of the series"),
    "field.until": ("截止日期（周期到此为止）", "Until (last possible date of the series)"),
    "field.sources": ("来源仓库（与本地计划一并读入）", "Source repositories (read beside the local plans)"),
    "field.url": ("仓库地址", "Repository URL"),
    "field.ref": ("分支或标签", "Branch or tag"),
    "field.path": ("计划目录", "Plans folder"),
    "field.lang": ("输出语言（zh 或 en）", "Output language (zh or en)"),
    "field.require_evidence": ("佐证材料要求（done：完成即须；closed：销号时须）", "Evidence required from (done or closed)"),
    "field.plan": ("所属计划", "Plan"),
    "field.issues": ("问题清单", "Issues"),
    "field.tasks": ("任务清单", "Tasks"),
    "field.category": ("问题类别", "Category"),
    "field.parent": ("上级问题", "Parent issue"),
    "field.finding": ("具体表现", "Finding"),
    "field.target": ("整改目标", "Target"),
    "field.issue": ("所属问题", "Issue"),
    "field.lead": ("牵头单位", "Lead unit"),
    "field.support": ("配合单位", "Supporting units"),
    "field.term": ("整改期限类型", "Term"),
    "field.due": ("完成时限", "Deadline"),
    "field.status": ("状态", "Status"),
    "field.done": ("完成日期", "Done on"),
    "field.closed_by": ("销号单位", "Closed by"),
    "field.closed": ("销号日期", "Closed on"),
    "field.evidence": ("佐证材料", "Evidence"),
    "field.progress": ("整改进展", "Progress"),
    "field.extensions": ("延期", "Extensions"),
    "field.reopened": ("重新整改", "Reopenings"),
    "field.notes": ("备注", "Notes"),
    "field.window": ("时间范围", "Window"),
    "field.date": ("日期", "Date"),
    "field.note": ("进展", "Note"),
    "field.to": ("延期至", "Extended to"),
    "field.approved_by": ("批准人", "Approved by"),
    "field.reason": ("理由", "Reason"),
    "field.by": ("提出人", "By"),
    "field.country": ("国家或地区代码", "Country code"),
    "field.subdiv": ("省级行政区代码", "Subdivision code"),
    "field.extra_holidays": ("另行放假日", "Extra days off"),
    "field.extra_workdays": ("另行上班日", "Extra working days"),
    "field.names": ("其他名称", "Other names"),
    "field.units": ("单位名录", "Units"),
    "field.name": ("名称", "Name"),
    "field.aliases": ("简称", "Aliases"),
    "field.leader": ("分管领导", "Leader"),
    "field.contact": ("联络员", "Contact"),
    # --- check ------------------------------------------------------------
    "check.overdue": (
        "{id}「{title}」已逾期 {days} 天（期限 {due}，牵头单位：{lead}）",
        "{id} \"{title}\" is {days:~day} overdue (due {due}, lead: {lead})",
    ),
    "check.summary": (
        "{files} 个文件，{plans} 个计划，{issues} 个问题，{tasks} 项任务；错误 {errors}，逾期 {overdue}，违规 {violations}，警告 {warnings}",
        "{files:~file}, {plans:~plan}, {issues:~issue}, {tasks:~task}; {errors:~error}, {overdue} overdue, {violations:~rule violation}, {warnings:~warning}",
    ),
    "check.ok": ("全部通过", "all good"),
    "check.lookback_due": (
        "{id}「{title}」应于 {date} 回头看，尚未开展（牵头单位：{lead}）",
        "{id} \"{title}\": look-back (回头看) due since {date}, not done (lead: {lead})",
    ),
    "check.missing_progress": (
        "{id}「{title}」未按时报送进展，应于 {date} 前报送（牵头单位：{lead}）",
        "{id} \"{title}\": no progress note since it was due on {date} (lead: {lead})",
    ),
    "escalate.format_needs_escalate": ("--format md|docx 只用于 --escalate（督办单）", "--format md|docx is for --escalate (the 督办单)"),
    "escalate.needs_out": (
        "{fmt} 是二进制格式，不能输出到终端；请用 --out 指定文件，例如 --out 督办单.{fmt}",
        "{fmt} is a binary format and cannot go to the terminal; name a file with --out, e.g. --out duban.{fmt}",
    ),
    "escalate.none": ("没有需要督办的事项", "nothing calls for a 督办"),
    "escalate.never": ("未督办", "none"),
    "escalate.call": (
        "应发{level} {id}「{title}」（牵头单位：{lead}；期限 {due}；已发督办：{issued}）",
        "{level} due: {id} \"{title}\" (lead: {lead}; due {due}; last issued: {issued})",
    ),
    "escalate.unanswered": (
        "{id}「{title}」{date} 的{level}未在 {due} 前回复（牵头单位：{lead}）",
        "{id} \"{title}\": the {level} of {date} was not answered by {due} (lead: {lead})",
    ),
    "period.since_after": (
        "--since {since} 晚于截至日期 {as_of}；请给出更早的日期或提交，或调整 --as-of",
        "--since {since} is after the as-of day {as_of}; give an earlier date or revision, or a later --as-of",
    ),
    "period.heading": ("本期情况（{since} 至 {until}）", "This period ({since} to {until})"),
    "period.line": ("本期{what} {count} 项：{items}。", "{what} this period: {count}: {items}."),
    "period.none": ("本期无{what}。", "No {what} this period."),
    "period.sep": ("；", "; "),
    "period.item": ("{id}「{title}」（{lead}，{detail}）", "{id} \"{title}\" ({lead}, {detail})"),
    "period.finished": ("新增完成", "newly finished"),
    "period.closed": ("新增销号", "newly closed (销号)"),
    "period.overdue": ("新增逾期", "newly overdue"),
    "period.extended": ("批准延期", "extensions granted"),
    "period.duban": ("下发督办", "督办 issued"),
    "period.answered": ("督办回复", "督办 answered"),
    "period.reopened": ("重新打开", "reopened"),
    "period.progress": ("报送进展", "progress notes"),
    "period.missing": ("未按时报送进展", "units that have not reported"),
    "duban.sheet.title": ("督办单", "督办 notices"),
    "duban.sheet.heading": ("{level}单（{id}）", "{level} notice ({id})"),
    "duban.sheet.item": ("督办事项：{title}", "Item: {title}"),
    "duban.sheet.unit": ("责任单位：{lead}", "Responsible unit: {lead}"),
    "duban.sheet.due": ("整改时限：{due}", "Deadline: {due}"),
    "duban.sheet.state": ("当前状态：{state}", "State: {state}"),
    "duban.sheet.progress": ("最近进展：{note}", "Latest progress: {note}"),
    "duban.sheet.unanswered": ("{date} 下发的{level}至 {due} 未回复", "the {level} of {date} was not answered by {due}"),
    "duban.sheet.no_note": ("未按时报送进展（应于 {date} 前报送）", "no progress note since {date}"),
    "duban.sheet.ask": (
        "请责任单位抓紧整改，并于规定时限内书面回复整改进展。",
        "The responsible unit is asked to act at once and to reply in writing within the time set.",
    ),
    "duban.list.heading": ("督办清单", "督办 list"),
    "duban.col.date": ("督办日期", "Issued"),
    "duban.col.level": ("督办等级", "Level"),
    "duban.col.by": ("督办单位", "By"),
    "duban.col.note": ("督办事项", "Note"),
    "duban.col.reply_by": ("回复期限", "Reply by"),
    "duban.col.reply": ("回复情况", "Reply"),
    "duban.col.state": ("状态", "State"),
    "duban.state.answered": ("已回复（{date}）", "answered ({date})"),
    "duban.state.late": ("逾期未回复", "not answered in time"),
    "duban.state.waiting": ("待回复", "waiting"),
    "duban.level.blue": ("蓝色督办", "blue 督办"),
    "duban.level.yellow": ("黄色督办", "yellow 督办"),
    "duban.level.red": ("红色督办", "red 督办"),
    "duban.level.interview": ("约谈", "interview (约谈)"),
    "check.due_soon": (
        "{id}「{title}」将于 {due} 到期，剩余 {left} 个工作日（牵头单位：{lead}）",
        "{id} \"{title}\" is due {due}, {left:~working day} left (lead: {lead})",
    ),
    # --- schedule -----------------------------------------------------------
    "sched.provisional": (
        "{expr} 算得 {date}，但 {year} 年的放假调休安排尚未公布，日期为暂定；公布后请复核",
        "{expr} gives {date}, but the {year} holiday schedule is not published yet: the date is provisional, check it again then",
    ),
    # --- rules / calendar (date engine) ----------------------------------------
    "cal.unknown_country": (
        "未知的日历国家代码 {code!r}；请写 ISO 3166 代码，例如 CN",
        "unknown calendar country code {code!r}; use an ISO 3166 code such as CN",
    ),
    "cal.unknown_subdiv": (
        "日历 {code} 没有地区 {subdiv!r}；请删除 subdiv 或改正代码",
        "calendar {code} has no subdivision {subdiv!r}; remove subdiv or correct it",
    ),
    "cal.out_of_range": (
        "{year} 年超出日历范围（{first}–{last} 年）；请检查日期或期限",
        "year {year} is outside the calendar ({first}–{last}); check the date or period",
    ),
    "rule.empty": ("期限为空；请写日期、规则或 ongoing", "the deadline is empty; write a date, a rule or ongoing"),
    "rule.too_long": (
        "期限 {expr} 过长（上限 {limit} 个字符）",
        "deadline {expr} is too long (limit {limit} characters)",
    ),
    "rule.unparsed": (
        "无法理解期限 {expr!r}：看不懂“{rest}”；可写 2025-12-31、9月中下旬、收到意见后20个工作日内、20 working days after 事件名 或 长期坚持",
        "cannot read deadline {expr!r}: did not understand {rest!r}; write e.g. 2025-12-31, 9月中下旬, 20 working days after an_event, or ongoing",
    ),
    "rule.bad_date": (
        "期限 {expr!r} 中的日期 {date} 不存在",
        "deadline {expr!r}: {date} is not a date that exists",
    ),
    "rule.bad_number": (
        "期限 {expr!r} 中的数字“{number}”无法识别或过大（上限 {limit}）",
        "deadline {expr!r}: cannot read the number {number!r} or it is too large (limit {limit})",
    ),
    "rule.missing_anchor": (
        "期限 {expr!r} 没有说从何时起算；请写明起算事件（计划 events 中的名称或别名），例如 收到评议意见后20个工作日内",
        "deadline {expr!r} does not say from when; name the event, e.g. 20 working days after opinions_received",
    ),
    "rule.immediate_no_event": (
        "期限 {expr!r} 为立行立改，以计划的第一个事件为期限，但计划没有 events；请在 events 中写明下达整改的日期",
        "deadline {expr!r} (立行立改) is due on the plan's first event, but the plan has no events; add the date the work was ordered to events",
    ),
    "rule.no_year": (
        "期限 {expr!r} 没有年份，计划中也无法推定年份；请写明年份",
        "deadline {expr!r} has no year and the plan gives none; write the year",
    ),
    "rule.window_reversed": (
        "期限 {expr!r} 的时段起点 {start} 晚于终点 {end}",
        "deadline {expr!r}: the window starts ({start}) after it ends ({end})",
    ),
    "rule.out_of_range": (
        "期限 {expr!r} 算出的日期超出可表示的范围",
        "deadline {expr!r} falls outside the dates that can be represented",
    ),
    "rule.cycle": (
        "期限 {expr!r} 循环引用：{cycle}；请让其中一个里程碑改用日期或事件",
        "deadline {expr!r} refers to itself: {cycle}; give one milestone a date or an event instead",
    ),
    "rule.unknown_anchor": (
        "期限 {expr!r} 中的“{name}”既不是日期，也不是本计划的事件或里程碑{hint}（已有：{known}）",
        "deadline {expr!r}: {name!r} is neither a date nor an event or milestone of this plan{hint} (known: {known})",
    ),
    "rule.anchor_ongoing": (
        "期限 {expr!r} 以里程碑 {name} 起算，但该里程碑为长期事项、没有日期",
        "deadline {expr!r} counts from milestone {name}, which is ongoing and has no date",
    ),
    "rule.step.fixed": ("期限 {date}", "due {date}"),
    "rule.step.year_word": ("“{word}”为 {year} 年（计划年份 {base}）", "{word!r} is {year} (the plan's year is {base})"),
    "rule.step.immediate": (
        "立行立改：以 {name}（{date}）为期限",
        "immediate (立行立改): due on {name}, {date}",
    ),
    "rule.step.year_from_plan": ("年份取计划年份 {year}", "year {year} taken from the plan"),
    "rule.step.window": ("时段 {start} 至 {end}，以末日为期限", "window {start} to {end}, due on its last day"),
    "rule.step.ongoing": ("长期坚持，无截止日期", "ongoing, no deadline"),
    "rule.step.event": ("{name} 为 {date}", "{name} on {date}"),
    "rule.step.milestone": ("里程碑 {name} 期限 {date}", "milestone {name} due {date}"),
    "rule.step.pending_event": (
        "事件 {name} 尚未发生，期限待定",
        "event {name} has not happened yet, deadline pending",
    ),
    "rule.step.pending_milestone": (
        "里程碑 {name} 期限待定，本期限随之待定",
        "milestone {name} is pending, so is this deadline",
    ),
    "rule.step.workdays_after": (
        "{start} 后第 {n} 个工作日（当日不计）为 {end}",
        "{n} working day(s) after {start} (that day not counted): {end}",
    ),
    "rule.step.workdays_before": (
        "{start} 前第 {n} 个工作日（当日不计）为 {end}",
        "{n} working day(s) before {start} (that day not counted): {end}",
    ),
    "rule.step.days_after": ("{start} 后 {n} 日为 {end}", "{n} day(s) after {start}: {end}"),
    "rule.step.days_before": ("{start} 前 {n} 日为 {end}", "{n} day(s) before {start}: {end}"),
    "rule.step.weeks_after": ("{start} 后 {n} 周为 {end}", "{n} week(s) after {start}: {end}"),
    "rule.step.weeks_before": ("{start} 前 {n} 周为 {end}", "{n} week(s) before {start}: {end}"),
    "rule.step.months_after": ("{start} 后 {n} 个月为 {end}", "{n} month(s) after {start}: {end}"),
    "rule.step.months_before": ("{start} 前 {n} 个月为 {end}", "{n} month(s) before {start}: {end}"),
    "rule.step.month_end": (
        "该月没有 {day} 日，取月末 {date}",
        "that month has no day {day}, so its last day {date}",
    ),
    "rule.step.skipped": (
        "跳过节假日：{names}（共 {count} 天）",
        "skipped holidays: {names_en} ({count} d)",
    ),
    "rule.step.makeup_counted": (
        "计入调休上班日 {dates}",
        "counted make-up working days {dates_en}",
    ),
    "rule.step.makeup_not_rolled": (
        "{date} 为调休上班日，不顺延",
        "{date} is a make-up working day, not rolled",
    ),
    "rule.step.rolled_forward": (
        "{date} 为{reason}，顺延至下一工作日 {to}",
        "{date} is {reason}, rolled to the next working day {to}",
    ),
    "rule.step.rolled_back": (
        "{date} 为{reason}，提前至上一工作日 {to}",
        "{date} is {reason}, moved back to the previous working day {to}",
    ),
    "rule.step.provisional": (
        "{years} 年放假调休安排尚未公布，日期为暂定",
        "the official holiday schedule for {years_en} is not yet published, so the date is provisional",
    ),
    "rule.reason.weekend": ("周末", "a weekend"),
    "rule.reason.holiday": ("节假日（{name}）", "a holiday ({name_en})"),
    "rule.reason.local_holiday": ("本地节假日", "a local holiday"),
    # --- date / calendar commands --------------------------------------------------
    "cal.wd.0": ("一", "Mon"),
    "cal.wd.1": ("二", "Tue"),
    "cal.wd.2": ("三", "Wed"),
    "cal.wd.3": ("四", "Thu"),
    "cal.wd.4": ("五", "Fri"),
    "cal.wd.5": ("六", "Sat"),
    "cal.wd.6": ("日", "Sun"),
    "cal.mark.holiday": ("休", "h"),
    "cal.mark.makeup": ("班", "w"),
    "cal.month_title": ("{year} 年 {month} 月", "{year}-{month:02d}"),
    "cal.note.holiday": ("{date} 休：{name}", "{date} holiday (h): {name}"),
    "cal.note.makeup": ("{date} 班：调休上班", "{date} make-up working day (w)"),
    "cal.note.provisional": (
        "{year} 年放假调休安排尚未公布，以上为暂定",
        "the {year} holiday schedule is not published yet: provisional",
    ),
    "cal.bad_month": ("{value!r} 不是月份；请写 YYYY-MM 或 YYYY", "{value!r} is not a month; write YYYY-MM or YYYY"),
    # --- status / agenda ---------------------------------------------------------
    "status.todo": ("未启动", "todo"),
    "status.doing": ("推进中", "doing"),
    "status.done": ("已完成", "done"),
    "status.submitted": ("申请销号", "submitted"),
    "status.closed": ("已销号", "closed"),
    "status.ongoing": ("长期坚持", "ongoing"),
    "status.cancelled": ("已取消", "cancelled"),
    "status.pending": ("待定", "pending"),
    "col.group.plan": ("计划", "Plan"),
    "col.group.category": ("类别", "Category"),
    "col.group.issue": ("问题", "Issue"),
    "col.group.unit": ("牵头单位", "Lead unit"),
    "col.total": ("总数", "Total"),
    "col.overdue": ("逾期", "Overdue"),
    "col.due_soon": ("{n}日内到期", "Due ≤{n}d"),
    "col.completion": ("完成率", "Done"),
    "col.id": ("编号", "ID"),
    "col.title": ("整改措施", "Measure"),
    "col.lead": ("牵头单位", "Lead"),
    "col.due": ("完成时限", "Due"),
    "col.left": ("剩余工作日", "Workdays left"),
    "col.status": ("状态", "Status"),
    "col.plan": ("计划", "Plan"),
    "all_groups": ("合计", "All"),
    "status.heading": ("{title}（{id}）", "{title} ({id})"),
    "status.phase": ("{title} · 剩余 {left} 个工作日（至 {end}）", "{title} · {left:~working day} left (until {end})"),
    "status.no_phase": ("当前不在任何阶段内", "no phase is current"),
    "status.occurrence": ("{title}（{event} {date}）", "{title} ({event} {date})"),
    "status.milestone": ("{mark} {title}：{due}{state}", "{mark} {title}: {due}{state}"),
    "status.milestone_done": ("，已于 {date} 完成", ", done {date}"),
    "status.milestone_done_undated": ("，已完成（未写日期）", ", done (no date given)"),
    "status.milestone_left": ("，剩余 {left} 个工作日", ", {left:~working day} left"),
    "status.milestone_overdue": ("，已逾期 {days} 天", ", {days:~day} overdue"),
    "status.no_deadline": ("无期限", "no deadline"),
    "status.pending_due": ("待定（{what}尚未发生）", "pending ({what} has not happened)"),
    "status.done_late": ("逾期完成", "done late"),
    "status.late_suffix": ("{label}（逾期完成）", "{label} (done late)"),
    "status.extended": ("原 {original} → {current}", "was {original} → {current}"),
    "status.as_of": ("截至 {date}", "as of {date}"),
    "status.stacked_lead": ("牵头：{lead}", "lead: {lead}"),
    "status.no_items": ("没有符合条件的事项", "no matching items"),
    "status.bad_filter": (
        "--status 的值 {value!r} 无法识别；可用：{chinese}（也可写 {english}）",
        "--status: {value!r} is not a status; use one of {english}",
    ),
    "status.bad_by": (
        "--by 的值 {value!r} 无法识别；可用：计划、类别、问题、单位（也可写 plan、category、issue、unit）",
        "--by: {value!r} is not a grouping; use one of plan, category, issue, unit",
    ),
    "status.invalid": (
        "计划文件有 {n} 处错误，请先运行 rectify check 查看并修正",
        "the plan files have {n:~error}; run rectify check to see and fix them",
    ),
    "agenda.heading": (
        "未来 {days} 个工作日内应完成的事项（截至 {date}，至 {until}）",
        "Due in the next {days} working days (as of {date}, until {until})",
    ),
    "agenda.unit": ("{unit}（{n} 项）", "{unit} ({n})"),
    "agenda.overdue": ("逾期 {days} 天", "{days:~day} overdue"),
    "agenda.left": ("剩 {left} 个工作日", "{left:~workday} left"),
    "agenda.today": ("今日到期", "due today"),
    "agenda.nothing": ("未来 {days} 个工作日内没有到期事项", "nothing due in the next {days} working days"),
    # --- edit (ledger editing commands) ------------------------------------------
    "edit.kind.task": ("任务", "task"),
    "edit.kind.issue": ("问题", "issue"),
    "edit.kind.milestone": ("节点", "milestone"),
    "edit.unreadable": ("无法编辑 {file}：{detail}；请先运行 rectify check 修正该文件", "cannot edit {file}: {detail}; run rectify check and fix the file first"),
    "edit.bad_text": ("文本 {value!r} 含有无法写入 YAML 的字符", "text {value!r} contains characters that cannot be written to YAML"),
    "edit.not_a_list": ("{key} 不是列表，无法追加；请手工改正该键", "{key} is not a list, nothing can be appended; fix that key by hand"),
    "edit.bad_ref": ("{ref!r} 不是事项编号；请写 ID，或 计划:ID（计划/ID）", "{ref!r} is not an item id; write ID, or PLAN:ID (PLAN/ID)"),
    "edit.not_found": ("找不到事项 {ref}{hint}", "no item {ref}{hint}"),
    "edit.occurrence_recorded": (
        "{id} 已记录在 {where}；要改就直接编辑那一条 runs",
        "{id} is already recorded at {where}; edit that runs: entry itself",
    ),
    "edit.occurrence": (
        "{ref} 是周期任务 {base}（{where}）在 {on} 的那一次：用 rectify done {ref} 记下完成，其余情况写在它的 runs 中，例如 - {{on: {on}, status: done, done: YYYY-MM-DD}}",
        "{ref} is the {on} occurrence of recurring item {base} ({where}): rectify done {ref} records it done; anything else goes under its runs:, e.g. - {{on: {on}, status: done, done: YYYY-MM-DD}}",
    ),
    "edit.hint.close": ("；是否要找 {close}？", "; did you mean {close}?"),
    "edit.hint.unreadable": ("；部分文件无法读取，请先运行 rectify check", "; some files could not be read, run rectify check first"),
    "edit.ambiguous": ("编号 {ref} 在多个计划中出现：{candidates}；请写成 计划:编号", "id {ref} is used by several plans: {candidates}; write PLAN:ID"),
    "edit.not_for_kind": ("{action} 不适用于{kind} {id}", "{action} does not apply to {kind} {id}"),
    "edit.stray_words": (
        "多余的参数：{words}；配合单位请写在 --support 之后，例如 --support 市财政局 市税务局",
        "unexpected words: {words}; supporting units go after --support, e.g. --support 'Finance Bureau' 'Tax Bureau'",
    ),
    "edit.empty_value": ("{option} 不能为空", "{option} must not be empty"),
    "edit.done_refused": ("{id} 的状态为 {status}，不能标记完成；请先 rectify reopen", "{id} is {status} and cannot be marked done; rectify reopen it first"),
    "edit.close_refused": ("拒绝销号 {id}：{reason}", "refusing to close (销号) {id}: {reason}"),
    "edit.reason.already_closed": ("已经销号", "it is already closed"),
    "edit.reason.not_done": ("状态为 {status}，只有已完成（done）的任务才能销号；请先 rectify done", "its status is {status}; only a done task can be closed, run rectify done first"),
    "edit.reason.no_evidence": ("没有佐证材料；请用 rectify done ID --evidence 文件 补充", "it has no evidence; add some with rectify done ID --evidence FILE"),
    "edit.reason.bad_evidence": ("佐证材料不存在或在仓库之外：{paths}", "evidence missing or outside the repository: {paths}"),
    "supervise.approve_or_reject": ("请给出 --approve 或 --reject 之一", "give one of --approve or --reject"),
    "edit.reason.unapproved": (
        "尚缺 {roles} 的审核同意；请先 rectify submit 并由其 rectify review --approve",
        "it lacks the approval of {roles}; rectify submit it and have them rectify review --approve",
    ),
    "edit.submit_refused": ("{id} 的状态为 {status}，不能申请销号", "{id} is {status} and cannot be submitted for closing"),
    "edit.submit_refused_evidence": (
        "{id} 没有佐证材料，不能申请销号；请用 --evidence 文件 提交",
        "{id} has no evidence and cannot be submitted; give it with --evidence FILE",
    ),
    "edit.review_refused": (
        "{id} 的状态为 {status}，不在待审核（申请销号）状态；请先 rectify submit",
        "{id} is {status}, not submitted for review; rectify submit it first",
    ),
    "edit.bad_level": ("督办等级 {value!r} 无法识别；可用：{allowed}", "督办 level {value!r} is not known; use one of {allowed}"),
    "edit.bad_result": ("回头看结果 {value!r} 无法识别；可用：{allowed}", "look-back result {value!r} is not known; use one of {allowed}"),
    "edit.reply_refused": ("{id} 没有待回复的督办", "{id} has no 督办 waiting for a reply"),
    "edit.lookback_refused": (
        "{id} 的状态为 {status}，只有已销号的任务才能回头看",
        "{id} is {status}; only a closed task can be looked back at",
    ),
    "edit.reopen_refused": ("{id} 的状态为 {status}，尚未完成，无需重新打开", "{id} is {status}, not finished: there is nothing to reopen"),
    "edit.reason_required": (
        "把 {id} 的状态从 {old} 改回 {new} 就是重新打开，须说明原因：加 --reason \"原因\"（或用 rectify reopen）",
        "moving {id} back from {old} to {new} reopens it: give the reason with --reason \"...\" (or use rectify reopen)",
    ),
    "edit.reason_not_needed": (
        "--reason 只用于把已完成事项的状态改回（重新打开）；这次修改 {field} 不需要原因",
        "--reason is only for moving a finished item's status back (reopening it); this change of {field} takes none",
    ),
    "edit.note.cleared": ("{id} 已重新打开，清除了 {values}（原值保留在 git 历史中）", "{id} reopened: cleared {values} (the old values stay in the git history)"),
    "edit.note.started": ("{id} 有了进展，状态由 {old} 改为 {new}", "{id} has progress now: status {old} → {new}"),
    "edit.warn.no_evidence": (
        "{id} 标记为完成，但没有佐证材料：rectify audit 会将其列为问题，计划设置 require_evidence: done 时 rectify check 会报错；请用 --evidence 补充",
        "{id} is marked done without evidence: rectify audit reports it, and rectify check does when the plan sets require_evidence: done; add some with --evidence",
    ),
    "edit.use_command": ("{field} 是历史记录，请用 rectify {command} 追加", "{field} is a history list; append to it with rectify {command}"),
    "edit.no_rename": ("不能用 set 修改 id（其他文件和 git 历史引用它）", "set cannot change an id (other files and the git history refer to it)"),
    "edit.unknown_field": ("{kind}没有字段 {field!r}；可设置：{allowed}", "{kind} has no field {field!r}; settable: {allowed}"),
    "edit.one_value": ("{field} 只能有一个值，给了 {count} 个", "{field} takes one value, {count} given"),
    "edit.bad_date": ("{field} 的值 {value!r} 不是日期；请写成 YYYY-MM-DD", "{field}: {value!r} is not a date; write YYYY-MM-DD"),
    "edit.evidence_outside": ("佐证材料 {path} 在仓库 {root} 之外；请先把文件放进仓库", "evidence {path} is outside the repository {root}; put the file inside it first"),
    "edit.evidence_missing": ("佐证材料 {path} 不存在（路径相对于当前目录）", "evidence {path} does not exist (paths are relative to the current directory)"),
    "edit.exists": ("计划 {id} 已存在（{where}）", "plan {id} already exists ({where})"),
    "edit.file_exists": ("文件 {file} 已存在，不会覆盖", "{file} already exists and will not be overwritten"),
    "edit.no_plan": ("没有计划 {plan}；已有：{known}", "no plan {plan}; known plans: {known}"),
    "edit.not_an_issue": ("{ref} 是{kind}，不是问题；--issue 需要问题编号", "{ref} is a {kind}, not an issue; --issue needs an issue id"),
    "edit.git_failed": ("git {command} 失败：{reason}", "git {command} failed: {reason}"),
    "edit.not_git": ("{file} 不在 git 仓库中，无法 --commit", "{file} is not in a git repository, cannot --commit"),
    "edit.many_repos": ("这些文件分属不同的 git 仓库：{files}", "the files belong to different git repositories: {files}"),
    "edit.dirty": ("{files} 有未提交的修改（已暂存或未暂存），--commit 会把它们一并提交；请先提交或还原，或不加 --commit", "{files} has uncommitted changes (staged or not) that --commit would sweep in; commit or restore them first, or drop --commit"),
    "edit.evidence_ignored": ("佐证材料 {files} 被 git 忽略（.gitignore），--commit 无法提交，未写入；请调整 .gitignore，或不加 --commit", "evidence {files} is ignored by git (.gitignore), so --commit cannot commit it; nothing written: change .gitignore, or drop --commit"),
    "edit.bad_author": ("--author 的值 {value!r} 不是“姓名 <邮箱>”；例如 --author \"市人社局 张三 <zhangsan@example.cn>\"", "--author {value!r} is not \"Name <email>\"; e.g. --author \"HR Bureau Zhang San <zhangsan@example.cn>\""),
    "edit.author_without_commit": ("--author 只能与 --commit 一起使用", "--author only applies with --commit"),
    "edit.no_identity": ("git 不知道提交者是谁（{reason}），未写入；请运行 git config user.name \"姓名\" 和 git config user.email 邮箱，或加 --author \"姓名 <邮箱>\"", "git does not know who is committing ({reason}); nothing written: run git config user.name \"Your Name\" and git config user.email you@example.com, or pass --author \"Name <email>\""),
    "edit.git_locked": ("git 的索引锁 {lock} 一直存在（另一个 git 进程正在运行，或曾中途退出），等待 {seconds} 秒后放弃，未写入；若没有 git 进程在运行，请删除 {lock}", "git's {lock} is still there (another git process is running, or one died); gave up after {seconds} s, nothing written: if no git process is running, remove {lock}"),
    "edit.not_committed": ("{files} 已写入但未提交：git {command} 失败：{reason}；请运行：{fix}", "{files} written but not committed: git {command} failed: {reason}; to commit, run: {fix}"),
    "edit.commit_unknown": ("{files} 已写入并提交，但无法从 git 的输出中读出提交编号；请用 git log 查看", "{files} written and committed, but git's output did not show the commit hash; see git log"),
    "edit.locked": ("{lock} 被另一个 rectify 持有（pid {pid}，主机 {host}，始于 {since}：{command}），等待 {seconds} 秒后放弃，未写入；若该进程已不存在，请删除 {lock}", "{lock} is held by another rectify (pid {pid} on {host} since {since}: {command}); gave up after {seconds} s, nothing written: if that process is gone, remove {lock}"),
    "edit.locked_unknown": ("{lock} 被另一个 rectify 持有（无法读出持有者），等待 {seconds} 秒后放弃，未写入；若没有 rectify 在运行，请删除 {lock}", "{lock} is held by another rectify (holder unreadable); gave up after {seconds} s, nothing written: if no rectify is running, remove {lock}"),
    "edit.lock_failed": ("无法创建锁文件 {lock}：{reason}；未写入", "cannot create the lock file {lock}: {reason}; nothing written"),
    "edit.bad_lock_timeout": ("环境变量 {var}={value!r} 不是 0 到 3600 之间的秒数", "{var}={value!r} is not a number of seconds between 0 and 3600"),
    "edit.changed_on_disk": ("{file} 在读取后被修改，未写入；请重新运行", "{file} changed on disk since it was read; nothing written, run the command again"),
    "edit.write_failed": ("无法写入 {file}：{reason}；所有文件均未改动", "cannot write {file}: {reason}; no file was changed"),
    "edit.would_invalidate": ("修改会带来 {count} 个新的错误或违规，未写入：", "the edit would add {count} new errors or rule violations; nothing written:"),
    "edit.no_change": ("{id} 无需修改", "{id}: nothing to change"),
    "edit.written": ("已更新 {file}：{id} {summary}", "updated {file}: {id} {summary}"),
    "edit.created": ("已新建 {id}（{file}）", "created {id} in {file}"),
    "edit.dry_run": ("（--dry-run：未写入任何文件）", "(--dry-run: nothing written)"),
    "edit.committed": ("已提交 {sha}", "committed {sha}"),
    "edit.subject.created": ("新建", "created"),
    "edit.subject.detail": ("{action}：{detail}", "{action}: {detail}"),
    "edit.subject.progress": ("进展", "progress"),
    "edit.subject.done": ("完成", "done"),
    "edit.subject.close": ("销号", "close"),
    "edit.subject.reopen": ("重新打开", "reopen"),
    "edit.subject.extend": ("延期", "extend"),
    "edit.subject.set": ("修改", "set"),
    "edit.subject.submit": ("申请销号", "applied for closing"),
    "edit.subject.approve": ("销号审核同意", "closing approved by"),
    "edit.subject.reject": ("销号退回", "closing sent back by"),
    "edit.subject.duban": ("督办", "duban"),
    "edit.subject.reply": ("督办回复", "duban reply"),
    "edit.subject.lookback": ("回头看", "look-back"),
    # --- history (git audit trail) -----------------------------------------------
    "history.not_a_repo": (
        "{path} 不在 git 仓库中；历史命令需要在 git 仓库内运行（git init 并提交计划文件）",
        "{path} is not inside a git repository; history commands need one (git init and commit the plan files)",
    ),
    "history.no_git": ("找不到 git 命令；请先安装 git", "git is not installed; install it first"),
    "history.bad_rev": (
        "{rev!r} 不是有效的修订版本；请写提交号、分支、标签或 YYYY-MM-DD 日期",
        "{rev!r} is not a revision; give a commit, branch, tag or a YYYY-MM-DD date",
    ),
    "history.bad_range": (
        "{range!r} 不是有效的范围；请写 A..B、A.. 或单个修订版本",
        "{range!r} is not a range; write A..B, A.. or a single revision",
    ),
    "history.no_commit_before": (
        "{date} 当天及之前没有提交；请换一个更晚的日期",
        "no commit on or before {date}; choose a later date",
    ),
    "history.git_failed": ("git 出错：{reason}", "git failed: {reason}"),
    "history.shallow": (
        "这是浅克隆（只取了最近的部分提交），据此得出的历史、审计和燃尽图是错的；请取得完整历史："
        "git fetch --unshallow（GitHub Actions 的 actions/checkout 设 fetch-depth: 0，GitLab CI 设 GIT_DEPTH: 0），"
        "或加 --allow-shallow 只看本地已有的提交",
        "this is a shallow clone (only the latest commits were fetched), so history, audit and burndown would be wrong; "
        "fetch the full history: git fetch --unshallow (fetch-depth: 0 for actions/checkout, GIT_DEPTH: 0 in GitLab CI), "
        "or pass --allow-shallow to use only the commits that are here",
    ),
    "history.shallow_note": (
        "注意：浅克隆，只用了本地已有的提交（自 {commit}，{date} 起）；更早的历史不在本地",
        "note: shallow clone, only the commits that are here were used (from {commit}, {date}); earlier history is missing",
    ),
    "history.shallow_chart": (
        "浅克隆：报告不含燃尽图（需要完整历史：git fetch --unshallow）",
        "shallow clone: the report has no burn-down chart (it needs the full history: git fetch --unshallow)",
    ),
    "history.outside_repo": ("{path} 不在仓库 {top} 内", "{path} is outside the repository {top}"),
    "history.at_note": (
        "以提交 {commit}（{date}，{author}）中的文件为准",
        "as committed in {commit} ({date}, {author})",
    ),
    "history.not_found": (
        "历史中没有找到事项 {id}；请检查编号，或指定计划目录",
        "no item {id} in the history; check the id or name the plans directory",
    ),
    "history.item_head": ("{plan}/{id}「{title}」", "{plan}/{id} \"{title}\""),
    "history.added": ("新增于 {file}:{line}", "added in {file}:{line}"),
    "history.removed": ("从 {file} 中删除", "removed from {file}"),
    "history.moved": ("从 {old} 移到 {new}", "moved from {old} to {new}"),
    "history.field": ("{field}：{old} → {new}", "{field}: {old} → {new}"),
    "history.appended": ("{field}：+ {entry}", "{field}: + {entry}"),
    "history.audit.due_moved": (
        "{plan}/{id} 的期限从 {old} 推迟到 {new}，但没有批准的延期（extensions 中 to: {new}）",
        "{plan}/{id}: due moved from {old} to {new} without an approved extension (extensions with to: {new})",
    ),
    "history.audit.no_evidence": (
        "{plan}/{id} 标记为 {status}，但没有佐证材料（evidence）",
        "{plan}/{id} marked {status} without evidence",
    ),
    "history.audit.evidence_deleted": (
        "{plan}/{id} 已完成，但其佐证材料 {path} 被删除",
        "{plan}/{id} is finished but its evidence {path} was deleted",
    ),
    "history.audit.closed_edited": (
        "已销号事项 {plan}/{id} 被修改（{fields}），但没有记录原因（reopened 或 Rectify-Action: reopen）",
        "closed item {plan}/{id} edited ({fields}) without a recorded reason (reopened, or Rectify-Action: reopen)",
    ),
    "history.audit.deleted": (
        "{plan}/{id} 从台账中删除；事项应改为 cancelled（已取消）而不是删除",
        "{plan}/{id} was deleted from the ledger; cancel items (status: cancelled) instead of deleting them",
    ),
    "history.audit.backdated": (
        "{plan}/{id} 的完成日期 {done} 比记录它的提交（{recorded}）早 {days} 天",
        "{plan}/{id}: done date {done} is {days:~day} before the commit that recorded it ({recorded})",
    ),
    "history.audit.status_backwards": (
        "{plan}/{id} 的状态从 {old} 退回到 {new}，但没有记录原因（reopened 或 Rectify-Action: reopen）",
        "{plan}/{id}: status went back from {old} to {new} without a recorded reason (reopened, or Rectify-Action: reopen)",
    ),
    "history.audit.entry_removed": (
        "{plan}/{id} 的 {field} 记录（{date}：{text}）被删除或改写；历史记录只能追加",
        "{plan}/{id}: a {field} entry ({date}: {text}) was removed or rewritten; history entries are only ever appended",
    ),
    "history.audit.closed_unapproved": (
        "{plan}/{id} 未经 {roles} 审核同意即销号（closing.requires）",
        "{plan}/{id} was closed (销号) without the approval of {roles} (closing.requires)",
    ),
    "history.audit.summary": ("{count} 项审计发现", "{count:~audit finding}"),
    "history.audit.clean": ("审计未发现问题（{commits} 个提交）", "audit clean ({commits:~commit})"),
    "history.diff.head": ("{old} → {new}", "{old} → {new}"),
    "history.diff.worktree": ("工作区", "work tree"),
    "history.diff.unreadable": (
        "{side} 中有 {count} 个计划文件无法读取，未比较；请先修正上面的问题（rectify check）",
        "{count} plan file(s) in {side} cannot be read, nothing compared; fix the problems above first (rectify check)",
    ),
    "history.diff.added": ("新增", "added"),
    "history.diff.removed": ("删除", "removed"),
    "history.diff.status": ("状态", "status"),
    "history.diff.due": ("期限", "due"),
    "history.diff.lead": ("牵头单位", "lead"),
    "history.diff.other": ("其他修改", "other changes"),
    "history.diff.none": ("台账没有变化", "no ledger changes"),
    "history.burndown.title": ("未完成与已完成事项", "Open and finished items"),
    "history.burndown.open": ("未完成", "open"),
    "history.burndown.finished": ("已完成", "finished"),
    "history.burndown.empty": ("历史中没有任务", "no tasks in the history"),
    "history.burndown.written": ("已写入 {path}", "written to {path}"),
    # --- report / export / import ------------------------------------------------
    "ledger.col.seq": ("序号", "No."),
    "ledger.col.issue": ("问题", "Issue"),
    "ledger.col.measure": ("整改措施", "Measure"),
    "ledger.col.lead": ("牵头单位", "Lead unit"),
    "ledger.col.support": ("配合单位", "Supporting units"),
    "ledger.col.owner": ("责任领导", "Responsible leader"),
    "ledger.col.due": ("完成时限", "Deadline"),
    "ledger.col.due_rule": ("时限依据", "Deadline as written"),
    "ledger.col.progress": ("整改进展", "Progress"),
    "ledger.col.status": ("完成情况", "State"),
    "ledger.col.evidence": ("佐证材料", "Evidence"),
    "ledger.col.done": ("完成日期", "Done on"),
    "ledger.col.days_overdue": ("逾期天数", "Days overdue"),
    "ledger.col.notes": ("备注", "Notes"),
    "ledger.col.category": ("问题类别", "Category"),
    "ledger.col.closed_by": ("销号单位", "Closed by"),
    "ledger.col.closed": ("销号日期", "Closed on"),
    "ledger.col.plan": ("计划编号", "Plan ID"),
    "ledger.col.issue_id": ("问题编号", "Issue ID"),
    "ledger.col.task_id": ("任务编号", "Task ID"),
    "ledger.sheet": ("整改台账", "Ledger"),
    "ledger.sheet.issues": ("问题清单", "Issues"),
    "ledger.sheet.suggestions": ("建议清单", "Suggestions"),
    "ledger.sheet.outcomes": ("成果清单", "Outcomes"),
    "ledger.sheet.plans": ("计划", "Plans"),
    "ledger.sheet.events": ("事件", "Events"),
    "ledger.sheet.milestones": ("工作节点", "Milestones"),
    "ledger.sheet.phases": ("工作阶段", "Phases"),
    "ledger.sheet.extensions": ("延期记录", "Extensions"),
    "ledger.sheet.reopenings": ("重新打开记录", "Reopenings"),
    "ledger.sheet.reviews": ("销号审核记录", "Closing reviews"),
    "ledger.sheet.duban": ("督办清单", "Duban list"),
    "ledger.sheet.lookbacks": ("回头看记录", "Look-backs"),
    "ledger.col.description": ("问题描述", "Description"),
    "ledger.col.plan_title": ("计划名称", "Plan title"),
    "ledger.col.plan_owner": ("责任单位", "Owner"),
    "ledger.col.issuer": ("发文单位", "Issuer"),
    "ledger.col.country": ("节假日日历", "Holiday calendar"),
    "ledger.col.subdiv": ("地区", "Subdivision"),
    "ledger.col.extra_holidays": ("另行放假日", "Extra days off"),
    "ledger.col.extra_workdays": ("另行上班日", "Extra working days"),
    "ledger.col.responsibility": ("履行整改主体责任情况", "Responsibility"),
    "ledger.col.next_steps": ("下一步工作", "Next steps"),
    "ledger.col.event": ("事件", "Event"),
    "ledger.col.event_date": ("日期", "Date"),
    "ledger.col.event_names": ("其他说法", "Other names"),
    "ledger.col.event_every": ("周期", "Every"),
    "ledger.col.event_dates": ("各次日期", "Dates of the series"),
    "ledger.col.event_until": ("周期截止", "Until"),
    "ledger.col.milestone_lead": ("牵头单位", "Lead unit"),
    "ledger.col.milestone_support": ("配合单位", "Supporting units"),
    "ledger.col.milestone_each": ("周期事件", "Recurs with"),
    "ledger.col.milestone_id": ("节点编号", "Milestone ID"),
    "ledger.col.milestone_title": ("工作节点", "Milestone"),
    "ledger.col.phase_id": ("阶段编号", "Phase ID"),
    "ledger.col.phase_title": ("工作阶段", "Phase"),
    "ledger.col.window": ("时间安排", "Window"),
    "ledger.col.original_due": ("原完成时限", "Original deadline"),
    "ledger.col.to": ("延期至", "Extended to"),
    "ledger.col.approved_by": ("批准人", "Approved by"),
    "ledger.col.approved_on": ("批准日期", "Approved on"),
    "ledger.col.reason": ("理由", "Reason"),
    "ledger.col.reopened_on": ("重新打开日期", "Reopened on"),
    "ledger.col.reopened_by": ("经办人", "By"),
    "ledger.col.undone_done": ("原完成日期", "Had been done on"),
    "ledger.col.undone_closed": ("原销号日期", "Had been closed on"),
    "ledger.col.undone_closed_by": ("原销号单位", "Had been closed by"),
    "ledger.col.review_date": ("审核日期", "Reviewed on"),
    "ledger.col.review_by": ("审核单位", "Reviewed by"),
    "ledger.col.review_result": ("审核结果", "Result"),
    "ledger.col.review_reason": ("审核意见", "Reason"),
    "ledger.col.duban_date": ("督办日期", "Issued on"),
    "ledger.col.duban_level": ("督办等级", "Level"),
    "ledger.col.duban_by": ("督办单位", "Issued by"),
    "ledger.col.duban_note": ("督办事项", "Note"),
    "ledger.col.reply_by": ("回复期限", "Reply by"),
    "ledger.col.reply": ("回复情况", "Reply"),
    "ledger.col.replied": ("回复日期", "Replied on"),
    "ledger.col.duban_state": ("督办状态", "State"),
    "ledger.col.lookback_date": ("回头看日期", "Looked back on"),
    "ledger.col.lookback_result": ("回头看结果", "Result"),
    "ledger.col.lookback_by": ("回头看单位", "By"),
    "ledger.col.lookback_note": ("情况", "Note"),
    "review.result.submit": ("申请销号", "submitted"),
    "review.result.approve": ("同意", "approve"),
    "review.result.reject": ("退回", "reject"),
    "ics.calendar_name": ("整改期限", "Rectification deadlines"),
    "ics.milestone": ("工作节点", "milestone"),
    "ics.task": ("整改任务", "task"),
    "ics.kind": ("类型：{kind}", "Type: {kind}"),
    "ics.lead": ("牵头单位：{lead}", "Lead unit: {lead}"),
    "ics.support": ("配合单位：{units}", "Supporting units: {units}"),
    "ics.due": ("完成时限：{date}", "Deadline: {date}"),
    "ics.status": ("状态：{status}", "State: {status}"),
    "ics.overdue": ("已逾期 {days} 天", "{days:~day} overdue"),
    "ics.reminder": ("{n} 个工作日后到期：{title}", "due in {n:~working day}: {title}"),
    "report.title": ("{issuer}关于{subject}整改进展情况的通报", "Progress report on {subject}"),
    "report.date": ("{y}年{m}月{d}日", "{iso}"),
    "report.fig.total": ("整改措施", "measures"),
    "report.intro": (
        "截至{date}，{title}共有问题{issues}个、整改措施{tasks}项{parts}；逾期{overdue}项。",
        "As of {date}, {title} has {issues:~issue} and {tasks:~measure}{parts}; {overdue} overdue.",
    ),
    "report.intro.parts": ("，其中{parts}", ": {parts}"),
    "report.intro.part": ("{status}{n}项", "{n} {status}"),
    "report.intro.sep": ("、", ", "),
    "report.h.responsibility": ("一、履行整改主体责任情况", "1. Fulfilling the primary responsibility for rectification"),
    "report.h.tasks": ("二、整改任务落实情况", "2. Implementation of the rectification tasks"),
    "report.h.next": ("三、下一步工作", "3. Next steps"),
    "report.h.category": ("（{cn}）关于{category}方面", "({n}) {category}"),
    "report.h.issue": ("{n}. {title}", "{n}. {title}"),
    "report.issue_field": ("{label}：{value}", "{label}: {value}"),
    "report.h.appendix": ("附件{n}：{what}", "Annex {n}: {what}"),
    "report.a.summary": ("整改进展统计", "Progress summary"),
    # the other lists' own column headers (else the field's label)
    "list.suggestion.title": ("建议内容", "Suggestion"),
    "list.suggestion.by": ("提出人", "Made by"),
    "list.suggestion.lead": ("承办单位", "Handled by"),
    "list.suggestion.reply": ("答复情况", "Reply"),
    "list.suggestion.replied": ("答复日期", "Replied on"),
    "list.outcome.title": ("成果名称", "Outcome"),
    "list.outcome.category": ("类别", "Kind"),
    "list.outcome.date": ("印发日期", "Issued on"),
    "list.outcome.tasks": ("对应任务", "Tasks it closes"),
    "report.a.suggestions": ("建议清单", "Suggestions"),
    "report.a.outcomes": ("成果清单", "Outcomes"),
    "report.a.issues": ("问题清单", "Issue list"),
    "report.a.tasks": ("任务清单", "Task list"),
    "report.a.units": ("责任清单", "Responsibility list"),
    "report.missing.responsibility": (
        "（计划文件未填写 responsibility：履行整改主体责任情况）",
        "(the plan file has no responsibility: text)",
    ),
    "report.missing.next_steps": ("（计划文件未填写 next_steps：下一步工作）", "(the plan file has no next_steps: text)"),
    "report.no_category": ("其他", "Other"),
    "report.no_measures": ("尚未制定整改措施。", "No measures yet."),
    "report.ordinal": ("{cn}是", "({n}) "),
    "report.latest_note": ("{date}，{note}。", "{date}: {note}."),
    "report.measure": ("{ordinal}{title}（{state}）。", "{ordinal}{title} ({state})."),
    "report.measure_sep": ("", " "),
    "report.progress_note": ("{note}。", "{note}."),
    "report.progress_dated": ("{date}，{note}。", "{date}: {note}."),
    "report.state.overdue": ("逾期{days}天", "{days:~day} overdue"),
    "report.state.late": ("，逾期完成", ", done late"),
    "report.state.planned": ("{status}，计划于{date}前完成", "{status}, due by {date}"),
    "report.state.pending": ("{status}，完成时限待定", "{status}, deadline pending"),
    "report.overdue_count": ("逾期事项{n}项：", "{n:~overdue item}:"),
    "report.no_overdue": ("无逾期事项。", "Nothing is overdue."),
    "report.col.days_overdue": ("逾期天数", "Days overdue"),
    "report.col.measures": ("措施数", "Measures"),
    "report.list.overdue": ("（逾期{days}天）", " ({days:~day} overdue)"),
    "report.unknown_plan": ("没有编号为 {id!r} 的计划{hint}；已有：{known}", "no plan with id {id!r}{hint}; known: {known}"),
    "report.did_you_mean": ("（是否要找 {id}？）", " (did you mean {id}?)"),
    "report.written": ("已写入 {path}", "written to {path}"),
    "report.needs_out": (
        "{fmt} 是二进制格式，不能输出到终端；请用 --out 指定文件，例如 --out 整改进展情况通报.{fmt}",
        "{fmt} is a binary format and cannot go to the terminal; name a file with --out, e.g. --out report.{fmt}",
    ),
    "export.needs_out": (
        "{fmt} 是二进制格式，不能输出到终端；请用 --out 指定文件，例如 --out 台账.{fmt}",
        "{fmt} is a binary format and cannot go to the terminal; name a file with --out, e.g. --out ledger.{fmt}",
    ),
    "export.write_failed": ("无法写入 {path}：{reason}", "cannot write {path}: {reason}"),
    "import.missing": ("{path}：文件不存在", "{path}: no such file"),
    "import.bad_type": ("{path}：只能导入 .xlsx 或 .csv 台账（或 .docx、.txt、.md 文档）", "{path}: only .xlsx or .csv ledgers (or .docx, .txt, .md documents) can be imported"),
    "import.unreadable": ("{path}：无法读取（{reason}）", "{path}: cannot be read ({reason})"),
    "import.too_large": (
        "{path}：文件过大（{size} 字节，上限 {limit}）；请把台账拆成几个文件",
        "{path}: too large ({size} bytes, limit {limit}); split the ledger into several files",
    ),
    "import.xlsx_too_large": (
        "{path}：解压后过大（{size} 字节，上限 {limit}）；请把台账拆成几个文件",
        "{path}: unpacks to {size} bytes, over the limit of {limit}; split the ledger into several files",
    ),
    "import.too_many_rows": (
        "{path}：第 {row} 行超出导入上限（{limit} 行）；请删除台账下方多余的行，或把台账拆成几个文件",
        "{path}: row {row} is past the {limit} rows import reads; delete the rows below the ledger, or split it into several files",
    ),
    "import.cell_too_large": (
        "{path}：单元格 {where} 超过 {limit} 个字符；请缩短后再导入",
        "{path}: cell {where} holds more than {limit} characters; shorten it and import again",
    ),
    "import.field_too_large": (
        "{path}:{line}: 有一个字段超过 {limit} 个字符（或引号没有配对）；请缩短或改正后再导入",
        "{path}:{line}: a field holds more than {limit} characters (or a quote is not closed); shorten or correct it and import again",
    ),
    "import.xlsx_malformed": (
        "{path}：工作表 {sheet} 结构异常（{what}），不是 Excel 正常保存的文件；请用 Excel 另存一份再导入",
        "{path}: sheet {sheet} is malformed ({what}), not as Excel saves it; save a copy from Excel and import that",
    ),
    "import.merges_overlap": (
        "{path}：合并单元格相互重叠，Excel 不会这样保存；请取消合并、另存后再导入",
        "{path}: merged cells overlap, which Excel never saves; unmerge them, save and import again",
    ),
    "import.no_header": (
        "找不到表头：前 12 行中没有“整改措施”“问题”“牵头单位”等列名",
        "no header row: none of the first 12 rows names columns such as 整改措施 (measure) or 问题 (issue)",
    ),
    "import.bad_plan_id": ("--plan {id!r} 不能作为编号（不能含空格、冒号或斜杠）", "--plan {id!r} is not a valid id (no spaces, colons or slashes)"),
    "import.exists": (
        "{path} 已存在；rectify import 不覆盖已有文件，请换一个 --out 目录或先移走该文件",
        "{path} already exists; rectify import never overwrites files: choose another --out directory or move the file away",
    ),
    "import.plan_invalid": (
        "{problem}（已有的 plan.yaml 须先通过 rectify check，import 才能在旁边生成文件）",
        "{problem} (the existing plan.yaml must pass rectify check before import adds files beside it)",
    ),
    "import.plan_mismatch": ("{path} 中的计划编号是 {found}，与 --plan {id} 不一致", "{path} is plan {found}, not --plan {id}"),
    "import.generated": ("由 rectify import 从 {source} 生成（{date}）", "generated by rectify import from {source} ({date})"),
    "import.summary": (
        "{source}：读取 {rows} 行，生成问题 {issues} 个、任务 {tasks} 项，未导入 {skipped} 行",
        "{source}: {rows:~row} read, {issues:~issue} and {tasks:~task} written, {skipped:~row} not imported",
    ),
    "import.note.line": ("第 {line} 行：{what}", "row {line}: {what}"),
    "import.note.no_measure": ("既没有问题也没有整改措施，未导入：{row}", "neither an issue nor a measure, not imported: {row}"),
    "import.note.no_lead": ("没有牵头单位（任务必须有牵头单位），未导入：{row}", "no lead unit (every task needs one), not imported: {row}"),
    "import.note.kept_column": (
        "列“{header}”不是 rectify 的字段（或与前一列重复），其内容原样保存在 {column} 中",
        "column \"{header}\" is not a rectify field (or repeats an earlier one): its cells are kept as {column}",
    ),
    "import.note.closed_incomplete": (
        "已销号（是否销号：是），但台账未写 {keys}；rectify check 会提示补齐",
        "closed (是否销号: 是) but the ledger gives no {keys}; rectify check will ask for them",
    ),
    "import.note.measure_from_issue": ("整改措施为空，已用问题作为措施", "no measure: the issue is used as the measure"),
    "import.note.bad_due": (
        "完成时限 {due!r} 无法识别，已保留在 x-due 中；请改写为日期或规则后移入 due",
        "deadline {due!r} is not understood and was kept as x-due; rewrite it as a date or rule under due",
    ),
    "import.note.event": (
        "完成时限以事件 {name} 起算，已在 plan.yaml 的 events 中登记为 null（尚未发生），请填写其日期",
        "the deadline counts from event {name}: declared in plan.yaml under events as null (not yet happened); fill in its date",
    ),
    "import.note.bad_status": ("完成情况 {status!r} 无法识别，按未启动导入", "state {status!r} is not understood; imported as todo"),
    "import.note.merge_clipped": (
        "合并单元格 {ref} 超出导入读取的范围（{rows} 行、{columns} 列），只读取了范围内的部分",
        "merged range {ref} reaches past what import reads ({rows} rows, {columns} columns); only the part inside was read",
    ),
    "import.note.bad_id": ("编号 {id!r} 无效或重复，已重新编号", "id {id!r} is invalid or repeated; a new id was given"),
    "docimport.bad_type": ("{path}：只能导入 .docx、.txt 或 .md 文档（或 .xlsx、.csv 台账）", "{path}: only .docx, .txt or .md documents (or .xlsx, .csv ledgers) can be imported"),
    "docimport.too_large": ("{path}：文件过大（{size} 字节，上限 {limit}）；请拆分后导入", "{path}: too large ({size} bytes, limit {limit}); split it before importing"),
    "docimport.too_many": ("{path}：段落超过 {limit} 个；请拆分后导入", "{path}: more than {limit} paragraphs; split it before importing"),
    "docimport.too_long": ("{path}:{line}：一段超过 {limit} 个字符；请分段", "{path}:{line}: a paragraph longer than {limit} characters; break it up"),
    "docimport.too_deep": ("{path}：表格嵌套超过 {limit} 层；请简化表格", "{path}: tables nested more than {limit} deep; simplify them"),
    "docimport.encoding": (
        "{path}：不是 UTF-8 文本（看起来是 {encoding}）；请另存为 UTF-8，例如 iconv -f GB18030 -t UTF-8",
        "{path}: not UTF-8 text (it looks like {encoding}); save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8",
    ),
    "docimport.binary": ("{path}：二进制文件，不是文本文档", "{path}: a binary file, not a text document"),
    "docimport.nothing": (
        "{path}：没有找到编号的问题或整改措施（1. / 一是… / （责任单位：…））；未写入任何文件",
        "{path}: no numbered issues or measures found (1. / 一是… / （责任单位：…）); nothing written",
    ),
    "docimport.summary": (
        "{source}：{categories} 个类别，{issues} 个问题，{tasks} 项任务；{unplaced} 段未导入（见下）",
        "{source}: {categories} categories, {issues} issues, {tasks} tasks; {unplaced} paragraphs not imported (below)",
    ),
    "docimport.note.line": ("第 {line} 段：{what}", "paragraph {line}: {what}"),
    "docimport.note.no_issuer": (
        "没有找到落款单位：牵头单位暂填“待定”，请在 plan.yaml 中写 owner",
        "no issuing unit found: leads are “待定” for now; set owner in plan.yaml",
    ),
    "docimport.note.bad_due": ("时限 {due!r} 无法解读，未写入 due", "deadline {due!r} is not understood; no due written"),
    "docimport.unplaced.before_title": ("标题之前的文字，未导入：{text}", "text before the title, not imported: {text}"),
    "docimport.unplaced.annex": ("附件，未导入：{text}", "annex, not imported: {text}"),
    "docimport.unplaced.after_signature": ("落款之后的文字，未导入：{text}", "text after the signature, not imported: {text}"),
    "docimport.unplaced.closing": ("结束语，未导入：{text}", "closing words, not imported: {text}"),
    "docimport.tree.category": ("类别：{name}", "category: {name}"),
    "docimport.tree.task": ("［{lead}｜{due}］{review}", "[{lead} | {due}]{review}"),
    "docimport.review": ("标注 x-review: true 的项为推测值，请核对", "items marked x-review: true hold guessed values: check them"),
    "import.dry_run": ("试运行：未写入任何文件", "dry run: no files written"),
    "import.would_write": ("将写入 {path}", "would write {path}"),
    "import.written": ("已写入 {path}", "written to {path}"),
    "import.needs_plan": ("请用 --plan 指定计划编号（或用 --update 回填已有台账）", "name the plan with --plan (or apply a returned ledger with --update)"),
    "import.not_with_update": ("{option} 不能与 --update 一起使用：回填直接修改已有计划文件", "{option} cannot be used with --update, which edits the existing plan files"),
    "import.needs_commit": ("--author 只能与 --commit 一起使用（提交时记录报送单位）", "--author works only with --commit (it names the sending unit in the commit)"),
    "import.update_only": ("{option} 只能与 --update 一起使用", "{option} works only with --update"),
    "sync.no_id_column": (
        "台账没有“任务编号”列，无法对应到任务；请回填由 rectify export --format xlsx 导出的台账（编号列是隐藏的，不要删除）",
        "the ledger has no Task ID column, so rows cannot be matched to tasks; fill in a ledger exported with rectify export --format xlsx (the id columns are hidden: keep them)",
    ),
    "sync.summary": (
        "{source}：已应用 {applied} 行，拒绝 {refused} 行，{unchanged} 行没有变化",
        "{source}: {applied} rows applied, {refused} refused, {unchanged} unchanged",
    ),
    "sync.applied": ("第 {line} 行 {id}：已应用（{what}）", "row {line} {id}: applied ({what})"),
    "sync.refused": ("第 {line} 行 {id}：未应用：{why}", "row {line} {id}: refused: {why}"),
    "sync.refused.no_id": ("没有任务编号，无法对应到任务", "no task id, so it matches no task"),
    "sync.refused.unknown": ("计划中没有任务 {id}", "no task {id} in the plans"),
    "sync.refused.repeated": ("任务 {id} 在台账中出现了不止一次", "task {id} appears more than once in the ledger"),
    "sync.refused.fixed": (
        "{column}不能由责任单位修改（现为 {old}，台账中为 {new}）",
        "{column} cannot be changed by a unit (it is {old}, the ledger says {new})",
    ),
    "sync.refused.due": (
        "{column}从 {old} 改为 {new}，但没有经批准的延期；请申请延期（rectify extend）",
        "{column} moved from {old} to {new} without an approved extension; ask for one (rectify extend)",
    ),
    "sync.refused.evidence_removed": ("已登记的佐证材料不能删除：{paths}", "recorded evidence cannot be removed: {paths}"),
    "sync.refused.progress_changed": (
        "已登记的整改进展被修改或删除（{date} {note}）；只能新增进展",
        "a recorded progress note was changed or removed ({date} {note}); only add new lines",
    ),
    "sync.refused.status_word": ("完成情况 {status!r} 无法识别", "state {status!r} is not understood"),
    "sync.refused.done_not_done": (
        "填写了完成日期 {date}，但完成情况是“{status}”；完成后请填“已完成”",
        "a done date {date} is given but the state is {status}; write done when it is finished",
    ),
    "sync.refused.reopen": (
        "完成情况从“{old}”改回“{new}”需要说明理由，请由督查部门重新打开（rectify reopen --reason）",
        "moving {old} back to {new} needs a reason: the supervising office reopens it (rectify reopen --reason)",
    ),
    "sync.refused.to_closed": ("销号由督查部门核实后办理（rectify close），责任单位不能自行销号", "closing (销号) is done by the supervising office after checking (rectify close), not by the unit"),
    "sync.refused.to_cancelled": ("取消任务须经督查部门同意（rectify set … status cancelled）", "cancelling a task needs the supervising office (rectify set … status cancelled)"),
    "sync.refused.closed": ("任务 {id} 已销号，不能再修改；如需修改请先重新打开", "task {id} is closed (销号) and cannot be changed; it must be reopened first"),
    "sync.refused.edit": ("{what}", "{what}"),
    "sync.refused.invalid": ("修改后台账会出现 {count} 个问题：", "the edit would add {count} problem(s) to the ledger:"),
    "sync.dry_run": ("试运行：未写入任何文件", "dry run: no files written"),
    "sync.written": ("已写入 {files}", "written: {files}"),
    "sync.nothing": ("没有需要应用的修改", "nothing to apply"),
    # --- security / hostile input ----------------------------------------------------
    "load.control_char": (
        "YAML 中不允许出现字符 {char}（控制字符或不可打印字符）；请删除它，确需保留时在双引号字符串中写成转义，如 \"\\u001b\"",
        "character {char} (a control or non-printable character) is not allowed in YAML; delete it, or inside double quotes write it as an escape such as \"\\u001b\"",
    ),
    "load.utf32": (
        "文件是 UTF-32 编码；请另存为 UTF-8，例如：iconv -f UTF-32 -t UTF-8 原文件 > 新文件",
        "file is UTF-32; save it as UTF-8, e.g. iconv -f UTF-32 -t UTF-8 old > new",
    ),
    "load.merge_key": (
        "不支持合并键 <<（锚点与合并会让一处修改悄悄影响多条记录）；请把字段逐条写出",
        "merge keys (<<) are not supported (one edit would silently change several entries); write the fields out in full",
    ),
    "load.key_not_text": (
        "{what} 中的键应为文本，实际为{found}；请写成 key: value",
        "a key in {what} must be text, found {found}; write key: value",
    ),
    "load.not_regular": (
        "不是普通文件（{kind}），未读取；计划目录中只应有 YAML 文件",
        "not a regular file ({kind}), not read; the plans directory should hold only YAML files",
    ),
    "load.link_outside": (
        "指向仓库之外（{target}）的符号链接，未读取；请把文件复制到仓库内",
        "symbolic link out of the repository ({target}), not read; copy the file into the repository",
    ),
    "load.alias_cycle": (
        "别名指向包含它自身的集合（递归结构，会无限展开）；请去掉该别名",
        "an alias refers to a collection that contains it (a recursive structure, which expands forever); remove the alias",
    ),
    "load.bad_name": (
        "文件名含有控制字符（如换行或 ESC），未读取；请重命名该文件",
        "the file name contains a control character (such as a line break or ESC), not read; rename the file",
    ),
    "load.bad_link": ("符号链接无效或循环", "a dangling or looping symbolic link"),
    "val.evidence_scheme": (
        "佐证材料 {path} 是 {scheme}: 链接；只接受 http(s) 网址或仓库内的文件路径",
        "evidence {path} is a {scheme}: link; only http(s) URLs or paths inside the repository are accepted",
    ),
    "val.evidence_bad_path": (
        "佐证材料 {path} 不是可用的路径（{reason}）；请改正路径",
        "evidence {path} is not a usable path ({reason}); correct it",
    ),
}


class Catalogue:
    """Renders message keys in one language."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang if lang in LANGS else "zh"
        self._index = LANGS.index(self.lang)

    def __call__(self, key: str, **params: object) -> str:
        return text(key, self.lang, **params)


class _Formatter(string.Formatter):
    """str.format, plus `{n:~file}` → "1 file" / "2 files" (`{n:~entry/entries}` for other plurals),
    so English never says "1 plans"."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("~"):
            singular, _, plural = format_spec[1:].partition("/")
            return f"{value} {singular if value == 1 else (plural or singular + 's')}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def text(key: str, lang: str = "zh", /, **params: object) -> str:
    """The message `key` in `lang`, formatted with `params`."""
    entry = _CATALOGUE.get(key)
    if entry is None:
        return key if not params else f"{key} {params}"
    template = entry[0 if lang == "zh" else 1]
    # Most messages take only text, numbers and dates, which format as they are: a set
    # of their types (C speed) says so, and spares a call per parameter (50,000 lines of `check`).
    rendered = params if set(map(type, params.values())) <= _AS_THEY_ARE else {k: _param(v, lang) for k, v in params.items()}
    try:
        return _FORMATTER.format(template, **rendered) if ":~" in template else template.format(**rendered)
    except (KeyError, IndexError, ValueError):
        return template


def strict_text(key: str, lang: str = "zh", /, **params: object) -> str:
    """`text`, but an unknown key or a missing parameter raises (KeyError,
    IndexError, ValueError) instead of showing the bare template: for tests
    and fuzzers that prove every message renders."""
    if key not in _CATALOGUE:
        raise KeyError(f"message key {key!r} is not in the catalogue")
    template = _CATALOGUE[key][0 if lang == "zh" else 1]
    rendered = {k: _param(v, lang, strict_text) for k, v in params.items()}
    return _FORMATTER.format(template, **rendered) if ":~" in template else template.format(**rendered)


# libyaml problem texts (a prefix is enough) → the catalogue key that explains them
_YAML_PROBLEMS = (
    ("mapping values are not allowed", "yaml.mapping_values"),
    ("could not find expected ':'", "yaml.expected_colon"),
    ("did not find expected key", "yaml.expected_key"),
    ("expected <block end>", "yaml.expected_key"),
    ("did not find expected '-' indicator", "yaml.expected_dash"),
    ("found character that cannot start any token", "yaml.bad_token"),
    ("found character '\\t'", "yaml.tab"),
    ("found a tab character", "yaml.tab"),
    ("found unexpected end of stream", "yaml.end_of_stream"),
    ("found undefined alias", "yaml.undefined_alias"),
    ("found unknown escape character", "yaml.bad_escape"),
    ("block sequence entries are not allowed", "yaml.block_entries"),
    ("did not find expected ',' or", "yaml.unclosed_flow"),
    ("expected ',' or", "yaml.unclosed_flow"),
    ("did not find expected node content", "yaml.expected_node"),
    ("while scanning a quoted scalar", "yaml.unclosed_quote"),
)


def yaml_problem(detail: str) -> Ref:
    """A YAML parser's complaint, explained in the reader's language with the original words kept."""
    key = next((k for prefix, k in _YAML_PROBLEMS if detail.startswith(prefix)), "yaml.other")
    return Ref("yaml.explained", explanation=Ref(key, detail=detail), detail=detail)


def has(key: str) -> bool:
    return key in _CATALOGUE


def keys() -> Mapping[str, tuple[str, str]]:
    """The whole catalogue, for tests that check every key has both languages."""
    return dict(_CATALOGUE)


_AS_THEY_ARE = frozenset((str, int, float, dt.date))  # `_param` leaves these as they are


def _param(value: object, lang: str, render=None) -> object:
    if value is None:
        return ""
    if isinstance(value, Ref):
        return (render or text)(value.key, lang, **value.params)
    return value
