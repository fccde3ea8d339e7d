"""What a command printed, printed again while nothing it is made of has changed.

Two outputs cost far more to make than to keep. Help: typer builds every command and draws
its help, about 60 ms of imports and work for a text that changes only with the code, the
libraries, the terminal, the environment or the help's language. And the `status` table of
an unchanged ledger: rich draws every row (half of a 1,000-task run) though the ledger, the
day and the terminal are what they were. Each is kept in the user's cache (`store`) under a
key naming everything it is made of (`key_of`): the whole command line, this package's
modules and typer's, click's and rich's installed copies (by stat data, as the parse cache
names its code), the Python version, the terminal's size, whether output is a terminal and
its encoding, the environment but for the shell's own bookkeeping (colour, width and
completion switches are all in it), and what the command adds (the help's language; for a
table, the language and the key of every file's kept part for the day, see `dayparts`).
What is printed again is byte for byte what was printed under that key; any other run makes
it, and keeps it when it ended well and wrote nothing else.

Only a plain help request is kept: command names, then `--help` or `-h` last. An option
before it could take `-h` as its value and run the command, whose output must never come
back as help. Only text is kept or printed again: no control character but the colour
sequences rich writes on a terminal (SGR: ESC [ numbers m).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from ..render import escape

HELP = ("-h", "--help")  # the help options of every group (see `root`), in the order help lists them
# what is kept of each kind: how many texts (the last ones asked for), and in which file
KINDS = {"help": (16, "kept-help.json"), "status": (4, "kept-status.json")}
_SHELL = frozenset({"PWD", "OLDPWD", "SHLVL", "_"})  # changed by every `cd` and shell: they print nothing
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def wants_help(args: Sequence[str]) -> bool:
    return not args or any(arg in HELP for arg in args)


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


def help_key(args: Sequence[str]) -> str | None:
    """What the help printed for `args` is made of; None: not a plain request, or not to be kept."""
    if not args or args[-1] not in HELP or any(arg.startswith("-") for arg in args[:-1]):
        return None
    return key_of(args, help_lang(args))


def key_of(args: Sequence[str], *made_of: object) -> str | None:
    """What the output of `args` is made of, with what the command adds (`made_of`); None
    when it is not to be kept (no cache, or code that cannot be named)."""
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
    made = (sys.version, sys.argv[0], list(args), code, copies, size, terminal, getattr(out, "encoding", None),
            environment, made_of)
    return hashlib.sha256(repr(made).encode("utf-8", "surrogatepass")).hexdigest()


def replayed(kind: str, key: str | None) -> bool:
    """Print what is kept of `kind` under `key`, if anything; False: make it."""
    if key is None:
        return False
    text = _kept(kind).get(key)
    if text is None:
        return False
    sys.stdout.write(text)
    return True


@contextmanager
def keeping(kind: str, key: str | None) -> Iterator[None]:
    """Make the output inside: what it prints is kept under `key` when it ended well (or
    exited 0), printed something and wrote nothing to standard error."""
    if key is None:
        yield
        return
    out, err = sys.stdout, sys.stderr
    recording, errors = _Recording(out), _Recording(err)
    sys.stdout, sys.stderr = recording, errors  # type: ignore[assignment]
    ended_well = False
    try:
        yield
        ended_well = True
    except SystemExit as exc:
        ended_well = exc.code in (0, None)
        raise
    finally:
        sys.stdout, sys.stderr = out, err
        text = "".join(recording.written)
        if ended_well and text and not errors.written and _plain(text):
            _keep(kind, key, text)


def _plain(text: str) -> bool:
    return escape.clean(_COLOUR.sub("", text))


def _kept(kind: str) -> dict[str, str]:
    from .. import store

    document = store.read_json(KINDS[kind][1])
    entries = document.get("kept") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        return {}
    return {entry[0]: entry[1] for entry in entries
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)
            and _plain(entry[1])}


def _keep(kind: str, key: str, text: str) -> None:
    from .. import store

    count, name = KINDS[kind]
    entries = [[old, kept] for old, kept in _kept(kind).items() if old != key]
    store.write_json(name, {"kept": [*entries[-(count - 1):], [key, text]]})


class _Recording:
    """A standard stream as it is, each text written also recorded."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.written: list[str] = []

    def write(self, text: str) -> int:
        count = self._stream.write(text)  # first: what the stream refuses (click probes it with bytes) is not kept
        self.written.append(text)
        return count

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
