"""Exact checks that model values hold the types their classes declare.

Used on what the parse cache reads back (see `cache`): an entry of the right
shape whose `line` is a string, or whose `fields` maps to integers, must be
ignored, not fail three modules later. Checking half a million values one
Python call at a time would cost as much as unpickling them, so the check
works a level of the model at a time with C-level passes: the types of all
the fields of all the tasks are collected as a set of rows (a handful of
distinct ones), the strings of every task's `support` as one set of types,
and only fields holding records or containers are followed further. Types
are exact (`type(v) is str`): a subclass is not what the loader builds.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from enum import Enum
from functools import lru_cache
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Callable, Iterable

_FLAT = (str, int, bool, float, bytes, Enum)
_is_in = frozenset.__contains__


def well_typed(cls: type, values: Iterable[object]) -> bool:
    """True when every value is a `cls` (a model class) whose every field, all
    the way down, holds the type the class declares."""
    return _all(cls, values)


def values_typed(hint: object, values: Iterable[object]) -> bool:
    """True when every value has the exact type `hint` (e.g. `tuple[str, ...]`) allows, all the way down."""
    return _all(hint, values)


def _all(hint: object, values: Iterable[object]) -> bool:
    """Every value has the exact type `hint` allows, and so has everything inside it."""
    if _flat(hint):
        return set(map(type, values)) <= _types(hint)
    values = values if isinstance(values, list) else list(values)
    return set(map(type, values)) <= _types(hint) and _below(hint, values)


def _below(hint: object, values: list) -> bool:
    """What is inside values whose own types are already known to fit `hint`."""
    if not values or _flat(hint):
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if _flat(arg):
                continue
            allowed = _types(arg)  # once per member, not once per value
            if not _below(arg, [v for v in values if type(v) in allowed]):
                return False
        return True
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _all(args[0], chain.from_iterable(values))
    if origin is tuple:
        if not set(map(len, values)) <= {len(args)}:
            return False
        kinds = set(map(_types, args))
        if all(map(_flat, args)) and len(kinds) == 1:  # (line, column): one pass over them all
            return set(map(type, chain.from_iterable(values))) <= kinds.pop()
        return _rows(values, args, [itemgetter(n) for n in range(len(args))])
    if origin in (dict, collections.abc.Mapping):
        return _all(args[0], chain.from_iterable(values)) and _all(args[1], chain.from_iterable(map(dict.values, values)))
    if isinstance(hint, type) and _is_record(hint):
        getters, hints = _fields(hint)
        if issubclass(hint, tuple) and not set(map(len, values)) <= {len(hints)}:
            return False
        return _rows(values, hints, getters, whole=None if issubclass(hint, tuple) else attrgetter(*_names(hint)))
    raise TypeError(f"no check for {hint!r}")


def _rows(values: list, hints: typing.Sequence[object], getters: list, whole: Callable | None = None) -> bool:
    """Records (or fixed tuples) field by field: the types of all their fields as a set of
    rows, each row checked once; then what is inside the fields that hold more than a value."""
    fields = map(whole, values) if whole is not None else values
    if len(hints) == 1 and whole is not None:
        fields = map(lambda v: (v,), fields)
    allowed = tuple(map(_types, hints))
    for row in set(map(tuple, map(map, repeat(type), fields))):
        if len(row) != len(allowed) or not all(map(_is_in, allowed, row)):
            return False
    return all(_below(h, list(map(get, values))) for get, h in zip(getters, hints) if not _flat(h))


@lru_cache(maxsize=None)
def _flat(hint: object) -> bool:
    """A type with nothing inside to check (str, int, date, Status ...), or a union of such."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return all(map(_flat, typing.get_args(hint)))
    return hint is type(None) or (
        isinstance(hint, type) and (issubclass(hint, _FLAT) or hint.__module__ == "datetime")
    )


@lru_cache(maxsize=None)
def _types(hint: object) -> frozenset[type]:
    """The exact types a value of this hint may have at its top level."""
    origin = typing.get_origin(hint)
    if hint is None or hint is type(None):
        return frozenset((type(None),))
    if origin in (typing.Union, types.UnionType):
        return frozenset().union(*map(_types, typing.get_args(hint)))
    if origin is tuple:
        return frozenset((tuple,))
    if origin in (dict, collections.abc.Mapping):
        return frozenset((dict,))
    if isinstance(hint, type) and (_is_record(hint) or _flat(hint)):
        return frozenset((hint,))
    raise TypeError(f"no check for {hint!r}")


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) else list(cls._fields)  # type: ignore[attr-defined]


def _fields(cls: type) -> tuple[list[Callable[[object], object]], list[object]]:
    """(how to fetch each field, its declared type) for a model class."""
    known = _FIELDS.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls)
        names = _names(cls)
        getters = [itemgetter(n) for n in range(len(names))] if issubclass(cls, tuple) else list(map(attrgetter, names))
        known = (getters, [hints[name] for name in names])
        for hint in known[1]:
            _types(hint)  # a TypeError now for a type this module cannot check
        _FIELDS[cls] = known
    return known


_FIELDS: dict[type, tuple[list, list]] = {}


def _is_record(cls: type) -> bool:
    return dataclasses.is_dataclass(cls) or (issubclass(cls, tuple) and hasattr(cls, "_fields"))
