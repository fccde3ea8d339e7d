"""typer's side of `params.py`: the shared options, and commands declared by the table.

The modules that define commands do not use `from __future__ import annotations`:
typer reads every command's annotations to build `rectify --help`, and a string
annotation costs it an `eval` (8 ms over the thirty commands, on every typer run).
"""

from __future__ import annotations

import inspect
from typing import Callable, Iterable

import typer

from .params import AS_OF, LANG, PATHS, Param, flag


def typer_default(param: Param):
    """The typer.Option / typer.Argument that the table's entry stands for."""
    if param.is_positional:
        return typer.Argument(... if param.required else param.default, help=param.help, show_default=False)
    extra = {"min": param.minimum} if param.minimum is not None else {}
    return typer.Option(param.default, *param.flags, help=param.help, **extra)


def declared(params: Iterable[Param]) -> Callable:
    """Give a command function the typer defaults of its table; the names must match."""
    table = {p.name: p for p in params}

    def give(function: Callable) -> Callable:
        signature = inspect.signature(function)
        if list(signature.parameters) != list(table):
            raise TypeError(f"{function.__name__}: parameters {list(signature.parameters)} != table {list(table)}")
        function.__signature__ = signature.replace(parameters=[
            p.replace(default=typer_default(table[p.name])) for p in signature.parameters.values()
        ])
        return function

    return give


PathsArg = typer_default(PATHS)
LangOpt = typer_default(LANG)
AsOfOpt = typer_default(AS_OF)
AllowShallowOpt = typer_default(flag(  # the history commands' wording (check/status: params.ALLOW_SHALLOW)
    "allow_shallow", "--allow-shallow", "In a shallow clone, use only the commits that are here (said on stderr) / 浅克隆时只用本地已有的提交",
))
