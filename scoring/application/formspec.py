"""Layout of the application forms (Annex 2 park, Annex 3 enterprise) for the UI, built from the models.

The pydantic models of :mod:`scoring.application.models` are the single source of every field's Chinese label (``title``),
unit (``json_schema_extra['unit']``), help text, bounds and derivability. This module only decides the *grouping*
(which model parts go into which tab, in the form's order) and turns each model field into a widget-neutral item:

- :class:`FieldSpec`: one scalar input (text, number, date, yes/no, choice, ...);
- :class:`SeriesTable`: a 近三年 table (rows = indicators, columns = 2023年/2024年/2025年);
- :class:`DerivedValue`: a value the form asks for but that is computed (加权数量, 占比);
- :class:`ListTable`: the top-10 enterprises (park) / top-5 products (enterprise).

Which years of a derivable row are computed is read from :func:`scoring.application.derived.compute_derived` run on a blank
application (a computed metric carries its formula), so the rule lives in one place. Pure Python, no streamlit.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator, Literal, Optional, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .derived import YEAR_KEYS, compute_derived
from .ids import YEARS, ApplicantType, City, Domain
from .models import AnyApplication, EnterpriseApplication, ParkApplication

Kind = Literal["text", "textarea", "int", "float", "bool", "tristate", "date", "choice", "multichoice"]

YEAR_COLUMNS: tuple[str, str, str] = tuple(f"{y}年" for y in YEARS)  # type: ignore[assignment]
"""Column headers of the 近三年 tables, in the order of :data:`scoring.application.derived.YEAR_KEYS`."""
AVG_COLUMN = "近三年平均值"

# Chinese labels of the options of Literal fields (the models keep ids; the labels are the form's wording).
OPTION_LABELS: dict[str, dict[str, str]] = {
    "basic.ownership": {"state": "国有", "private": "民营", "joint": "合资", "other": "其他"},
    "status.sub_park_manager": {"parent_park": "所在园区管理机构", "local_government": "所在地人民政府",
                                "other": "其他"},
}

# The first page of the form (申请书首页) plus the facts the tool needs (city, other domains), in this order.
COVER_FIELDS: tuple[str, ...] = ("applicant_name", "domain", "recommender", "fill_date", "city", "other_domains")
COVER_TITLE = "申请书首页"

# Tabs of the form page: (tab title, model parts in the form's order). "@cover" is COVER_FIELDS.
PARK_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", ("@cover", "basic")),
    ("资格与承诺", ("status", "attestations")),
    ("主要发展指标", ("main",)),
    ("主导产业", ("lead",)),
    ("研发与创新", ("rd", "platforms", "patents", "financing")),
    ("人才与数字化", ("talent", "factories")),
    ("政策与服务", ("narratives",)),
    ("创建工作方案", ("work_plan",)),
)
ENTERPRISE_LAYOUT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", ("@cover", "basic")),
    ("资格与承诺", ("status", "attestations")),
    ("主要经营指标", ("main",)),
    ("重点领域经营", ("domain_ops",)),
    ("研发与技术突破", ("rd", "awards", "patents", "standards")),
    ("人才", ("talent",)),
    ("情况描述", ("narratives",)),
    ("创建工作方案", ("work_plan",)),
)


def with_unit(title: str, unit: str) -> str:
    """The form's row label: ``总营业收入（亿元）``."""
    return f"{title}（{unit}）" if unit else title


def strip_typed(title: str) -> str:
    """``优质企业加权数量（填报值）`` -> ``优质企业加权数量`` (the computed value has no 填报值 suffix)."""
    return title.replace("（填报值）", "")


@dataclass(frozen=True)
class FieldSpec:
    path: str
    name: str
    title: str
    kind: Kind
    unit: str = ""
    help: str = ""
    ge: Optional[float] = None
    le: Optional[float] = None
    options: tuple[tuple[str, str], ...] = ()
    max_chars: Optional[int] = None
    pattern: Optional[str] = None

    @property
    def label(self) -> str:
        return with_unit(self.title, self.unit)

    def option_label(self, value: Any) -> str:
        for v, lab in self.options:
            if v == value:
                return lab
        return str(value)


@dataclass(frozen=True)
class SeriesRow:
    path: str
    title: str
    unit: str
    help: str = ""
    derivable: bool = False
    computed_years: tuple[str, ...] = ()
    """Year keys (``y2024``) computed from other rows; the others are typed."""

    @property
    def label(self) -> str:
        return with_unit(self.title, self.unit)

    @property
    def typed_years(self) -> tuple[str, ...]:
        return tuple(y for y in YEAR_KEYS if y not in self.computed_years)

    @property
    def is_input(self) -> bool:
        """A plain input row (nothing computed)."""
        return not self.computed_years


