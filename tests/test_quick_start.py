"""The daily commands start without typer, and read their arguments exactly as typer does.

`quick.parse` reads argv by the same option table typer is built from
(`params.py`); these tests hold the two to the same answer for every argument
list the quick path accepts, and show that it leaves everything else to typer.
"""

from __future__ import annotations

import inspect
import json
import random
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from rectify_cli.cli import check as check_module, date as date_module, status as status_module
from rectify_cli.cli.options import declared
from rectify_cli.cli.quick import parse

REPO = Path(__file__).resolve().parents[1]
TABLES = {**check_module.COMMANDS, **status_module.COMMANDS, **date_module.COMMANDS}


def typer_reading(name: str, args: list[str]) -> tuple[int, dict | None]:
    """(exit code, keyword arguments) that typer gives the command for `args`."""
    function, table = TABLES[name]
    got: dict = {}

    def record(**kwargs):
        got.update(kwargs)

    record.__signature__ = inspect.signature(function)
    record.__annotations__ = typing.get_type_hints(function)
    record.__name__ = name
    app = typer.Typer()
    app.command(name)(declared(table)(record))

    @app.callback()
    def root() -> None:  # a group, so the command is named as in rectify
        pass

    result = CliRunner().invoke(app, [name, *args])
    return result.exit_code, (got if result.exit_code == 0 and got else None)


PLAIN = {
    "check": [
        [], ["plans"], ["a", "b/c.yaml"], ["--format", "json"], ["--format=junit", "plans"],
        ["--as-of", "2025-10-20", "--lang", "en"], ["--fail-on", "due-soon", "--due-within", "3"],
        ["--due-within=0"], ["--at", "HEAD~2", "--allow-shallow"], ["--strict-sources", "x"],
        ["plans", "--format", "github", "more"], ["--lang=zh"], ["--as-of", "not-a-date"],
        ["--fail-on", "never"], ["--format", "text", "--fail-on", "lookback-due"],
    ],
    "status": [
        [], ["--by", "unit", "--include-support"], ["--status", "逾期"], ["--by=单位", "--unit", "甲局"],
        ["--format", "json", "--due-within", "10"], ["--format", "csv", "--as-of", "2026-01-05"],
        ["--at", "2025-12-01", "plans"], ["--unit", "住建局 (牵头)"], ["--by", "nonsense"],
    ],
    "agenda": [
        [], ["--days", "3"], ["--escalate", "--format", "md", "--out", "duban.md"], ["--unit", "甲局", "--issuer", "督查室"],
        ["--format", "json"], ["--format=docx", "--escalate", "--out=a b.docx"], ["--days=0", "plans"],
    ],
    "date": [
        ["20 working days after 2025-11-05"], ["收到意见后20个工作日内", "--from", "2025-11-05"],
        ["--format", "json", "10月下旬"], ["--plan", "p", "--plans", "plans", "活动日前4个工作日"],
        ["x", "--plans", "a", "--plans=b c", "--plans", "a"], ["--calendar=HK", "2025-12-25", "--lang", "en"],
        ["--from=2025-01-01", "3 months after", "--format=text"],
    ],
}

LEFT_TO_TYPER = {
    "check": [
        ["--help"], ["-h"], ["--format", "yaml"], ["--due-within", "-1"], ["--due-within", "x"], ["--due-within", "+3"],
        ["--due-within", " 3"], ["--nonsense"], ["--", "plans"], ["--format", "json", "--format", "text"],
        ["--allow-shallow=yes"], ["--as-of"], ["--as-of", "-5"], [""], ["-"], ["--due-within", "٣"],
        ["--format", "JSON"],
    ],
    "status": [["--help"], ["--format", "table", "--format", "json"], ["--due-within", "1.0"], ["--by"]],
    "agenda": [["--days", "-2"], ["--out", ""], ["--escalate", "--escalate"], ["-x"]],
    "date": [[], ["a", "b"], ["--from", "2025-01-01"], ["--format", "xml", "x"], ["--plans"], ["x", "--plan", "p", "--plan", "q"],
             ["--", "-5 working days"], ["-5"]],
}


@pytest.mark.parametrize("name,args", [(n, a) for n, cases in PLAIN.items() for a in cases])
def test_plain_arguments_are_read_as_typer_reads_them(name, args):
    quick = parse(TABLES[name][1], args)
    code, expected = typer_reading(name, args)
    assert code == 0 and quick is not None
    assert quick == expected
    assert [type(v) for v in quick.values()] == [type(v) for v in expected.values()]


@pytest.mark.parametrize("name,args", [(n, a) for n, cases in LEFT_TO_TYPER.items() for a in cases])
def test_what_the_quick_path_is_unsure_of_goes_to_typer(name, args):
    assert parse(TABLES[name][1], args) is None


def test_random_arguments_never_read_otherwise_than_typer():
    """Shuffled words from every option, value and odd token: wherever the quick
    path answers, typer gives the same keyword arguments."""
    rng = random.Random(20261204)
    words = ["plans", "x.yaml", "-", "--", "", "-h", "=", "--lang", "zh", "en", "3", "0", "-1", "07",
             "json", "csv", "table", "text", "md", "unit", "2025-10-20", "HEAD", "甲局", "10月下旬", "CN"]
    for _, table in TABLES.values():
        for param in table:
            words.extend(param.flags)
            words.extend(f"{flag}=" for flag in param.flags)
    answered = 0
    for _ in range(400):
        name = rng.choice(sorted(TABLES))
        args = [rng.choice(words) for _ in range(rng.randint(0, 5))]
        quick = parse(TABLES[name][1], args)
        if quick is None:
            continue
        answered += 1
        code, expected = typer_reading(name, args)
        assert code == 0, (name, args)
        assert quick == expected, (name, args)
    assert answered > 40  # the corpus really reaches the quick path


