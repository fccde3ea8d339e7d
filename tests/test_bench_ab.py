"""bench/ab.py runs each version from the copy it was given, never the installed one."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import ab  # noqa: E402


def _copy(root, regular: bool):
    """A stand-in package: its CLI says where it is, whatever rectify_cli is installed."""
    package = root / "rectify_cli"
    package.mkdir(parents=True)
    if regular:
        (package / "__init__.py").write_text("")
    (package / "cli.py").write_text("def main():\n    print('copy at', __file__)\n")
    return root


@pytest.mark.parametrize("regular", [True, False], ids=["regular-package", "namespace-package"])
def test_the_copy_given_is_the_one_that_runs(tmp_path, regular):
    """A revision without `rectify_cli/__init__.py` (session 2's) is a namespace package, which an
    installed regular package would win over if it were only put on sys.path."""
    src = _copy(tmp_path / "src", regular)
    done = subprocess.run([sys.executable, "-c", ab.BOOT, str(src)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"copy at {src / 'rectify_cli' / 'cli.py'}"


def test_the_work_tree_runs_as_itself(tmp_path):
    done = subprocess.run([sys.executable, "-c", ab.BOOT, str(REPO / "src"), "date", "20 working days after 2025-11-05"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2025-12-03" in done.stdout
