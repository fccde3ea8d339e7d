"""What `holidays` says, kept on disk: the same answers, without asking again."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from rectify_cli import official_days, store
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
    assert official_days.installed_copy() in kept.name
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


def _reseal(kept, document) -> None:
    """What someone who can write the cache directory could plant: a well-sealed file."""
    body = json.dumps(document).encode("utf-8")
    kept.write_bytes(store.seal(store._JSON_MAGIC, kept.name.encode("utf-8"), body))


def test_a_damaged_file_is_asked_again(cache_dir):
    fresh = _answers(OfficialDays("CN", None))
    (kept,) = cache_dir.glob("days-*.json")
    header, text = kept.read_text(encoding="utf-8").split("\n", 1)
    document = json.loads(text)
    document["years"]["2025"][1] = [10**9]  # not a date
    kept.write_text(header + "\n" + json.dumps(document), encoding="utf-8")
    assert _answers(OfficialDays("CN", None)) == fresh
    _reseal(kept, document)  # the digest holds, the shape does not
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


def _rectify(*args: str, cache_dir) -> subprocess.CompletedProcess:
    """A fresh process: the calendar is read once per process."""
    return subprocess.run(
        [sys.executable, "-c", "from rectify_cli.cli import main; main()", *args, "--lang", "en"],
        env={**os.environ, "RECTIFY_CACHE_DIR": str(cache_dir)}, capture_output=True, text=True, timeout=120,
    )


NAME = "\x1b]0;pwned\x07\u202e假日"


def _poisoned(document: dict) -> dict:
    """Every day of late 2025-11 a holiday with a name that would act on a terminal."""
    days = [[o, NAME, NAME] for o in range(dt.date(2025, 11, 6).toordinal(), dt.date(2025, 12, 1).toordinal())]
    return {**document, "years": {**document["years"], "2025": [days, []]}}


def test_a_poisoned_file_changes_no_deadline_and_shows_nothing(cache_dir):
    """Before: a planted file moved this deadline from 2025-12-03 to 2025-12-26."""
    answer = "20 working day(s) after 2025-11-05 (that day not counted): 2025-12-03"
    assert answer in _rectify("date", "20 working days after 2025-11-05", cache_dir=cache_dir).stdout
    (kept,) = cache_dir.glob("days-*.json")
    header, text = kept.read_text(encoding="utf-8").split("\n", 1)
    poison = _poisoned(json.loads(text))
    plain = lambda: kept.write_text(json.dumps(poison), encoding="utf-8")  # noqa: E731
    under_the_header = lambda: kept.write_text(header + "\n" + json.dumps(poison), encoding="utf-8")  # noqa: E731
    resealed = lambda: _reseal(kept, poison)  # noqa: E731  (a valid digest: the names are refused)
    for plant in (plain, under_the_header, resealed):
        plant()
        date = _rectify("date", "20 working days after 2025-11-05", cache_dir=cache_dir)
        assert (date.returncode, date.stderr) == (0, "") and answer in date.stdout
        shown = _rectify("calendar", "2025-11", cache_dir=cache_dir)
        assert shown.returncode == 0
        assert "pwned" not in shown.stdout and "\x1b" not in shown.stdout and "\u202e" not in shown.stdout


def test_another_install_of_holidays_is_asked_again(tmp_path, monkeypatch):
    """The kept answers are named by the installed copy's files: a reinstall (new
    inode, size or mtime of its package files) names other answers."""
    from importlib.machinery import ModuleSpec

    package = tmp_path / "holidays"
    package.mkdir()
    (package / "__init__.py").write_text("# one release\n")
    (package / "version.py").write_text('__version__ = "0.1"\n')
    monkeypatch.setattr(store, "find_spec", lambda name: ModuleSpec(name, None, origin=str(package / "__init__.py")))
    first = official_days.installed_copy()
    assert first and first == official_days.installed_copy()
    os.utime(package / "version.py", ns=(1, 1))
    second = official_days.installed_copy()
    assert second != first
    (package / "version.py").write_text('__version__ = "0.2"\n')
    assert official_days.installed_copy() not in (first, second)
    monkeypatch.setattr(store, "find_spec", lambda name: None)
    assert official_days.installed_copy() is None and official_days._file_name("CN", None) is None
