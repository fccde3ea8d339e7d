"""Deadline rules answered once and kept across runs, per plan and rule text: a warm run
resolves no rule it resolved before, and never keeps an answer past a change of anything
the answer depends on (events, milestones, calendar, rectify.yaml, holiday data, year)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest

from rectify_cli import index as index_module, rules, store
from rectify_cli.model import CalendarSpec

from .conftest import write, write_ledger
from .test_index import _cold, _output, _rules_files, _settle

PLAN = """kind: plan
id: p
title: 整改方案
owner: 办公室
events:
  feedback: 2025-11-05
  review:
    date: null
    names: [评议会]
milestones:
  - {id: report, title: 报告, due: 收到feedback后3个月内}
"""
ISSUES = "kind: issues\nplan: p\nissues:\n  - {id: I-1, title: 问题一}\n"
TASKS = """kind: tasks
plan: p
tasks:
  - {id: T-1, issue: I-1, title: 整改一, lead: 甲局, due: 收到feedback后20个工作日内}
  - {id: T-2, issue: I-1, title: 整改二, lead: 乙局, due: 2025-12-31}
  - {id: T-3, issue: I-1, title: 整改三, lead: 乙局, due: report前5个工作日}
  - {id: T-4, issue: I-1, title: 整改四, lead: 乙局, due: 评议会召开时}
  - {id: T-5, issue: I-1, title: 整改五, lead: 乙局, due: 长期坚持}
  - {id: T-6, issue: I-1, title: 整改六, lead: 乙局, due: 12月中下旬}
"""
DAY = ("--as-of", "2025-12-20")


@pytest.fixture
def ledger(tmp_path, monkeypatch):
    root = write_ledger(tmp_path / "ledger", PLAN, ISSUES, TASKS)
    (root / ".git").mkdir()
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


def _resolutions(monkeypatch) -> list[str]:
    """The rule texts resolved (not looked up) from now on."""
    resolved, real = [], rules.Resolver._resolve

    def resolve(self, text, stack):
        resolved.append(text)
        return real(self, text, stack)

    monkeypatch.setattr(rules.Resolver, "_resolve", resolve)
    return resolved


ARGS = [("check", "--format", "json"), ("status", "--format", "json"), ("agenda", "--format", "json")]


@pytest.mark.parametrize("args", ARGS)
def test_a_warm_run_resolves_no_rule_again(ledger, run, monkeypatch, args):
    cold = _cold(run, monkeypatch, *args, *DAY)
    assert _output(run, *args, *DAY) == cold
    assert _rules_files(ledger)
    _settle(ledger)
    resolved = _resolutions(monkeypatch)
    assert _output(run, *args, *DAY) == cold
    assert resolved == []
    assert '"T-1"' in cold[1] and "2025-12-03" in cold[1]  # 20 working days after 2025-11-05, resolved


def test_a_kept_answer_explains_itself_as_a_fresh_one(ledger, monkeypatch):
    """The steps of a kept answer are found again when asked for: the same steps."""
    from rectify_cli import evaluate, load

    def judged():
        schedule = evaluate(load("plans"), as_of=dt.date(2025, 12, 20))
        return [(s.id, s.due, s.due.explain("zh") if s.due else "") for s in (*schedule.tasks, *schedule.milestones)]

    monkeypatch.setenv("RECTIFY_NO_CACHE", "1")
    fresh = judged()
    monkeypatch.delenv("RECTIFY_NO_CACHE")
    judged()
    _settle(ledger)
    resolved = _resolutions(monkeypatch)
    kept = judged()
    assert kept == fresh
    assert any("工作日" in steps for _, _, steps in kept)
    assert resolved  # the steps were resolved again, answers were not
    assert len(resolved) < 2 * len(kept)


@pytest.mark.parametrize("change", ["event", "milestone", "rectify.yaml", "plan calendar"])
def test_a_change_the_answers_depend_on_is_not_answered_from_the_kept_ones(ledger, run, monkeypatch, change):
    args = ("check", "--format", "json", *DAY)
    before = _output(run, *args)
    _settle(ledger)
    plan = ledger / "plans" / "plan.yaml"
    if change == "event":
        plan.write_text(PLAN.replace("feedback: 2025-11-05", "feedback: 2025-11-25"), encoding="utf-8")
    elif change == "milestone":
        plan.write_text(PLAN.replace("3个月内", "1个月内"), encoding="utf-8")
    elif change == "rectify.yaml":  # office closures inside T-1's 20 working days
        write(ledger / "rectify.yaml", "calendar:\n  extra_holidays: [2025-11-20, 2025-11-21, 2025-12-03]\n")
    else:
        plan.write_text(PLAN.replace("owner: 办公室\n", "owner: 办公室\ncalendar:\n  extra_holidays: [2025-12-03]\n"),
                        encoding="utf-8")
    after = _output(run, *args)
    assert after == _cold(run, monkeypatch, *args)
    assert after != before


def test_the_key_names_everything_an_answer_depends_on():
    """Each input of a plan's resolver (see `rules.Resolver`) changes the key; its source lines do not."""
    from rectify_cli import deadlines
    from rectify_cli.model import Event, Milestone, Plan, Source

    def key(events=(("a", dt.date(2025, 1, 6)),), milestones=(("m", "a后5个工作日"),), repo=None, as_of=dt.date(2025, 6, 1),
            line=1, calendar=CalendarSpec()):
        plan = Plan(id="p", title="t", source=Source("plan.yaml", line, 1), calendar=calendar,
                    events=tuple(Event(name, day, Source("plan.yaml", line, 1)) for name, day in events),
                    milestones=tuple(Milestone(id=m, title=m, due=rules_expr(text, line), source=Source("plan.yaml", line, 1))
                                    for m, text in milestones))
        return deadlines.PlanDeadlines(plan, as_of, repo).key()

    base = key()
    assert base == key(line=7)
    assert base == key(as_of=dt.date(2025, 12, 1))  # the year comes from the events
    changed = [
        key(events=(("a", dt.date(2025, 1, 7)),)),
        key(events=(("a", None),)),
        key(events=(("b", dt.date(2025, 1, 6)),)),
        key(milestones=(("m", "a后6个工作日"),)),
        key(repo=CalendarSpec(extra_holidays=(dt.date(2025, 1, 8),))),
        key(repo=CalendarSpec(extra_workdays=(dt.date(2025, 1, 11),))),
        key(calendar=CalendarSpec(country="HK")),
        key(calendar=CalendarSpec(extra_holidays=(dt.date(2025, 1, 8),), extra_workdays=(dt.date(2025, 1, 11),))),
        key(events=(("a", None),), as_of=dt.date(2026, 6, 1)),  # no date: the as-of year is the plan's
    ]
    assert len({base, *changed}) == len(changed) + 1


