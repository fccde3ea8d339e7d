"""`rectify import DOCUMENT.docx|.txt|.md`: an official document becomes draft plan
files with exactly its items, categories and measures, as text and as Word documents
(typed numbering and Word's list numbering); joint leads, parent links, the drafts
load cleanly, and hostile documents are refused in one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from .conftest import CORPUS

DOCS = CORPUS / "documents"
EXPECTED = {"001": (41, 4, 98), "003": (12, 4, 24)}
_HEADING = (
    (0, re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、．.]\s*")),
    (1, re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*")),
    (2, re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*")),
    (3, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
)


def _lines(name: str) -> list[str]:
    return [line.strip() for line in (DOCS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _docx(lines: list[str], path: Path, word_numbering: bool) -> Path:
    """A Word document holding `lines`, one paragraph each; with `word_numbering` the
    heading numbers are not typed but produced by a multi-level list (一、/（一）/1./（1））."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    num_id = "90"
    if word_numbering:
        numbering = document.part.numbering_part.element
        levels = (("chineseCounting", "%1、", None), ("chineseCounting", "（%2）", None),
                  ("decimal", "%3.", "1"), ("decimal", "（%4）", None))  # 1. runs on across （一）（二）
        xml = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
        for ilvl, (fmt, text, restart) in enumerate(levels):
            restart_xml = f'<w:lvlRestart w:val="{restart}"/>' if restart else ""
            xml += (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{restart_xml}'
                    f'<w:lvlText w:val="{text}"/></w:lvl>')
        numbering.insert(0, parse_xml(xml + "</w:abstractNum>"))
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))
    for line in lines:
        level = next(((lvl, m) for lvl, pattern in _HEADING if (m := pattern.match(line))), None)
        if word_numbering and level is not None:
            paragraph = document.add_paragraph(line[level[1].end():])
            paragraph._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level[0]}"/><w:numId w:val="{num_id}"/></w:numPr>'))
        else:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def _import(run, tmp_path: Path, source: Path, plan: str, *extra: str) -> tuple[int, str, dict]:
    code, stdout, _ = run("import", str(source), "--plan", plan, "--out", plan, "--lang", "zh", *extra, cwd=tmp_path)
    files = {}
    for name in ("plan.yaml", "issues.yaml", "tasks.yaml"):
        if (tmp_path / plan / name).exists():
            files[name] = yaml.safe_load((tmp_path / plan / name).read_text(encoding="utf-8"))
    return code, stdout, files


def _counts(files: dict) -> tuple[int, int, int]:
    issues = files["issues.yaml"]["issues"]
    return len(issues), len({i["category"] for i in issues if "category" in i}), len(files["tasks.yaml"]["tasks"])


def _titles(files: dict) -> tuple[list[str], list[str]]:
    return [i["title"] for i in files["issues.yaml"]["issues"]], [t["title"] for t in files["tasks.yaml"]["tasks"]]


@pytest.mark.parametrize("seed", ["001", "003"])
def test_seed_text_imports_exactly_its_items(run, tmp_path, seed):
    code, stdout, files = _import(run, tmp_path, DOCS / f"seed-{seed}.txt", f"p{seed}")
    assert code in (0, 1), stdout  # 1: web-page lines around the notice are listed, not imported
    assert _counts(files) == EXPECTED[seed]
    source = (DOCS / f"seed-{seed}.txt").read_text(encoding="utf-8")
    issues, tasks = _titles(files)
    assert all(title and title in source for title in issues + tasks)
    if seed == "001":
        assert issues[3] == "惠企政策宣传指引不到位" and issues[23] == "未开展专项行动解决企业突出问题及共性问题"
        assert tasks[:2] == ["区委、区全面优化营商环境领导小组抓好督办，推动营商环境6.0改革及各项改革任务落地，深化改革".replace("，", ","),
                             "区优营办督促各专题组、指标组牵头单位建立例会制度,组建工作专班,制定工作方案,建立沟通协调机制"]
    else:
        assert issues[0] == "进一步规范选人用人工作" and tasks[0] == "规范落实任前公示"
        categories = [i["category"] for i in files["issues.yaml"]["issues"]]
        assert categories[0] == "对上一轮巡察发现问题整改" and categories[-1] == "落实全面从严治党要求"


