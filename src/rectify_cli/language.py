"""Which language a reader gets: the one asked for, the repository's, the locale's, or the ledger's own.

Order: `--lang`, then RECTIFY_LANG, then `lang:` in rectify.yaml, then a
Chinese locale. CI runners and servers mostly run with LANG=C.UTF-8 or no
locale at all, which says nothing about the reader: then the ledger decides,
so a Chinese ledger gets Chinese reports, annotations and terminal text.
"""

from __future__ import annotations

import locale
import os
import re
from pathlib import Path
from typing import Iterable, Sequence

LANGS = ("zh", "en")
DEFAULT_PLANS = Path("plans")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
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
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else None


def configured_lang(paths: Sequence[Path] = ()) -> str | None:
    """`lang:` in the repository's rectify.yaml (invalid values are reported by `check`, and ignored here)."""
    from . import yamlsafe
    from .loader import CONFIG_NAME
    from .validate import find_root

    start = next((p for p in paths if p.exists()), None) or (DEFAULT_PLANS if DEFAULT_PLANS.exists() else Path.cwd())
    config = find_root(start) / CONFIG_NAME
    if not config.is_file():
        return None
    text, problem = yamlsafe.read_text(config, CONFIG_NAME)
    if problem is not None or not text or "lang" not in text:
        return None
    node, problem = yamlsafe.compose(text, CONFIG_NAME)
    if problem is not None or node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return None
    for pair in node.value:
        if isinstance(pair, tuple) and getattr(pair[0], "value", None) == "lang":
            value = getattr(pair[1], "value", None)
            return normalise(value) if isinstance(value, str) else None
    return None


def is_chinese(texts: Iterable[str]) -> bool:
    """Text a Chinese reader wrote: any CJK character in it."""
    return any(_CJK.search(t or "") for t in texts)


def ledger_lang(paths: Sequence[Path] = ()) -> str | None:
    """zh when the plan files are written in Chinese, en when they are not, None when there are none.

    Read from the first few files' text (comments left out) before anything is
    parsed, so that even a usage error about an option speaks the ledger's language.
    """
    from .loader import discover

    try:
        files, _ = discover(list(paths) or ([DEFAULT_PLANS] if DEFAULT_PLANS.is_dir() else []))
    except OSError:
        return None
    seen = False
    for path in files[:_SNIFF_FILES]:
        try:
            with open(path, "rb") as handle:
                head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="ignore")
        except OSError:
            continue
        seen = True
        if is_chinese(line.split("#", 1)[0] for line in head.splitlines()):
            return "zh"
    return "en" if seen else None


def resolve(explicit: str | None = None, paths: Sequence[Path] = ()) -> str:
    """The language for everything a command shows or writes."""
    for candidate in (explicit, os.environ.get("RECTIFY_LANG")):
        chosen = normalise(candidate)
        if chosen:
            return chosen
    return configured_lang(paths) or locale_lang() or ledger_lang(paths) or "en"
