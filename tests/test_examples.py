"""The examples hold what their documents say, and nothing the documents do not.

Each test quotes the document (the seed's file and line, in /work/shared/seeds on the
machine the examples were made on) and checks the example's counts and a sample of
values against those words. The documents are not in this repository and CI machines
do not have them, so the sentences are copied here as literals; `_holds` asserts that
the example's files (their values, not their comments) contain each one.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import yaml

from rectify_cli import evaluate, load

from .conftest import REPO

WENLING = REPO / "examples/wenling-yingshang-2023"
HEYUAN = REPO / "examples/heyuan-mianduimian-2024"

# Seed 001 is set in half-width punctuation (“,” “(一)” “:”), the examples in full-width; seed 002
# keeps a double space inside a title. Both sides are compared with punctuation made full-width
# and white space removed, nothing else.
_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH))


def _values(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _values(value)
    elif isinstance(node, str):
        yield node


def _holds(folder, *sentences):
    """Every sentence is in some value of the example's YAML files (comments do not count)."""
    text = "\n".join(
        _norm(value)
        for path in sorted(folder.rglob("*.yaml"))
        for value in _values(yaml.safe_load(path.read_text(encoding="utf-8")))
    )
    missing = [s for s in sentences if _norm(s) not in text]
    assert not missing, missing


def _assumed(folder):
    """The ids (or event names) of everything marked `x-assumed: true` in the example."""
    found = set()

    def walk(node, key=None):
        if isinstance(node, dict):
            if node.get("x-assumed") is True:
                found.add(node.get("id", key))
            for k, value in node.items():
                walk(value, k)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in folder.rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found


def _plain(path):
    ledger = load(path)
    assert not ledger.invalid, [p.render("en") for p in ledger.problems]
    return ledger.repository


# -- seed 002: 温人大办〔2023〕14号 -------------------------------------------------
# “二、主要内容” (lines 28–36) gives five areas and 23 pieces of work, each closed by “（责任单位：…）”;
# seven of them name several units or “各工委”. 附件1 (lines 69–206) has the ten activities in 21 rows.
SEED_002 = {  # 002_d79ff44e19b6546d.txt, line: sentence
    28: "通过联系点“直通车”平台，为上级立法工作建言献策。",
    30: "实现涉企政策综合集成、精准识别、直达快享。",
    36: "评估政府有关部门是否解放思想、敢于担当。",
    46: "发动各级人大代表开展动态跟进监督，明年人代会组织代表对大会议案办理情况进行满意度测评。",
    63: "成立市人大常委会助推营商环境优化提升“一号改革工程”领导小组，由市人大常委会主任朱明连担任组长",
    67: "分类梳理形成问题清单、建议清单、督办清单、成果清单，扎实有序推动我市营商环境优化提升。",
    126: "听取税收征管工作情况汇报",  # 附件1 rows are task titles, without their closing “。”
    192: "加大涉企信访化解力度，助力营造和谐稳定营商环境。",
    228: "9.《浙江省保障“最多跑一次”改革规定》",
}
WENLING_JOINT = {
    "T-1-3": ("法制和监察司法工委", "各相关工委"),  # line 28: “…促进依法行政；（责任单位：法制和监察司法工委、各相关工委）”
    "T-1-5": ("法制和监察司法工委", "各相关工委"),  # line 28
    "T-2-1": ("财经工委", "城建环资工委"),  # line 30
    "T-2-3": ("财经工委", "预算工委", "法制和监察司法工委"),  # line 30: “…直达快享。（责任单位：财经工委、预算工委、法制和监察司法工委）”
    "T-3-2": ("财经工委", "城建环资工委"),  # line 32
    "T-5-2": ("城建环资工委", "教科文卫工委", "社会建设工委"),  # line 36
}
# Each unit's count, from the document: its “（责任单位）” pieces of work plus its 附件1 rows
# (a joint piece counts for each of its units; 附件1's “办公室” through the registry).
WENLING_BY_UNIT = {
    "法制和监察司法工委": 5 + 4, "财经工委": 6 + 4, "城建环资工委": 5 + 2, "代表与选任工委": 2 + 4, "预算工委": 3 + 1,
    "社会建设工委": 3 + 2, "教科文卫工委": 2 + 1, "农业与农村工委": 2 + 1, "各相关工委": 2, "各工委": 1,
    "温岭市人大常委会办公室": 0 + 2,
}


