"""Broken and hostile JSON through the CLI: exit 2 with a Chinese reason (never a traceback), or read and scored
correctly; one bad file never sinks a rank batch, and a failed rank leaves no file behind."""

from __future__ import annotations

import json
import re

import pytest

from scoring.cli.entry import main
from tests.hostile import BAD_JSON, SAMPLE, json_bytes, with_value

CHINESE = re.compile(r"[\u4e00-\u9fff]")


_with = with_value
BAD = BAD_JSON


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("command", ["validate", "benchmark"])
def test_bad_json_exits_2_in_chinese(case, command, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_bytes(json_bytes(case))
    code = main([command, str(f)])
    err = capsys.readouterr().err
    assert code == 2, (case, err)
    assert CHINESE.search(err) and "Traceback" not in err


def test_a_chinese_type_name_is_read(tmp_path, capsys):
    f = tmp_path / "a.json"
    f.write_text(json.dumps(_with(["type"], "示范园区"), ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(f)]) == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, capsys):
    f = tmp_path / "big.json"
    with f.open("wb") as out:
        out.truncate(3 * 1024 * 1024)
    assert main(["validate", str(f)]) == 2
    assert "超过上限" in capsys.readouterr().err


def test_one_bad_file_does_not_sink_the_batch(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_bytes(SAMPLE.read_bytes())
    bad = tmp_path / "bad.json"
    bad.write_text(BAD["1e308 three years"](), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    code = main(["rank", str(good), str(bad), "--out", str(out), "--no-narrative", "--no-robustness"])
    err = capsys.readouterr().err
    assert code == 0 and out.exists() and "bad.json" in err


def test_a_failed_rank_leaves_no_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(BAD["Infinity"](), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    assert main(["rank", str(bad), "--out", str(out), "--no-narrative", "--no-robustness"]) == 2
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_candidate_that_cannot_be_scored_is_listed_and_the_rest_ranked(tmp_path, capsys, monkeypatch):
    import scoring.assessment.engine as engine

    real = engine.score_application

    def flaky(app, *a, **k):
        if app.display_name.startswith("坏"):
            raise ArithmeticError("boom")
        return real(app, *a, **k)

    monkeypatch.setattr(engine, "score_application", flaky)
    good = tmp_path / "good.json"
    good.write_bytes(SAMPLE.read_bytes())
    worse = tmp_path / "worse.json"
    worse.write_text(json.dumps(_with(["basic", "park_name"], "坏园区"), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "r.xlsx"
    code = main(["rank", str(good), str(worse), "--out", str(out), "--no-narrative", "--no-robustness"])
    err = capsys.readouterr().err
    assert code == 0 and out.exists() and "无法评分" in err and "worse.json" in err


def test_an_internal_error_exits_1_with_a_log(tmp_path, capsys, monkeypatch):
    import scoring.cli.core as core

    monkeypatch.setattr(core, "load_application_file", lambda p: (_ for _ in ()).throw(AssertionError("bug")))
    assert main(["validate", str(SAMPLE)]) == 1
    err = capsys.readouterr().err
    assert "内部错误" in err and ".log" in err and "Traceback" not in err
