"""Each file's part of what the judge found on a day, kept beside the repository index.

What a command reports of one file's items depends on that file, the plans, the settings,
the official calendar and the day, and on nothing else. So, as linters keep their findings
per file (ruff's and ESLint's caches), each file's part is kept under a key naming all of
those, and a run judges only the files whose part is not kept: none when the ledger is as
the day's last run found it, the edited file after an edit. A part is only ever what the
one judge (`schedule.evaluate`) found; a run that cannot tell where a finding belongs keeps
nothing. The kinds: what `check` reports ("findings", see `findings`) and what
`status --format json` shows ("status", see `standing`), each in a file of its own, so
that `check` reads none of the larger one.

Many files to judge (a day's first run, a cold one) are judged on every core: cut into
shares of about as many tasks, each but the first judged by a forked worker that sends its
parts back written as they are kept, while this process judges the first; since a file's
part depends on nothing but that file and its context, the shares' parts are the parts one
judging makes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Collection, Generic, Protocol, Sequence, TypeVar

from . import official_days
from .indexed import digest

if TYPE_CHECKING:  # a run that judges nothing (every part kept) imports no judge
    from .index import Beside
    from .loader import Ledger
    from .schedule import Schedule

P = TypeVar("P")


class Kind(Protocol, Generic[P]):
    """One kind of part: how it is made from a judged schedule, written and read back."""

    name: str  # its file beside the index (see `index.Beside`)
    let_go: bool  # each kept body is let go of once read (large parts: see `_Kept.bodies`)

    def made(self, schedule: Schedule, files: Collection[str] | None) -> dict[str, P]:
        """Each file's part: of `files` (each of them, and any other file a finding names),
        or of every file that has one."""

    def written(self, part: P) -> bytes: ...

    def read(self, bodies: dict[str, bytes]) -> dict[str, P]:
        """The parts of these kept bodies that hold what a part holds (the others are left out)."""


def judged(ledger: Ledger, as_of: dt.date, kinds: Sequence[Kind]) -> tuple[Schedule | None, list[dict]]:
    """Each kind's parts of every file on `as_of`, judging only the files some kind has no
    part of (and keeping what was made); and the schedule judged, if one judging made them all."""
    kept = [_Kept.of(ledger, as_of, kind) for kind in kinds]
    if None in kept:
        shared = _shared(ledger, as_of, kinds, ledger.files)
        if shared is not None:
            return None, [parts for parts, _ in shared]
        schedule = evaluate(ledger, as_of)
        return schedule, [kind.made(schedule, None) for kind in kinds]
    found = [kind.read(store.bodies()) for kind, store in zip(kinds, kept)]  # type: ignore[union-attr]
    missing = [name for name in ledger.files if not all(name in parts for parts in found)]
    if not missing:
        return None, found
    schedule, shared = None, _shared(ledger, as_of, kinds, missing)
    if shared is None:
        schedule = evaluate(ledger, as_of, files=missing if any(found) else None)
        shared = [(kind.made(schedule, missing), {}) for kind in kinds]
        if not all(set(parts) <= set(ledger.files) for parts, _ in shared):  # a finding in no file of the ledger: keep nothing
            whole = evaluate(ledger, as_of) if any(found) else schedule
            return whole, ([kind.made(whole, None) for kind in kinds] if whole is not schedule else [p for p, _ in shared])
    for kind, store, parts, (new, written) in zip(kinds, kept, found, shared):
        fresh = {name: new[name] for name in missing if name not in parts}  # the others' were found again: they are kept
        store.keep({name: written[name] if name in written else kind.written(part)  # type: ignore[union-attr]
                    for name, part in fresh.items()})
        parts.update(fresh)
    return schedule, found


def evaluate(ledger: Ledger, as_of: dt.date, files: Collection[str] | None = None, keep: bool = True) -> Schedule:
    """`schedule.evaluate`, imported when a file is judged."""
    from .schedule import evaluate

    return evaluate(ledger, as_of, files=files, keep=keep)


# Below this many tasks to judge, forking a worker (and the pages both processes then
# copy as they touch the ledger) costs what judging half of them saves: at 10,000 tasks
# a day's first `check` took the same on one core or two (status json 15 % less). Each
# share holds at least half as many.
MIN_SHARED_TASKS = 10_000

_shares: tuple | None = None  # what forked workers judge: (ledger, as_of, kinds, their shares)


def _shared(ledger: Ledger, as_of: dt.date, kinds: Sequence[Kind], files: Collection[str]) -> list[tuple[dict, dict]] | None:
    """Each kind's parts of `files` (and the written bodies of those the workers made), judged
    on every core: the files in ledger order cut into shares of about as many tasks, the first
    judged here and each other one in a forked worker, each with every plan. None when it does
    not pay, when a share cannot tell its parts from another's (a finding in a file of none),
    or a worker failed: judge here then."""
    from . import cores  # only when judging: a warm run judges nothing

    files = list(files)
    sizes = [ledger.columns.tasks_in(name) for name in files]
    total = sum(sizes)
    count = max(1, min(cores.usable(), total // max(1, MIN_SHARED_TASKS // 2))) if total >= MIN_SHARED_TASKS else 1
    shares = [frozenset(share) for share in _cut(files, sizes, count) if share]
    if len(shares) < 2:
        return None
    evaluate(ledger, as_of, files=frozenset(), keep=False)  # what every judging loads first (the official days), loaded once
    global _shares
    _shares = (ledger, as_of, kinds, shares[1:])
    try:
        with cores.forked(len(shares) - 1) as pool:
            futures = [pool.submit(_judge_share, n) for n in range(len(shares) - 1)]
            made = _share_made(ledger, as_of, kinds, shares[0], keep=True)
            bodies = []
            for future in futures:
                try:
                    bodies.append(future.result())
                except Exception:  # a worker that died or failed: judge every share here
                    bodies.append(None)
    finally:
        _shares = None
    if made is None or None in bodies:
        return None
    shared = [(parts, {}) for parts in made]
    for written_by_kind in bodies:
        for kind, (parts, written), theirs in zip(kinds, shared, written_by_kind):  # type: ignore[union-attr]
            read = kind.read(dict(theirs))  # a copy: a kind that lets go of bodies pops what it reads
            if set(read) != set(theirs):
                return None
            parts.update(read)
            written.update(theirs)
    return shared


def _cut(files: list[str], sizes: list[int], count: int) -> list[list[str]]:
    """The files, in order, in `count` runs of about as many tasks (some may be empty)."""
    total, done = sum(sizes), 0
    runs: list[list[str]] = [[] for _ in range(count)]
    for name, size in zip(files, sizes):
        runs[min(count - 1, done * count // total) if total else 0].append(name)
        done += size
    return runs


def _share_made(ledger: Ledger, as_of: dt.date, kinds: Sequence[Kind], files: frozenset[str],
                keep: bool) -> list[dict] | None:
    """Each kind's parts of `files`, judged with every plan; None when a part belongs to no
    file of the ledger (a part of a file of the ledger outside `files` is the other share's)."""
    schedule = evaluate(ledger, as_of, files=files, keep=keep)
    made = []
    for kind in kinds:
        parts = kind.made(schedule, files)
        if not set(parts) <= set(ledger.files):
            return None
        made.append({name: part for name, part in parts.items() if name in files})
    return made


def _judge_share(n: int) -> list[dict[str, bytes]] | None:
    """In a forked worker: the parts of its share (the `n`th of the workers'), written as they
    are kept; it keeps nothing."""
    if _shares is None:  # pragma: no cover - only a worker forked by _shared runs this
        raise RuntimeError("no inherited work")
    ledger, as_of, kinds, shares = _shares
    files = shares[n]
    made = _share_made(ledger, as_of, kinds, files, keep=False)
    if made is None:
        return None
    return [{name: kind.written(part) for name, part in parts.items()} for kind, parts in zip(kinds, made)]


def day_key(ledger: Ledger, as_of: dt.date, name: str) -> str | None:
    """One key for what every file of the ledger is on `as_of`, as a part of kind `name` is
    kept under (a command that keeps its whole output, see `cli.kept_output`); None when the
    ledger is not read through the index."""
    keys = _keys(ledger, as_of, name)
    return digest(*(f"{file}\0{key}" for file, key in keys.items())) if keys is not None else None


def _keys(ledger: Ledger, as_of: dt.date, name: str) -> dict[str, str] | None:
    """Each file's key for a part of kind `name` on `as_of`: the file (its parse's address,
    which names its text), every plan file, the settings, the installed official calendar and
    the day. None when a file has no address, or the official calendar cannot be named."""
    columns = ledger.columns
    calendar = official_days.installed_copy()
    addresses = {file: columns.address(file) for file in ledger.files}
    if calendar is None or not all(addresses.values()):
        return None
    plan_files = [f"{file}\0{addresses[file]}" for file in ledger.files if columns.holds_plans(file)]
    context = digest(name, repr(ledger.config), calendar, str(as_of.toordinal()), *plan_files)
    return {file: digest(context, address) for file, address in addresses.items()}  # type: ignore[arg-type]


class _Kept(Generic[P]):
    """One kind's parts kept for one day, each under a key of what it was made from: the file
    (its parse's address, which names its text), every plan file, the settings, the installed
    official calendar and the day."""

    def __init__(self, kind: Kind, store: Beside, keys: dict[str, str]) -> None:
        self.kind, self.store, self.keys = kind, store, keys
        self.taken = False  # some bodies were let go of: the store no longer holds them

    @classmethod
    def of(cls, ledger: Ledger, as_of: dt.date, kind: Kind) -> "_Kept | None":
        """None when the ledger is not read through the index, or the official calendar
        installed cannot be named."""
        keys = _keys(ledger, as_of, kind.name)
        store = ledger.columns.kept(kind.name) if keys is not None else None
        return cls(kind, store, keys) if store is not None else None  # type: ignore[arg-type]

    def bodies(self) -> dict[str, bytes]:
        """The bodies kept under today's keys. A kind that lets go of them takes them from the
        store, so that the memory of each is used again once it is read (`Kind.read` pops them);
        to keep more, the store is read again (see `keep`)."""
        read = self.store.take if self.kind.let_go else self.store.get
        found = {}
        for name, key in self.keys.items():
            body = read(name, key)
            if body is not None:
                found[name] = body
        self.taken = self.kind.let_go and bool(found)
        return found

    def keep(self, written: dict[str, bytes]) -> None:
        """Keep these parts, as written, beside the others (read again from the file when some
        were let go of: cheaper than encoding them again; on a new day none were)."""
        store = type(self.store).read(self.store.path) if self.taken else self.store
        for name, body in written.items():
            store.put(name, self.keys[name], body)
        store.save(self.keys)
