"""Standard output that cannot be written is an error (exit 2, one line), never a quiet cut."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO

COMMANDS = {
    "export-csv": ["export", "--format", "csv"],
    "status": ["status"],
    "report-md": ["report", "gq-2025", "--format", "md"],
}
LIMIT = 1024  # bytes: each command's full output is larger (asserted below)
DISK_FULL = (
    "rectify: error: output could not be written (the disk is full) and is incomplete; "
    "free space or raise the limit, then run again\n"
)
TOO_BIG = (
    "rectify: error: output could not be written (the file size limit, ulimit -f, was reached) and is incomplete; "
    "free space or raise the limit, then run again\n"
)


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "plans", tmp_path / "ledger" / "plans")
    return tmp_path / "ledger"


def _rectify(args, cwd: Path, stdout, unbuffered: bool, limit: int | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args, "--as-of", "2025-12-01", "--lang", "en"],
        cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120,
        preexec_fn=limited if limit is not None else None,
    )


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_a_file_size_limit_is_exit_2_not_a_cut_file(ledger, tmp_path, command, unbuffered):
    whole = tmp_path / "whole.out"
    with whole.open("wb") as stdout:
        complete = _rectify(COMMANDS[command], ledger, stdout, unbuffered)
    assert complete.returncode == 0 and complete.stderr == ""
    assert whole.stat().st_size > LIMIT
    cut = tmp_path / "cut.out"
    with cut.open("wb") as stdout:
        proc = _rectify(COMMANDS[command], ledger, stdout, unbuffered, limit=LIMIT)
    assert (proc.returncode, proc.stderr) == (2, TOO_BIG)
    assert whole.read_bytes().startswith(cut.read_bytes())


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_a_full_disk_is_exit_2_not_an_internal_error(ledger, command, unbuffered):
    with open("/dev/full", "wb") as stdout:
        proc = _rectify(COMMANDS[command], ledger, stdout, unbuffered)
    assert (proc.returncode, proc.stderr) == (2, DISK_FULL)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_the_message_follows_the_language(ledger):
    with open("/dev/full", "wb") as stdout:
        proc = _rectify(["status", "--lang", "zh"], ledger, stdout, unbuffered=False)
    assert proc.returncode == 2
    assert proc.stderr == "rectify: 错误: 输出未能写完（磁盘已满），内容不完整；请腾出空间或放宽限制后重新运行\n"


def test_a_reader_that_stops_early_is_not_an_error(ledger):
    """`rectify status | head`: the reader went away; nothing to report, no traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", "export", "--format", "csv", "--as-of", "2025-12-01"],
        cwd=ledger, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # before the child has written anything
    _, stderr = proc.communicate(timeout=120)
    assert stderr == b""
    assert proc.returncode == 1  # a closed pipe during the command: 1, as click has always made it
