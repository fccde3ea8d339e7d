"""yamledit: splicing at node marks leaves every other byte alone (golden strings)."""

from __future__ import annotations

import datetime as dt
import difflib

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from rectify_cli.edit import yamledit as ye
from rectify_cli.reader import TASK_KEYS
from rectify_cli.problems import ProblemError

ORDER = list(TASK_KEYS)


def first_item(text: str):
    root = ye.compose(text, "t.yaml")
    return root, ye.get(root, "tasks")[1].value[0]


def set_(text, key, value, tags=ye.TEXT):
    root, item = first_item(text)
    return ye.set_scalar(text, item, key, value, tags=tags, order=ORDER)


def append(text, key, item_value, tags=ye.TEXT, **kw):
    root, item = first_item(text)
    return ye.append(text, root, item, key, item_value, tags=tags, order=ORDER, **kw)


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines), line endings included."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


PROGRESS = [ye.Field("date", "2025-12-05", ye.DATE), ye.Field("note", "已召开推进会")]


# -- rendering ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "flow", "tags", "expected"),
    [
        ("已印发宣传方案", False, ye.TEXT, "已印发宣传方案"),
        ("已印发：第二批，共3份", True, ye.TEXT, "已印发：第二批，共3份"),
        ("a: b", False, ye.TEXT, "'a: b'"),
        ("- x", False, ye.TEXT, "'- x'"),
        ("yes", False, ye.TEXT, "'yes'"),
        ("null", False, ye.TEXT, "'null'"),
        ("", False, ye.TEXT, "''"),
        ("2025", False, ye.TEXT, "'2025'"),
        ("2025-12-01", False, ye.TEXT, "'2025-12-01'"),
        ("2025-12-01", True, ye.DATE, "2025-12-01"),
        ("2025-12-01", False, ye.EXPR, "2025-12-01"),
        ("it's: x", False, ye.TEXT, "'it''s: x'"),
        ("a # b", False, ye.TEXT, "'a # b'"),
        ("a,b", False, ye.TEXT, "a,b"),
        ("a,b", True, ye.TEXT, "'a,b'"),
        (" lead", False, ye.TEXT, "' lead'"),
        ("two\nlines", False, ye.TEXT, '"two\\nlines"'),
        ("@home", False, ye.TEXT, "'@home'"),
    ],
)
def test_render_is_plain_only_when_yaml_reads_it_back(value, flow, tags, expected):
    assert ye.render(value, flow=flow, tags=tags) == expected


def test_render_keeps_the_replaced_quote_style():
    assert ye.render("done", flow=False, prefer='"') == '"done"'
    assert ye.render("done", flow=False, prefer="'") == "'done'"


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.booleans())
def test_render_always_reads_back_exactly(value, flow):
    rendered = ye.render(value, flow=flow)
    assert "\n" not in rendered
    doc = yaml.safe_load(f"- {{k: {rendered}}}\n" if flow else f"k: {rendered}\n")
    got = doc[0]["k"] if flow else doc["k"]
    assert got == value


# -- scalars ----------------------------------------------------------------------
BASIC = """\
# 任务清单
kind: tasks
plan: p1
tasks:
  - id: T-1   # 第一项
    issue: I-1
    title: 健全机制
    lead: 市人社局        # 牵头单位
    status: doing         # 推进中
    done:      # 尚未完成
    notes: >-
      一段说明。

  - id: T-2
    issue: I-1
    title: t
    lead: l
"""


def test_replacing_a_value_keeps_its_comment_and_alignment():
    after = set_(BASIC, "status", "done")
    assert after == BASIC.replace("status: doing         # 推进中", "status: done         # 推进中")


def test_an_empty_value_is_filled_in_before_its_comment():
    after = set_(BASIC, "done", "2025-12-01", ye.DATE)
    assert after == BASIC.replace("done:      # 尚未完成", "done: 2025-12-01      # 尚未完成")


def test_null_and_quoted_values_are_replaced_in_their_style():
    text = BASIC.replace("status: doing", 'status: "doing"').replace("done:      ", "done: null ")
    after = set_(set_(text, "status", "done"), "done", "2025-12-01", ye.DATE)
    assert changed(text, after) == (
        ['    status: "doing"         # 推进中\n', "    done: null # 尚未完成\n"],
        ['    status: "done"         # 推进中\n', "    done: 2025-12-01 # 尚未完成\n"],
    )


def test_a_missing_key_goes_after_its_predecessor_in_the_format_order():
    after = set_(BASIC, "owner", "分管副局长")
    assert after == BASIC.replace("    status: doing", "    owner: 分管副局长\n    status: doing")


def test_a_key_without_predecessor_in_order_goes_after_the_last_key_before_blank_lines():
    after = set_(BASIC, "x-note", "自定义")
    assert after == BASIC.replace("      一段说明。\n\n", "      一段说明。\n    x-note: 自定义\n\n")


def test_replacing_a_block_scalar_keeps_the_following_blank_line():
    after = set_(BASIC, "notes", "短说明")
    assert after == BASIC.replace("notes: >-\n      一段说明。\n", "notes: 短说明\n")


