"""One meaning per status word: every table and label that depends on the state
is complete for every `Status`, so a new status word cannot be forgotten in one
of them (the old `edit/actions.CHINESE_STATUS` and the audit's string ranks
would have ignored it silently)."""

from __future__ import annotations

import itertools

import pytest
import yaml

from rectify_cli.messages import _CATALOGUE, text
from rectify_cli.model import STATUS_ALIASES, ItemRef, Status


@pytest.mark.parametrize("status", list(Status))
def test_every_status_states_its_whole_meaning(status):
    assert isinstance(status.finished, bool) and isinstance(status.completed, bool)
    assert isinstance(status.open, bool) and isinstance(status.reopenable, bool)
    assert status.rank is None or isinstance(status.rank, int)
    assert status.words, "a status needs at least the Chinese word written into Chinese files"
    # the meanings hang together
    assert not (status.open and status.finished)
    if status.completed:
        assert status.finished and status.rank is not None  # require_evidence compares ranks
    if status.reopenable:
        assert status.finished
    assert status.goes_back_to(status) is False


@pytest.mark.parametrize("status", list(Status))
def test_every_word_of_a_status_reads_back_as_it(status):
    assert Status.parse(status.value) is status
    assert Status.parse(f" {status.value.upper()} ") is status
    for word in status.words:
        assert STATUS_ALIASES[word] is status
    assert Status.parse(status.word(chinese=True)) is status
    assert status.word(chinese=False) == status.value


@pytest.mark.parametrize("status", list(Status))
def test_every_status_has_a_zh_and_an_en_label_that_imports_back(status):
    """The xlsx ledger and reports show these labels; `import` must read them back."""
    key = f"status.{status.value}"
    assert key in _CATALOGUE
    for lang in ("zh", "en"):
        label = text(key, lang)
        assert label and label != key
        assert Status.parse(label) is status, (lang, label)


def test_aliases_are_every_word_and_nothing_else():
    expected = {s.value for s in Status} | {w for s in Status for w in s.words}
    assert set(STATUS_ALIASES) == expected
    assert len(expected) == len(Status) + sum(len(s.words) for s in Status)  # no word names two states


def test_per_status_tables_elsewhere_cover_every_status():
    from rectify_cli.report.outline import STATUS_ORDER

    assert sorted(STATUS_ORDER) == sorted(Status)


@pytest.mark.parametrize("status", list(Status))
def test_edits_write_the_files_own_language_for_every_status(status):
    """What `done`, `close`, `reopen` and `progress` write: Chinese where the item's
    status is already Chinese, and always a word the reader takes back."""
    from pathlib import Path

    from rectify_cli.edit.actions import Doc
    from rectify_cli.edit.locate import Target
    from rectify_cli.model import Source, Task

    for old in ("推进中", "doing"):
        source = Source("t.yaml", 4, 5)
        task = Task(id="T-1", source=source, plan="p", status=Status.DOING)
        doc = Doc(f"kind: tasks\nplan: p\ntasks:\n  - id: T-1\n    status: {old}\n", "t.yaml",
                  Target("task", task, "p", Path("t.yaml")))
        doc.set_status(status)
        written = yaml.safe_load(doc.text)["tasks"][0]["status"]
        assert written == status.word(chinese=not old.isascii())
        assert Status.parse(written) is status


def test_going_back_is_reopening_or_moving_down_the_order():
    back = {(a, b) for a, b in itertools.product(Status, Status) if a.goes_back_to(b)}
    S = Status
    assert back == {
        (S.DONE, S.TODO), (S.DONE, S.DOING), (S.DONE, S.ONGOING),
        (S.SUBMITTED, S.TODO), (S.SUBMITTED, S.DOING), (S.SUBMITTED, S.ONGOING), (S.SUBMITTED, S.DONE),
        (S.CLOSED, S.TODO), (S.CLOSED, S.DOING), (S.CLOSED, S.ONGOING), (S.CLOSED, S.DONE), (S.CLOSED, S.SUBMITTED),
        (S.CANCELLED, S.TODO), (S.CANCELLED, S.DOING), (S.CANCELLED, S.ONGOING),
        (S.DOING, S.TODO),
    }


@pytest.mark.parametrize("text_,expected", [
    ("T-01-1", ItemRef(None, "T-01-1")),
    (" gq-2025:T-01-1 ", ItemRef("gq-2025", "T-01-1")),
    ("gq-2025/T-01-1", ItemRef("gq-2025", "T-01-1")),
    ("计划一/任务1", ItemRef("计划一", "任务1")),
    ("", None), ("gq:", None), ("/T-1", None), ("a:b:c", None), ("a/b/c", None), ("a b", None),
])
def test_one_parser_reads_both_forms_of_an_item_reference(text_, expected):
    assert ItemRef.parse(text_) == expected
