"""`rectify report`: golden Markdown, the published structure on the Panyu ledger,
HTML parsed back (escaping, no network, print styles, chart), Word checked against GB/T 9704."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import REPO
from .test_report_support import AS_OF, write_demo

GOLDEN = Path(__file__).parent / "golden"
PANYU = REPO / "tests" / "fixtures" / "panyu-states"  # the notice with states made up to test the report
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(("lang", "lists", "name"), [("zh", False, "report_demo_zh.md"), ("en", False, "report_demo_en.md"), ("zh", True, "report_demo_lists_zh.md")])
def test_markdown_golden(run, tmp_path, lang, lists, name):
    plans = write_demo(tmp_path)
    args = ["report", "demo", str(plans), "--as-of", AS_OF, "--lang", lang] + (["--lists"] if lists else [])
    code, stdout, _ = run(*args, cwd=tmp_path)
    assert code == 0
    assert stdout == (GOLDEN / name).read_text(encoding="utf-8"), f"differs from {name}"


def test_panyu_follows_the_published_structure(run):
    code, stdout, _ = run("report", "panyu-xuncha-2024", str(PANYU), "--as-of", "2025-03-28", "--lang", "zh")
    assert code == 0
    lines = stdout.splitlines()
    assert lines[0] == "# 中共广州市番禺区委关于市委第七巡察组优化营商环境促进民营经济发展壮大专项巡察反馈意见整改进展情况的通报"
    top = [line for line in lines if line.startswith("## ")]
    assert top[:3] == ["## 一、履行整改主体责任情况", "## 二、整改任务落实情况", "## 三、下一步工作"]
    categories = [line[4:] for line in lines if line.startswith("### ")]
    assert categories == ["（一）关于政策环境方面", "（二）关于法治环境方面", "（三）关于市场环境方面", "（四）关于政务环境方面"]
    numbers = [int(m.group(1)) for line in lines if (m := re.match(r"#### (\d+)\. ", line))]
    assert numbers == list(range(1, 42))  # numbering continues across categories, as in the notice
    assert "#### 2. 企业招引技能人才难度大" in lines
    measures = lines[lines.index("#### 2. 企业招引技能人才难度大") + 2]
    assert measures.startswith("一是修订印发“番禺人才生态30条”及相关方案（已完成）。二是")
    assert "七是组织“南粤春暖”等大型招聘会助企招才（已完成）。" in measures
    assert "推进中，计划于2025年12月31日前完成" in stdout
    signature = lines.index("中共广州市番禺区委  ")
    assert lines[signature + 1] == "2025年3月28日"
    assert "共有问题41个、整改措施98项" in stdout


def test_overdue_list_names_units(run):
    code, stdout, _ = run("report", "panyu-xuncha-2024", str(PANYU), "--as-of", "2026-03-28", "--lang", "zh")
    assert code == 0
    assert "逾期事项4项：" in stdout
    assert "| T-22-1 | 优化产业园区公交线路，分批实施线网调整 | 区交通运输局 | 2025-06-30 | 271 |" in stdout
    assert "已逾期" not in stdout.split("## 二")[0]  # the intro counts, it does not list


def test_unknown_plan_is_a_usage_error(run, tmp_path):
    plans = write_demo(tmp_path)
    code, _, stderr = run("report", "dmeo", str(plans), "--as-of", AS_OF, "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "did you mean demo?" in stderr


def test_cn_ordinals():
    from rectify_cli.report.outline import cn_number

    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 21, 99)] == ["一", "九", "十", "十一", "二十", "二十一", "九十九"]


# -- HTML ------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.data: list[str] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_h1 = tag == "h1"

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        self.data.append(data)
        if self._in_h1:
            self.h1 += data


def _html(run, tmp_path, title="<script>alert(1)</script>整改", **kw) -> tuple[str, _Tags]:
    plans = write_demo(tmp_path, title=title, **kw)
    out = tmp_path / "report.html"
    code, _, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--format", "html", "--out", str(out), "--lists", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    page = out.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    return page, parser


def test_html_escapes_plan_text(run, tmp_path):
    page, parsed = _html(run, tmp_path)
    names = [t for t, _ in parsed.tags]
    assert "script" not in names
    assert "<script>alert(1)</script>" in parsed.h1  # shown as text
    assert "&lt;script&gt;" in page


def test_html_is_self_contained_and_printable(run, tmp_path):
    page, parsed = _html(run, tmp_path, title="整改")
    names = [t for t, _ in parsed.tags]
    assert names.count("style") == 1 and "link" not in names and "img" not in names
    for _, attrs in parsed.tags:
        assert not any(str(v).startswith(("http", "//")) for k, v in attrs.items() if k in ("src", "href"))
    assert "@media print" in page and "size: A4" in page
    assert names.count("table") == 5  # summary, overdue, issue, task and responsibility lists
    overdue_rows = [a for t, a in parsed.tags if t == "tr" and a.get("class") == "overdue"]
    assert len(overdue_rows) >= 2
    assert "一、履行整改主体责任情况" in parsed.data


def test_html_chart_only_with_history(run, tmp_path):
    page, parsed = _html(run, tmp_path, title="整改")
    assert "svg" not in [t for t, _ in parsed.tags]  # not a git repository: no chart, no complaint

    repo = tmp_path / "repo"
    plans = write_demo(repo, title="整改")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "."], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "plan"], check=True, env=_dated("2026-01-05"))
    tasks = plans / "demo" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("status: todo", "status: done\n    done: 2026-01-10"), encoding="utf-8")
    subprocess.run([*git, "-C", str(repo), "commit", "-qam", "done"], check=True, env=_dated("2026-01-12"))
    out = repo / "r.html"
    code, _, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--format", "html", "--out", str(out), cwd=repo)
    assert code == 0
    parsed = _Tags()
    parsed.feed(out.read_text(encoding="utf-8"))
    assert "svg" in [t for t, _ in parsed.tags]
    assert "script" not in [t for t, _ in parsed.tags]


def _dated(day: str) -> dict:
    import os

    return {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+08:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+08:00"}


# -- Word ------------------------------------------------------------------------
@pytest.fixture
def word(run, tmp_path):
    import docx

    plans = write_demo(tmp_path)
    out = tmp_path / "report.docx"
    code, _, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--format", "docx", "--out", str(out), "--lists", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    return docx.Document(str(out))


def _east_asia(style) -> str:
    return style.element.rPr.find(W + "rFonts").get(W + "eastAsia")


def test_docx_page_is_gbt9704(word):
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)]
    assert margins == [37, 35, 28, 26]
    grid = section._sectPr.find(W + "docGrid")
    assert grid.get(W + "type") == "linesAndChars" and grid.get(W + "linePitch") == "579"
    assert -860 < int(grid.get(W + "charSpace")) < -840  # 28 characters across 156 mm
    normal = word.styles["Normal"].paragraph_format
    assert normal.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert (225 / 25.4 * 72) // normal.line_spacing.pt == 22  # 22 lines in the type area


def test_docx_fonts(word):
    assert _east_asia(word.styles["Title"]) == "方正小标宋简体" and word.styles["Title"].font.size.pt == 22
    assert _east_asia(word.styles["Normal"]) == "仿宋_GB2312" and word.styles["Normal"].font.size.pt == 16
    assert _east_asia(word.styles["Heading 1"]) == "黑体"
    assert _east_asia(word.styles["Heading 2"]) == "楷体_GB2312"
    part = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/fontTable"))
    fonts = part.blob.decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>', fonts)
    assert re.search(r'w:name="华文中宋"><w:altName w:val="宋体"/>', fonts)
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', fonts)


def test_docx_headings_and_page_numbers(word):
    by_style = {}
    for p in word.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"][0].endswith("整改进展情况的通报")
    assert by_style["Heading 1"][:3] == ["一、履行整改主体责任情况", "二、整改任务落实情况", "三、下一步工作"]
    assert by_style["Heading 2"] == ["（一）关于政策环境方面", "（二）关于法治环境方面", "（三）关于其他方面"]
    assert by_style["Heading 3"][0] == "1. 惠企政策宣传指引不到位"  # the issue as written: no 的整改 appended
    assert "附件3：任务清单" in by_style["Heading 1"]
    assert len(word.tables) == 5
    footer = word.sections[0].footer._element.xml
    assert "PAGE" in footer and "— " in footer and " —" in footer
    assert "PAGE" in word.sections[0].even_page_footer._element.xml
    overdue = [row for row in word.tables[1].rows[1:]]
    assert all("FFC7CE" in row._tr.xml for row in overdue)


def test_binary_report_needs_out(run, tmp_path):
    plans = write_demo(tmp_path)
    before = set(tmp_path.iterdir())
    code, stdout, stderr = run("report", "demo", str(plans), "--format", "docx", "--lang", "en", cwd=tmp_path)
    assert code == 2 and stdout == ""
    assert "--out" in stderr and len(stderr.strip().splitlines()) == 1
    assert set(tmp_path.iterdir()) == before


def test_issue_fields_the_schema_marks_are_shown_under_the_issue_heading(run, tmp_path, monkeypatch):
    from dataclasses import replace

    from rectify_cli import schema

    issue = schema.KINDS["issue"]
    fields = tuple(replace(f, report=True) if f.name == "description" else f for f in issue.fields)
    monkeypatch.setitem(schema.KINDS, "issue", replace(issue, fields=fields))
    plans = write_demo(tmp_path)
    path = plans / "demo" / "issues.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    title: 惠企政策宣传指引不到位\n", "    title: 惠企政策宣传指引不到位\n    description: 宣传渠道单一\n"), encoding="utf-8")
    code, stdout, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--lang", "zh", cwd=tmp_path)
    assert code == 0
    lines = [line for line in stdout.splitlines() if line.strip()]
    heading = next(n for n, line in enumerate(lines) if "惠企政策宣传指引不到位" in line)
    assert lines[heading + 1] == "说明：宣传渠道单一"
    assert sum("说明：" in line for line in lines) == 1  # only where there is one
# -- wording a leader reads (issue 16, item 8) -------------------------------------
def test_binary_report_hint_names_a_report_not_a_ledger(run, tmp_path):
    plans = write_demo(tmp_path)
    code, _, stderr = run("report", "demo", str(plans), "--format", "docx", "--lang", "zh", cwd=tmp_path)
    assert code == 2 and "--out 整改进展情况通报.docx" in stderr and "台账" not in stderr


@pytest.mark.parametrize(("title", "subject"), [
    ("八届市委第六轮巡察反馈意见整改（市人大常委会机关）", "关于八届市委第六轮巡察反馈意见（市人大常委会机关）整改进展情况的通报"),
    ("审计发现问题整改", "关于审计发现问题整改进展情况的通报"),
    ("工作评议", "关于工作评议整改进展情况的通报"),
])
def test_title_says_zhenggai_once(run, tmp_path, title, subject):
    plans = write_demo(tmp_path, title=title)
    code, stdout, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--lang", "zh", cwd=tmp_path)
    assert code == 0
    heading = stdout.splitlines()[0]
    assert heading == "# 市人大常委会办公室" + subject
    assert heading.count("整改") == 1


def test_measures_read_without_redundant_or_half_width_state(run, tmp_path):
    plans = write_demo(tmp_path)
    code, stdout, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--lang", "zh", "--lists", cwd=tmp_path)
    assert code == 0
    assert "公开补贴申请流程（逾期完成）" in stdout  # 逾期完成 says it was done
    assert "已完成，逾期完成" not in stdout and "已完成 (" not in stdout
    assert "#### 1. 惠企政策宣传指引不到位\n" in stdout  # the issue as the source writes it: no 的整改 appended


def test_latest_progress_note_is_in_the_narrative(run, tmp_path):
    """md, html and docx all carry each measure's latest informative progress note."""
    import docx

    plans = write_demo(tmp_path)
    sentence = "一是健全失业保险精准宣传机制（已完成）。2025年12月1日，已印发宣传方案。二是"
    code, stdout, _ = run("report", "demo", str(plans), "--as-of", AS_OF, "--lang", "zh", cwd=tmp_path)
    assert code == 0 and sentence in stdout
    html = tmp_path / "r.html"
    assert run("report", "demo", str(plans), "--as-of", AS_OF, "--lang", "zh", "--format", "html", "--out", str(html), cwd=tmp_path)[0] == 0
    assert sentence in html.read_text(encoding="utf-8")
    word = tmp_path / "r.docx"
    assert run("report", "demo", str(plans), "--as-of", AS_OF, "--lang", "zh", "--format", "docx", "--out", str(word), cwd=tmp_path)[0] == 0
    assert any(sentence in p.text for p in docx.Document(str(word)).paragraphs)
