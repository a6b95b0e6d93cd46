"""Identifiers used everywhere (files, CLI, URLs) with their Chinese names.

The ids are a contract: applicant types, the ten domains of the notice (section 二、创建领域), the two kinds of
AI enterprise (Annex 5), the five sections of the 创建工作方案 (Annex 2/3, part 二) and the cities of Fujian (section 三(二)).
Every parser accepts the id or the Chinese name.
"""

from __future__ import annotations

from enum import Enum


class _Labelled(str, Enum):
    """A str enum whose members carry a Chinese label; parse() accepts the id or any Chinese alias."""

    label: str
    aliases: tuple[str, ...]

    def __new__(cls, value: str, label: str, *aliases: str) -> "_Labelled":
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        obj.aliases = (label, *aliases)
        return obj

    def __str__(self) -> str:  # ids print as ids
        return self.value

    @classmethod
    def parse(cls, text: "str | _Labelled") -> "_Labelled":
        if isinstance(text, cls):
            return text
        t = str(text).strip()
        for m in cls:
            if t == m.value or t.lower() == m.value or t in m.aliases:
                return m
        names = "、".join(f"{m.value}（{m.label}）" for m in cls)
        raise ValueError(f"无法识别“{t}”，可选：{names}")

    @classmethod
    def choices(cls) -> list[str]:
        return [m.value for m in cls]


class ApplicantType(_Labelled):
    PARK = ("park", "示范园区", "园区", "园区类")
    ENTERPRISE = ("enterprise", "示范企业", "企业", "企业类")

    @property
    def short(self) -> str:
        return "园区" if self is ApplicantType.PARK else "企业"


class Domain(_Labelled):
    AI = ("ai", "人工智能")
    ICV = ("icv", "智能网联新能源汽车", "智能网联汽车", "新能源汽车")
    STORAGE = ("storage", "新型储能制造", "新型储能")
    HYDROGEN = ("hydrogen", "清洁低碳氢", "氢能")
    BIOMFG = ("biomfg", "生物制造")
    ROBOT = ("robot", "智能机器人", "机器人")
    LOWALT = ("lowalt", "低空装备", "低空")
    SPACE = ("space", "商业航天", "航天")
    SAFETY = ("safety", "安全应急装备", "安全应急")
    SOFTWARE = ("software", "软件")


class AiKind(_Labelled):
    """The two kinds of AI enterprise that Annex 5 judges apart (人工智能：“针对创新型企业，……针对应用型企业，……”;
    “围绕开源开放(创新型企业)、应用赋能(应用型企业)提出创建目标”). Only AI enterprises have a kind."""

    INNOVATIVE = ("innovative", "创新型企业", "创新型")
    APPLICATION = ("application", "应用型企业", "应用型")


class Section(_Labelled):
    BASIS = ("basis", "发展基础")
    APPROACH = ("approach", "总体思路")
    TASKS = ("tasks", "重点任务")
    SCHEDULE = ("schedule", "进度安排")
    SAFEGUARDS = ("safeguards", "保障措施")


class City(_Labelled):
    FUZHOU = ("fuzhou", "福州", "福州市")
    XIAMEN = ("xiamen", "厦门", "厦门市")
    QUANZHOU = ("quanzhou", "泉州", "泉州市")
    NINGDE = ("ningde", "宁德", "宁德市")
    ZHANGZHOU = ("zhangzhou", "漳州", "漳州市")
    PUTIAN = ("putian", "莆田", "莆田市")
    SANMING = ("sanming", "三明", "三明市")
    NANPING = ("nanping", "南平", "南平市")
    LONGYAN = ("longyan", "龙岩", "龙岩市")
    PINGTAN = ("pingtan", "平潭", "平潭综合实验区")


YEARS: tuple[int, int, int] = (2023, 2024, 2025)
"""The three years of the form's 近三年 tables (Annex 2/3)."""
