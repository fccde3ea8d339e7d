"""A scripted office: three unit repositories (bare repositories made here, one
unreachable), fetched into the cache and read beside the office's own plans."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import write
from .test_site import browser  # noqa: F401  (the headless Chromium fixture)

AS_OF = "2025-12-01"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _unit_files(plan: str, unit: str, due: str, status: str = "doing") -> dict[str, str]:
    return {
        "plan.yaml": f"kind: plan\nid: {plan}\ntitle: {unit}巡察整改\nowner: {unit}\n",
        "issues.yaml": f"kind: issues\nplan: {plan}\nissues:\n  - id: I-1\n    title: 基层党建薄弱\n",
        "tasks.yaml": (
            f"kind: tasks\nplan: {plan}\ntasks:\n  - id: T-1\n    issue: I-1\n"
            f"    title: 整顿软弱涣散党组织 <script>alert(1)</script>\n    lead: {unit}\n    due: {due}\n    status: {status}\n"
        ),
    }


def _unit_repo(base: Path, name: str, files: dict[str, str]) -> tuple[Path, Path]:
    """A unit's working repository and the bare repository it pushes to (its server)."""
    work = base / f"work-{name}"
    for file, text in files.items():
        write(work / "plans" / file, text)
    _git(base, "init", "-q", "-b", "main", str(work))
    _git(work, "add", "-A")
    _git(work, "-c", "user.name=联络员", "-c", "user.email=u@example.org", "commit", "-qm", "整改台账")
    bare = base / f"{name}.git"
    _git(base, "clone", "-q", "--bare", str(work), str(bare))
    return work, bare


def _push(work: Path, bare: Path, file: str, text: str, message: str) -> None:
    write(work / "plans" / file, text)
    _git(work, "-c", "user.name=联络员", "-c", "user.email=u@example.org", "commit", "-qam", message)
    _git(work, "push", "-q", str(bare), "main")


@pytest.fixture
def office(tmp_path, monkeypatch):
    """The office's repository with its own plan and three units' repositories:
    two that can be fetched (a bare repository by relative path, one by file://
    URL) and one whose server has gone (nothing left at its URL)."""
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    servers = tmp_path / "server"
    units = {
        "jia": _unit_repo(servers, "jia", _unit_files("jia-2025", "甲局", "2025-11-20")),
        "yi": _unit_repo(servers, "yi", _unit_files("yi-2025", "乙局", "2025-12-02")),
        "bing": _unit_repo(servers, "bing", _unit_files("bing-2025", "丙局", "2025-11-25")),
    }
    shutil.rmtree(units["bing"][1])  # 丙局's server is down: its repository cannot be reached
    hq = tmp_path / "hq"
    for file, text in _unit_files("hq-2025", "巡察办", "2026-06-30").items():
        write(hq / "plans" / file, text)
    write(hq / "rectify.yaml", (
        "units:\n  - name: 甲局\n    email: jia@example.org\n  - name: 乙局\n    email: yi@example.org\n"
        "sources:\n"
        "  - {name: jia, url: ../server/jia.git}\n"
        f"  - {{name: yi, url: 'file://{servers / 'yi.git'}', ref: main}}\n"
        "  - {name: bing, url: ../server/bing.git}\n"
    ))
    _git(tmp_path, "init", "-q", str(hq))
    return hq, units


def test_fetch_brings_each_source_and_names_the_one_it_cannot_reach(run, office):
    hq, _ = office
    code, out, err = run("fetch", "--lang", "en", cwd=hq)
    assert code == 1  # one source failed; the others were fetched
    assert "jia: " in out and "(first fetch)" in out and "yi: " in out
    (line,) = [l for l in err.splitlines() if "bing" in l]
    assert line.startswith("rectify: rectify.yaml:9:5: source 'bing' could not be fetched:") and "bing.git" in line
    code, out, _ = run("fetch", "--lang", "en", "--source", "jia", cwd=hq)
    assert code == 0 and "(up to date)" in out and "yi" not in out


