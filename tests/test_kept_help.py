"""`--help` kept as typer printed it: printed again without typer, byte for byte, and asked
of typer again whenever what it is made of changes (width, language, the kept file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rectify_cli.cli import kept_help

from .conftest import REPO

MAIN = "from rectify_cli.cli import main; main()"
REPLAY = """
import sys
from rectify_cli.cli import kept_help
ran = kept_help.replayed(sys.argv[1:])
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
        assert kept_help._key(args) is None, args  # an option before -h could take it as its value
    assert kept_help._key(["check", "--help"]) is not None
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
    for width in range(60, 60 + kept_help.KEPT + 2):
        _run(MAIN, ["date", "--help"], env, tmp_path, COLUMNS=str(width))
    monkeypatch.setenv("RECTIFY_CACHE_DIR", env["RECTIFY_CACHE_DIR"])
    body = (tmp_path / "cache" / "kept-help.json").read_bytes()
    document = json.loads(body[body.index(b"{"):])
    assert len(document["kept"]) == kept_help.KEPT
    assert _run(REPLAY, ["date", "--help"], env, tmp_path, COLUMNS=str(60 + kept_help.KEPT + 1))[1].endswith("@@ True False\n")
    assert _run(REPLAY, ["date", "--help"], env, tmp_path, COLUMNS="60")[1].endswith("@@ False False\n")  # the oldest let go


def test_help_on_a_terminal_is_kept_apart_from_help_in_a_pipe(env, tmp_path):
    """A pseudo-terminal: typer may colour and wrap for it; what a pipe got is not printed there."""
    pty = pytest.importorskip("pty")
    args = ["check", "--help"]
    piped = _run(MAIN, args, env, tmp_path)
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-c", REPLAY, *args], cwd=tmp_path / "ledger", env=env,
                              stdout=follower, stderr=subprocess.PIPE)
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
    assert proc.returncode == 0 and piped[0] == 0
    assert out.decode().rstrip().endswith("@@ False False")  # not the pipe's text


def test_text_with_a_control_character_is_neither_kept_nor_printed_again(tmp_path, monkeypatch):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(SystemExit):
        with kept_help.keeping(["check", "--help"]):
            sys.stdout.write("\x1b[31mnot what typer prints\x1b[0m\n")
            raise SystemExit(0)
    assert not (tmp_path / "cache" / "kept-help.json").exists()
    with pytest.raises(SystemExit):
        with kept_help.keeping(["check", "--help"]):
            sys.stdout.write("Usage: plain\n")
            raise SystemExit(0)
    assert list(kept_help._kept().values()) == ["Usage: plain\n"]
    kept_help._keep("forged", "Usage: \x1b]0;a title\x07\n")  # as a forged (well-sealed) file would hold it
    assert list(kept_help._kept().values()) == ["Usage: plain\n"]
