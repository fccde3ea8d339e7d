"""The other lists a plan keeps: 建议清单 (suggestions) and 成果清单 / 制度清单 (outcomes)."""

from __future__ import annotations

import jsonschema
import pytest

from rectify_cli import load
from rectify_cli.schema_doc import json_schema

from .conftest import write
from .test_schema import as_editor_reads

PLAN = "kind: plan\nid: yshj\ntitle: 营商环境一号改革工程\nowner: 市人大常委会\n"
ISSUES = "kind: issues\nplan: yshj\nissues:\n  - id: I-1\n    title: 政策落实不到位\n"
TASKS = """\
kind: tasks
plan: yshj
tasks:
  - id: T-1
    issue: I-1
    title: 开展专题询问
    lead: [财经工委, 预算工委]
    due: 2023-06-30
    status: done
    done: 2023-06-28
"""
SUGGESTIONS = """\
kind: suggestions
plan: yshj
suggestions:
  - id: S-1
    title: 简化企业开办流程，推行一窗通办
    by: 市人大代表
    issue: I-1
    lead: 市市场监管局
    support: [市政务服务数据管理局]
    due: 2023年9月底前
    status: 已办结
    reply: 已在全市推行企业开办一窗通办
    replied: 2023-09-20
"""
OUTCOMES = """\
kind: outcomes
plan: yshj
outcomes:
  - id: R-1
    title: 温岭市优化营商环境专题询问工作规程
    category: 制度
    number: 温人大办〔2023〕20号
    date: 2023-07-10
    issuer: 温岭市人大常委会办公室
    tasks: [T-1]
"""
AS_OF = "2023-12-31"


@pytest.fixture
def plan(tmp_path):
    for name, text in (("plan", PLAN), ("issues", ISSUES), ("tasks", TASKS), ("suggestions", SUGGESTIONS),
                       ("outcomes", OUTCOMES)):
        write(tmp_path / f"plans/yshj/{name}.yaml", text)
    return tmp_path


def test_the_lists_load_with_the_plan(plan):
    ledger = load(plan / "plans")
    assert not ledger.invalid, [p.render("en") for p in ledger.problems]
    (suggestion,) = ledger.repository.suggestions
    assert suggestion.leads == ("市市场监管局",) and suggestion.due.text == "2023年9月底前" and suggestion.replied.day == 20
    (outcome,) = ledger.repository.outcomes
    assert outcome.number == "温人大办〔2023〕20号" and outcome.tasks == ("T-1",) and outcome.at("number").line == 7


@pytest.mark.parametrize("file, old, new, message", [
    ("outcomes", "tasks: [T-1]", "tasks: [T-9]", "outcomes.yaml:10:12: error: tasks: plan yshj has no task T-9"),
    ("suggestions", "issue: I-1", "issue: I-7", "suggestions.yaml:7:12: error: issue: plan yshj has no issue I-7"),
    ("suggestions", "plan: yshj", "plan: yshk", "suggestions.yaml:2:7: error: plan: no plan with id yshk"),
    ("outcomes", "    tasks: [T-1]\n", "    tasks: [T-1]\n  - id: R-1\n    title: again\n", "error: duplicate outcome"),
    ("outcomes", "number:", "numbr:", "unknown key numbr"),
])
def test_a_list_entry_that_points_nowhere_is_an_error_at_its_line(run, plan, file, old, new, message):
    path = plan / f"plans/yshj/{file}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=plan)
    assert code == 2
    assert any(message in line for line in out.splitlines()), out


def test_report_lists_prints_every_list_the_plan_keeps(run, plan):
    code, out, _ = run("report", "yshj", "--lists", "--as-of", AS_OF, "--lang", "zh", cwd=plan)
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("#")]
    assert [h.split("：")[-1].split(" ")[-1] for h in headings[-5:]] == ["问题清单", "任务清单", "责任清单", "建议清单", "成果清单"] or \
        all(any(name in h for h in headings) for name in ("问题清单", "任务清单", "责任清单", "建议清单", "成果清单"))
    suggestion_row = next(line for line in out.splitlines() if "S-1" in line)
    assert "简化企业开办流程" in suggestion_row and "市市场监管局" in suggestion_row and "2023年9月底前" in suggestion_row
    assert "已在全市推行" in suggestion_row
    outcome_row = next(line for line in out.splitlines() if "R-1" in line)
    assert "温人大办〔2023〕20号" in outcome_row and "制度" in outcome_row and "T-1" in outcome_row


def test_the_excel_ledger_has_a_sheet_per_list_and_import_reads_them_back(run, plan):
    from openpyxl import load_workbook

    book = plan / "ledger.xlsx"
    assert run("export", "plans", "--format", "xlsx", "--as-of", AS_OF, "--out", str(book), "--lang", "zh", cwd=plan)[0] == 0
    sheets = load_workbook(book)
    rows = [[c.value for c in r] for r in sheets["建议清单"].iter_rows()]
    assert "编号" in rows[0] and "答复情况" in rows[0] and "建议内容" in rows[0] and rows[1][1:3] == ["S-1", "简化企业开办流程，推行一窗通办"]
    rows = [[c.value for c in r] for r in sheets["成果清单"].iter_rows()]
    assert "文号" in rows[0] and "温人大办〔2023〕20号" in rows[1]
    code, out, _ = run("import", str(book), "--plan", "yshj", "--out", "back", "--lang", "zh", cwd=plan)
    assert code == 0, out
    again = load(plan / "back")
    original = load(plan / "plans")
    assert not again.invalid, [p.render("en") for p in again.problems]
    def strip(entry):  # what the entry says, not where it was read
        values = {k: getattr(entry, k) for k in entry.__dataclass_fields__ if k not in ("source", "fields")}
        return {k: getattr(v, "text", v) for k, v in values.items()}

    assert [strip(e) for e in again.repository.suggestions] == [strip(e) for e in original.repository.suggestions]
    assert [strip(e) for e in again.repository.outcomes] == [strip(e) for e in original.repository.outcomes]


def test_the_json_schema_knows_the_lists():
    document = json_schema("en")
    jsonschema.validate(as_editor_reads(SUGGESTIONS), document)
    jsonschema.validate(as_editor_reads(OUTCOMES), document)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_editor_reads(OUTCOMES.replace("number:", "numbr:")), document)
