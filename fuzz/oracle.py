"""What a clean outcome is, shared by the fuzz targets (tests/test_properties.py
states the same properties for the test suite)."""

from __future__ import annotations

from rectify_cli import messages
from rectify_cli.model import Source
from rectify_cli.problems import Problem

NAME = "plans/fuzz.yaml"


def renders(key: str, params: dict, lang: str) -> str:
    """Format strictly: `messages.text` hides a missing parameter behind its template."""
    return messages.strict_text(key, lang, **params)


def clean(problem: Problem, name: str = NAME) -> None:
    assert isinstance(problem, Problem), problem
    assert isinstance(problem.source, Source) and problem.source.file == name, problem.source
    for lang in ("zh", "en"):
        renders(problem.key, dict(problem.params), lang)
        line = problem.render(lang)
        assert "\n" not in line and "\r" not in line, f"a problem on two lines: {line!r}"
