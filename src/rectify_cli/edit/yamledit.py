"""Byte-preserving YAML text surgery, guided by composed nodes' marks.

Why not a round-trip library: a ledger is reviewed as a git diff, so an edit
must change only the lines it needs. Round-trip dumpers re-emit the whole
document (re-indenting sequences, re-spacing flow mappings and comments,
turning CRLF into LF). Here the text is never re-emitted: every operation
splices new text into exact character spans taken from the composed node tree
(`mark.index` counts characters of the decoded text, CRLF as two), so bytes
outside the splice cannot change by construction.

Each operation takes the text and a node of *that* text and returns new text;
callers re-compose between operations. New values are written plain when YAML
reads them back unchanged, else quoted (checked by reading them back).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Sequence

import yaml

from .. import yamlsafe
from ..messages import Ref
from ..problems import ProblemError

T = "tag:yaml.org,2002:"
STR, NULL, TIMESTAMP = T + "str", T + "null", T + "timestamp"
TEXT = (STR,)
DATE = (TIMESTAMP,)
EXPR = (STR, TIMESTAMP)

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader
_READERS = tuple(dict.fromkeys((_Loader, yaml.SafeLoader)))


def compose(text: str, display: str) -> yaml.MappingNode:
    """The document's root mapping, composed with every safety check of the loader."""
    node, problem = yamlsafe.compose(text, display)
    if problem is not None:
        raise ProblemError("edit.unreadable", file=display, detail=Ref(problem.key, **problem.params))
    if not isinstance(node, yaml.MappingNode):
        raise ProblemError("edit.unreadable", file=display, detail=Ref("load.top_not_mapping", found=""))
    return node


def eol_of(text: str) -> str:
    """The file's line ending, taken from its first line (CRLF stays CRLF)."""
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


