"""Hostile and broken input, end to end (issue 9): clear errors, nothing lost,
nothing executed, nothing read or trusted outside the repository, nothing raw on
the terminal. Every case goes through `rectify check` (or `status`) as a user
would run it: exit code, one located line per problem, never a traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rectify_cli import textfile, yamlsafe
from rectify_cli.loader import load_blobs

from .conftest import CORPUS, write
from .test_load import EXPECTED

BAD = CORPUS / "bad"
LOCATED = re.compile(r"^[^:\s][^:]*(:\d+:\d+)?: (error|错误): \S")
SUMMARY = re.compile(r"^\d+ files?, ")  # "1 file, …" since English counts are plural-aware


def _repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    return tmp_path


def _ledger(tmp_path, *, title="措施一", lead="市人社局", task_id="T-1", due="2025-12-31",
            plan_title="测试计划", extra="", milestones=""):
    _repo(tmp_path)
    write(tmp_path / "plans/plan.yaml",
          f"kind: plan\nid: p\ntitle: {plan_title}\nowner: 办公室\nevents:\n  received: 2025-11-05\n{milestones}")
    write(tmp_path / "plans/issues.yaml", "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题一\n")
    write(
        tmp_path / "plans/tasks.yaml",
        f"kind: tasks\nplan: p\ntasks:\n  - id: {task_id}\n    issue: I-1\n    title: {title}\n"
        f"    lead: {lead}\n    due: {due}\n    status: doing\n{extra}",
    )


def _error_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if not SUMMARY.match(line)]


# --- every corpus file, through the command ---------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_through_check_is_exit_2_one_line_each(run, tmp_path, name):
    shutil.copy(BAD / name, _repo(tmp_path) / name)
    code, stdout, stderr = run("check", name, "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "Traceback" not in stdout + stderr
    lines = _error_lines(stdout)
    expected = [f"{m.split(': ', 1)[0]}: error: {m.split(': ', 1)[1]}" for m in EXPECTED[name]]
    # the loader's lines exactly (check sorts them by position); cross-file checks may
    # add theirs (a lone tasks file has no plan)
    assert sorted(line for line in lines if line in expected) == sorted(expected)
    assert all(LOCATED.match(line) for line in lines)
    assert all(line in expected or "no plan with id" in line for line in lines)


# --- deadlines that cannot be computed ----------------------------------------------------


@pytest.mark.parametrize(
    "due,expected",
    [
        ("99999999 working days after received", "cannot read the number '99999999' or it is too large (limit 10000)"),
        ("1e400", "cannot read deadline '1e400'"),
        ("10000-01-01", "cannot read deadline '10000-01-01'"),
        ("3 months after 9999-12-01", "falls outside the dates that can be represented"),
        ("10 working days before 0001-01-02", "year 1 is outside the calendar (1950–2100)"),  # the year asked for, whatever is cached
        ("3 days after nowhere", "'nowhere' is neither a date nor an event or milestone of this plan"),
        ("2月30日", "deadline '2月30日': 2月30日 is not a date that exists"),
        (".nan", "cannot read deadline '.nan'"),
        ("x" * 300, "is too long (limit 200 characters)"),
    ],
)
def test_bad_deadline_is_exit_2_at_its_line(run, tmp_path, due, expected):
    _ledger(tmp_path, due=due)
    code, stdout, stderr = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2, stdout
    lines = _error_lines(stdout)
    assert len(lines) == 1 and lines[0].startswith("plans/tasks.yaml:8:10: error: ")
    assert expected in lines[0]


def test_circular_milestones_name_the_cycle(run, tmp_path):
    milestones = (
        "milestones:\n  - id: a\n    title: A\n    due: 3 days after b\n"
        "  - id: b\n    title: B\n    due: 3 days after a\n"
    )
    _ledger(tmp_path, milestones=milestones)
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "plans/plan.yaml:10:10: error: deadline '3 days after b' refers to itself: b → a → b" in stdout


def test_missing_issue_and_plan_are_named_once(run, tmp_path):
    _ledger(tmp_path)
    write(tmp_path / "plans/more.yaml",
          "kind: tasks\nplan: q\ntasks:\n" + "".join(
              f"  - id: Q-{i}\n    issue: I-9\n    title: t\n    lead: l\n" for i in range(3)))
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2
    lines = _error_lines(stdout)
    # three tasks share one `plan: q` line: one problem, not three identical lines
    assert lines == ["plans/more.yaml:2:7: error: plan: no plan with id q; create a kind: plan file or correct the id"]


# --- resource bounds --------------------------------------------------------------------


def _timed(data: bytes):
    start = time.perf_counter()
    _, problems = load_blobs([("f.yaml", data)])
    return time.perf_counter() - start, problems


def test_billion_laughs_is_refused_quickly():
    lines = ["kind: plan", "id: p", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    lines.append("title: *a9")
    elapsed, problems = _timed("\n".join(lines).encode())
    assert [p.key for p in problems] == ["load.alias_bomb"]
    assert elapsed < 5


@pytest.mark.parametrize(
    "body",
    [
        "x: " + "[" * 2_000_000 + "]" * 2_000_000,  # 4 MB of flow sequences
        "x: " + "{a: " * 500_000 + "1" + "}" * 500_000,
        "x:\n  " + "- " * 1_000_000 + "y",  # compact block sequences
        "x:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(2500)),  # one-space indentation
    ],
    ids=["flow-seq", "flow-map", "compact-seq", "indented-map"],
)
def test_deep_nesting_is_refused_without_crashing(body):
    elapsed, problems = _timed(f"kind: plan\n{body}\n".encode())
    assert [p.key for p in problems] == ["load.too_deep"]
    assert problems[0].source.line >= 2  # points into the file, where it gets too deep
    assert elapsed < 15


def test_file_over_20_mb_is_refused_before_reading(tmp_path, run):
    big = _repo(tmp_path) / "big.yaml"
    with big.open("wb") as f:  # sparse: 21 MB without writing them
        f.write(b"kind: plan\n")
        f.truncate(21 * 1024 * 1024)
    code, stdout, _ = run("check", "big.yaml", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert _error_lines(stdout) == [
        f"big.yaml: error: file too large ({21 * 1024 * 1024} bytes, limit {textfile.MAX_FILE_BYTES}); split it into several files"
    ]


def test_a_file_never_yields_more_than_the_limit_even_if_it_lies_about_its_size(tmp_path, monkeypatch):
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"kind: plan\n" + b"#" * (textfile.MAX_FILE_BYTES + 10))
    real_fstat = os.fstat

    class Small:
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 10

    monkeypatch.setattr(textfile.os, "fstat", lambda fd: Small(real_fstat(fd)))  # like /proc files: size 0
    text, problem = textfile.read_text(path, "grows.yaml")
    assert text is None and problem.key == "load.too_large"


def test_extremely_long_line_is_a_value(tmp_path):
    repo, problems = load_blobs([("p.yaml", b"kind: plan\nid: p\ntitle: " + b"x" * 5_000_000 + b"\n")])
    assert problems == [] and len(repo.plans[0].title) == 5_000_000


def test_long_values_are_cut_in_messages():
    _, problems = load_blobs([("p.yaml", b"kind: plan\nid: p\ntitle: t\nevents:\n  a: 2025-" + b"9" * 100_000 + b"\n")])
    assert [p.key for p in problems] == ["val.bad_date"]
    assert len(problems[0].render("en")) < 300


# --- the plans directory: only regular files, never outside the repository, never hang ----------


def test_fifo_symlink_loops_and_links_out_never_hang(tmp_path):
    """Run as a real process with a timeout: a hang must fail the test, not the suite."""
    _ledger(tmp_path)
    plans = tmp_path / "plans"
    os.mkfifo(plans / "fifo.yaml")
    (plans / "loop.yaml").symlink_to("loop.yaml")
    (plans / "sub").mkdir()
    (plans / "sub/up").symlink_to("..")  # a directory loop: os.walk must not follow it
    (plans / "sub/again").symlink_to("../../plans")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.yaml"
    outside.write_text("password: hunter2\n")
    (plans / "secret.yaml").symlink_to(outside)
    (plans / "zero.yaml").symlink_to("/dev/zero")
    (plans / "linked.yaml").symlink_to("issues.yaml")  # inside the repository: read (a duplicate here)
    proc = subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", "check", "--as-of", "2025-12-01", "--lang", "en"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = _error_lines(proc.stdout)
    assert "plans/fifo.yaml: error: not a regular file (FIFO), not read; the plans directory should hold only YAML files" in lines
    assert "plans/loop.yaml: error: cannot read file: a dangling or looping symbolic link" in lines
    assert any(line.startswith("plans/secret.yaml: error: symbolic link out of the repository (") for line in lines)
    assert "plans/zero.yaml: error: symbolic link out of the repository (/dev/zero), not read; copy the file into the repository" in lines
    assert "hunter2" not in proc.stdout and "password" not in proc.stdout
    assert "duplicate item id I-1" in proc.stdout  # linked.yaml was read
    assert not any("sub/" in line for line in lines)  # symlinked directories are not entered


@pytest.mark.parametrize("special", ["fifo", "/dev/null", "/dev/zero"])
def test_path_argument_that_is_not_a_regular_file(run, tmp_path, special):
    _repo(tmp_path)
    if special == "fifo":
        os.mkfifo(tmp_path / "fifo.yaml")
        special = "fifo.yaml"
    code, stdout, _ = run("check", special, "--lang", "en", cwd=tmp_path)
    assert code == 2
    kind = "FIFO" if special == "fifo.yaml" else "character device"
    assert f": error: not a regular file ({kind}), not read" in stdout


def test_unreadable_file_is_exit_2(run, tmp_path, monkeypatch):
    _ledger(tmp_path)
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if str(path).endswith("issues.yaml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(textfile.os, "open", deny)  # we are root: chmod 000 would not stop us
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert "plans/issues.yaml: error: cannot read file: Permission denied" in stdout


def test_windows_line_endings_bom_and_mojibake_are_accepted(run, tmp_path):
    _ledger(tmp_path, title="鍏充簬宸℃煡鏁存敼")
    path = tmp_path / "plans/tasks.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    before = path.read_bytes()
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout
    assert path.read_bytes() == before  # check never writes to the files it reads


# --- evidence paths ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "evidence,message",
    [
        ("C:\\\\x.pdf", "evidence C:\\x.pdf is outside the repository"),
        ("c:x.pdf", "evidence c:x.pdf is outside the repository"),
        ("\\\\\\\\server\\\\share\\\\x.pdf", "evidence \\\\server\\share\\x.pdf is outside the repository"),
        ("/etc/passwd", "evidence /etc/passwd is outside the repository"),
        ("../../etc/passwd", "evidence ../../etc/passwd is outside the repository"),
        ("file:///etc/passwd", "evidence file:///etc/passwd is a file: link; only http(s) URLs"),
        ("javascript:alert(1)", "evidence javascript:alert(1) is a javascript: link"),
        ("ftp://example.com/x.pdf", "is a ftp: link"),
        ("a\\0b.pdf", "evidence a\\x00b.pdf is not a usable path (embedded null byte)"),
        ("loop/x.pdf", "evidence loop/x.pdf is not a usable path (symlink loop)"),
        pytest.param("a" * 5000, "is not a usable path (File name too long)", id="name-too-long"),
    ],
)
def test_evidence_that_leaves_the_repository_or_is_no_path(run, tmp_path, evidence, message):
    _ledger(tmp_path, extra=f'    evidence: ["{evidence}"]\n')
    (tmp_path / "plans/loop").symlink_to("loop")
    code, stdout, stderr = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 1, stdout + stderr
    lines = _error_lines(stdout)
    assert len(lines) == 1 and lines[0].startswith("plans/tasks.yaml:10:15: violation: ")
    assert message in lines[0]


def test_evidence_through_a_symlinked_directory_out_of_the_repository(run, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-docs"
    outside.mkdir()
    (outside / "x.pdf").write_text("x")
    _ledger(tmp_path, extra="    evidence: [docs/x.pdf]\n")
    (tmp_path / "plans/docs").symlink_to(outside)
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 1 and "evidence docs/x.pdf is outside the repository" in stdout


@pytest.mark.parametrize("evidence", ["../evidence/x.pdf", "sub/../../evidence/x.pdf", "HTTPS://example.com/x", "https://example.com/x"])
def test_evidence_that_stays_inside_or_is_a_web_link_is_fine(run, tmp_path, evidence):
    _ledger(tmp_path, extra=f"    evidence: [{evidence}]\n")
    write(tmp_path / "evidence/x.pdf", "x")
    (tmp_path / "plans/sub").mkdir()
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 0, stdout


# --- nothing raw reaches the terminal ------------------------------------------------------

HOSTILE = '"x\\e[2J\\a\\x9b31m\\u202eevil\\e]8;;http://evil.example\\e\\\\link\\e]8;;\\e\\\\"'
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile_ledger(tmp_path):
    # Values may hold anything; an id with a control character is refused
    # (tests/test_validate.py checks that refusal is printed escaped).
    _ledger(tmp_path, title=HOSTILE, lead=HOSTILE, plan_title=HOSTILE)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_check_output_never_carries_control_characters(run, tmp_path, fmt):
    _hostile_ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", fmt, "--lang", "en", cwd=tmp_path)
    assert code == 1
    assert "evil" in stdout and not RAW.search(stdout)
    if fmt == "json":
        data = json.loads(stdout)  # escaping must keep it valid JSON
        assert data["overdue"][0]["title"].startswith("x\x1b[2J")  # the value itself is carried intact


def test_file_names_with_control_characters_are_refused_and_escaped(run, tmp_path):
    _repo(tmp_path)
    write(tmp_path / "plans/t\x1b[31m.yaml", "kind: plan\nid: p\ntitel: x\n")
    write(tmp_path / "plans/u\n1:1: error: forged.yaml", "kind: plan\nid: q\ntitle: x\n")
    write(tmp_path / "plans/v\u202e.yaml", "kind: plan\nid: r\ntitel: x\n")  # bidi: read, shown escaped
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2
    lines = _error_lines(stdout)
    assert lines == [
        "plans/t\\x1b[31m.yaml: error: the file name contains a control character (such as a line break or ESC), not read; rename the file",
        "plans/u\\n1:1: error: forged.yaml: error: the file name contains a control character (such as a line break or ESC), not read; rename the file",
        "plans/v\\u202e.yaml:1:1: error: missing required key title",
        "plans/v\\u202e.yaml:3:1: error: unknown key titel; did you mean title?",
    ]
    assert not RAW.search(stdout)


def test_a_value_with_a_line_break_cannot_forge_an_output_line(run, tmp_path):
    _ledger(tmp_path, extra='    done: "2025-01-01\\nplans/x.yaml:1:1: error: forged"\n')
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "en", cwd=tmp_path)
    assert code == 2
    assert _error_lines(stdout) == [
        "plans/tasks.yaml:10:11: error: done: 2025-01-01\\nplans/x.yaml:1:1: error: forged is not a date; write it as YYYY-MM-DD"
    ]


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_status_output_never_carries_control_characters(run, tmp_path, fmt):
    _hostile_ledger(tmp_path)
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--format", fmt, "--lang", "en", cwd=tmp_path)
    assert code == 0
    assert "evil" in stdout and not RAW.search(stdout)
    if fmt == "json":
        json.loads(stdout)


def test_status_table_title_with_rich_markup_is_text(run, tmp_path):
    _ledger(tmp_path, title='"[/x] [link=file:///etc/passwd]click[/link]"', plan_title='"计划[/x]"')
    code, stdout, _ = run("status", "--as-of", "2026-01-05", "--lang", "en", cwd=tmp_path)
    assert code == 0 and "[/x]" in stdout and "[link=file:///etc/passwd]" in stdout


def test_check_junit_with_control_characters_is_valid_xml(run, tmp_path):
    import xml.etree.ElementTree as ET

    _hostile_ledger(tmp_path)
    code, stdout, _ = run("check", "--as-of", "2026-01-05", "--format", "junit", "--lang", "en", cwd=tmp_path)
    assert code == 1 and not RAW.search(stdout)
    ET.fromstring(stdout.split("\n", 1)[1])


def test_csv_cells_neither_execute_nor_carry_control_characters():
    from rectify_cli.render.escape import cell, terminal

    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert cell("\r=1+1") == "\\x0d=1+1"
    assert cell(5) == 5
    assert terminal("\x9b\x7f\u202e") == "\\u009b\\u007f\\u202e"  # valid JSON escapes too


# --- nothing executed ------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        '!!python/object/apply:os.system ["touch {m}"]',
        '!!python/object/new:os.system ["touch {m}"]',
        "!!python/name:os.system",
        '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {m}"]',
    ],
)
def test_python_tags_never_execute(run, tmp_path, tag):
    marker = tmp_path / "pwned"
    _repo(tmp_path)
    write(tmp_path / "plans/p.yaml", f"kind: plan\nid: p\ntitle: {tag.format(m=marker)}\n")
    code, stdout, _ = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "is not accepted (nothing in a file is constructed or executed)" in stdout
    assert not marker.exists()


def test_a_long_multiline_deadline_is_reported_on_one_line(run, tmp_path):
    """Found by fuzz/fuzz_rules.py: rule.too_long quoted the raw text, line breaks included."""
    _ledger(tmp_path, due="|\n      " + "\n      ".join(["20 working days after received"] * 10))
    code, stdout, _ = run("check", "--as-of", "2025-12-01", "--lang", "zh", cwd=tmp_path)
    assert code == 2
    lines = [line for line in stdout.splitlines() if "个文件" not in line]  # all but the summary
    assert lines == ["plans/tasks.yaml:8:10: 错误: 期限 20 working days after received 20 workin… 过长（上限 200 个字符）"]


def test_recursive_alias_is_refused_not_a_crash(run, tmp_path):
    """Found by fuzz/run.py: `&a [*a]` composes to a cycle; the expansion check raised KeyError (exit 3)."""
    _repo(tmp_path)
    write(tmp_path / "plans/p.yaml", "kind: plan\nid: &a [*a]\ntitle: t\n")
    code, stdout, stderr = run("check", "--lang", "en", cwd=tmp_path)
    assert code == 2 and "internal error" not in stderr
    assert "plans/p.yaml:2:5: error: an alias refers to a collection that contains it" in stdout


def test_a_title_with_a_line_break_cannot_forge_an_output_line(run, tmp_path):
    from .conftest import write

    write(tmp_path / "plans/plan.yaml", "kind: plan\nid: p\ntitle: 计划\n")
    write(tmp_path / "plans/issues.yaml", "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题\n")
    write(
        tmp_path / "plans/tasks.yaml",
        'kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    issue: I-1\n'
        '    title: "措施\\nplans/x.yaml:1:1: error: forged"\n    lead: 单位\n    due: 2025-01-01\n',
    )
    (tmp_path / ".git").mkdir()
    code, stdout, _ = run("check", "--as-of", "2025-02-01", "--lang", "en", cwd=tmp_path)
    assert code == 1
    assert not any(line.startswith("plans/x.yaml") for line in stdout.splitlines())
    assert "措施\\nplans/x.yaml:1:1: error: forged" in stdout