@pytest.mark.parametrize("word_numbering", [False, True], ids=["typed", "word-list"])
@pytest.mark.parametrize("seed", ["001", "003"])
def test_seed_docx_imports_like_the_text(run, tmp_path, seed, word_numbering):
    _, _, text_files = _import(run, tmp_path, DOCS / f"seed-{seed}.txt", "text")
    document = _docx(_lines(f"seed-{seed}.txt"), tmp_path / f"seed-{seed}.docx", word_numbering)
    code, stdout, files = _import(run, tmp_path, document, "word")
    assert code in (0, 1), stdout
    assert _counts(files) == EXPECTED[seed]
    assert _titles(files) == _titles(text_files)
    assert [i.get("category") for i in files["issues.yaml"]["issues"]] == [i.get("category") for i in text_files["issues.yaml"]["issues"]]


def test_word_numbering_shows_the_numbers_word_shows(tmp_path):
    from rectify_cli.formats.document import read_document

    lines = ["示例关于整改情况的通报", "一、主体责任", "（一）加强领导。", "二、整改任务落实情况", "（一）关于甲方面",
             "1. 问题甲的整改", "2. 问题乙的整改", "（二）关于乙方面", "3. 问题丙的整改", "（1） 措施"]
    texts = [p.text for p in read_document(_docx(lines, tmp_path / "n.docx", word_numbering=True))]
    assert texts == ["示例关于整改情况的通报", "一、主体责任", "（一）加强领导。", "二、整改任务落实情况", "（一）关于甲方面",
                     "1.问题甲的整改", "2.问题乙的整改", "（二）关于乙方面", "3.问题丙的整改", "（1）措施"]


def test_seed_002_responsibility_notes_give_joint_leads(run, tmp_path):
    code, stdout, files = _import(run, tmp_path, DOCS / "seed-002.txt", "wl")
    tasks = files["tasks.yaml"]["tasks"]
    assert len(tasks) == 23 and not any("lead" in t.get("x-guessed", []) for t in tasks)
    leads = [t["lead"] for t in tasks]
    assert leads[:3] == ["法制和监察司法工委", "财经工委", ["法制和监察司法工委", "各相关工委"]]
    assert ["财经工委", "预算工委", "法制和监察司法工委"] in leads
    assert ["城建环资工委", "教科文卫工委", "社会建设工委"] in leads
    first = tasks[0]
    assert first["x-theme"] == "紧盯法律法规" and first["title"].startswith("根据省、台州市人大常委会的年度立法计划")
    assert [i["title"] for i in files["issues.yaml"]["issues"]][0] == "助推法治环境更公正"
    assert files["plan.yaml"]["owner"] == "温岭市人大常委会办公室"  # the cover letter's signature


def test_three_levels_import_with_parent_links(run, tmp_path):
    code, stdout, files = _import(run, tmp_path, DOCS / "three-levels.md", "three")
    assert code == 0, stdout
    issues = {i["id"]: i for i in files["issues.yaml"]["issues"]}
    assert issues["I-01"]["title"] == "贯彻落实上级决策部署不到位" and "parent" not in issues["I-01"]
    assert issues["I-02"] == {"id": "I-02", "category": "贯彻落实上级决策部署不到位", "title": "理论学习不深入", "parent": "I-01"}
    assert issues["I-03"]["parent"] == "I-02" and issues["I-03"]["finding"] == "中心组学习流于形式，全年只集中学习两次"
    assert issues["I-08"]["parent"] == "I-07" and issues["I-09"]["parent"] == "I-08"
    tasks = {t["id"]: t for t in files["tasks.yaml"]["tasks"]}
    assert issues["I-04"]["target"] == "每年形成至少两篇调研报告" and issues["I-04"]["finding"] == "学习成果转化不够"
    assert tasks["T-03-1"]["lead"] == "办公室" and tasks["T-03-2"]["due"] == "2025年6月30日前"
    assert tasks["T-04-1"]["lead"] == ["办公室", "政策研究室"]
    assert tasks["T-06-1"]["lead"] == "审批科" and tasks["T-06-1"]["support"] == ["信息中心"]
    assert tasks["T-06-1"]["status"] == "done" and tasks["T-06-1"]["x-review"] is True
    assert tasks["T-09-1"]["due"] == "长期坚持"
    plan = files["plan.yaml"]
    assert plan["owner"] == "中共示例局党组" and plan["events"]["feedback_received"]["date"].isoformat() == "2025-04-01"
    assert "整改工作领导小组" in plan["responsibility"] and "回头看" in plan["next_steps"]


