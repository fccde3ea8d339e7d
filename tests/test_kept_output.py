"""Output kept as it was printed: `--help` printed again without typer, and the `status`
table of an unchanged ledger without drawing it, byte for byte; made again whenever what it
is made of changes (width, language, the ledger, the day, the kept file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rectify_cli.cli import kept_output

from .conftest import REPO

MAIN = "from rectify_cli.cli import main; main()"
REPLAY = """
import sys
from rectify_cli.cli import kept_output
ran = kept_output.replayed("help", kept_output.help_key(sys.argv[1:]))
sys.stdout.flush()
print("\\n@@", ran, "typer" in sys.modules)
"""


@pytest.fixture
def env(tmp_path):
    (tmp_path / "ledger" / "plans").mkdir(parents=True)
    return {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "RECTIFY_CACHE_DIR": str(tmp_path / "cache"),
            "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "zh", "COLUMNS": "100"}


def _run(script: str, args, env, tmp_path, **changes) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-c", script, *args], cwd=tmp_path / "ledger", env={**env, **changes},
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["status", "-h"], ["new", "task", "--help"]])
def test_help_is_printed_again_as_typer_printed_it_without_typer(env, tmp_path, args):
    typer_printed = _run(MAIN, args, env, tmp_path, RECTIFY_NO_CACHE="1")
    assert typer_printed[0] == 0 and typer_printed[1]
    assert _run(REPLAY, args, env, tmp_path)[1].endswith("@@ False False\n")  # nothing kept yet
    assert _run(MAIN, args, env, tmp_path) == typer_printed  # asked of typer, and kept
    replayed = _run(REPLAY, args, env, tmp_path)[1]
    printed, _, tail = replayed.rpartition("\n@@")
    assert tail == " True False\n"  # printed again, typer not imported
    assert printed == typer_printed[1]
    assert _run(MAIN, args, env, tmp_path) == typer_printed


@pytest.mark.parametrize("change", [{"COLUMNS": "60"}, {"RECTIFY_LANG": "en"}, {"NO_COLOR": "1"}, "rectify.yaml"])
def test_what_the_help_is_made_of_changes_and_typer_is_asked_again(env, tmp_path, change):
    args = ["check", "--help"]
    before = _run(MAIN, args, env, tmp_path)
    if change == "rectify.yaml":  # the help's language, as rectify.yaml sets it
        env = {k: v for k, v in env.items() if k != "RECTIFY_LANG"}
        before = _run(MAIN, args, env, tmp_path)
        (tmp_path / "ledger" / "rectify.yaml").write_text("lang: zh\n", encoding="utf-8")
        change = {}
    assert _run(REPLAY, args, {**env, **change}, tmp_path)[1].endswith("@@ False False\n")
    after = _run(MAIN, args, {**env, **change}, tmp_path)
    assert after == _run(MAIN, args, {**env, **change}, tmp_path, RECTIFY_NO_CACHE="1")
    if change.get("NO_COLOR") is None:
        assert after != before  # narrower, or in English
    assert _run(MAIN, args, {**env, **change}, tmp_path) == after
    if change:
        assert _run(MAIN, args, env, tmp_path) == before  # each kept under its own key


def test_only_a_plain_request_that_typer_answered_with_help_is_kept(env, tmp_path, monkeypatch):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", env["RECTIFY_CACHE_DIR"])
    for args in (["status", "--unit", "-h"], ["check"], ["--lang", "en", "--help"], ["check", "--", "--help"], []):
        assert kept_output.help_key(args) is None, args  # an option before -h could take it as its value
    assert kept_output.help_key(["check", "--help"]) is not None
    assert _run(MAIN, ["nosuch", "--help"], env, tmp_path)[0] == 2
    assert not (tmp_path / "cache" / "kept-help.json").exists()  # an error is never kept


def test_a_damaged_or_foreign_kept_file_is_not_read(env, tmp_path):
    args = ["--help"]
    typer_printed = _run(MAIN, args, env, tmp_path)
    kept = tmp_path / "cache" / "kept-help.json"
    data = kept.read_bytes()
    for damaged in (data.replace("用法".encode(), "伪造".encode()), data[:-1], b"{}"):
        kept.write_bytes(damaged)
        assert _run(REPLAY, args, env, tmp_path)[1].endswith("@@ False False\n")
    assert _run(MAIN, args, env, tmp_path) == typer_printed


def test_the_last_texts_asked_for_are_kept(env, tmp_path, monkeypatch):
    for width in range(60, 60 + kept_output.KINDS["help"][0] + 2):
        _run(MAIN, ["date", "--help"], env, tmp_path, COLUMNS=str(width))
    monkeypatch.setenv("RECTIFY_CACHE_DIR", env["RECTIFY_CACHE_DIR"])
    body = (tmp_path / "cache" / "kept-help.json").read_bytes()
    document = json.loads(body[body.index(b"{"):])
    assert len(document["kept"]) == kept_output.KINDS["help"][0]
    assert _run(REPLAY, ["date", "--help"], env, tmp_path, COLUMNS=str(60 + kept_output.KINDS["help"][0] + 1))[1].endswith("@@ True False\n")
    assert _run(REPLAY, ["date", "--help"], env, tmp_path, COLUMNS="60")[1].endswith("@@ False False\n")  # the oldest let go


def _on_a_terminal(command: list[str], cwd, env) -> tuple[int, str]:
    """A command run on a pseudo-terminal: its exit status and what the terminal got."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(command, cwd=cwd, env=env, stdout=follower, stderr=subprocess.PIPE)
        os.close(follower)
        follower = -1
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    return proc.returncode, out.decode()