@dataclass(frozen=True)
class SeriesTable:
    key: str
    rows: tuple[SeriesRow, ...]

    @property
    def input_rows(self) -> tuple[SeriesRow, ...]:
        return tuple(r for r in self.rows if r.is_input)

    @property
    def partly_typed_rows(self) -> tuple[SeriesRow, ...]:
        """Derivable rows with some years that must be typed (growth 2023: 2022 is not in the table)."""
        return tuple(r for r in self.rows if not r.is_input and r.typed_years)


@dataclass(frozen=True)
class DerivedValue:
    path: str
    title: str
    unit: str
    help: str = ""

    @property
    def label(self) -> str:
        return with_unit(self.title, self.unit)


@dataclass(frozen=True)
class ListTable:
    path: str
    title: str
    max_rows: int
    columns: tuple[FieldSpec, ...]


Item = Union[FieldSpec, SeriesTable, DerivedValue, ListTable]


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    help: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Tab:
    title: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class FormSpec:
    type: ApplicantType
    title: str
    tabs: tuple[Tab, ...]
    _index: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def groups(self) -> Iterator[Group]:
        for t in self.tabs:
            yield from t.groups

    def items(self) -> Iterator[Item]:
        for g in self.groups():
            yield from g.items

    def fields(self) -> Iterator[FieldSpec]:
        for it in self.items():
            if isinstance(it, FieldSpec):
                yield it

    def get_field(self, path: str) -> FieldSpec:
        return self._index[path]

    def series_rows(self) -> Iterator[SeriesRow]:
        for it in self.items():
            if isinstance(it, SeriesTable):
                yield from it.rows


# ---------------------------------------------------------------------------------------------------------------
# building


def _extra(f: FieldInfo) -> dict[str, Any]:
    return f.json_schema_extra if isinstance(f.json_schema_extra, dict) else {}


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _base(annotation: Any) -> Any:
    while get_origin(annotation) is typing.Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _bounds(f: FieldInfo) -> tuple[Optional[float], Optional[float]]:
    ge = le = None
    metas = list(f.metadata)
    ann, _ = _strip_optional(f.annotation)
    if get_origin(ann) is typing.Annotated:
        for a in get_args(ann)[1:]:
            metas.extend(getattr(a, "metadata", []) or [a])
    for m in metas:
        if getattr(m, "ge", None) is not None:
            ge = float(m.ge)
        if getattr(m, "le", None) is not None:
            le = float(m.le)
    return ge, le


def _pattern(f: FieldInfo) -> Optional[str]:
    for m in f.metadata:
        p = getattr(m, "pattern", None)
        if p:
            return str(p)
    return None


def _field_spec(path: str, name: str, f: FieldInfo) -> FieldSpec:
    ann, optional = _strip_optional(f.annotation)
    base = _base(ann)
    extra = _extra(f)
    title = f.title or name
    unit = str(extra.get("unit", ""))
    help_ = f.description or ""
    ge, le = _bounds(f)
    options: tuple[tuple[str, str], ...] = ()
    max_chars = extra.get("max_chars")
    kind: Kind
    if base is bool:
        kind = "tristate" if optional else "bool"
    elif base is int:
        kind = "int"
    elif base is float:
        kind = "float"
    elif base is dt.date:
        kind = "date"
    elif base is str:
        kind = "textarea" if max_chars else "text"
    elif isinstance(base, type) and issubclass(base, (Domain, City)):
        kind = "choice"
        options = tuple((m.value, m.label) for m in base)
    elif get_origin(base) is Literal:
        kind = "choice"
        labels = OPTION_LABELS.get(path, {})
        options = tuple((str(v), labels.get(str(v), str(v))) for v in get_args(base))
    elif get_origin(base) is list and get_args(base) and get_args(base)[0] is Domain:
        kind = "multichoice"
        options = tuple((m.value, m.label) for m in Domain)
    else:  # pragma: no cover - a new field type must be given a widget here
        raise TypeError(f"formspec: no widget kind for {path}: {f.annotation!r}")
    return FieldSpec(path=path, name=name, title=title, kind=kind, unit=unit, help=help_, ge=ge, le=le,
                     options=options, max_chars=int(max_chars) if max_chars else None, pattern=_pattern(f))


def _list_table(path: str, f: FieldInfo) -> ListTable:
    ann, _ = _strip_optional(f.annotation)
    row_model = get_args(_base(ann))[0]
    max_rows = 0
    for m in f.metadata:
        if getattr(m, "max_length", None):
            max_rows = int(m.max_length)
    cols = tuple(_field_spec(f"{path}.{n}", n, sf) for n, sf in row_model.model_fields.items())
    return ListTable(path=path, title=f.title or path, max_rows=max_rows, columns=cols)


