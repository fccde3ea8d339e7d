"""`rectify --help` and every command's help: in Chinese under a Chinese locale or --lang zh,
complete (every command and option has Chinese help), and laid out cleanly."""

from __future__ import annotations

import re

import pytest
import typer.main

from rectify_cli.cli import app
from rectify_cli.messages import has

from .conftest import REPO


def _tree():
    """(path, command) for every command, the root included."""
    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, (*path, name))

    return list(walk(typer.main.get_command(app), ()))


def test_every_command_and_option_has_chinese_help():
    missing = []
    for path, command in _tree():
        key = "help." + ".".join(path) if path else "help.root"
        if not has(key):
            missing.append(key)
        for param in command.params:
            if not (has(f"{key}.{param.name}") or has(f"help.opt.{param.name}")):
                missing.append(f"{key}.{param.name}")
    assert missing == []


def test_root_help_is_chinese_under_a_chinese_locale(run, monkeypatch, tmp_path):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, stdout, _ = run("--help", cwd=tmp_path)
    assert code == 0
    assert stdout.startswith("用法：") and "命令：" in stdout and "选项：" in stdout
    assert "status    整改进度" in stdout and "显示本帮助并退出" in stdout
    assert "Where do we stand" not in stdout


@pytest.mark.parametrize("command", ["status", "check", "done", "new task", "report", "audit"])
def test_command_help_with_lang_zh(run, tmp_path, command):
    code, stdout, _ = run(*command.split(), "--help", "--lang", "zh", cwd=tmp_path)
    assert code == 0
    assert stdout.startswith("用法：")
    english = re.findall(r"\b(?:the|and|or|of|to|this)\b", re.sub(r"\[[^]]*\]|--\S+|<[^>]*>|\{[^}]*\}", "", stdout))
    assert english == [], english  # no English sentences left


def test_english_help_stays_english(run, tmp_path):
    code, stdout, _ = run("status", "--help", "--lang", "en", cwd=tmp_path)
    assert code == 0
    assert stdout.startswith("Usage:") and "Only tasks this unit leads or supports" in stdout
    assert not re.search(r"[\u4e00-\u9fff]{3,}", stdout.replace("计划 | 类别 | 问题 | 单位", ""))


def test_help_follows_a_chinese_ledger_on_a_c_locale(run):
    code, stdout, _ = run("--help", cwd=REPO)  # LANG=C.UTF-8, plans/ is Chinese
    assert code == 0 and stdout.startswith("用法：")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_paragraphs_have_no_stray_runs_of_spaces(run, tmp_path, lang):
    """ "must     exist": a docstring's indent leaking into the wrapped text."""
    for path, _ in _tree():
        code, stdout, _ = run("--lang", lang, *path, "--help", cwd=tmp_path)  # the root --lang, for groups too
        assert code == 0, path
        lines = stdout.splitlines()
        heading = next(n for n, line in enumerate(lines) if line.endswith((":", "：")) and not line.startswith(" "))
        prose = lines[1:heading]  # the command's description, before Arguments/Options
        glitches = [line for line in prose if re.search(r"\S {2,}\S", line.strip())]
        assert glitches == [], (path, glitches)