@pytest.mark.parametrize("name,plan", [("seed-001.txt", "p001"), ("seed-003.txt", "p003"), ("seed-002.txt", "p002"),
                                       ("three-levels.md", "three")])
def test_drafts_pass_check_and_report_follows_the_document(run, tmp_path, name, plan):
    _import(run, tmp_path, DOCS / name, plan)
    code, stdout, _ = run("check", plan, "--format", "json", "--as-of", "2023-01-01", cwd=tmp_path)
    result = json.loads(stdout)
    assert result["errors"] == [] and code == 0, result["errors"]
    code, report, _ = run("report", plan, plan, "--as-of", "2023-01-01", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    files = {n: yaml.safe_load((tmp_path / plan / n).read_text(encoding="utf-8")) for n in ("issues.yaml", "tasks.yaml")}
    positions = [report.index(i["title"]) for i in files["issues.yaml"]["issues"] if i["id"] in {t["issue"] for t in files["tasks.yaml"]["tasks"]}]
    assert positions == sorted(positions)  # issues in the document's order
    if name in ("seed-001.txt", "seed-003.txt"):  # the report's title is the document's
        assert report.splitlines()[0] == "# " + _lines(name)[2 if name == "seed-001.txt" else 0].replace("[bookmark: _Toc31731804]", "")
    categories = list(dict.fromkeys(i["category"] for i in files["issues.yaml"]["issues"]))
    assert [report.index(f"关于{c}方面") for c in categories] == sorted(report.index(f"关于{c}方面") for c in categories)


def test_every_paragraph_is_placed_or_reported(run, tmp_path):
    from rectify_cli.formats.outline_parse import category_name, heading

    code, stdout, _ = _import(run, tmp_path, DOCS / "seed-001.txt", "p001")
    assert code == 1
    report = (tmp_path / "p001" / "import-report.txt").read_text(encoding="utf-8")
    assert "第 1 段：标题之前的文字，未导入：选择语言" in report
    assert "第 212 段：结束语，未导入" in report
    written = "".join((tmp_path / "p001" / n).read_text(encoding="utf-8") for n in ("plan.yaml", "issues.yaml", "tasks.yaml"))
    reported = {int(m) for m in re.findall(r"第 (\d+) 段", report)}
    lines = (DOCS / "seed-001.txt").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or number in reported or re.match(r"^[一二三四五六七八九十]+、", line):
            continue  # a section heading is structure: its text is where its content went
        if line == "2025年3月20日":  # the signature's date
            assert "report_date: 2025-03-20" in written
            continue
        if re.match(r"^[（(][一二三四五六七八九十]+[）)]关于", line):
            assert category_name(heading(line)[1]) in written
            continue
        for sentence in re.split(r"(?<=[。！？])", line):  # every sentence is in a file, whole or split at its marker
            core = re.sub(r"^([一二三四五六七八九十]+[是、]|\d+\.\s*|[（(][一二三四五六七八九十]+[）)])", "", sentence.strip()).rstrip("。")
            core = re.sub(r"的整改$", "", core)  # 1. X的整改: the issue is X
            assert core[:12] in written, (number, sentence)


def test_dry_run_prints_the_tree_and_writes_nothing(run, tmp_path):
    code, stdout, _ = run("import", str(DOCS / "three-levels.md"), "--plan", "three", "--dry-run", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    assert "类别：贯彻落实上级决策部署不到位" in stdout
    assert "      I-03 中心组学习流于形式，全年只集中学习两次" in stdout
    assert "T-04-1 每季度开展一次调研，形成调研报告  ［办公室、政策研究室｜—］" in stdout
    assert not (tmp_path / "plans").exists()


def test_never_overwrites(run, tmp_path):
    (tmp_path / "three").mkdir()
    (tmp_path / "three" / "tasks.yaml").write_text("keep\n", encoding="utf-8")
    code, stdout, stderr = run("import", str(DOCS / "three-levels.md"), "--plan", "three", "--out", "three", cwd=tmp_path)
    assert code == 2 and (tmp_path / "three" / "tasks.yaml").read_text(encoding="utf-8") == "keep\n"
    assert sorted(p.name for p in (tmp_path / "three").iterdir()) == ["tasks.yaml"]


@pytest.mark.parametrize("name", ["seed-000.txt", "seed-004.txt"])
def test_other_documents_import_cleanly(run, tmp_path, name):
    """A work-evaluation plan (000) and a traditional-character notice whose plan is its
    annex (004): what is recognised loads cleanly, the rest is in the report."""
    code, stdout, stderr = run("import", str(DOCS / name), "--plan", "x", "--out", "x", cwd=tmp_path)
    assert code in (0, 1) and "Traceback" not in stdout + stderr
    assert run("check", "x", "--format", "json", "--as-of", "2020-01-01", cwd=tmp_path)[0] == 0


# ---- hostile documents ---------------------------------------------------------------------


def _refused(run, tmp_path, path: Path, *needles: str) -> None:
    code, stdout, stderr = run("import", str(path), "--plan", "h", "--out", "h", "--lang", "en", cwd=tmp_path)
    assert code == 2, stdout
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr
    assert not (tmp_path / "h").exists()


def test_refuses_legacy_encodings_and_binary(run, tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("一、整改情况\n1. 问题的整改\n".encode("gb18030"))
    _refused(run, tmp_path, gbk, "not UTF-8", "GB18030")
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes("一、整改情况\n".encode("utf-16"))
    _refused(run, tmp_path, utf16, "UTF-16")
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x00\x01\x02abc")
    _refused(run, tmp_path, binary, "binary")


def test_bom_is_fine(run, tmp_path):
    source = tmp_path / "bom.txt"
    source.write_bytes(b"\xef\xbb\xbf" + (DOCS / "seed-003.txt").read_bytes())
    code, _, files = _import(run, tmp_path, source, "bom")
    assert _counts(files) == EXPECTED["003"]


def test_bounds_size_paragraphs_and_length(run, tmp_path, monkeypatch):
    from rectify_cli.formats import document

    many = tmp_path / "many.txt"
    many.write_text("一、整改情况\n" + "1. 问题的整改\n" * 50, encoding="utf-8")
    monkeypatch.setattr(document, "MAX_PARAGRAPHS", 20)
    _refused(run, tmp_path, many, "more than 20 paragraphs")
    monkeypatch.setattr(document, "MAX_FILE_BYTES", 100)
    _refused(run, tmp_path, many, "too large")
    monkeypatch.setattr(document, "MAX_FILE_BYTES", 20 * 1024 * 1024)
    monkeypatch.setattr(document, "MAX_PARAGRAPHS", 20_000)
    long = tmp_path / "long.txt"
    long.write_text("一、整改情况\n" + "很" * (document.MAX_PARAGRAPH_CHARS + 1) + "\n", encoding="utf-8")
    _refused(run, tmp_path, long, "long.txt:2", "longer than")


def test_docx_zip_bomb_and_nested_tables_refused(run, tmp_path, monkeypatch):
    import docx

    from rectify_cli.formats import document as reader

    nested = docx.Document()
    cell = nested.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(reader.MAX_TABLE_DEPTH + 1):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "1. 问题的整改"
    nested.save(str(tmp_path / "nested.docx"))
    _refused(run, tmp_path, tmp_path / "nested.docx", "nested more than")
    document = _docx(_lines("seed-003.txt"), tmp_path / "big.docx", word_numbering=False)
    monkeypatch.setattr(reader, "MAX_UNZIPPED_BYTES", 10_000)
    _refused(run, tmp_path, document, "too large")


def test_docx_entities_are_not_resolved(run, tmp_path):
    """An external entity in document.xml is never read: python-docx's parser resolves none."""
    import zipfile

    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    source = _docx(["示例关于整改情况的通报", "一、整改任务落实情况", "1. 问题甲的整改", "一是措施甲。二是措施乙。"], tmp_path / "s.docx", False)
    hostile = tmp_path / "xxe.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(hostile, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", f'?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'.encode(), 1)
                data = data.replace("措施甲".encode(), b"&x;")
            zout.writestr(item, data)
    code, stdout, stderr = run("import", str(hostile), "--plan", "h", "--out", "h", cwd=tmp_path)
    assert code == 0 and "Traceback" not in stdout + stderr
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "h").glob("*"))
    assert "措施乙" in written and "机密内容" not in written + stdout + stderr


