"""The unit registry: one name per unit, whatever the plans call it.

Plans copy unit names from documents, so one unit appears as 市人力资源社会保障局
in one place and 市人社局 in another. `units:` in rectify.yaml names each unit
once, with its short names (简称) and, optionally, who answers for it there
(分管领导, 联络员). Every count and filter goes through `canonical`, so the two
spellings are one unit; with no registry, names are taken as written.
"""

from __future__ import annotations

from typing import Iterable

from .values import Unit


class Registry:
    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self.units = tuple(units)
        self._by_name: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                self._by_name.setdefault(name, unit)

    def __bool__(self) -> bool:
        return bool(self.units)

    def find(self, name: str) -> Unit | None:
        return self._by_name.get(name.strip())

    def canonical(self, name: str) -> str:
        """The registered name of a unit, or the name as written when it is not registered."""
        unit = self.find(name)
        return unit.name if unit is not None else name

    def canonical_all(self, names: Iterable[str]) -> tuple[str, ...]:
        if not self._by_name:  # no registry: names as written (every task of every ledger asks)
            return tuple(dict.fromkeys(names))
        return tuple(dict.fromkeys(self.canonical(n) for n in names))

    def suggestion(self, name: str) -> str | None:
        import difflib  # only when a name is not found: not on the path of every run

        close = difflib.get_close_matches(name, list(self._by_name), n=1, cutoff=0.5)
        return self._by_name[close[0]].name if close else None
