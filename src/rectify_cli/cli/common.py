"""What every command shares: options, exit codes, and the way text reaches the terminal."""

from __future__ import annotations

import datetime as dt
import os
import sys
from contextvars import ContextVar
from pathlib import Path
from typing import Iterable, Iterator, List, NoReturn, Optional

from ..messages import text
from ..render import escape

EXIT_OK = 0
EXIT_FINDINGS = 1  # valid files, but something is overdue or a ledger rule is broken
EXIT_INVALID = 2  # invalid files or bad usage
EXIT_INTERNAL = 3  # a bug in rectify: please report it

EXIT_CODES_HELP = (
    "Exit codes / 退出码: 0 ok 正常; 1 overdue or rule broken 有逾期或违规; "
    "2 invalid files or usage 文件或用法错误; 3 internal error 内部错误"
)


def safe(line: str) -> str:
    """Control characters from files never reach the terminal raw."""
    return escape.terminal(line)


# `rectify --lang zh CMD …`: set by the root callback on every run, read by lang_of.
ROOT_LANG: ContextVar[Optional[str]] = ContextVar("rectify_root_lang", default=None)


def lang_of(option: Optional[str], paths: Optional[List[Path]] = None, texts: Iterable[str] = ()) -> str:
    """The command's language: its --lang, else `rectify --lang`, else the repository, locale or ledger (see language.py)."""
    from ..language import resolve

    return resolve(option if option is not None else ROOT_LANG.get(), list(paths or []), texts)


def today() -> dt.date:
    return dt.date.today()


def parse_date_option(value: Optional[str], option: str, lang: str) -> dt.date:
    if value is None:
        return today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        fail_usage(text("cli.bad_date_option", lang, option=option, value=value), lang)


def fail_usage(message: str, lang: str) -> NoReturn:
    err(f"rectify: {text('cli.error_prefix', lang)}: {message}")
    raise SystemExit(EXIT_INVALID)


def fail_with(error, lang: str) -> NoReturn:
    """Stop on an error told as one catalogue message (`problems.MessageError`): exit 2."""
    fail_usage(text(error.key, lang, **error.params), lang)


def paths_or_default(paths: Optional[List[Path]]) -> list[Path]:
    return list(paths) if paths else []


def out(line: str = "") -> None:
    sys.stdout.write(safe(line) + "\n")


def out_lines(lines: Iterable[str]) -> None:
    """`out` for each line, in one write (check writes one line per overdue item: 20,000 at 50k)."""
    lines = list(lines)
    if lines:
        sys.stdout.write(safe("\n".join(lines)) + "\n")


def out_json(document: dict | object, encoded: dict[str, list[bytes]] | None = None) -> None:
    """Indented for a person at a terminal, compact when piped. orjson encodes
    both in C (the standard encoder indents in pure Python, ten times slower),
    and the bytes go out as they are: at 50,000 items, three fewer copies of
    a 30 MB document. `encoded`: arrays of the (top-level) document given as their
    items' encodings (kept records, see `standing`); piped, they go out as they are,
    a few at a time, never copied into one document; to indent them, they are read
    back first."""
    import orjson

    indent = orjson.OPT_INDENT_2 if colour_enabled() or sys.stdout.isatty() else 0
    pieces: list[bytes | list[bytes]] = _spliced(document, encoded) if encoded and not indent else []  # type: ignore[arg-type]
    if not pieces:
        if encoded:
            document = {key: (orjson.loads(b"[" + b",".join(encoded[key]) + b"]") if key in encoded else value)
                        for key, value in document.items()}  # type: ignore[union-attr]
        pieces = [orjson.dumps(document, option=indent | orjson.OPT_NON_STR_KEYS)]
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a text-only stream (rectify embedded somewhere)
        sys.stdout.write(b"".join(map(_shown, _chunks(pieces))).decode("utf-8") + "\n")
        return
    sys.stdout.flush()
    for chunk in _chunks(pieces):
        binary.write(_shown(chunk))
    binary.write(b"\n")
    binary.flush()


def _shown(chunk: bytes) -> bytes:
    """Whole values of an encoded document with their control characters shown as escapes
    (see `escape.terminal`: one character at a time, so a document is escaped piece by piece)."""
    return escape.terminal(chunk.decode("utf-8")).encode("utf-8") if escape.json_has_control(chunk) else chunk


def _chunks(pieces: list) -> Iterator[bytes]:
    """The document's bytes a little at a time: each piece, and each encoded array
    (a list of items) some items at a time, joined by commas."""
    step = 128  # ~100 KB of records: the memory of one is used again for the next
    for piece in pieces:
        if type(piece) is bytes:
            yield piece
            continue
        for start in range(0, len(piece), step):
            yield (b"," if start else b"") + b",".join(piece[start:start + step])


def _spliced(document: dict, encoded: dict[str, list[bytes]]) -> list:
    """The compact document as pieces: bytes, and in place of a mark encoded for each
    encoded array, "[", its items (a list), "]"; [] when a mark is not found exactly
    once (a text held one)."""
    import orjson

    marks = {key: f"\0rectify-encoded:{key}\0" for key in encoded}
    data = orjson.dumps({key: marks.get(key, value) for key, value in document.items()}, option=orjson.OPT_NON_STR_KEYS)
    pieces: list = []
    for key, mark in marks.items():
        found = orjson.dumps(mark)
        head, sep, data = data.partition(found)
        if not sep or found in data or any(found in piece for piece in pieces if type(piece) is bytes):
            return []
        pieces += (head + b"[", encoded[key], b"]")
    pieces.append(data)
    return pieces


BINARY = {"docx", "xlsx"}  # formats that never go to a terminal


def emit(content: str | bytes, target: Optional[Path], fmt: str, lang: str, needs_out: str = "export.needs_out") -> None:
    """Write to `target` atomically; else to stdout (terminal text is escaped, pipes get the exact bytes)."""
    from ..atomic import write_atomic

    if target is not None:
        try:
            write_atomic(target, content)
        except OSError as exc:
            fail_usage(text("export.write_failed", lang, path=str(target), reason=exc.strerror or str(exc)), lang)
        err(text("report.written", lang, path=str(target)))
        return
    if isinstance(content, bytes) or fmt in BINARY:
        fail_usage(text(needs_out, lang, fmt=fmt), lang)
    if sys.stdout.isatty():
        out(content.replace("\r\n", "\n").rstrip("\n"))
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(content.encode("utf-8"))
        buffer.flush()
    else:  # pragma: no cover - a text-only stream
        sys.stdout.write(content)


def err(line: str) -> None:
    sys.stderr.write(safe(line) + "\n")


def colour_enabled(stream=None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())
