"""Make the demo batch of the 遴选排序 page: 13 fictional candidates of one big city (福州).

    python data/samples/batch_fuzhou/make_batch.py

Every candidate is derived from one of the 20 fictional samples in ``data/samples/`` (names, city and credit codes
changed; place names in the texts replaced by 福州), so the batch has the samples' range of quality. What the batch
is meant to show (the tests in tests/test_ranking.py rely on it):

* 4 parks (quota 1–2): two strong, one medium, one that fails a hard rule (园中园 without 四至范围);
* 9 enterprises (quota 3–5) in 8 domains, strong to weak, one with a 待确认 hard rule (安全事故承诺未填);
* a group and its subsidiary both applying (福建海翼科技集团 and 福州海翼无人机, whose 所属集团公司统一社会信用代码
  is the group's code; the subsidiary did not declare it) — the subsidiary's data are raised a little so that it
  ranks inside the quota and the proposal has to skip it;
* a copied passage: 福州竹生源生物科技's 保障措施 copies, with a few words changed, two paragraphs of 福州闽智科技's.

All files are marked 示例 (meta.is_sample) and say so in meta.note.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))

from scoring.formats.json_io import export_json  # noqa: E402
from scoring.application.models import parse_application  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
GROUP_CODE = "91350100EXAMPL090C"  # the group's code (also named as parent in enterprise_lowalt.json)
GROUP_NAME = "福建海翼科技集团有限公司（示例）"

CITY_NAMES = ("厦门", "三明", "宁德", "泉州", "漳州", "南平", "莆田", "龙岩")

COPIED_SAFEGUARDS = (
    "（一）组织保障\n"
    "成立由董事长任组长、总经理任副组长的创建工作领导小组，设立工作专班，统筹技术研发、生产运营、场景推广和国际业务，"
    "各事业部明确责任人。\n"
    "（二）资金保障\n"
    "创建期内计划投入研发资金不少于18亿元，其中菌种研发8亿元、发酵平台建设5亿元、开源生态和数据集建设1.2亿元；"
    "完成新一轮股权融资15亿元，积极申报生物制造领域国家和省级专项。\n"
)


def _scale(series: dict[str, Any], factor: float) -> None:
    for k in ("y2023", "y2024", "y2025"):
        if isinstance(series.get(k), (int, float)):
            series[k] = round(series[k] * factor, 2)


def _boost_subsidiary(d: dict[str, Any]) -> None:
    """A stronger subsidiary: more R&D, patents and standards (so that it ranks inside the quota)."""
    d["status"].update(parent_name=GROUP_NAME, parent_credit_code=GROUP_CODE, group_also_applies=False)
    _scale(d["rd"]["rd_intensity"], 1.6)
    _scale(d["rd"]["domain_rd_spend"], 1.6)
    d["patents"]["invention"] = int(d["patents"]["invention"] * 3)
    d["standards"]["national"] = (d["standards"].get("national") or 0) + 3
    d["standards"]["industry"] = (d["standards"].get("industry") or 0) + 4
    d["talent"]["high_level"] = int((d["talent"].get("high_level") or 0) * 1.8)


def _copy_passage(d: dict[str, Any]) -> None:
    sg = d["work_plan"]["safeguards"]
    cut = sg.index("（三）")
    d["work_plan"]["safeguards"] = COPIED_SAFEGUARDS + sg[cut:]


Spec = tuple[str, str, dict[str, str], str, str, Callable[[dict[str, Any]], None] | None]
# (output file, source sample, text replacements, credit code, role for meta.note, extra edit)
SPECS: list[Spec] = [
    ("park_ai.json", "park_ai.json", {}, "", "强样本（园区）", None),
    ("park_robot.json", "park_robot.json", {"刺桐": "闽江"}, "", "强样本（园区）", None),
    ("park_storage.json", "park_storage.json", {"九龙江": "乌龙江"}, "", "中等样本（园区）", None),
    ("park_safety.json", "park_safety.json", {"龙津": "琅岐"}, "",
     "弱样本且不满足硬性规则：以“园中园”申报但未填写四至范围（园区）", None),
    ("enterprise_software.json", "enterprise_software.json", {}, "91350100EXAMPL101U", "强样本（企业）", None),
    ("enterprise_ai.json", "enterprise_ai.json", {"厦门鹭智": "福州闽智", "鹭智": "闽智"}, "91350100EXAMPL102Y",
     "强样本（企业）；其保障措施被“福州竹生源生物科技”抄用", None),
    ("enterprise_icv.json", "enterprise_icv.json", {"福建宁驰": "福州榕驰", "宁驰": "榕驰"}, "91350100EXAMPL1032",
     "强样本（企业）", None),
    ("enterprise_hydrogen_group.json", "enterprise_hydrogen.json",
     {"福建三明清源氢能装备股份有限公司": GROUP_NAME.replace("（示例）", ""), "清源": "海翼"}, GROUP_CODE,
     "强样本（企业）；集团公司，其子公司“福州海翼无人机科技”也在申报", None),
    ("enterprise_robot.json", "enterprise_robot.json", {"泉州智匠": "福州智匠"}, "91350100EXAMPL1058",
     "中等样本（企业）", None),
    ("enterprise_biomfg.json", "enterprise_biomfg.json", {"南平竹生源": "福州竹生源"}, "91350100EXAMPL106B",
     "中等样本（企业）；保障措施两段抄用“福州闽智科技”的文字（雷同段落）", _copy_passage),
    ("enterprise_space.json", "enterprise_space.json", {"莆田星衡": "福州星衡"}, "91350100EXAMPL107E",
     "弱样本（企业）；承诺事项待确认", None),
    ("enterprise_lowalt_subsidiary.json", "enterprise_lowalt.json",
     {"平潭海翼无人机": "福州海翼无人机", "福建海翼航空科技集团有限公司": GROUP_NAME.replace("（示例）", ""),
      "平潭综合实验区": "福州市"}, "91350100EXAMPL108H",
     "中等样本（企业）；子公司，所属集团公司“福建海翼科技集团”也在申报（未如实声明）", _boost_subsidiary),
    ("enterprise_safety.json", "enterprise_safety.json", {"龙岩安固": "福州安固"}, "91350100EXAMPL109L",
     "弱样本（企业）", None),
]


def make(spec: Spec) -> dict[str, Any]:
    out_name, src, repl, code, role, extra = spec
    text = (SAMPLES / src).read_text(encoding="utf-8")
    for old, new in repl.items():
        text = text.replace(old, new)
    for city in CITY_NAMES:
        text = text.replace(city, "福州")
    text = text.replace("福州市市", "福州市")
    d = json.loads(text)
    d["city"] = "fuzhou"
    d.setdefault("meta", {})
    d["meta"]["is_sample"] = True
    d["meta"]["note"] = f"示例：虚构数据，仅供演示（福州市遴选排序演示批次，由 {src} 改编）。{role}。"
    if d["type"] == "enterprise":
        d["basic"]["credit_code"] = code
    if extra:
        extra(d)
    return d


def main() -> int:
    for old in HERE.glob("*.json"):
        old.unlink()
    for spec in SPECS:
        app = parse_application(make(spec))
        (HERE / spec[0]).write_text(export_json(app), encoding="utf-8")
        print(f"{spec[0]}: {app.display_name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
