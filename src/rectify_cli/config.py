"""The repository's settings file, rectify.yaml, read like any plan file.

Settings shared by every plan of a repository live here (calendar overrides,
the unit registry, require_evidence); a plan's own settings win over them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from . import schema
from .values import CalendarSpec, SourceSpec, Status, SupervisionSettings as Settings, Unit
from .problems import Problem
from .tree import CONFIG_NAME, Tree, display_path
from .units import Registry

if TYPE_CHECKING:
    from .reader import Reader

CONFIG_KEYS = schema.keys("config")
UNIT_KEYS = schema.keys("unit")
SOURCE_KEYS = schema.keys("source")
_SOURCE_NAME = re.compile(r"[^\s:/\\@.][^\s:/\\@]*")
ESCALATION_KEYS = schema.keys("escalation")
COUNT_KEYS = ("blue_within", "interview_after")
DEFAULT = Settings()


@dataclass(frozen=True, slots=True)
class Config:
    calendar: CalendarSpec | None = None  # overrides under every plan's own calendar
    units: tuple[Unit, ...] = ()  # the unit registry; empty: names are taken as written
    require_evidence: Status | None = None  # every plan's, unless it says its own
    supervision: Settings = Settings()  # 销号 approvals, 回头看, reporting cadence, escalation
    sources: tuple[SourceSpec, ...] = ()  # other repositories read beside this one (see `sources`)

    @property
    def registry(self) -> Registry:
        return Registry(self.units)


def read_config(tree: Tree, paths: Sequence[Path]) -> tuple[Config, list[Problem]]:
    """The rectify.yaml that governs `paths` in `tree`, if there is one."""
    path = tree.config_file(paths)
    if path is None:
        return Config(), []
    refused = tree.config_problem(path)
    if refused is not None:
        return Config(), [refused]
    text, problem = tree.read(path)
    return parse_config(text, problem, display_path(path))


def parse_config(text: str | None, problem: Problem | None, display: str) -> tuple[Config, list[Problem]]:
    from . import yamlsafe  # only when there is a rectify.yaml to read
    from .reader import Reader

    node = None
    if problem is None:
        node, problem = yamlsafe.compose(text or "", display)
    if problem is not None:
        return Config(), [problem]
    problems: list[Problem] = []
    reader = Reader(display, problems)
    fields = reader.fields(node, CONFIG_KEYS, CONFIG_NAME) or {}
    spec = reader.calendar(fields["calendar"]) if "calendar" in fields else None
    units = tuple(_unit(reader, node) for node in reader.items(fields, "units"))
    word = reader.text(fields, "require_evidence")
    require = Status.parse(word) if word else None
    if word and (require is None or not require.completed):  # the plan key's rule: see validate
        reader.fail(fields["require_evidence"], "val.bad_require_evidence", value=word)
        require = None
    if "lang" in fields:  # read by language.py; checked here with the rest of the file
        lang = reader.scalar_text(fields["lang"], "lang")
        if lang is not None and lang.strip().lower() not in ("zh", "en"):
            reader.fail(fields["lang"], "val.bad_lang", value=lang)
    sources = _sources(reader, fields)
    return Config(calendar=spec, units=tuple(u for u in units if u is not None), require_evidence=require,
                  supervision=_supervision(reader, fields), sources=sources), problems


def _sources(reader: Reader, fields: dict) -> tuple[SourceSpec, ...]:
    found: dict[str, SourceSpec] = {}
    for node in reader.items(fields, "sources"):
        f = reader.fields(node, SOURCE_KEYS, "sources")
        if f is None:
            continue
        name, url = reader.text(f, "name"), reader.text(f, "url")
        if not name or not url:
            continue
        if not _SOURCE_NAME.fullmatch(name):  # it names a folder and a label: name@commit/plans/…
            reader.fail(f["name"], "source.bad_name", name=name)
            continue
        if name in found:
            reader.fail(f["name"], "source.duplicate", name=name, first=str(found[name].source))
            continue
        if url.startswith("-"):  # git would take it for an option
            reader.fail(f["url"], "source.bad_url", name=name, url=url)
            continue
        path = (reader.text(f, "path") or "plans").strip("/") or "."
        if path.startswith("..") or "/../" in f"/{path}/":
            reader.fail(f["path"], "source.bad_path", name=name, path=path)
            continue
        found[name] = SourceSpec(name, url, reader.text(f, "ref") or "HEAD", path, reader.src(node))
    return tuple(found.values())


def _supervision(reader: Reader, fields: dict) -> Settings:
    escalation = reader.fields(fields["escalation"], ESCALATION_KEYS, "escalation") or {} if "escalation" in fields else {}
    numbers = {key: _count(reader, escalation, key) for key in COUNT_KEYS}
    return Settings(
        requires=reader.closing(fields), review_after=reader.expr(fields, "review_after"),
        progress_every=reader.text(fields, "progress_every"),
        blue_within=numbers["blue_within"] if numbers["blue_within"] is not None else DEFAULT.blue_within,
        interview_after=numbers["interview_after"] if "interview_after" in escalation else DEFAULT.interview_after,
        reply_within=reader.text(escalation, "reply_within"),
    )


def _count(reader: Reader, fields: dict, key: str) -> int | None:
    value = reader.text(fields, key)
    if not value:
        return None
    if not value.isdigit():
        reader.fail(fields[key], "val.bad_count", key=key, value=value)
        return None
    return int(value)


def _unit(reader: Reader, node) -> Unit | None:
    f = reader.fields(node, UNIT_KEYS, "units")
    if f is None:
        return None
    return Unit(
        name=reader.text(f, "name"), aliases=reader.text_list(f, "aliases"),
        leader=reader.text(f, "leader"), contact=reader.text(f, "contact"), source=reader.src(node),
        progress_every=reader.text(f, "progress_every"), email=reader.text(f, "email"),
        webhook=reader.text(f, "webhook"), webhook_kind=reader.choice(f, "webhook_kind", schema.WEBHOOK_KINDS),
    )
