"""Cross-file rules on ids: look-alike ids clash (compared after NFKC), and ids
with characters nobody can see are refused; each message names both places."""

from __future__ import annotations

import pytest

from .conftest import write

AS_OF = "2025-06-01"


def _repo(tmp_path, task_ids: list[str], issue_id: str = "I-1", plan_id: str = "p", phases: str = "") -> None:
    """One plan, one issue, a task per id; ids are written as YAML escapes so any character survives."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    write(tmp_path / "plans/plan.yaml", f'kind: plan\nid: "{_esc(plan_id)}"\ntitle: 测试\n{phases}')
    write(tmp_path / "plans/issues.yaml", f'kind: issues\nplan: "{_esc(plan_id)}"\nissues:\n  - id: "{_esc(issue_id)}"\n    title: 问题\n')
    body = "".join(
        f'  - id: "{_esc(t)}"\n    issue: "{_esc(issue_id)}"\n    title: 任务\n    lead: 办公室\n    due: 2025-12-31\n'
        for t in task_ids
    )
    write(tmp_path / "plans/tasks.yaml", f'kind: tasks\nplan: "{_esc(plan_id)}"\ntasks:\n{body}')


def _esc(value: str) -> str:
    return "".join(c if c.isascii() and c.isprintable() else f"\\u{ord(c):04x}" for c in value)


def _errors(run, tmp_path, lang: str = "en") -> tuple[int, list[str]]:
    code, stdout, _ = run("check", "--as-of", AS_OF, "--lang", lang, cwd=tmp_path)
    return code, [line for line in stdout.splitlines() if ": error: " in line or ": 错误: " in line]


LOOKS_THE_SAME = "(they differ only in full-/half-width, compatibility forms or how an accent is written); give one of them another id"


@pytest.mark.parametrize(
    ("other", "shown"),
    [("T-\uff11", "'T-１'"), ("\uff34-1", "'Ｔ-1'"), ("\uff34\uff0d\uff11", "'Ｔ－１'")],
    ids=["fullwidth-digit", "fullwidth-letter", "all-fullwidth"],
)
def test_fullwidth_lookalike_clashes_naming_both_places(run, tmp_path, other, shown):
    _repo(tmp_path, ["T-1", other])
    code, lines = _errors(run, tmp_path)
    assert code == 2
    assert lines == [f"plans/tasks.yaml:9:9: error: item id {shown} looks the same as 'T-1' at plans/tasks.yaml:4:9 {LOOKS_THE_SAME}"]


@pytest.mark.parametrize(
    ("bad", "char"),
    [
        ("T-1\u200b", "U+200B (ZERO WIDTH SPACE)"),
        ("T\u200d-1", "U+200D (ZERO WIDTH JOINER)"),
        ("T-1\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u2066T-1", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
        ("T-1\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("T-\u00ad1", "U+00AD (SOFT HYPHEN)"),
        ("T-1\ufe0f", "U+FE0F (VARIATION SELECTOR-16)"),
        ("T-\u31641", "U+3164 (HANGUL FILLER)"),
    ],
    ids=["zwsp", "zwj", "rlo", "lri", "bom", "soft-hyphen", "variation-selector", "hangul-filler"],
)
def test_invisible_character_in_an_id_is_refused(run, tmp_path, bad, char):
    _repo(tmp_path, ["T-1", bad])
    code, lines = _errors(run, tmp_path)
    assert code == 2
    shown = "'" + "".join(c if c.isascii() else f"\\u{ord(c):04x}" for c in bad) + "'"
    assert lines == [f"plans/tasks.yaml:9:9: error: id {shown} contains an invisible character {char}; retype the id without it"]


def test_combining_accent_on_a_digit_is_refused(run, tmp_path):
    _repo(tmp_path, ["T-1", "T-1\u0301"])
    code, lines = _errors(run, tmp_path)
    assert code == 2
    assert lines == [
        "plans/tasks.yaml:9:9: error: id 'T-1\\u0301' has a combining mark U+0301 (COMBINING ACUTE ACCENT) on '1'; "
        "marks belong on letters only; retype the id"
    ]
    code, lines = _errors(run, tmp_path, "zh")
    assert lines == [
        "plans/tasks.yaml:9:9: 错误: 编号 'T-1\\u0301' 中 '1' 上带有组合符号 U+0301（COMBINING ACUTE ACCENT）；"
        "组合符号只能加在字母上，请重新输入编号"
    ]


def test_accent_written_two_ways_clashes(run, tmp_path):
    _repo(tmp_path, ["caf\u00e9-1", "cafe\u0301-1"])
    code, lines = _errors(run, tmp_path)
    assert code == 2
    assert lines == [f"plans/tasks.yaml:9:9: error: item id 'cafe\\u0301-1' looks the same as 'café-1' at plans/tasks.yaml:4:9 {LOOKS_THE_SAME}"]


def test_issue_and_task_share_the_id_space_after_nfkc(run, tmp_path):
    _repo(tmp_path, ["Ｉ-1"], issue_id="I-1")
    code, lines = _errors(run, tmp_path)
    assert code == 2
    assert lines == [f"plans/tasks.yaml:4:9: error: item id 'Ｉ-1' looks the same as 'I-1' at plans/issues.yaml:4:9 {LOOKS_THE_SAME}"]


def test_plan_and_phase_ids_are_compared_the_same_way(run, tmp_path):
    phases = "phases:\n  - id: rectify\n    title: 整改\n    window: 2025年4月\n  - id: ｒｅｃｔｉｆｙ\n    title: 又一\n    window: 2025年5月\n"
    _repo(tmp_path, ["T-1"], phases=phases)
    write(tmp_path / "plans/more.yaml", "kind: plan\nid: ｐ\ntitle: 另一\n")
    code, lines = _errors(run, tmp_path)
    assert code == 2
    assert lines == [
        f"plans/plan.yaml:2:5: error: plan id 'p' looks the same as 'ｐ' at plans/more.yaml:2:5 {LOOKS_THE_SAME}",
        f"plans/plan.yaml:8:9: error: phase id 'ｒｅｃｔｉｆｙ' looks the same as 'rectify' at plans/plan.yaml:5:9 {LOOKS_THE_SAME}",
    ]


@pytest.mark.parametrize(
    "ids",
    [
        ["T-1", "T-2", "t-1"],  # case is visible: not folded
        ["问题一", "问题二"],
        ["か-1", "が-1"],  # a voiced mark changes the letter visibly
        ["x\u0301-1", "ệ-2"],  # marks on letters
        ["Ⅻ-1"],  # a compatibility form alone is fine (only a clash is refused)
    ],
)
def test_distinct_visible_ids_pass(run, tmp_path, ids):
    _repo(tmp_path, ids)
    code, lines = _errors(run, tmp_path)
    assert (code, lines) == (0, [])


def test_plain_duplicate_keeps_its_message(run, tmp_path):
    _repo(tmp_path, ["T-1", "T-1"])
    code, lines = _errors(run, tmp_path)
    assert lines == ["plans/tasks.yaml:9:9: error: duplicate item id T-1, also at plans/tasks.yaml:4:9; give one of them another id"]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_refused_id_is_printed_escaped_in_every_format(run, tmp_path, fmt):
    import re

    _repo(tmp_path, ["T-1\x1b[31m\u202e"])
    code, stdout, _ = run("check", "--as-of", AS_OF, "--format", fmt, "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "contains an invisible character U+001B (control character); retype the id without it" in stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", stdout)
