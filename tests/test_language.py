"""Which language rectify speaks, and that a Chinese ledger gets Chinese everywhere.

CI runners have LANG=C.UTF-8 (the suite's own environment, see conftest) or no
locale: a Chinese ledger then gets Chinese terminal text, reports, exports,
annotations and JUnit; --lang, RECTIFY_LANG and rectify.yaml's lang: decide first.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

from rectify_cli.language import resolve

from .conftest import write
from .test_history_support import Repo, base, task, tasks

ENGLISH_LEDGER = (
    "kind: plan\nid: p\ntitle: Audit follow-up\nowner: Finance office\n",
    "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: Late filings\n",
    "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: File on time\n    lead: Finance\n"
    "    due: 2025-12-31\n    status: doing\n",
)
CHINESE_LEDGER = (
    "kind: plan\nid: p\ntitle: 审计整改\nowner: 财政局\n",
    "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 报送不及时\n",
    "kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n    title: 按时报送\n    lead: 市财政局\n"
    "    due: 2025-12-31\n    status: doing\n",
)


def _ledger(root, files=CHINESE_LEDGER, config: str | None = None):
    (root / ".git").mkdir(exist_ok=True)
    for name, text in zip(("plan", "issues", "tasks"), files):
        write(root / "plans" / f"{name}.yaml", text)
    if config is not None:
        write(root / "rectify.yaml", config)
    return root


def test_c_locale_on_a_chinese_ledger_speaks_chinese(run, tmp_path, monkeypatch):
    """LANG=C.UTF-8, LC_ALL unset, no RECTIFY_LANG: every output of a Chinese ledger is Chinese."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    _ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", cwd=tmp_path)
    assert code == 1
    assert "逾期: T-1「按时报送」已逾期 5 天" in stdout and "3 个文件，1 个计划" in stdout
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", "github", cwd=tmp_path)
    assert "::error file=plans/tasks.yaml,line=8" in stdout and "已逾期 5 天" in stdout
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", "junit", cwd=tmp_path)
    failure = ET.fromstring(stdout.split("?>", 1)[1]).find(".//failure[@type='overdue']")
    assert "已逾期 5 天" in failure.get("message")
    code, stdout, _ = run("report", "p", "--as-of", "2026-01-05", cwd=tmp_path)
    assert stdout.startswith("# 财政局关于审计整改进展情况的通报")
    code, stdout, _ = run("export", "--as-of", "2026-01-05", cwd=tmp_path)
    header = next(csv.reader(io.StringIO(stdout.lstrip("\ufeff"))))
    assert header[:3] == ["序号", "问题", "整改措施"]
    code, stdout, _ = run("status", "--as-of", "2026-01-05", cwd=tmp_path)
    assert stdout.startswith("截至 2026-01-05")