def remove(text, key, index=0):
    root = ye.compose(text, "t.yaml")
    return ye.remove_key(text, ye.get(root, "tasks")[1].value[index], key)


def test_removing_a_key_takes_its_line_and_its_comment_only():
    text = BASIC.replace("done:      # 尚未完成", "done: 2025-11-30  # 完成日期")
    assert remove(text, "done") == BASIC.replace("    done:      # 尚未完成\n", "")
    assert remove(BASIC, "notes") == BASIC.replace("    notes: >-\n      一段说明。\n", "")
    assert remove(BASIC, "owner") == BASIC  # absent: nothing to do


def test_removing_an_empty_value_does_not_take_the_next_line():
    text = "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    done:\n    closed: 2025-12-01\n"
    assert remove(text, "done") == "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    closed: 2025-12-01\n"


@pytest.mark.parametrize("item,key,expected", [
    ("{id: T-1, done: 2025-11-30, status: doing}", "done", "{id: T-1, status: doing}"),
    ("{id: T-1, status: doing, done: 2025-11-30}", "done", "{id: T-1, status: doing}"),
    ("{done: 2025-11-30, id: T-1}", "done", "{id: T-1}"),
    ("{ done: 2025-11-30 }", "done", "{  }"),
])
def test_removing_a_key_of_a_flow_mapping_takes_the_pair_and_one_comma(item, key, expected):
    text = f"kind: tasks\nplan: p\ntasks:\n  - {item}\n"
    assert remove(text, key) == f"kind: tasks\nplan: p\ntasks:\n  - {expected}\n"


def test_a_key_on_the_dash_line_is_emptied_not_removed_and_crlf_stays():
    text = "kind: tasks\r\nplan: p\r\ntasks:\r\n  - done: 2025-11-30\r\n    id: T-1\r\n    closed: 2025-12-01 # x\r\n    status: doing\r\n"
    after = remove(remove(text, "done"), "closed")
    assert after == "kind: tasks\r\nplan: p\r\ntasks:\r\n  - done: null\r\n    id: T-1\r\n    status: doing\r\n"


def test_crlf_lines_stay_crlf_and_nothing_else_moves():
    text = BASIC.replace("\n", "\r\n")
    after = append(set_(text, "closed_by", "王五"), "progress", PROGRESS)
    assert "\n" not in after.replace("\r\n", "")
    removed, added = changed(text, after)
    assert removed == []
    assert added == ["    closed_by: 王五\r\n", "    progress:\r\n", "      - {date: 2025-12-05, note: 已召开推进会}\r\n"]


def test_file_without_final_newline_still_has_none():
    text = "kind: tasks\nplan: p\ntasks:\n- id: T-1\n  title: x"
    after = set_(text, "status", "done")
    assert after == "kind: tasks\nplan: p\ntasks:\n- id: T-1\n  title: x\n  status: done"


def test_flow_mapping_item_gets_keys_inside_its_braces():
    text = "kind: tasks\nplan: p\ntasks:\n  - {id: T-1, issue: I-1, title: t, lead: l}  # 简写\n"
    after = set_(set_(text, "status", "done"), "due", "2025-12-31", ye.EXPR)
    assert after == "kind: tasks\nplan: p\ntasks:\n  - {id: T-1, issue: I-1, title: t, lead: l, due: 2025-12-31, status: done}  # 简写\n"


# -- lists ---------------------------------------------------------------------------
def test_progress_appended_in_the_style_of_existing_flow_items():
    text = BASIC.replace("    status: doing         # 推进中\n",
                         "    status: doing         # 推进中\n    progress:\n      - {date: 2025-12-01, note: 已印发方案}  # 首次\n")
    after = append(text, "progress", PROGRESS)
    assert changed(text, after) == ([], ["      - {date: 2025-12-05, note: 已召开推进会}\n"])
    assert after.index("已召开推进会") > after.index("# 首次")


def test_progress_appended_as_block_mapping_when_existing_items_are_block():
    text = BASIC.replace("    status: doing         # 推进中\n",
                         "    status: doing         # 推进中\n    progress:\n    -   date: 2025-12-01\n        note: 已印发方案\n")
    after = append(text, "progress", PROGRESS)
    assert changed(text, after) == ([], ["    -   date: 2025-12-05\n", "        note: 已召开推进会\n"])


FOUR = """\
kind: tasks
plan: p
tasks:
-   id: T-1
    issue: I-1
    title: t
    lead: l
    support:
    - 市财政局
-   id: T-2
    issue: I-1
    title: t
    lead: l
"""


def test_unindented_sequences_and_four_space_items_are_mirrored():
    after = append(FOUR, "support", "市税务局")
    assert changed(FOUR, after) == ([], ["    - 市税务局\n"])
    after = append(FOUR, "progress", PROGRESS)
    assert changed(FOUR, after) == ([], ["    progress:\n", "    - {date: 2025-12-05, note: 已召开推进会}\n"])
    assert yaml.safe_load(after)["tasks"][0]["progress"][0]["note"] == "已召开推进会"


