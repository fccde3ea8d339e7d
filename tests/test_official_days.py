"""What `holidays` says, kept on disk: the same answers, without asking again."""

from __future__ import annotations

import datetime as dt
import json
from importlib import metadata

import pytest

from rectify_cli import official_days
from rectify_cli.official_days import OfficialDays
from rectify_cli.problems import ProblemError

YEARS = range(2023, 2028)


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path))
    return tmp_path


def _answers(days: OfficialDays):
    return days.weekend, [days.year(y) for y in YEARS]


def _never_ask(monkeypatch):
    def asked(*args, **kwargs):
        raise AssertionError("asked holidays although the answers are kept")

    monkeypatch.setattr(OfficialDays, "_ask", asked)


def test_kept_answers_equal_fresh_ones(cache_dir, monkeypatch):
    fresh = _answers(OfficialDays("CN", None))
    (kept,) = cache_dir.glob("days-*-CN-.json")
    assert metadata.version("holidays") in kept.name
    _never_ask(monkeypatch)
    assert _answers(OfficialDays("CN", None)) == fresh


def test_the_answers_are_the_official_schedule(cache_dir, monkeypatch):
    """2025: Spring Festival 1.28–2.4 off, Sunday 1.26 and Saturday 2.8 worked (调休)."""
    OfficialDays("CN", None).year(2025)
    _never_ask(monkeypatch)
    days = OfficialDays("CN", None).year(2025)
    off = {dt.date.fromordinal(o).isoformat() for o, _, _ in days.holidays}
    worked = {dt.date.fromordinal(o).isoformat() for o in days.makeups}
    assert {"2025-01-28", "2025-02-04"} <= off and {"2025-01-26", "2025-02-08"} <= worked
    assert any(name == "春节" for _, name, _ in days.holidays)


def test_a_damaged_file_is_asked_again(cache_dir):
    fresh = _answers(OfficialDays("CN", None))
    (kept,) = cache_dir.glob("days-*.json")
    document = json.loads(kept.read_text(encoding="utf-8"))
    document["years"]["2025"][1] = [10**9]  # not a date
    kept.write_text(json.dumps(document), encoding="utf-8")
    assert _answers(OfficialDays("CN", None)) == fresh
    kept.write_text("{not json", encoding="utf-8")
    assert _answers(OfficialDays("CN", None)) == fresh


def test_an_unknown_country_is_an_error_and_nothing_is_kept(cache_dir):
    with pytest.raises(ProblemError) as raised:
        OfficialDays("XX", None)
    assert raised.value.key == "cal.unknown_country"
    assert not list(cache_dir.glob("days-*"))


def test_without_a_cache_it_still_answers(monkeypatch, tmp_path):
    monkeypatch.setenv("RECTIFY_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("RECTIFY_NO_CACHE", "1")
    assert OfficialDays("CN", None).year(2025).makeups
    assert not list(tmp_path.iterdir())


def test_odd_codes_never_become_file_names():
    assert official_days._file_name("CN", "../x") is None