def rules_expr(text: str, line: int):
    from rectify_cli.model import Expr, Source

    return Expr(text, Source("plan.yaml", line, 1))


def test_other_holiday_data_is_another_key(monkeypatch):
    from rectify_cli import calendar, deadlines

    before = deadlines.PlanDeadlines(None, dt.date(2025, 6, 1), None).key()
    monkeypatch.setattr(calendar.WorkCalendar, "identity", property(lambda self: "another copy of holidays"))
    assert deadlines.PlanDeadlines(None, dt.date(2025, 6, 1), None).key() != before
    monkeypatch.setattr(calendar.WorkCalendar, "identity", property(lambda self: None))
    assert deadlines.PlanDeadlines(None, dt.date(2025, 6, 1), None).key() is None  # unnamed data: nothing kept


@pytest.mark.parametrize("forged", ["kind", "ordinal", "shape", "not a dict"])
def test_kept_answers_of_the_wrong_shape_are_not_used(ledger, run, monkeypatch, forged):
    args = ("status", "--format", "csv", *DAY)  # judged on every run (`check` and status's json keep what they found)
    before = _output(run, *args)
    (path,) = _rules_files(ledger)
    kept = pickle.loads(store.unseal(index_module._MAGIC, path.name.encode(), path.read_bytes()))
    (key, body), = kept.values()
    answers = pickle.loads(body)
    if forged == "not a dict":
        answers = list(answers.items())
    else:
        bad = {"kind": ("overdue", 1, 0, False), "ordinal": ("date", "2025-12-03", 0, False), "shape": ("date",)}[forged]
        answers = {text: bad for text in answers}
    kept = {name: (key, pickle.dumps(answers)) for name in kept}
    path.write_bytes(store.seal(index_module._MAGIC, path.name.encode(), pickle.dumps(kept)))
    _settle(ledger)
    resolved = _resolutions(monkeypatch)
    assert _output(run, *args) == before
    assert resolved  # resolved again, not taken from the forged file


@pytest.mark.parametrize("due", ["99999999 working days after feedback", "3 days after nowhere", "2月30日",
                                 "10 working days before 0001-01-02", "收到feedback后20个工作日内"])
def test_a_deadline_s_problems_are_the_same_on_every_run(ledger, run, monkeypatch, due):
    """Problems are never kept as answers: the cold run, the first run and the warm ones say the same."""
    (ledger / "plans" / "tasks.yaml").write_text(TASKS.replace("due: 收到feedback后20个工作日内", f"due: {due}"),
                                                 encoding="utf-8")
    for args in (("check", *DAY), ("status", "--format", "json", *DAY)):  # status keeps the judge's problems too
        cold = _cold(run, monkeypatch, *args)
        first = _output(run, *args)
        _settle(ledger)
        assert first == cold == _output(run, *args) == _output(run, *args)
        assert (cold[0] == 2) == (due != "收到feedback后20个工作日内")