def test_read_commands_read_every_fetched_source_pinned_at_its_commit(run, office):
    hq, units = office
    before = run("status", "--as-of", AS_OF, "--format", "json", cwd=hq)
    assert {t["plan"] for t in json.loads(before[1])["items"]} == {"hq-2025"}  # nothing fetched yet
    assert "source 'jia' has not been fetched" in run("status", "--as-of", AS_OF, "--lang", "en", cwd=hq)[2]
    run("fetch", cwd=hq)
    jia_sha = _git(units["jia"][1], "rev-parse", "HEAD")[:7]
    code, out, err = run("status", "--as-of", AS_OF, "--format", "json", "--lang", "en", cwd=hq)
    assert code == 0
    tasks = {t["plan"]: t for t in json.loads(out)["items"]}
    assert set(tasks) == {"hq-2025", "jia-2025", "yi-2025"}
    assert tasks["jia-2025"]["file"] == f"jia@{jia_sha}/plans/tasks.yaml" and tasks["jia-2025"]["overdue"] is True
    assert f"reading source jia@{jia_sha} (../server/jia.git)" in err
    assert "source 'bing' has not been fetched and was not read; run rectify fetch" in err
    # the unit pushes a change: nothing moves until the office fetches again
    work, bare = units["jia"]
    _push(work, bare, "tasks.yaml", _unit_files("jia-2025", "甲局", "2025-11-20", "done")["tasks.yaml"].replace(
        "status: done", "status: done\n    done: 2025-11-18\n    evidence: [会议纪要]"), "T-1 完成")
    still = {t["plan"]: t for t in json.loads(run("status", "--as-of", AS_OF, "--format", "json", cwd=hq)[1])["items"]}
    assert still["jia-2025"]["status"] == "doing"
    code, out, _ = run("fetch", "--lang", "en", cwd=hq)
    assert f"(updated from {jia_sha})" in out
    tasks = {t["plan"]: t for t in json.loads(run("status", "--as-of", AS_OF, "--format", "json", cwd=hq)[1])["items"]}
    assert tasks["jia-2025"]["status"] == "done" and tasks["jia-2025"]["file"].startswith(f"jia@{_git(bare, 'rev-parse', 'HEAD')[:7]}/")


def test_check_warns_of_an_unread_source_and_fails_on_it_only_when_asked(run, office):
    hq, _ = office
    run("fetch", cwd=hq)
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=hq)
    assert code == 1  # 甲局's task is overdue: read from its source
    assert "rectify.yaml:9:5: warning: source 'bing' has not been fetched" in out
    assert any(l.startswith("jia@") and "T-1" in l and "overdue" in l for l in out.splitlines())
    code, _, err = run("check", "--as-of", AS_OF, "--strict-sources", "--lang", "en", cwd=hq)
    assert code == 2 and "1 source(s) could not be read (--strict-sources)" in err
    for args in (("agenda",), ("report", "jia-2025"), ("export", "--format", "xlsx", "--out", str(hq / "ledger.xlsx"))):
        command, args = args[0], (*args, "--as-of", AS_OF)
        code, out, err = run(*args, cwd=hq)
        assert code in (0, 1), (command, err)
        assert "reading source jia@" in err or "读入来源 jia@" in err, command
    assert "甲局" in run("agenda", "--as-of", AS_OF, cwd=hq)[1]


def test_a_source_whose_files_are_invalid_is_one_line_and_the_rest_is_read(run, office):
    hq, units = office
    work, bare = units["yi"]
    _push(work, bare, "tasks.yaml", "kind: tasks\nplan: yi-2025\ntasks:\n  - id: T-1\n\ttitle: tab\n", "broken")
    run("fetch", cwd=hq)
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=hq)
    assert code == 1  # not 2: the invalid source is left out, not the office's ledger
    (line,) = [l for l in out.splitlines() if "source yi@" in l]
    assert "rectify.yaml:8:5: warning: source yi@" in line and "were not read (first: yi@" in line and "tasks.yaml:5" in line
    assert any(l.startswith("jia@") for l in out.splitlines())