def _demo(root: Path) -> Path:
    from .conftest import write_ledger

    return write_ledger(
        root,
        "kind: plan\nid: p\ntitle: 示例计划\nowner: 办公室\n",
        "kind: issues\nplan: p\nissues:\n  - id: I-1\n    title: 问题一\n",
        "kind: tasks\nplan: p\ntasks:\n"
        "  - {id: T-1, issue: I-1, title: 整改一, lead: 甲局, due: 2025-09-30}\n"
        "  - {id: T-2, issue: I-1, title: 整改二, lead: 乙局, due: 2025-10-24, status: doing}\n"
        "  - {id: T-3, issue: I-1, title: 整改三, lead: 乙局, due: 2026-03-31, support: [甲局]}\n",
    )


NOT_IMPORTED = '("typer", "pydantic", "click", "holidays", "yaml", "concurrent.futures", "multiprocessing")'
QUICK_RUN = """
import sys
from rectify_cli.cli.quick import run_quick
try:
    ran = run_quick(sys.argv[1:])
except SystemExit as exc:
    ran = ("exit", exc.code)
sys.stdout.flush()
print("\\n@@" + repr(ran), sorted(m for m in NOT_IMPORTED if m in sys.modules))
""".replace("NOT_IMPORTED", NOT_IMPORTED)


@pytest.mark.parametrize("args", [
    ["check", "--as-of", "2025-10-20"],
    ["--lang", "en", "check", "--format", "json", "--as-of", "2025-10-20"],
    ["status", "--format", "json", "--as-of", "2025-10-20"],
    ["status", "--as-of", "2025-10-20", "--by", "unit"],
    ["agenda", "--as-of", "2025-10-20", "--format", "csv"],
    ["date", "20 working days after 2025-11-05"],
    ["--lang", "en", "date", "--format", "json", "收到意见后20个工作日内", "--from", "2025-11-05"],
    ["date", "10月下旬", "--plan", "p", "--plans", "plans"],
])
def test_quick_run_imports_no_typer_and_prints_what_typer_prints(tmp_path, run, args):
    root = _demo(tmp_path)
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "zh"}
    subprocess.run([sys.executable, "-c", QUICK_RUN, *args], cwd=root, env=env, capture_output=True)  # fills the cache
    proc = subprocess.run([sys.executable, "-c", QUICK_RUN, *args], cwd=root, env=env, capture_output=True, text=True)
    printed, _, tail = proc.stdout.rpartition("\n@@")
    ran, imported = tail.rsplit(" ", 1)
    # neither typer nor pydantic nor click, nor holidays once its answers are kept, nor a YAML reader for unchanged
    # files, nor the workers' machinery on a ledger this small
    assert imported.strip() == "[]", tail
    code = 0 if ran.startswith("True") else eval(ran)[1]  # noqa: S307 - our own repr of a tuple
    in_process = run(*args, cwd=root)
    assert (code, printed) == (in_process[0], in_process[1])


@pytest.mark.parametrize("args", [
    ["check", "--as-of", "2025-10-20"],
    ["status", "--format", "json", "--as-of", "2025-10-20"],
    ["status", "--format", "csv", "--as-of", "2025-10-20"],
])
def test_machine_readable_runs_import_no_terminal_library(tmp_path, args):
    """rich draws the tables; JSON, CSV and check's lines are made without it (render.records);
    a ledger that reads no source of rectify.yaml imports nothing of git; and a warm run takes
    its deadlines from the kept answers, without the rule parser (see `deadlines`)."""
    root = _demo(tmp_path)
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "zh"}
    subprocess.run([sys.executable, "-c", QUICK_RUN, *args], cwd=root, env=env, capture_output=True)  # fills the cache
    script = QUICK_RUN.replace(NOT_IMPORTED, '("rich", "rectify_cli.gitread", "rectify_cli.rule_parser")')
    proc = subprocess.run([sys.executable, "-c", script, *args], cwd=root, env=env, capture_output=True, text=True)
    printed, _, tail = proc.stdout.rpartition("\n@@")
    assert tail.strip().endswith(" []"), tail  # ran (True, or the exit code) and nothing of rich imported
    assert printed.strip()
    table = subprocess.run([sys.executable, "-c", script, "status", "--as-of", "2025-10-20"], cwd=root, env=env,
                           capture_output=True, text=True)
    assert table.stdout.rpartition("\n@@")[2].strip().endswith("['rich']")  # the table itself does use it


def test_main_takes_the_quick_path_and_falls_back_to_typer(tmp_path):
    root = _demo(tmp_path)
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "en"}
    main = [sys.executable, "-c", "from rectify_cli.cli import main; main()"]
    quick = subprocess.run([*main, "check", "--as-of", "2025-10-20", "--format", "json"], cwd=root, env=env,
                           capture_output=True, text=True)
    assert quick.returncode == 1 and json.loads(quick.stdout)["overdue"]
    bad = subprocess.run([*main, "check", "--format", "yaml"], cwd=root, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "yaml" in bad.stderr and "Traceback" not in bad.stderr
    helped = subprocess.run([*main, "status", "--help"], cwd=root, env=env, capture_output=True, text=True)
    assert helped.returncode == 0 and "--include-support" in helped.stdout


def test_a_table_that_drifts_from_its_function_is_refused():
    def check(paths, as_of):  # the table names more parameters than the function has
        pass

    with pytest.raises(TypeError):
        declared(check_module.CHECK_PARAMS)(check)
