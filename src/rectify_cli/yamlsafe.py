"""Turning untrusted text into a YAML node tree, safely.

Nothing is ever constructed from a file: we only *compose* nodes (which keeps
line and column of every value) and the loader reads the few shapes the
format defines. This module owns everything that can go wrong between a
file's text (see `textfile` for its bytes: size, encoding, binary content) and
its nodes: syntax, nesting that would crash the C parser, tags and alias bombs.
"""

from __future__ import annotations

import re

import yaml

from .messages import Ref, yaml_problem
from .model import Source
from .problems import Problem, error

try:  # the C parser is the hot path of every command
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    _Base = yaml.SafeLoader

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


# A plain scalar's tag depends on its text alone, and a ledger repeats its
# texts (keys, units, statuses, dates): remember them, within bounds.
_PLAIN_TAGS: dict[str, str] = {}
_MEMO_TEXT = 64
_MEMO_SIZE = 100_000


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader with a leaner implicit-tag resolver.

    Even the C composer calls back into Python to resolve every scalar's tag,
    and PyYAML's general resolver (path resolvers, wildcard lists, list
    concatenation) was a third of composing time. This one applies the same
    SafeLoader regular expressions in the same order; it only skips the
    machinery SafeLoader never uses (no path or wildcard resolvers), and a
    test checks that it resolves exactly as SafeLoader does.
    """

    def resolve(self, kind: type, value: object, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag = _PLAIN_TAGS.get(value)  # type: ignore[arg-type]
                if tag is None:
                    tag = self._resolve_plain(value)  # type: ignore[arg-type]
                    if len(value) <= _MEMO_TEXT and len(_PLAIN_TAGS) < _MEMO_SIZE:  # type: ignore[arg-type]
                        _PLAIN_TAGS[value] = tag  # type: ignore[index]
                return tag
            return _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG

    def _resolve_plain(self, value: str) -> str:
        if value == "":
            return _NULL_TAG
        for tag, regexp in self.yaml_implicit_resolvers.get(value[0], ()):
            if regexp.match(value):
                return tag
        return _STR_TAG

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

MAX_DEPTH = 200
# libyaml's composer recurses on the C stack and crashes somewhere above ten
# thousand levels; below this bound (computed cheaply) it is known to be safe.
_SAFE_DEPTH_BOUND = 2000
MAX_ALIAS_EXPANSION_FACTOR = 10
MAX_ALIAS_EXPANSION_FLOOR = 10_000

_STANDARD_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "binary", "merge")
) - {"tag:yaml.org,2002:binary"}

_BRACKETS = re.compile(r"[\[\]{}]")
# Exact counts, not "{n,}": finding n is enough, and an open-ended repeat over
# a 10 MB run of "- - - ..." made the regex engine hold ~650 MB of state.
_DEEP_INDENT = re.compile(r"^[ \t]{%d}" % (_SAFE_DEPTH_BOUND // 2), re.M)
_DEEP_SPACES = " " * (_SAFE_DEPTH_BOUND // 2)
_COMPACT_ITEMS = _SAFE_DEPTH_BOUND // 4
_COMPACT_RUN = re.compile(r"(?:[-?] +){%d}" % _COMPACT_ITEMS)


def compose(text: str, display: str) -> tuple[yaml.Node | None, Problem | None]:
    """The single document's node tree, or the one problem that prevents it."""
    if not text.strip() or _only_comments(text):
        return None, error(Source(display), "load.empty")
    depth_problem = _check_depth(text, display)
    if depth_problem:
        return None, depth_problem
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return None, _syntax_problem(exc, display, text)
    except yaml.reader.ReaderError as exc:  # a control or non-printable character
        return None, _reader_problem(exc, display, text)
    except yaml.YAMLError as exc:  # unmarked: rare
        problem = " ".join(str(exc).split())  # one line, whatever the parser said
        return None, error(Source(display), "load.syntax", problem=yaml_problem(problem), hint="")
    if node is None:
        return None, error(Source(display), "load.empty")
    if "!" in text:
        tag_problem = _check_tags(node, display)
        if tag_problem:
            return None, tag_problem
    if "&" in text:
        bomb = _check_alias_expansion(node, display)
        if bomb:
            return None, bomb
    return node, None


def source_of(node: yaml.Node, display: str) -> Source:
    mark = node.start_mark
    return Source(display, mark.line + 1, mark.column + 1)


def _only_comments(text: str) -> bool:
    """No line (as `str.splitlines` cuts them) has anything but blanks or a comment: no
    line's first non-blank character is other than `#`. Found where the first line with
    content starts, not by cutting a large file into lines first."""
    return _CONTENT_LINE.search(text) is None