def test_the_same_plan_id_in_two_sources_is_an_error_naming_both(run, office, tmp_path):
    hq, _ = office
    _unit_repo(tmp_path / "server", "copy", _unit_files("jia-2025", "甲局", "2025-11-20"))
    config = hq / "rectify.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "  - {name: copy, url: ../server/copy.git}\n", encoding="utf-8")
    run("fetch", cwd=hq)
    code, out, _ = run("check", "--as-of", AS_OF, "--lang", "en", cwd=hq)
    assert code == 2
    clash = [l for l in out.splitlines() if "jia-2025" in l and "error" in l]
    assert clash and "copy@" in clash[0] and "jia@" in clash[0]
    # item ids clash only within a plan: T-1 is in every plan here, a duplicate only in jia-2025's two copies
    duplicates = [l for l in out.splitlines() if "duplicate item id" in l]
    assert duplicates and all(l.startswith("copy@") and "also at jia@" in l for l in duplicates)


def test_history_and_audit_read_each_source_up_to_its_fetched_commit(run, office):
    hq, units = office
    _git(hq, "add", "-A")
    _git(hq, "-c", "user.name=巡察办", "-c", "user.email=o@example.org", "commit", "-qm", "巡察办台账")
    work, bare = units["jia"]
    _push(work, bare, "tasks.yaml", _unit_files("jia-2025", "甲局", "2025-11-20")["tasks.yaml"].replace(
        "status: doing", "status: doing\n    progress:\n      - {date: 2025-11-10, note: 已召开专题会}"), "进展")
    run("fetch", cwd=hq)
    code, out, _ = run("history", "jia-2025:T-1", "--lang", "en", cwd=hq)
    assert code == 0
    head, *rest = out.splitlines()
    assert head.startswith("jia-2025/T-1") and f"[jia@{_git(bare, 'rev-parse', 'HEAD')[:7]}]" in head
    assert any("已召开专题会" in l for l in rest)
    entries = json.loads(run("history", "T-1", "--format", "json", cwd=hq)[1])
    assert {e["source"] and e["source"].split("@")[0] for e in entries} == {None, "jia", "yi"}
    _push(work, bare, "tasks.yaml", _unit_files("jia-2025", "甲局", "2026-03-31")["tasks.yaml"], "改期限")
    run("fetch", cwd=hq)
    code, out, _ = run("audit", "--format", "json", cwd=hq)
    assert code == 1
    moved = [f for f in json.loads(out) if f["plan"] == "jia-2025"]
    assert moved and moved[0]["file"].startswith("jia@") and moved[0]["file"].endswith("plans/tasks.yaml")


def test_notify_reminds_the_units_of_every_source(run, office):
    hq, _ = office
    run("fetch", cwd=hq)
    code, out, _ = run("notify", "--as-of", AS_OF, "--dry-run", "--lang", "zh", cwd=hq)
    assert code == 0
    assert "== 甲局 (email)" in out and "已逾期" in out and "== 乙局 (email)" in out


