"""The folder diagram is a check: import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def test_imports_follow_the_layers():
    pytest.importorskip("importlinter", reason="import-linter is in the test extra: pip install -e '.[test]'")
    command = shutil.which("lint-imports")
    args = [command] if command else [sys.executable, "-m", "importlinter.cli"]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    proc = subprocess.run([*args, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
