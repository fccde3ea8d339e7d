"""A file's own checks, and reading a whole ledger with each file's own work done where it is parsed.

A first run (an empty cache, a new version of rectify) reads every plan file,
on every core (`parse_pool`). What the repository index keeps of a file (its
rows, `indexed.file_rows`) and the file's own checks (`own_checks`, which read
the ledger's plans beside the file) are made in the worker that parsed it, so
that the parent process neither decodes every file's model nor checks every
file alone on one core once the workers are done: the models come back
encoded, and are decoded when a command needs one.

The plans are read first, here, from the files that say `kind: plan`. Checks
made with other plans than the ledger turns out to have (a plan file this
quick look missed) are not used: `incremental` makes them again, as it does for a
file whose parse came from the cache.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import problems as problem_list
from .cache import Parsed
from .config import Config
from .model import Plan, Repository
from .problems import Problem
from .validate import Numbered, validate_file

# A top-level `kind: plan` line, as `reader` reads it (quoted or not, a comment after it).
_PLAN_KIND = re.compile(r"kind:[ \t]*(['\"]?)plan\1[ \t]*(?:#.*)?\r?$", re.M)

FileParse = tuple[str, str, "Parsed | bytes", list[Problem], "bytes | None"]  # (name, text, parse, problems, rows)
Read = Callable[[str], "tuple[str | None, Problem | None]"]  # a file's text by its name, or why it has none
# (name, read) sources -> FileParses, given what to make of each clean parse (rows=) and
# whether a worker's parse is decoded (decode=): `loader.parse_sources`
ParseFiles = Callable[..., list[FileParse]]
Checks = tuple[bytes, tuple]  # a file's own problems (`problems.dumps`, each tagged with its check), its look-ups


def read_beside(plans: tuple[Plan, ...]) -> list:
    """What a file's own checks read of the ledger's plans (see `validate.CHECKS`)."""
    return [(p.id, p.require_evidence, p.events) for p in plans]


def own_checks(display: str, parsed: Parsed, tree, config: Config, plans: tuple[Plan, ...]) -> tuple[Numbered, tuple]:
    """One file's own checks (`validate.validate_file`) with the look-ups they made of the tree."""
    plans_, issues, tasks, suggestions, outcomes = parsed
    recorded = Recorded(tree)
    repo = Repository(tuple(plans_), tuple(issues), tuple(tasks), (display,), tuple(suggestions), tuple(outcomes))
    return validate_file(repo, recorded, config, plans), tuple(recorded.look_ups)


def kept(found: Numbered, look_ups: tuple) -> Checks:
    """A file's own checks as the index keeps them: each problem tagged with its check's number,
    so that they are put back in the order `validate` reports them (see `incremental`)."""
    return problem_list.dumps([tagged(n, p) for n, p in found]), look_ups


def tagged(number: int, problem: Problem) -> Problem:
    return Problem(problem.source, problem.key, {**problem.params, "@check": number}, problem.severity)


def numbered(problems: list[Problem]) -> Numbered | None:
    """`tagged` problems back as (check number, problem); None when one carries no number."""
    out = []
    for problem in problems:
        params = dict(problem.params)
        number = params.pop("@check", None)
        if type(number) is not int:
            return None
        out.append((number, Problem(problem.source, problem.key, params, problem.severity)))
    return out


class Recorded:
    """A tree that notes each look-up validation makes of it (is this evidence file there?)."""

    def __init__(self, tree) -> None:
        self._tree = tree
        self.look_ups: list[tuple[str, str, str, str | None]] = []

    def look_up(self, file: Path, entry: str) -> tuple[str, str | None]:
        found = self._tree.look_up(file, entry)
        self.look_ups.append((str(file), entry, *found))
        return found

    def __getattr__(self, name: str):
        return getattr(self._tree, name)


@dataclass
class Checked:
    """The files' own checks made where each was parsed, and what they read of the plans (`read_beside`)."""

    plans: object = None
    by_file: dict[str, Checks] = field(default_factory=dict)


def read_all(names: Sequence[str], read: Read, parse_files: ParseFiles, config: Config, tree,
             rows: Callable[[str, Parsed], bytes]) -> tuple[list[FileParse], Checked]:
    """Every file of `names` read and parsed, in their order: the plan files first, here;
    then the others where they are parsed, each with its `rows` and its own checks (a
    parse from a worker still encoded: bytes). A parse the cache kept has neither."""
    texts = {name: read(name) for name in names}
    first = [name for name in names if texts[name][1] is None and _says_plan(texts[name][0] or "")]
    parsed_first = parse_files([(name, _given(texts, name)) for name in first], rows=rows)
    plans = tuple(plan for _, _, parsed, problems, _ in parsed_first if not problems for plan in parsed[0])  # type: ignore[index]
    checked = Checked(read_beside(plans))

    def work(display: str, parsed: Parsed) -> bytes:
        """Where the file is parsed: its rows and its own checks, as one value."""
        return pickle.dumps((rows(display, parsed), *kept(*own_checks(display, parsed, tree, config, plans))),
                            protocol=pickle.HIGHEST_PROTOCOL)

    chosen = set(first)
    out = {item[0]: item for item in parsed_first}
    for name, text, parsed, problems, made in parse_files(
            [(name, _given(texts, name)) for name in names if name not in chosen], rows=work, decode=False):
        if made is not None and not problems:
            made, *checks = pickle.loads(made)  # made by this process's own code, here or in a worker forked from here
            checked.by_file[name] = tuple(checks)  # type: ignore[assignment]
        out[name] = (name, text, parsed, problems, made)
    return [out[name] for name in names], checked


def _says_plan(text: str) -> bool:
    """Whether a line of the text is a top-level `kind: plan`: each line that starts with
    `kind:` is found by str's own search (a pattern over 19 MB of tasks took 60 ms)."""
    at = 0 if text.startswith("kind:") else text.find("\nkind:") + 1  # where a `kind:` line starts
    if at == 0 and not text.startswith("kind:"):
        return False
    while True:
        end = text.find("\n", at)
        if _PLAN_KIND.match(text, at, end if end >= 0 else len(text)):
            return True
        at = text.find("\nkind:", at) + 1
        if at == 0:
            return False


def _given(texts: dict, name: str) -> Callable[[], tuple]:
    return lambda: texts[name]