def test_a_password_in_a_source_url_never_reaches_the_screen_and_ext_is_never_run(run, tmp_path, monkeypatch):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    planted = tmp_path / "ran"
    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\ntitle: t\n")
    write(tmp_path / "rectify.yaml", (
        "sources:\n"
        "  - {name: secret, url: 'http://user:hunter22@127.0.0.1:9/unit.git'}\n"
        f"  - {{name: ext, url: 'ext::sh -c touch% {planted}'}}\n"
        "  - {name: option, url: '--upload-pack=touch /tmp/x'}\n"
    ))
    _git(tmp_path, "init", "-q")
    code, out, err = run("fetch", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "must not start with '-'" in err  # rectify.yaml itself is refused first
    write(tmp_path / "rectify.yaml", (tmp_path / "rectify.yaml").read_text(encoding="utf-8").rsplit("  - {name: option", 1)[0])
    code, out, err = run("fetch", "--lang", "en", cwd=tmp_path)
    assert code == 1
    assert "hunter22" not in out + err and "source 'secret' could not be fetched" in err
    assert "source 'ext' could not be fetched" in err and not planted.exists()


def test_edits_write_only_the_local_plans(run, office):
    hq, _ = office
    run("fetch", cwd=hq)
    code, _, err = run("progress", "hq-2025:T-1", "已部署", "--date", "2025-11-30", cwd=hq)
    assert code == 0, err
    assert "已部署" in (hq / "plans/tasks.yaml").read_text(encoding="utf-8")
    code, _, err = run("progress", "jia-2025:T-1", "不在本仓库", "--date", "2025-11-30", cwd=hq)
    assert code == 2 and "jia-2025" in err


def test_the_python_api_reads_sources_too(run, office):
    import datetime as dt

    import rectify_cli

    hq, _ = office
    run("fetch", cwd=hq)
    ledger = rectify_cli.load("plans")
    assert {m.spec.name for m in ledger.mounts} == {"jia", "yi"}
    schedule = rectify_cli.evaluate(ledger, as_of=dt.date(2025, 12, 1))
    assert {s.item.plan for s in schedule.tasks} == {"hq-2025", "jia-2025", "yi-2025"}
    assert rectify_cli.load("plans", sources=False).mounts == ()


def test_the_scripted_office_end_to_end_site_in_a_browser_and_mail(run, office, browser, monkeypatch):
    """fetch → status → site (opened in Chromium) → notify against a real SMTP server."""
    from .test_notify import Mailbox, _free_port

    aiosmtpd = pytest.importorskip("aiosmtpd.controller")
    hq, _ = office
    assert run("fetch", cwd=hq)[0] == 1  # bing cannot be reached; jia and yi are fetched
    code, out, err = run("site", "--out", "public", "--as-of", AS_OF, cwd=hq)
    assert code == 0 and "读入来源 jia@" in err
    site = hq / "public"
    assert {"plan-hq-2025.html", "plan-jia-2025.html", "plan-yi-2025.html"} <= {p.name for p in site.iterdir()}
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site / "items.html").as_uri())
    page.select_option("select[name=unit]", "甲局")
    ids = page.eval_on_selector_all("#items tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent + '/' + r.cells[1].textContent)")
    assert ids == ["jia-2025/T-1"]
    assert errors == [] and all(u.startswith("file://") for u in requests)
    mailbox = Mailbox()
    smtp = aiosmtpd.Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        for name, value in (("RECTIFY_SMTP_HOST", "127.0.0.1"), ("RECTIFY_SMTP_PORT", str(smtp.port)),
                            ("RECTIFY_SMTP_SECURITY", "none"), ("RECTIFY_SMTP_FROM", "xcb@example.org")):
            monkeypatch.setenv(name, value)
        code, out, err = run("notify", "--as-of", AS_OF, "--lang", "zh", cwd=hq)
    finally:
        smtp.stop()
    assert code == 0, err
    sent = {tuple(to): message for to, message in mailbox.messages}
    assert set(sent) == {("jia@example.org",), ("yi@example.org",)}
    assert "T-1「整顿软弱涣散党组织" in sent[("jia@example.org",)].get_content()


def test_a_missing_ref_is_one_line_naming_the_source_and_the_rest_is_fetched(run, office):
    hq, _ = office
    config = hq / "rectify.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "ref: main}", "ref: release-2025}"), encoding="utf-8")
    code, out, err = run("fetch", "--lang", "en", cwd=hq)
    assert code == 1 and "jia: " in out
    (line,) = [l for l in err.splitlines() if "'yi'" in l]
    assert line.startswith("rectify: rectify.yaml:8:5: source 'yi' has no branch or tag") and "release-2025" in line
    assert "source 'yi' has not been fetched" in run("status", "--as-of", AS_OF, "--lang", "en", cwd=hq)[2]


@pytest.mark.parametrize("name", ["a/b", "a b", "x@y", "..", ".hidden", "c:d"])
def test_a_source_name_that_cannot_name_a_folder_is_an_error_at_its_line(run, tmp_path, monkeypatch, name):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\ntitle: t\n")
    write(tmp_path / "rectify.yaml", f"sources:\n  - name: '{name}'\n    url: ../unit.git\n")
    code, out, err = run("fetch", "--lang", "en", cwd=tmp_path)
    assert code == 2 and f"rectify.yaml:2:11: error: source name {name!r} must be one word" in out + err
    assert not (tmp_path / "cache" / "sources").exists()  # nothing fetched
