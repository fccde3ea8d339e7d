"""Exact checks that model values hold the types their classes declare.

Used on what the parse cache reads back (see `cache`): an entry of the right
shape whose `line` is a string, or whose `fields` maps to integers, must be
ignored, not fail three modules later. Checking half a million values one
Python call at a time would cost as much as unpickling them, so the check is
by column: all the values of one field of one class (every task's `title`,
say) are fetched and their types collected in a single C-level pass, then the
values inside them (every task's `source`, every progress entry of every
task) are checked the same way, one level of the model at a time. Types are
exact (`type(v) is str`): a subclass is not what the loader builds.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from enum import Enum
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Sequence

_FLAT = (str, int, bool, float, Enum)


def well_typed(cls: type, values: Sequence[object]) -> bool:
    """True when every value is a `cls` (a model class) whose every field, all
    the way down, holds the type the class declares."""
    return _check(cls, values)


def _check(hint: object, values: Sequence[object]) -> bool:
    """Every value has the exact type `hint` allows, and so has everything inside it."""
    if not values:
        return True
    if not set(map(type, values)) <= _types(hint):
        return False
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return all(_check(a, _of_types(values, _types(a))) for a in args if not _flat(a))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _check(args[0], list(chain.from_iterable(values)))  # type: ignore[arg-type]
    if origin is tuple:
        return set(map(len, values)) <= {len(args)} and all(  # type: ignore[arg-type]
            _check(a, list(map(itemgetter(n), values))) for n, a in enumerate(args)
        )
    if origin in (dict, collections.abc.Mapping):
        return _check(args[0], list(chain.from_iterable(values))) and _check(  # type: ignore[arg-type]
            args[1], list(chain.from_iterable(map(dict.values, values)))  # type: ignore[arg-type]
        )
    if isinstance(hint, type) and _is_record(hint):
        fields = _fields(hint)
        if issubclass(hint, tuple) and not set(map(len, values)) <= {len(fields)}:  # type: ignore[arg-type]
            return False
        return all(_check(field, list(map(get, values))) for get, field in fields)
    return True  # a flat type: its exact type was all there was to check


def _of_types(values: Sequence[object], wanted: frozenset[type]) -> list[object]:
    return [v for v in values if type(v) in wanted]


def _flat(hint: object) -> bool:
    return isinstance(hint, type) and (issubclass(hint, _FLAT) or hint.__module__ == "datetime")


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


def _fields(cls: type) -> list[tuple[typing.Callable[[object], object], object]]:
    """(how to fetch it, its declared type) for each field of a model class."""
    known = _FIELDS.get(cls)
    if known is None:
        hints = typing.get_type_hints(cls)
        if dataclasses.is_dataclass(cls):
            known = [(attrgetter(f.name), hints[f.name]) for f in dataclasses.fields(cls)]
        else:  # a named tuple (`Source`)
            known = [(itemgetter(n), hints[name]) for n, name in enumerate(cls._fields)]  # type: ignore[attr-defined]
        for _, hint in known:
            _types(hint)  # a TypeError now for a type this module cannot check
        _FIELDS[cls] = known
    return known


_FIELDS: dict[type, list] = {}


def _is_record(cls: type) -> bool:
    return dataclasses.is_dataclass(cls) or (issubclass(cls, tuple) and hasattr(cls, "_fields"))
