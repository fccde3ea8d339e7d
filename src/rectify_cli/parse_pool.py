"""Parsing many plan files on every core: a large ledger's first read.

Forked workers (see `cores`) inherit the texts already read and send back each
file's model encoded as the parse cache stores it; the parent decodes it with
the cache's model-only unpickler and can store the same bytes. What the caller
makes of each clean parse (`rows`: the repository index's rows and the file's
own checks, see `fresh`) is made in the worker too, so the parent does not make
it alone after the workers are done, one core idle; and a caller that needs few
of the models may take them still encoded (`decode=False`). Files come back
in their order, with the problems the one parsing path (`load.parse_text`)
found. Workers are used only when the work repays starting them; a chunk whose
worker fails is parsed here, so a bug surfaces exactly as without workers.
"""

from __future__ import annotations

from typing import Callable, Sequence

from . import cache as cache_module, cores
from .cache import Parsed, ParseCache
from .problems import Problem

Parser = Callable[[str, str], tuple[Parsed, list[Problem]]]
Rows = Callable[[str, Parsed], bytes]  # what a caller makes of a file's clean parse (see `parse_all`)
# the parse (or, with decode=False, a worker's parse still encoded: bytes), its problems, its rows when asked for
Result = tuple["Parsed | bytes", list[Problem], "bytes | None"]

# Below this many characters to parse, starting workers (~10 ms each, plus
# sending the models back) costs more than it saves.
MIN_PARALLEL_CHARS = 2_000_000
CHUNKS_PER_WORKER = 4  # smaller chunks even out files of different sizes

_inherited: tuple[Sequence[tuple[str, str]], Parser, Rows | None] | None = None  # what forked workers parse


def parse_all(
    items: Sequence[tuple[str, str]], parse: Parser, cache: ParseCache | None, min_chars: int | None = None,
    rows: Rows | None = None, decode: bool = True,
) -> list[Result]:
    """(display, text) pairs parsed in order; stored in the cache when they read cleanly.
    With `rows`, what it makes of each clean parse (None for a file with problems). With
    `decode` False, a clean parse a worker made comes back as the bytes `cache.decode` reads
    (a caller that needs few of the models decodes those: `cache.decode(body, typed=True)`)."""
    workers = cores.usable()
    if min_chars is None:
        min_chars = MIN_PARALLEL_CHARS
    if workers < 2 or sum(len(text) for _, text in items) < min_chars:
        return [_parse_here(display, text, parse, cache, rows) for display, text in items]
    global _inherited
    _inherited = (items, parse, rows)
    results: list[Result] = []
    try:
        with cores.forked(workers) as pool:
            chunks = _chunks(items, workers * CHUNKS_PER_WORKER)
            futures = [pool.submit(_parse_chunk, start, stop) for start, stop in chunks]
            for n, (start, stop) in enumerate(chunks):
                future, futures[n] = futures[n], None  # its bytes go once decoded, not when all are
                try:
                    encoded = future.result()
                except Exception:  # a worker that died or failed: parse its share here
                    encoded = [None] * (stop - start)
                for (display, text), outcome in zip(items[start:stop], encoded):
                    results.append(_decoded(display, text, outcome, parse, cache, rows, decode))
    finally:
        _inherited = None
    return results


def _chunks(items: Sequence[tuple[str, str]], count: int) -> list[tuple[int, int]]:
    """Consecutive index ranges holding about the same number of characters."""
    total = sum(len(text) for _, text in items)
    bounds, start, size = [], 0, 0
    for index, (_, text) in enumerate(items):
        size += len(text)
        if size * count >= total * (len(bounds) + 1) and index + 1 < len(items):
            bounds.append((start, index + 1))
            start = index + 1
    bounds.append((start, len(items)))
    return bounds


Encoded = tuple["bytes | None", "bytes | None", "tuple[Parsed, list[Problem]] | None"]


def _parse_chunk(start: int, stop: int) -> list[Encoded]:
    """In a worker: each file encoded as the cache stores it, with its rows when asked
    for, or, when it has problems, the parse and its problems as they are."""
    if _inherited is None:  # pragma: no cover - only a worker forked by parse_all runs this
        raise RuntimeError("no inherited work")
    items, parse, rows = _inherited
    out: list[Encoded] = []
    for display, text in items[start:stop]:
        parsed, problems = parse(display, text)
        if problems:
            out.append((None, None, (parsed, problems)))
        else:
            out.append((cache_module.encode(parsed), rows(display, parsed) if rows is not None else None, None))
    return out


def _decoded(
    display: str, text: str, outcome: Encoded | None, parse: Parser, cache: ParseCache | None, rows: Rows | None,
    decode: bool = True,
) -> Result:
    if outcome is not None:
        body, made, with_problems = outcome
        if with_problems is not None:
            return (*with_problems, None)
        parsed = body if type(body) is bytes and not decode else (
            cache_module.decode(body, typed=True) if body is not None else None)
        if parsed is not None and (rows is None or type(made) is bytes):
            if cache is not None:
                cache.put_encoded(display, text, body)  # type: ignore[arg-type]
            return parsed, [], made
    return _parse_here(display, text, parse, cache, rows)


def _parse_here(display: str, text: str, parse: Parser, cache: ParseCache | None, rows: Rows | None) -> Result:
    parsed, problems = parse(display, text)
    if cache is not None and not problems:
        cache.put(display, text, parsed)
    return parsed, problems, (rows(display, parsed) if rows is not None and not problems else None)
