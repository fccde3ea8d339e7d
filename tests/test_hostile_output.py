"""Text from files never acts in an output file either: reports, exports, the import report.

Each output is read the way its reader reads it: Markdown through a CommonMark
renderer, HTML through a parser, JSON through `json.loads`, iCalendar unfolded.
"""

from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from rectify_cli.formats.ics import unfold

from .test_report_support import AS_OF, write_demo

# ESC (erase screen), BEL, CSI in C1, a bidi override, an OSC 8 hyperlink, an isolate
HOSTILE = '"x\\e[2J\\a\\x9b31m\\u202eevil\\e]8;;http://evil.example\\e\\\\link\\e]8;;\\e\\\\\\u2066!"'
PLAIN = "x\x1b[2J\x07\x9b31m\u202eevil\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\\u2066!"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LINK = "[点我](javascript:alert(document.cookie))"
IMAGE = "![跟踪](https://evil.example/t.png)"


def _ledger(root: Path) -> Path:
    """The demo plan with a hostile plan title, and a task whose title is a link and an image."""
    plans = write_demo(root, title=HOSTILE, formula=f"{LINK} {IMAGE}")
    tasks = plans / "demo" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("title: 开展执法案卷评查", f"title: {HOSTILE}"), encoding="utf-8")
    return plans


def _run(run, root: Path, *args: str) -> str:
    code, stdout, stderr = run(*args, "--as-of", AS_OF, "--lang", "en", cwd=root)
    assert code == 0, stderr
    return stdout


@pytest.mark.parametrize("to_file", [False, True], ids=["piped", "file"])
def test_markdown_report_is_inert(run, tmp_path, to_file):
    _ledger(tmp_path)
    args = ("report", "demo", "--format", "md", "--lists") + (("--out", "r.md") if to_file else ())
    stdout = _run(run, tmp_path, *args)
    text = (tmp_path / "r.md").read_text(encoding="utf-8") if to_file else stdout
    assert not RAW.search(text)
    assert "\\\\x1b\\[2J" in text  # shown, as on a terminal
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<a " not in html and "<img" not in html
    assert LINK in html and IMAGE in html  # the reader sees what the file says


def test_html_report_is_inert(run, tmp_path):
    _ledger(tmp_path)
    page = _run(run, tmp_path, "report", "demo", "--format", "html", "--lists")
    assert not RAW.search(page)
    seen = _Text()
    seen.feed(page)
    shown = "".join(seen.text)
    assert "x\\x1b[2J\\x07\\u009b31m\\u202eevil" in shown and LINK in shown
    assert not {"script", "a", "img"} & seen.tags


def test_site_is_inert(run, tmp_path):
    """Every page of `rectify site`: text shown as written, links only to its own pages, its one script."""
    from rectify_cli.report.site import _SCRIPT

    _ledger(tmp_path)
    _run(run, tmp_path, "site", "--out", "public")
    pages = sorted((tmp_path / "public").glob("*.html"))
    assert len(pages) > 3
    shown = ""
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert not RAW.search(page), path.name
        seen = _Links()
        seen.feed(page)
        shown += "".join(seen.text)
        assert not {"img", "iframe", "object", "embed", "link", "base"} & seen.tags, path.name
        assert all(re.fullmatch(r"[a-z]+(-[A-Za-z0-9._-]+)?\.html", href) for href in seen.hrefs), (path.name, seen.hrefs)
        assert re.findall(r"<script>(.*?)</script>", page, re.S) in ([], [_SCRIPT]), path.name
    assert "x\\x1b[2J\\x07\\u009b31m\\u202eevil" in shown and LINK in shown


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()
        self.hrefs: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.hrefs += [v for k, v in attrs if k in ("href", "src") and v is not None]
        self._skip += tag in ("style", "svg", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "svg", "script")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@pytest.mark.parametrize("to_file", [False, True], ids=["piped", "file"])
def test_ics_export_is_inert(run, tmp_path, to_file):
    _ledger(tmp_path)
    args = ("export", "--format", "ics", "--plan", "demo") + (("--out", "d.ics") if to_file else ())
    stdout = _run(run, tmp_path, *args)
    data = (tmp_path / "d.ics").read_bytes().decode("utf-8") if to_file else stdout.replace("\n", "\r\n")  # the runner gave \n
    assert not RAW.search(data.replace("\r\n", ""))
    lines = unfold(data)
    assert "X-WR-CALNAME:x\\\\x1b[2J\\\\x07\\\\u009b31m\\\\u202eevil" in "\n".join(lines)
    assert any(line.startswith("SUMMARY:T-03-1 x\\\\x1b[2J") for line in lines)


@pytest.mark.parametrize("to_file", [False, True], ids=["piped", "file"])
def test_json_export_escapes_and_keeps_the_text(run, tmp_path, to_file):
    _ledger(tmp_path)
    args = ("export", "--format", "json") + (("--out", "d.json") if to_file else ())
    stdout = _run(run, tmp_path, *args)
    data = (tmp_path / "d.json").read_text(encoding="utf-8") if to_file else stdout
    assert not RAW.search(data.replace("\n", ""))
    assert "\\u202e" in data and "\\u009b" in data and "\\u2066" in data  # bidi and C1 as \uXXXX
    items = json.loads(data)["items"]
    assert PLAIN in [item["measure"] for item in items]  # JSON escapes decode back to the very text


def test_import_report_is_inert_and_one_line_per_note(run, tmp_path):
    ledger = tmp_path / "ledger.csv"
    with ledger.open("w", encoding="utf-8", newline="") as handle:
        table = csv.writer(handle)
        table.writerow(["问题描述", "整改措施", "主责单位", "完成时间", "完成情况"])
        table.writerow(["问题甲", "措施甲", "区财政局", "2026/3/31", "未启动"])
        table.writerow(["问题乙", f"{PLAIN}\n第 9 行：伪造的一行", "", "2026/3/31", "未启动"])  # no lead: a note
    code, stdout, _ = run("import", str(ledger), "--plan", "p1", "--out", "out", "--lang", "zh", cwd=tmp_path)
    assert code == 1
    report = (tmp_path / "out" / "import-report.txt").read_text(encoding="utf-8")
    assert not RAW.search(report.replace("\n", ""))
    assert len(report.splitlines()) == 2  # the summary and one note: a cell cannot add a line
    assert "\\x1b[2J" in report and "\\n第 9 行：伪造的一行" in report
    assert not RAW.search(stdout.replace("\n", ""))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._skip += tag in ("style", "svg")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "svg")

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _planes_edges():
    """Every character of the basic plane, and the first and last 256 of each other plane."""
    yield from range(0x10000)
    for plane in range(1, 17):
        yield from range(plane << 16, (plane << 16) + 0x100)
        yield from range((plane << 16) + 0xFF00, (plane << 16) + 0x10000)


def test_json_bytes_hold_a_control_exactly_when_terminal_escapes_one():
    """`json_has_control` (bytes, what `--format json` checks) and `terminal` (text) agree on
    every character, as a JSON encoder writes it between others."""
    import orjson

    from rectify_cli.render import escape

    for code in _planes_edges():
        if 0xD800 <= code <= 0xDFFF:
            continue  # not encodable alone
        data = orjson.dumps(["“x", chr(code) + "”"])
        text = data.decode("utf-8")
        assert escape.json_has_control(data) is (escape.terminal(text) != text), hex(code)
