"""The `rectify` command line: thin commands over the core library.

Each command parses its options, calls the core, and renders; nothing here
knows how the ledger is read or judged.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer

from . import output
from .common import EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_INVALID
from .helptext import LocalisedGroup

app = typer.Typer(
    cls=LocalisedGroup,  # --help in the reader's language
    name="rectify",
    help=(
        "Track rectification (整改) work kept as YAML in git: validate the ledger, "
        "compute working-day deadlines, show who is late.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)



@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Show the version and exit."),
    lang: str = typer.Option(None, "--lang", help="zh | en, for every command (default: RECTIFY_LANG, rectify.yaml lang:, a Chinese locale, else the ledger's language)"),
) -> None:
    """rectify: rectification ledgers as YAML in git."""
    from .common import ROOT_LANG

    ROOT_LANG.set(lang)
    if version:
        from importlib.metadata import version as dist_version

        typer.echo(f"rectify {dist_version('rectify-cli')}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


# Registration order is the order `rectify --help` lists: daily use first.
from . import status as _status  # noqa: E402,F401  (registers commands)
from . import check as _check  # noqa: E402,F401
from . import dates as _dates  # noqa: E402,F401
from . import edit as _edit  # noqa: E402,F401
from . import supervise as _supervise  # noqa: E402,F401
from . import history as _history  # noqa: E402,F401
from . import report as _report  # noqa: E402,F401
from . import schema as _schema  # noqa: E402,F401
from . import notify as _notify  # noqa: E402,F401
from . import fetch as _fetch  # noqa: E402,F401
from . import site as _site  # noqa: E402,F401


def main() -> None:
    """Entry point: a bug never shows the user a traceback unless they ask for one."""
    from ..memory import no_cyclic_gc

    output.install()
    try:
        with no_cyclic_gc():  # one command, one acyclic ledger that lives until exit
            app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:
        code = 130
    except output.OutputError as exc:
        code = _output_failed(exc, 1)  # a closed pipe mid-command stays 1, as click has it
    except Exception as exc:  # pragma: no cover - exercised only by bugs
        if os.environ.get("RECTIFY_DEBUG"):
            raise
        sys.stderr.write(
            f"rectify: internal error 内部错误: {type(exc).__name__}: {exc} "
            "(set RECTIFY_DEBUG=1 for the traceback, and please report it)\n"
        )
        code = EXIT_INTERNAL
    _leave(code)


def _leave(code: object) -> NoReturn:
    """Exit without tearing the interpreter down. Every file the command wrote
    is closed by then; what is left is the ledger in memory, which Python would
    free object by object (0.15 s at 50,000 tasks) and the OS frees at once.
    Standard output is flushed first, and a failure to write it is the exit
    status: a cut-off export must never look like a finished one."""
    if isinstance(code, str):  # sys.exit("message"), as Python itself would show it
        sys.stderr.write(code + "\n")
        code = 1
    status = code if isinstance(code, int) else (0 if code is None else 1)
    try:
        sys.stdout.flush()
    except output.OutputError as exc:
        status = _output_failed(exc, status)
    except OSError as exc:  # a stream `output.install` left alone
        status = _output_failed(output.OutputError(exc), status)
    except ValueError:  # closed by whoever embedded rectify: nothing was left to write
        pass
    try:
        sys.stderr.flush()
    except (OSError, ValueError):  # nowhere left to say anything
        pass
    os._exit(status)


def _output_failed(error: output.OutputError, status: int) -> int:
    """One line on stderr and exit 2; a reader that went away (`| head`) is no error to report."""
    output.discard()
    if output.is_closed_pipe(error):
        return status
    from ..language import resolve
    from ..messages import text

    lang = resolve(_lang_argument())
    key = output.reason_key(error)
    reason = text(key, lang) if key else error.strerror
    sys.stderr.write(f"rectify: {text('cli.error_prefix', lang)}: {text('cli.output_failed', lang, reason=reason)}\n")
    return EXIT_INVALID


def _lang_argument() -> str | None:
    """`--lang` from the command line, for the few messages written after the command ended."""
    args = sys.argv[1:]
    for n, arg in enumerate(args):
        if arg == "--lang" and n + 1 < len(args):
            return args[n + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None