def test_wenling_keeps_every_assignment_of_the_plan_with_its_units():
    repo = _plain(WENLING)
    _holds(WENLING, *SEED_002.values())
    assert len(repo.issues) == 16 and len(repo.tasks) == 44 and len(repo.plans[0].milestones) == 1
    areas = [i for i in repo.issues if i.category == "主要内容"]
    assert [i.title for i in areas] == ["助推法治环境更公正", "助推政务环境更高效", "助推市场环境更公平",
                                        "助推经济生态环境更健全", "助推人文环境更温馨"]
    work = [t for t in repo.tasks if t.id.startswith("T-")]
    assert len(work) == 23
    assert [sum(t.issue == i.id for t in work) for i in areas] == [6, 4, 6, 4, 3]
    assert {t.id: t.leads for t in work if len(t.leads) > 1} == WENLING_JOINT
    assert next(t for t in work if t.id == "T-5-3").leads == ("各工委",)  # line 36: “（责任单位：各工委）”
    assert sum(len(t.leads) > 1 or t.leads == ("各工委",) for t in work) == 7  # seven joint or collective
    # line 28: “开展《浙江省民营企业发展促进条例》《浙江省促进中小微企业发展条例》等执法检查…（责任单位：财经工委）”
    check = next(t for t in work if t.id == "T-1-2")
    assert check.title.startswith("开展《浙江省民营企业发展促进条例》") and check.leads == ("财经工委",)
    assert all(t.due is None and t.status.value == "todo" and t.done is None for t in work)  # the plan gives neither
    assert _assumed(WENLING) == {None}  # only the registry entry (a unit has no id): 附件1's “办公室”


def test_wenling_keeps_the_ten_activities_as_the_annex_assigns_them():
    repo = _plain(WENLING)
    activities = [i for i in repo.issues if i.category == "十大主题活动"]
    assert [i.title for i in activities] == [f"开展{name}活动" for name in (
        "广纳民意", "配合立法", "专项监督", "专题调研", "专题询问", "执法检查", "协同监督", "助推破难", "案例宣传", "履职评议")]
    assert all(i.parent == "I-6" for i in activities)
    rows = [t for t in repo.tasks if t.id.startswith("A-")]
    assert len(rows) == 21
    assert [sum(t.issue == i.id for t in rows) for i in activities] == [1, 1, 7, 3, 1, 1, 1, 4, 1, 1]
    by_id = {t.id: t for t in rows}
    assert by_id["A-03-6"].title == "听取税收征管工作情况汇报" and by_id["A-03-6"].leads == ("预算工委",)
    assert by_id["A-03-6"].due.text == "6-8月"  # lines 126–128: 听取税收征管工作情况汇报。 预算工委 6-8月
    assert by_id["A-06-1"].due.text == "10月" and by_id["A-10-1"].due.text == "12月"  # lines 164, 206
    assert by_id["A-04-1"].due.text == "10-12月" and by_id["A-05-1"].due.text == "3-6月"  # lines 140, 158
    assert by_id["A-08-4"].leads == ("办公室",)  # line 193, as 附件1 writes it; the registry names the unit


def test_wenling_counts_each_joint_lead_by_unit(run):
    code, out, _ = run("status", str(WENLING), "--as-of", "2023-03-31", "--by", "unit", "--format", "json", cwd=REPO)
    assert code == 0
    data = json.loads(out)
    assert {g["key"]: g["total"] for g in data["groups"]} == WENLING_BY_UNIT
    assert data["total"]["total"] == 44 and sum(WENLING_BY_UNIT.values()) == 52  # joint work counted once per unit
    # the registry: eleven units, one of them also called “办公室”
    config = yaml.safe_load((WENLING / "rectify.yaml").read_text(encoding="utf-8"))
    assert len(config["units"]) == 11 and set(WENLING_BY_UNIT) == {u["name"] for u in config["units"]}


def test_wenling_dates_the_vote_by_next_years_session_and_invents_no_list_entry():
    repo = _plain(WENLING)
    (plan,) = repo.plans
    (vote,) = plan.milestones
    assert vote.due.text == "明年人代会" and vote.leads == ("代表与选任工委",)  # line 46; 附件1 row 3 (line 95)
    schedule = evaluate(load(WENLING), as_of=dt.date(2023, 12, 31))
    (state,) = schedule.milestones
    assert state.due is not None and state.due.kind == "pending" and not state.overdue
    assert "分类梳理形成问题清单、建议清单、督办清单、成果清单" in plan.responsibility  # line 67
    assert repo.suggestions == () and repo.outcomes == ()  # the plan names the lists, not their entries
    assert not any(t.duban for t in repo.tasks)  # nor any 督办