def test_help_on_a_terminal_is_kept_apart_from_help_in_a_pipe(env, tmp_path):
    """A pseudo-terminal: typer may colour and wrap for it; what a pipe got is not printed there."""
    args = ["check", "--help"]
    piped = _run(MAIN, args, env, tmp_path)
    code, out = _on_a_terminal([sys.executable, "-c", REPLAY, *args], tmp_path / "ledger", env)
    assert code == 0 and piped[0] == 0
    assert out.rstrip().endswith("@@ False False")  # not the pipe's text


def test_text_with_a_control_character_is_neither_kept_nor_printed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    key = kept_output.help_key(["check", "--help"])
    with pytest.raises(SystemExit):
        with kept_output.keeping("help", key):
            sys.stdout.write("\x1b]0;a window title\x07not what typer prints\n")
            raise SystemExit(0)
    assert not (tmp_path / "cache" / "kept-help.json").exists()
    with pytest.raises(SystemExit):
        with kept_output.keeping("help", key):
            sys.stdout.write("Usage: \x1b[1mplain\x1b[0m\n")  # rich's colours are kept
            raise SystemExit(0)
    assert list(kept_output._kept("help").values()) == ["Usage: \x1b[1mplain\x1b[0m\n"]
    kept_output._keep("help", "forged", "Usage: \x1b]0;a title\x07\n")  # as a forged (well-sealed) file would hold it
    assert list(kept_output._kept("help").values()) == ["Usage: \x1b[1mplain\x1b[0m\n"]
    with kept_output.keeping("help", "written to stderr"):
        sys.stdout.write("Usage: x\n")
        sys.stderr.write("warning: y\n")
    assert "written to stderr" not in kept_output._kept("help")


def _settled(tmp_path) -> None:
    """As if the index had been written an hour after the files: no file is read again."""
    for path in (tmp_path / "cache").rglob("index-*"):
        info = os.stat(path)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 3600 * 10**9))


def test_an_unchanged_ledger_s_status_table_is_printed_as_it_was_drawn(tmp_path):
    """Drawn once; printed again without rich while the ledger, the day, the options and the
    terminal are what they were; drawn again, as a run without the cache draws it, when any changes."""
    from .test_quick_start import NOT_IMPORTED, QUICK_RUN, _demo

    root = _demo(tmp_path / "demo")
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "RECTIFY_CACHE_DIR": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "zh", "COLUMNS": "120"}
    script = QUICK_RUN.replace(NOT_IMPORTED, '("rich",)')

    def table(*args, **changes) -> tuple[str, bool]:
        proc = subprocess.run([sys.executable, "-c", script, "status", *args], cwd=root, env={**env, **changes},
                              capture_output=True, text=True)
        printed, _, tail = proc.stdout.rpartition("\n@@")
        assert proc.returncode == 0 and tail.startswith("True"), (proc.stderr, tail)
        return printed, tail.strip().endswith("['rich']")

    def uncached(*args, **changes) -> str:
        kept = tmp_path / "cache" / "kept-status.json"
        before = kept.read_bytes() if kept.exists() else None
        printed = table(*args, **changes, RECTIFY_NO_CACHE="1")[0]
        assert (kept.read_bytes() if kept.exists() else None) == before  # without the cache nothing is kept
        return printed

    day = ("--as-of", "2025-10-20")
    drawn, drew = table(*day)
    assert drew and "整改二" in drawn
    _settled(tmp_path)
    assert table(*day) == (drawn, False)  # printed again: rich not even imported
    assert table(*day, "--by", "unit") == (uncached(*day, "--by", "unit"), True)  # other options: drawn
    assert table("--as-of", "2025-10-21") == (uncached("--as-of", "2025-10-21"), True)  # another day
    assert table(*day, COLUMNS="70") == (uncached(*day, COLUMNS="70"), True)  # another terminal setting
    assert table(*day) == (drawn, False)  # each kept apart
    tasks = root / "plans" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("status: doing", "status: done, done: 2025-10-10"),
                     encoding="utf-8")
    edited, drew = table(*day)
    assert drew and edited == uncached(*day) and edited != drawn  # the ledger changed: drawn again
    _settled(tmp_path)
    assert table(*day) == (edited, False)


def test_an_invalid_ledger_s_refusal_is_not_kept(tmp_path):
    from .test_quick_start import _demo

    root = _demo(tmp_path / "demo")
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "RECTIFY_CACHE_DIR": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "en"}
    tasks = root / "plans" / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("id: T-2", "id: T-1"), encoding="utf-8")  # a duplicate id
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", MAIN, "status", "--as-of", "2025-10-20"], cwd=root, env=env,
                              capture_output=True, text=True)
        assert proc.returncode == 2 and "T-1" in proc.stderr
    assert not (tmp_path / "cache" / "kept-status.json").exists()


def test_a_status_table_on_a_terminal_is_printed_again_with_its_colours(tmp_path):
    from .test_quick_start import NOT_IMPORTED, QUICK_RUN, _demo

    root = _demo(tmp_path / "demo")
    env = {"PYTHONPATH": str(REPO / "src"), "HOME": str(tmp_path), "RECTIFY_CACHE_DIR": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin", "RECTIFY_LANG": "zh", "TERM": "xterm-256color"}
    command = [sys.executable, "-c", QUICK_RUN.replace(NOT_IMPORTED, '("rich",)'), "status", "--as-of", "2025-10-20"]
    code, drawn = _on_a_terminal(command, root, env)
    assert code == 0 and "\x1b[" in drawn and drawn.rstrip().endswith("['rich']")  # coloured, drawn by rich
    _settled(tmp_path)
    code, again = _on_a_terminal(command, root, env)
    assert code == 0 and again.rstrip().endswith("[]")
    assert again.rpartition("@@")[0] == drawn.rpartition("@@")[0]

