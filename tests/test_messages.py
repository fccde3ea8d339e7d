"""The one catalogue: every key the code names exists, and the Chinese text is Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from rectify_cli.messages import keys

SRC = Path(__file__).parent.parent / "src" / "rectify_cli"


def test_every_key_the_code_names_is_in_the_catalogue():
    catalogue = keys()
    prefixes = sorted({k.split(".")[0] for k in catalogue if "." in k})
    literal = re.compile(r'"((?:%s)\.[a-z_0-9.]+[a-z_0-9])"' % "|".join(map(re.escape, prefixes)))
    named = {
        match.group(1): path.name
        for path in SRC.rglob("*.py")
        if path.name != "messages.py"
        for match in literal.finditer(path.read_text(encoding="utf-8"))
    }
    assert len(named) > 100  # the scan itself works
    assert {k: f for k, f in named.items() if k not in catalogue} == {}


def test_chinese_text_is_chinese():
    english_only = [key for key, (zh, _) in keys().items() if zh and not re.search(r"[\u4e00-\u9fff]", zh) and re.search(r"[a-z]{4,}", re.sub(r"\{[^}]*\}", "", zh))]
    assert english_only == []