# -- seed 004: 河源市“面对面”政企交流活动工作方案 ---------------------------------------
def test_heyuan_repeats_its_eight_steps_for_every_quarterly_activity_day():
    repo = _plain(HEYUAN)
    (plan,) = repo.plans
    day = plan.event("activity_day")
    assert day.every == "quarter" and day.names == ("活动日",)  # “每季度开展一次”
    assert [t.title for t in repo.tasks] == ["收集和汇总企业困难问题", "核实企业问题，形成企业问题目录报市府办公室", "确定问题目录",
                                          "印发活动通知", "活动组织安排", "意见的整理和交办", "意见的办理和督办", "办结和评价"]
    assert all(t.each == "活动日" for t in repo.tasks)
    steps = {t.id: t for t in repo.tasks}
    # “并在活动日前4个工作日将企业问题目录报市府办公室。[牵头单位:市工业和信息化局,配合单位:各县(区)政府(管委会),市府办公室、市有关单位]”
    assert steps["T-02"].due.text == "活动日前4个工作日" and steps["T-02"].leads == ("市工业和信息化局",)
    assert steps["T-02"].support == ("各县（区）政府（管委会）", "市府办公室", "市有关单位")
    assert steps["T-03"].leads == ("市府办公室",) and steps["T-03"].support == ("市工业和信息化局",)
    assert [t.id for t in repo.tasks if t.due is not None] == ["T-02"]  # no other step has a deadline in the text
    schedule = evaluate(load(HEYUAN), as_of=dt.date(2024, 9, 10))
    collect = {s.item.id: s for s in schedule.tasks if s.item.id.startswith("T-02@")}
    assert sorted(collect) == ["T-02@2024-06-20", "T-02@2024-09-20"]  # the past one and the next one
    assert collect["T-02@2024-09-20"].due_date == dt.date(2024, 9, 13)  # 4 working days before 09-20
    assert collect["T-02@2024-06-20"].overdue  # the document records nothing done for it


def test_heyuan_marks_the_dates_it_had_to_assume():
    text = (HEYUAN / "plan.yaml").read_text(encoding="utf-8")
    assert "x-assumed: true" in text and "原文没有活动日的日期" in text


# -- seed 003: 中共清远市人大常委会机关党组关于八届市委第六轮巡察整改进展情况的通报 ---------------
QINGYUAN = REPO / "examples/qingyuan-rd-xuncha-2025"
SEED_003 = {  # 003_633b406c14a1339f.txt, line: sentence
    3: "2025年3月25日，市委第二巡察组向中共清远市人大常委会机关党组反馈了巡察意见。",
    7: "每条措施落实专人负责跟进，并明确了责任委室和完成时限。",
    11: "2025年6月召开专题座谈会通报任前公示不够规范情况",
    12: "通报退休干部出国（境）证照台账管理混乱问题。",
    14: "2025年5月13日，机关党组印发了《2025年中共清远市人大常委会机关党组理论学习中心组专题学习重点内容安排》，确保学习的计划性和规范性。",
    16: "市人大常委会代表工委对反馈问题涉及的清城区、清新区相关联络站逐一进行了现场检查，对整改不到位的问题立即督促整改，目前已整改完毕。",
    18: "除少数代表因工作等原因外，大部分代表完成了联系任务",
    21: "审计报告提出的问题与巡察发现问题基本一致，包括未建立国有资产管理制度、未定期对规定资产进行盘点，对报废资产未能及时处理。",
    22: "立行立改，全面清查工会账簿凭证，补充缺失的签名。",
    24: "在人事工作座谈会上通报干部考察程序不规范情况",
}


