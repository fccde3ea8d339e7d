"""Reading a ledger through the repository index: only the files it does not vouch for.

A run reads only the files changed since the index was written (`index`); a file
with a problem, and the whole ledger is read as always (`loader`), so that every
message comes from one path. The ledger is validated in halves, each kept with
what it was made from: each file's own checks, made again only for a changed
file or when what they read beside it changed (the settings, the plans); and the
checks across files, on the rows (`indexed`), made again only when the ids and
references they judge changed or when they last found something. The last
validation of the whole ledger is kept too, so an unchanged ledger is not
validated at all.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from . import problems as problem_list
from .cache import Parsed
from .config import Config
from .index import BoundIndex
from .indexed import IndexColumns, digest, file_rows
from .problems import Problem

if TYPE_CHECKING:  # `fresh` and `validate` are imported when a file is read or checked again: a warm run needs none
    from .fresh import Checked, ParseFiles, Read
    from .validate import Numbered


def _file_rows_of(display: str, parsed: Parsed) -> bytes:
    return file_rows(parsed)


def _same_look_ups(tree, look_ups: object) -> bool:
    """Every look-up a kept validation made gives the same answer now."""
    return type(look_ups) is tuple and all(
        type(row) is tuple and len(row) == 4 and all(type(v) is str for v in row[:3])
        and tree.look_up(Path(row[0]), row[1]) == (row[2], row[3])
        for row in look_ups
    )


def _kept_problems(index: BoundIndex, key: str, tree, file: str | None = None) -> tuple[list[Problem], tuple] | None:
    kept = index.index.recalled(key, file)
    if kept is None or not _same_look_ups(tree, kept[1]):
        return None
    found = problem_list.loads(kept[0])
    return (found, kept[1]) if found is not None else None


def load_indexed(index: BoundIndex, names: Sequence[str], config: Config, tree, read: Read,
                 parse_files: ParseFiles, parse: Callable[[str], Parsed]) -> tuple[IndexColumns, list[Problem]] | None:
    """The ledger's columns and its validation, reading only the files the index does not
    vouch for (`read` gives a file's text, `parse_files` parses files: `loader.parse_sources`);
    None when one of them has a problem (read it all) or the index is unusable."""
    entries: dict[str, tuple] = {}
    dirty = []
    for name in names:
        entry = index.index.clean(name, index.key(name))
        if entry is None:
            dirty.append(name)
        else:
            entries[name] = entry
    checked = None
    if dirty and len(dirty) == len(names):  # every file (a first run): each one's own work where it is parsed
        from .fresh import read_all

        results, checked = read_all(dirty, read, parse_files, config, tree, _file_rows_of)
    else:
        results = parse_files([(name, partial(read, name)) for name in dirty], rows=_file_rows_of) if dirty else []
    fresh: dict[str, Parsed] = {}
    bodies: dict[str, bytes] = {}  # parses a worker made, still encoded
    made_here: set[str] = set()  # files whose entry holds the rows made now, not rows read back
    for name, text, parsed, problems, rows in results:
        if problems:
            return None
        made = rows if rows is not None else file_rows(parsed)  # type: ignore[arg-type]
        address = index.saw(name, text, made)
        if type(parsed) is bytes:
            bodies[name] = parsed
        else:
            fresh[name] = parsed  # type: ignore[assignment]
        entries[name] = index.index.entries.get(name)  # type: ignore[assignment]
        if entries[name] is None or entries[name][5] != address:  # no stat data to keep it by
            return None
        if index.index.made.get(name) is made:  # else the index kept its own entry (the same parse, read again)
            made_here.add(name)
    columns = IndexColumns.of({name: entries[name] for name in names}, parse, fresh, index.index, made_here, bodies)
    if columns is None:
        return None
    addresses = [f"{name}\0{entries[name][5]}" for name in names]
    settings = repr(config)
    ledger_key = digest(settings, *addresses)
    kept = _kept_problems(index, ledger_key, tree)
    if kept is not None:
        problems = kept[0]
    else:
        found = _validated(index, columns, config, tree, settings, {name: entries[name][5] for name in names}, checked)
        if found is None:
            return None
        problems = found[0]
        index.index.remember(ledger_key, problem_list.dumps(problems), found[1])
    columns.validated()
    return columns, problems


def _validated(index: BoundIndex, columns: IndexColumns, config: Config, tree, settings: str,
               addresses: dict[str, str], checked: Checked | None) -> tuple[list[Problem], tuple] | None:
    """Each file's own checks (kept per file, made again when the file or what they read
    beside it changed; made where the file was parsed when that read these plans), then
    the checks across files on the rows."""
    from .fresh import kept as kept_checks, numbered as untagged, own_checks, read_beside
    from .validate import in_order, validate_across

    plans = columns.plans
    seen = read_beside(plans)
    beside = digest(settings, repr(seen))
    made_there = checked.by_file if checked is not None and checked.plans == seen else {}
    per_file = []
    look_ups: list[tuple] = []
    for name in columns.names:
        key = digest(beside, addresses[name])
        kept = _kept_problems(index, key, tree, name)
        if kept is None and name in made_there:
            body, looked = made_there[name]
            found_there = problem_list.loads(body)
            kept = (found_there, looked) if found_there is not None else None
            if kept is not None:
                index.index.remember(key, body, looked, name)
        if kept is not None:
            numbered = untagged(kept[0])
            if numbered is not None:
                per_file.append(numbered)
                look_ups.extend(kept[1])
                continue
        found, looked = own_checks(name, columns.parsed(name), tree, config, plans)
        per_file.append(found)
        look_ups.extend(looked)
        index.index.remember(key, *kept_checks(found, looked), name)
    # the checks across files found nothing last time, on the same ids and references (and the
    # same plans and settings): they would find nothing now, wherever those are written
    clean = digest(settings, *(f"{name}\0{columns.identities[name]}" for name in columns.names),
                   *(f"{name}\0{addresses[name]}" for name in columns.names if columns.counts[name][0]))
    across: Numbered = []
    if index.index.across_clean != clean:
        listing = columns.listing()
        if listing is None:
            return None
        across = validate_across(listing, config)
    index.index.found_across(clean if not across else None)
    return in_order([*per_file, across]), tuple(look_ups)