def test_c_locale_on_an_english_ledger_speaks_english(run, tmp_path, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    _ledger(tmp_path, ENGLISH_LEDGER)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", cwd=tmp_path)
    assert "overdue: T-1" in stdout and "3 files, 1 plan" in stdout


def test_the_order_of_choices(run, tmp_path, monkeypatch):
    """--lang, then RECTIFY_LANG, then rectify.yaml lang:, then a Chinese locale, then the ledger."""
    _ledger(tmp_path, ENGLISH_LEDGER, config="lang: en\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve(None) == "en"  # rectify.yaml beats the locale
    assert resolve("zh") == "zh"
    monkeypatch.setenv("RECTIFY_LANG", "zh")
    assert resolve(None) == "zh"  # the environment beats the file
    assert resolve("en") == "en"
    monkeypatch.delenv("RECTIFY_LANG")
    (tmp_path / "rectify.yaml").unlink()
    assert resolve(None) == "zh"  # a Chinese locale beats an English ledger
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert resolve(None) == "en"  # an English locale is no choice: the ledger decides
    _ledger(tmp_path, CHINESE_LEDGER)
    assert resolve(None) == "zh"
    code, stdout, _ = run("--lang", "en", "check", "--as-of", "2025-11-05", cwd=tmp_path)  # the root option
    assert "3 files, 1 plan, 1 issue, 1 task" in stdout


def test_rectify_yaml_lang_is_checked(run, tmp_path):
    _ledger(tmp_path, config="lang: fr\n")
    code, stdout, _ = run("check", "--as-of", "2025-11-05", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "rectify.yaml:1:7: error: lang: 'fr' is not a language; write zh or en" in stdout
    write(tmp_path / "rectify.yaml", "lang: zh\n")
    assert run("check", "--as-of", "2025-11-05", cwd=tmp_path)[0] == 0


def test_allowed_statuses_are_listed_in_chinese(run, tmp_path):
    _ledger(tmp_path)
    write(tmp_path / "plans/tasks.yaml", CHINESE_LEDGER[2].replace("status: doing", "status: 进展中"))
    code, stdout, _ = run("check", "--as-of", "2025-11-05", cwd=tmp_path)
    assert code == 2 and "可用：未启动（todo）、推进中（doing）、已完成（done）" in stdout


def test_yaml_syntax_errors_are_explained_in_chinese_with_the_original_kept(run, tmp_path):
    _ledger(tmp_path)
    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\ntitle: 审计整改: 第一批\n")
    code, stdout, _ = run("check", "--as-of", "2025-11-05", cwd=tmp_path)
    assert code == 2
    line = next(line for line in stdout.splitlines() if "plan.yaml" in line)
    assert line.startswith("plans/plan.yaml:3:") and "YAML 语法错误：此处不能出现“键: 值”" in line
    assert "（mapping values are not allowed" in line  # the parser's own words, for searching
    code, stdout, _ = run("check", "--as-of", "2025-11-05", "--lang", "en", cwd=tmp_path)
    assert "YAML syntax error: mapping values are not allowed" in stdout and "此处" not in stdout


@pytest.fixture
def history(tmp_path):
    r = Repo(tmp_path / "r")
    base(r)
    r.write("plans/gq/evidence/T-1.pdf", "scan")
    r.commit("T-1 完成", "2025-11-10", "王五", {"plans/gq/tasks.yaml": tasks(
        task("T-1", "closed", done="2025-11-09", evidence="[evidence/T-1.pdf]", closed_by="督查室"), task("T-2"))})
    r.commit("T-1 退回", "2025-11-20", "赵六", {"plans/gq/tasks.yaml": tasks(
        task("T-1", "doing", done="2025-11-09", evidence="[evidence/T-1.pdf]", closed_by="督查室"), task("T-2"))})
    return r


def test_status_words_in_history_diff_and_audit_are_chinese(run, history):
    code, stdout, _ = run("history", "T-1", cwd=history.root)
    assert code == 0 and "    status：推进中 → 已销号" in stdout and "    status：已销号 → 推进中" in stdout and "doing" not in stdout
    code, stdout, _ = run("diff", "HEAD~2", "HEAD~1", cwd=history.root)
    assert "推进中 → 已销号" in stdout
    code, stdout, _ = run("audit", cwd=history.root)
    assert code == 1 and "状态从 已销号 退回到 推进中" in stdout and "closed" not in stdout
    code, stdout, _ = run("audit", "--lang", "en", cwd=history.root)
    assert "status went back from closed to doing" in stdout


def test_commit_subjects_speak_the_ledgers_language(run, history):
    assert run("progress", "T-2", "已召开推进会", "--date", "2025-12-01", "--commit", cwd=history.root)[0] == 0
    subject = history.git("log", "-1", "--format=%s").strip()
    assert subject == "rectify: T-2 进展：已召开推进会"
    assert run("set", "T-2", "status", "todo", "--reason", "尚未启动", "--commit", cwd=history.root)[0] == 0
    assert history.git("log", "-1", "--format=%s").strip() == "rectify: T-2 推进中 → 未启动"
    assert "Rectify-Action: set" in history.git("log", "-1", "--format=%B")


def test_cjk_is_told_as_the_character_ranges_say():
    """`is_chinese` without a regular expression (compiling one cost 2 ms a process): the same
    answer as one over the same ranges, at and around each range's ends."""
    import random
    import re

    from rectify_cli.language import _has_cjk

    ranges = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
    ends = [0x33FF, 0x3400, 0x4DBF, 0x4DC0, 0x4DFF, 0x4E00, 0x9FFF, 0xA000, 0xF8FF, 0xF900, 0xFAFF, 0xFB00, 0x1F600]
    rng = random.Random(20261204)
    for _ in range(20_000):
        text = "".join(chr(rng.choice(ends)) if rng.random() < 0.3 else chr(rng.randrange(32, 0x3000))
                       for _ in range(rng.randrange(0, 6)))
        assert _has_cjk(text) == bool(ranges.search(text)), repr(text)
    assert _has_cjk("kind: plan\ntitle: 整改") and not _has_cjk("kind: plan\ntitle: café")
