"""`--help` as typer last printed it, kept; and which help is asked for, in which language.

Typer builds every command and draws its help with rich: about 60 ms of imports and work,
for a text that changes only when the code, the libraries, the terminal, the environment or
the help's language do. So the text typer prints is kept in the user's cache (`store`) under
a key naming all of those: the whole command line, this package's modules and typer's,
click's and rich's installed copies (by stat data, as the parse cache names its code), the
Python version, the terminal's size, whether output is a terminal and its encoding, the
environment but for the shell's own bookkeeping (colour, width and completion switches are
all in it), and the language the help is written in (`help_lang`, which reads rectify.yaml).
What is printed again is byte for byte what typer printed for that key; any other run asks
typer, and keeps what it printed when it printed help and exited 0.

Only a plain request is kept: command names, then `--help` or `-h` last. An option before it
could take `-h` as its value and run the command; its output must never be replayed as help.
And only plain text (no control character: typer prints none) is kept or printed again.
"""

from __future__ import annotations

import hashlib
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from ..render import escape

HELP = ("--help", "-h")  # as the root group names them (see `root`)
KEPT = 16  # texts kept (each terminal width, language and command is one): the last ones asked for
_FILE = "kept-help.json"
_SHELL = frozenset({"PWD", "OLDPWD", "SHLVL", "_"})  # changed by every `cd` and shell: they print nothing


def wants_help(args: Sequence[str]) -> bool:
    return not args or "--help" in args or "-h" in args


def help_lang(args: Sequence[str]) -> str:
    """The language help is written in: as for any command (see `language.resolve`)."""
    from ..language import resolve

    explicit = None
    for n, arg in enumerate(args):
        if arg == "--lang" and n + 1 < len(args):
            explicit = args[n + 1]
        elif arg.startswith("--lang="):
            explicit = arg.split("=", 1)[1]
    return resolve(explicit)


def replayed(args: Sequence[str]) -> bool:
    """Print the kept help for this command line, if it is kept; False: ask typer."""
    key = _key(args)
    if key is None:
        return False
    text = _kept().get(key)
    if text is None:
        return False
    sys.stdout.write(text)
    return True


@contextmanager
def keeping(args: Sequence[str]) -> Iterator[None]:
    """Run typer inside: what it prints is kept when it printed help and exited 0."""
    key = _key(args)
    if key is None:
        yield
        return
    real = sys.stdout
    recording = sys.stdout = _Recording(real)  # type: ignore[assignment]
    try:
        yield
    except SystemExit as exc:
        text = "".join(recording.written)
        if exc.code in (0, None) and text and escape.clean(text):  # help is plain text: anything else is not kept
            _keep(key, text)
        raise
    finally:
        sys.stdout = real


def _key(args: Sequence[str]) -> str | None:
    """What the help printed for `args` is made from; None: not a plain request, or not to be kept."""
    if not args or args[-1] not in HELP or any(arg.startswith("-") for arg in args[:-1]):
        return None
    from .. import store

    code = store.package_stamp(Path(__file__).resolve().parent.parent)
    copies = [store.installed_copy(package) for package in ("typer", "click", "rich")]
    if code is None or None in copies or store.usable_root() is None:
        return None
    out = sys.stdout
    try:
        size: tuple[int, int] | None = tuple(os.get_terminal_size(out.fileno()))  # type: ignore[assignment]
        terminal = out.isatty()
    except (OSError, ValueError, AttributeError):
        size, terminal = None, False
    environment = sorted(item for item in os.environ.items() if item[0] not in _SHELL)
    made_of = (sys.version, sys.argv[0], list(args), code, copies, size, terminal, getattr(out, "encoding", None),
               environment, help_lang(args))
    return hashlib.sha256(repr(made_of).encode("utf-8", "surrogatepass")).hexdigest()


def _kept() -> dict[str, str]:
    from .. import store

    document = store.read_json(_FILE)
    entries = document.get("kept") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return {}
    return {entry[0]: entry[1] for entry in entries
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
            and escape.clean(entry[1])}


def _keep(key: str, text: str) -> None:
    from .. import store

    entries = [[name, kept] for name, kept in _kept().items() if name != key]
    store.write_json(_FILE, {"kept": [*entries[-(KEPT - 1):], [key, text]]})


class _Recording:
    """Standard output as it is, each text written also recorded."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.written: list[str] = []

    def write(self, text: str) -> int:
        count = self._stream.write(text)  # first: what the stream refuses (click probes it with bytes) is not kept
        self.written.append(text)
        return count

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
