"""`rectify site`: the static dashboard, read as files and in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, write, write_ledger

AS_OF = "2025-12-01"
PLAN = "kind: plan\nid: p\ntitle: 巡察反馈问题整改\nowner: 巡察办\nissuer: 中共某区委\n"
ISSUES = "kind: issues\nplan: p\nissues:\n  - id: I-01\n    category: 党建方面\n    title: 基层党建薄弱\n"
TASKS = """\
kind: tasks
plan: p
tasks:
  - id: T-1
    issue: I-01
    title: 整顿软弱涣散党组织 <script>alert(1)</script>
    lead: 甲局
    due: 2025-11-20
    status: doing
    duban:
      - {date: 2025-11-24, level: 黄, by: 督查室, reply_by: 2025-11-28}
  - id: T-2
    issue: I-01
    title: 规范三会一课
    lead: [乙局, "../丙/局"]
    due: 2025-12-03
    status: doing
  - id: T-3
    issue: I-01
    title: 补齐党员档案
    lead: 乙局
    due: 2025-10-31
    status: done
    done: 2025-10-30
  - id: T-4
    issue: I-01
    title: 建立长效机制
    lead: 丁局
    due: 2026-06-30
"""


@pytest.fixture
def ledger(tmp_path):
    return write_ledger(tmp_path, PLAN, ISSUES, TASKS)


def _site(run, root: Path, *args: str) -> Path:
    code, out, err = run("site", "--out", "public", "--as-of", AS_OF, *args, cwd=root)
    assert code == 0, err
    return root / "public"


def test_every_plan_and_unit_has_a_page_with_a_safe_name(run, ledger):
    site = _site(run, ledger)
    names = sorted(p.name for p in site.iterdir())
    assert "index.html" in names and "items.html" in names and "plan-p.html" in names
    units = [n for n in names if n.startswith("unit-")]
    assert len(units) == 4  # 甲局, 乙局, ../丙/局, 丁局: each its own page, named by a digest
    assert all(re.fullmatch(r"unit-[0-9a-f]{12}\.html", n) for n in units)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index and "整改工作总览" in index  # a Chinese ledger: Chinese pages
    assert index.count('href="unit-') == 4 and "../丙/局" in index
    plan = (site / "plan-p.html").read_text(encoding="utf-8")
    assert "中共某区委关于巡察反馈问题整改进展情况的通报" in plan or "巡察反馈问题整改" in plan
    assert 'href="items.html"' in plan  # the site's navigation above the report


def test_page_names_never_come_from_free_text():
    from rectify_cli.report.site import plan_page, unit_page

    assert plan_page("gq-2025") == "plan-gq-2025.html"  # a plain id is kept: a readable address
    for hostile in ("../x", "a/b", "a\\b", ".hidden", "..", "", "名字", "x y", "a:b", "x" * 200, "a\x00b"):
        for name in (plan_page(hostile), unit_page(hostile)):
            assert re.fullmatch(r"(plan|unit)-[A-Za-z0-9][A-Za-z0-9._-]*\.html", name) and ".." not in name, (hostile, name)
    assert unit_page("甲局") != unit_page("乙局") and unit_page("甲局") == unit_page("甲局")


def test_text_from_the_files_is_text_and_nothing_comes_from_the_network(run, ledger):
    site = _site(run, ledger)
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in html, page.name
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), page.name
        assert "<link" not in html and "@import" not in html
    assert "整顿软弱涣散党组织 &lt;script&gt;alert(1)&lt;/script&gt;" in (site / "items.html").read_text(encoding="utf-8")


def test_a_units_page_holds_its_agenda_and_its_duban(run, ledger):
    from rectify_cli.report.site import unit_page

    site = _site(run, ledger)
    jia = (site / unit_page("甲局")).read_text(encoding="utf-8")
    assert "<h1>甲局</h1>" in jia and "T-1" in jia and "督办" in jia and "黄" in jia
    assert "T-2" not in jia
    # the agenda says how late or how soon, as `rectify agenda` does; the 督办清单 is the report's
    assert "<td>逾期 11 天</td>" in jia and "<td>黄色督办</td>" in jia and "<td>逾期未回复</td>" in jia
    yi = (site / unit_page("乙局")).read_text(encoding="utf-8")
    assert "T-2" in yi and "T-3" in yi and "没有督办事项" in yi
    assert "<td>剩 2 个工作日</td>" in yi
    agenda = yi.split("<h2>", 2)[1]  # the agenda: T-2 is due soon, T-3 is done
    assert "T-2" in agenda and "T-3" not in agenda


def test_a_second_run_replaces_its_pages_and_a_foreign_folder_is_refused(run, ledger):
    from rectify_cli.report.site import unit_page

    site = _site(run, ledger)
    tasks = ledger / "plans/tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("lead: 丁局", "lead: 戊局"), encoding="utf-8")
    _site(run, ledger)
    assert not (site / unit_page("丁局")).exists() and (site / unit_page("戊局")).exists()
    write(ledger / "notes/readme.txt", "mine")
    code, _, err = run("site", "--out", "notes", cwd=ledger)
    assert code == 2 and "notes" in err
    assert (ledger / "notes/readme.txt").read_text(encoding="utf-8") == "mine" and len(list((ledger / "notes").iterdir())) == 1


def test_an_invalid_ledger_writes_nothing(run, ledger):
    write(ledger / "plans/tasks.yaml", TASKS.replace("    lead: 丁局\n", "\tlead: 丁局\n"))
    code, _, _ = run("site", "--out", "public", cwd=ledger)
    assert code == 2 and not (ledger / "public").exists()


def test_the_burndown_chart_comes_from_git_history(run, ledger):
    assert "<svg" not in (_site(run, ledger) / "index.html").read_text(encoding="utf-8")  # no git: no chart
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(ledger)], check=True)
    subprocess.run([*git, "add", "plans"], cwd=ledger, check=True)
    subprocess.run([*git, "commit", "-qm", "ledger"], cwd=ledger, check=True)
    site = _site(run, ledger)
    assert "<svg" in (site / "index.html").read_text(encoding="utf-8")
    assert "<svg" in (site / "plan-p.html").read_text(encoding="utf-8")


def test_a_failed_write_leaves_no_folder_and_says_why_in_one_line(run, ledger, monkeypatch):
    import rectify_cli.atomic

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rectify_cli.atomic, "write_all", refuse)
    code, _, err = run("site", "--out", "public", cwd=ledger)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "No space left on device" in err
    assert not (ledger / "public").exists()


def test_an_out_path_under_a_file_is_a_usage_error(run, ledger):
    write(ledger / "taken", "a file")
    code, _, err = run("site", "--out", "taken/public", cwd=ledger)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_a_shallow_clone_gets_no_chart_and_one_warning(run, ledger, tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(ledger)], check=True)
    for n in (1, 2):
        write(ledger / "plans/note.txt", str(n))
        subprocess.run([*git, "add", "plans"], cwd=ledger, check=True)
        subprocess.run([*git, "commit", "-qm", f"step {n}"], cwd=ledger, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", ledger.as_uri(), str(clone)], check=True)
    code, _, err = run("site", "--out", "public", "--as-of", AS_OF, cwd=clone)
    assert code == 0
    assert len(err.strip().splitlines()) == 1 and "--unshallow" in err  # once, not once per plan
    assert "<svg" not in (clone / "public/index.html").read_text(encoding="utf-8")


# -- in a real browser ---------------------------------------------------------
def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("no Chromium on this machine: .ci/run installs Debian's chromium package where apt-get exists")
    return path


@pytest.fixture
def browser():
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra: pip install -e '.[test]'")
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(
                executable_path=executable,
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            )
        except sync_api.Error as exc:  # installed but unable to start here (a missing library, no /dev/shm)
            pytest.skip(f"{executable} does not start: {str(exc).splitlines()[0]}")
        yield browser
        browser.close()


def _open(browser, url: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    return page, errors, requests


def _visible_ids(page) -> list[str]:
    return page.eval_on_selector_all("#items tbody tr:not([hidden])", "rows => rows.map(r => r.cells[1].textContent)")


def test_in_chromium_the_table_filters_and_sorts_with_no_errors_and_no_network(run, ledger, browser, tmp_path):
    site = _site(run, ledger)
    page, errors, requests = _open(browser, (site / "items.html").as_uri(), 1280, 800)
    assert sorted(_visible_ids(page)) == ["T-1", "T-2", "T-3", "T-4"]
    page.select_option("select[name=unit]", "乙局")
    assert sorted(_visible_ids(page)) == ["T-2", "T-3"]
    page.select_option("select[name=unit]", "")
    page.select_option("select[name=status]", "overdue")
    assert _visible_ids(page) == ["T-1"]
    page.select_option("select[name=status]", "soon")  # due within 5 working days
    assert _visible_ids(page) == ["T-2"]
    page.select_option("select[name=status]", "done")  # a status as the files write it
    assert _visible_ids(page) == ["T-3"]
    page.select_option("select[name=unit]", "甲局")  # filters combine
    assert _visible_ids(page) == []
    assert page.text_content("#shown") == "0"
    page.select_option("select[name=unit]", "")
    page.select_option("select[name=status]", "")
    page.fill("input[name=q]", "档案")
    assert _visible_ids(page) == ["T-3"]
    assert page.text_content("#shown") == "1"
    page.fill("input[name=q]", "")
    due_header = page.locator("#items thead th").nth(4)
    due_header.click()
    assert _visible_ids(page) == ["T-3", "T-1", "T-2", "T-4"]  # by deadline, earliest first
    due_header.click()
    assert _visible_ids(page) == ["T-4", "T-2", "T-1", "T-3"]
    assert page.evaluate("document.title") == "全部事项"
    assert page.evaluate("window.__xss === undefined && !document.querySelector('tbody script')")
    for name, (width, height) in {"phone": (390, 844), "desktop": (1280, 800)}.items():
        page.set_viewport_size({"width": width, "height": height})
        shot = tmp_path / f"items-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 2000
    page.emulate_media(media="print")  # printed: the table alone, no navigation or filter form
    assert not page.is_visible("header.site") and not page.is_visible("#filters") and page.is_visible("#items")
    page.emulate_media(media="screen")
    for other in ("index.html", "plan-p.html"):
        more, more_errors, more_requests = _open(browser, (site / other).as_uri(), 390, 844)
        more.screenshot(path=str(tmp_path / f"{other}-phone.png"), full_page=True)
        errors += more_errors
        requests += more_requests
        # on a phone, the page fits the screen's width (tables scroll inside their box)
        assert more.evaluate("document.documentElement.scrollWidth") <= 390 + 1, other
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests


def test_without_javascript_the_whole_table_is_there(run, ledger, browser):
    site = _site(run, ledger)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "items.html").as_uri())
    assert sorted(_visible_ids(page)) == ["T-1", "T-2", "T-3", "T-4"]
    assert not page.is_visible("#filters")  # the filter form needs the script: hidden without it
    context.close()


def test_in_chromium_the_default_plans_site_reads_whole_on_a_phone_and_a_desktop(run, browser, tmp_path):
    """The repository's own plans/ (with its git history: the chart), every page at both widths."""
    target = tmp_path / "public"
    code, _, err = run("site", str(REPO / "plans"), "--out", str(target), "--as-of", "2025-09-15", cwd=tmp_path)
    assert code == 0, err
    pages = sorted(p.name for p in target.glob("*.html"))
    assert {"index.html", "items.html"} <= set(pages) and any(n.startswith("plan-") for n in pages)
    assert any(n.startswith("unit-") for n in pages)
    errors, requests = [], []
    for width, height in ((390, 844), (1280, 800)):
        for name in pages:
            page, page_errors, page_requests = _open(browser, (target / name).as_uri(), width, height)
            errors += [f"{name}: {e}" for e in page_errors]
            requests += page_requests
            # the navigation bar is styled on every page, the plans' 通报 included
            assert page.evaluate("getComputedStyle(document.querySelector('header.site')).backgroundColor") == "rgb(31, 78, 150)", name
            # no page is wider than the screen: wide tables scroll inside their box
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (name, width)
            # every link leads to a page that was written
            links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
            assert all((target / href).is_file() for href in links), (name, links)
            shot = tmp_path / f"{name}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 2000
            page.close()
    if _full_history(REPO):  # a checkout with its history has a chart; an unpacked archive has none
        assert "<svg" in (target / "index.html").read_text(encoding="utf-8")
    assert errors == []
    assert requests and all(url.startswith("file://") for url in requests), requests

    page, _, _ = _open(browser, (target / "items.html").as_uri(), 1280, 800)
    every = len(_visible_ids(page))
    unit = page.eval_on_selector_all("select[name=unit] option", "o => o.map(x => x.value)")[1]
    page.select_option("select[name=unit]", unit)
    shown = page.eval_on_selector_all("#items tbody tr:not([hidden])", "rows => rows.map(r => JSON.parse(r.dataset.units))")
    assert 0 < len(shown) < every and all(unit in units for units in shown)
    page.select_option("select[name=unit]", "")
    page.locator("#items thead th").nth(4).click()  # the deadline column
    keys = page.eval_on_selector_all("#items tbody tr", "rows => rows.map(r => r.cells[4].dataset.key)")
    assert keys == sorted(keys) and len(keys) == every