# -- rendering new scalars ---------------------------------------------------
def render(value: str, *, flow: bool, tags: Sequence[str] = TEXT, prefer: str | None = None) -> str:
    """`value` as YAML that reads back as exactly `value`: plain when possible.

    `prefer` is the quote style of the value being replaced, kept when it works.
    """
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise ProblemError("edit.bad_text", value=value.encode("utf-8", "replace").decode())
    single = "'" + value.replace("'", "''") + "'"
    double = _double_quoted(value)
    candidates = [value, single, double]
    if prefer == "'":
        candidates.insert(0, single)
    elif prefer == '"':
        candidates.insert(0, double)
    for candidate in candidates:
        if _reads_back(candidate, value, flow, tags):
            return candidate
    raise ProblemError("edit.bad_text", value=value)  # pragma: no cover - double quotes escape everything


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _double_quoted(value: str) -> str:
    """A double-quoted scalar escaping everything YAML would not take raw
    (control characters, line separators, the BOM)."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF) or 0xFFFE <= code <= 0xFFFF:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _reads_back(candidate: str, value: str, flow: bool, tags: Sequence[str]) -> bool:
    if "\n" in candidate or "\r" in candidate:
        return False
    probes = [f"k: {candidate}\n"] + ([f"[{candidate}]", f"{{k: {candidate}}}"] if flow else [])
    for probe in probes:
        for loader in _READERS:  # libyaml and pure-Python PyYAML differ on edge cases (tabs)
            if not _probe(probe, loader, value, tags):
                return False
    return True


def _probe(probe: str, loader: type, value: str, tags: Sequence[str]) -> bool:
    try:
        root = yaml.compose(probe, Loader=loader)
    except yaml.YAMLError:
        return False
    if isinstance(root, yaml.SequenceNode):
        nodes = root.value
    elif isinstance(root, yaml.MappingNode):
        nodes = [v for _, v in root.value]
    else:
        return False
    return (
        len(nodes) == 1 and isinstance(nodes[0], yaml.ScalarNode)
        and nodes[0].value == value and nodes[0].tag in tags
    )


@dataclass(frozen=True, slots=True)
class Field:
    """One key of a new mapping item, with the tags its value may read back as."""

    key: str
    value: str
    tags: Sequence[str] = TEXT
    raw: bool = False  # value is YAML already (e.g. a flow list)

    def yaml(self, flow: bool) -> str:
        return self.value if self.raw else render(self.value, flow=flow, tags=self.tags)


def flow_mapping(fields: Sequence[Field], padded: bool = False) -> str:
    inner = ", ".join(f"{f.key}: {f.yaml(True)}" for f in fields)
    return "{ " + inner + " }" if padded else "{" + inner + "}"


def flow_list(values: Sequence[str], tags: Sequence[str] = TEXT) -> str:
    return "[" + ", ".join(render(v, flow=True, tags=tags) for v in values) + "]"


# -- positions ---------------------------------------------------------------
def get(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL


def content_end(text: str, node: yaml.Node) -> int:
    """Where a node's own content ends: block collections end at their last
    child (their marks run on over comments and blank lines), block scalars
    before trailing blank lines (unless kept with `+`)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return content_end(text, node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return content_end(text, node.value[-1])
    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        header = text[start : text.find("\n", start) if "\n" in text[start:end] else end]
        if "+" not in header:
            return _trim_blank_tail(text, start, end)
    return end


def _trim_blank_tail(text: str, start: int, end: int) -> int:
    p = end
    while p > start and text[p - 1] == "\n":
        q = max(text.rfind("\n", start, p - 1) + 1, start)
        if q <= start or text[q:p].strip():
            return p
        p = q
    return p


def line_end(text: str, pos: int) -> int:
    """The start of the line after the one holding `pos` (pos itself at a line start)."""
    if pos == 0 or text[pos - 1] == "\n":
        return pos
    i = text.find("\n", pos)
    return len(text) if i < 0 else i + 1


def after_colon(text: str, key: yaml.Node) -> int:
    """Just after the `:` that follows a key."""
    i = text.find(":", key.end_mark.index)
    return i + 1 if i >= 0 else key.end_mark.index


def key_column(mapping: yaml.MappingNode) -> int:
    return mapping.value[0][0].start_mark.column if mapping.value else mapping.start_mark.column


def splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def insert_lines(text: str, pos: int, lines: Sequence[str]) -> str:
    """Whole lines at a line start, in the file's line ending."""
    eol = eol_of(text)
    block = "".join(line + eol for line in lines)
    if pos == len(text) and text and not text.endswith("\n"):
        block = eol + block[: -len(eol)]
    return splice(text, pos, pos, block)


# -- operations ----------------------------------------------------------------
def set_scalar(text: str, mapping: yaml.MappingNode, key: str, value: str, *,
               tags: Sequence[str] = TEXT, order: Sequence[str] = ()) -> str:
    """Set `key` to a scalar: replace the old value's exact span, or add the key."""
    flow = bool(mapping.flow_style)
    pair = get(mapping, key)
    if pair is None:
        return insert_key(text, mapping, key, render(value, flow=flow, tags=tags), (), order)
    key_node, old = pair
    prefer = old.style if isinstance(old, yaml.ScalarNode) and old.style in ("'", '"') else None
    return replace_value(text, key_node, old, render(value, flow=flow, tags=tags, prefer=prefer))


def replace_value(text: str, key_node: yaml.Node, old: yaml.Node, new: str) -> str:
    """Put `new` (one line of YAML) where a key's value is, whatever shape it had."""
    start, end = old.start_mark.index, old.end_mark.index
    if isinstance(old, yaml.ScalarNode):
        if old.style in ("|", ">"):  # its span runs to the next line: keep that line break
            end = content_end(text, old)
            return splice(text, start, end, new + (eol_of(text) if text[start:end].endswith("\n") else ""))
        return splice(text, start, end, " " + new if start == end else new)
    if getattr(old, "flow_style", False):
        return splice(text, start, end, new)
    start = after_colon(text, key_node)
    return splice(text, start, content_end(text, old), " " + new + _comment_after(text, start))


def _comment_after(text: str, start: int) -> str:
    """A comment on the rest of the line from `start`, with the spaces before it
    (`support:   # 配合单位`): it stays when the block below is replaced."""
    line = text[start : line_end(text, start)].rstrip("\r\n")
    stripped = line.lstrip(" \t")
    return line if stripped.startswith("#") else ""


def set_list(text: str, mapping: yaml.MappingNode, key: str, values: Sequence[str], *,
             tags: Sequence[str] = TEXT, order: Sequence[str] = ()) -> str:
    """Replace a list of scalars wholesale, keeping block or flow style."""
    pair = get(mapping, key)
    if pair is None or not isinstance(pair[1], yaml.SequenceNode) or pair[1].flow_style or not values:
        rendered = flow_list(values, tags)
        if pair is None:
            return insert_key(text, mapping, key, rendered, (), order)
        return replace_value(text, pair[0], pair[1], rendered)
    old = pair[1]
    dash = old.start_mark.column
    gap = max(old.value[0].start_mark.column - dash - 1, 1) if old.value else 1
    lines = [("-" + " " * gap + render(v, flow=False, tags=tags)) for v in values]
    eol = eol_of(text)
    body = (eol + " " * dash).join(lines)
    return splice(text, old.start_mark.index, content_end(text, old), body)


def remove_key(text: str, mapping: yaml.MappingNode, key: str) -> str:
    """Remove a key and its value: its whole line(s) in a block mapping, the pair
    in a flow one. A key that shares its line with what comes before it (the
    first key of a list item, `- done: ...`) keeps its line, its value emptied to null."""
    pair = get(mapping, key)
    if pair is None:
        return text
    key_node, value = pair
    pairs = mapping.value
    i = next(n for n, (k, _) in enumerate(pairs) if k is key_node)
    if mapping.flow_style:
        if i > 0:  # `, key: value` after the previous pair
            return splice(text, content_end(text, pairs[i - 1][1]), value.end_mark.index, "")
        if len(pairs) > 1:  # `key: value, ` up to the next key
            return splice(text, key_node.start_mark.index, pairs[1][0].start_mark.index, "")
        return splice(text, key_node.start_mark.index, value.end_mark.index, "")
    start = text.rfind("\n", 0, key_node.start_mark.index) + 1
    if text[start:key_node.start_mark.index].strip():
        return replace_value(text, key_node, value, "null")
    # an empty value's marks point at whatever follows it, maybe the next line
    empty = value.start_mark.index == value.end_mark.index
    end = after_colon(text, key_node) if empty else content_end(text, value)
    return splice(text, start, line_end(text, end), "")


def insert_key(text: str, mapping: yaml.MappingNode, key: str, inline: str,
               extra: Sequence[str], order: Sequence[str]) -> str:
    """Add a key the mapping lacks, after the key that precedes it in `order`
    (the file format's key order), else after the last key; at the keys' indentation."""
    anchor = _anchor(mapping, key, order)
    name = render(key, flow=bool(mapping.flow_style))
    if mapping.flow_style:
        pos = content_end(text, anchor) if anchor is not None else mapping.start_mark.index + 1
        sep = ", " if anchor is not None else ""
        return splice(text, pos, pos, f"{sep}{name}: {inline}")
    col = key_column(mapping)
    head = " " * col + name + ":" + (" " + inline if inline else "")
    pos = line_end(text, content_end(text, anchor if anchor is not None else mapping))
    return insert_lines(text, pos, [head, *extra])


def _anchor(mapping: yaml.MappingNode, key: str, order: Sequence[str]) -> yaml.Node | None:
    if not mapping.value:
        return None
    rank = {k: i for i, k in enumerate(order)}
    target = rank.get(key)
    if target is not None:
        before = [(rank[k.value], v) for k, v in mapping.value if getattr(k, "value", None) in rank and rank[k.value] < target]
        if before:
            return max(before, key=lambda rv: rv[0])[1]
    return mapping.value[-1][1]


@dataclass(frozen=True, slots=True)
class ListStyle:
    """How a new list is written: `[a, b]` or a block, with items as `{...}` or keys."""

    flow: bool
    item_flow: bool = True
    offset: int = 2  # columns from the key to its `-`


def append(text: str, root: yaml.MappingNode, mapping: yaml.MappingNode, key: str,
           item: str | Sequence[Field], *, tags: Sequence[str] = TEXT,
           order: Sequence[str] = (), block_items: bool = False) -> str:
    """Append one item (a scalar, or a mapping given as fields) to the list at `key`,
    in the style of the list's existing items, or of the same key elsewhere in the file."""
    is_map = not isinstance(item, str)
    pair = get(mapping, key)
    old = pair[1] if pair else None
    if isinstance(old, yaml.SequenceNode) and old.value:
        last = old.value[-1]
        if old.flow_style:
            pos = content_end(text, last)
            return splice(text, pos, pos, ", " + _flow_item(text, item, tags, last))
        dash = old.start_mark.column
        gap = max(last.start_mark.column - dash - 1, 1)
        item_flow = not isinstance(last, yaml.MappingNode) or bool(last.flow_style)
        lines = _block_item(text, item, tags, dash, gap, item_flow, last)
        return insert_lines(text, line_end(text, content_end(text, last)), lines)
    style = list_style(root, key, is_map, block_items)
    if mapping.flow_style:
        style = ListStyle(flow=True)
    if old is None:
        if style.flow:
            return insert_key(text, mapping, key, "[" + _flow_item(text, item, tags, None) + "]", (), order)
        col = key_column(mapping) + style.offset
        return insert_key(text, mapping, key, "", _block_item(text, item, tags, col, 1, style.item_flow, None), order)
    key_node = pair[0]
    if isinstance(old, yaml.ScalarNode) and not is_null(old) and not is_map:  # a single string, now a list
        prior = text[old.start_mark.index:old.end_mark.index]
        if old.style not in ("'", '"') or "\n" in prior:
            prior = render(old.value, flow=True)
        return replace_value(text, key_node, old, f"[{prior}, {render(item, flow=True, tags=tags)}]")
    if isinstance(old, yaml.SequenceNode) and (not is_map or style.flow):  # an empty [] stays flow
        pos = old.start_mark.index + 1
        return splice(text, pos, pos, _flow_item(text, item, tags, None))
    if not (is_null(old) or isinstance(old, yaml.SequenceNode)):
        raise ProblemError("edit.not_a_list", key=key_node.value)
    if style.flow:
        return replace_value(text, key_node, old, "[" + _flow_item(text, item, tags, None) + "]")
    # null or [] becoming a block list: the value goes, the items follow the key's line
    start, end = after_colon(text, key_node), content_end(text, old)
    col = key_node.start_mark.column + style.offset
    lines = _block_item(text, item, tags, col, 1, style.item_flow, None)
    pos = line_end(text, end)
    text = insert_lines(text, pos, lines)
    return splice(text, start, end, "")


def _flow_item(text: str, item: str | Sequence[Field], tags: Sequence[str], like: yaml.Node | None) -> str:
    if isinstance(item, str):
        return render(item, flow=True, tags=tags)
    padded = like is not None and text[like.start_mark.index:like.start_mark.index + 2] == "{ "
    return flow_mapping(item, padded)


def _block_item(text: str, item: str | Sequence[Field], tags: Sequence[str], dash: int, gap: int,
                item_flow: bool, like: yaml.Node | None) -> list[str]:
    lead = " " * dash + "-" + " " * gap
    if isinstance(item, str):
        return [lead + render(item, flow=False, tags=tags)]
    if item_flow:
        return [lead + _flow_item(text, item, tags, like)]
    col = dash + 1 + gap
    return [(lead if i == 0 else " " * col) + f"{f.key}: {f.yaml(False)}" for i, f in enumerate(item)]


def list_style(root: yaml.MappingNode, key: str, is_map: bool, block_items: bool = False) -> ListStyle:
    """Mirror how this file already writes a list: the same key elsewhere first,
    then any block list under a key; else `[a]` for scalars, block of `{...}` items for mappings."""
    same, other = None, None
    for parent_key, seq in _keyed_lists(root):
        if parent_key.value == key and same is None:
            same = (parent_key, seq)
        elif other is None and not seq.flow_style:
            other = (parent_key, seq)
    default_offset = 2
    if other is not None:
        default_offset = max(other[1].start_mark.column - other[0].start_mark.column, 0)
    if same is not None:
        k, seq = same
        if seq.flow_style:
            return ListStyle(flow=True)
        first = seq.value[0]
        item_flow = not isinstance(first, yaml.MappingNode) or bool(first.flow_style)
        return ListStyle(False, item_flow, max(seq.start_mark.column - k.start_mark.column, 0))
    if not is_map:
        return ListStyle(flow=True)
    return ListStyle(False, not block_items, default_offset)


def _keyed_lists(root: yaml.Node):
    """Every non-empty list that is a key's value, in document order."""
    stack = deque([root])
    seen: set[int] = set()
    while stack:
        node = stack.popleft()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(v, yaml.SequenceNode) and v.value and isinstance(k, yaml.ScalarNode):
                    yield k, v
                stack.append(v)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
