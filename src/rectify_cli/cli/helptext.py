"""`--help` in the reader's language: command and option help come from the catalogue.

Typer builds the click commands for every run; before help is shown, the
command tree gets its texts from `messages` (help.CMD, help.CMD.PARAM,
help.opt.PARAM) and a formatter that says 用法/选项/命令 in Chinese. The
language is chosen as for any command: --lang, RECTIFY_LANG, rectify.yaml,
a Chinese locale, the ledger's own language.
"""

from __future__ import annotations

import sys
from typing import Any, Sequence

from typer.core import TyperGroup

from ..messages import has, text
from .kept_output import help_lang, wants_help

# Commands whose help ends with the editing commands' exit codes (see cli/edit.py).
_EDIT_EXIT = {("progress",), ("done",), ("close",), ("reopen",), ("extend",), ("set",), ("new",)}
_HEADINGS = {"Options": "help.h.options", "Commands": "help.h.commands", "Arguments": "help.h.arguments"}


def localise(command: Any, lang: str, path: tuple[str, ...] = ()) -> None:
    """Give `command` and everything under it the catalogue's help in `lang`."""
    key = "help." + ".".join(path) if path else "help.root"
    if has(key):
        command.help = text(key, lang) + (f"\n\n{text('help.exit.edit', lang)}" if path in _EDIT_EXIT else "")
        command.short_help = None
    for param in command.params:
        for candidate in (f"{key}.{param.name}", f"help.opt.{param.name}"):
            if has(candidate) and hasattr(param, "help"):
                param.help = text(candidate, lang)
                break
    command.context_class = _context(command.context_class, lang)
    for name, sub in getattr(command, "commands", {}).items():
        localise(sub, lang, (*path, name))


def _context(base: type, lang: str) -> type:
    """The command's context class, with a help formatter speaking `lang`."""
    formatter_base = base.formatter_class

    class Formatter(formatter_base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix=text("help.usage", lang))

        def write_heading(self, heading: str) -> None:
            key = _HEADINGS.get(heading)
            if key is None or lang != "zh":
                super().write_heading(text(key, lang) if key else heading)
            else:
                self.write(f"{'':>{self.current_indent}}{text(key, lang)}：\n")

        def write_dl(self, rows, *args: Any, **kwargs: Any) -> None:
            super().write_dl([(term, _extras(definition, lang)) for term, definition in rows], *args, **kwargs)

    return type(base.__name__, (base,), {"formatter_class": Formatter})


def _extras(definition: str, lang: str) -> str:
    return (
        definition.replace("Show this message and exit.", text("help.help", lang))
        .replace("[required]", f"[{text('help.required', lang)}]")
        .replace("[default: ", "[" + text("help.default", lang))
    )


class LocalisedGroup(TyperGroup):
    """The root group: localises the help of the whole tree when help is asked for."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if wants_help(argv):
            localise(self, help_lang(argv))
        return super().main(args, *rest, **kwargs)
