"""The schema table: one declaration that the reader, `set`, history, the ledger,
the JSON Schema and the README all follow."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from rectify_cli import model, schema
from rectify_cli.formats import tables
from rectify_cli.history.items import FIELDS
from rectify_cli.loader import parse_text
from rectify_cli.messages import keys
from rectify_cli.schema_doc import json_schema, markdown_table

from .conftest import CORPUS, REPO

# What the reader reports when a file's structure is wrong (not its meaning).
STRUCTURAL = {
    "val.unknown_key", "val.missing_key", "val.wrong_type", "load.missing_kind",
    "load.unknown_kind", "load.top_not_mapping", "load.key_not_text",
}
LEDGER_FILES = sorted(p for d in ("plans", "examples") for p in (REPO / d).rglob("*.y*ml"))


class _Yaml12Dates(yaml.SafeLoader):
    """Dates stay text, as YAML 1.2 editors (the YAML language server) read them."""


_Yaml12Dates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_editor_reads(text: str):
    return yaml.load(text, Loader=_Yaml12Dates)


@pytest.fixture(scope="module")
def validator():
    document = json_schema("en")
    jsonschema.Draft202012Validator.check_schema(document)
    return jsonschema.Draft202012Validator(document)


def test_the_schema_is_a_valid_draft_2020_12_schema_in_both_languages():
    for lang in ("zh", "en"):
        document = json_schema(lang)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(document)
    assert json_schema("zh")["$defs"]["task"]["properties"]["lead"]["title"] == "牵头单位"


def test_every_file_of_plans_and_examples_validates(validator):
    assert len(LEDGER_FILES) >= 12
    for path in [*LEDGER_FILES, CORPUS / "edit/basic/rectify.yaml"]:
        errors = [e.message for e in validator.iter_errors(as_editor_reads(path.read_text(encoding="utf-8")))]
        assert errors == [], path


def test_the_structural_cases_of_the_bad_corpus_are_rejected(validator):
    rejected = []
    for path in sorted((CORPUS / "bad").glob("*.yaml")):
        _, problems = parse_text(path.name, path.read_bytes().decode("utf-8", "replace"))
        found = {p.key for p in problems}
        if not STRUCTURAL & found or "load.merge_key" in found:  # `<<` is a YAML feature JSON never sees
            continue
        try:
            data = as_editor_reads(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, TypeError):  # e.g. a list as a key: no JSON value to validate
            continue
        assert not validator.is_valid(data), path.name
        rejected.append(path.name)
    assert {"unknown_key.yaml", "wrong_type.yaml", "no_kind.yaml", "unknown_kind.yaml", "top_list.yaml"} <= set(rejected)


def _tasks_file() -> str:
    return (REPO / "plans/gq-2025/tasks.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [f.name for f in schema.fields("task") if f.required])
def test_schema_and_reader_agree_a_required_task_key_is_missing(validator, name):
    data = as_editor_reads(_tasks_file())
    del data["tasks"][0][name]
    assert not validator.is_valid(data)
    _, problems = parse_text("t.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert "val.missing_key" in {p.key for p in problems}


@pytest.mark.parametrize("name", [f.name for f in schema.fields("task") if f.type in (schema.TEXT, schema.DATE, schema.EXPR, schema.STATUS)])
def test_schema_and_reader_agree_a_mapping_is_the_wrong_type(validator, name):
    data = as_editor_reads(_tasks_file())
    data["tasks"][0][name] = {"a": 1}
    assert not validator.is_valid(data)
    _, problems = parse_text("t.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert "val.wrong_type" in {p.key for p in problems}


def test_extension_keys_pass_and_unknown_keys_fail_in_both(validator):
    data = as_editor_reads(_tasks_file())
    data["tasks"][0]["x-source"] = {"page": 3}
    data["x_note"] = "ours"
    assert validator.is_valid(data)
    assert parse_text("t.yaml", yaml.safe_dump(data, allow_unicode=True))[1] == []
    bad = copy.deepcopy(data)
    bad["tasks"][0]["leader"] = "someone"
    assert not validator.is_valid(bad)
    assert "val.unknown_key" in {p.key for p in parse_text("t.yaml", yaml.safe_dump(bad, allow_unicode=True))[1]}


def test_chinese_status_words_are_in_the_schema(validator):
    data = as_editor_reads(_tasks_file())
    for word in ("推进中", "已销号", "长期坚持", "DONE"):
        data["tasks"][0]["status"] = word
        assert validator.is_valid(data), word
    data["tasks"][0]["status"] = "快完成了"
    assert not validator.is_valid(data)


def test_the_reader_key_tables_are_the_schema():
    from rectify_cli import reader

    assert reader.TASK_KEYS == schema.keys("task")
    assert list(reader.PLAN_KEYS)[:3] == ["kind", "id", "title"]
    assert reader.REOPEN_KEYS == {"date": False, "reason": True, "by": False, "done": False, "closed": False, "closed_by": False}


def test_every_field_has_a_label_in_both_languages():
    catalogue = keys()
    for kind in schema.KINDS:
        for f in schema.fields(kind):
            zh, en = catalogue[f.label]
            assert zh and en, f.label


def test_every_item_field_is_an_attribute_of_its_model_class():
    classes = {
        "issue": model.Issue, "task": model.Task, "milestone": model.Milestone, "phase": model.Phase,
        "progress": model.Progress, "extension": model.Extension, "reopening": model.Reopening,
        "event": model.Event, "unit": model.Unit, "review": model.Review, "duban": model.Duban,
        "lookback": model.Lookback, "run": model.Run, "source": model.SourceSpec,
    }
    for kind, cls in classes.items():
        attributes = set(cls.__dataclass_fields__)
        assert {f.attr or f.name for f in schema.fields(kind)} <= attributes, kind


def test_history_lists_fields_in_the_order_it_always_did():
    assert FIELDS["task"] == (
        "title", "issue", "lead", "support", "owner", "due", "term", "status", "done", "closed_by",
        "closed", "evidence", "extensions", "reopened", "progress", "notes",
        "reviews", "duban", "lookbacks", "review_after", "each", "runs",
    )
    assert FIELDS["milestone"][:5] == ("title", "due", "status", "done", "evidence")
    assert FIELDS["issue"][:2] == ("title", "category")


def test_set_writes_exactly_the_settable_fields():
    assert schema.settable("task") == (
        "issue", "title", "lead", "support", "owner", "due", "term", "status", "done", "closed_by", "closed", "evidence",
        "notes", "review_after",
    )
    assert schema.field("task", "extensions").verb == "extend"


def test_import_reads_the_header_words_the_schema_declares():
    mapping = tables.header_map()
    for column, words in schema.header_words().items():
        for word in words:
            assert mapping[tables._norm(word)] == column


def test_readme_key_table_is_the_schema():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "regenerate with: python -c 'from rectify_cli.schema_doc import markdown_table; print(markdown_table())'"


def test_schema_command_prints_the_json_schema_and_writes_it_with_out(run, tmp_path):
    code, out, _ = run("schema", "--lang", "en")
    assert code == 0
    assert json.loads(out) == json_schema("en")
    target = tmp_path / ".rectify" / "schema.json"
    code, _, err = run("schema", "--out", str(target), "--lang", "zh")
    assert code == 0 and str(target) in err
    assert json.loads(target.read_text(encoding="utf-8")) == json_schema("zh")


def test_new_plan_points_editors_at_the_schema_file(run, tmp_path):
    (tmp_path / ".git").mkdir()
    code, _, err = run("new", "plan", "--id", "a-1", "--title", "整改", "--dir", "plans/a-1", cwd=tmp_path)
    assert code == 0, err
    assert run("schema", "--out", ".rectify/schema.json", cwd=tmp_path)[0] == 0
    for name in ("plan.yaml", "issues.yaml", "tasks.yaml"):
        path = tmp_path / "plans/a-1" / name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../.rectify/schema.json"
        pointed = (path.parent / first.split("$schema=", 1)[1]).resolve()
        document = json.loads(pointed.read_text(encoding="utf-8"))
        jsonschema.validate(as_editor_reads(path.read_text(encoding="utf-8")), document)
    assert run("check", cwd=tmp_path)[0] == 0


# -- a field added through the table: an issue's finding (具体表现) and target (整改目标) --
FINDING = "政策文件只在官网发布，企业不知道"
TARGET = "惠企政策知晓率明显提高"


def _demo_with_finding(tmp_path: Path) -> Path:
    from .test_report_support import write_demo

    plans = write_demo(tmp_path)
    path = plans / "demo" / "issues.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    title: 惠企政策宣传指引不到位\n",
        f"    title: 惠企政策宣传指引不到位\n    finding: {FINDING}\n    target: {TARGET}\n"), encoding="utf-8")
    return plans


def test_finding_and_target_are_read_checked_and_in_status_json(run, tmp_path, validator):
    plans = _demo_with_finding(tmp_path)
    assert validator.is_valid(as_editor_reads((plans / "demo/issues.yaml").read_text(encoding="utf-8")))
    code, out, _ = run("check", str(plans), "--format", "json", "--as-of", "2025-12-01", cwd=tmp_path)
    assert json.loads(out)["errors"] == []
    code, out, _ = run("status", str(plans), "--format", "json", "--as-of", "2025-12-01", cwd=tmp_path)
    issues = {i["id"]: i for i in json.loads(out)["issues"]}
    assert (issues["I-01"]["finding"], issues["I-01"]["target"]) == (FINDING, TARGET)
    assert (issues["I-02"]["finding"], issues["I-02"]["target"]) == ("", "")
    code, _, err = run("set", "demo:I-02", "finding", "申请流程不公开", "--plans", str(plans), cwd=tmp_path)
    assert code == 0, err
    assert "    finding: 申请流程不公开\n" in (plans / "demo/issues.yaml").read_text(encoding="utf-8")


def test_finding_and_target_go_to_the_excel_ledger_and_come_back(run, tmp_path):
    from openpyxl import load_workbook

    plans = _demo_with_finding(tmp_path)
    xlsx = tmp_path / "ledger.xlsx"
    code, _, err = run("export", str(plans), "--format", "xlsx", "--out", str(xlsx), "--lang", "zh", cwd=tmp_path)
    assert code == 0, err
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert {"具体表现", "整改目标"} <= set(header)
    first = {header[n]: value for n, value in enumerate(rows[1])}
    assert (first["问题编号"], first["具体表现"], first["整改目标"]) == ("I-01", FINDING, TARGET)
    code, _, err = run("import", str(xlsx), "--plan", "again", "--out", str(tmp_path / "again"), cwd=tmp_path)
    assert code in (0, 1), err
    issues = yaml.safe_load((tmp_path / "again/issues.yaml").read_text(encoding="utf-8"))["issues"]
    assert issues[0]["finding"] == FINDING and issues[0]["target"] == TARGET
    assert "finding" not in issues[1]


def test_the_report_shows_the_finding_under_the_issue_heading(run, tmp_path):
    import docx

    plans = _demo_with_finding(tmp_path)
    code, out, _ = run("report", "demo", str(plans), "--as-of", "2025-12-01", "--lang", "zh", cwd=tmp_path)
    lines = [line for line in out.splitlines() if line.strip()]
    heading = next(n for n, line in enumerate(lines) if "惠企政策宣传指引不到位" in line)
    assert lines[heading + 1: heading + 3] == [f"具体表现：{FINDING}", f"整改目标：{TARGET}"]
    assert sum(line.startswith("具体表现：") for line in lines) == 1
    code, out, _ = run("report", "demo", str(plans), "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert f"Finding: {FINDING}" in out
    html = tmp_path / "r.html"
    assert run("report", "demo", str(plans), "--format", "html", "--out", str(html), "--lang", "zh", cwd=tmp_path)[0] == 0
    assert f"具体表现：{FINDING}" in html.read_text(encoding="utf-8")
    word = tmp_path / "r.docx"
    assert run("report", "demo", str(plans), "--format", "docx", "--out", str(word), "--lang", "zh", cwd=tmp_path)[0] == 0
    assert f"具体表现：{FINDING}" in [p.text for p in docx.Document(str(word)).paragraphs]


def test_an_issue_without_measures_keeps_its_finding_through_the_workbook(run, tmp_path):
    plans = _demo_with_finding(tmp_path)
    path = plans / "demo/issues.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"  - id: I-09\n    title: 尚无措施的问题\n    finding: {FINDING}\n",
                    encoding="utf-8")
    xlsx = tmp_path / "ledger.xlsx"
    assert run("export", str(plans), "--format", "xlsx", "--out", str(xlsx), "--lang", "en", cwd=tmp_path)[0] == 0
    code, _, err = run("import", str(xlsx), "--plan", "demo", "--out", str(tmp_path / "again"), cwd=tmp_path)
    assert code in (0, 1), err
    issues = {i["id"]: i for i in yaml.safe_load((tmp_path / "again/issues.yaml").read_text(encoding="utf-8"))["issues"]}
    assert issues["I-09"] == {"id": "I-09", "title": "尚无措施的问题", "finding": FINDING}
    assert list(issues["I-01"]) == ["id", "category", "title", "finding", "target"]  # the schema's order


def test_a_returned_ledger_may_not_change_an_issues_finding(run, tmp_path):
    from openpyxl import load_workbook

    plans = _demo_with_finding(tmp_path)
    (tmp_path / ".git").mkdir()
    xlsx = tmp_path / "returned.xlsx"
    assert run("export", "plans", "--format", "xlsx", "--out", str(xlsx), "--lang", "zh", cwd=tmp_path)[0] == 0
    wb = load_workbook(xlsx)
    ws = wb.active
    col = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["问题编号"]).value == "I-01")
    ws.cell(row, col["具体表现"]).value = "改了"
    wb.save(xlsx)
    before = (plans / "demo/issues.yaml").read_bytes()
    code, out, err = run("import", str(xlsx), "--update", "--lang", "zh", cwd=tmp_path)
    assert code == 1, out + err
    assert f"具体表现不能由责任单位修改（现为 {FINDING}，台账中为 改了）" in out
    assert (plans / "demo/issues.yaml").read_bytes() == before
