"""What resolving a deadline rule gives: a date (or a state) and how it was found.

Kept apart from the engine (`rules`, with its parser) because the judge reads
answers far more often than it works them out: a warm run takes every answer
from the kept ones (see `deadlines`) and imports neither the parser nor the
calendar arithmetic of `rules`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, NamedTuple

from .messages import text as render


class ExplanationLine(NamedTuple):
    """One line of an explanation: a catalogue key and its parameters."""

    key: str
    params: Mapping[str, Any] = MappingProxyType({})

    def render(self, lang: str = "zh") -> str:
        return render(self.key, lang, **self.params)


def step(key: str, **params: Any) -> ExplanationLine:
    """One line of an explanation (see `rules`): made for most rules resolved, so without
    the named tuple's own constructor (a Python function)."""
    return _new_line(ExplanationLine, (key, MappingProxyType(params)))


_new_line = tuple.__new__


@dataclass(frozen=True, slots=True)
class Resolution:
    kind: str  # "date" | "pending" | "ongoing"
    due: dt.date | None = None  # set only when kind == "date"
    start: dt.date | None = None  # windows
    provisional: bool = False
    # The steps, or a function making them: most resolutions are never
    # explained, and naming the holidays counted through costs more than
    # counting them.
    explanation: tuple[ExplanationLine, ...] | Callable[[], tuple[ExplanationLine, ...]] = field(
        default=(), repr=False, compare=False
    )

    @property
    def steps(self) -> tuple[ExplanationLine, ...]:
        """How the date was found, one `ExplanationLine` per fact."""
        steps = self.explanation
        if callable(steps):
            steps = tuple(steps())
            object.__setattr__(self, "explanation", steps)
        return steps

    def explain(self, lang: str = "zh") -> str:
        """All steps on one line."""
        return ("；" if lang == "zh" else "; ").join(s.render(lang) for s in self.steps)
