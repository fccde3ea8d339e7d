"""Command options as plain data, so a command can start before typer is imported.

Importing typer 0.29 imports pydantic and builds a validator per option: about
0.15 s of a 0.3 s `rectify check` on an ordinary ledger. The daily commands
(status, agenda, check, date) therefore declare their options here once. typer builds
its parser from this table (`options.declared`), and `quick.parse` reads the
plain cases of the same table before typer is imported; anything it is not sure
of (help, a bad value, an unknown option, `--`) is left to typer. A test holds
the two to the same answers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional


@dataclass(frozen=True)
class Param:
    """One option or the positional paths. `convert` turns the text of a value
    into what the command receives; None marks a flag (no value)."""

    name: str
    flags: tuple[str, ...]  # empty: the positional argument
    default: object = None
    help: str = ""
    convert: Optional[Callable[[str], object]] = str
    minimum: Optional[int] = None
    multiple: bool = False  # a list: the positional PATH…, or an option given once per value
    required: bool = False  # a positional argument that must be given

    @property
    def is_flag(self) -> bool:
        return self.convert is None

    @property
    def is_positional(self) -> bool:
        return not self.flags

    def value(self, raw: str) -> object:
        """The value as typer gives it, or raise ValueError to leave the case to typer."""
        convert = self.convert
        if convert is int:
            if not (raw.isascii() and raw.isdigit()):
                raise ValueError(raw)
            number = int(raw)
            if self.minimum is not None and number < self.minimum:
                raise ValueError(raw)
            return number
        if isinstance(convert, type) and issubclass(convert, enum.Enum):
            return convert(raw)  # exact value only; ValueError otherwise
        return convert(raw)


def flag(name: str, option: str, help: str) -> Param:
    return Param(name, (option,), False, help, None)


PATHS = Param("paths", (), None, "Plan files or directories (default: ./plans) / 计划文件或目录", Path, multiple=True)
AS_OF = Param("as_of", ("--as-of",), None, "Evaluate as of this date, YYYY-MM-DD (default: today) / 以该日期为准")
LANG = Param(
    "lang", ("--lang",), None,
    "zh | en (default: RECTIFY_LANG, rectify.yaml lang:, a Chinese locale, else the ledger's language)",
)
ROOT_LANG = Param(  # `rectify --lang zh CMD …`
    "lang", ("--lang",), None,
    "zh | en, for every command (default: RECTIFY_LANG, rectify.yaml lang:, a Chinese locale, else the ledger's language)",
)
ALLOW_SHALLOW = flag("allow_shallow", "--allow-shallow", "With --at in a shallow clone, use the commits that are here")


def due_within(help: str) -> Param:
    return Param("due_within", ("--due-within",), 5, help, int, minimum=0)


def at(help: str) -> Param:
    return Param("at", ("--at",), None, help)
