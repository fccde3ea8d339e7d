"""Which language a reader gets: the one asked for, the repository's, the locale's, or the ledger's own.

Order: `--lang`, then RECTIFY_LANG, then `lang:` in rectify.yaml, then a
Chinese locale. CI runners and servers mostly run with LANG=C.UTF-8 or no
locale at all, which says nothing about the reader: then the ledger decides,
so a Chinese ledger gets Chinese reports, annotations and terminal text.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Sequence

LANGS = ("zh", "en")
DEFAULT_PLANS = Path("plans")
CONFIG_NAME = "rectify.yaml"
_SNIFF_FILES = 3
_SNIFF_BYTES = 16384


def normalise(value: str | None) -> str | None:
    """`zh`, `zh_CN.UTF-8`, `EN` … → zh / en; anything else → None."""
    if not value:
        return None
    code = value.strip().lower()[:2]
    return code if code in LANGS else None


def locale_lang() -> str | None:
    """zh for a Chinese locale; None for any other (an English or C locale is no choice of language)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else None
    import locale  # only without LC_ALL, LC_MESSAGES and LANG: most runs never need it

    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else None


def configured_lang(paths: Sequence[Path] = ()) -> str | None:
    """`lang:` in the repository's rectify.yaml (an invalid value is reported by `check`, and ignored here).

    Looked up without importing the loader: `rectify --help` and `rectify date`
    must stay quick, and most repositories have no `lang:` at all.
    """
    config = _config_file(next((p for p in paths if p.exists()), None) or Path.cwd())
    if config is None or "lang" not in _head(config):
        return None
    from . import textfile, yamlsafe

    text, problem = textfile.read_text(config, CONFIG_NAME)
    node, problem = yamlsafe.compose(text or "", CONFIG_NAME) if problem is None else (None, problem)
    if problem is not None or not isinstance(getattr(node, "value", None), list):
        return None
    for key, value in node.value:
        if getattr(key, "value", None) == "lang" and isinstance(getattr(value, "value", None), str):
            return normalise(value.value)
    return None


def _config_file(start: Path) -> Path | None:
    """rectify.yaml at or above `start`, up to the repository's top (the folder with .git)."""
    start = start.resolve()
    for folder in (start if start.is_dir() else start.parent, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_symlink():  # never read through a link (check says why)
            return None
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def _head(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(_SNIFF_BYTES).decode("utf-8", errors="ignore")
    except OSError:
        return ""


def is_chinese(texts: Iterable[str]) -> bool:
    """Text a Chinese reader wrote: any CJK character in it."""
    return any(_has_cjk(t or "") for t in texts)


def _has_cjk(text: str) -> bool:
    """A CJK ideograph (extension A, the unified block, compatibility ideographs) in `text`.
    Asked by every command before anything else: compiling a regular expression of these
    ranges cost 2 ms a process, longer than reading a ledger's first lines this way."""
    return not text.isascii() and any(
        "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff" for c in text)


def ledger_lang(paths: Sequence[Path] = ()) -> str | None:
    """zh when the plan files are written in Chinese, en when they are not, None when there are none.

    Read from the first few YAML files' text (comments left out) before anything
    is parsed, so that even a usage error about an option speaks the ledger's language.
    """
    roots = list(paths) or [DEFAULT_PLANS]
    files = [f for root in roots for f in _yaml_files(root)][:_SNIFF_FILES]
    for path in files:
        head = _head(path)
        if is_chinese(line.split("#", 1)[0] for line in head.splitlines()):
            return "zh"
    return "en" if files else None


def _yaml_files(root: Path, limit: int = _SNIFF_FILES) -> list[Path]:
    """The first few regular *.yaml/*.yml files under `root`, in name order, hidden ones and links skipped."""
    if root.is_symlink() or not root.exists():
        return []
    if root.is_file():
        return [root] if root.suffix in (".yaml", ".yml") else []
    found: list[Path] = []
    stack = [root]
    while stack and len(found) < limit:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False) and entry.name.endswith((".yaml", ".yml")) and entry.name != CONFIG_NAME:
                found.append(Path(entry.path))
    return found[:limit]


def resolve(explicit: str | None = None, paths: Sequence[Path] = (), texts: Iterable[str] = ()) -> str:
    """The language for everything a command shows or writes. `texts`: what the
    command reads besides plan files (an imported ledger's headers), which
    speaks for the ledger when no plan file does."""
    for candidate in (explicit, os.environ.get("RECTIFY_LANG")):
        chosen = normalise(candidate)
        if chosen:
            return chosen
    return (configured_lang(paths) or locale_lang() or ledger_lang(paths)
            or ("zh" if is_chinese(texts) else None) or "en")