def test_in_chromium_a_unit_named_with_quotes_markup_and_controls_filters_as_any_other(run, browser, tmp_path):
    # the file names the unit x"局</script><b>ESC[31m and a right-to-left override
    tasks = TASKS.replace("lead: 丁局", 'lead: "x\\"局</script><b>\\e[31m\\u202e"')
    site = _site(run, write_ledger(tmp_path / "l", PLAN, ISSUES, tasks))
    html = (site / "items.html").read_text(encoding="utf-8")
    assert "</script><b>" not in html and "\x1b" not in html and "\u202e" not in html
    page, errors, _ = _open(browser, (site / "items.html").as_uri(), 1280, 800)
    options = page.eval_on_selector_all("select[name=unit] option", "o => o.map(x => x.value)")
    shown_name = next(o for o in options if o.startswith('x"'))
    assert shown_name == 'x"局</script><b>\\x1b[31m\\u202e'  # as text, controls made visible
    page.select_option("select[name=unit]", shown_name)
    assert _visible_ids(page) == ["T-4"]
    assert page.evaluate("!document.querySelector('tbody b')") and errors == []


def _full_history(path: Path) -> bool:
    try:
        shallow = subprocess.run(["git", "-C", str(path), "rev-parse", "--is-shallow-repository"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return shallow == "false"