def _is_series(f: FieldInfo) -> bool:
    return bool(_extra(f).get("series"))


def _is_list_of_models(f: FieldInfo) -> bool:
    ann, _ = _strip_optional(f.annotation)
    base = _base(ann)
    if get_origin(base) is list and get_args(base):
        inner = get_args(base)[0]
        return isinstance(inner, type) and issubclass(inner, BaseModel)
    return False


def _items(prefix: str, fields: list[tuple[str, FieldInfo]], computed: dict[str, set[str]]) -> tuple[Item, ...]:
    """Model fields -> items; consecutive 近三年 rows form one table."""
    out: list[Item] = []
    rows: list[SeriesRow] = []

    def flush() -> None:
        if rows:
            out.append(SeriesTable(key=rows[0].path.rsplit(".", 1)[0] if "." in rows[0].path else rows[0].path,
                                   rows=tuple(rows)))
            rows.clear()

    for name, f in fields:
        path = f"{prefix}.{name}" if prefix else name
        extra = _extra(f)
        if _is_series(f):
            rows.append(SeriesRow(path=path, title=f.title or name, unit=str(extra.get("unit", "")),
                                  help=f.description or "", derivable=bool(extra.get("derivable")),
                                  computed_years=tuple(y for y in YEAR_KEYS if y in computed.get(path, set()))))
            continue
        flush()
        if extra.get("derivable"):
            out.append(DerivedValue(path=path, title=strip_typed(f.title or name), unit=str(extra.get("unit", "")),
                                    help=f.description or ""))
        elif _is_list_of_models(f):
            out.append(_list_table(path, f))
        else:
            out.append(_field_spec(path, name, f))
    flush()
    return tuple(out)


def _computed_years(app: AnyApplication) -> dict[str, set[str]]:
    """Series path -> the year keys that scoring.application.derived computes (a computed metric has a formula)."""
    res = compute_derived(app, defaultdict(dict))
    out: dict[str, set[str]] = defaultdict(set)
    for key, m in res.metrics.items():
        path, _, last = key.rpartition(".")
        if last in YEAR_KEYS and m.formula:
            out[path].add(last)
    return out


def _group(app_cls: type[BaseModel], part: str, computed: dict[str, set[str]]) -> Group:
    root = app_cls.model_fields
    if part == "@cover":
        fields = [(n, root[n]) for n in COVER_FIELDS]
        return Group(key="cover", title=COVER_TITLE, help="", items=_items("", fields, computed))
    f = root[part]
    if _is_series(f):  # a lone 近三年 row at the root (主导产业融资额)
        return Group(key=part, title=f.title or part, help=f.description or "", items=_items("", [(part, f)], computed))
    ann, _ = _strip_optional(f.annotation)
    sub = _base(ann)
    assert isinstance(sub, type) and issubclass(sub, BaseModel), part
    fields = list(sub.model_fields.items())
    return Group(key=part, title=f.title or part, help=f.description or "", items=_items(part, fields, computed))


@lru_cache(maxsize=4)
def form_spec(app_type: ApplicantType | str) -> FormSpec:
    """The form layout of a type (Annex 2 for park, Annex 3 for enterprise)."""
    t = ApplicantType.parse(app_type)
    app_cls: type[BaseModel]
    if t is ApplicantType.PARK:
        app_cls, layout, blank = ParkApplication, PARK_LAYOUT, ParkApplication(domain=Domain.AI)
    else:
        app_cls, layout, blank = EnterpriseApplication, ENTERPRISE_LAYOUT, EnterpriseApplication(domain=Domain.AI)
    computed = _computed_years(blank)
    tabs = tuple(Tab(title=title, groups=tuple(_group(app_cls, p, computed) for p in parts)) for title, parts in layout)
    spec = FormSpec(type=t, title=str(app_cls.__doc__ or "").strip().split("\n")[0].rstrip("."), tabs=tabs)
    for fs in spec.fields():
        spec._index[fs.path] = fs
    return spec


# ---------------------------------------------------------------------------------------------------------------
# reading / writing values by dotted path (on the JSON dict of dump_application)


def split_path(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def get_in(data: Any, path: str) -> Any:
    cur = data
    for p in split_path(path):
        if isinstance(cur, dict):
            if p not in cur:
                return None
            cur = cur[p]
        elif isinstance(cur, list) and isinstance(p, int):
            if p >= len(cur):
                return None
            cur = cur[p]
        else:
            return None
    return cur


def set_in(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a value in a nested JSON dict (creating dicts on the way)."""
    parts = split_path(path)
    cur: Any = data
    for p in parts[:-1]:
        if isinstance(cur, dict):
            if not isinstance(cur.get(p), (dict, list)):
                cur[p] = {}
            cur = cur[p]
        else:
            cur = cur[p]
    cur[parts[-1]] = value
