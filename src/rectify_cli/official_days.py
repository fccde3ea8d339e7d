"""What the `holidays` package says about a country's days, year by year, kept on disk.

Asking `holidays` anything first imports its whole country registry (about two
hundred modules, some 60 ms): more than everything else a small command does.
Its answer for a year never changes within one installed copy of the package,
so the answers are kept in the cache directory (see `store`) under that copy,
and a later command reads a small JSON file instead of importing the registry.
The file is sealed with a digest bound to its name (see `store`) and checked
field by field, so a damaged or planted one is ignored and the answers asked
again: the calendar is what `holidays` says, never what a file claims.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

from . import store
from .problems import ProblemError


@dataclass(frozen=True, slots=True)
class YearDays:
    holidays: tuple[tuple[int, str, str], ...]  # (ordinal, local name, English name)
    makeups: tuple[int, ...]  # weekend days worked instead (调休)


class OfficialDays:
    """One country's (and subdivision's) weekend, holidays and make-up days."""

    def __init__(self, country: str, subdiv: str | None) -> None:
        self.country, self.subdiv = country, subdiv
        self._file = _file_name(country, subdiv)
        stored = store.read_json(self._file) if self._file else None
        if _well_formed(stored):
            self.weekend = frozenset(stored["weekend"])
            self._languages = (stored["zh"], stored["en"])
            self._years = {int(y): YearDays(tuple(map(tuple, d[0])), tuple(d[1])) for y, d in stored["years"].items()}
            return
        probe = self._ask()
        self.weekend = frozenset(probe.weekend)
        supported = getattr(probe, "supported_languages", ())
        self._languages = tuple(lang if lang in supported else None for lang in ("zh_CN", "en_US"))
        self._years: dict[int, YearDays] = {}
        self._store()  # a command that asks for no year (a date window) need not ask again either

    @property
    def identity(self) -> str | None:
        """Names what `holidays` says here (its installed copy, the country and subdivision):
        the name of the file its answers are kept in; None when the copy cannot be named."""
        return self._file

    def year(self, year: int) -> YearDays:
        days = self._years.get(year)
        if days is None:
            zh, en = (self._ask(year, language) for language in self._languages)
            days = self._years[year] = YearDays(
                tuple(sorted((d.toordinal(), name, en.get(d, name)) for d, name in zh.items() if d.year == year)),
                tuple(sorted(d.toordinal() for d in getattr(zh, "weekend_workdays", ()) if d.year == year)),
            )
            self._store()
        return days

    def _ask(self, year: int | None = None, language: str | None = None):
        import holidays

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return holidays.country_holidays(self.country, subdiv=self.subdiv, years=year, language=language)
        except NotImplementedError as exc:
            if "subdivision" in str(exc):
                raise ProblemError("cal.unknown_subdiv", code=self.country, subdiv=self.subdiv) from None
            raise ProblemError("cal.unknown_country", code=self.country) from None

    def _store(self) -> None:
        if self._file:
            store.write_json(self._file, {
                "weekend": sorted(self.weekend),
                "zh": self._languages[0],
                "en": self._languages[1],
                "years": {str(y): [list(map(list, d.holidays)), list(d.makeups)] for y, d in self._years.items()},
            })


def _file_name(country: str, subdiv: str | None) -> str | None:
    copy = installed_copy()
    key = f"{country}-{subdiv or ''}"
    if copy is None or not key.replace("-", "").isalnum():  # the name is a file name: nothing odd in it
        return None
    return f"days-{copy}-{key}.json"


def installed_copy() -> str | None:
    """The installed `holidays`, named by its package files (see `store.installed_copy`)."""
    return store.installed_copy("holidays", ("__init__.py", "version.py"))


def _well_formed(stored: object) -> bool:
    """A file of the shape `_store` writes (a damaged or foreign one is ignored)."""
    if not isinstance(stored, dict) or not {"weekend", "zh", "en", "years"} <= stored.keys():
        return False
    if not isinstance(stored["weekend"], list) or not all(type(d) is int and d in range(7) for d in stored["weekend"]):
        return False
    if not all(lang is None or isinstance(lang, str) for lang in (stored["zh"], stored["en"])):
        return False
    years = stored["years"]
    return isinstance(years, dict) and all(_well_formed_year(y, d) for y, d in years.items())


_ORDINALS = range(dt.date.min.toordinal(), dt.date.max.toordinal() + 1)


def _name(value: object) -> bool:
    """A holiday's name as `holidays` gives it: text that cannot act on a terminal."""
    return type(value) is str and value.isprintable()  # no C0, C1 or bidi control (Cc, Cf)


def _well_formed_year(year: object, days: object) -> bool:
    if not isinstance(year, str) or not year.isdigit() or not isinstance(days, list) or len(days) != 2:
        return False
    holidays, makeups = days
    return (
        isinstance(holidays, list)
        and all(
            isinstance(h, list) and len(h) == 3 and type(h[0]) is int and h[0] in _ORDINALS
            and _name(h[1]) and _name(h[2])
            for h in holidays
        )
        and isinstance(makeups, list)
        and all(type(o) is int and o in _ORDINALS for o in makeups)
    )