def test_qingyuan_issues_are_the_findings_the_notice_states():
    repo = _plain(QINGYUAN)
    _holds(QINGYUAN, *SEED_003.values())
    issues = {i.id: i for i in repo.issues}
    assert len(issues) == 12 and len(repo.tasks) == 24
    assert [sum(i.category == c for i in repo.issues) for c in (
        "对上一轮巡察发现问题整改", "贯彻落实党的理论路线方针政策和服务保障人大常委会履职", "加强工作作风和日常管理",
        "落实全面从严治党要求")] == [2, 6, 2, 2]
    # line 11: the finding is the title, the numbered heading (“1.进一步规范选人用人工作”) the target
    assert issues["I-01"].title == "任前公示不够规范；部分选人用人纪实材料不够规范"
    assert issues["I-01"].target == "进一步规范选人用人工作"
    assert "退休干部出国（境）证照台账管理混乱" in issues["I-02"].title  # line 12
    # line 21: the audit's words are the finding
    assert issues["I-09"].title.startswith("未建立国有资产管理制度") and issues["I-09"].target == "强化固定资产管理"
    assert issues["I-09"].finding == SEED_003[21]
    assert issues["I-11"].title == "干部考察程序不规范" and issues["I-11"].target == "规范干部考察程序"  # line 24
    assert issues["I-03"].title == "持续加强理论武装" and not issues["I-03"].target  # no finding stated: the heading


def test_qingyuan_keeps_no_deadline_it_does_not_give_and_the_states_it_does(run):
    repo = _plain(QINGYUAN)
    tasks = {t.id: t for t in repo.tasks}
    # line 22: item 10 一是 is 立行立改, the only deadline the notice writes (its months are when work was done)
    assert tasks["T-10-1"].due.text == "立行立改" and tasks["T-10-1"].term == "立行立改"
    assert [t.id for t in repo.tasks if t.due is not None] == ["T-10-1"]
    # line 7 says each measure has a 责任委室 but names none: a measure that names its unit has it
    assert {t.id: t.leads for t in repo.tasks if t.leads != ("中共清远市人大常委会机关党组",)} == {
        "T-04-2": ("市人大常委会办公室",), "T-05-1": ("市人大常委会代表工委",),
        "T-07-1": ("市人大常委会代表工委",), "T-07-2": ("市人大常委会代表工委",)}
    # states only where the notice says the result exists (lines 14, 16, 18 …); a date only where it gives a day
    states = {t.id: t.status.value for t in repo.tasks}
    assert sorted(i for i, v in states.items() if v == "done") == [
        "T-02-2", "T-03-2", "T-04-1", "T-05-1", "T-05-3", "T-06-1", "T-07-1", "T-09-1", "T-09-2", "T-10-1", "T-10-2",
        "T-12-1", "T-12-2"]
    assert [i for i, v in states.items() if v == "doing"] == ["T-07-2"]  # line 18
    assert {t.id: t.done for t in repo.tasks if t.done is not None} == {"T-03-2": dt.date(2025, 5, 13)}  # line 14
    assert _assumed(QINGYUAN) == {"report-due", "T-10-1"}
    # 巡视工作条例 art. 27: the report is due two months after the feedback of line 3, not three
    (report,) = repo.plans[0].milestones
    assert report.due.text == "2 months after feedback_received" and report.leads == ("中共清远市人大常委会机关党组",)
    schedule = evaluate(load(QINGYUAN), as_of=dt.date(2026, 1, 21))
    assert schedule.milestones[0].due_date == dt.date(2025, 5, 26)  # 2025-05-25 is a Sunday
    events = repo.plans[0].event_dates()  # line 3: 巡察 2024-09-18 至 12-20, feedback 2025-03-25
    assert (events["inspection_started"], events["inspection_ended"], events["feedback_received"]) == (
        dt.date(2024, 9, 18), dt.date(2024, 12, 20), dt.date(2025, 3, 25))
    assert events["publicity_ends"] == dt.date(2026, 2, 28)  # line 37: “公开期限：2026年1月21日至2026年2月28日”
    # the registry makes the text's “机关党组” the same unit
    code, out, _ = run("status", str(QINGYUAN), "--as-of", "2026-01-21", "--by", "unit", "--format", "json", cwd=REPO)
    assert code == 0
    assert {g["key"]: g["total"] for g in json.loads(out)["groups"]} == {
        "中共清远市人大常委会机关党组": 20, "市人大常委会代表工委": 3, "市人大常委会办公室": 1}


