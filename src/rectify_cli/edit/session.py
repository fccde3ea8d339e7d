"""One edit from start to finish: find, change the text, judge, then (maybe) write and commit.

The order is the safety argument: the repository's lock is taken before the
first read and held until after the commit, so no other edit can slip in
between; the whole repository is re-loaded and validated with the new text in
place *before* anything touches the disk; a dry run stops there with the diff
(and takes no lock); `--commit` checks everything git needs before writing;
the write itself refuses if the file changed since it was read.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .. import textfile
from ..loader import display_path
from ..messages import Ref
from ..model import Status
from ..problems import Problem, ProblemError
from . import commit as git, lock, save
from .actions import Doc, Result
from ..workspace import Workspace
from .ledger import new_problems, open_ledger
from .locate import find
from .scaffold import Created


class Refused(ProblemError):
    """The edit would add errors or rule violations to the ledger: here they are."""

    def __init__(self, key: str, problems: Sequence[Problem], /, **params: object) -> None:
        super().__init__(key, **params)
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class FileChange:
    path: Path
    display: str
    before: bytes | None  # None: a new file
    after: bytes

    def diff(self) -> list[str]:
        """Unified diff lines, without their line endings."""
        old = _text(self.before) if self.before is not None else ""
        new = _text(self.after)
        lines = difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            "/dev/null" if self.before is None else f"a/{self.display}", f"b/{self.display}",
        )
        return [line.rstrip("\r\n") for line in lines]


@dataclass(frozen=True, slots=True)
class Outcome:
    item: str
    plan: str
    action: str
    old_status: Status | None
    new_status: Status | None
    detail: str
    changes: tuple[FileChange, ...]
    written: bool
    commit: str | None = None
    reason: str = ""
    files: tuple[Path, ...] = ()  # evidence the edit names: committed with it
    notes: tuple[Ref, ...] = ()
    warnings: tuple[Ref, ...] = ()

    lang: str = "en"  # the language of the commit subject (trailers are for machines and stay as they are)

    @property
    def subject(self) -> str:
        """The commit subject after `rectify: <id> `, in the reader's language: `推进中 → 已完成`.
        The status move, else what was done (progress keeps its note; the move it made is told as a note)."""
        from ..messages import has, text

        lang = self.lang
        if self.action == "new":
            return text("edit.subject.created", lang)
        moved = self.old_status is not None and self.new_status is not None and self.old_status != self.new_status
        if moved and self.action != "progress":
            return f"{text(f'status.{self.old_status.value}', lang)} → {text(f'status.{self.new_status.value}', lang)}"
        detail = " ".join(self.detail.split())
        detail = detail if len(detail) <= 60 else detail[:59] + "…"
        action = text(f"edit.subject.{self.action}", lang) if has(f"edit.subject.{self.action}") else self.action
        return text("edit.subject.detail", lang, action=action, detail=detail) if detail else action


EditStep = Callable[[Doc, Workspace], Result]


def edit_item(paths: Sequence[Path], ref: str, step: EditStep, *, dry_run: bool = False,
              commit: bool = False, author: str | None = None, lang: str = "en", occurrences: bool = False) -> Outcome:
    """Apply `step` to the item `ref` (an id, or PLAN:ID; with `occurrences`, also ID@DATE)."""
    _check_author(author, commit)
    with _held(paths, dry_run):
        ledger = open_ledger(paths)
        target = find(ledger, ref, occurrences)
        display = display_path(target.path)
        raw, text = read(target.path, display)
        result = step(Doc(text, display, target), ledger)
        changes = () if result.text == text else (FileChange(target.path, display, raw, encode(raw, result.text)),)
        outcome = Outcome(target.shown_id, target.plan, result.action, result.old_status, result.new_status,
                          result.detail, changes, False, reason=result.reason, files=result.files,
                          notes=result.notes, warnings=result.warnings, lang=lang)
        return finish(ledger, outcome, {target.path: result.text}, dry_run, commit, author)


def create(paths: Sequence[Path], make: Callable[[Workspace], Created], *, dry_run: bool = False,
           commit: bool = False, author: str | None = None, lang: str = "en") -> Outcome:
    """`rectify new ...`: `make` decides the id and the new texts."""
    _check_author(author, commit)
    with _held(paths, dry_run):
        ledger = open_ledger(paths)
        created = make(ledger)
        changes = []
        for new in created.files:
            display = display_path(new.path)
            raw = None
            if new.before is not None:
                raw, text = read(new.path, display)
                if text != new.before:
                    raise ProblemError("edit.changed_on_disk", file=display)
            changes.append(FileChange(new.path, display, raw, encode(raw, new.after)))
        outcome = Outcome(created.id, created.plan, "new", None, None, "", tuple(changes), False, lang=lang)
        return finish(ledger, outcome, {f.path: f.after for f in created.files}, dry_run, commit, author)


def _held(paths: Sequence[Path], dry_run: bool):
    """The repository lock for a real edit; a dry run only reads."""
    return nullcontext() if dry_run else lock.holding(paths)


def _check_author(author: str | None, commit: bool) -> None:
    if author is not None:
        if not commit:
            raise ProblemError("edit.author_without_commit")
        git.parse_author(author)


def finish(ledger: Workspace, outcome: Outcome, texts: dict[Path, str], dry_run: bool, commit: bool,
           author: str | None = None) -> Outcome:
    if not outcome.changes:
        return outcome
    check_after(ledger, texts)
    if dry_run:
        return outcome
    plan = git.prepare([c.path for c in outcome.changes], outcome.files, author) if commit else None
    save.write([(change.path, change.after, change.before) for change in outcome.changes])
    sha = None
    if plan is not None:
        sha = git.commit(plan, outcome.item, outcome.plan, outcome.action, outcome.subject, outcome.reason)
    return dataclasses.replace(outcome, written=True, commit=sha)


def check_after(ledger: Workspace, texts: dict[Path, str]) -> None:
    """Refuse an edit that would make the repository worse than it was."""
    after = open_ledger(ledger.paths, texts)
    fresh = new_problems(ledger.problems, after.problems)
    if fresh:
        raise Refused("edit.would_invalidate", fresh, count=len(fresh))


def read(path: Path, display: str) -> tuple[bytes, str]:
    """The file's bytes (to compare before writing) and its text (BOM removed)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProblemError("load.unreadable", reason=exc.strerror or str(exc)) from None
    text, problem = textfile.decode(raw, display)
    if problem is not None:
        raise ProblemError("edit.unreadable", file=display, detail=Ref(problem.key, **problem.params))
    return raw, text or ""


def encode(raw: bytes | None, text: str) -> bytes:
    bom = codecs.BOM_UTF8 if raw is not None and raw.startswith(codecs.BOM_UTF8) else b""
    return bom + text.encode("utf-8")


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")
