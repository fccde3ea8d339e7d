"""Shared fixtures: where the corpus lives, and a runner for the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

HERE = Path(__file__).parent
REPO = HERE.parent
CORPUS = HERE / "corpus"


@pytest.fixture(scope="session")
def _parse_cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("parse-cache")


@pytest.fixture(autouse=True)
def _stable_environment(monkeypatch, _parse_cache_dir):
    """Tests never depend on the developer's locale, colour settings or cache,
    and never write into the user's cache; they share one cache of their own,
    so the suite reads the same files both parsed and from the cache."""
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(_parse_cache_dir))
    monkeypatch.delenv("RECTIFY_NO_CACHE", raising=False)
    monkeypatch.delenv("RECTIFY_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("NO_COLOR", "1")
    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def run(monkeypatch):
    """Run `rectify ARGS...` in-process in a directory; returns (exit_code, stdout, stderr)."""
    from rectify_cli.cli import app

    def runner(*args: str, cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return runner


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_ledger(root: Path, plan: str, issues: str, tasks: str) -> Path:
    """A one-plan ledger in root/plans (plan.yaml, issues.yaml, tasks.yaml); returns root."""
    for name, text in (("plan", plan), ("issues", issues), ("tasks", tasks)):
        write(root / "plans" / f"{name}.yaml", text)
    return root