# -- seed 001: 中共广州市番禺区委关于巡察整改进展情况的通报 ----------------------------------
PANYU = REPO / "examples/panyu-xuncha-2024"
SEED_001 = {  # 001_0e1db6e5294ef26a.txt, line: sentence (the notice is set in half-width punctuation)
    10: "2023年8月16日至9月28日,市委第七巡察组对番禺区委开展了优化营商环境促进民营经济发展壮大专项巡察。2024年1月18日,市委巡察组反馈了巡察意见。",
    16: "区委坚决扛起专项巡察整改主体责任,区委主要领导履行整改第一责任人职责",
    20: "形成问题清单、任务清单、责任清单,明确整改措施、责任单位、整改要求、完成时限",
    30: "区委、区全面优化营商环境领导小组抓好督办,推动营商环境6.0改革及各项改革任务落地,深化改革。",
    64: "区城市管理综合执法局等6个职能部门沿用市“有较大影响的案件”标准,区住建局结合工作实际制定“有较大影响执法案件”的认定标准,相关标准文件已下发至镇街。",
    114: "专精特新企业集聚区纵向规划道路已完成建设并投入使用。",
    152: "目前,我区线上全城通办率已达到市政务服务效能指数考核指标要求。",
    172: "持续开展定向监测,及时处置涉嫌违法线索,上级转办监测线索有所下降,定向监测效能提升明显,涉嫌违法线索的,正全力处理办结。",
}


def test_panyu_states_what_the_notice_says_and_nothing_else(run):
    repo = _plain(PANYU)
    _holds(PANYU, *SEED_001.values())
    assert len(repo.issues) == 41 and len(repo.tasks) == 98
    assert [sum(i.category == c for i in repo.issues) for c in ("政策环境", "法治环境", "市场环境", "政务环境")] == [5, 7, 10, 19]
    # line 20: the plan fixed units and deadlines, the notice lists none: no measure has a deadline
    assert all(t.due is None and t.done is None for t in repo.tasks)
    # line 30: two subjects of one measure are its joint leads
    tasks = {t.id: t for t in repo.tasks}
    assert tasks["T-01-1"].leads == ("区委", "区全面优化营商环境领导小组")
    named = [t for t in repo.tasks if t.leads != ("中共广州市番禺区委",)]
    assert len(named) == 8 and all(all(u in t.notes or u in t.title for u in t.leads) for t in named)
    assert "区委坚决扛起专项巡察整改主体责任" in repo.plans[0].responsibility  # line 16: the rest are the 区委's
    # lines 64, 90, 114, 140, 152: results the notice says exist; line 172: still being handled
    states = {t.id: t.status.value for t in repo.tasks}
    assert sorted(i for i, v in states.items() if v == "done") == ["T-09-1", "T-15-1", "T-21-2", "T-27-1", "T-30-1"]
    assert [i for i, v in states.items() if v == "doing"] == ["T-35-1"]
    assert sum(v == "todo" for v in states.values()) == 92
    # line 10
    events = repo.plans[0].event_dates()
    assert events["inspection_started"] == dt.date(2023, 8, 16) and events["inspection_ended"] == dt.date(2023, 9, 28)
    assert events["feedback_received"] == dt.date(2024, 1, 18)
    (report,) = repo.plans[0].milestones
    assert report.due.text == "2 months after feedback_received"  # 巡视工作条例 art. 27: two months, not three
    assert _assumed(PANYU) == {"report-due"}
    schedule = evaluate(load(PANYU), as_of=dt.date(2025, 3, 28))
    assert schedule.milestones[0].due_date == dt.date(2024, 3, 18) and not schedule.overdue
    # the registry: 区委 and 番禺区委 are 中共广州市番禺区委 (90 of its own, T-01-1 jointly, T-20-2 as 区委)
    code, out, _ = run("status", str(PANYU), "--as-of", "2025-03-28", "--by", "unit", "--format", "json", cwd=REPO)
    assert code == 0
    groups = {g["key"]: g["total"] for g in json.loads(out)["groups"]}
    assert groups["中共广州市番禺区委"] == 92 and "区委" not in groups and groups["区全面优化营商环境领导小组"] == 1


def test_panyu_report_states_the_completions_the_notice_gives(run):
    code, out, _ = run("report", "panyu-xuncha-2024", str(PANYU), "--as-of", "2025-03-28", "--lang", "zh", cwd=REPO)
    assert code == 0
    assert "共有问题41个、整改措施98项" in out