def test_new_item_in_an_unindented_top_level_list():
    root = ye.compose(FOUR, "t")
    fields = [ye.Field("id", "T-3"), ye.Field("issue", "I-1"), ye.Field("title", "新任务"), ye.Field("lead", "l")]
    after = ye.append(FOUR, root, root, "tasks", fields, block_items=True)
    assert after == FOUR + "-   id: T-3\n    issue: I-1\n    title: 新任务\n    lead: l\n"


@pytest.mark.parametrize(
    ("value_line", "expected"),
    [
        ("    evidence: []\n", "    evidence: [a.pdf]\n"),
        ("    evidence: [x.pdf]  # 首份\n", "    evidence: [x.pdf, a.pdf]  # 首份\n"),
        ("    evidence: x.pdf\n", "    evidence: [x.pdf, a.pdf]\n"),
        ("    evidence: 'x, y.pdf'\n", "    evidence: ['x, y.pdf', a.pdf]\n"),
        ("    evidence: null\n", "    evidence: [a.pdf]\n"),
        ("    evidence:\n", "    evidence: [a.pdf]\n"),
        ("    evidence:\n      - x.pdf\n", "    evidence:\n      - x.pdf\n      - a.pdf\n"),
    ],
)
def test_evidence_appended_to_every_shape_of_list(value_line, expected):
    text = BASIC.replace("    notes: >-\n", value_line + "    notes: >-\n")
    assert append(text, "evidence", "a.pdf") == text.replace(value_line, expected)


@pytest.mark.parametrize("value", ["[]", "null", ""])
def test_empty_mapping_list_becomes_a_block_under_its_key(value):
    line = f"    progress: {value}".rstrip() + "   # 进展\n"
    text = BASIC.replace("    notes: >-\n", line + "    notes: >-\n")
    after = append(text, "progress", PROGRESS)
    assert after == text.replace(line, "    progress:   # 进展\n      - {date: 2025-12-05, note: 已召开推进会}\n")


def test_set_list_keeps_block_style_and_replaces_only_the_items():
    text = BASIC.replace("    notes: >-\n", "    support:\n      - 甲   # 旧\n      - 乙\n    notes: >-\n")
    root, item = first_item(text)
    after = ye.set_list(text, item, "support", ["丙", "丁"], order=ORDER)
    assert after == text.replace("      - 甲   # 旧\n      - 乙\n", "      - 丙\n      - 丁\n")


def test_appending_to_a_mapping_is_refused():
    text = BASIC.replace("    notes: >-\n", "    progress: {a: 1}\n    notes: >-\n")
    with pytest.raises(ProblemError) as info:
        append(text, "progress", PROGRESS)
    assert info.value.key == "edit.not_a_list"


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
    note=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20),
    crlf=st.booleans(),
)
def test_any_value_changes_exactly_its_lines_and_reads_back(title, note, crlf):
    text = BASIC.replace("\n", "\r\n") if crlf else BASIC
    after = append(set_(text, "title", title), "progress", [ye.Field("date", "2025-12-05", ye.DATE), ye.Field("note", note)])
    removed, added = changed(text, after)
    assert removed == [text.splitlines(keepends=True)[6]]  # the title line, nothing else
    assert len(added) == 3 and added[1].lstrip().startswith("progress:")
    data = yaml.safe_load(after)
    assert data["tasks"][0]["title"] == title
    assert data["tasks"][0]["progress"] == [{"date": dt.date(2025, 12, 5), "note": note}]
    assert data["tasks"][1] == yaml.safe_load(text)["tasks"][1]


def test_emptying_a_block_list_keeps_the_key_lines_comment_and_the_following_one():
    text = BASIC.replace("    notes: >-\n", "    support:   # 配合单位\n      - 甲\n      - 乙\n    # 说明\n    notes: >-\n")
    root, item = first_item(text)
    after = ye.set_list(text, item, "support", [], order=ORDER)
    assert after == text.replace("    support:   # 配合单位\n      - 甲\n      - 乙\n", "    support: []   # 配合单位\n")


def test_a_block_list_made_flow_keeps_its_key_lines_comment_with_crlf():
    text = BASIC.replace("    notes: >-\n", "    support: # 配合单位\n      - 甲\n    notes: >-\n").replace("\n", "\r\n")
    root, item = first_item(text)
    after = ye.set_list(text, item, "support", [], order=ORDER)
    assert after == text.replace("    support: # 配合单位\r\n      - 甲\r\n", "    support: [] # 配合单位\r\n")


def test_a_block_scalar_single_value_becomes_a_list_without_losing_the_next_line():
    text = BASIC.replace("    notes: >-\n", "    evidence: >-\n      a.pdf\n    notes: >-\n")
    after = append(text, "evidence", "b.pdf")
    assert after == text.replace("    evidence: >-\n      a.pdf\n", "    evidence: [a.pdf, b.pdf]\n")
