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


def test_one_place_turns_off_the_cyclic_collector():
    """Speed code stays contained: `memory.no_cyclic_gc` is the only switch."""
    import re

    found = [str(p.relative_to(ROOT)) for p in (ROOT / "src" / "rectify_cli").rglob("*.py")
             if re.search(r"\bgc\.(disable|enable|freeze)\(", p.read_text(encoding="utf-8"))]
    assert found == ["src/rectify_cli/memory.py"]


COUNT_COLLECTIONS = """
import gc, os, sys
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" else None)
leave = os._exit
def counted(status):
    sys.stderr.write(f"@@collections {len(collections)}\\n")
    sys.stderr.flush()
    leave(status)
os._exit = counted
from rectify_cli.cli import main
collections.clear()  # what Python collected while starting is not rectify's
main()
"""


@pytest.mark.parametrize("args", [["check", "--as-of", "2025-10-20"], ["status", "--format", "json"], ["--help"]])
def test_the_shipped_main_never_collects_before_it_exits(args):
    """The collector stays off until `os._exit`: turned on again at the end, its first
    collection walks every object the command made (0.3 s at 50,000 tasks) for nothing."""
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "RECTIFY_NO_CACHE": "1", "HOME": "/nonexistent"}
    proc = subprocess.run([sys.executable, "-c", COUNT_COLLECTIONS, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr.strip().endswith("@@collections 0"), proc.stderr


def test_the_parse_cache_is_keyed_by_its_format_and_the_whole_package():
    """Changing any module (not only those on a list) gives entries new addresses."""
    from rectify_cli import cache

    cache._code_digest.cache_clear()
    before = cache._code_digest()
    target = ROOT / "src" / "rectify_cli" / "render" / "escape.py"  # far from the reader
    import os

    original, info = target.read_bytes(), target.stat()
    try:
        target.write_bytes(original + b"\n# touched\n")
        cache._code_digest.cache_clear()
        assert cache._code_digest() != before
    finally:
        target.write_bytes(original)
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
        cache._code_digest.cache_clear()
    assert cache._code_digest() == before