def test_not_a_word_file(run, tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    _refused(run, tmp_path, fake, "cannot be read")


def test_a_document_without_items_is_refused(run, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("关于某事的通知\n请各单位认真做好有关工作。\n", encoding="utf-8")
    _refused(run, tmp_path, plain, "no numbered issues or measures")


# ---- parent links ----------------------------------------------------------------------------


def _plan_with_parents(tmp_path: Path, parents: dict[str, str]) -> Path:
    from .conftest import write

    root = tmp_path / "plans" / "p"
    write(root / "plan.yaml", "kind: plan\nid: p\ntitle: 示例\n")
    issues = "".join(f"  - id: {i}\n    title: 问题{i}\n" + (f"    parent: {parents[i]}\n" if i in parents else "")
                     for i in ("I-01", "I-02", "I-03"))
    write(root / "issues.yaml", "kind: issues\nplan: p\nissues:\n" + issues)
    return root


def test_parent_links_are_checked(run, tmp_path):
    _plan_with_parents(tmp_path, {"I-02": "I-01", "I-03": "I-02"})
    assert run("check", "--format", "json", cwd=tmp_path)[0] == 0


def test_unknown_parent_is_an_error(run, tmp_path):
    _plan_with_parents(tmp_path, {"I-02": "I-09"})
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "plans/p/issues.yaml:8:13: error: parent: plan p has no issue I-09" in stdout


def test_parent_cycle_is_an_error(run, tmp_path):
    _plan_with_parents(tmp_path, {"I-01": "I-03", "I-02": "I-01", "I-03": "I-02"})
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "parent links form a cycle: I-01 → I-03 → I-02 → I-01" in stdout
    assert stdout.count("parent links form a cycle") == 3  # once at each member


def test_macro_enabled_document_is_refused(run, tmp_path):
    """A .docm renamed .docx is not read as a Word document (its macros never matter)."""
    import zipfile

    source = _docx(["示例关于整改情况的通报", "一、整改任务落实情况", "1. 问题甲的整改"], tmp_path / "s.docx", False)
    renamed = tmp_path / "macro.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(renamed, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            zout.writestr(item, data)
    _refused(run, tmp_path, renamed, "macroEnabled")


def test_numbering_given_by_a_paragraph_style(tmp_path):
    """Word can number a paragraph through its style (a "问题" heading style with a list)."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from rectify_cli.formats.document import read_document

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                                  '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    style = document.styles.add_style("问题", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="77"/></w:numPr>'))
    document.add_paragraph("甲问题的整改", style="问题")
    document.add_paragraph("一是措施。")
    document.add_paragraph("乙问题的整改", style="问题")
    document.save(str(tmp_path / "style.docx"))
    assert [p.text for p in read_document(tmp_path / "style.docx")] == ["1.甲问题的整改", "一是措施。", "2.乙问题的整改"]


def test_a_chinese_document_is_reported_in_chinese_without_being_told(run, tmp_path):
    """No --lang, LANG=C, no plan files yet: the document's own language chooses."""
    code, stdout, _ = run("import", str(DOCS / "three-levels.md"), "--plan", "three", "--dry-run", cwd=tmp_path)
    assert code == 0
    assert "类别：贯彻落实上级决策部署不到位" in stdout and "试运行：未写入任何文件" in stdout
