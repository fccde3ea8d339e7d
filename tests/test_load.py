"""The loader: every bad file gets one exact, located, fixable message; good files keep their origin."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from rectify_cli.cache import ParseCache
from rectify_cli.loader import discover, load_files
from rectify_cli.model import Status

from .conftest import CORPUS, write

BAD = CORPUS / "bad"

# file -> the exact English messages (the corpus is the specification of our errors)
EXPECTED = {
    "alias_bomb.yaml": ["alias_bomb.yaml:8:4: aliases expand to too many nodes (over 10000), as in a 'billion laughs' attack; remove nested aliases"],
    "binary.yaml": ["binary.yaml: not a text file (contains NUL bytes); the plans directory should hold only YAML text"],
    "deep_nesting.yaml": ["deep_nesting.yaml:4:203: nesting too deep (over 200 levels); flatten the structure"],
    "duplicate_key.yaml": ["duplicate_key.yaml:4:1: duplicate key title, first at line 3; YAML keeps only the last one, remove or merge one of them"],
    "empty.yaml": ["empty.yaml: file is empty; give it kind: plan, issues or tasks, or delete it"],
    "gbk.yaml": ["gbk.yaml:3:8: file is not UTF-8 (cannot decode from byte 24, it looks like GB18030); save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 old > new"],
    "impossible_date.yaml": ["impossible_date.yaml:5:10: start: 2025-02-30 is not a date; write it as YYYY-MM-DD"],
    "no_kind.yaml": ["no_kind.yaml:1:1: missing kind; write kind: plan, kind: issues or kind: tasks"],
    "only_comment.yaml": ["only_comment.yaml: file is empty; give it kind: plan, issues or tasks, or delete it"],
    "python_tag.yaml": ["python_tag.yaml:3:8: tag !!python/object/apply:os.system is not accepted (nothing in a file is constructed or executed); remove it and write a plain value"],
    "syntax.yaml": ["syntax.yaml:4:6: YAML syntax error: mapping values are not allowed in this context (check the indentation, colons and quotes here and on the line before)"],
    "tabs.yaml": ["tabs.yaml:5:1: YAML syntax error: found character that cannot start any token (YAML indentation cannot use tabs; use spaces)"],
    "top_list.yaml": ["top_list.yaml:1:1: the top level must be a mapping (key: value), found a list; start with kind: plan, issues or tasks"],
    "two_documents.yaml": ["two_documents.yaml:4:1: a file holds one YAML document; move what follows --- into a file of its own"],
    "unknown_key.yaml": [
        "unknown_key.yaml:3:1: unknown key titel; did you mean title?",
        "unknown_key.yaml:1:1: missing required key title",
    ],
    "unknown_kind.yaml": ["unknown_kind.yaml:1:7: unknown kind 'plans'; did you mean plan?; use plan, issues or tasks"],
    "unknown_tag.yaml": ["unknown_tag.yaml:3:8: tag !custom is not accepted (nothing in a file is constructed or executed); remove it and write a plain value"],
    "utf16.yaml": ["utf16.yaml: file is UTF-16; save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 old > new"],
    "wrong_type.yaml": ["wrong_type.yaml:3:8: title: expected text, found a list"],
    # hostile and broken input (issue 9)
    "alias_cycle.yaml": ["alias_cycle.yaml:4:9: an alias refers to a collection that contains it (a recursive structure, which expands forever); remove the alias"],
    "control_char.yaml": ['control_char.yaml:3:12: character U+001B (a control or non-printable character) is not allowed in YAML; delete it, or inside double quotes write it as an escape such as "\\u001b"'],
    "key_is_list.yaml": ["key_is_list.yaml:3:3: a key in plan must be text, found a list; write key: value"],
    "kind_not_text.yaml": ["kind_not_text.yaml:1:7: kind: expected text, found a list"],
    "merge_key.yaml": [
        "merge_key.yaml:9:5: merge keys (<<) are not supported (one edit would silently change several entries); write the fields out in full",
        "merge_key.yaml:9:5: missing required key issue",
        "merge_key.yaml:9:5: missing required key title",
        "merge_key.yaml:9:5: missing required key lead",
    ],
    "out_of_range_date.yaml": [
        "out_of_range_date.yaml:5:13: received: 10000-01-01 is not a date; write it as YYYY-MM-DD",
        "out_of_range_date.yaml:6:13: notified: .inf is not a date; write it as YYYY-MM-DD",
    ],
    "python_name.yaml": ["python_name.yaml:3:8: tag !!python/name:os.system is not accepted (nothing in a file is constructed or executed); remove it and write a plain value"],
    "tag_directive.yaml": ["tag_directive.yaml:5:8: tag tag:example.com,2000:thing is not accepted (nothing in a file is constructed or executed); remove it and write a plain value"],
    "undefined_alias.yaml": ["undefined_alias.yaml:2:5: YAML syntax error: found undefined alias (check the indentation, colons and quotes here and on the line before)"],
    "utf16_no_bom.yaml": ["utf16_no_bom.yaml: file is UTF-16; save it as UTF-8, e.g. iconv -f UTF-16 -t UTF-8 old > new"],
    "utf32.yaml": ["utf32.yaml: file is UTF-32; save it as UTF-8, e.g. iconv -f UTF-32 -t UTF-8 old > new"],
}


def test_corpus_is_complete():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_message(name, monkeypatch):
    monkeypatch.chdir(BAD)
    _, problems = load_files([Path(name)])
    assert [p.render("en") for p in problems] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_message_with_a_parse_cache(name, monkeypatch, tmp_path):
    """The cache is another path to the model: the same messages, the first time and after."""
    monkeypatch.chdir(BAD)
    cache = ParseCache(tmp_path / "cache")
    for _ in range(2):
        _, problems = load_files([Path(name)], cache)
        assert [p.render("en") for p in problems] == EXPECTED[name]
    assert not (tmp_path / "cache").exists()  # a file with a problem is never stored


def test_chinese_message_for_the_same_problem(monkeypatch):
    monkeypatch.chdir(BAD)
    _, problems = load_files([Path("tabs.yaml")])
    assert problems[0].render("zh").endswith("（YAML 缩进不能用 Tab，请改用空格）")


def test_python_tag_is_never_constructed(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    write(tmp_path / "p.yaml", f'kind: plan\nid: p\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n')
    monkeypatch.chdir(tmp_path)
    _, problems = load_files([Path("p.yaml")])
    assert problems and problems[0].key == "load.tag"
    assert not marker.exists()


def test_bom_and_crlf_are_accepted(tmp_path, monkeypatch):
    (tmp_path / "p.yaml").write_bytes("\ufeffkind: plan\r\nid: p\r\ntitle: 测试计划\r\n".encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    repo, problems = load_files([Path("p.yaml")])
    assert problems == []
    assert repo.plans[0].title == "测试计划"


def test_mojibake_is_a_value_not_a_crash(tmp_path, monkeypatch):
    garbled = "鍏充簬宸℃煡鏁存敼"  # UTF-8 read as GBK, then saved as UTF-8
    write(tmp_path / "p.yaml", f"kind: plan\nid: p\ntitle: {garbled}\n")
    monkeypatch.chdir(tmp_path)
    repo, problems = load_files([Path("p.yaml")])
    assert problems == [] and repo.plans[0].title == garbled


def test_values_keep_their_origin(tmp_path, monkeypatch):
    write(
        tmp_path / "plans/t.yaml",
        "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: 宣传\n    lead: 市人社局\n"
        "    due: 2025-12-31\n    status: 推进中\n    support: 市财政局\n    done: null\n",
    )
    monkeypatch.chdir(tmp_path)
    files, _ = discover([Path("plans")])
    repo, problems = load_files(files)
    assert problems == []
    task = repo.tasks[0]
    assert task.status is Status.DOING  # Chinese alias
    assert task.support == ("市财政局",)  # one string is a list of one
    assert task.due.text == "2025-12-31"
    assert str(task.due.source) == "plans/t.yaml:8:10"
    assert str(task.at("lead")) == "plans/t.yaml:7:11"
    assert task.done is None


def test_all_problems_are_collected_not_just_the_first(tmp_path, monkeypatch):
    write(
        tmp_path / "t.yaml",
        "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    titel: a\n    issue: I\n    lead: x\n"
        "  - id: T-2\n    issue: I\n    title: b\n    lead: y\n    status: finished\n    done: 2025-13-01\n",
    )
    monkeypatch.chdir(tmp_path)
    _, problems = load_files([Path("t.yaml")])
    keys = [p.key for p in problems]
    assert keys.count("val.unknown_key") == 1
    assert "val.missing_key" in keys and "val.bad_status" in keys and "val.bad_date" in keys


def test_discover_skips_hidden_and_config(tmp_path):
    write(tmp_path / "a.yaml", "kind: plan\n")
    write(tmp_path / "sub/b.yml", "kind: plan\n")
    write(tmp_path / ".hidden/c.yaml", "kind: plan\n")
    write(tmp_path / "rectify.yaml", "calendar: {}\n")
    write(tmp_path / "notes.txt", "x")
    files, problems = discover([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.yaml", "sub/b.yml"]
    assert problems == []


def test_discover_lists_files_before_subdirectories_in_name_order(tmp_path):
    for name in ("b.yaml", "a/z.yaml", "a/b/c.yaml", "a/a.yaml", "c.yaml", "a/b/a.yaml", "aa/x.yaml"):
        write(tmp_path / name, "kind: plan\n")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)  # never entered
    files, problems = discover([tmp_path])
    # as os.walk(followlinks=False) lists them: a directory's files, then each subdirectory in turn
    expected = [Path(d, f).relative_to(tmp_path).as_posix()
                for d, dirs, names in _sorted_walk(tmp_path) for f in names if f.endswith(".yaml")]
    assert [f.relative_to(tmp_path).as_posix() for f in files] == expected == [
        "b.yaml", "c.yaml", "a/a.yaml", "a/z.yaml", "a/b/a.yaml", "a/b/c.yaml", "aa/x.yaml"]
    assert problems == []


def _sorted_walk(top):
    for entry in os.walk(top):
        entry[1].sort()
        entry[2].sort()
        yield entry


def test_discover_goes_down_any_depth(tmp_path):
    levels = [tmp_path]
    for _ in range(1200):  # deeper than Python's recursion limit (pathlib's mkdir would recurse)
        levels.append(levels[-1] / "d")
        levels[-1].mkdir()
    try:
        write(levels[-1] / "plan.yaml", "kind: plan\n")
        files, problems = discover([tmp_path])
        assert files == [levels[-1] / "plan.yaml"] and problems == []
    finally:  # from the bottom up: shutil.rmtree (and pytest's clean-up of old runs) would recurse
        (levels[-1] / "plan.yaml").unlink(missing_ok=True)
        for level in reversed(levels[1:]):
            level.rmdir()


@pytest.mark.parametrize("typed", ["plans/a.yaml", "./plans//a.yaml", "plans/../plans/a.yaml", "a..b.yaml", "."])
def test_display_path_is_relpath(typed, tmp_path, monkeypatch):
    from rectify_cli.tree import display_path

    monkeypatch.chdir(tmp_path)
    assert display_path(Path(typed)) == os.path.relpath(typed)
    assert display_path(tmp_path / typed) == os.path.relpath(tmp_path / typed)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="# \t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029\u3000\xa0a中\x00", max_size=16))
def test_only_comments_is_every_line_blank_or_a_comment(text):
    from rectify_cli import yamlsafe

    lines = text.splitlines()
    assert yamlsafe._only_comments(text) is all(not line.strip() or line.lstrip().startswith("#") for line in lines)


def test_lean_resolver_resolves_exactly_as_safeloader():
    """The composer's resolver is ours (for speed); its tags must be the stock loader's."""
    import yaml
    from hypothesis import given, settings, strategies as st

    from rectify_cli.yamlsafe import _Base, _Loader

    samples = [
        "", "~", "null", "Null", "NULL", "true", "yes", "On", "no", "off", "0", "-12", "0x1F", "0o17", "1_000",
        "3.14", ".inf", "-.Inf", ".nan", "1e3", "2025-12-31", "2025-12-31 10:00:00", "2025-1-1", "12:30:00",
        "190:20:30", "<<", "=", "中文", "2025年12月31日", "+1", ".5", "0b101", "1:20",
    ]

    def tags(text, loader):
        return [n.tag for n in _walk(yaml.compose(text, Loader=loader))]

    def _walk(node):
        yield node
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                yield from _walk(child)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                yield from _walk(key)
                yield from _walk(value)

    for sample in samples:
        doc = yaml.safe_dump({"plain": None, "k": [sample]}, allow_unicode=True).replace("plain: null", f"plain: {sample}" if sample else "plain:")
        assert tags(doc, _Loader) == tags(doc, _Base), sample

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12))
    def agrees(value):
        doc = "k: " + value.replace("\n", " ") + "\n"
        try:
            expected = tags(doc, _Base)
        except yaml.YAMLError:
            return
        assert tags(doc, _Loader) == expected

    agrees()


def test_date_with_trailing_text_is_refused_not_truncated(tmp_path, monkeypatch):
    write(tmp_path / "p.yaml", "kind: plan\nid: p\ntitle: 计划\nevents:\n  a: 2025-01-01 已收到\n  b: 2025-01-01 10:30:00\n")
    monkeypatch.chdir(tmp_path)
    repo, problems = load_files([Path("p.yaml")])
    assert [p.render("en") for p in problems] == ["p.yaml:5:6: a: 2025-01-01 已收到 is not a date; write it as YYYY-MM-DD"]
    assert repo.plans[0].event("b").date.isoformat() == "2025-01-01"
