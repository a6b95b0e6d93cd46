"""The passphrase lockout holds: parallel guesses are counted atomically, unknown names answer like known ones,
and a guesser elsewhere cannot lock the owner out."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from scoring.store.drafts import Store
from scoring.store.workspace import (MAX_FAILURES, WorkspaceError, create_passphrase_workspace,
                                     open_passphrase_workspace)

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "s.sqlite3")


def _answer(store, name, pw, now=T0, client=""):
    try:
        open_passphrase_workspace(store, name, pw, now=now, client=client)
        return "ok"
    except WorkspaceError as e:
        return str(e)


def test_parallel_guesses_are_counted_before_they_are_checked(store):
    create_passphrase_workspace(store, "甲单位", "jia-danwei-2026")
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda i: _answer(store, "甲单位", f"guess-{i:04d}"), range(40)))
    checked = [a for a in answers if "不正确" in a]
    assert len(checked) <= MAX_FAILURES, answers
    assert all("秒后再试" in a for a in answers if a not in checked)


def test_unknown_and_known_names_answer_alike(store):
    create_passphrase_workspace(store, "甲单位", "jia-danwei-2026")
    known = [_answer(store, "甲单位", "wrong-pass") for _ in range(MAX_FAILURES + 1)]
    unknown = [_answer(store, "无此单位", "wrong-pass") for _ in range(MAX_FAILURES + 1)]
    assert known == unknown
    assert "秒后再试" in known[-1]
    # and in about the same time (both do one scrypt derivation)
    t = time.perf_counter()
    _answer(store, "甲单位", "wrong-again", now=T0 + dt.timedelta(hours=2))
    t_known = time.perf_counter() - t
    t = time.perf_counter()
    _answer(store, "无此单位", "wrong-again", now=T0 + dt.timedelta(hours=2))
    t_unknown = time.perf_counter() - t
    assert t_unknown > t_known / 3 and t_known > t_unknown / 3


def test_a_guesser_elsewhere_does_not_lock_the_owner_out_and_the_lock_grows(store):
    ws = create_passphrase_workspace(store, "甲单位", "jia-danwei-2026")
    for _ in range(MAX_FAILURES + 1):
        _answer(store, "甲单位", "wrong-pass", client="203.0.113.9")
    assert "秒后再试" in _answer(store, "甲单位", "jia-danwei-2026", now=T0, client="203.0.113.9")
    assert open_passphrase_workspace(store, "甲单位", "jia-danwei-2026", now=T0, client="198.51.100.7").id == ws.id
    # the guesser's lock grows with each further failure after it ends
    later = T0 + dt.timedelta(seconds=61)
    assert "不正确" in _answer(store, "甲单位", "wrong-pass", now=later, client="203.0.113.9")
    wait = _answer(store, "甲单位", "wrong-pass", now=later, client="203.0.113.9")
    assert "秒后再试" in wait and int(wait.split("请 ")[1].split(" 秒")[0]) > 60
