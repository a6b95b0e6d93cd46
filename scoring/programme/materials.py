"""三、附件清单 of the 创建申请书 (Annex 2 park, Annex 3 enterprise), loaded from ``rubrics/<pack>/materials.yaml``.

Each item has an id (the key of ``materials`` in an application), its number and wording on the form, the type it
applies to, and its source (the annex and the form's text, verbatim). An item that asks for the enterprise's place
among all participants names the list of the application that holds those places (``ranks``: ``award_entries`` or
``standard_entries``). The file is read once per path and modification time, like every rubric file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..application.ids import ApplicantType
from .rubric import Basis, RubricError, read_yaml, rubric_dir

MATERIALS_FILE = "materials.yaml"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MaterialSource(_M):
    annex: Literal["附件2", "附件3"]
    quote: str = Field(description="the form's line, verbatim (with its number and punctuation)")


class Material(_M):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")
    number: int = Field(ge=1, le=99)
    text: str = Field(min_length=1, description="the form's wording, without the number and the closing punctuation")
    applies_to: ApplicantType
    ranks: Optional[Literal["award_entries", "standard_entries"]] = None
    source: MaterialSource

    @property
    def label(self) -> str:
        """``3.国家级和省部级科技奖励清单及证明材料，……`` as the form numbers it."""
        return f"{self.number}.{self.text}"

    @model_validator(mode="after")
    def _check(self) -> "Material":
        want = "附件2" if self.applies_to is ApplicantType.PARK else "附件3"
        if self.source.annex != want:
            raise ValueError(f"附件清单项目 {self.id} 适用于{self.applies_to.label}，出处应为{want}")
        if self.text not in self.source.quote:
            raise ValueError(f"附件清单项目 {self.id} 的文字不在其出处原文中")
        if self.ranks and self.applies_to is not ApplicantType.ENTERPRISE:
            raise ValueError(f"附件清单项目 {self.id}：排序清单只用于示范企业")
        return self


class MaterialsRubric(_M):
    version: str
    title: str
    intro: str
    basis: Basis
    source: str
    items: tuple[Material, ...]

    @model_validator(mode="after")
    def _unique(self) -> "MaterialsRubric":
        ids = [m.id for m in self.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"附件清单项目编号重复：{dup}")
        for t in ApplicantType:
            nums = [m.number for m in self.items if m.applies_to is t]
            if len(nums) != len(set(nums)):
                raise ValueError(f"{t.label}的附件清单序号重复")
        return self

    def for_type(self, app_type: ApplicantType | str) -> tuple[Material, ...]:
        """The items of one form, in the form's order."""
        t = ApplicantType.parse(app_type)
        return tuple(sorted((m for m in self.items if m.applies_to is t), key=lambda m: m.number))

    def get(self, item_id: str) -> Optional[Material]:
        return next((m for m in self.items if m.id == item_id), None)


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> MaterialsRubric:
    try:
        return MaterialsRubric.model_validate(read_yaml(Path(path)))
    except ValidationError as e:
        raise RubricError(f"附件清单文件内容有误：{path}\n{e}") from e


def load_materials(path: Optional[Path] = None) -> MaterialsRubric:
    """The checklist of the rule pack in use (or of the file ``path``); :class:`RubricError` when it is missing."""
    p = path or (rubric_dir() / MATERIALS_FILE)
    try:
        mtime = p.stat().st_mtime
    except FileNotFoundError as e:
        raise RubricError(f"找不到附件清单文件：{p}") from e
    return _load(str(p), mtime)


def materials_for(app_type: ApplicantType | str, path: Optional[Path] = None) -> tuple[Material, ...]:
    return load_materials(path).for_type(app_type)


__all__ = ["MATERIALS_FILE", "Material", "MaterialSource", "MaterialsRubric", "load_materials", "materials_for"]
