"""A plan file's bytes into text, or one problem saying why not.

Before any YAML is read: the size limit, regular files only (a FIFO is never
waited on), and the encodings people's editors produce (UTF-16 and UTF-32 are
refused with their name, GB18030 is recognised and named in the hint). Kept
apart from composing (`yamlsafe`) so that a run that reads no YAML, such as a
warm run of an unchanged ledger, does not import the YAML library.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from .messages import Ref
from .values import Source
from .problems import Problem, error

MAX_FILE_BYTES = 20 * 1024 * 1024


def read_text(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """The file's text, or one problem saying why it cannot be read and how to fix it."""
    src = Source(display)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return None, error(src, "load.unreadable", reason=exc.strerror or str(exc))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, error(src, "load.not_regular", kind="FIFO" if stat.S_ISFIFO(st.st_mode) else "?")
        if st.st_size > MAX_FILE_BYTES:
            return None, error(src, "load.too_large", size=st.st_size, limit=MAX_FILE_BYTES)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # a file growing (or /proc lying about its size)
        if len(data) > MAX_FILE_BYTES:
            return None, error(src, "load.too_large", size=len(data), limit=MAX_FILE_BYTES)
    except OSError as exc:
        return None, error(src, "load.unreadable", reason=exc.strerror or str(exc))
    finally:
        os.close(fd)
    return decode(data, display)


def from_bytes(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    """Bytes read from elsewhere than a file (a git blob): the size limit, then `decode`.
    A blob too large to have been read (`gitread.Oversize`) says its size."""
    size = getattr(data, "size", len(data))
    if size > MAX_FILE_BYTES:
        return None, error(Source(display), "load.too_large", size=size, limit=MAX_FILE_BYTES)
    return decode(data, display)


def decode(data: bytes, display: str) -> tuple[str | None, Problem | None]:
    src = Source(display)
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        return None, error(src, "load.utf32")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data):
        return None, error(src, "load.utf16")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data:
        return None, error(src, "load.binary")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        encoding = _guess_legacy_encoding(data)
        guess = Ref("load.guess_encoding", encoding=encoding) if encoding else None
        return None, error(
            Source(display, line, column),
            "load.not_utf8",
            offset=exc.start,
            guess=guess,
            encoding=encoding or "GB18030",
        )


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: mostly ASCII text with every other byte NUL."""
    head = data[:512]
    if len(head) < 8 or len(head) % 2:
        return False
    even, odd = head[0::2], head[1::2]
    return (even.count(0) == 0 and odd.count(0) * 4 >= len(odd) * 3) or (
        odd.count(0) == 0 and even.count(0) * 4 >= len(even) * 3
    )


def _guess_legacy_encoding(data: bytes) -> str | None:
    """Name GB18030 when the bytes decode as such into mostly CJK text."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return "GB18030" if non_ascii and cjk / non_ascii > 0.8 else None