# -- seed 000: 清远市人大常委会…开展工作评议的实施方案 (the default plan) ------------------------
DEFAULT = REPO / "plans"
SEED_000 = {  # 000_b24ed958d5694eef.txt, line: sentence
    18: "此次评议按照《清远市人民代表大会常务委员会工作评议暂行办法》进行，主要评议广清一体化之营商环境一体化的推进落实情况，市政府及有关职能部门履行职责以及工作成效等情况。",
    22: "工作评议的主体是市人大常委会，由常委会主任会议组织实施，市人大常委会预算工作委员会负责具体工作。",
    34: "开展自查。市政府及有关单位在收到评议通知和评议方案后，按照相关内容和要求，组织开展自查、整改，协助、配合做好评议工作，根据评议实施方案撰写工作报告，在今年9月10日前将书面材料（盖章）和电子版报送市人大常委会预算工委。",
    36: "8月下旬至9月上旬,向有关单位、企业和市民发出问卷测评，对广清一体化之营商环境一体化的推进落实情况有关工作进行测评。",
    45: "10月上旬，调研组整理相关资料，汇总意见和建议，撰写调研报告。",
    55: "市人大常委会在评议会上采取票决形式，对市政府提交的工作报告、评议意见进行票决。",
    62: "市人大常委会将经市人大常委会会议通过的评议意见和整改清单以书面形式印发给市政府，抄报市委及抄送有关部门。",
    66: "整改期间，市人大常委会委托预算工委对市政府及其职能部门采取检查、听取汇报等形式进行跟踪监督，督促其改进工作。",
}
# line 64: “市政府及其职能部门在收到评议意见20个工作日内制定整改处理方案，送市人大常委会预算工委，
#           并自收到评议意见之日起三个月内将整改处理情况书面报告市人大常委会。”
# lines 25–60: “工作评议包括准备、调研、评议、整改四个阶段” with “（一）准备阶段（2025年7月下旬至8月）”,
#           “（二）调研阶段（2025年9月-10月）”, “（三）评议阶段（2025年10月下旬）”, “（四）整改阶段（2025年11月至2026年1月）”.


def test_the_default_plan_keeps_phases_milestones_and_wording_as_the_plan_writes_them():
    repo = _plain(DEFAULT)
    (plan,) = repo.plans
    _holds(DEFAULT, *SEED_000.values())
    assert [(p.title, p.window.text) for p in plan.phases] == [
        ("准备阶段", "2025年7月下旬至8月"), ("调研阶段", "2025年9月-10月"), ("评议阶段", "2025年10月下旬"),
        ("整改阶段", "2025年11月至2026年1月")]
    # one thing is evaluated (二、评议内容): one issue, not the four stages
    assert [i.title for i in repo.issues] == ["广清一体化之营商环境一体化的推进落实情况"]
    # line 64: two milestones, led by who must do them, with the deadline as written
    assert [(m.id, m.due.text, m.leads) for m in plan.milestones] == [
        ("plan-due", "收到评议意见20个工作日内", ("市政府及其职能部门",)),
        ("report-due", "自收到评议意见之日起三个月内", ("市政府及其职能部门",))]
    # every step of 四、实施步骤 but the two milestones: 5 + 4 + 5 + 2 = 16, numbered as the plan numbers them
    tasks = {t.id: t for t in repo.tasks}
    assert len(tasks) == 16 and "T-04-2" not in tasks and all(t.issue == "I-01" for t in tasks.values())
    assert not any("整改处理方案" in t.title or "书面报告" in t.title for t in tasks.values())
    # the steps' own time words are their deadlines (lines 34, 36, 41, 43, 45, 47)
    assert {i: tasks[i].due.text for i in ("T-01-4", "T-01-5", "T-02-1", "T-02-2", "T-02-3", "T-02-4")} == {
        "T-01-4": "今年9月10日前", "T-01-5": "8月下旬至9月上旬", "T-02-1": "9月上中旬", "T-02-2": "9月中下旬",
        "T-02-3": "10月上旬", "T-02-4": "10月中旬"}
    assert tasks["T-01-4"].leads == ("市政府及有关单位",)
    # line 43 names the 20 bodies the 调研组 hears
    assert len(tasks["T-02-2"].support) == 21 and tasks["T-02-2"].support[0] == "市政府"
    # every state the plan does not give is marked as assumed
    assert _assumed(DEFAULT) == {"opinions_received", "plan-due", "report-due", *(set(tasks) - {"T-01-1"})}
    assert tasks["T-01-1"].done == dt.date(2025, 8, 25)  # line 16: “2025年8月25日…主任会议通过”


def test_the_default_plan_passes_check_from_the_last_assumed_day(run):
    code, out, _ = run("check", str(DEFAULT), "--as-of", "2026-01-30", "--lang", "en", cwd=REPO)
    assert code == 0 and "0 errors, 0 overdue, 0 rule violations, 0 warnings" in out, out
