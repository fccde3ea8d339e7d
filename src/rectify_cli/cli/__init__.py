"""The `rectify` command line: thin commands over the core library.

Each command parses its options, calls the core, and renders; nothing here
knows how the ledger is read or judged. The typer application lives in
`root` and `commands`; the daily commands start without it when their options are plain
(`quick`), and help that typer printed before is printed again without it (`kept_output`),
so this package imports typer only when it is asked for `app`.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from . import output
from .common import EXIT_INTERNAL, EXIT_INVALID


def __getattr__(name: str):
    if name == "app":  # `from rectify_cli.cli import app`: the typer application, built on first use
        from .commands import app

        return app
    raise AttributeError(name)


def main() -> None:
    """Entry point: a bug never shows the user a traceback unless they ask for one."""
    from ..memory import off_until_exit

    output.install()
    off_until_exit()  # one command, one acyclic ledger that lives until exit
    try:
        from .quick import run_quick

        if not run_quick(sys.argv[1:]):
            from . import kept_output

            key = kept_output.help_key(sys.argv[1:])
            if not kept_output.replayed("help", key):
                from .commands import app

                with kept_output.keeping("help", key):
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
