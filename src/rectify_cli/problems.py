"""Problems are values: collected across a whole run, rendered once at the edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Mapping

from .values import Source


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


def count(problems: Iterable[Problem], severity: Severity) -> int:
    return sum(1 for p in problems if p.severity is severity)


def invalid(problems: Iterable[Problem]) -> bool:
    """Any error: the files are invalid (exit 2), and nothing is judged overdue."""
    return any(p.severity is Severity.ERROR for p in problems)


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


def dumps(problems: list[Problem]) -> bytes:
    """Problems as bytes `loads` reads back (the repository index keeps a validation)."""
    import pickle

    return pickle.dumps(list(problems), protocol=pickle.HIGHEST_PROTOCOL)


def loads(body: bytes) -> list[Problem] | None:
    """Problems back from `dumps`, building nothing but problems and what their
    messages hold; None for anything else."""
    import datetime as dt
    import io
    import pickle

    from .messages import Ref
    from .values import Status

    allowed = {("rectify_cli.problems", "Problem"): Problem, ("rectify_cli.problems", "Severity"): Severity,
               (Source.__module__, "Source"): Source, ("rectify_cli.messages", "Ref"): Ref,
               (Status.__module__, "Status"): Status, ("datetime", "date"): dt.date}

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> object:
            found = allowed.get((module, name))
            if found is None:
                raise pickle.UnpicklingError(f"{module}.{name} is not part of a problem")
            return found

    try:
        problems = Unpickler(io.BytesIO(body)).load()
    except Exception:  # only a cache: anything wrong with it means "validate again"
        return None
    if type(problems) is not list or not all(
        type(p) is Problem and type(p.source) is Source and type(p.key) is str and type(p.severity) is Severity
        and type(p.params) is dict and all(type(k) is str for k in p.params)
        and type(p.source.file) is str and type(p.source.line) is int and type(p.source.column) is int
        for p in problems
    ):
        return None
    return problems


def suggest(word: str, choices: Iterable[str]):
    """A "did you mean" hint (a catalogue `Ref`), or None when nothing is close."""
    import difflib

    from .messages import Ref

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return Ref("val.did_you_mean", suggestion=match[0]) if match else None
