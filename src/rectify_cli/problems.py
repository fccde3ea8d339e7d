"""Problems are values: collected across a whole run, rendered once at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from .model import Source


class Severity(str, Enum):
    ERROR = "error"  # the files are invalid: exit 2
    VIOLATION = "violation"  # valid, but a ledger rule is broken: exit 1
    WARNING = "warning"  # worth saying, never fails a run


@dataclass(frozen=True, slots=True)
class Problem:
    source: Source
    key: str  # a key of the message catalogue
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity = Severity.ERROR

    def render(self, lang: str = "zh") -> str:
        from .messages import text

        return f"{self.source}: {text(self.key, lang, **self.params)}"


def error(source: Source, key: str, /, **params: Any) -> Problem:
    return Problem(source, key, params, Severity.ERROR)


def violation(source: Source, key: str, /, **params: Any) -> Problem:
    return Problem(source, key, params, Severity.VIOLATION)


def warning(source: Source, key: str, /, **params: Any) -> Problem:
    return Problem(source, key, params, Severity.WARNING)


class MessageError(Exception):
    """An error told to the user as one catalogue message (`key` with `params`), in
    the reader's language, never as a traceback."""

    def __init__(self, key: str, /, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class ProblemError(MessageError):
    """Raised only where a problem must stop the current computation (e.g. a rule
    that cannot be parsed); the caller turns it back into a `Problem` value."""

    def at(self, source: Source, severity: Severity = Severity.ERROR) -> Problem:
        return Problem(source, self.key, self.params, severity)