# a line break as str.splitlines knows them (or the start), blanks, then content
_CONTENT_LINE = re.compile(r"(?:\A|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029])\s*[^\s#]")


def _syntax_problem(exc: yaml.MarkedYAMLError, display: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    src = Source(display, mark.line + 1, mark.column + 1) if mark else Source(display)
    if isinstance(exc, yaml.composer.ComposerError) and "single document" in (exc.context or ""):
        return error(src, "load.multiple_documents")
    problem = exc.problem or exc.context or "?"
    hint = Ref("load.syntax_hint")
    if mark is not None:
        lines = text.splitlines()
        line_text = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line_text[: mark.column + 1]:
            hint = Ref("load.syntax_tab_hint")
    return error(src, "load.syntax", problem=yaml_problem(problem), hint=hint)


def _reader_problem(exc: yaml.reader.ReaderError, display: str, text: str) -> Problem:
    """PyYAML says "position N" on two lines; we say file:line:column on one."""
    position = exc.position if isinstance(exc.position, int) and 0 <= exc.position <= len(text) else None
    if position is None:
        return error(Source(display), "load.control_char", char="?")
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    return error(Source(display, line, column), "load.control_char", char=f"U+{code:04X}")


def _check_depth(text: str, display: str) -> Problem | None:
    """Refuse nesting deeper than MAX_DEPTH without ever handing it to libyaml."""
    bound = 1 + _flow_depth_bound(text)
    # a run of N compact "- " entries needs N "- " in the text: count (C speed) before searching
    compact = text.count("- ") + text.count("? ") >= _COMPACT_ITEMS and _COMPACT_RUN.search(text)
    # an indentation that deep holds a run of spaces that long, or a tab: look for those first (C speed)
    deep = (_DEEP_SPACES in text or "\t" in text) and _DEEP_INDENT.search(text)
    if compact or deep:
        bound += _SAFE_DEPTH_BOUND
    if bound <= MAX_DEPTH:
        return None
    if bound <= _SAFE_DEPTH_BOUND:
        return None  # composing is safe; the loader never reads that deep anyway
    depth, where = _event_depth(text)
    if depth > MAX_DEPTH:
        return error(Source(display, where[0], where[1]), "load.too_deep", limit=MAX_DEPTH)
    return None


def _flow_depth_bound(text: str) -> int:
    """An upper bound of flow nesting; past the safe bound only "more" matters
    (the exact depth comes from the event stream), so stop counting there."""
    opened = text.count("[") + text.count("{")
    if opened <= _SAFE_DEPTH_BOUND:
        return min(opened, MAX_DEPTH)  # safe to compose; deeper than MAX_DEPTH is what to refuse
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > _SAFE_DEPTH_BOUND:
                    return deepest
        elif depth:
            depth -= 1
    return deepest


def _event_depth(text: str) -> tuple[int, tuple[int, int]]:
    """Exact nesting depth from the event stream (iterative, safe at any depth)."""
    depth = deepest = 0
    where = (1, 1)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    where = (event.start_mark.line + 1, event.start_mark.column + 1)
                if depth > MAX_DEPTH:
                    break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass  # compose reports the syntax error properly
    return deepest, where


def _walk_distinct(root: yaml.Node):
    """Every distinct node once, iteratively (aliases share node objects)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)


def _check_tags(root: yaml.Node, display: str) -> Problem | None:
    for node in _walk_distinct(root):
        if node.tag not in _STANDARD_TAGS:
            return error(source_of(node, display), "load.tag", tag=_short_tag(node.tag))
    return None


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


def _check_alias_expansion(root: yaml.Node, display: str) -> Problem | None:
    """Refuse documents whose aliases would expand far beyond their own size."""
    order = _post_order(root)
    limit = max(MAX_ALIAS_EXPANSION_FLOOR, MAX_ALIAS_EXPANSION_FACTOR * len(order))
    size: dict[int, int] = {}
    for node in order:
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = ()
        total = 1
        for child in children:
            # Post-order: every child is sized before its parent, unless it *is* an
            # ancestor: `&a [*a]` composes to a cycle, which would expand forever.
            child_size = size.get(id(child))
            if child_size is None:
                return error(source_of(node, display), "load.alias_cycle")
            total += child_size
        size[id(node)] = total
        if total > limit:
            return error(source_of(node, display), "load.alias_bomb", limit=limit)
    return None


def _post_order(root: yaml.Node) -> list[yaml.Node]:
    order: list[yaml.Node] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, False) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, False))
                stack.append((value, False))
    return order
