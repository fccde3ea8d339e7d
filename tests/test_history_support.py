"""Building small git repositories with scripted commits, authors and dates."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

PLAN = """\
kind: plan
id: gq
title: 测试计划
"""
ISSUES = """\
kind: issues
plan: gq
issues:
  - id: I-01
    title: 问题一
"""


def task(tid: str, status: str = "doing", due: str = "2025-12-31", lead: str = "市财政局", **extra: str) -> str:
    lines = [f"  - id: {tid}", "    issue: I-01", f"    title: 任务{tid}", f"    lead: {lead}", f"    due: {due}", f"    status: {status}"]
    for key, value in extra.items():
        block = textwrap.indent(value.strip("\n"), "    ") if "\n" in value else f"    {key}: {value}"
        lines.append(f"    {key}:\n{block}" if "\n" in value else block)
    return "\n".join(lines) + "\n"


def tasks(*items: str, plan: str = "gq") -> str:
    return f"kind: tasks\nplan: {plan}\ntasks:\n" + "".join(items)


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict | None = None) -> str:
        full = {**os.environ, **(env or {})}
        return subprocess.run(["git", *args], cwd=self.root, env=full, check=True, capture_output=True, text=True).stdout

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def commit(self, message: str, date: str, author: str = "张三", files: dict[str, str] | None = None) -> str:
        for rel, text in (files or {}).items():
            self.write(rel, text)
        stamp = f"{date}T10:00:00+08:00"
        env = {
            "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.org", "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.org", "GIT_COMMITTER_DATE": stamp,
        }
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()


def base(repo: Repo, date: str = "2025-11-01", *items: str) -> str:
    return repo.commit("初始台账", date, "李四", {
        "plans/gq/plan.yaml": PLAN, "plans/gq/issues.yaml": ISSUES,
        "plans/gq/tasks.yaml": tasks(*(items or (task("T-1"), task("T-2")))),
    })
