"""The daily commands without typer: read plain argv by the commands' own option table.

`rectify check`, `status`, `agenda` and `date` are what people and CI run all day; on an
ordinary ledger, importing typer (and the pydantic it brings) cost more than the
work. When every argument is one the table reads without doubt, the command
function runs at once; anything else (help, a value typer would refuse or
convert differently, an unknown option, `--`, a repeated option) is left to
typer, which reads the same table (`options.declared`) and says what is wrong.
"""

from __future__ import annotations

from importlib import import_module
from typing import Optional, Sequence

from .params import ROOT_LANG, Param

COMMAND_MODULES = {"check": "check", "status": "status", "agenda": "status", "date": "date"}


class Unsure(Exception):
    """An argument the quick path leaves to typer."""


def run_quick(args: Sequence[str]) -> bool:
    """Run the command if its arguments are plain; False when typer must read them."""
    found = _command(args)
    if found is None:
        return False
    root_lang, name, rest = found
    module = import_module(f"{__package__}.{COMMAND_MODULES[name]}")
    function, table = module.COMMANDS[name]
    values = parse(table, rest)
    if values is None:
        return False
    from .common import ROOT_LANG as root_lang_var

    root_lang_var.set(root_lang)
    function(**values)
    return True


def _command(args: Sequence[str]) -> Optional[tuple[Optional[str], str, Sequence[str]]]:
    """(root --lang, command name, its arguments), when the command is a quick one."""
    before = 0
    while before < len(args) and args[before].startswith("-"):  # the root's own options
        before += 1 if "=" in args[before] else 2
    if before >= len(args) or args[before] not in COMMAND_MODULES:
        return None
    root = parse((ROOT_LANG,), args[:before])
    if root is None:
        return None
    return root["lang"], args[before], args[before + 1:]


def parse(table: Sequence[Param], args: Sequence[str]) -> Optional[dict]:
    """The command's keyword arguments, as typer would give them; None if unsure."""
    try:
        return _parse(table, args)
    except (Unsure, ValueError):
        return None


def _parse(table: Sequence[Param], args: Sequence[str]) -> dict:
    by_flag = {flag: param for param in table for flag in param.flags}
    positional_param = next((p for p in table if p.is_positional), None)
    values = {param.name: list(param.default) if param.multiple and param.flags else param.default for param in table}
    given: set[str] = set()
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if not arg:
            raise Unsure  # an empty argument: typer's conversion decides
        if not arg.startswith("-"):
            positional.append(arg)
            continue
        name, equals, inline = arg.partition("=")
        param = by_flag.get(name)
        if param is None or (param.name in given and not param.multiple):
            raise Unsure  # -h, --help, --, unknown or repeated options
        given.add(param.name)
        if param.is_flag:
            if equals:
                raise Unsure
            values[param.name] = True
            continue
        if equals:
            raw = inline
        else:
            if index >= len(args):
                raise Unsure
            raw = args[index]
            index += 1
        if not raw or raw.startswith("-"):
            raise Unsure
        if param.multiple:
            values[param.name].append(param.value(raw))
        else:
            values[param.name] = param.value(raw)
    if positional:
        if positional_param is None or (not positional_param.multiple and len(positional) > 1):
            raise Unsure
        converted = [positional_param.value(p) for p in positional]
        values[positional_param.name] = converted if positional_param.multiple else converted[0]
    elif positional_param is not None and positional_param.required:
        raise Unsure  # typer says what is missing
    return values
