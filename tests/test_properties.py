"""Property-based tests: whatever bytes, YAML or deadline text comes in, the only
outcomes are a result or clean problems: never an exception, every problem
renderable in both languages (no missing parameter) and located in a named file.

The same properties run for minutes, unbounded, in fuzz/ (see SECURITY.md)."""

from __future__ import annotations

import datetime as dt
import string

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from rectify_cli import messages
from rectify_cli.calendar import calendar_for
from rectify_cli.loader import load_blobs
from rectify_cli.model import CalendarSpec, Source
from rectify_cli.problems import Problem, ProblemError
from rectify_cli.rules import Resolution, Resolver, parse_rule

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAME = "plans/fuzz.yaml"


# --- what a clean problem is ------------------------------------------------------------


def assert_renders(key: str, params: dict, lang: str) -> str:
    """Format the catalogue template strictly: `messages.text` would hide a KeyError."""
    return messages.strict_text(key, lang, **params)  # KeyError / IndexError / ValueError fail the test


def assert_clean(problem: Problem, name: str = NAME) -> None:
    assert isinstance(problem, Problem)
    assert isinstance(problem.source, Source) and problem.source.file == name
    assert problem.source.line >= 0 and problem.source.column >= 0
    for lang in ("zh", "en"):
        assert_renders(problem.key, dict(problem.params), lang)
        line = problem.render(lang)
        assert "\n" not in line.replace(str(problem.source), ""), line  # one line per problem


def load_clean(data: bytes) -> None:
    repo, problems = load_blobs([(NAME, data)])
    assert repo.files == (NAME,)
    for problem in problems:
        assert_clean(problem)


# --- the loader ------------------------------------------------------------------------

KEYS = st.sampled_from([
    "kind", "id", "title", "plan", "issue", "issues", "tasks", "lead", "due", "status", "done",
    "events", "milestones", "phases", "window", "evidence", "progress", "extensions", "calendar",
    "extra_holidays", "country", "date", "note", "to", "approved_by", "reason", "x-mine", "<<",
])
SCALARS = (
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30) | st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d)
    | st.sampled_from(["plan", "issues", "tasks", "2025-02-30", "10000-01-01", "长期坚持", "doing",
                       "20 working days after received", "3 months after 9999-12-01", ".nan", "1e400"])
)
YAMLISH = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=8), inner, max_size=6),
    max_leaves=30,
)
DOCUMENTS = st.fixed_dictionaries(
    {"kind": st.sampled_from(["plan", "issues", "tasks"]) | SCALARS},
    optional={k: YAMLISH for k in ("id", "title", "plan", "issues", "tasks", "events", "milestones", "phases", "calendar")},
)


@SETTINGS
@given(YAMLISH | DOCUMENTS)
def test_any_yaml_shaped_data_loads_cleanly(data):
    load_clean(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@SETTINGS
@given(st.text())
def test_any_text_loads_cleanly(text):
    load_clean(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=400))
def test_any_bytes_load_cleanly(data):
    load_clean(data)


FRAGMENTS = st.sampled_from([
    "kind: plan\n", "kind: tasks\n", "id: p\n", "title: t\n", "tasks:\n", "  - id: T\n", "    due: ",
    "&a ", "*a", "<<: *a\n", "!!python/object:os.system ", "!x ", "? [a]\n", ": b\n", "[", "]", "{", "}",
    "- ", "\t", "\r\n", "---\n", "%TAG ! x\n", "'", '"\\e', "\\u202e", "\x1b", "\ufeff", "#", "9" * 30, "\n",
    "2025-02-30", "    ", ",", "|\n", ">-\n", "~",
])


@SETTINGS
@given(st.lists(FRAGMENTS | st.text(max_size=5), max_size=40).map("".join))
def test_yaml_like_fragments_load_cleanly(text):
    load_clean(text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=64), st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""]))
def test_boms_and_legacy_encodings_are_clean(tail, bom):
    load_clean(bom + "kind: plan\nid: p\ntitle: 整改\n".encode("gb18030") + tail)


# --- deadlines --------------------------------------------------------------------------

NUMBERS = st.integers(min_value=0, max_value=10**9).map(str) | st.sampled_from(["三", "二十", "两", "十二", "一百", "0", "-1", "1e400"])
UNITS_EN = st.sampled_from(["working days", "days", "weeks", "months", "business days", "calendar days", "years"])
UNITS_CN = st.sampled_from(["个工作日", "日", "天", "周", "个月", "年"])
ANCHORS = st.sampled_from(["received", "m1", "m2", "pending", "nowhere", "2025-11-05", "9999-12-31", "0001-01-01",
                           "2025-02-29", "12月31日", "2月30日", "收到意见"])
RULES = (
    st.builds(lambda n, u, d, a: f"{n} {u} {d} {a}", NUMBERS, UNITS_EN, st.sampled_from(["after", "before", "from"]), ANCHORS)
    | st.builds(lambda a, n, u: f"{a}后{n}{u}内", ANCHORS, NUMBERS, UNITS_CN)
    | st.builds(lambda y, m, p: f"{y}年{m}月{p}", st.integers(0, 10**5), st.integers(0, 20), st.sampled_from(["", "上旬", "中下旬", "底"]))
    | st.builds(lambda a, b: f"{a}至{b}", st.sampled_from(["2025年7月", "3", "12月", "9999年12月"]), st.sampled_from(["8月", "2月", "10000年1月", "2025年1月"]))
    | st.sampled_from(["ongoing", "长期坚持", "第三季度", "下半年", "2025年底", "Q4"])
    | st.text(alphabet=string.printable + "年月日旬前后内起个工作天周季度上中下至两三十", max_size=40)
    | st.text(max_size=60)
)


@SETTINGS
@given(RULES)
def test_parse_rule_gives_a_rule_or_a_clean_problem(text):
    try:
        parse_rule(text)
    except ProblemError as exc:
        assert_clean(exc.at(Source(NAME, 1, 1)))


_CALENDAR = calendar_for(CalendarSpec())


@SETTINGS
@given(RULES, st.sampled_from([None, 1, 2025, 9999]))
def test_resolver_gives_a_resolution_or_a_clean_problem(text, base_year):
    resolver = Resolver(
        _CALENDAR, base_year,
        events={"received": dt.date(2025, 11, 5), "pending": None, "收到意见": dt.date(9999, 12, 30)},
        milestones={"m1": "20 working days after received", "m2": "3 days after m3", "m3": "1 day after m2"},
    )
    try:
        result = resolver.resolve(text)
    except ProblemError as exc:
        assert_clean(exc.at(Source(NAME, 1, 1)))
        return
    assert isinstance(result, Resolution) and result.kind in ("date", "pending", "ongoing")
    assert (result.due is not None) == (result.kind == "date")
    for lang in ("zh", "en"):
        for step in result.steps:
            assert_renders(step.key, dict(step.params), lang)
